// The privacy scan: every domain flow on one dev node with the demo consortium, the hospital's
// vault and the `healthchain` CLI, with distinctive clinical values (the patient's name, ICD-10
// E11.9, CPT 99213, LOINC 8867-4 with a bound of 120 and a reading of 187, the GTIN of the
// prescribed product, a diabetes study's disease code E11), then a walk of every block body,
// every event and every storage entry of every state from genesis to the last block, looking
// for each value as UTF-8, hex text and little-endian integers. Nothing clinical may be found;
// the product's GTIN (supply chain) and the study's disease code (the study registry) are public
// and may be found only where nothing names the patient, as may the bound and the reading (a
// small number is in every counter), and the patient's participant in the study is never next
// to the patient. Controls (the patient's account, the claim's fingerprint,
// the rule's hash, the GTIN, the participant) show the walk sees what is there.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { cliFor, writeKeyFiles } from './lib/cli.js';
import { findEvent, submitOk, submitRefused, UNIT } from './lib/chain.js';
import { dataKey, encrypt } from './lib/envelope.js';
import { freePort, startDevNode, tempDir, waitFor } from './lib/node.js';
import { encodings, scanChain } from './lib/scan.js';
import { killVault, startVault } from './lib/vault.js';

const HOSPITAL = 1;
const PHARMACY = 2;
const MANUFACTURER = 3;
const DISTRIBUTOR = 4;
const INSURER = 5;
const INSTITUTE = 6;
const BOARD = 7;
const DAY = 24 * 3600 * 1000;
const GTIN = 9506000134376;
const PRODUCT = { Gtin: GTIN };

const PATIENT_NAME = 'Ferdinand Quill-Example';
const DIAGNOSIS = 'E11.9';
const PROCEDURE = '99213';
const HEART_RATE = '8867-4';
const BOUND = 120;
const READING = 187;
const BILLED = 14_250;
const STUDY_DISEASE = 'E11';

describe('the privacy scan over every domain flow', () => {
  let dev;
  let api;
  let work;
  let vault;
  const keys = {};
  const accounts = {};
  const pairs = {};
  const { cliOk } = cliFor(() => dev.node.rpcUrl, keys);
  const ok = (tx, who) => submitOk(api, tx, pairs[who]);
  const refused = (tx, who) => submitRefused(api, tx, pairs[who]);
  const controls = {};

  /** `who` files the FHIR resource `resource` about the patient in the hospital's vault. */
  function file(who, tag, resource, under = ['--under', `org:${HOSPITAL}`]) {
    const at = path.join(work.dir, `${tag}.json`);
    writeFileSync(at, JSON.stringify(resource));
    return cliOk(who, ['record', 'put', at, '--patient', accounts.ferdie, '--custodian', String(HOSPITAL), ...under]);
  }

  const subject = { reference: 'Patient/ferdie', display: PATIENT_NAME };
  let conditionRecord;
  const research = {};

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('privacy-scan');
    // Every state from genesis on stays readable: the scan reads the states in between.
    dev = await startDevNode('privacy-scan', ['--state-pruning', 'archive']);
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    // Charlie: a hospital practitioner (prescriber); Dave: a hospital nurse; Bob: the
    // hospital's admin and claims officer; Eve: the pharmacist; Charlie//stash: the insurer's
    // claims officer; Alice//stash and Bob//stash: the manufacturer's and the distributor's
    // logistics; Ferdie: the patient.
    writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['charlie', '//Charlie'], ['dave', '//Dave'], ['bob', '//Bob'], ['eve', '//Eve'],
      ['adjuster', '//Charlie//stash'], ['maker', '//Alice//stash'], ['wholesaler', '//Bob//stash'], ['alice', '//Alice'],
      ['researcher', '//Dave//stash'], ['reviewer', '//Eve//stash'], ['vault', '//privacy-scan//vault']], { keys, accounts, pairs, keyring });
    // Fixed keys (the vault's above too), new to every dev chain: the scan looks for the bound
    // and the reading as bytes next to the patient, and a random account that ended in 0x78
    // (120) before a zero rule id read as the bound (one run in 256).
    pairs.meter = keyring.addFromUri('//privacy-scan//meter');
    await ok(api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT), 'alice');
    await ok(api.tx.balances.transferKeepAlive(pairs.meter.address, 10n * UNIT), 'alice');
    const vaultUrl = `http://127.0.0.1:${await freePort()}`;
    cliOk('bob', ['register-vault', '--organisation', String(HOSPITAL), '--vault-key-file', keys.vault, '--endpoint', vaultUrl]);
    vault = await startVault({ node: dev.node.rpcUrl, keyFile: keys.vault, dataDir: path.join(work.dir, 'vault'), url: vaultUrl });
    cliOk('ferdie', ['key', 'publish', 'patient']);
    for (const who of ['charlie', 'dave', 'bob', 'adjuster', 'researcher']) cliOk(who, ['key', 'publish', 'staff']);
  });

  after(async () => {
    await killVault(vault);
    await dev?.stop();
    work?.cleanup();
  });

  it('records: a condition and an observation filed through the CLI, read by the clinician (logged)', async () => {
    cliOk('ferdie', ['grant', `org:${HOSPITAL}`, '--types', 'Observation,Condition', '--access', 'write', '--days', '30']);
    const condition = file('charlie', 'condition', {
      resourceType: 'Condition', subject, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: DIAGNOSIS }] },
    });
    file('charlie', 'observation', {
      resourceType: 'Observation', status: 'final', subject,
      code: { coding: [{ system: 'http://loinc.org', code: HEART_RATE }] }, valueQuantity: { value: READING, unit: '/min' },
    });
    conditionRecord = condition.record;
    const out = path.join(work.dir, 'condition-read.json');
    cliOk('charlie', ['record', 'get', String(condition.record), '--purpose', 'Treatment', '--out', out]);
    await waitFor('the clinician\'s read on the patient\'s access log', () => cliOk('ferdie', ['log']).reads
      .find((r) => r.record === condition.record && r.reader === accounts.charlie), { timeout: 30_000, interval: 1_000 });
  });

  it('monitoring: a bound device anchors readings; a sealed rule fires and the care team acknowledges', async () => {
    await ok(api.tx.remoteMonitoring.registerDevice(HOSPITAL, pairs.meter.address, '+H123HEART1', 'SN-HR-7', 'PulseOximeter', null), 'dave');
    await ok(api.tx.remoteMonitoring.proposeBinding(pairs.meter.address, accounts.ferdie), 'dave');
    await ok(api.tx.remoteMonitoring.confirmBinding(pairs.meter.address), 'ferdie');
    const since = (await api.query.remoteMonitoring.devices(pairs.meter.address)).unwrap().status.asBound.since.toNumber();
    // The readings' Merkle root, never a value.
    const root = u8aToHex(blake2AsU8a(Buffer.from(JSON.stringify([{ code: HEART_RATE, value: READING, at: since + 10 }])), 256));
    await ok(api.tx.remoteMonitoring.anchorBatch(pairs.meter.address, since, since + 500, 1, root), 'meter');
    const rule = Buffer.from(JSON.stringify({ code: { system: 'http://loinc.org', code: HEART_RATE }, above: BOUND, unit: '/min' }));
    const sealedHash = u8aToHex(blake2AsU8a(encrypt(dataKey(), rule), 256));
    controls['the rule\'s hash'] = Buffer.from(sealedHash.slice(2), 'hex');
    const set = await ok(api.tx.remoteMonitoring.setAlertRule(accounts.ferdie, HOSPITAL, sealedHash), 'dave');
    const ruleId = findEvent(set.events, 'remoteMonitoring', 'AlertRuleSet').data.rule.toNumber();
    const raised = await ok(api.tx.remoteMonitoring.raiseAlert(pairs.meter.address, ruleId, 0), 'meter');
    const alert = findEvent(raised.events, 'remoteMonitoring', 'AlertRaised').data.alert.toNumber();
    await ok(api.tx.remoteMonitoring.acknowledgeAlert(alert), 'charlie');
    assert.ok((await api.query.remoteMonitoring.alerts(alert)).unwrap().acknowledged.isSome);
  });

  it('prescriptions: the product is commissioned and shipped; a prescription is issued, dispensed, refused too soon and cancelled', async () => {
    const pd = api.tx.drugProvenance;
    const expiry = Date.now() + 365 * DAY;
    const serials = ['SN-RX-1', 'SN-RX-2'];
    await ok(pd.registerProduct(MANUFACTURER, PRODUCT, 'Drug', `0x${'0e'.repeat(32)}`, false), 'maker');
    await ok(pd.commissionSerials(MANUFACTURER, PRODUCT, 'LOT-RX', expiry, serials), 'maker');
    await ok(pd.shipUnits(MANUFACTURER, PRODUCT, serials, DISTRIBUTOR), 'maker');
    await ok(pd.receiveUnits(DISTRIBUTOR, PRODUCT, serials), 'wholesaler');
    await ok(pd.shipUnits(DISTRIBUTOR, PRODUCT, serials, PHARMACY), 'wholesaler');
    await ok(pd.receiveUnits(PHARMACY, PRODUCT, serials), 'eve');

    // The MedicationRequest (product, quantity, patient and the salts) goes to the patient and
    // the pharmacy off chain; the chain holds its hash and the two commitments.
    const patientSalt = randomBytes(32);
    const itemSalt = randomBytes(32);
    const productType = api.tx.prescriptions.dispensePrescription.meta.args[2].type.toString();
    const itemCommitment = u8aToHex(blake2AsU8a(u8aConcat(api.createType(productType, PRODUCT).toU8a(), api.createType('u32', 1).toU8a(), itemSalt), 256));
    const patientCommitment = u8aToHex(blake2AsU8a(u8aConcat(decodeAddress(accounts.ferdie), patientSalt), 256));
    const request = Buffer.from(JSON.stringify({
      resourceType: 'MedicationRequest', subject, medicationCodeableConcept: { coding: [{ system: 'https://www.gs1.org/gtin', code: String(GTIN) }] },
      dispenseRequest: { quantity: { value: 1 } }, salts: { patient: patientSalt.toString('hex'), item: itemSalt.toString('hex') },
    }));
    const now = (await api.query.timestamp.now()).toNumber();
    const issue = () => api.tx.prescriptions.issuePrescription(patientCommitment, u8aToHex(blake2AsU8a(request, 256)), itemCommitment, false,
      1, 7 * DAY, now, now + 30 * DAY);
    const issued = await ok(issue(), 'charlie');
    const prescription = findEvent(issued.events, 'prescriptions', 'PrescriptionIssued').data.prescription.toNumber();
    const dispense = (serial) => api.tx.prescriptions.dispensePrescription(prescription, PHARMACY, PRODUCT, u8aToHex(itemSalt), [serial]);
    await ok(dispense('SN-RX-1'), 'eve');
    assert.equal(await refused(dispense('SN-RX-2'), 'eve'), 'prescriptions.RefillTooSoon');
    // A second prescription, cancelled by its prescriber (a patient who cancels names itself).
    const second = findEvent((await ok(issue(), 'charlie')).events, 'prescriptions', 'PrescriptionIssued').data.prescription.toNumber();
    await ok(api.tx.prescriptions.cancelPrescription(second, null), 'charlie');
    assert.equal((await api.query.prescriptions.prescriptions(second)).unwrap().status.type, 'Cancelled');
  });

  it('claims: covered, submitted with its document in custody, a duplicate refused, adjudicated, appealed, paid, audited', async () => {
    const secret = randomBytes(32);
    const serviceDate = Date.now() - DAY;
    const now = Date.now();
    const covered = await ok(api.tx.insuranceClaims.registerCoverage(INSURER, accounts.ferdie, `0x${'c1'.repeat(32)}`, 'SILVER-HMO', now - 30 * DAY, now + 335 * DAY), 'adjuster');
    const coverage = findEvent(covered.events, 'insuranceClaims', 'CoverageRegistered').data.coverage.toNumber();
    const claimDocument = (use) => ({
      resourceType: 'Claim', status: 'active', use, patient: subject, billablePeriod: { start: new Date(serviceDate).toISOString() },
      diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: DIAGNOSIS }] } }],
      item: [{ sequence: 1, productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: PROCEDURE }] } }],
      total: { value: BILLED / 100, currency: 'EUR' },
    });
    const under = ['--under', `billing:${HOSPITAL}`];
    const document = file('bob', 'claim', claimDocument('claim'), under).record;
    const { fingerprint } = cliOk('bob', ['claim-fingerprint', '--coverage-secret', secret.toString('hex'), '--patient', accounts.ferdie,
      '--provider', String(HOSPITAL), '--service-date', String(serviceDate), '--procedures', PROCEDURE, '--billed', String(BILLED)]);
    controls['the claim\'s fingerprint'] = Buffer.from(fingerprint.slice(2), 'hex');
    const submit = (record) => api.tx.insuranceClaims.submitClaim(HOSPITAL, coverage, record, serviceDate, BILLED, fingerprint, null);
    const claim = findEvent((await ok(submit(document), 'bob')).events, 'insuranceClaims', 'ClaimSubmitted').data.claim.toNumber();
    const again = file('bob', 'again', claimDocument('claim'), under).record;
    assert.equal(await refused(submit(again), 'bob'), 'insuranceClaims.DuplicateClaim');
    cliOk('adjuster', ['record', 'get', String(document), '--purpose', 'Payment', '--out', path.join(work.dir, 'audit.json')]);
    await ok(api.tx.insuranceClaims.adjudicateClaim(claim, { PartiallyApprove: { allowed: 9_000, adjustments: [['CO-45', 5_250]] } }), 'adjuster');
    const appeal = file('bob', 'appeal', claimDocument('preauthorization'), under).record;
    await ok(api.tx.insuranceClaims.appealClaim(claim, appeal), 'bob');
    await ok(api.tx.insuranceClaims.adjudicateClaim(claim, 'Approve'), 'adjuster');
    await ok(api.tx.insuranceClaims.markPaid(claim, `0x${'c5'.repeat(32)}`), 'adjuster');
    assert.equal((await api.query.insuranceClaims.claims(claim)).unwrap().status.type, 'Paid');
  });

  it('research: a diabetes study; the patient consents under its participant, the researcher reads through the vault, the patient withdraws', async () => {
    const registered = await ok(api.tx.researchConsent.registerStudy(INSTITUTE, `0x${'5b'.repeat(32)}`, 'Helvetic Diabetes Foundation',
      { purpose: { DiseaseSpecific: STUDY_DISEASE }, modifiers: [] }, ['Condition'], 0, Date.now() + 365 * DAY, []), 'researcher');
    const study = findEvent(registered.events, 'researchConsent', 'StudyRegistered').data.study.toNumber();
    await ok(api.tx.researchConsent.approveStudy(study, BOARD), 'reviewer');
    const { participant, binding } = cliOk('ferdie', ['consent', 'participant', '--study', String(study)]);
    Object.assign(research, { participant, binding });
    await ok(api.tx.balances.transferKeepAlive(participant, UNIT), 'alice');
    const { consent } = cliOk('ferdie', ['consent', 'give', '--study', String(study), '--types', 'Condition']);
    await ok(api.tx.researchConsent.requestAccess(study, participant), 'researcher');
    cliOk('researcher', ['record', 'get', String(conditionRecord), '--participant', participant, '--binding', binding,
      '--out', path.join(work.dir, 'research-read.json')]);
    await waitFor('the research release on the participant\'s log', async () => (await api.query.researchConsent.releaseLog(participant, 0)).isSome,
      { timeout: 30_000, interval: 1_000 });
    cliOk('ferdie', ['consent', 'withdraw', String(consent), '--study', String(study)]);
    assert.ok((await api.query.researchConsent.accesses(participant, accounts.researcher)).isNone);
  });

  it('finds nothing clinical in any block, event or state, and the GTIN nowhere next to the patient', async (t) => {
    const clinical = {
      ...encodings('the patient\'s name', PATIENT_NAME),
      ...encodings('ICD-10 E11.9', DIAGNOSIS),
      ...encodings('CPT 99213', PROCEDURE),
      ...encodings('LOINC 8867-4', HEART_RATE),
      ...encodings('the GTIN as text', String(GTIN)),
    };
    // Public where nothing names the patient: the supply chain's GTIN, the study registry's
    // disease code, the participant.
    // A small number alone is in every counter and nonce (120 is some account's nonce): the
    // bound and the reading are health information next to the patient, so they are looked
    // for there, in every encoding.
    const gtin = {
      ...encodings('the alert bound 120', BOUND),
      ...encodings('the reading 187', READING),
      ...encodings('the GTIN', GTIN),
      ...encodings('the study\'s disease code', STUDY_DISEASE),
      'the participant': Buffer.from(decodeAddress(research.participant)),
    };
    controls['the participant'] = gtin['the participant'];
    const patient = { 'the patient\'s account': Buffer.from(decodeAddress(accounts.ferdie)) };
    const binding = { 'the patient\'s binding of the participant': Buffer.from(research.binding, 'hex') };
    const { hits, blocks, extrinsics, events, entries } = await scanChain(api, { ...clinical, ...gtin, ...patient, ...controls, ...binding });
    t.diagnostic(`walked ${blocks} blocks, ${extrinsics} extrinsics, ${events} events, ${entries} distinct state entries`);
    const named = (name) => hits.filter((hit) => hit.name === name);

    // The controls: the walk sees block bodies, events and states, and what they hold.
    for (const name of [...Object.keys(controls), ...Object.keys(patient), 'the GTIN (LE 64-bit)']) {
      const kinds = new Set(named(name).map((hit) => hit.where.split(' ')[0]));
      assert.ok(kinds.has('block') && kinds.has('state'), `the control ${name} was found in ${[...kinds]}`);
    }
    assert.ok(blocks > 40 && extrinsics > blocks && events > blocks && entries > 500, `walked ${blocks} blocks, ${extrinsics} extrinsics, ${events} events, ${entries} state entries`);

    const leaks = hits.filter((hit) => hit.name in clinical || hit.name in binding).map(({ where, name }) => `${name} in ${where}`);
    assert.deepEqual(leaks, []);
    const patientKey = patient['the patient\'s account'];
    const linked = hits.filter((hit) => hit.name in gtin && hit.bytes.includes(patientKey)).map(({ where, name }) => `${name} next to the patient in ${where}`);
    assert.deepEqual(linked, []);
  });
});
