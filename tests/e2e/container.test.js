// The container image (deploy/container, scripts/build-image) built and run with podman: its
// base made by debootstrap from the Debian mirror (no registry is reachable here), a dev node
// in it reached from the host, its state kept in a volume across containers, and a consortium
// validator started from its key files as read-only secrets, authoring blocks.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { devNodeKey, Node, NODE_BIN, runNodeCommand, tempDir, waitFor } from './lib/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const IMAGE = 'localhost/healthchain:e2e';
const BINARIES = path.dirname(NODE_BIN);

// podman's own settings for this test alone, in a scratch directory: this machine (a VM whose
// root lacks CAP_SYS_RESOURCE, with hybrid cgroups) refuses podman's default raised rlimits and
// crun's cgroup handling, so containers get lowered rlimits, runc and cgroupfs; images live in
// a scratch store that the test removes. An operator's podman needs none of this.
const scratch = tempDir('podman');
const config = path.join(scratch.dir, 'containers.conf');
const storage = path.join(scratch.dir, 'storage.conf');
// Set for this process, whose children (podman, scripts/build-image, the nodes started through
// Node.start's `via`) inherit them.
Object.assign(process.env, {
  CONTAINERS_CONF: config,
  CONTAINERS_STORAGE_CONF: storage,
  BUILDAH_ISOLATION: 'chroot',
  HC_CONTAINER_ENGINE: 'podman',
  HEALTHCHAIN_NODE: NODE_BIN,
  HEALTHCHAIN_VAULT: process.env.HEALTHCHAIN_VAULT ?? path.join(BINARIES, 'healthchain-vault'),
  HEALTHCHAIN_CLI: process.env.HEALTHCHAIN_CLI ?? path.join(BINARIES, 'healthchain'),
  HEALTHCHAIN_INDEXER: path.join(BINARIES, 'healthchain-indexer'),
});

function podman(args, { timeout = 120_000 } = {}) {
  return spawnSync('podman', args, { encoding: 'utf8', timeout });
}

/** `podman run --rm` of the image with the host's network: status, stdout, stderr. */
function runImage(args, options = []) {
  const result = podman(['run', '--rm', '--network', 'host', ...options, IMAGE, ...args]);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A node in a container, driven like any other test node (ports, name, listen address). */
// Sandboxed as deploy/README.md advises: a read-only image, no capabilities, no new privileges.
const SANDBOX = ['--read-only', '--cap-drop', 'all', '--security-opt', 'no-new-privileges'];

function inContainer(name, options, role, args) {
  return Node.start({
    name,
    via: { script: 'podman', args: ['run', '--rm', '--network', 'host', '--name', name, ...SANDBOX, ...options, IMAGE, role, ...args] },
  });
}

describe('the container image', { concurrency: false }, () => {
  before(() => {
    writeFileSync(config, [
      '[containers]',
      'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]',
      '[engine]',
      'cgroup_manager = "cgroupfs"',
      'runtime = "runc"',
      '',
    ].join('\n'));
    writeFileSync(storage, [
      '[storage]',
      'driver = "overlay"',
      `graphroot = "${path.join(scratch.dir, 'graph')}"`,
      `runroot = "${path.join(scratch.dir, 'run')}"`,
      '',
    ].join('\n'));
  });

  after(() => {
    podman(['rm', '--all', '--force']);
    scratch.cleanup();
  });

  it('is built by scripts/build-image from this checkout\'s binaries, and refuses bad arguments', () => {
    for (const [args, message] of [
      [['--tag'], '--tag needs a name'],
      [['--base', 'x', '--debootstrap'], '--base and --debootstrap exclude each other'],
      [['--bogus'], 'unknown argument --bogus'],
    ]) {
      const refused = spawnSync(path.join(ROOT, 'scripts', 'build-image'), args, { encoding: 'utf8' });
      assert.equal(refused.status, 2, args.join(' '));
      assert.match(refused.stderr, new RegExp(message.replace(/[-]/g, '\\-')));
    }
    const built = spawnSync(path.join(ROOT, 'scripts', 'build-image'), ['--debootstrap', '--tag', IMAGE],
      { encoding: 'utf8', timeout: 600_000 });
    assert.equal(built.status, 0, built.stderr);
    assert.match(built.stderr, /built localhost\/healthchain:e2e: \d+ MB/);

    const version = runImage(['node', '--version']);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), runNodeCommand(['--version']).stdout.trim(), 'the same node as on the host');
    const who = runImage([], ['--entrypoint', 'id']);
    assert.match(who.stdout, /^uid=10001\(healthchain\) gid=10001\(healthchain\)/, 'not root');
    const help = runImage(['help']);
    assert.equal(help.status, 0);
    for (const role of ['validator', 'rotate-keys', 'rpc-node', 'vault', 'indexer', 'node', 'cli']) {
      assert.match(help.stdout, new RegExp(`^  ${role} `, 'm'), role);
    }
  });

  it('says in one line what a role is missing', () => {
    const unknown = runImage(['bogus']);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr.trim(), "healthchain image: unknown role 'bogus' (validator, rotate-keys, rpc-node, vault, indexer, node, cli, help)");
    const noSpec = runImage(['validator']);
    assert.equal(noSpec.status, 2);
    assert.equal(noSpec.stderr.trim(), 'healthchain image: no chain spec at /etc/healthchain/chain-spec.json: mount the network\'s raw spec there (or set HC_CHAIN_SPEC)');
    const noKeys = runImage(['validator'], ['-e', 'HC_CHAIN_SPEC=/etc/hostname']);
    assert.equal(noKeys.status, 2);
    assert.match(noKeys.stderr, /^healthchain image: \/run\/secrets\/node-key is missing/);
  });

  it('runs a dev node that the host reaches, and keeps its chain in the volume across containers', async () => {
    const volume = tempDir('container-volume');
    mkdirSync(volume.dir, { recursive: true });
    assert.equal(spawnSync('chown', ['10001:10001', volume.dir]).status, 0);
    const options = ['-v', `${volume.dir}:/var/lib/healthchain`];
    const args = ['--dev', '--base-path', '/var/lib/healthchain/dev'];
    let node = await inContainer('container-dev', options, 'node', args);
    try {
      const api = await node.api();
      try {
        assert.equal((await api.rpc.system.chain()).toString(), 'HealthChain Development');
        // The dev node's instant seal: a transaction makes a block.
        await cryptoWaitReady();
        const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
        await api.tx.balances.transferKeepAlive('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty', 10n ** 12n)
          .signAndSend(alice);
        await waitFor('a block', async () => (await node.bestNumber()) >= 1);
      } finally {
        await api.disconnect();
      }
      const height = await node.bestNumber();
      await node.stop();
      node = await inContainer('container-dev-again', options, 'node', args);
      assert.ok(await node.bestNumber() >= height, 'the chain is the one in the volume');
    } finally {
      await node.stop();
      volume.cleanup();
    }
  });

  it('runs a consortium validator from its key files given as read-only secrets, and it authors blocks', async () => {
    const files = tempDir('container-validator');
    const keys = path.join(files.dir, 'validator');
    mkdirSync(keys, { recursive: true });
    const spec = path.join(files.dir, 'local-raw.json');
    writeFileSync(spec, runNodeCommand(['build-spec', '--chain', 'local', '--raw']).stdout);
    // Alice's validator/ folder: the node key the `local` spec authorises for her, her session
    // key files. Bob runs on the host: two of four validators author blocks.
    writeFileSync(path.join(keys, 'node-key'), devNodeKey(1));
    writeFileSync(path.join(keys, 'aura.secret'), '//Alice');
    writeFileSync(path.join(keys, 'grandpa.secret'), '//Alice');
    const state = path.join(files.dir, 'state');
    mkdirSync(state);
    assert.equal(spawnSync('chown', ['-R', '10001:10001', files.dir]).status, 0);
    const alicePeer = runNodeCommand(['key', 'inspect-node-key', '--file', path.join(keys, 'node-key')]).stdout.trim();
    const alice = await inContainer('container-validator', [
      '-v', `${spec}:/etc/healthchain/chain-spec.json:ro`,
      '-v', `${keys}:/run/secrets:ro`,
      '-v', `${state}:/var/lib/healthchain`,
    ], 'validator', []);
    let bob;
    let api;
    try {
      assert.equal(await alice.rpc('system_chain'), 'HealthChain Local Testnet');
      await cryptoWaitReady();
      const alicePair = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
      const aliceGrandpa = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
      assert.equal(await alice.rpc('author_hasKey', [u8aToHex(alicePair.publicKey), 'aura']), true, 'Aura key inserted from its file');
      assert.equal(await alice.rpc('author_hasKey', [u8aToHex(aliceGrandpa.publicKey), 'gran']), true, 'GRANDPA key inserted from its file');
      bob = await Node.start({
        name: 'host-bob',
        nodeKey: devNodeKey(2),
        args: ['--chain', spec, '--bob', '--bootnodes', alice.multiaddr(alicePeer)],
      });
      api = await alice.api();
      // A block whose Aura slot is Alice's (slot mod the authority count), authored in the container.
      await waitFor('a block authored by the validator in the container', async () => {
        const header = await api.rpc.chain.getHeader();
        if (header.number.toNumber() < 1) return false;
        const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
        const slot = api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
        const authorities = await (await api.at(header.hash)).query.aura.authorities();
        const author = authorities[Number(slot % BigInt(authorities.length))];
        return u8aToHex(author) === u8aToHex(alicePair.publicKey);
      }, { timeout: 90_000, interval: 500 });
      assert.ok((await bob.bestNumber()) >= 1, 'Bob, on the host, imports the container\'s blocks');
    } finally {
      await api?.disconnect();
      await bob?.destroy();
      await alice.stop();
      files.cleanup();
    }
  });
});
