// Record custody end to end, with real processes: a dev node, the hospital's and a laboratory's
// vaults (healthchain-vault, filesystem stores), a clinic's vault on a real S3-compatible server
// (s3s-fs, installed by scripts/test) and the `healthchain` CLI. A practitioner writes a FHIR
// Observation into the hospital's vault under the patient's grant; reads it back byte for byte,
// logged on the patient's access log by the vault; a member without a grant, and the
// practitioner after revocation, are refused with nothing released; erasure deletes every
// object from the vault's store, the vault confirms on chain, and later reads get 410. The
// vault's HTTP boundary refuses unsigned, oversize and unknown requests with a status and a
// reason.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { findOnChain, submitOk, UNIT } from './lib/chain.js';
import { passMotion } from './lib/governance.js';
import { freePort, startDevNode, tempDir, waitFor } from './lib/node.js';
import { cliFor, CLI, newKeyFile, writeKeyFiles } from './lib/cli.js';
import { killVault, startVault as startVaultProcess } from './lib/vault.js';

const S3_SERVER = process.env.HEALTHCHAIN_S3_SERVER ?? path.join(process.env.HOME, '.cache', 'healthchain', 'tools', 'bin', 's3s-fs');
const HOSPITAL = 1;
const S3_BUCKET = 'clinic-records';

/** Every file under `dir`, relative. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)));
}

/**
 * One HTTP request on a connection of its own. fetch's pooled keep-alive connections may send
 * a request again when a pooled socket turns out closed, which a vault rightly refuses as a
 * replay: these tests must send each signed request exactly as many times as they mean to.
 */
function sendOnce(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const answer = {
          status: response.statusCode,
          ok: response.statusCode >= 200 && response.statusCode < 300,
          text: async () => text,
          json: async () => JSON.parse(text),
          clone: () => answer,
        };
        resolve(answer);
      });
    });
    request.on('error', reject);
    request.end(body === undefined ? undefined : Buffer.from(body));
  });
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

  const { cli, cliOk } = cliFor(() => dev.node.rpcUrl, keys);

  async function startVault() {
    vault = await startVaultProcess({ node: dev.node.rpcUrl, keyFile: keys.vault, dataDir: path.join(work.dir, 'vault'),
      url: vaultUrl, args: ['--max-upload', String(1024 * 1024)] });
  }

  async function stopVault() {
    await killVault(vault);
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
    const send = () => sendOnce(`${vaultUrl}${pathAndQuery}`, method, headers, method === 'GET' ? undefined : body);
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
    writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['charlie', '//Charlie'], ['bob', '//Bob'], ['dave', '//Dave'], ['vault', null]], { keys, accounts });
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
    const { leaks, blocks, entries } = await findOnChain(api, secrets);
    assert.deepEqual(leaks, []);
    assert.ok(entries > 50, `scanned ${entries} state entries and ${blocks} blocks`);
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
    assert.deepEqual(await oversize.json(), {
      error: 'BodyTooLarge', reason: `the body is ${2 * 1024 * 1024} bytes; this vault takes at most ${1024 * 1024}`,
    });
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

  it('keeps nothing of an upload cut by kill -9: after the restart no object of it is held or served', async () => {
    const objects = path.join(work.dir, 'vault', 'objects');
    const held = filesUnder(objects);
    // A signed upload whose body stops halfway; the vault is killed while it waits for the rest.
    const body = new Uint8Array(512 * 1024).fill(7);
    const hash = u8aToHex(blake2AsU8a(body, 256)).slice(2);
    const { headers } = signedRequest('charlie', 'PUT', `/v1/uploads/${hash}`, body);
    let sent = false;
    const halfway = new ReadableStream({
      pull(controller) {
        if (sent) return new Promise(() => {}); // the rest never comes
        sent = true;
        controller.enqueue(body.subarray(0, body.length / 2));
        return undefined;
      },
    });
    const upload = fetch(`${vaultUrl}/v1/uploads/${hash}`, {
      method: 'PUT', headers, body: halfway, duplex: 'half',
    }).then((r) => r.status, (e) => `cut: ${e.cause?.code ?? e.message}`);
    await waitFor('the first half to be sent', async () => sent, { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stopVault(); // kill -9
    assert.match(String(await upload), /^cut/, 'the upload never completed');
    await startVault();
    assert.deepEqual(filesUnder(objects), held, 'no object, whole or partial, of the cut upload');
    const read = await signedRequest('ferdie', 'GET', `/v1/records/${record}?purpose=PatientRequest`).send();
    assert.equal(read.status, 200, `the vault serves what it held before: ${await read.clone().text()}`);
  });

  it('erases every version: the vault deletes every object of each, confirms each on chain, later reads get 410', async () => {
    // A second version: the patient amends the record (same type, same vault).
    const amended = JSON.stringify({ ...JSON.parse(observation), valueQuantity: { value: 8.1, unit: '%' } });
    const file = path.join(work.dir, 'observation-v2.json');
    writeFileSync(file, amended);
    const wrongType = path.join(work.dir, 'report.json');
    writeFileSync(wrongType, JSON.stringify({ resourceType: 'DiagnosticReport', status: 'final', code: { text: 'x' } }));
    const refused = cli('ferdie', ['record', 'amend', String(record), wrongType, '--under', 'patient']);
    assert.equal(refused.status, 2, 'an amendment of another type is bad input');
    assert.match(refused.stderr, /same type/);
    const second = cliOk('ferdie', ['record', 'amend', String(record), file, '--under', 'patient']);
    assert.equal(second.amends, record);
    const readBack = path.join(work.dir, 'observation-v2-read.json');
    cliOk('ferdie', ['record', 'get', String(second.record), '--out', readBack]);
    assert.equal(readFileSync(readBack, 'utf8'), amended, 'the patient reads the new version\'s exact bytes');
    const versions = [record, second.record];

    const objects = path.join(work.dir, 'vault', 'objects');
    const listed = () => cliOk('ferdie', ['record', 'list']).records.filter((r) => versions.includes(r.record));
    const hashes = listed().map((r) => r.contentHash);
    assert.equal(new Set(hashes).size, 2, 'two versions, two ciphertexts');
    const ofVersions = () => filesUnder(objects).filter((f) => hashes.some((h) => f.includes(h)));
    assert.equal(ofVersions().length, 6, 'each version\'s ciphertext and two keys held');
    // Erasing the first version erases the record: every version.
    cliOk('ferdie', ['erase', String(record)]);
    await waitFor('the vault to confirm the erasure of both versions',
      async () => listed().every((r) => r.erasureConfirmed), { timeout: 90_000, interval: 1_000 });
    assert.deepEqual(ofVersions(), [], 'nothing of either version left in the store');
    for (const version of versions) {
      const gone = cli('ferdie', ['record', 'get', String(version)]);
      assert.equal(gone.status, 1);
      assert.match(gone.stderr, /410|RecordErased/);
    }
  });

  describe('between organisations: a laboratory\'s vault on its disk, a clinic\'s on S3', () => {
    const members = {}; // name: { organisation, vault process, url, data dir }
    let s3; // the S3-compatible server
    let s3Url;
    let labRecord;
    let clinicRecord;

    /** Ferdie lets `practitioner` write Observations; they put one (tagged `tag`) at `organisation`'s vault. */
    function putAt(practitioner, organisation, tag) {
      cliOk('ferdie', ['grant', accounts[practitioner], '--types', 'Observation', '--access', 'write', '--days', '1']);
      const file = path.join(work.dir, `${tag}.json`);
      writeFileSync(file, observation.replace('custody-e2e', tag));
      const put = cliOk(practitioner, ['record', 'put', file, '--patient', accounts.ferdie, '--custodian', String(organisation)]);
      return { put, file };
    }

    async function startMemberVault(name, extraArgs = []) {
      const member = members[name];
      member.vault = await startVaultProcess({ node: dev.node.rpcUrl, keyFile: keys[`${name}vault`], dataDir: member.dir,
        url: member.url, args: extraArgs, what: `the ${name}'s vault to listen` });
    }

    /**
     * ListObjectsV2 of the clinic's bucket, signed with AWS Signature Version 4 as any S3
     * client signs it (the server refuses anonymous requests).
     */
    function listBucket() {
      const url = new URL(`${s3Url}/${S3_BUCKET}?list-type=2`);
      const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
      const payloadHash = createHash('sha256').update('').digest('hex');
      const canonical = ['GET', url.pathname, 'list-type=2', `host:${url.host}`, `x-amz-content-sha256:${payloadHash}`,
        `x-amz-date:${amzDate}`, '', 'host;x-amz-content-sha256;x-amz-date', payloadHash].join('\n');
      const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
      const key = ['us-east-1', 's3', 'aws4_request'].reduce((k, part) => createHmac('sha256', k).update(part).digest(),
        createHmac('sha256', 'AWS4clinic-secret-key').update(amzDate.slice(0, 8)).digest());
      const signature = createHmac('sha256', key).update(toSign).digest('hex');
      return fetch(url, {
        headers: {
          'x-amz-content-sha256': payloadHash,
          'x-amz-date': amzDate,
          authorization: `AWS4-HMAC-SHA256 Credential=clinic/${scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${signature}`,
        },
      });
    }

    /** The object keys the S3 server holds in the clinic's bucket, listed through the S3 API. */
    async function s3Keys() {
      const listing = await listBucket();
      const text = await listing.text();
      assert.equal(listing.status, 200, text);
      return [...text.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
    }

    before(async () => {
      const { api } = dev;
      const alice = keyring.addFromUri('//Alice');
      // `doctor` is a hospital practitioner who, unlike Charlie, never broke the glass: what it
      // reads, it reads under the patient's grant only.
      for (const who of ['labadmin', 'labtech', 'labvault', 'clinicadmin', 'clinician', 'clinicvault', 'doctor']) {
        keys[who] = path.join(work.dir, `${who}.key`);
        accounts[who] = newKeyFile(keys[who]);
        await submitOk(api, api.tx.balances.transferKeepAlive(accounts[who], 10n * UNIT), alice);
      }
      // The consortium admits a laboratory and a clinic by a council motion.
      const first = (await api.query.healthIdentity.nextOrganisationId()).toNumber();
      const admit = (kind, admin) => api.tx.healthIdentity.admitOrganisation(kind, accounts[admin], `0x${'ab'.repeat(32)}`, `0x${'00'.repeat(31)}01`);
      const motion = api.tx.utility.batchAll([admit('Laboratory', 'labadmin'), admit('Clinic', 'clinicadmin')]);
      assert.deepEqual(await passMotion(api, motion, [alice, keyring.addFromUri('//Bob'), keyring.addFromUri('//Eve')]), { approved: true, result: 'Ok' });
      members.lab = { organisation: first, url: `http://127.0.0.1:${await freePort()}`, dir: path.join(work.dir, 'lab-vault') };
      members.clinic = { organisation: first + 1, url: `http://127.0.0.1:${await freePort()}`, dir: path.join(work.dir, 'clinic-vault') };
      // Each practitioner is licensed by the regulator, then made a member by its admin.
      const now = (await api.query.timestamp.now()).toNumber();
      await submitOk(api, api.tx.healthIdentity.issueCredential(0, accounts.doctor, 'MedicalLicence', `0x${'cd'.repeat(32)}`, now, now + 365 * 24 * 3600 * 1000), alice);
      await submitOk(api, api.tx.healthIdentity.addMember(HOSPITAL, accounts.doctor, ['Practitioner']), keyring.addFromUri('//Bob'));
      cliOk('doctor', ['key', 'publish', 'staff']);
      for (const [name, practitioner] of [['lab', 'labtech'], ['clinic', 'clinician']]) {
        await submitOk(api, api.tx.healthIdentity.issueCredential(0, accounts[practitioner], 'MedicalLicence', `0x${'cd'.repeat(32)}`, now, now + 365 * 24 * 3600 * 1000), alice);
        await submitOk(api, api.tx.healthIdentity.addMember(members[name].organisation, accounts[practitioner], ['Practitioner']), pairOf(`${name}admin`));
        cliOk(`${name}admin`, ['register-vault', '--organisation', String(members[name].organisation), '--vault-key-file', keys[`${name}vault`], '--endpoint', members[name].url]);
        cliOk(practitioner, ['key', 'publish', 'staff']);
      }
      await startMemberVault('lab');
      // The clinic keeps its records on an S3-compatible server, with credentials.
      const s3Root = path.join(work.dir, 's3');
      mkdirSync(path.join(s3Root, S3_BUCKET), { recursive: true });
      const s3Port = await freePort();
      s3Url = `http://127.0.0.1:${s3Port}`;
      s3 = spawn(S3_SERVER, ['--host', '127.0.0.1', '--port', String(s3Port), '--access-key', 'clinic', '--secret-key', 'clinic-secret-key', s3Root],
        { stdio: 'ignore' });
      await waitFor('the S3 server to answer', async () => (await listBucket()).ok, { timeout: 30_000 });
      // It checks signatures: an anonymous listing is refused.
      assert.equal((await fetch(`${s3Url}/${S3_BUCKET}?list-type=2`)).ok, false, 'an anonymous listing is refused');
      await startMemberVault('clinic', ['--store', `s3://${S3_BUCKET}`, '--store-option', `aws_endpoint=${s3Url}`,
        '--store-option', 'aws_access_key_id=clinic', '--store-option', 'aws_secret_access_key=clinic-secret-key',
        '--store-option', 'aws_region=us-east-1', '--store-option', 'aws_allow_http=true']);
    });

    after(async () => {
      for (const proc of [members.lab?.vault, members.clinic?.vault, s3]) await killVault(proc);
    });

    it('moves a laboratory\'s Observation to a hospital practitioner: exact bytes, logged by the lab\'s vault', async () => {
      const lab = members.lab.organisation;
      const { put, file } = putAt('labtech', lab, 'lab-result');
      labRecord = put.record;
      assert.equal(put.custodian, lab);
      assert.equal(filesUnder(path.join(members.lab.dir, 'objects')).filter((f) => f.includes(put.contentHash)).length, 3,
        'the ciphertext and its two keys are in the lab\'s store');
      cliOk('ferdie', ['grant', accounts.doctor, '--types', 'Observation', '--minutes', '1']);
      const out = path.join(work.dir, 'lab-read.json');
      cliOk('doctor', ['record', 'get', String(labRecord), '--purpose', 'Treatment', '--out', out]);
      assert.equal(readFileSync(out, 'utf8'), readFileSync(file, 'utf8'), 'the exact bytes');
      const read = await waitFor('the read on the access log', async () => (await accessLog()).find((r) => r.record === labRecord && r.reader === accounts.doctor),
        { timeout: 30_000, interval: 1_000 });
      assert.equal(read.releasedBy, lab, 'logged by the lab\'s vault, with its own account');
      // The hospital's vault does not hold it, and says where it is.
      const elsewhere = await signedRequest('doctor', 'GET', `/v1/records/${labRecord}`).send();
      assert.equal(elsewhere.status, 421, await elsewhere.text());
    });

    it('refuses a grant for another type, and a grant that expired: 403, nothing released or logged', async () => {
      // The clinic's practitioner, granted lab reports only.
      cliOk('ferdie', ['grant', accounts.clinician, '--types', 'DiagnosticReport', '--days', '1']);
      const before = (await accessLog()).length;
      const otherType = cli('clinician', ['record', 'get', String(labRecord)]);
      assert.equal(otherType.status, 1, otherType.stderr);
      assert.match(otherType.stderr, /403.*RecordTypeNotGranted/);
      assert.equal(otherType.json, null, 'nothing released');
      // The doctor's one-minute grant runs out on the chain's clock.
      const grant = (await dev.api.query.healthRecords.grants(accounts.ferdie, { Account: accounts.doctor })).unwrap();
      // Instant seal makes no block while idle, and the chain's clock moves with blocks: a remark
      // every two seconds moves it.
      const alice = keyring.addFromUri('//Alice');
      await waitFor('the grant to expire', async () => {
        await submitOk(dev.api, dev.api.tx.system.remark('0x00'), alice);
        return (await dev.api.query.timestamp.now()).toNumber() >= grant.expiresAt.toNumber();
      }, { timeout: 120_000, interval: 2_000 });
      // The lab's vault asks for permits at the finalized block it follows, a moment behind the
      // node's best: wait until its own clock has passed the expiry too, or the read may be
      // asked at the block before and rightly released.
      await waitFor('the lab\'s vault to follow the chain past the expiry', async () => {
        const status = await (await fetch(`${members.lab.url}/v1/status`)).json();
        return status.chainTime >= grant.expiresAt.toNumber();
      }, { timeout: 30_000, interval: 250 });
      const expired = cli('doctor', ['record', 'get', String(labRecord)]);
      assert.equal(expired.status, 1, expired.stderr);
      assert.match(expired.stderr, /403.*GrantExpired/);
      assert.equal((await accessLog()).length, before, 'no read logged');
    });

    it('lists a patient\'s claims and research consents from the chain: none for this patient', () => {
      // The same index-then-entries reads as `record list`, over the claims and consent pallets.
      assert.deepEqual(cliOk('ferdie', ['claims']), { claims: [] });
      assert.deepEqual(cliOk('ferdie', ['consent', 'list']), { consents: [] });
      const text = spawnSync(CLI, ['--node', dev.node.rpcUrl, '--key-file', keys.ferdie, 'claims'], { encoding: 'utf8' });
      assert.equal(text.stdout.trim(), 'no claims');
    });

    it('keeps a clinic\'s record on S3 and erases everything of both vaults\' records, confirmed on chain, 410 after', async () => {
      const clinic = members.clinic.organisation;
      const { put, file } = putAt('clinician', clinic, 'clinic-visit');
      clinicRecord = put.record;
      assert.equal((await s3Keys()).filter((k) => k.includes(put.contentHash)).length, 3, 'ciphertext and two keys in the bucket');
      const out = path.join(work.dir, 'clinic-read.json');
      cliOk('ferdie', ['record', 'get', String(clinicRecord), '--out', out]);
      assert.equal(readFileSync(out, 'utf8'), readFileSync(file, 'utf8'), 'the exact bytes, from S3');

      const hashes = Object.fromEntries(cliOk('ferdie', ['record', 'list']).records.map((r) => [r.record, r.contentHash]));
      cliOk('ferdie', ['erase', String(labRecord)]);
      cliOk('ferdie', ['erase', String(clinicRecord)]);
      await waitFor('both vaults to confirm the erasures', async () => {
        const listed = cliOk('ferdie', ['record', 'list']).records;
        return [labRecord, clinicRecord].every((id) => listed.find((r) => r.record === id).erasureConfirmed);
      }, { timeout: 60_000, interval: 1_000 });
      assert.deepEqual(filesUnder(path.join(members.lab.dir, 'objects')).filter((f) => f.includes(hashes[labRecord])), [],
        'nothing of it in the lab\'s store');
      assert.deepEqual((await s3Keys()).filter((k) => k.includes(hashes[clinicRecord])), [], 'nothing of it in the S3 bucket');
      for (const id of [labRecord, clinicRecord]) {
        const gone = cli('ferdie', ['record', 'get', String(id)]);
        assert.equal(gone.status, 1);
        assert.match(gone.stderr, /410|RecordErased/);
      }
    });
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
