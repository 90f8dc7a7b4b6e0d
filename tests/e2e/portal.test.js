// The patient and clinician portal in a real browser: Debian's Chromium, headless, driven by
// playwright-core, against a dev node, the hospital's vault (which serves the portal) and the
// pharmacy's vault on another origin. A patient signs in with the CLI's key file and grants a
// clinician Observation access; the clinician signs in with a phrase in a second browser
// context, opens Observations held by both vaults (sealed by the CLI, opened in the page) and
// sees their values; the patient sees the reads on the access log; the patient revokes, and
// the clinician's next open is refused with a readable message; the clinician breaks the glass,
// which the patient sees highlighted. axe-core checks each page for WCAG 2.1 A/AA violations;
// screenshots of each page go to portal/screenshots for the README.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress, signatureVerify, xxhashAsHex } from '@polkadot/util-crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { chromium } from 'playwright-core';
import { findEvent, submitOk, UNIT } from './lib/chain.js';
import { freePort, runNodeCommand, startDevNode, tempDir, waitFor } from './lib/node.js';
import { cliFor, writeKeyFiles } from './lib/cli.js';
import { killVault, startVault } from './lib/vault.js';
import { aClinicianReadsAHeartRate, CHROMIUM, PASSPHRASE, PORTAL, portalForLightClients, seriousViolations, shoot, short, signInWithPhrase } from './lib/portal.js';

const HOSPITAL = 1;
const PHARMACY = 2;
const INSTITUTE = 6;
const ETHICS_BOARD = 7;

describe('the portal in headless Chromium', () => {
  let dev;
  let work;
  let browser;
  const vaults = {};
  const keys = {};
  const accounts = {};
  const records = {};
  const pages = {};
  const problems = []; // console errors and failed requests of every page
  let study;
  const { cli, cliOk } = cliFor(() => dev.node.rpcUrl, keys);

  function observation(code, display, value, unit, tag) {
    return JSON.stringify({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code, display }] },
      effectiveDateTime: '2026-12-01T09:30:00Z',
      valueQuantity: { value, unit },
      referenceRange: [{ low: { value: 4, unit }, high: { value: 5.6, unit } }],
      note: [{ text: tag }],
    });
  }

  async function newPage(who) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`${who} console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${who} page error: ${e.message}`));
    await page.goto(`${vaults.hospital.url}/portal/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    return page;
  }

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('portal');
    dev = await startDevNode('portal');
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['charlie', '//Charlie'], ['bob', '//Bob'], ['eve', '//Eve'],
      ['hospitalvault', null], ['pharmacyvault', null]], { keys, accounts });
    // Each vault's account pays for the access log it writes.
    const alice = keyring.addFromUri('//Alice');
    for (const vault of ['hospitalvault', 'pharmacyvault']) {
      await submitOk(dev.api, dev.api.tx.balances.transferKeepAlive(accounts[vault], 10n * UNIT), alice);
    }
    for (const [name, organisation, admin] of [['hospital', HOSPITAL, 'bob'], ['pharmacy', PHARMACY, 'eve']]) {
      const url = `http://127.0.0.1:${await freePort()}`;
      cliOk(admin, ['register-vault', '--organisation', String(organisation), '--vault-key-file', keys[`${name}vault`], '--endpoint', url]);
      // Only the hospital's vault serves the portal: the pharmacy's is reached across origins.
      const args = name === 'hospital' ? ['--portal', PORTAL] : [];
      vaults[name] = { url, proc: await startVault({ node: dev.node.rpcUrl, keyFile: keys[`${name}vault`], dataDir: path.join(work.dir, name), url, args }) };
    }
    cliOk('ferdie', ['key', 'publish', 'patient']);
    cliOk('charlie', ['key', 'publish', 'staff']);
    // The patient's own readings, sealed by the CLI: an HbA1c at the hospital, a heart rate at the pharmacy.
    for (const [name, organisation, document] of [
      ['earlierHba1c', HOSPITAL, observation('4548-4', 'Hemoglobin A1c', 8.4, '%', 'three months before').replace('2026-12-01', '2026-09-01')],
      ['hba1c', HOSPITAL, observation('4548-4', 'Hemoglobin A1c', 7.9, '%', `portal-e2e-${Date.now()}`)],
      ['pulse', PHARMACY, JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' }, valueQuantity: { value: 72, unit: '/min' } })],
      ['report', HOSPITAL, JSON.stringify({ resourceType: 'DiagnosticReport', status: 'final', code: { text: 'Lipid panel' }, conclusion: 'Within range' })],
    ]) {
      const file = path.join(work.dir, `${name}.json`);
      writeFileSync(file, document);
      records[name] = cliOk('ferdie', ['record', 'put', file, '--custodian', String(organisation), '--under', 'patient']).record;
    }
    // A study of type 2 diabetes by the research institute, approved by the ethics board.
    const researcher = keyring.addFromUri('//Dave//stash');
    const registered = await submitOk(dev.api, dev.api.tx.researchConsent.registerStudy(
      INSTITUTE, `0x${'5a'.repeat(32)}`, 'Helvetic Diabetes Foundation',
      { purpose: { DiseaseSpecific: 'E11' }, modifiers: ['PublicationRequired', 'NotForProfitUse'] },
      ['Observation', 'Condition'], 0, Date.now() + 365 * 86_400_000, []), researcher);
    study = findEvent(registered.events, 'researchConsent', 'StudyRegistered').data.study.toNumber();
    await submitOk(dev.api, dev.api.tx.researchConsent.approveStudy(study, ETHICS_BOARD), keyring.addFromUri('//Eve//stash'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    for (const vault of Object.values(vaults)) await killVault(vault.proc);
    await dev?.stop();
    work?.cleanup();
  });

  it('serves the sign-in page with a content security policy, and it has no serious accessibility violation', async () => {
    const response = await fetch(`${vaults.hospital.url}/portal/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
    const config = await (await fetch(`${vaults.hospital.url}/portal/config.json`)).json();
    assert.deepEqual(config, { node: dev.node.rpcUrl, organisation: HOSPITAL, chainSpec: null });
    const missing = await fetch(`${vaults.hospital.url}/portal/..%2Fpackage.json`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error, 'NoSuchPath');
    pages.patient = await newPage('patient');
    assert.deepEqual(await seriousViolations(pages.patient), []);
    await shoot(pages.patient, 'sign-in');
  });

  it('signs the patient in with the CLI\'s key file and lists the records the CLI put', async () => {
    const page = pages.patient;
    await page.getByLabel('Key file').setInputFiles(keys.ferdie);
    await page.getByLabel('A passphrase to keep your keys').fill(PASSPHRASE);
    await page.getByLabel('The passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in').filter({ hasText: accounts.ferdie }).waitFor();
    for (const record of Object.values(records)) await page.getByRole('button', { name: `Open record ${record}` }).waitFor();
    // The patient opens its own record: sealed by the CLI, opened in the page.
    await page.getByRole('button', { name: `Open record ${records.hba1c}` }).click();
    assert.equal(await page.getByTestId('observation-value').textContent(), '7.9 %');
    await page.getByText('Outside the reference range').waitFor();
    // Both HbA1c readings, opened in the page, as a chart and a table, oldest first.
    await page.getByRole('button', { name: 'Show this measurement over time' }).click();
    const series = page.getByTestId('series');
    await series.waitFor();
    assert.deepEqual((await series.locator('tbody td:nth-child(2)').allTextContents()), ['8.4 %', '7.9 %']);
    await shoot(page, 'patient-series');
    // The keys are kept encrypted: the phrase is nowhere in the browser's storage.
    const kept = await page.evaluate(() => JSON.stringify(localStorage));
    assert.ok(!kept.includes('//Ferdie') && kept.includes(accounts.ferdie), kept);
  });

  it('lets the patient grant the clinician Observation access (read, add and amend)', async () => {
    const page = pages.patient;
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByLabel('Practitioner\'s account').fill(accounts.charlie);
    const form = page.locator('#grant-form');
    await form.getByRole('checkbox', { name: 'Observation' }).check();
    await form.getByRole('radio', { name: 'Read, add and amend' }).check();
    await page.getByRole('button', { name: 'Give access' }).click();
    await page.getByRole('status').filter({ hasText: 'Access given' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: `Revoke ${short(accounts.charlie)}` }).waitFor();
    // Widen the grant to diagnostic reports, then narrow it back: granting again changes the terms.
    const row = page.locator('tr', { has: page.getByRole('button', { name: `Revoke ${short(accounts.charlie)}` }) });
    for (const [type, check, expected] of [['DiagnosticReport', true, 'Observation, DiagnosticReport'], ['DiagnosticReport', false, 'Observation']]) {
      await page.getByRole('button', { name: `Change ${short(accounts.charlie)}` }).click();
      assert.equal(await page.getByLabel('Practitioner\'s account').inputValue(), accounts.charlie);
      assert.ok(await form.getByRole('radio', { name: 'Read, add and amend' }).isChecked(), 'the form holds the grant\'s terms');
      await form.getByRole('checkbox', { name: type }).setChecked(check);
      await page.getByRole('button', { name: 'Give access' }).click();
      await row.getByRole('cell', { name: expected, exact: true }).waitFor({ timeout: 60_000 });
    }
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, 'patient');
  });

  it('lets the clinician open the Observations, from both vaults, and the patient see the reads', async () => {
    pages.clinician = await newPage('clinician');
    const page = pages.clinician;
    await signInWithPhrase(page, '//Charlie');
    await page.getByRole('button', { name: `Show records of ${short(accounts.ferdie)}` }).click();
    // Only what the grant covers is listed: the diagnostic report is not.
    assert.equal(await page.getByTestId('out-of-scope').textContent(), '1 record is of a type the patient has not shared with you.');
    assert.equal(await page.getByRole('button', { name: `Open record ${records.report}` }).count(), 0);
    await page.getByRole('button', { name: `Open record ${records.hba1c}` }).click();
    await page.getByTestId('observation-value').filter({ hasText: '7.9 %' }).waitFor();
    await page.getByText('This read is logged on the patient\'s access log').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, 'clinician-record');
    // The pharmacy's vault, on another origin, releases the other reading to the same page.
    await page.getByRole('button', { name: `Open record ${records.pulse}` }).click();
    await page.getByTestId('observation-value').filter({ hasText: '72 /min' }).waitFor();
    // The hospital's and the pharmacy's vaults log the reads; the patient's page shows them as
    // their blocks are finalized, without a reload.
    const log = pages.patient.getByTestId('log-entry');
    await waitFor('both reads on the patient\'s access log', async () => (await log.count()) === 2, { timeout: 60_000, interval: 500 });
    const rows = await log.allTextContents();
    for (const [record, organisation] of [[records.hba1c, HOSPITAL], [records.pulse, PHARMACY]]) {
      assert.ok(rows.some((row) => row.includes(short(accounts.charlie)) && row.includes(`organisation ${organisation}`)
        && row.includes(String(record)) && row.includes('treatment')), rows.join('\n'));
    }
  });

  it('lets the clinician add records sealed in the page, which the patient opens there and the CLI reads byte for byte', async () => {
    const page = pages.clinician;
    await page.getByLabel('Measurement').selectOption({ label: 'Heart rate (/min)' });
    await page.getByLabel('Value').fill('64');
    await page.getByRole('button', { name: 'Add the Observation' }).click();
    const added = page.getByRole('status').filter({ hasText: /Record \d+ added/ });
    await added.waitFor({ timeout: 60_000 });
    records.form = Number(/Record (\d+) added/.exec(await added.textContent())[1]);
    // A FHIR resource from a file: the CLI must read back exactly its bytes.
    const file = path.join(work.dir, 'glucose.json');
    const document = observation('2339-0', 'Glucose', 98, 'mg/dL', `portal-upload-${Date.now()}`);
    writeFileSync(file, document);
    await page.getByLabel('FHIR resource (JSON file)').setInputFiles(file);
    await page.getByRole('button', { name: 'Add the resource' }).click();
    const uploaded = page.getByRole('status').filter({ hasText: new RegExp(`Record (?!${records.form} )\\d+ added`) });
    await uploaded.waitFor({ timeout: 60_000 });
    records.upload = Number(/Record (\d+) added/.exec(await uploaded.textContent())[1]);
    const out = path.join(work.dir, 'upload-read.json');
    cliOk('ferdie', ['record', 'get', String(records.upload), '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), document, 'the CLI opens what the page sealed, byte for byte');
    const listed = cliOk('ferdie', ['record', 'list']).records.find((r) => r.record === records.form);
    assert.deepEqual([listed.type, listed.custodian], ['Observation', HOSPITAL]);
    // The patient's page lists both as they are finalized, and opens the one from the form.
    const patient = pages.patient;
    await patient.getByRole('button', { name: `Open record ${records.upload}` }).waitFor({ timeout: 60_000 });
    await patient.getByRole('button', { name: `Open record ${records.form}` }).click();
    await patient.getByTestId('observation-value').filter({ hasText: '64 /min' }).waitFor();
    await patient.getByRole('button', { name: 'Close' }).click();
  });

  it('refuses the clinician with a readable message once the patient revokes', async () => {
    await pages.patient.getByRole('button', { name: `Revoke ${short(accounts.charlie)}` }).click();
    await pages.patient.getByRole('status').filter({ hasText: 'Access revoked' }).waitFor({ timeout: 60_000 });
    const page = pages.clinician;
    await page.getByRole('button', { name: `Open record ${records.hba1c}` }).click();
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'You have no grant from this patient that covers this record' }).waitFor();
    assert.doesNotMatch(await alert.textContent(), /\[object|Error:|undefined/);
    await shoot(page, 'clinician-refused');
  });

  it('lets the patient consent to a study under its participant, in DUO words, and withdraw', async () => {
    const page = pages.patient;
    const item = page.locator(`li[data-study="${study}"]`);
    await item.getByText('research on the disease E11 (ICD-10) and its subtypes only; not-for-profit use only; the results are published').waitFor();
    // The page derives the participant the CLI derives, and binds it with the patient's key.
    const expected = cliOk('ferdie', ['consent', 'participant', '--study', String(study)]).participant;
    await item.getByText('For the study team').click();
    assert.match(await item.textContent(), new RegExp(`Participant: ${expected}`));
    const bindingHex = /Binding: ([0-9a-f]{128})/.exec(await item.textContent())[1];
    assert.ok(signatureVerify(u8aConcat(new TextEncoder().encode('healthchain/research-participant/v1:'), decodeAddress(expected)),
      `0x${bindingHex}`, accounts.ferdie).isValid, 'the binding is the patient\'s signature over its participant');
    // Unfunded, the participant cannot pay: the page says so.
    await item.getByRole('button', { name: `Consent to study ${study}` }).click();
    await page.getByRole('alert').filter({ hasText: 'has no funds for the fee yet' }).waitFor();
    // The study team funds it; the patient consents to both types, then narrows to Observations.
    await submitOk(dev.api, dev.api.tx.balances.transferKeepAlive(expected, UNIT), new Keyring({ type: 'sr25519' }).addFromUri('//Alice'));
    await item.getByRole('button', { name: `Consent to study ${study}` }).click();
    await item.getByText('You consent to its use of Observation, Condition until you withdraw').waitFor({ timeout: 60_000 });
    await item.getByRole('checkbox', { name: 'Condition' }).uncheck();
    await item.getByRole('button', { name: `Narrow consent to study ${study}` }).click();
    await item.getByText('You consent to its use of Observation until you withdraw').waitFor({ timeout: 60_000 });
    const listed = cliOk('ferdie', ['consent', 'list']).consents.find((c) => c.scope === `study ${study}`);
    assert.deepEqual([listed.participant, listed.types, listed.withdrawnIn], [expected, ['Observation'], null]);
    await item.getByRole('button', { name: `Withdraw consent to study ${study}` }).click();
    await item.getByText(/You withdrew your consent \(in block \d+\)/).waitFor({ timeout: 60_000 });
    assert.notEqual(cliOk('ferdie', ['consent', 'list']).consents.find((c) => c.scope === `study ${study}`).withdrawnIn, null);
  });

  it('shows the patient a break-glass access, highlighted, and its emergency read', async () => {
    const page = pages.clinician;
    const glass = page.locator('#glass-form');
    await glass.getByLabel('Patient\'s account').fill(accounts.ferdie);
    await glass.getByLabel('Reason').selectOption('Unresponsive');
    await page.getByRole('button', { name: 'Break the glass' }).click();
    await page.getByRole('status').filter({ hasText: 'Emergency access open' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: `Open record ${records.hba1c}` }).click();
    await page.getByTestId('observation-value').filter({ hasText: '7.9 %' }).waitFor();
    await shoot(page, 'clinician');
    const patient = pages.patient;
    const notice = patient.locator('#break-glass');
    await notice.waitFor({ timeout: 60_000 });
    assert.match(await notice.textContent(), /Break-glass: .*the patient was unresponsive.*review: pending/s);
    const emergency = patient.locator('tr.emergency[data-testid=log-entry]');
    await emergency.waitFor({ timeout: 60_000 });
    assert.match(await emergency.textContent(), /Emergency read \(break-glass \d+, review pending\)/);
    assert.deepEqual(await seriousViolations(patient), []);
    await shoot(patient, 'patient-break-glass');
    // The browser logs the one refusal the clinician met (403 after revocation); nothing else.
    const refused = problems.filter((p) => p.startsWith('clinician console: Failed to load resource') && p.includes('403'));
    assert.equal(refused.length, 1, problems.join('\n'));
    assert.deepEqual(problems.filter((p) => !refused.includes(p)), []);
  });

  it('erases a record at the patient\'s word, after a confirmation, and shows its vault\'s confirmation', async () => {
    const page = pages.patient;
    await page.getByRole('button', { name: `Erase record ${records.pulse}`, exact: true }).click();
    await page.getByText('Erase every version of this record for good?').waitFor();
    await page.getByRole('button', { name: `Erase record ${records.pulse} for good` }).click();
    // The pharmacy's vault deletes it and confirms on chain; the page shows it when finalized.
    await page.getByText(/Erased on .*; organisation 2's vault deleted it on /).waitFor({ timeout: 60_000 });
    const gone = cli('charlie', ['record', 'get', String(records.pulse)]);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /410|erased/i);
    await shoot(page, 'patient-erased');
  });

  it('shows the patient\'s prescriptions, found from the MedicationRequest the prescriber filed and checked against the chain\'s commitment', async () => {
    // The prescriber files the MedicationRequest as the patient's record (under the patient's
    // grant for it), then issues the prescription with that record's content hash. The salt of
    // the patient commitment is in the document, which only its readers can open.
    const salt = u8aToHex(randomBytes(32));
    const request = {
      resourceType: 'MedicationRequest', status: 'active', intent: 'order', authoredOn: '2026-12-01',
      medicationCodeableConcept: { coding: [{ system: 'https://www.gs1.org/gtin', code: '09506000134376', display: 'Metformin 500 mg tablets' }] },
      dosageInstruction: [{ text: 'One tablet twice a day with meals' }],
      dispenseRequest: { quantity: { value: 60, unit: 'tablets' }, numberOfRepeatsAllowed: 2 },
      extension: [{ url: 'urn:healthchain:fhir:prescription-patient-salt', valueString: salt }],
    };
    cliOk('ferdie', ['grant', accounts.charlie, '--types', 'MedicationRequest', '--access', 'write', '--days', '1']);
    const file = path.join(work.dir, 'medication-request.json');
    writeFileSync(file, JSON.stringify(request));
    const filed = cliOk('charlie', ['record', 'put', file, '--patient', accounts.ferdie, '--custodian', String(HOSPITAL), '--under', 'grant']);
    assert.equal(filed.recordType, 'MedicationRequest');
    const commitment = (account) => u8aToHex(blake2AsU8a(u8aConcat(decodeAddress(account), hexToU8a(salt)), 256));
    const now = (await dev.api.query.timestamp.now()).toNumber();
    const day = 86_400_000;
    // The item commitment is the pharmacy's to open, not this test's concern.
    // The prescription names the document by its content hash salted with the patient salt: the
    // content hash alone is on chain beside the patient, and would join the two.
    const requestHash = u8aToHex(blake2AsU8a(u8aConcat(hexToU8a(`0x${filed.contentHash}`), hexToU8a(salt)), 256));
    const issue = (patient) => dev.api.tx.prescriptions.issuePrescription(commitment(patient), requestHash,
      `0x${'17'.repeat(32)}`, false, 2, 7 * day, now, now + 30 * day);
    const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie');
    const issued = await submitOk(dev.api, issue(accounts.ferdie), charlie);
    const mine = findEvent(issued.events, 'prescriptions', 'PrescriptionIssued').data.prescription.toNumber();
    // A second prescription names the same document but another patient: not the patient's.
    await submitOk(dev.api, issue(accounts.charlie), charlie);
    const page = pages.patient;
    await page.getByText('1 prescription on the chain names one of your prescription documents but not you').waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('prescription');
    assert.equal(await rows.count(), 1);
    const shown = await rows.textContent();
    for (const part of [String(mine), 'Metformin 500 mg tablets, 60 tablets each fill', 'One tablet twice a day with meals', '0 of 3 dispensed', 'active', short(accounts.charlie)]) {
      assert.ok(shown.includes(part), `"${part}" in "${shown}"`);
    }
    // The document itself, opened from the patient's records, reads as a prescription.
    await page.getByRole('button', { name: `Open record ${filed.record}` }).click();
    await page.locator('.medication-request').getByText('How to take it').waitFor();
    assert.doesNotMatch(await page.locator('#viewer').textContent(), new RegExp(salt.slice(2, 18)), 'the salt is not shown');
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, 'patient-prescriptions');
    // The patient cancels it, after a confirmation, opening the commitment with the salt.
    await page.getByRole('button', { name: `Cancel prescription ${mine}`, exact: true }).click();
    await page.getByRole('button', { name: `Cancel prescription ${mine} for good` }).click();
    await rows.filter({ hasText: 'cancelled by you' }).waitFor({ timeout: 60_000 });
    const cancelled = (await dev.api.query.prescriptions.prescriptions(mine)).unwrap().status;
    assert.equal(cancelled.type, 'Cancelled');
    assert.equal(cancelled.asCancelled.by.toString(), accounts.ferdie);
  });
});

/**
 * A JSON-RPC proxy in front of a node that lies: it drops every access-log entry from the
 * storage the new chainHead API reports (and from the legacy state queries), so that a page
 * trusting it sees nobody reading the patient's records.
 */
async function lyingProxy(nodeUrl) {
  const accessLog = `${xxhashAsHex('HealthRecords', 128)}${xxhashAsHex('AccessLog', 128).slice(2)}`;
  const port = await freePort();
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  let dropped = 0;
  server.on('connection', (client) => {
    const upstream = new WebSocket(nodeUrl);
    const pending = [];
    upstream.on('open', () => { for (const m of pending.splice(0)) upstream.send(m); });
    client.on('message', (m) => (upstream.readyState === WebSocket.OPEN ? upstream.send(String(m)) : pending.push(String(m))));
    upstream.on('message', (m) => {
      const answer = JSON.parse(String(m));
      const event = answer.params?.result;
      if (event?.event === 'operationStorageItems') {
        const before = event.items.length;
        event.items = event.items.filter((item) => !item.key.startsWith(accessLog));
        dropped += before - event.items.length;
      }
      if (Array.isArray(answer.result) && answer.result.every((k) => typeof k === 'string' && k.startsWith('0x'))) {
        const before = answer.result.length;
        answer.result = answer.result.filter((k) => !k.startsWith(accessLog));
        dropped += before - answer.result.length;
      }
      client.send(JSON.stringify(answer));
    });
    const close = () => { client.close(); upstream.close(); };
    client.on('close', close);
    upstream.on('close', close);
    upstream.on('error', close);
  });
  return { url: `ws://127.0.0.1:${port}`, dropped: () => dropped, close: () => new Promise((r) => server.close(r)) };
}

describe('the portal on the light client: verified, not trusted', () => {
  let dev;
  let work;
  let browser;
  let vault;
  let proxy;
  let portalUrl;
  const keys = {};
  const accounts = {};
  const { cli, cliOk } = cliFor(() => dev.node.rpcUrl, keys);

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('portal-light');
    // Aura and GRANDPA, as on a consortium chain: what a light client verifies. The node also
    // listens for WebSocket p2p connections, which a browser can open.
    const wsPort = await freePort();
    dev = await startDevNode('portal-light', ['--consensus', 'aura', '--listen-addr', `/ip4/127.0.0.1/tcp/${wsPort}/ws`]);
    const peerId = (await dev.api.rpc.system.localPeerId()).toString();
    // The portal as an organisation serves it for light clients: the bundle and the chain spec.
    const portal = portalForLightClients(path.join(work.dir, 'portal'),
      JSON.parse(runNodeCommand(['build-spec', '--dev', '--raw']).stdout), `/ip4/127.0.0.1/tcp/${wsPort}/ws/p2p/${peerId}`);
    writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['charlie', '//Charlie'], ['bob', '//Bob'], ['vault', null]], { keys, accounts });
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    await submitOk(dev.api, dev.api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT), keyring.addFromUri('//Alice'));
    const url = `http://127.0.0.1:${await freePort()}`;
    cliOk('bob', ['register-vault', '--organisation', String(HOSPITAL), '--vault-key-file', keys.vault, '--endpoint', url]);
    proxy = await lyingProxy(dev.node.rpcUrl);
    // The page is told to use the lying proxy as its node.
    vault = await startVault({ node: dev.node.rpcUrl, keyFile: keys.vault, dataDir: path.join(work.dir, 'vault'), url,
      args: ['--portal', portal, '--portal-node', proxy.url] });
    portalUrl = `${url}/portal/`;
    await aClinicianReadsAHeartRate({ cli, cliOk, accounts, dir: work.dir, custodian: HOSPITAL, bpm: 61 });
    await waitFor('the read on the access log, finalized', async () => {
      const at = await dev.api.at(await dev.api.rpc.chain.getFinalizedHead());
      return (await at.query.healthRecords.accessLogLength(accounts.ferdie)).toNumber() === 1;
    }, { timeout: 60_000, interval: 1_000 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await killVault(vault);
    await dev?.stop();
    work?.cleanup();
  });

  async function patientPage(query) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${portalUrl}${query}`);
    await signInWithPhrase(page, '//Ferdie');
    await page.getByTestId('signed-in').waitFor({ timeout: 120_000 });
    await page.getByRole('heading', { name: 'Who read my records' }).waitFor({ timeout: 120_000 });
    return page;
  }

  it('shows, through a node that lies, what the chain holds: the light client checks every answer against finalized headers', async () => {
    // Trusting the lying node, the page shows nobody read the records: the proxy works.
    const trusting = await patientPage('?mode=rpc');
    assert.equal(await trusting.locator('#mode').textContent(), 'Trusting a node');
    await waitFor('the proxy to drop the access log', async () => proxy.dropped() > 0, { timeout: 30_000 });
    await trusting.getByText('Nobody has read your records.').waitFor();
    await shoot(trusting, 'patient-trusting-a-lying-node');
    // On the light client, the same page, told of the same lying node, shows the read.
    const verified = await patientPage('');
    assert.equal(await verified.locator('#mode').textContent(), 'Light client');
    assert.match(await verified.locator('#finalized').textContent(), /verified by this page's light client/);
    const row = verified.getByTestId('log-entry');
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.textContent(), new RegExp(`${short(accounts.charlie)}.*treatment.*organisation ${HOSPITAL}`));
    assert.deepEqual(await seriousViolations(verified), []);
    await shoot(verified, 'patient-light-client');
  });
});

describe('the portal\'s transactions when the node goes silent', () => {
  let dev;
  before(async () => { dev = await startDevNode('portal-silent-node'); });
  after(async () => {
    dev?.node.process.kill('SIGCONT');
    await dev?.stop();
  });

  it('stops waiting after its deadline and says the transaction may still be included', async () => {
    // The page's own module, in Node: the same submit the buttons call.
    const chain = await import('../../portal/src/chain.js');
    const api = await chain.connect(dev.node.rpcUrl);
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    try {
      const done = await chain.submit(api, api.tx.system.remark('0x01'), alice, 60_000);
      assert.match(done.block, /^0x[0-9a-f]{64}$/);
      // The node stops (its socket stays open): no status ever comes.
      dev.node.process.kill('SIGSTOP');
      await assert.rejects(chain.submit(api, api.tx.system.remark('0x02'), alice, 3_000), (e) => {
        assert.ok(e instanceof chain.ChainError, e.stack);
        assert.equal(e.error, 'NoWord');
        assert.match(e.message, /has said nothing of this transaction for 3 s\. It may still be included/);
        return true;
      });
    } finally {
      dev.node.process.kill('SIGCONT');
      await api.disconnect();
    }
  });
});
