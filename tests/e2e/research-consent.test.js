// Clinical-research consent on a dev node, through @polkadot/api, with the demo consortium:
// the research institute's researcher (DaveStash) registers a study, the ethics board's
// reviewer (EveStash) approves it, the patient (Ferdie) gives a standing consent in Data Use
// Ontology terms, the researcher's request is granted (a read grant of the patient's records
// appears in the health-records pallet, and the chain permits the researcher to read a record
// under it); the
// patient withdraws, the grant is gone, and the next request is refused with its reason,
// which the runtime API gives too.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { findEvent, submitOk } from './lib/chain.js';
import { startDevNode } from './lib/node.js';

const INSTITUTE = 6;
const BOARD = 7;
const YEAR = 365 * 24 * 3600 * 1000;

describe('research consent on a dev node', () => {
  let dev;
  let api;
  let keyring;
  const ok = (tx, signer) => submitOk(api, tx, signer);

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('research-consent');
    ({ api } = dev);
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  });

  after(async () => {
    await dev?.stop();
  });

  it('registers, approves, consents, grants, withdraws and refuses', async () => {
    const [researcher, reviewer, patient] = ['//Dave//stash', '//Eve//stash', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
    const registered = await ok(api.tx.researchConsent.registerStudy(
      INSTITUTE,
      `0x${'5a'.repeat(32)}`,
      'Helvetic Heart Foundation',
      { purpose: { DiseaseSpecific: 'I21' }, modifiers: ['PublicationRequired', 'NotForProfitUse'] },
      ['Observation', 'Condition'],
      0,
      Date.now() + YEAR,
      [],
    ), researcher);
    const study = findEvent(registered.events, 'researchConsent', 'StudyRegistered').data.study.toNumber();
    const awaiting = await api.call.researchConsentApi.mayUse(study, patient.address);
    assert.equal(awaiting.asErr.type, 'StudyAwaitingApproval');

    await ok(api.tx.researchConsent.approveStudy(study, BOARD), reviewer);
    const given = await ok(api.tx.researchConsent.giveConsent(
      patient.address,
      { Standing: { purpose: 'HealthMedicalBiomedical', modifiers: ['NotForProfitUse'] } },
      ['Observation', 'Condition', 'Immunization'],
      null,
    ), patient);
    const consent = findEvent(given.events, 'researchConsent', 'ConsentGiven').data.consent.toNumber();
    const permit = await api.call.researchConsentApi.mayUse(study, patient.address);
    assert.ok(permit.isOk, `a standing consent to HMB, not for profit, covers DS-I21 NPU PUB: ${permit.toString()}`);
    assert.equal(permit.asOk.consent.toNumber(), consent);
    assert.deepEqual(permit.asOk.recordTypes.map((t) => t.type), ['Observation', 'Condition']);

    const requested = await ok(api.tx.researchConsent.requestAccess(study, patient.address), researcher);
    const granted = findEvent(requested.events, 'researchConsent', 'AccessGranted').data;
    assert.equal(granted.consent.toNumber(), consent);
    const grant = (await api.query.healthRecords.grants(patient.address, { Account: researcher.address })).unwrap();
    assert.equal(grant.basis.type, 'ResearchConsent');
    assert.equal(grant.access.type, 'Read');
    assert.equal(grant.expiresAt.toString(), granted.until.toString());

    // The patient's app adds a record, held by the hospital's vault; the chain permits the
    // researcher to read it.
    await ok(api.tx.healthIdentity.registerVault(1, keyring.addFromUri('//HospitalVault').address, 'https://vault.hospital.example'),
      keyring.addFromUri('//Bob'));
    const added = await ok(api.tx.healthRecords.addRecord(
      patient.address, 'Observation', `0x${'0b'.repeat(32)}`, 1, 'PatientOrGuardian',
    ), patient);
    const record = findEvent(added.events, 'healthRecords', 'RecordAdded').data.record.toNumber();
    const before = await api.call.healthRecordsApi.readPermit(record, researcher.address);
    assert.equal(before.asOk.authority.asGrant.asAccount.toString(), researcher.address);

    const withdrawn = await ok(api.tx.researchConsent.withdrawConsent(consent), patient);
    assert.ok(findEvent(withdrawn.events, 'researchConsent', 'ConsentWithdrawn'));
    assert.ok(findEvent(withdrawn.events, 'researchConsent', 'AccessEnded'));
    assert.ok((await api.query.healthRecords.grants(patient.address, { Account: researcher.address })).isNone);
    assert.equal((await api.call.healthRecordsApi.readPermit(record, researcher.address)).asErr.type, 'NoGrant',
      'the permit went with the grant');
    const versions = await api.query.researchConsent.consentVersions.entries(consent);
    assert.deepEqual(versions.map(([, v]) => v.unwrap().change.type).sort(), ['Given', 'Withdrawn']);

    const refused = await ok(api.tx.researchConsent.requestAccess(study, patient.address), researcher);
    assert.equal(findEvent(refused.events, 'researchConsent', 'AccessRefused').data.reason.type, 'NoConsent');
    assert.ok((await api.query.healthRecords.grants(patient.address, { Account: researcher.address })).isNone);
    assert.equal((await api.call.researchConsentApi.mayUse(study, patient.address)).asErr.type, 'NoConsent');
  });
});
