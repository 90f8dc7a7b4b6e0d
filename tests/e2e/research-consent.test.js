// Clinical research under participants, on a dev node with the demo consortium, the
// hospital's vault and the `healthchain` CLI: the research institute's researcher (DaveStash)
// registers a diabetes study and the ethics board's reviewer (EveStash) approves it; the
// patient (Ferdie) derives its participant for the study and binds it (CLI), the study team
// funds the participant, which consents; the patient's own account may not; the researcher's
// request is granted and it reads the patient's observation through the vault, presenting the
// binding (a wrong binding, or a reader without access, is refused); the vault logs the release
// on the participant's log with a digest, not the record; the patient withdraws (CLI), and the
// next read and request are refused. Nothing on chain puts the patient next to the
// participant, the study or its disease code, and the binding is nowhere on chain.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { cliFor, writeKeyFiles } from './lib/cli.js';
import { findEvent, submitOk, submitRefused, UNIT } from './lib/chain.js';
import { freePort, startDevNode, tempDir, waitFor } from './lib/node.js';
import { scanChain } from './lib/scan.js';
import { killVault, startVault } from './lib/vault.js';

const HOSPITAL = 1;
const INSTITUTE = 6;
const BOARD = 7;
const YEAR = 365 * 24 * 3600 * 1000;

describe('research consent under participants, read through the vault', () => {
  let dev;
  let api;
  let work;
  let vault;
  const keys = {};
  const accounts = {};
  const pairs = {};
  const { cli, cliOk } = cliFor(() => dev.node.rpcUrl, keys);
  const ok = (tx, who) => submitOk(api, tx, pairs[who]);
  let study;
  let record;
  let document;
  let participant;
  let binding;
  let consent;

  before(async () => {
    await cryptoWaitReady();
    work = tempDir('research');
    dev = await startDevNode('research-consent');
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    // DaveStash: the institute's certified researcher; EveStash: the board's reviewer;
    // Charlie: a hospital practitioner (no researcher); Bob: the hospital's admin.
    writeKeyFiles(work.dir, [['ferdie', '//Ferdie'], ['researcher', '//Dave//stash'], ['reviewer', '//Eve//stash'],
      ['charlie', '//Charlie'], ['bob', '//Bob'], ['alice', '//Alice'], ['vault', null]], { keys, accounts, pairs, keyring });
    await ok(api.tx.balances.transferKeepAlive(accounts.vault, 10n * UNIT), 'alice');
    const vaultUrl = `http://127.0.0.1:${await freePort()}`;
    cliOk('bob', ['register-vault', '--organisation', String(HOSPITAL), '--vault-key-file', keys.vault, '--endpoint', vaultUrl]);
    vault = await startVault({ node: dev.node.rpcUrl, keyFile: keys.vault, dataDir: path.join(work.dir, 'vault'), url: vaultUrl });
    cliOk('ferdie', ['key', 'publish', 'patient']);
    for (const who of ['charlie', 'researcher']) cliOk(who, ['key', 'publish', 'staff']);
    // The patient's observation, written by the hospital under the patient's grant.
    cliOk('ferdie', ['grant', `org:${HOSPITAL}`, '--types', 'Observation', '--access', 'write', '--days', '30']);
    document = JSON.stringify({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
      valueQuantity: { value: 7.9, unit: '%' }, note: [{ text: `research-e2e-${Date.now()}` }] });
    const file = path.join(work.dir, 'hba1c.json');
    writeFileSync(file, document);
    record = cliOk('charlie', ['record', 'put', file, '--patient', accounts.ferdie, '--custodian', String(HOSPITAL), '--under', `org:${HOSPITAL}`]).record;
  });

  after(async () => {
    await killVault(vault);
    await dev?.stop();
    work?.cleanup();
  });

  it('registers and approves a study; the patient consents under its participant, never under its own account', async () => {
    const registered = await ok(api.tx.researchConsent.registerStudy(
      INSTITUTE, `0x${'5a'.repeat(32)}`, 'Helvetic Diabetes Foundation',
      { purpose: { DiseaseSpecific: 'E11' }, modifiers: ['PublicationRequired', 'NotForProfitUse'] },
      ['Observation', 'Condition'], 0, Date.now() + YEAR, [],
    ), 'researcher');
    study = findEvent(registered.events, 'researchConsent', 'StudyRegistered').data.study.toNumber();
    await ok(api.tx.researchConsent.approveStudy(study, BOARD), 'reviewer');

    ({ participant, binding } = cliOk('ferdie', ['consent', 'participant', '--study', String(study)]));
    assert.notEqual(participant, accounts.ferdie);
    assert.equal(cliOk('ferdie', ['consent', 'participant', '--study', String(study)]).participant, participant, 'the phrase gives it back');
    assert.equal((await api.call.researchConsentApi.mayUse(study, participant)).asErr.type, 'NoConsent');

    // The patient's own account would name it next to the study.
    assert.equal(await submitRefused(api, api.tx.researchConsent.giveConsent({ Study: study }, ['Observation'], null), pairs.ferdie),
      'researchConsent.ConsentUnderIdentity');
    // The study team funds the participant's fees; the participant consents.
    await ok(api.tx.balances.transferKeepAlive(participant, UNIT), 'alice');
    const given = cliOk('ferdie', ['consent', 'give', '--study', String(study), '--types', 'Observation']);
    assert.equal(given.participant, participant);
    consent = given.consent;
    const permit = await api.call.researchConsentApi.mayUse(study, participant);
    assert.equal(permit.asOk.consent.toNumber(), consent);
    assert.deepEqual(permit.asOk.recordTypes.map((t) => t.type), ['Observation']);
    assert.deepEqual(cliOk('ferdie', ['consent', 'list']).consents.map((c) => [c.consent, c.participant]), [[consent, participant]]);
  });

  it('grants the researcher access; the vault releases the record on the patient\'s binding and logs it on the participant\'s log', async () => {
    const requested = await ok(api.tx.researchConsent.requestAccess(study, participant), 'researcher');
    const granted = findEvent(requested.events, 'researchConsent', 'AccessGranted').data;
    assert.equal(granted.participant.toString(), participant);
    assert.equal(granted.consent.toNumber(), consent);

    const out = path.join(work.dir, 'research-read.json');
    cliOk('researcher', ['record', 'get', String(record), '--participant', participant, '--binding', binding, '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), document, 'the exact bytes');

    // Another participant's binding does not bind this one; a reader without access is refused.
    const other = cliOk('ferdie', ['consent', 'participant', '--study', String(study + 1)]);
    const unbound = cli('researcher', ['record', 'get', String(record), '--participant', participant, '--binding', other.binding]);
    assert.equal(unbound.status, 1, unbound.stderr);
    assert.match(unbound.stderr, /403.*NoBinding/);
    const outsider = cli('charlie', ['record', 'get', String(record), '--participant', participant, '--binding', binding]);
    assert.equal(outsider.status, 1, outsider.stderr);
    assert.match(outsider.stderr, /403.*NoAccess/);

    const logged = await waitFor('the release on the participant\'s log', async () => {
      const entry = await api.query.researchConsent.releaseLog(participant, 0);
      return entry.isSome ? entry.unwrap() : null;
    }, { timeout: 30_000, interval: 1_000 });
    assert.equal(logged.researcher.toString(), accounts.researcher);
    assert.equal(logged.study.toNumber(), study);
    assert.equal(logged.custodian.toNumber(), HOSPITAL);
    assert.equal(logged.records.toNumber(), 1);
    assert.notEqual(logged.digest.toHex(), `0x${'00'.repeat(32)}`);
    assert.equal((await api.query.researchConsent.releaseLogLength(participant)).toNumber(), 1, 'only the released read');
  });

  it('ends the access when the patient withdraws: the next read and request are refused', async () => {
    const withdrawn = cliOk('ferdie', ['consent', 'withdraw', String(consent), '--study', String(study)]);
    assert.equal(withdrawn.withdrawn, consent);
    assert.ok((await api.query.researchConsent.accesses(participant, accounts.researcher)).isNone);
    const read = cli('researcher', ['record', 'get', String(record), '--participant', participant, '--binding', binding]);
    assert.equal(read.status, 1, read.stderr);
    assert.match(read.stderr, /403.*NoAccess/);
    const refused = await ok(api.tx.researchConsent.requestAccess(study, participant), 'researcher');
    assert.equal(findEvent(refused.events, 'researchConsent', 'AccessRefused').data.reason.type, 'ConsentWithdrawn');
    const versions = await api.query.researchConsent.consentVersions.entries(consent);
    assert.deepEqual(versions.map(([, v]) => v.unwrap().change.type).sort(), ['Given', 'Withdrawn']);
  });

  it('puts the patient next to neither the participant nor the study\'s disease code anywhere on chain; the binding is not on chain', async () => {
    const patient = Buffer.from(decodeAddress(accounts.ferdie));
    const { hits } = await scanChain(api, {
      patient,
      participant: Buffer.from(decodeAddress(participant)),
      disease: Buffer.from('E11'),
      binding: Buffer.from(binding, 'hex'),
    });
    const where = (name) => hits.filter((hit) => hit.name === name);
    // Controls: the participant and the patient are on chain, each on its own.
    assert.ok(where('participant').length > 0 && where('patient').length > 0 && where('disease').length > 0);
    assert.deepEqual(where('binding').map((hit) => hit.where), []);
    const together = (a, b) => hits.filter((hit) => hit.name === a && where(b).some((other) => other.where === hit.where)).map((hit) => hit.where);
    assert.deepEqual(together('patient', 'participant'), []);
    assert.deepEqual(together('patient', 'disease'), []);
  });
});
