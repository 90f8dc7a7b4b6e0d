// Insurance reimbursement on a dev node with the demo consortium, the hospital's vault and the
// `healthchain` CLI, through @polkadot/api: the insurer's claims officer covers a patient; the
// hospital's claims officer files the claim's FHIR Claim (procedure and diagnosis codes) as an
// encrypted claim document in the hospital's vault and submits the claim with the document's
// record and the fingerprint keyed with the coverage's secret; a duplicate is refused; the
// insurer reads the document through the vault (logged on the patient's access log), checks
// the fingerprint against it, partially approves; the hospital appeals with a second
// document; the insurer approves on appeal and pays; a hospital clinician who is party to
// nothing is refused the documents. No code, and nothing of the documents, is anywhere on chain.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { cliFor, writeKeyFiles } from './lib/cli.js';
import { findEvent, findOnChain, submitOk, submitRefused, UNIT } from './lib/chain.js';
import { freePort, startDevNode, tempDir, waitFor } from './lib/node.js';
import { killVault, startVault } from './lib/vault.js';

const HOSPITAL = 1;
const INSURER = 5;
const DAY = 24 * 3600 * 1000;
const BILLED = 12_000;

/**
 * The keyed fingerprint of a billed service, written here from the pallet's documentation
 * (Blake2b-256 keyed with the coverage's secret over SCALE of patient, provider, UTC day,
 * sorted procedure codes, amount), with @polkadot/api's SCALE codec, independently of the
 * client library's.
 */
function fingerprint(api, secret, patient, provider, serviceDate, procedures, billed) {
  const input = api.createType('(AccountId32, u32, u64, Vec<Bytes>, u128)',
    [patient, provider, Math.floor(serviceDate / DAY), [...procedures].sort(), billed]).toU8a();
  return u8aToHex(blake2AsU8a(input, 256, secret));
}

/** A FHIR Claim billing `procedures` for `diagnosis` on `serviceDate`. */
function fhirClaim(tag, serviceDate, procedures, diagnosis) {
  return JSON.stringify({
    resourceType: 'Claim',
    status: 'active',
    use: tag === 'appeal' ? 'preauthorization' : 'claim',
    patient: { display: 'Ferdinand Quill-Example' },
    billablePeriod: { start: new Date(serviceDate).toISOString() },
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: diagnosis }] } }],
    item: procedures.map((code, i) => ({ sequence: i + 1, productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code }] } })),
    total: { value: BILLED / 100, currency: 'EUR' },
    note: [{ text: `claims-e2e-${tag}-${Date.now()}` }],
  }, null, 2);
}

describe('insurance claims with claim documents in custody', () => {
  let dev;
  let api;
  let work;
  let vault;
  let vaultUrl;
  const keys = {};
  const accounts = {};
  const pairs = {};
  const { cli, cliOk } = cliFor(() => dev.node.rpcUrl, keys);
  const secret = randomBytes(32); // the coverage's secret: insurer and patient, never the chain
  // Yesterday at 09:00 UTC: the CLI is given the same day an hour later, which must not cross
  // midnight (it did when the test ran after 23:00 UTC).
  const serviceDate = Math.floor((Date.now() - DAY) / DAY) * DAY + 9 * 3_600_000;
  const documents = {};
  let coverage;
  let claim;
  let print;

  /** `who` files `text` as a claim document about Ferdie in the hospital's vault; its record. */
  function fileDocument(who, tag, text) {
    const file = path.join(work.dir, `${tag}.json`);
    writeFileSync(file, text);
    const put = cliOk(who, ['record', 'put', file, '--patient', accounts.ferdie, '--custodian', String(HOSPITAL), '--under', `billing:${HOSPITAL}`]);
    assert.equal(put.recordType, 'Claim');
    documents[tag] = text;
    return put.record;
  }

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('claims');
    dev = await startDevNode('insurance-claims');
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    // Bob: the hospital's admin and claims officer; Charlie//stash: the insurer's claims
    // officer; Charlie: a hospital practitioner, party to no claim.
    writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['bob', '//Bob'], ['adjuster', '//Charlie//stash'], ['charlie', '//Charlie'], ['vault', null]], { keys, accounts, pairs, keyring });
    await submitOk(api, api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT), keyring.addFromUri('//Alice'));
    vaultUrl = `http://127.0.0.1:${await freePort()}`;
    cliOk('bob', ['register-vault', '--organisation', String(HOSPITAL), '--vault-key-file', keys.vault, '--endpoint', vaultUrl]);
    vault = await startVault({ node: dev.node.rpcUrl, keyFile: keys.vault, dataDir: path.join(work.dir, 'vault'), url: vaultUrl });
    cliOk('ferdie', ['key', 'publish', 'patient']);
    for (const who of ['bob', 'adjuster', 'charlie']) cliOk(who, ['key', 'publish', 'staff']);
  });

  after(async () => {
    await killVault(vault);
    await dev?.stop();
    work?.cleanup();
  });

  it('files the claim document in custody and submits the claim with a keyed fingerprint; a duplicate is refused', async () => {
    const now = Date.now();
    const covered = await submitOk(api, api.tx.insuranceClaims.registerCoverage(
      INSURER, accounts.ferdie, `0x${'c0'.repeat(32)}`, 'GOLD-PPO', now - 30 * DAY, now + 335 * DAY,
    ), pairs.adjuster);
    coverage = findEvent(covered.events, 'insuranceClaims', 'CoverageRegistered').data.coverage.toNumber();

    const document = fileDocument('bob', 'claim', fhirClaim('claim', serviceDate, ['99213', '36415'], 'E11.9'));
    print = fingerprint(api, secret, accounts.ferdie, HOSPITAL, serviceDate, ['99213', '36415'], BILLED);
    // The client library (through the CLI) computes the same fingerprint, codes in any order.
    const computed = cliOk('bob', ['claim-fingerprint', '--coverage-secret', secret.toString('hex'), '--patient', accounts.ferdie,
      '--provider', String(HOSPITAL), '--service-date', String(serviceDate + 3_600_000), '--procedures', '36415,99213', '--billed', String(BILLED)]);
    assert.equal(computed.fingerprint, print);

    const submit = (record) => api.tx.insuranceClaims.submitClaim(HOSPITAL, coverage, record, serviceDate, BILLED, print, null);
    const submitted = await submitOk(api, submit(document), pairs.bob);
    claim = findEvent(submitted.events, 'insuranceClaims', 'ClaimSubmitted').data.claim.toNumber();
    const stored = (await api.query.insuranceClaims.claims(claim)).unwrap();
    assert.equal(stored.document.asRecord.toNumber(), document);
    assert.equal(stored.fingerprint.unwrap().toHex(), print);
    // The same service in a second document: refused by its fingerprint. The same document
    // for another service: refused, it is filed.
    const again = fileDocument('bob', 'again', fhirClaim('again', serviceDate, ['36415', '99213'], 'E11.9'));
    assert.equal(await submitRefused(api, submit(again), pairs.bob), 'insuranceClaims.DuplicateClaim');
    const other = fingerprint(api, secret, accounts.ferdie, HOSPITAL, serviceDate, ['99214'], BILLED);
    assert.equal(await submitRefused(api, api.tx.insuranceClaims.submitClaim(HOSPITAL, coverage, document, serviceDate, BILLED, other, null), pairs.bob),
      'insuranceClaims.DocumentAlreadyFiled');
  });

  it('lets the insurer read the document through the vault, logged, and check the fingerprint against it', async () => {
    const record = (await api.query.insuranceClaims.claims(claim)).unwrap().document.asRecord.toNumber();
    const out = path.join(work.dir, 'insurer-read.json');
    cliOk('adjuster', ['record', 'get', String(record), '--purpose', 'Payment', '--out', out]);
    const read = readFileSync(out, 'utf8');
    assert.equal(read, documents.claim, 'the exact bytes');
    // What the document bills gives the fingerprint on chain: the claim is the service billed.
    const billed = JSON.parse(read);
    const procedures = billed.item.map((item) => item.productOrService.coding[0].code);
    const recomputed = cliOk('adjuster', ['claim-fingerprint', '--coverage-secret', secret.toString('hex'), '--patient', accounts.ferdie,
      '--provider', String(HOSPITAL), '--service-date', String(Date.parse(billed.billablePeriod.start)), '--procedures', procedures.join(','),
      '--billed', String(Math.round(billed.total.value * 100))]);
    assert.equal(recomputed.fingerprint, print);
    const logged = await waitFor('the insurer\'s read on the patient\'s access log', async () => {
      const reads = cliOk('ferdie', ['log']).reads;
      return reads.find((r) => r.record === record && r.reader === accounts.adjuster);
    }, { timeout: 30_000, interval: 1_000 });
    assert.equal(logged.authority, `Billing(${INSURER})`);
    assert.equal(logged.purpose, 'Payment');
    assert.equal(logged.releasedBy, HOSPITAL);
  });

  it('refuses the claim documents to a hospital clinician who is party to no claim', async () => {
    const record = (await api.query.insuranceClaims.claims(claim)).unwrap().document.asRecord.toNumber();
    const refused = cli('charlie', ['record', 'get', String(record), '--purpose', 'Treatment']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /403/);
    assert.equal(refused.json, null, 'nothing released');
  });

  it('partially approves, takes an appeal filed as a second document, approves on appeal and pays', async () => {
    await submitOk(api, api.tx.insuranceClaims.adjudicateClaim(claim, {
      PartiallyApprove: { allowed: 9_000, adjustments: [['CO-45', 2_500], ['PR-1', 500]] },
    }), pairs.adjuster);
    let stored = (await api.query.insuranceClaims.claims(claim)).unwrap();
    assert.equal(stored.status.type, 'PartiallyApproved');
    assert.equal(stored.allowed.unwrap().toNumber(), 9_000);

    const appeal = fileDocument('bob', 'appeal', fhirClaim('appeal', serviceDate, ['99213', '36415'], 'E11.9'));
    const appealed = await submitOk(api, api.tx.insuranceClaims.appealClaim(claim, appeal), pairs.bob);
    assert.equal(findEvent(appealed.events, 'insuranceClaims', 'ClaimAppealed').data.appeal.toNumber(), appeal);
    const out = path.join(work.dir, 'appeal-read.json');
    cliOk('adjuster', ['record', 'get', String(appeal), '--purpose', 'Payment', '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), documents.appeal);
    const onAppeal = await submitOk(api, api.tx.insuranceClaims.adjudicateClaim(claim, 'Approve'), pairs.adjuster);
    assert.ok(findEvent(onAppeal.events, 'insuranceClaims', 'ClaimAdjudicated').data.onAppeal.isTrue);
    const paid = await submitOk(api, api.tx.insuranceClaims.markPaid(claim, `0x${'c4'.repeat(32)}`), pairs.adjuster);
    assert.equal(findEvent(paid.events, 'insuranceClaims', 'ClaimPaid').data.amount.toNumber(), BILLED);
    stored = (await api.query.insuranceClaims.claims(claim)).unwrap();
    assert.equal(stored.status.type, 'Paid');
    const paidClaims = await api.call.insuranceClaimsApi.patientClaims(accounts.ferdie, 'Paid');
    assert.deepEqual(paidClaims.map((id) => id.toNumber()), [claim]);
    // The patient's own listing through the CLI.
    const listed = cliOk('ferdie', ['claims']).claims;
    assert.deepEqual(listed.map((c) => [c.claim, c.status]), [[claim, 'Paid']]);
  });

  it('leaves no code and nothing of the documents on chain: every block body, every block\'s events, the state', async () => {
    const secrets = {
      'the CPT code 99213': Buffer.from('99213'),
      'the CPT code 36415': Buffer.from('36415'),
      'the ICD-10 code E11.9': Buffer.from('E11.9'),
      'the patient\'s name': Buffer.from('Ferdinand Quill-Example'),
      'the coverage secret': secret,
    };
    for (const [tag, text] of Object.entries(documents)) secrets[`the ${tag} document's marker`] = Buffer.from(JSON.parse(text).note[0].text);
    // A control the scan must find: the claim's fingerprint is on chain, in its submission,
    // its event and its state.
    secrets.control = hexToU8a(print);
    const { leaks, blocks, entries } = await findOnChain(api, secrets);
    const found = leaks.filter(([, name]) => name === 'control').map(([where]) => where.split(' ')[0]);
    assert.ok(found.includes('block') && found.includes('state'), `the control was found in ${found}`);
    assert.deepEqual(leaks.filter(([, name]) => name !== 'control'), []);
    assert.ok(entries > 50 && blocks > 5, `scanned ${entries} state entries and ${blocks} blocks`);
  });
});
