// A dry run of the README's launch guide on loopback: four organisations generate their keys
// (scripts/consortium-member), a chain spec is built from their public files
// (healthchain-node consortium-spec), their validators start (scripts/consortium-validator);
// the hospital runs its record vault beside its node (scripts/consortium-vault);
// then the council governs the running network with scripts/governance: a fifth organisation's
// node, refused until governance authorises its peer id, becomes a validator and authors
// blocks; a founding validator is removed and stops authoring; the runtime is upgraded. GRANDPA
// finality never stalls throughout.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { u8aToHex } from '@polkadot/util';
import WebSocket from 'ws';
import { Keyring } from '@polkadot/keyring';
import { base58Decode, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { describeDispatchError, findEvent, freeBalance, submitOk, UNIT } from './lib/chain.js';
import { freePort, Node, NODE_BIN, runNodeCommand, tempDir, waitFor } from './lib/node.js';
import { startTlsProxy } from './lib/nginx.js';
import { vaultServing } from './lib/vault.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache', 'healthchain', 'target');
/** The next release of the runtime: the same code with spec_version one higher. */
const NEXT_RUNTIME = path.join(targetDir, 'release', 'wbuild', 'healthchain-upgrade-rehearsal',
  'healthchain_upgrade_rehearsal.compact.compressed.wasm');
/** The vault and the CLI built beside the node under test, so that no script builds them. */
const BINARIES = {
  HEALTHCHAIN_VAULT: process.env.HEALTHCHAIN_VAULT ?? path.join(path.dirname(NODE_BIN), 'healthchain-vault'),
  HEALTHCHAIN_CLI: process.env.HEALTHCHAIN_CLI ?? path.join(path.dirname(NODE_BIN), 'healthchain'),
};

const FOUNDERS = [
  ['regulator', 'Health Authority', 'Regulator'],
  ['hospital', 'St Luke\'s Hospital', 'Hospital'],
  ['pharmacy', 'Riverside Pharmacy', 'Pharmacy'],
  ['manufacturer', 'Acme Pharmaceuticals', 'Manufacturer'],
];
/** Blocks per session in this network (the least a spec allows): a validator change shows within 20 seconds. */
const SESSION_LENGTH = 5;

/** Runs one of the scripts with the node under test; returns its standard output. */
function script(name, args) {
  const result = spawnSync(path.join(ROOT, 'scripts', name), args, {
    encoding: 'utf8', env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN, ...BINARIES }, timeout: 180_000,
  });
  if (result.error) throw result.error;
  assert.equal(result.status, 0, `scripts/${name} ${args.join(' ')}:\n${result.stderr}${result.stdout}`);
  return result.stdout.trim();
}

/** Runs one of the scripts like `script`, without blocking the others. */
function scriptInBackground(name, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'scripts', name), args, { env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output.trim())
      : reject(new Error(`scripts/${name} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('a consortium launched with the launch kit and governed by its council', () => {
  const work = tempDir('consortium');
  const spec = path.join(work.dir, 'consortium-raw.json');
  const members = {};
  const nodes = {};
  let api;
  let labAura;
  let watching = true;
  const stalls = [];
  let watcher;

  const dir = (name) => path.join(work.dir, name);
  /** Member `name`'s account key file: what signs its governance, kept off its validator host. */
  const keyFile = (name) => path.join(dir(name), 'secrets', 'account.json');
  /** scripts/governance against the regulator's node, signed by member `name`. */
  const governance = (name, ...args) => script('governance', ['--url', nodes.regulator.rpcUrl, '--key-file', keyFile(name), ...args]);

  /** Voting keys named by seats whose own key stays offline: member name -> key file. */
  const votingKeys = {};
  /** How member `name` signs a vote: its voting key for its seat if it named one, else its own key. */
  const voterArgs = (name) => (votingKeys[name]
    ? ['--key-file', votingKeys[name], '--as', members[name].account]
    : ['--key-file', keyFile(name)]);

  /** Every one of `ayes` votes for the motion `hash`, at the same time, as members would. */
  const voteFor = (hash, ayes) => Promise.all(ayes.map((voter) => scriptInBackground('governance',
    ['--url', nodes.regulator.rpcUrl, ...voterArgs(voter), 'vote', hash, 'aye'])));

  /** The first of `ayes` proposes `call` with `args`, all of `ayes` vote for it, it is closed. */
  async function motion(ayes, call, ...args) {
    const hash = governance(ayes[0], 'propose', String(ayes.length), call, ...args);
    await voteFor(hash, ayes);
    return governance(ayes[0], 'close', hash);
  }

  async function startValidator(name, bootnodes) {
    nodes[name] = await Node.start({
      name,
      basePath: dir(`${name}-node`),
      args: bootnodes.length ? ['--bootnodes', ...bootnodes] : [],
      // The validator host holds the member's validator/ folder only.
      via: { script: path.join(ROOT, 'scripts', 'consortium-validator'), args: [spec, path.join(dir(name), 'validator'), dir(`${name}-node`)] },
    });
    return nodes[name];
  }

  const bootnode = () => nodes.regulator.multiaddr(members.regulator.peerId);
  /** Every member lists several boot nodes: the regulator's and the hospital's. */
  const bootnodes = () => [bootnode(), nodes.hospital.multiaddr(members.hospital.peerId)];

  /** The Aura slot a block header was authored in. */
  const slotOf = (header) => {
    const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
    return api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
  };

  /**
   * The Aura key (hex) that authored each of the last `count` blocks, oldest first: the
   * authority of the block's slot among those of its parent.
   */
  async function recentAuthors(count) {
    const best = await nodes.regulator.bestNumber();
    const authors = [];
    for (let n = Math.max(1, best - count + 1); n <= best; n += 1) {
      const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(n));
      const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
      authors.push(authorities[Number(slotOf(header) % BigInt(authorities.length))].toHex());
    }
    return authors;
  }

  /**
   * The slots from block `from` to block `to` (numbers) in which an authority whose Aura key
   * (hex) is among `keys` should have authored a block and none was made.
   */
  async function missedSlots(from, to, keys) {
    const missed = [];
    let previous = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(from));
    for (let n = from + 1; n <= to; n += 1) {
      const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(n));
      const authorities = (await (await api.at(previous.hash)).query.aura.authorities()).map((a) => a.toHex());
      for (let slot = slotOf(previous) + 1n; slot < slotOf(header); slot += 1n) {
        if (keys.includes(authorities[Number(slot % BigInt(authorities.length))])) missed.push(slot);
      }
      previous = header;
    }
    return missed;
  }

  /** Stops `node`, removes its database (not its node key) and starts it again; when it started. */
  async function restartEmpty(node) {
    await node.stop();
    rmSync(path.join(node.basePath, 'chains'), { recursive: true, force: true });
    const started = Date.now();
    await node.launch();
    return started;
  }

  /** A member's Aura key, hex. */
  const auraKey = (name) => u8aToHex(decodeAddress(members[name].aura));

  async function sessionValidators() {
    return (await api.query.session.validators()).map((v) => v.toString());
  }

  before(async () => {
    for (const [name, organisation, kind] of FOUNDERS) {
      script('consortium-member', [dir(name), '--organisation', organisation, '--kind', kind]);
      members[name] = readJson(path.join(dir(name), 'member.json'));
    }
    const built = runNodeCommand([
      'consortium-spec', '--name', 'Loopback Consortium', '--id', 'loopback_consortium',
      '--session-length', String(SESSION_LENGTH), '--raw', '--output', spec,
      ...FOUNDERS.flatMap(([name]) => ['--member', path.join(dir(name), 'member.json')]),
    ]);
    assert.equal(built.status, 0, built.stderr);
    await startValidator('regulator', []);
    await startValidator('hospital', [bootnode()]);
    for (const [name] of FOUNDERS.slice(2)) await startValidator(name, bootnodes());
    api = await nodes.regulator.api();
    // Finality must never stall: the finalized head advances at least every 30 seconds.
    let last = { number: 0, at: Date.now() };
    watcher = (async () => {
      while (watching) {
        await new Promise((r) => setTimeout(r, 1_000));
        // The hospital's node: the regulator's is stopped in one of the tests.
        const number = await nodes.hospital.finalizedNumber().catch(() => last.number);
        if (number > last.number) last = { number, at: Date.now() };
        else if (Date.now() - last.at > 30_000 && !stalls.includes(last.number)) stalls.push(last.number);
      }
    })();
  });

  after(async () => {
    watching = false;
    await watcher;
    await api?.disconnect();
    await Promise.all(Object.values(nodes).map((n) => n.stop()));
    work.cleanup();
  });

  it('starts from the spec: four validators finalize blocks', async () => {
    await waitFor('all four founders to finalize #3', async () => {
      const heights = await Promise.all(Object.values(nodes).map((n) => n.finalizedNumber()));
      return heights.every((h) => h >= 3);
    }, { timeout: 120_000, interval: 1_000 });
    // The last founder to start may miss its first slots while it dials the others: wait for its turn
    // to come round rather than sampling the first few blocks once.
    let authors = new Set();
    await waitFor('every founder to author a block', async () => {
      authors = new Set(await recentAuthors(12));
      return FOUNDERS.every(([name]) => authors.has(auraKey(name)));
    }, { timeout: 60_000, interval: 2_000 }).catch(() => {});
    for (const [name] of FOUNDERS) assert.ok(authors.has(auraKey(name)), `${name} authors blocks`);
  });

  it('has a council of the founders, no sudo key, and the founders in the identity registry', async () => {
    assert.ok((await api.query.sudo.key()).isNone, 'no sudo key');
    const council = (await api.query.council.members()).map((a) => a.toString()).sort();
    assert.deepEqual(council, FOUNDERS.map(([name]) => members[name].account).sort());
    assert.equal((await api.query.consortiumNetwork.authorisedNodes.entries()).length, 4);
    for (const [id, [name, , kind]] of FOUNDERS.entries()) {
      const organisation = (await api.query.healthIdentity.organisations(id)).unwrap();
      assert.equal(organisation.kind.toString(), kind);
      assert.equal(organisation.admin.toString(), members[name].account);
    }
  });

  it('runs the hospital\'s record vault beside its node, under the key in the chain spec, without its account key', async () => {
    const port = await freePort();
    const listen = ['--organisation', '1', '--node', nodes.hospital.rpcUrl, '--listen', `127.0.0.1:${port}`];
    // The organisation registers the vault from its own machine; the vault host gets only the
    // encryption key and the vault's own key.
    script('consortium-vault', [dir('hospital'), ...listen, '--register-only']);
    const host = dir('hospital-vault-host');
    mkdirSync(path.join(host, 'secrets'), { recursive: true, mode: 0o700 });
    for (const file of ['encryption.pem', 'vault.json']) {
      copyFileSync(path.join(dir('hospital'), 'secrets', file), path.join(host, 'secrets', file));
    }
    const vault = spawn(path.join(ROOT, 'scripts', 'consortium-vault'), [host, ...listen], {
      env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN, ...BINARIES }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    vault.stdout.on('data', (d) => { output += d; });
    vault.stderr.on('data', (d) => { output += d; });
    const exited = new Promise((resolve) => vault.on('exit', resolve));
    try {
      const status = await vaultServing(`http://127.0.0.1:${port}`, {
        what: 'the hospital vault to be registered and serving', proc: vault, output: () => output,
        timeout: 120_000, interval: 1_000,
      });
      assert.equal(status.organisation, 1);
      assert.equal(status.account, readJson(path.join(host, 'secrets', 'vault.json')).account);
      assert.deepEqual(readdirSync(path.join(host, 'secrets')).sort(), ['encryption.pem', 'vault.json']);
      const registered = (await api.query.healthIdentity.recordVaults(1)).unwrap();
      assert.equal(registered.account.toString(), status.account);
      assert.equal(registered.endpoint.toUtf8(), `http://127.0.0.1:${port}`);
      // The vault opens records with the encryption key the member generated, whose public half
      // is the one in the chain spec: registering it left the organisation's key as it was.
      const hospital = (await api.query.healthIdentity.organisations(1)).unwrap();
      assert.equal(hospital.encryptionKey.toHex(), members.hospital.encryptionKey);
      assert.ok((await freeBalance(api, status.account)) > 0n, 'the vault can pay its fees');
    } finally {
      vault.kill('SIGTERM');
      await exited;
    }
  });

  it('keeps governance keys off the validator hosts and secrets off every command line', () => {
    for (const [name] of FOUNDERS) {
      const validatorDir = path.join(dir(name), 'validator');
      assert.deepEqual(readdirSync(validatorDir).sort(), ['aura.secret', 'grandpa.secret', 'node-key']);
      assert.equal(statSync(validatorDir).mode & 0o777, 0o700);
      for (const file of readdirSync(validatorDir)) assert.equal(statSync(path.join(validatorDir, file)).mode & 0o077, 0, file);
      assert.deepEqual(readdirSync(path.join(dir(name), 'secrets')).filter((f) => !f.startsWith('vault')).sort(),
        ['account.json', 'encryption.pem']);
      // The running validator's command line names the key files, never a secret.
      const cmdline = readFileSync(`/proc/${nodes[name].process.pid}/cmdline`, 'utf8');
      for (const file of ['aura.secret', 'grandpa.secret']) {
        const phrase = readFileSync(path.join(validatorDir, file), 'utf8').trim();
        assert.ok(phrase.split(' ').length >= 12, `${name}'s ${file} holds a secret phrase`);
        assert.ok(!cmdline.includes(phrase), `${name}'s node command line holds no secret`);
      }
      assert.ok(!cmdline.includes(readJson(keyFile(name)).secretPhrase));
    }
    // A member's whole folder is refused on a validator host.
    const refused = spawnSync(path.join(ROOT, 'scripts', 'consortium-validator'), [spec, dir('hospital'), dir('nowhere')],
      { encoding: 'utf8', env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN } });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /is a member's folder: give its validator\/ folder/);
  });

  it('refuses a node whose peer id governance has not authorised', async () => {
    script('consortium-member', [dir('laboratory'), '--organisation', 'Central Laboratory', '--kind', 'Laboratory',
      '--no-session-keys']);
    members.laboratory = readJson(path.join(dir('laboratory'), 'member.json'));
    assert.equal(members.laboratory.aura, undefined, 'a joining member has no session keys yet');
    const node = await startValidator('laboratory', bootnodes());
    const target = (await nodes.regulator.finalizedNumber()) + 5;
    await waitFor(`the network to finalize #${target}`, async () => (await nodes.regulator.finalizedNumber()) >= target,
      { timeout: 60_000, interval: 1_000 });
    assert.equal(await node.bestNumber(), 0, 'the laboratory synced nothing');
  });

  it('lets the node in once a council majority authorises it, and it syncs', async () => {
    assert.equal(await motion(['regulator', 'hospital', 'pharmacy'], 'consortiumNetwork.authoriseNode', `peer:${members.laboratory.peerId}`,
      members.laboratory.account), 'approved: Ok');
    await waitFor('the laboratory to sync', async () => {
      const [mine, theirs] = [await nodes.laboratory.bestNumber(), await nodes.regulator.bestNumber()];
      return mine > 0 && theirs - mine <= 2;
    }, { timeout: 90_000, interval: 1_000 });
    const height = await nodes.laboratory.finalizedNumber();
    assert.equal(await nodes.laboratory.blockHash(height), await nodes.regulator.blockHash(height));
  });

  it('serves applications from a public RPC node: safe methods only, limited connections', async () => {
    // The regulator's RPC node: its own node key, authorised by the council like any node.
    process.env.HC_RPC_MAX_CONNECTIONS = '3';
    try {
      nodes.publicRpc = await Node.start({
        name: 'public-rpc',
        basePath: dir('public-rpc'),
        args: ['--bootnodes', ...bootnodes()],
        via: { script: path.join(ROOT, 'scripts', 'consortium-rpc-node'), args: [spec, dir('public-rpc')] },
      });
    } finally {
      delete process.env.HC_RPC_MAX_CONNECTIONS;
    }
    const rpcNode = nodes.publicRpc;
    const peerId = await rpcNode.rpc('system_localPeerId');
    assert.equal(await rpcNode.bestNumber(), 0, 'refused until authorised');
    assert.equal(await motion(['regulator', 'hospital', 'pharmacy'], 'consortiumNetwork.authoriseNode', `peer:${peerId}`,
      members.regulator.account), 'approved: Ok');
    await waitFor('the RPC node to sync', async () => {
      const [mine, theirs] = [await rpcNode.finalizedNumber(), await nodes.regulator.finalizedNumber()];
      return mine > 0 && theirs - mine <= 2;
    }, { timeout: 90_000, interval: 1_000 });
    // Reads work; every unsafe method is refused, though the caller is on loopback.
    assert.match(await rpcNode.rpc('chain_getFinalizedHead'), /^0x[0-9a-f]{64}$/);
    for (const [method, params] of [['author_rotateKeys', []], ['author_insertKey', ['aura', '//Eve', '0x00']],
      ['system_addReservedPeer', [bootnode()]], ['author_rotateKeysWithOwner', ['0x' + '00'.repeat(32)]]]) {
      await assert.rejects(rpcNode.rpc(method, params), /unsafe to be called externally/, method);
    }
    // At most three connections at a time: a fourth is turned away.
    const open = (url) => new Promise((resolve) => {
      const socket = new WebSocket(url);
      socket.on('open', () => resolve({ socket, ok: true }));
      socket.on('error', () => resolve({ socket, ok: false }));
      socket.on('unexpected-response', (_, response) => resolve({ socket, ok: false, status: response.statusCode }));
    });
    const sockets = [];
    try {
      for (let i = 0; i < 3; i += 1) sockets.push(await open(rpcNode.rpcUrl));
      assert.deepEqual(sockets.map((s) => s.ok), [true, true, true]);
      const fourth = await open(rpcNode.rpcUrl);
      sockets.push(fourth);
      assert.equal(fourth.ok, false, 'the fourth connection is refused');
    } finally {
      for (const { socket } of sockets) socket.terminate();
    }
    // Behind the launch kit's nginx configuration, over TLS: the same answers, the same refusals.
    const proxy = await startTlsProxy(rpcNode.rpcPort);
    try {
      const socket = new WebSocket(proxy.url, { ca: proxy.ca });
      await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
      const call = (id, method, params = []) => new Promise((resolve) => {
        const onMessage = (data) => {
          const answer = JSON.parse(data);
          if (answer.id === id) {
            socket.off('message', onMessage);
            resolve(answer);
          }
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
      try {
        assert.equal((await call(1, 'chain_getFinalizedHead')).result.length, 66);
        assert.match((await call(2, 'author_rotateKeys')).error.message, /unsafe to be called externally/);
      } finally {
        socket.terminate();
      }
      // A client that does not trust the certificate gets nothing.
      const untrusting = new WebSocket(proxy.url);
      await assert.rejects(new Promise((resolve, reject) => { untrusting.on('open', resolve); untrusting.on('error', reject); }),
        /self[- ]signed|certificate/i);
    } finally {
      await proxy.stop();
    }
  });

  it('keeps a council seat\'s key offline: a voting key votes for the seat and can do nothing else', async () => {
    // The pharmacy makes a voting key; its seat's own key names it once, then goes offline.
    const file = path.join(dir('pharmacy'), 'voting-key.json');
    const generated = runNodeCommand(['key', 'generate', '--scheme', 'sr25519', '--output-type', 'json']);
    assert.equal(generated.status, 0, generated.stderr);
    writeFileSync(file, generated.stdout, { mode: 0o600 });
    const { ss58Address: voting, secretPhrase } = readJson(file);
    const seat = members.pharmacy.account;
    assert.equal(governance('pharmacy', 'add-voting-key', voting), `${voting} votes for this seat (Governance proxy)`);
    assert.equal(governance('pharmacy', 'voting-keys'), `${voting} Governance`);
    governance('regulator', 'transfer', voting, '10');
    votingKeys.pharmacy = file;
    // The voting key cannot touch the seat's funds: the proxy refuses everything but governance.
    await cryptoWaitReady();
    const key = new Keyring({ type: 'sr25519' }).addFromUri(secretPhrase);
    const seatFunds = await freeBalance(api, seat);
    const { events } = await submitOk(api, api.tx.proxy.proxy(seat, null, api.tx.balances.transferKeepAlive(voting, 5n * UNIT)), key);
    const executed = findEvent(events, 'proxy', 'ProxyExecuted');
    assert.equal(describeDispatchError(api, executed.data.result.asErr), 'system.CallFiltered');
    assert.equal(await freeBalance(api, seat), seatFunds);
    // The tool refuses to sign the seat's own business with a voting key.
    const refused = spawnSync(path.join(ROOT, 'scripts', 'governance'),
      ['--url', nodes.regulator.rpcUrl, ...voterArgs('pharmacy'), 'add-voting-key', voting],
      { encoding: 'utf8', env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN } });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--as goes with propose, vote, close, whitelist-upgrade, apply-upgrade/);
    // The pharmacy's votes in the motions below go through this key (see voterArgs).
  });

  it('makes it a validator by a council motion, after which it authors blocks', async () => {
    const lab = members.laboratory.account;
    governance('regulator', 'transfer', lab, '100');
    // The laboratory's validator host makes the keys through its node's local RPC; the
    // organisation registers them with its account key, kept elsewhere.
    const rotated = script('consortium-validator', ['rotate-keys', lab, String(nodes.laboratory.rpcPort)]);
    const keysFile = path.join(work.dir, 'laboratory-session-keys.json');
    writeFileSync(keysFile, rotated);
    const keys = governance('laboratory', 'set-keys', '--keys', keysFile);
    assert.equal(keys, JSON.parse(rotated).keys);
    // The session keys are Aura's 32 bytes, then GRANDPA's.
    labAura = keys.slice(0, 2 + 64);
    // Three ayes of the four seats: the pharmacy's, cast by its voting key, is one of them.
    assert.equal(await motion(['hospital', 'pharmacy', 'manufacturer'], 'consortiumNetwork.addValidator', lab),
      'approved: Ok');
    await waitFor('the laboratory to join the session validators', async () => (await sessionValidators()).includes(lab),
      { timeout: 90_000, interval: 2_000 });
    await waitFor('a block authored by the laboratory', async () => (await recentAuthors(10)).includes(labAura),
      { timeout: 60_000, interval: 2_000 });
    const grandpa = await api.query.grandpa.authorities();
    assert.equal(grandpa.length, 5, 'and it votes in GRANDPA');
  });

  it('removes a founding validator by a council motion, after which it stops authoring', async () => {
    const manufacturer = members.manufacturer.account;
    assert.equal(await motion(['regulator', 'hospital', 'pharmacy'], 'consortiumNetwork.removeValidator', manufacturer),
      'approved: Ok');
    await waitFor('the manufacturer to leave the session validators',
      async () => !(await sessionValidators()).includes(manufacturer), { timeout: 90_000, interval: 2_000 });
    // Two sessions of blocks from the change on, and none of them the manufacturer's.
    const from = await nodes.regulator.bestNumber();
    await waitFor(`block #${from + 2 * SESSION_LENGTH}`, async () => (await nodes.regulator.bestNumber()) >= from + 2 * SESSION_LENGTH,
      { timeout: 120_000, interval: 1_000 });
    const authors = await recentAuthors(2 * SESSION_LENGTH);
    assert.ok(!authors.includes(auraKey('manufacturer')), `the manufacturer authored none of ${authors.length} blocks`);
    assert.ok(authors.includes(labAura), 'the laboratory still authors');
    assert.equal((await api.query.grandpa.authorities()).length, 4);
  });

  it('rotates a validator\'s session keys with no gap in its authoring, then its node key', { timeout: 300_000 }, async () => {
    const lab = members.laboratory.account;
    const validatorDir = path.join(dir('laboratory'), 'validator');
    // Session keys: new ones from the validator's node, registered with the organisation's key;
    // the old ones sign until the new ones apply, two session boundaries on.
    const from = await nodes.regulator.bestNumber();
    const rotated = script('consortium-validator', ['rotate-keys', lab, String(nodes.laboratory.rpcPort)]);
    const keysFile = path.join(work.dir, 'laboratory-session-keys-2.json');
    writeFileSync(keysFile, rotated);
    const newAura = governance('laboratory', 'set-keys', '--keys', keysFile).slice(0, 2 + 64);
    assert.notEqual(newAura, labAura);
    await waitFor('a block authored with the laboratory\'s new key', async () => (await recentAuthors(10)).includes(newAura),
      { timeout: 120_000, interval: 2_000 });
    const to = await nodes.regulator.bestNumber();
    const missed = await missedSlots(from, to, [labAura, newAura]);
    console.log(`drill: session keys rotated over blocks #${from}..#${to}; slots the laboratory missed: ${missed.length}`);
    // A gap from the change would cost every slot of the laboratory's for a session (two or
    // three); one slot is what a loaded two-core machine may miss at any time.
    assert.ok(missed.length <= 1, `the laboratory kept authoring across the change; it missed slots ${missed.join(', ')}`);
    labAura = newAura;

    // The node key: the next one authorised first, then the validator restarts with it, then
    // the old peer id is revoked.
    const next = script('consortium-validator', ['rotate-node-key', validatorDir]);
    assert.match(next, /^12D3KooW/);
    assert.equal(await motion(['regulator', 'hospital', 'pharmacy'], 'consortiumNetwork.authoriseNode', `peer:${next}`, lab),
      'approved: Ok');
    const old = script('consortium-validator', ['rotate-node-key', validatorDir, '--switch']);
    assert.equal(old, members.laboratory.peerId);
    await nodes.laboratory.stop();
    await nodes.laboratory.launch();
    assert.equal(await nodes.laboratory.rpc('system_localPeerId'), next);
    const restarted = await nodes.regulator.bestNumber();
    await waitFor('a block the laboratory authored under its new peer id', async () => {
      const best = await nodes.regulator.bestNumber();
      return best > restarted && (await recentAuthors(best - restarted)).includes(labAura);
    }, { timeout: 90_000, interval: 2_000 });
    assert.equal(await motion(['regulator', 'hospital', 'pharmacy'], 'consortiumNetwork.revokeNode', `peer:${old}`),
      'approved: Ok');
    const authorised = (await api.query.consortiumNetwork.authorisedNodes.keys()).length;
    assert.ok((await api.query.consortiumNetwork.authorisedNodes(u8aToHex(base58Decode(next)))).isSome, 'the new peer id is authorised');
    assert.ok((await api.query.consortiumNetwork.authorisedNodes(u8aToHex(base58Decode(old)))).isNone, 'the old one is revoked');
    console.log(`drill: node key rotated, ${authorised} nodes authorised`);
  });

  it('upgrades the runtime by governance: the spec version goes up and the state stays', async () => {
    const before = {
      version: (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(),
      council: (await api.query.council.members()).toString(),
      validators: (await api.query.consortiumNetwork.validators()).toString(),
      labBalance: await freeBalance(api, members.laboratory.account),
      organisations: (await api.query.healthIdentity.nextOrganisationId()).toNumber(),
    };
    const hash = governance('regulator', 'whitelist-upgrade', NEXT_RUNTIME);
    await voteFor(hash, ['regulator', 'hospital', 'pharmacy']);
    assert.equal(governance('regulator', 'close', hash), 'approved: Ok');
    governance('hospital', 'apply-upgrade', NEXT_RUNTIME);
    for (const node of Object.values(nodes)) {
      await waitFor(`${node.name} to run spec version ${before.version + 1}`,
        async () => (await node.rpc('state_getRuntimeVersion')).specVersion === before.version + 1,
        { timeout: 60_000, interval: 1_000 });
    }
    const upgradedAt = await nodes.regulator.bestNumber();
    await waitFor('blocks finalized after the upgrade', async () => (await nodes.regulator.finalizedNumber()) >= upgradedAt + 3,
      { timeout: 60_000, interval: 1_000 });
    assert.equal((await api.query.council.members()).toString(), before.council);
    assert.equal((await api.query.consortiumNetwork.validators()).toString(), before.validators);
    assert.equal(await freeBalance(api, members.laboratory.account), before.labBalance);
    assert.equal((await api.query.healthIdentity.nextOrganisationId()).toNumber(), before.organisations);
  });

  it('keeps finalizing without its first boot node, and a node started then still joins', async () => {
    await nodes.regulator.stop();
    try {
      const from = await nodes.hospital.finalizedNumber();
      await waitFor(`finality past #${from + 3} without the regulator`, async () => (await nodes.hospital.finalizedNumber()) >= from + 3,
        { timeout: 90_000, interval: 1_000 });
      // The public RPC node starts again from an empty database; its first boot node is down.
      const started = await restartEmpty(nodes.publicRpc);
      const target = await nodes.hospital.finalizedNumber();
      await waitFor(`the RPC node to sync to #${target} through the hospital`,
        async () => (await nodes.publicRpc.finalizedNumber()) >= target, { timeout: 120_000, interval: 1_000 });
      assert.equal(await nodes.publicRpc.blockHash(target), await nodes.hospital.blockHash(target));
      console.log(`drill: the first boot node down, a node synced ${target} blocks from an empty database in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s through the second`);
    } finally {
      await nodes.regulator.launch();
    }
    const target = await nodes.hospital.finalizedNumber();
    await waitFor('the regulator to catch up', async () => (await nodes.regulator.finalizedNumber()) >= target,
      { timeout: 90_000, interval: 1_000 });
  });

  it('never stalled finality', () => {
    assert.deepEqual(stalls, [], 'finalized heads at which finality stood still for over 30 s');
  });
});

describe('healthchain-node consortium-spec', () => {
  const work = tempDir('consortium-spec');
  after(() => work.cleanup());

  it('refuses member files that are wrong, naming the file and the field', () => {
    script('consortium-member', [path.join(work.dir, 'a'), '--organisation', 'A', '--kind', 'Hospital']);
    const good = readJson(path.join(work.dir, 'a', 'member.json'));
    const cases = [
      [{ ...good, account: 'not-an-address' }, /`account` 'not-an-address' is not an SS58 address/],
      [{ ...good, grandpa: undefined }, /needs both `aura` and `grandpa`/],
      [{ ...good, peerId: 'Qm' }, /`peerId` 'Qm' is not a peer id/],
      [{ ...good, encryptionKey: '0x12' }, /`encryptionKey` '0x12' is not 32 bytes of hex/],
      [{ ...good, kind: 'Spa' }, /unknown variant `Spa`/],
    ];
    for (const [member, message] of cases) {
      const file = path.join(work.dir, 'bad.json');
      writeFileSync(file, JSON.stringify(member)); // fields set to undefined are left out
      const { status, stderr } = runNodeCommand(['consortium-spec', '--member', file]);
      assert.notEqual(status, 0);
      assert.match(stderr, message);
      assert.match(stderr, /member file '.*bad\.json'/);
    }
    const twice = runNodeCommand(['consortium-spec', '--member', path.join(work.dir, 'a', 'member.json'),
      '--member', path.join(work.dir, 'a', 'member.json')]);
    assert.match(twice.stderr, /two members have the same account/);
    const short = runNodeCommand(['consortium-spec', '--member', path.join(work.dir, 'a', 'member.json'),
      '--session-length', '1']);
    assert.match(short.stderr, /--session-length must be at least 5 blocks/);
    // One validator is below the default floor of four, at which no single organisation can
    // stall finality; an operator may lower it, knowingly.
    const one = path.join(work.dir, 'a', 'member.json');
    const lone = runNodeCommand(['consortium-spec', '--member', one]);
    assert.notEqual(lone.status, 0);
    assert.match(lone.stderr, /1 members run a validator, fewer than the floor of 4 \(--min-validators\)/);
    const lowered = runNodeCommand(['consortium-spec', '--member', one, '--min-validators', '1']);
    assert.equal(lowered.status, 0, lowered.stderr);
    assert.equal(JSON.parse(lowered.stdout).genesis.runtimeGenesis.patch.consortiumNetwork.minValidators, 1);
  });

  it('refuses to overwrite a member\'s keys', () => {
    const again = spawnSync(path.join(ROOT, 'scripts', 'consortium-member'),
      [path.join(work.dir, 'a'), '--organisation', 'A', '--kind', 'Hospital'],
      { encoding: 'utf8', env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN } });
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /keys are never overwritten/);
  });
});
