// The node's command line: chain specs by name and by file, and the key subcommands.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CODE_KEY } from './lib/chain.js';
import { Node, runNodeCommand, tempDir } from './lib/node.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

describe('chain specs', () => {
  const work = tempDir('cli');
  after(() => work.cleanup());

  it('exports the local chain spec with its token properties', () => {
    const { status, stdout, stderr } = runNodeCommand(['export-chain-spec', '--chain', 'local']);
    assert.equal(status, 0, stderr);
    const spec = JSON.parse(stdout);
    assert.equal(spec.id, 'local_testnet');
    assert.equal(spec.name, 'HealthChain Local Testnet');
    assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'HCT' });
  });

  it('builds a raw chain spec with build-spec', () => {
    const { status, stdout, stderr } = runNodeCommand(['build-spec', '--chain', 'dev', '--raw']);
    assert.equal(status, 0, stderr);
    const spec = JSON.parse(stdout);
    assert.ok(spec.genesis.raw.top[CODE_KEY], 'genesis holds the runtime code');
  });

  it('starts a node from a chain-spec JSON file', async () => {
    const file = path.join(work.dir, 'dev.json');
    const exported = runNodeCommand(['export-chain-spec', '--chain', 'dev', '--output', file]);
    assert.equal(exported.status, 0, exported.stderr);
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    spec.name = 'Consortium Test';
    writeFileSync(file, JSON.stringify(spec));
    const node = await Node.start({ name: 'from-file', args: ['--chain', file, '--alice'] });
    try {
      assert.equal(await node.rpc('system_chain'), 'Consortium Test');
      assert.equal((await node.rpc('system_properties')).tokenSymbol, 'HCT');
    } finally {
      await node.destroy();
    }
  });

  const refusals = {
    'a missing file': [() => path.join(work.dir, 'missing.json'), /no chain spec '.*missing\.json'.*built-in chain \(dev, local\)/],
    'a malformed file': [() => { const f = path.join(work.dir, 'bad.json'); writeFileSync(f, '{"name": "x", '); return f; },
      /chain-spec file '.*bad\.json' is not a valid chain spec/],
    'an empty file': [() => { const f = path.join(work.dir, 'empty.json'); writeFileSync(f, ''); return f; },
      /chain-spec file '.*empty\.json' is not a valid chain spec/],
  };
  for (const [what, [make, message]] of Object.entries(refusals)) {
    it(`refuses ${what} with a clear error, not a panic`, () => {
      const { status, stderr } = runNodeCommand(['--chain', make(), '--tmp']);
      assert.notEqual(status, 0);
      assert.match(stderr, message);
      assert.ok(!stderr.includes('panicked'), stderr);
    });
  }
});

describe('key subcommands', () => {
  const work = tempDir('keys');
  after(() => work.cleanup());

  it('generates and inspects account keys', () => {
    const generated = runNodeCommand(['key', 'generate', '--output-type', 'json']);
    assert.equal(generated.status, 0, generated.stderr);
    const key = JSON.parse(generated.stdout);
    assert.equal(key.secretPhrase.split(' ').length, 12);
    const inspected = runNodeCommand(['key', 'inspect', '--output-type', 'json', key.secretPhrase]);
    assert.equal(JSON.parse(inspected.stdout).ss58Address, key.ss58Address);
    const alice = runNodeCommand(['key', 'inspect', '--output-type', 'json', '//Alice']);
    assert.equal(JSON.parse(alice.stdout).ss58Address, ALICE);
  });

  it('generates a node key and derives its peer id', () => {
    const file = path.join(work.dir, 'node-key');
    const generated = runNodeCommand(['key', 'generate-node-key', '--file', file]);
    assert.equal(generated.status, 0, generated.stderr);
    const inspected = runNodeCommand(['key', 'inspect-node-key', '--file', file]);
    assert.equal(inspected.status, 0, inspected.stderr);
    assert.match(inspected.stdout.trim(), /^12D3KooW\w+$/);
    assert.ok((generated.stdout + generated.stderr).includes(inspected.stdout.trim()), 'the same peer id');
  });
});
