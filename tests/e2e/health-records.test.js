// The health-records pallet on a dev node, through @polkadot/api, in the custody model: the
// chain decides and records, the custodian's vault holds and releases. The hospital registers
// its vault; a practitioner anchors a record held there; the vault asks the chain (the
// `healthRecordsApi` runtime API) whether a reader may read it, and logs each release with
// its own account; revocation ends the permit; erasure covers every version and the vault
// confirms it. What the client encrypts and wraps never travels: neither the document, its
// data key nor a wrapped key is anywhere in the chain's storage or blocks. Break-glass: an
// emergency practitioner gets a permit, the vault logs the emergency read, the hospital's
// auditor closes the review.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { findEvent, submitOk, submitRefused, UNIT } from './lib/chain.js';
import { dataKey, encrypt, readerKeyPair, wrapKey } from './lib/envelope.js';
import { startDevNode } from './lib/node.js';

const DAY = 24 * 3600 * 1000;
const HOSPITAL = 1;

/** The topic the pallet puts on every event about `address`. */
function patientTopic(address) {
  return u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('healthchain/patient'), decodeAddress(address)), 256));
}

describe('health records on a dev node', () => {
  let dev;
  let api;
  let ferdie; // a patient of the demo consortium
  let charlie; // a licensed practitioner with the emergency-care role at the hospital
  let bob; // the hospital's admin and auditor
  let vault; // the account the hospital's record vault signs with
  const ok = (tx, signer) => submitOk(api, tx, signer);
  const refused = (tx, signer) => submitRefused(api, tx, signer);

  // What the clients make and the vault would hold, off chain.
  const ferdieKeys = readerKeyPair();
  const charlieKeys = readerKeyPair();
  const marker = `HEALTHCHAIN-PLAINTEXT-${Date.now()}`;
  const document = JSON.stringify({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { text: 'HbA1c' },
    conclusion: `HbA1c 7.9%: poorly controlled type 2 diabetes (${marker})`,
  });
  const key = dataKey();
  let wrappedForPatient;
  let wrappedForCharlie;
  let recordId;
  let addedAt; // the block the record was added in

  /** What the chain tells the custodian about `reader` reading `record`: `'Ok:<authority>'` or the refusal. */
  async function permit(record, reader) {
    const answer = await api.call.healthRecordsApi.readPermit(record, reader.address);
    return answer.isOk ? `Ok:${answer.asOk.authority.type}` : answer.asErr.type;
  }

  /** The vault logs that it released `record` to `reader`. */
  function release(record, reader, authority, purpose, emergency = null) {
    return { record, reader: reader.address, authority, emergency, purpose };
  }

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('health-records');
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    ferdie = keyring.addFromUri('//Ferdie');
    charlie = keyring.addFromUri('//Charlie');
    bob = keyring.addFromUri('//Bob');
    vault = keyring.addFromUri('//HospitalVault');
    // The hospital's admin registers its vault; the vault's account pays for its log.
    await ok(api.tx.balances.transferKeepAlive(vault.address, 10n * UNIT), keyring.addFromUri('//Alice'));
    const registered = await ok(api.tx.healthIdentity.registerVault(HOSPITAL, vault.address, 'https://vault.hospital.example'), bob);
    assert.ok(findEvent(registered.events, 'healthIdentity', 'VaultRegistered'));
  });

  after(async () => {
    await dev?.stop();
  });

  // Charlie acts under the patient's grant to Charlie.
  const asCharlie = () => ({ Grant: { Account: charlie.address } });

  it('grants, writes, releases under the permit, revokes, erases and confirms', async () => {
    // The patient replaces the demo key with one it holds; the practitioner sets its own.
    await ok(api.tx.healthIdentity.rotatePatientKey(u8aToHex(ferdieKeys.publicKey)), ferdie);
    await ok(api.tx.healthIdentity.setStaffKey(u8aToHex(charlieKeys.publicKey)), charlie);
    const now = (await api.query.timestamp.now()).toNumber();
    const granted = await ok(api.tx.healthRecords.grantAccess(
      ferdie.address, { Account: charlie.address }, 'Write', ['Observation', 'DiagnosticReport'], now + DAY,
    ), ferdie);
    assert.ok(findEvent(granted.events, 'healthRecords', 'AccessGranted'));
    assert.equal(await refused(api.tx.healthRecords.addRecord(
      ferdie.address, 'DiagnosticReport', `0x${'01'.repeat(32)}`, 2, asCharlie(),
    ), charlie), 'healthRecords.NoCustodian', 'the pharmacy runs no vault');

    // The practitioner encrypts the report and wraps its key to the patient's and its own
    // on-chain keys (all of which would go to the vault), and anchors only the hash.
    const ciphertext = encrypt(key, Buffer.from(document));
    const patientKey = (await api.query.healthIdentity.patients(ferdie.address)).unwrap().encryptionKey.toU8a();
    const staffKey = (await api.query.healthIdentity.staffKeys(charlie.address)).unwrap().toU8a();
    wrappedForPatient = wrapKey(key, patientKey);
    wrappedForCharlie = wrapKey(key, staffKey);
    const added = await ok(api.tx.healthRecords.addRecord(
      ferdie.address, 'DiagnosticReport', blake2AsHex(ciphertext, 256), HOSPITAL, asCharlie(),
    ), charlie);
    addedAt = added.finalized;
    recordId = findEvent(added.events, 'healthRecords', 'RecordAdded').data.record.toNumber();
    const record = (await api.query.healthRecords.records(recordId)).unwrap();
    assert.equal(record.patient.toString(), ferdie.address);
    assert.equal(record.author.toString(), charlie.address);
    assert.equal(record.recordType.type, 'DiagnosticReport');
    assert.equal(record.custodian.unwrap().toNumber(), HOSPITAL);
    assert.equal(record.contentHash.toHex(), blake2AsHex(ciphertext, 256));

    // The vault asks before it releases: the patient, the grantee; nobody else.
    assert.equal(await permit(recordId, ferdie), 'Ok:PatientOrGuardian');
    assert.equal(await permit(recordId, charlie), 'Ok:Grant');
    assert.equal(await permit(recordId, bob), 'NoGrant');
    assert.equal(await permit(recordId + 100, charlie), 'UnknownRecord');
    // The permit names what the vault needs: the ciphertext's hash and the key to wrap to.
    const charliePermit = (await api.call.healthRecordsApi.readPermit(recordId, charlie.address)).asOk;
    assert.equal(charliePermit.contentHash.toHex(), blake2AsHex(ciphertext, 256));
    assert.equal(u8aToHex(charliePermit.readerKey.unwrap()), u8aToHex(staffKey));
    const own = (await api.call.healthRecordsApi.readPermit(recordId, ferdie.address)).asOk;
    assert.equal(u8aToHex(own.readerKey.unwrap()), u8aToHex(patientKey));

    // It logs the release with its own account; the reader cannot log for itself.
    assert.equal(await refused(api.tx.healthRecords.logReleases([release(recordId, charlie, asCharlie(), 'Treatment')]), charlie),
      'healthRecords.NotCustodian');
    const read = await ok(api.tx.healthRecords.logReleases([release(recordId, charlie, asCharlie(), 'Treatment')]), vault);
    const accessed = findEvent(read.events, 'healthRecords', 'RecordAccessed').data;
    assert.equal(accessed.releasedBy.toNumber(), HOSPITAL);
    const entry = (await api.query.healthRecords.accessLog(ferdie.address, accessed.entry.toNumber())).unwrap();
    assert.equal(entry.record.toNumber(), recordId);
    assert.equal(entry.accessor.toString(), charlie.address);
    assert.equal(entry.purpose.type, 'Treatment');
    assert.equal(entry.releasedBy.unwrap().toNumber(), HOSPITAL);
    const topics = await api.query.system.eventTopics(patientTopic(ferdie.address));
    assert.ok(topics.length >= 1, 'the patient follows the read through its topic');

    // Revocation ends the permit and further writes.
    const revoked = await ok(api.tx.healthRecords.revokeAccess(ferdie.address, { Account: charlie.address }), ferdie);
    assert.ok(findEvent(revoked.events, 'healthRecords', 'AccessRevoked'));
    assert.equal(await permit(recordId, charlie), 'NoGrant');
    assert.equal(await refused(api.tx.healthRecords.addRecord(
      ferdie.address, 'Observation', `0x${'02'.repeat(32)}`, HOSPITAL, asCharlie(),
    ), charlie), 'healthRecords.NoGrant');

    // The patient erases the record; the custodian confirms it deleted everything it held.
    const erased = await ok(api.tx.healthRecords.eraseRecord(recordId), ferdie);
    assert.equal(findEvent(erased.events, 'healthRecords', 'RecordErased').data.custodian.unwrap().toNumber(), HOSPITAL);
    assert.equal(await permit(recordId, ferdie), 'RecordErased');
    const confirmed = await ok(api.tx.healthRecords.confirmErasure(recordId), vault);
    assert.ok(findEvent(confirmed.events, 'healthRecords', 'ErasureConfirmed'));
    const shredded = (await api.query.healthRecords.records(recordId)).unwrap();
    assert.ok(shredded.erasedAt.isSome && shredded.erasureConfirmedAt.isSome);
    assert.equal(shredded.contentHash.toHex(), blake2AsHex(ciphertext, 256));
    assert.ok((await api.query.healthRecords.accessLog(ferdie.address, accessed.entry.toNumber())).isSome);
  });

  it('leaves no plaintext and no data key in storage or blocks', async () => {
    assert.ok(recordId !== undefined, 'the flow above ran');
    const secrets = {
      'the document': Buffer.from(document),
      'its marker': Buffer.from(marker),
      'its data key': key,
      'the key wrapped to the patient': wrappedForPatient,
      'the key wrapped to the practitioner': wrappedForCharlie,
    };
    const contains = (bytes, what) => Buffer.from(bytes).includes(what);

    /** Every storage value at block `at`, keys included. */
    async function storageAt(at) {
      const pairs = [];
      let start;
      for (;;) {
        const keys = await api.rpc.state.getKeysPaged('0x', 1000, start, at);
        if (keys.length === 0) break;
        for (const k of keys) {
          const value = await api.rpc.state.getStorage(k, at);
          pairs.push([k.toU8a(true), value.isSome ? value.unwrap().toU8a(true) : new Uint8Array()]);
        }
        start = keys[keys.length - 1];
      }
      return pairs;
    }

    const best = await api.rpc.chain.getHeader();
    let checked = 0;
    for (const at of [addedAt, best.hash.toHex()]) {
      for (const [k, v] of await storageAt(at)) {
        for (const [name, secret] of Object.entries(secrets)) {
          assert.ok(!contains(k, secret) && !contains(v, secret), `${name} is in storage at ${at}`);
        }
        checked += 1;
      }
    }
    assert.ok(checked > 50, `scanned ${checked} storage entries`);

    for (let n = 0; n <= best.number.toNumber(); n += 1) {
      const hash = await api.rpc.chain.getBlockHash(n);
      const block = (await api.rpc.chain.getBlock(hash)).toU8a();
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(!contains(block, secret), `${name} is in block ${n}`);
      }
    }
  });

  it('permits break-glass reads, which the vault logs, and closes their review', async () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const patient = keyring.addFromUri('//Ferdie//stash');
    const ciphertext = encrypt(dataKey(), Buffer.from('{"resourceType":"AllergyIntolerance"}'));
    const added = await ok(api.tx.healthRecords.addRecord(
      patient.address, 'AllergyIntolerance', blake2AsHex(ciphertext, 256), HOSPITAL, 'PatientOrGuardian',
    ), patient);
    const record = findEvent(added.events, 'healthRecords', 'RecordAdded').data.record.toNumber();

    // Without break-glass the practitioner has no access to this patient.
    assert.equal(await permit(record, charlie), 'NoGrant');
    // Only where the practitioner does emergency care: the hospital (1), not the pharmacy (2).
    assert.equal(await refused(api.tx.healthRecords.breakGlass(patient.address, 2, 'Unresponsive'), charlie),
      'healthRecords.NotEmergencyPractitioner');
    const opened = await ok(api.tx.healthRecords.breakGlass(patient.address, HOSPITAL, 'Unresponsive'), charlie);
    const event = findEvent(opened.events, 'healthRecords', 'EmergencyAccessOpened');
    const emergency = event.data.emergency.toNumber();
    assert.equal(event.data.organisation.toNumber(), HOSPITAL);
    // The event is addressed to the patient: it carries the patient's topic.
    const [block, index] = (await api.query.system.eventTopics(patientTopic(patient.address))).at(-1);
    const records = await (await api.at(opened.finalized)).query.system.events();
    assert.equal(block.toNumber(), (await api.rpc.chain.getHeader(opened.finalized)).number.toNumber());
    assert.equal(records[index.toNumber()].event.method, 'EmergencyAccessOpened');

    const answer = await api.call.healthRecordsApi.readPermit(record, charlie.address);
    assert.equal(answer.asOk.authority.type, 'BreakGlass');
    assert.equal(answer.asOk.emergency.unwrap().toNumber(), emergency);
    const read = await ok(api.tx.healthRecords.logReleases([release(record, charlie, 'BreakGlass', 'Emergency', emergency)]), vault);
    assert.equal(findEvent(read.events, 'healthRecords', 'RecordAccessed').data.emergency.unwrap().toNumber(), emergency);
    assert.equal((await api.query.healthRecords.emergencyAccesses(emergency)).unwrap().review.type, 'Pending');

    // Nobody reviews their own access, and the patient is told rather than asked to review.
    assert.equal(await refused(api.tx.healthRecords.closeEmergencyReview(emergency, 'Justified'), charlie),
      'healthRecords.OwnEmergencyAccess');
    assert.equal(await refused(api.tx.healthRecords.closeEmergencyReview(emergency, 'Justified'), patient),
      'healthRecords.NotReviewer');
    // The hospital's accredited auditor closes the review, which also ends the access.
    await ok(api.tx.healthRecords.closeEmergencyReview(emergency, 'Justified'), bob);
    const review = (await api.query.healthRecords.emergencyAccesses(emergency)).unwrap().review;
    assert.equal(review.type, 'Closed');
    assert.equal(review.asClosed.reviewer.toString(), bob.address);
    assert.equal(await permit(record, charlie), 'NoGrant');
  });
});
