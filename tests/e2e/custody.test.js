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
import { randomBytes } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { submitOk, UNIT } from './lib/chain.js';
import { freePort, NODE_BIN, startDevNode, tempDir, waitFor } from './lib/node.js';

const BIN_DIR = path.dirname(NODE_BIN);
const CLI = process.env.HEALTHCHAIN_CLI ?? path.join(BIN_DIR, 'healthchain');
const VAULT = process.env.HEALTHCHAIN_VAULT ?? path.join(BIN_DIR, 'healthchain-vault');
const HOSPITAL = 1;

/** Two byte arrays as one. */
function u8aConcatBytes(a, b) {
  return Buffer.concat([Buffer.from(a), Buffer.from(b)]);
}

/** Every file under `dir`, relative. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)));
}

describe('record custody through the vault and the CLI', () => {
  let dev;
  let keyring;
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

  /** The keyring pair of a key file (its secret phrase). */
  function pairOf(who) {
    return keyring.addFromUri(JSON.parse(readFileSync(keys[who], 'utf8')).secretPhrase);
  }

  /**
   * A request to the vault signed by `who` as the client library signs it (see the OpenAPI
   * document): `overrides` can set the time or the nonce, or send it again as it was.
   */
  function signedRequest(who, method, pathAndQuery, body = new Uint8Array(), overrides = {}) {
    const pair = pairOf(who);
    const time = String(overrides.time ?? Date.now());
    const nonce = overrides.nonce ?? randomBytes(16).toString('hex');
    const canonical = ['healthchain-vault-request/v1', u8aToHex(decodeAddress(accounts.vault)).slice(2), method, pathAndQuery,
      u8aToHex(blake2AsU8a(body, 256)).slice(2), time, nonce].join('\n');
    const headers = {
      'x-healthchain-account': pair.address,
      'x-healthchain-time': time,
      'x-healthchain-nonce': nonce,
      'x-healthchain-signature': u8aToHex(pair.sign(new TextEncoder().encode(canonical))).slice(2),
    };
    const send = () => fetch(`${vaultUrl}${pathAndQuery}`, { method, headers, body: method === 'GET' ? undefined : body });
    return { send, headers };
  }

  async function vaultStatus() {
    return (await fetch(`${vaultUrl}/v1/status`)).json();
  }

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('custody');
    dev = await startDevNode('custody');
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
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

  it('leaves on chain neither the document, its ciphertext nor a wrapped key: every block body, every block\'s events, the state', async () => {
    const { api } = dev;
    const objects = path.join(work.dir, 'vault', 'objects');
    const hash = cliOk('ferdie', ['record', 'list']).records.find((r) => r.record === record).contentHash;
    const held = filesUnder(objects).filter((f) => f.includes(hash));
    assert.equal(held.length, 3);
    const secrets = { 'the document': Buffer.from(observation), 'its marker': Buffer.from(JSON.parse(observation).note[0].text) };
    for (const file of held) secrets[file] = readFileSync(path.join(objects, file)).subarray(0, 64);
    const leaks = (bytes) => Object.entries(secrets).filter(([, secret]) => Buffer.from(bytes).includes(secret)).map(([name]) => name);
    const eventsKey = api.query.system.events.key();
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = 0; n <= best; n += 1) {
      const at = await api.rpc.chain.getBlockHash(n);
      const block = await api.rpc.chain.getBlock(at);
      for (const extrinsic of block.block.extrinsics) assert.deepEqual(leaks(extrinsic.toU8a()), [], `block #${n}'s body`);
      const events = await api.rpc.state.getStorage(eventsKey, at);
      assert.deepEqual(leaks(events.isSome ? events.unwrap().toU8a(true) : new Uint8Array()), [], `block #${n}'s events`);
    }
    let entries = 0;
    for (let start; ;) {
      const page = await api.rpc.state.getKeysPaged('0x', 1000, start);
      if (page.length === 0) break;
      for (const key of page) {
        const value = await api.rpc.state.getStorage(key);
        assert.deepEqual(leaks(u8aConcatBytes(key.toU8a(true), value.isSome ? value.unwrap().toU8a(true) : new Uint8Array())), [], `state ${key.toHex()}`);
        entries += 1;
      }
      start = page[page.length - 1];
    }
    assert.ok(entries > 50, `scanned ${entries} state entries and ${best + 1} blocks`);
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

  it('refuses signed requests that are replayed, stale, for an unknown record, or with a wrong hash, storing nothing', async () => {
    const objects = path.join(work.dir, 'vault', 'objects');
    const held = filesUnder(objects).length;
    const first = signedRequest('ferdie', 'GET', `/v1/records/${record}?purpose=PatientRequest`);
    assert.equal((await first.send()).status, 200, 'the patient reads its own record');
    const replay = await first.send();
    assert.equal(replay.status, 401);
    assert.match((await replay.json()).reason, /replayed/);
    const stale = await signedRequest('ferdie', 'GET', `/v1/records/${record}`, undefined, { time: Date.now() - 10 * 60_000 }).send();
    assert.equal(stale.status, 401);
    // Ten minutes old: outside the window, and before this vault started; either reason refuses it.
    assert.match((await stale.json()).reason, /ms away from the vault's clock|signed before the vault started/);
    const unknown = await signedRequest('ferdie', 'GET', '/v1/records/999999').send();
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error, 'UnknownRecord');
    const body = new TextEncoder().encode(JSON.stringify({
      patient: accounts.ferdie, recordType: 'Observation', authority: '0x00',
      ciphertext: Buffer.from('not what the hash says').toString('base64'), custodianKey: '', patientKey: '',
    }));
    const wrongHash = await signedRequest('ferdie', 'PUT', `/v1/uploads/${'ab'.repeat(32)}`, body).send();
    assert.equal(wrongHash.status, 422);
    assert.equal((await wrongHash.json()).error, 'ContentHashMismatch');
    // Headers signed for one path, sent to another: the signature does not cover it.
    const signedFor = signedRequest('ferdie', 'GET', `/v1/records/${record}`);
    const redirected = await fetch(`${vaultUrl}/v1/records/${record + 1}`, { headers: signedFor.headers });
    assert.equal(redirected.status, 401);
    assert.match((await redirected.json()).reason, /signature/);
    assert.equal(filesUnder(objects).length, held, 'nothing stored');
  });

  it('releases to an emergency practitioner after break-glass: logged as an emergency read, review pending', async () => {
    const file = path.join(work.dir, 'own-observation.json');
    writeFileSync(file, observation.replace('custody-e2e', 'patient-written'));
    const own = cliOk('ferdie', ['record', 'put', file, '--custodian', String(HOSPITAL), '--under', 'patient']);
    const refused = cli('charlie', ['record', 'get', String(own.record), '--purpose', 'Emergency']);
    assert.equal(refused.status, 1, 'no grant before the glass is broken');
    cliOk('charlie', ['break-glass', accounts.ferdie, '--organisation', String(HOSPITAL), '--reason', 'unresponsive']);
    const out = path.join(work.dir, 'emergency.json');
    cliOk('charlie', ['record', 'get', String(own.record), '--purpose', 'Emergency', '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(file, 'utf8'));
    const read = await waitFor('the emergency read on the log', async () => (await accessLog()).find((r) => r.record === own.record && r.emergency !== null),
      { timeout: 30_000, interval: 1_000 });
    assert.equal(read.purpose, 'Emergency');
    assert.equal(read.releasedBy, HOSPITAL);
    const access = (await dev.api.query.healthRecords.emergencyAccesses(read.emergency)).unwrap();
    assert.ok(access.review.isPending, 'the review stays pending');
  });

  it('logs after a crash every release it made: journalled before sending, logged once the vault can pay again', async () => {
    const file = path.join(work.dir, 'crash-observation.json');
    writeFileSync(file, observation.replace('custody-e2e', 'crash-drill'));
    const own = cliOk('ferdie', ['record', 'put', file, '--custodian', String(HOSPITAL), '--under', 'patient']);
    // The vault cannot pay for logReleases: its releases stay in its journal.
    const vaultPair = pairOf('vault');
    await submitOk(dev.api, dev.api.tx.balances.transferAll(accounts.bob, false), vaultPair);
    const before = (await accessLog()).length;
    const out = path.join(work.dir, 'crash-read.json');
    cliOk('charlie', ['record', 'get', String(own.record), '--purpose', 'Emergency', '--out', out]);
    await waitFor('the release to wait in the journal', async () => (await vaultStatus()).unloggedReleases === 1, { timeout: 15_000 });
    await stopVault(); // kill -9
    assert.equal((await accessLog()).length, before, 'not yet on the chain');
    await submitOk(dev.api, dev.api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT), keyring.addFromUri('//Alice'));
    await startVault();
    await waitFor('the journalled release on the log after the restart', async () => (await accessLog()).some((r) => r.record === own.record && r.reader === accounts.charlie),
      { timeout: 30_000, interval: 1_000 });
    assert.equal((await vaultStatus()).unloggedReleases, 0);
  });

  it('erases: the vault deletes every object, confirms on chain, and later reads get 410', async () => {
    const objects = path.join(work.dir, 'vault', 'objects');
    const hash = cliOk('ferdie', ['record', 'list']).records.find((r) => r.record === record).contentHash;
    const ofRecord = () => filesUnder(objects).filter((f) => f.includes(hash));
    assert.equal(ofRecord().length, 3, 'its ciphertext and two keys held');
    cliOk('ferdie', ['erase', String(record)]);
    await waitFor('the vault to confirm the erasure', async () => cliOk('ferdie', ['record', 'list']).records.find((r) => r.record === record).erasureConfirmed,
      { timeout: 60_000, interval: 1_000 });
    assert.deepEqual(ofRecord(), [], 'nothing of it left in the store');
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
    // A pack whose serial was never commissioned: do not dispense, exit 1, one line.
    const suspect = cli('charlie', ['verify-serial', '--gtin', '9506000134352', '--serial', 'NEVER-MADE-1']);
    assert.equal(suspect.status, 1, suspect.stderr);
    assert.match(suspect.stderr, /do not dispense: no such unit was ever commissioned/);
    const unreachable = spawnSync(CLI, ['--node', 'ws://127.0.0.1:1', '--key-file', keys.ferdie, 'log'], { encoding: 'utf8' });
    assert.equal(unreachable.status, 3);
    assert.match(unreachable.stderr, /^healthchain: the node at ws:\/\/127.0.0.1:1 cannot be reached/);
  });
});
