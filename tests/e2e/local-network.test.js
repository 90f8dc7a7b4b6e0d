// The `local` chain: four Aura+GRANDPA validators on loopback, one stopped and restarted; a
// node whose peer id the chain does not authorise cannot join.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { assertInBlockThenFinalized, UNIT, watchStatuses } from './lib/chain.js';
import { devNodeKey, freePort, Node, runNodeCommand, tempDir, waitFor } from './lib/node.js';

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

  before(async () => {
    const bootPort = await freePort();
    const bootnode = `/ip4/127.0.0.1/tcp/${bootPort}/p2p/${peerIdOf(devNodeKey(1), work.dir)}`;
    for (const [i, name] of VALIDATORS.entries()) {
      const boot = name === 'alice';
      nodes[name] = await Node.start({
        name,
        basePath: path.join(work.dir, name),
        p2pPort: boot ? bootPort : undefined,
        // The chain authorises the peer ids of development node keys 1 to 4.
        nodeKey: devNodeKey(i + 1),
        args: ['--chain', 'local', `--${name}`, ...(boot ? [] : ['--bootnodes', bootnode])],
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

  it('refuses a node whose peer id it does not authorise', async () => {
    const stranger = await Node.start({
      name: 'stranger',
      basePath: path.join(work.dir, 'stranger'),
      args: ['--chain', 'local', '--bootnodes', nodes.alice.multiaddr(peerIdOf(devNodeKey(1), work.dir))],
    });
    try {
      const target = (await nodes.alice.bestNumber()) + 5;
      await allFinalizedAtLeast(Object.values(nodes), target, 60_000);
      assert.equal(await stranger.bestNumber(), 0, 'the stranger synced nothing');
      assert.equal((await stranger.rpc('system_health')).peers, 0, 'and has no peers');
    } finally {
      await stranger.destroy();
    }
  });
});
