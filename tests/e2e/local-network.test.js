// The `local` chain: four Aura+GRANDPA validators on loopback, one stopped and restarted; a
// node whose peer id the chain does not authorise cannot join, and a peer that is not a node
// (healthchain-peer-probe, a hand-written libp2p client) gets no block out of any of them, even
// from one whose offchain workers are off. Bob's node is the consortium's public node
// (`--serve-light-clients`): it gives strangers headers and justifications, never bodies, and a
// patient's portal in headless Chromium follows the network through it on its light client.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { chromium } from 'playwright-core';
import { assertInBlockThenFinalized, submitOk, UNIT, watchStatuses } from './lib/chain.js';
import { cliFor, writeKeyFiles } from './lib/cli.js';
import { devNodeKey, freePort, Node, NODE_BIN, runNodeCommand, startDevNode, tempDir, waitFor } from './lib/node.js';
import { aClinicianReadsAHeartRate, CHROMIUM, portalForLightClients, seriousViolations, shoot, short, signInWithPhrase } from './lib/portal.js';
import { killVault, startVault } from './lib/vault.js';

/** The hand-written client, built beside the node by `cargo test`. */
const PROBE = process.env.HEALTHCHAIN_PEER_PROBE ?? path.join(path.dirname(NODE_BIN), 'healthchain-peer-probe');

/**
 * Asks `node` (peer id `peerId`) as a stranger for blocks from `block`, their headers and bodies
 * or what `ask` names; its exit code and report.
 */
function probe(node, peerId, genesis, block = 1, ask = 'header,body') {
  const { status, stdout, stderr } = spawnSync(PROBE,
    ['--node', node.multiaddr(peerId), '--genesis', genesis, '--block', String(block), '--ask', ask, '--timeout-ms', '10000'],
    { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(status, 2, stderr);
  return { status, report: JSON.parse(stdout.trim()) };
}

const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** The peer id of a node key, as `key inspect-node-key` reports it. */
function peerIdOf(nodeKeyHex, dir) {
  const file = path.join(dir, `node-key-${nodeKeyHex.slice(-2)}`);
  writeFileSync(file, nodeKeyHex);
  const { status, stdout, stderr } = runNodeCommand(['key', 'inspect-node-key', '--file', file]);
  assert.equal(status, 0, stderr);
  return stdout.trim();
}

describe('local network of four validators', () => {
  const work = tempDir('local');
  const nodes = {};
  /** Where a drill keeps a validator's backup, and the finalized height it holds. */
  const backup = path.join(work.dir, 'dave-backup');
  let backupAt;

  /** Bob's WebSocket p2p port: the public node's address for browsers' light clients. */
  let publicWsPort;

  before(async () => {
    const bootPort = await freePort();
    publicWsPort = await freePort();
    const bootnode = `/ip4/127.0.0.1/tcp/${bootPort}/p2p/${peerIdOf(devNodeKey(1), work.dir)}`;
    for (const [i, name] of VALIDATORS.entries()) {
      const boot = name === 'alice';
      nodes[name] = await Node.start({
        name,
        basePath: path.join(work.dir, name),
        p2pPort: boot ? bootPort : undefined,
        // The chain authorises the peer ids of development node keys 1 to 4.
        nodeKey: devNodeKey(i + 1),
        args: ['--chain', 'local', `--${name}`, ...(boot ? [] : ['--bootnodes', bootnode]),
          // The allow-list is the node's own task: no flag of a member's node turns it off.
          ...(name === 'dave' ? ['--offchain-worker', 'never'] : []),
          ...(name === 'bob' ? ['--serve-light-clients', '--listen-addr', `/ip4/127.0.0.1/tcp/${publicWsPort}/ws`] : [])],
      });
    }
  });

  after(async () => {
    await Promise.all(Object.values(nodes).map((n) => n.stop()));
    work.cleanup();
  });

  const running = () => Object.values(nodes).filter((n) => n.process.exitCode === null);

  async function allFinalizedAtLeast(group, height, timeout) {
    await waitFor(`${group.map((n) => n.name).join(', ')} to finalize #${height}`, async () => {
      const heights = await Promise.all(group.map((n) => n.finalizedNumber()));
      return heights.every((h) => h >= height);
    }, { timeout, interval: 1_000 });
  }

  it('runs Aura with GRANDPA by default and all four peer with each other', async () => {
    for (const node of Object.values(nodes)) {
      await waitFor(`${node.name} to see its three peers`, async () => (await node.rpc('system_health')).peers >= 3,
        { timeout: 60_000, interval: 1_000 });
    }
  });

  it('produces and finalizes blocks on every node', async () => {
    await allFinalizedAtLeast(Object.values(nodes), 4, 120_000);
    // Every node agrees on the finalized chain.
    const height = Math.min(...(await Promise.all(Object.values(nodes).map((n) => n.finalizedNumber()))));
    const hashes = new Set(await Promise.all(Object.values(nodes).map((n) => n.blockHash(height))));
    assert.equal(hashes.size, 1, `one block #${height} on all nodes`);
  });

  it('reports a watched transaction InBlock, then Finalized, under Aura and GRANDPA', async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const api = await nodes.alice.api();
    try {
      const statuses = await watchStatuses(
        api.tx.balances.transferKeepAlive(keyring.addFromUri('//Bob').address, UNIT), keyring.addFromUri('//Alice'),
      );
      assertInBlockThenFinalized(statuses);
    } finally {
      await api.disconnect();
    }
  });

  it('keeps finalizing with one validator stopped', async () => {
    await nodes.dave.stop();
    const from = await nodes.alice.finalizedNumber();
    await allFinalizedAtLeast(running(), from + 3, 90_000);
  });

  it('brings the restarted validator back to the same finalized head', async () => {
    await nodes.dave.launch();
    const target = await nodes.alice.finalizedNumber();
    await waitFor('dave to catch up', async () => (await nodes.dave.finalizedNumber()) >= target,
      { timeout: 90_000, interval: 1_000 });
    assert.equal(await nodes.dave.blockHash(target), await nodes.alice.blockHash(target));
    // And it takes part again: finality keeps advancing with all four.
    await allFinalizedAtLeast(Object.values(nodes), target + 3, 90_000);
  });

  it('drill: a validator killed with SIGKILL while importing restarts on its base path and loses nothing finalized', async () => {
    const before = await nodes.charlie.finalizedNumber();
    const hash = await nodes.charlie.blockHash(before);
    nodes.charlie.process.kill('SIGKILL');
    await nodes.charlie.exited;
    const restarted = Date.now();
    await nodes.charlie.launch();
    const back = await nodes.charlie.finalizedNumber();
    assert.ok(back >= before, `finalized #${back} after the restart, #${before} before the kill`);
    assert.equal(await nodes.charlie.blockHash(before), hash, 'the same finalized block');
    const target = await nodes.alice.finalizedNumber();
    await waitFor('charlie to catch up', async () => (await nodes.charlie.finalizedNumber()) >= target,
      { timeout: 90_000, interval: 500 });
    console.log(`drill: charlie killed at finalized #${before}, RPC back and #${back} finalized ` +
      `on its database, caught up with #${target} ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`);
    await allFinalizedAtLeast(Object.values(nodes), target + 2, 90_000);
  });

  it('drill: with two of four validators down finality stops; they come back and it resumes, without a fork', async () => {
    backupAt = await nodes.dave.finalizedNumber();
    await Promise.all([nodes.charlie.stop(), nodes.dave.stop()]);
    // The README's backup: the stopped node's base path, copied (restored in a later drill).
    cpSync(nodes.dave.basePath, backup, { recursive: true });
    const stoppedAt = Date.now();
    const stalled = await nodes.alice.finalizedNumber();
    const bestThen = await nodes.alice.bestNumber();
    // Aura goes on authoring in the live validators' slots; GRANDPA cannot reach two thirds.
    const authoredPast = (n) => waitFor(`block #${n} authored`, async () => (await nodes.alice.bestNumber()) >= n,
      { timeout: 60_000, interval: 500 });
    await authoredPast(bestThen + 2);
    const first = await nodes.alice.finalizedNumber();
    await authoredPast(bestThen + 5);
    const second = await nodes.alice.finalizedNumber();
    assert.equal(second, first, `finality stood at #${first} while blocks went on to #${bestThen + 5}`);
    assert.ok(first <= stalled + 2, 'beyond at most the round in flight when they stopped');
    await Promise.all([nodes.charlie.launch(), nodes.dave.launch()]);
    const best = await nodes.alice.bestNumber();
    await allFinalizedAtLeast(Object.values(nodes), best, 120_000);
    console.log(`drill: finality stood at #${stalled} with two validators down; ` +
      `it passed #${best} on all four ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after they stopped`);
    const hashes = new Set(await Promise.all(Object.values(nodes).map((n) => n.blockHash(best))));
    assert.equal(hashes.size, 1, `one block #${best} on all four: no fork`);
  });

  it('drill: a validator restored from a backup syncs on from where the backup was made', async () => {
    await nodes.dave.stop();
    rmSync(nodes.dave.basePath, { recursive: true, force: true });
    cpSync(backup, nodes.dave.basePath, { recursive: true });
    const target = await nodes.alice.finalizedNumber();
    assert.ok(backupAt < target, `the backup (#${backupAt}) is behind the network (#${target})`);
    const restarted = Date.now();
    await nodes.dave.launch();
    assert.ok((await nodes.dave.finalizedNumber()) >= backupAt, 'nothing of the backup lost');
    await waitFor('the restored dave to catch up', async () => (await nodes.dave.finalizedNumber()) >= target,
      { timeout: 90_000, interval: 500 });
    assert.equal(await nodes.dave.blockHash(target), await nodes.alice.blockHash(target));
    console.log(`drill: dave restored from a backup made at finalized #${backupAt}, caught up with #${target} ` +
      `${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`);
    await allFinalizedAtLeast(Object.values(nodes), (await nodes.alice.finalizedNumber()) + 2, 90_000);
  });

  it('drill: a validator whose database is lost warp-syncs back and validates on', async () => {
    // GRANDPA's finality proofs, then the state at the finalized block; sc-network starts a
    // warp sync with three peers, which the other three validators are.
    await nodes.dave.stop();
    rmSync(path.join(nodes.dave.basePath, 'chains'), { recursive: true, force: true });
    const args = nodes.dave.args;
    nodes.dave.args = [...args, '--sync', 'warp'];
    const started = Date.now();
    try {
      await nodes.dave.launch();
      const target = await nodes.alice.finalizedNumber();
      await waitFor(`dave to warp to #${target}`, async () => (await nodes.dave.finalizedNumber()) >= target,
        { timeout: 90_000, interval: 500 });
      // Its finalized head is the network's; the blocks below the warp target come in the
      // background, so an older height may not be there yet.
      const head = await nodes.dave.rpc('chain_getFinalizedHead');
      const height = parseInt((await nodes.dave.rpc('chain_getHeader', [head])).number, 16);
      assert.ok(height >= target);
      assert.equal(await nodes.alice.blockHash(height), head, 'dave finalized the network\'s block');
      assert.ok(readFileSync(path.join(nodes.dave.basePath, 'dave.log'), 'utf8').includes('Warp sync is complete'), 'it warp-synced');
      console.log(`drill: dave lost its database and warp-synced to #${target} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      nodes.dave.args = args;
    }
    await allFinalizedAtLeast(Object.values(nodes), (await nodes.alice.finalizedNumber()) + 2, 90_000);
  });

  it('drill: a dev node killed with SIGKILL while sealing restarts on its base path and loses nothing finalized', async () => {
    const dev = await Node.start({ name: 'killed-dev', args: ['--dev', '--consensus', 'manual-seal-500'] });
    try {
      await cryptoWaitReady();
      const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
      const api = await dev.api();
      const alice = keyring.addFromUri('//Alice');
      // Transfers keep the node importing when it is killed.
      let sending = true;
      const sender = (async () => {
        while (sending) {
          await api.tx.balances.transferKeepAlive(keyring.addFromUri('//Bob').address, UNIT).signAndSend(alice, { nonce: -1 })
            .catch(() => {});
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await waitFor('the dev node to finalize #10', async () => (await dev.finalizedNumber()) >= 10, { timeout: 60_000 });
      const before = await dev.finalizedNumber();
      const hash = await dev.blockHash(before);
      dev.process.kill('SIGKILL');
      sending = false;
      await dev.exited;
      await api.disconnect();
      await sender;
      const restarted = Date.now();
      await dev.launch();
      const back = await dev.finalizedNumber();
      assert.ok(back >= before, `finalized #${back} after the restart, #${before} before the kill`);
      assert.equal(await dev.blockHash(before), hash);
      console.log(`drill: dev node killed at finalized #${before}, RPC back with #${back} finalized ` +
        `${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`);
      await waitFor('the dev node to seal again', async () => (await dev.finalizedNumber()) > back, { timeout: 30_000 });
    } finally {
      await dev.destroy();
    }
  });

  /** How many peers `name`'s node has logged that it banned for being off the allow-list. */
  const bans = (name) => (readFileSync(path.join(nodes[name].basePath, `${name}.log`), 'utf8')
    .match(/banned peer 12D3KooW\w+: not on the consortium's allow-list/g) ?? []).length;

  it('answers no block request from a peer outside the allow-list, and bans it', async () => {
    const genesis = await nodes.alice.blockHash(0);
    const bansBefore = { alice: bans('alice'), dave: bans('dave') };
    for (const [i, name, ask] of [[1, 'alice', 'header,body'], [4, 'dave', 'header,body'], [1, 'alice', 'header,justification']]) {
      const { status, report } = probe(nodes[name], peerIdOf(devNodeKey(i), work.dir), genesis, 1, ask);
      assert.equal(status, 3, `${name}, asked for ${ask}: ${JSON.stringify(report)}`);
      assert.deepEqual([report.connected, report.answered, report.blocks], [true, false, null], `${name}: ${JSON.stringify(report)}`);
      // The node logs the ban once the gate has told its allow-list task: one more each time.
      await waitFor(`${name} to log the ban`, async () => bans(name) > bansBefore[name], { timeout: 10_000 });
      bansBefore[name] += 1;
    }
    // The same probe, against a development node (whose chain authorises no node), is answered:
    // the refusal above is the allow-list's, not the probe's.
    const dev = await startDevNode('open-dev');
    try {
      const devPeer = await dev.node.rpc('system_localPeerId');
      const { status, report } = probe(dev.node, devPeer, await dev.node.blockHash(0), 0);
      assert.equal(status, 0, JSON.stringify(report));
      assert.deepEqual([report.answered, report.blocks], [true, 1]);
    } finally {
      await dev.stop();
    }
    // The banned probe did not disturb the network.
    const from = await nodes.alice.finalizedNumber();
    await allFinalizedAtLeast(running(), from + 2, 60_000);
  });

  it('public node: gives a stranger headers and finality justifications, never block bodies, and bans nobody for asking', async () => {
    const genesis = await nodes.alice.blockHash(0);
    const bob = peerIdOf(devNodeKey(2), work.dir);
    const light = probe(nodes.bob, bob, genesis, 1, 'header,justification');
    assert.equal(light.status, 0, JSON.stringify(light.report));
    assert.ok(light.report.blocks >= 1, `headers answered: ${JSON.stringify(light.report)}`);
    const full = probe(nodes.bob, bob, genesis, 1, 'header,body');
    assert.equal(full.status, 3, `bodies refused: ${JSON.stringify(full.report)}`);
    assert.deepEqual([full.report.connected, full.report.answered], [true, false]);
    assert.equal(bans('bob'), 0, 'a light client that asks for a body keeps its peer');
    // A stranger that is a full node is not even taken as a peer (below).
  });

  it('public node: a patient\'s portal follows the four validators through it on its light client', async () => {
    await cryptoWaitReady();
    const keys = {};
    const accounts = {};
    const { cliOk, cli } = cliFor(() => nodes.bob.rpcUrl, keys);
    const HOSPITAL = 1;
    let vault;
    let browser;
    try {
      writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['charlie', '//Charlie'], ['bob', '//Bob'], ['vault', null]], { keys, accounts });
      const api = await nodes.bob.api();
      try {
        await submitOk(api, api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT),
          new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice'));
      } finally {
        await api.disconnect();
      }
      // The hospital's vault serves the portal with the chain spec whose only boot node is the
      // public node's WebSocket address: the one a browser can reach (the others are TCP only).
      const spec = JSON.parse(runNodeCommand(['build-spec', '--chain', 'local', '--raw']).stdout);
      const portal = portalForLightClients(path.join(work.dir, 'portal'), spec,
        `/ip4/127.0.0.1/tcp/${publicWsPort}/ws/p2p/${peerIdOf(devNodeKey(2), work.dir)}`);
      const url = `http://127.0.0.1:${await freePort()}`;
      cliOk('bob', ['register-vault', '--organisation', String(HOSPITAL), '--vault-key-file', keys.vault, '--endpoint', url]);
      vault = await startVault({ node: nodes.bob.rpcUrl, keyFile: keys.vault, dataDir: path.join(work.dir, 'vault'), url,
        args: ['--portal', portal, '--portal-node', nodes.bob.rpcUrl] });
      await aClinicianReadsAHeartRate({ cli, cliOk, accounts, dir: work.dir, custodian: HOSPITAL, bpm: 58 });
      const finalized = await nodes.alice.finalizedNumber();

      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${url}/portal/`);
      await signInWithPhrase(page, '//Ferdie');
      await page.getByTestId('signed-in').waitFor({ timeout: 120_000 });
      assert.equal(await page.locator('#mode').textContent(), 'Light client');
      const row = page.getByTestId('log-entry');
      await row.waitFor({ timeout: 120_000 });
      assert.match(await row.textContent(), new RegExp(`${short(accounts.charlie)}.*treatment.*organisation ${HOSPITAL}`));
      const header = await page.locator('#finalized').textContent();
      const [, shown] = header.match(/Finalized block #(\d+), verified by this page's light client/) ?? [];
      assert.ok(Number(shown) >= finalized, `the page verified the network's finality (#${shown}, the network #${finalized})`);
      assert.deepEqual(await seriousViolations(page), []);
      await shoot(page, 'patient-light-client-local-network');
      console.log(`public node: the portal's light client verified finalized #${shown} of the four-validator network through bob`);
    } finally {
      await browser?.close();
      await killVault(vault);
    }
  });

  it('refuses a node whose peer id it does not authorise, the public node too', async () => {
    const stranger = await Node.start({
      name: 'stranger',
      basePath: path.join(work.dir, 'stranger'),
      args: ['--chain', 'local', '--bootnodes', nodes.alice.multiaddr(peerIdOf(devNodeKey(1), work.dir)),
        '--bootnodes', nodes.bob.multiaddr(peerIdOf(devNodeKey(2), work.dir))],
    });
    try {
      const target = (await nodes.alice.bestNumber()) + 5;
      await allFinalizedAtLeast(Object.values(nodes), target, 60_000);
      assert.equal(await stranger.bestNumber(), 0, 'the stranger synced nothing');
      // Not even the public node, which takes light clients but no full node off the list.
      assert.equal((await stranger.rpc('system_health')).peers, 0, 'and has no peers');
    } finally {
      await stranger.destroy();
    }
  });
});
