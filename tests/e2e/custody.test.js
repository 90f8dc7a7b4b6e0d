// Record custody end to end, with real processes: a dev node, the hospital's vault
// (healthchain-vault, filesystem store) and the `healthchain` CLI. A practitioner writes a FHIR
// Observation into the hospital's vault under the patient's grant; reads it back byte for byte,
// logged on the patient's access log by the vault; a member without a grant, and the
// practitioner after revocation, are refused with nothing released; erasure deletes every
// object from the vault's store, the vault confirms on chain, and later reads get 410. The
// vault's HTTP boundary refuses unsigned, oversize and unknown requests with a status and a
// reason.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { submitOk, UNIT } from './lib/chain.js';
import { freePort, NODE_BIN, startDevNode, tempDir, waitFor } from './lib/node.js';

const BIN_DIR = path.dirname(NODE_BIN);
const CLI = process.env.HEALTHCHAIN_CLI ?? path.join(BIN_DIR, 'healthchain');
const VAULT = process.env.HEALTHCHAIN_VAULT ?? path.join(BIN_DIR, 'healthchain-vault');
const HOSPITAL = 1;

/** Every file under `dir`, relative. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)));
}

describe('record custody through the vault and the CLI', () => {
  let dev;
  let work;
  let vault; // the vault process
  let vaultUrl;
  const keys = {};
  const accounts = {};
  const observation = JSON.stringify({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }] },
    valueQuantity: { value: 7.9, unit: '%' },
    note: [{ text: `custody-e2e-${Date.now()}` }],
  }, null, 2);
  let record;

  /** Runs the CLI as `who`; `{ status, json, stderr }`. */
  function cli(who, args) {
    const result = spawnSync(CLI, ['--node', dev.node.rpcUrl, '--key-file', keys[who], '--output', 'json', ...args], {
      encoding: 'utf8', timeout: 120_000,
    });
    if (result.error) throw result.error;
    let json = null;
    try { json = JSON.parse(result.stdout); } catch { /* not JSON: left null */ }
    return { status: result.status, json, stdout: result.stdout, stderr: result.stderr.trim() };
  }

  function cliOk(who, args) {
    const result = cli(who, args);
    assert.equal(result.status, 0, `healthchain ${args.join(' ')} as ${who}: ${result.stderr}`);
    return result.json;
  }

  async function startVault() {
    const port = Number(new URL(vaultUrl).port);
    vault = spawn(VAULT, ['--node', dev.node.rpcUrl, '--key-file', keys.vault, '--data-dir', path.join(work.dir, 'vault'),
      '--listen', `127.0.0.1:${port}`, '--max-upload', String(1024 * 1024)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    vault.stdout.on('data', (d) => output.push(String(d)));
    vault.stderr.on('data', (d) => output.push(String(d)));
    vault.output = output;
    await waitFor('the vault to listen', async () => (await fetch(`${vaultUrl}/v1/status`)).ok, { timeout: 30_000 });
  }

  async function stopVault() {
    if (!vault || vault.exitCode !== null) return;
    const exited = new Promise((resolve) => vault.once('exit', resolve));
    vault.kill('SIGKILL');
    await exited;
  }

  async function accessLog() {
    return cliOk('ferdie', ['log']).reads;
  }

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('custody');
    dev = await startDevNode('custody');
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    for (const [who, phrase] of [['ferdie', '//Ferdie'], ['charlie', '//Charlie'], ['bob', '//Bob'], ['dave', '//Dave'], ['vault', null]]) {
      keys[who] = path.join(work.dir, `${who}.key`);
      const made = spawnSync(CLI, ['--output', 'json', 'key', 'new', '--out', keys[who], ...(phrase ? ['--phrase', phrase] : [])], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      accounts[who] = JSON.parse(made.stdout).account;
    }
    // The vault's account pays for the access log it writes.
    await submitOk(dev.api, dev.api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT), keyring.addFromUri('//Alice'));
    vaultUrl = `http://127.0.0.1:${await freePort()}`;
    cliOk('bob', ['register-vault', '--organisation', String(HOSPITAL), '--vault-key-file', keys.vault, '--endpoint', vaultUrl]);
    await startVault();
    // The patient's and the practitioners' encryption keys go on chain.
    cliOk('ferdie', ['key', 'publish', 'patient']);
    cliOk('charlie', ['key', 'publish', 'staff']);
    cliOk('dave', ['key', 'publish', 'staff']);
  });

  after(async () => {
    await stopVault();
    await dev?.stop();
    work?.cleanup();
  });

  it('lets a practitioner write under the patient grant and read back the exact bytes, logged by the vault', async () => {
    cliOk('ferdie', ['grant', accounts.charlie, '--types', 'Observation', '--access', 'write', '--days', '30']);
    const file = path.join(work.dir, 'observation.json');
    writeFileSync(file, observation);
    const put = cliOk('charlie', ['record', 'put', file, '--patient', accounts.ferdie, '--custodian', String(HOSPITAL)]);
    record = put.record;
    assert.equal(put.recordType, 'Observation');
    assert.equal(put.custodian, HOSPITAL);
    const out = path.join(work.dir, 'read.json');
    cliOk('charlie', ['record', 'get', String(record), '--purpose', 'Treatment', '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), observation, 'the exact bytes');
    await waitFor('the read on the access log', async () => (await accessLog()).some((r) => r.record === record && r.reader === accounts.charlie),
      { timeout: 30_000, interval: 1_000 });
    const read = (await accessLog()).find((r) => r.record === record);
    assert.equal(read.releasedBy, HOSPITAL, 'logged by the custodian');
    assert.equal(read.purpose, 'Treatment');
    // The patient reads its own record; that is not logged.
    const own = path.join(work.dir, 'own.json');
    cliOk('ferdie', ['record', 'get', String(record), '--out', own]);
    assert.equal(readFileSync(own, 'utf8'), observation);
    const listed = cliOk('ferdie', ['record', 'list']).records;
    assert.deepEqual(listed.map((r) => [r.record, r.type, r.custodian]), [[record, 'Observation', HOSPITAL]]);
  });

  it('refuses a member without a grant, and the practitioner after revocation: nothing released or logged', async () => {
    const before = (await accessLog()).length;
    const dave = cli('dave', ['record', 'get', String(record)]);
    assert.equal(dave.status, 1, dave.stderr);
    assert.match(dave.stderr, /403/);
    assert.equal(dave.json, null, 'nothing on standard output');
    cliOk('ferdie', ['revoke', accounts.charlie]);
    const charlie = cli('charlie', ['record', 'get', String(record)]);
    assert.equal(charlie.status, 1);
    assert.match(charlie.stderr, /403/);
    assert.equal((await accessLog()).length, before, 'no read logged');
  });

  it('refuses unsigned, oversize and unknown requests at the HTTP boundary with a status and a reason', async () => {
    const unsigned = await fetch(`${vaultUrl}/v1/records/${record}`);
    assert.equal(unsigned.status, 401);
    assert.match((await unsigned.json()).reason, /not signed/);
    const oversize = await fetch(`${vaultUrl}/v1/uploads/${'00'.repeat(32)}`, { method: 'PUT', body: new Uint8Array(2 * 1024 * 1024) });
    assert.equal(oversize.status, 413);
    const unknown = await fetch(`${vaultUrl}/v2/anything`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error, 'NoSuchPath');
    const openapi = await (await fetch(`${vaultUrl}/openapi.json`)).json();
    assert.ok(openapi.paths['/v1/records/{record}'].get, 'the API describes itself');
  });

  it('erases: the vault deletes every object, confirms on chain, and later reads get 410', async () => {
    const objects = path.join(work.dir, 'vault', 'objects');
    assert.ok(filesUnder(objects).length >= 3, 'ciphertext and two keys held');
    cliOk('ferdie', ['erase', String(record)]);
    await waitFor('the vault to confirm the erasure', async () => cliOk('ferdie', ['record', 'list']).records.find((r) => r.record === record).erasureConfirmed,
      { timeout: 60_000, interval: 1_000 });
    assert.deepEqual(filesUnder(objects), [], 'nothing left in the store');
    const gone = cli('ferdie', ['record', 'get', String(record)]);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /410|RecordErased/);
  });

  it('fails the CLI with one line and exit 2 on bad input, 3 when the node is unreachable', () => {
    const notFhir = path.join(work.dir, 'not-fhir.json');
    writeFileSync(notFhir, '{"hello":"world"}');
    const bad = cli('charlie', ['record', 'put', notFhir, '--patient', accounts.ferdie, '--custodian', String(HOSPITAL)]);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.split('\n').length, 1);
    assert.match(bad.stderr, /resourceType/);
    const unreachable = spawnSync(CLI, ['--node', 'ws://127.0.0.1:1', '--key-file', keys.ferdie, 'log'], { encoding: 'utf8' });
    assert.equal(unreachable.status, 3);
    assert.match(unreachable.stderr, /^healthchain: the node at ws:\/\/127.0.0.1:1 cannot be reached/);
  });
});
