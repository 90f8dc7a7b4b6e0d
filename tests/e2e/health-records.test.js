// The health-records pallet on a dev node, through @polkadot/api, with real envelope
// encryption done by the clients: a patient grants a practitioner access, the practitioner
// adds a record and logs a read, the grant is revoked and a further write is refused, the
// patient erases the record; then neither the document's plaintext nor its data key is
// anywhere in the chain's storage or blocks. Break-glass: an emergency practitioner opens
// access, reads under it, and the hospital's auditor closes the review.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { findEvent, submitOk, submitRefused } from './lib/chain.js';
import { dataKey, decrypt, encrypt, readerKeyPair, unwrapKey, wrapKey } from './lib/envelope.js';
import { startDevNode } from './lib/node.js';

const DAY = 24 * 3600 * 1000;

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
  const ok = (tx, signer) => submitOk(api, tx, signer);
  const refused = (tx, signer) => submitRefused(api, tx, signer);

  // What stays off chain: the readers' private keys and the ciphertext store.
  const ferdieKeys = readerKeyPair();
  const charlieKeys = readerKeyPair();
  const store = new Map();
  const marker = `HEALTHCHAIN-PLAINTEXT-${Date.now()}`;
  const document = JSON.stringify({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { text: 'HbA1c' },
    conclusion: `HbA1c 7.9%: poorly controlled type 2 diabetes (${marker})`,
  });
  const key = dataKey();
  let recordId;
  let addedAt; // the block the record was added in
  let sealedLocator;

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('health-records');
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    ferdie = keyring.addFromUri('//Ferdie');
    charlie = keyring.addFromUri('//Charlie');
    bob = keyring.addFromUri('//Bob');
  });

  after(async () => {
    await dev?.stop();
  });

  // Charlie acts under the patient's grant to Charlie.
  const asCharlie = () => ({ Grant: { Account: charlie.address } });

  it('grants, writes, reads, revokes and erases', async () => {
    // The patient replaces the demo key with one it holds.
    await ok(api.tx.healthIdentity.rotatePatientKey(u8aToHex(ferdieKeys.publicKey)), ferdie);
    const now = (await api.query.timestamp.now()).toNumber();
    const granted = await ok(api.tx.healthRecords.grantAccess(
      ferdie.address, { Account: charlie.address }, 'Write', ['Observation', 'DiagnosticReport'], now + DAY,
    ), ferdie);
    assert.ok(findEvent(granted.events, 'healthRecords', 'AccessGranted'));

    // The practitioner encrypts the report, stores the ciphertext off chain, and adds the
    // record with the data key wrapped to the patient's on-chain key and to its own.
    const ciphertext = encrypt(key, Buffer.from(document));
    const address = `store://records/${blake2AsHex(ciphertext, 128).slice(2)}`;
    store.set(address, ciphertext);
    sealedLocator = encrypt(key, Buffer.from(address));
    const patientKey = (await api.query.healthIdentity.patients(ferdie.address)).unwrap().encryptionKey.toU8a();
    const added = await ok(api.tx.healthRecords.addRecord(
      ferdie.address,
      'DiagnosticReport',
      blake2AsHex(ciphertext, 256),
      u8aToHex(sealedLocator),
      [
        [{ Account: ferdie.address }, u8aToHex(wrapKey(key, patientKey))],
        [{ Account: charlie.address }, u8aToHex(wrapKey(key, charlieKeys.publicKey))],
      ],
      asCharlie(),
    ), charlie);
    addedAt = added.finalized;
    recordId = findEvent(added.events, 'healthRecords', 'RecordAdded').data.record.toNumber();
    const record = (await api.query.healthRecords.records(recordId)).unwrap();
    assert.equal(record.patient.toString(), ferdie.address);
    assert.equal(record.author.toString(), charlie.address);
    assert.equal(record.recordType.type, 'DiagnosticReport');
    assert.equal(record.readers.toNumber(), 2);

    // Each reader finds, unwraps and decrypts it from what the chain holds.
    for (const [reader, privateKey] of [[ferdie, ferdieKeys.privateKey], [charlie, charlieKeys.privateKey]]) {
      const wrapped = (await api.query.healthRecords.wrappedKeys(recordId, { Account: reader.address })).unwrap();
      const readerKey = unwrapKey(Buffer.from(wrapped.toU8a(true)), privateKey);
      const stored = (await api.query.healthRecords.records(recordId)).unwrap();
      const where = decrypt(readerKey, Buffer.from(stored.locator.unwrap().toU8a(true))).toString();
      const fetched = store.get(where);
      assert.equal(blake2AsHex(fetched, 256), stored.contentHash.toHex(), 'the ciphertext is the one hashed on chain');
      assert.equal(decrypt(readerKey, fetched).toString(), document);
    }

    // The practitioner logs the read; the patient reads the log and follows its topic.
    const read = await ok(api.tx.healthRecords.logAccess(recordId, 'Treatment', asCharlie()), charlie);
    const entryNumber = findEvent(read.events, 'healthRecords', 'RecordAccessed').data.entry.toNumber();
    const entry = (await api.query.healthRecords.accessLog(ferdie.address, entryNumber)).unwrap();
    assert.equal(entry.record.toNumber(), recordId);
    assert.equal(entry.accessor.toString(), charlie.address);
    assert.equal(entry.purpose.type, 'Treatment');
    const topics = await api.query.system.eventTopics(patientTopic(ferdie.address));
    assert.ok(topics.length >= 1, 'the patient follows the read through its topic');

    // Revocation removes the practitioner's key, and a further write is refused.
    const revoked = await ok(api.tx.healthRecords.revokeAccess(ferdie.address, { Account: charlie.address }), ferdie);
    assert.equal(findEvent(revoked.events, 'healthRecords', 'AccessRevoked').data.keysRemoved.toNumber(), 1);
    assert.ok((await api.query.healthRecords.wrappedKeys(recordId, { Account: charlie.address })).isNone);
    const again = encrypt(key, Buffer.from('an addendum'));
    assert.equal(await refused(api.tx.healthRecords.addRecord(
      ferdie.address, 'Observation', blake2AsHex(again, 256), '0x01',
      [[{ Account: ferdie.address }, u8aToHex(wrapKey(key, patientKey))]], asCharlie(),
    ), charlie), 'healthRecords.NoGrant');

    // The patient erases the record: keys and locator go, the hash and the log stay.
    const erased = await ok(api.tx.healthRecords.eraseRecord(recordId), ferdie);
    assert.ok(findEvent(erased.events, 'healthRecords', 'RecordErased'));
    const shredded = (await api.query.healthRecords.records(recordId)).unwrap();
    assert.ok(shredded.locator.isNone);
    assert.ok(shredded.erasedAt.isSome);
    assert.equal(shredded.contentHash.toHex(), blake2AsHex(ciphertext, 256));
    assert.equal((await api.query.healthRecords.wrappedKeys.entries(recordId)).length, 0);
    assert.ok((await api.query.healthRecords.accessLog(ferdie.address, entryNumber)).isSome);
    assert.equal(await refused(api.tx.healthRecords.logAccess(recordId, 'Treatment', 'PatientOrGuardian'), ferdie),
      'healthRecords.RecordErased');
  });

  it('leaves no plaintext and no data key in storage or blocks', async () => {
    assert.ok(recordId !== undefined, 'the flow above ran');
    const secrets = {
      'the document': Buffer.from(document),
      'its marker': Buffer.from(marker),
      'its data key': key,
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
    // After erasure the encrypted locator is gone from state too.
    for (const [, v] of await storageAt(best.hash.toHex())) {
      assert.ok(!contains(v, sealedLocator), 'the erased locator is still in storage');
    }

    for (let n = 0; n <= best.number.toNumber(); n += 1) {
      const hash = await api.rpc.chain.getBlockHash(n);
      const block = (await api.rpc.chain.getBlock(hash)).toU8a();
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(!contains(block, secret), `${name} is in block ${n}`);
      }
    }
  });

  it('opens break-glass access, logs a read under it, and closes its review', async () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const patient = keyring.addFromUri('//Ferdie//stash');
    const phrKey = dataKey();
    const ciphertext = encrypt(phrKey, Buffer.from('{"resourceType":"AllergyIntolerance"}'));
    const own = readerKeyPair();
    const added = await ok(api.tx.healthRecords.addRecord(
      patient.address, 'AllergyIntolerance', blake2AsHex(ciphertext, 256), u8aToHex(encrypt(phrKey, Buffer.from('store://a'))),
      [[{ Account: patient.address }, u8aToHex(wrapKey(phrKey, own.publicKey))]], 'PatientOrGuardian',
    ), patient);
    const record = findEvent(added.events, 'healthRecords', 'RecordAdded').data.record.toNumber();

    // Without break-glass the practitioner has no access to this patient.
    assert.equal(await refused(api.tx.healthRecords.logAccess(record, 'Emergency', 'BreakGlass'), charlie),
      'healthRecords.NoEmergencyAccess');
    // Only where the practitioner does emergency care: the hospital (1), not the pharmacy (2).
    assert.equal(await refused(api.tx.healthRecords.breakGlass(patient.address, 2, 'Unresponsive'), charlie),
      'healthRecords.NotEmergencyPractitioner');
    const opened = await ok(api.tx.healthRecords.breakGlass(patient.address, 1, 'Unresponsive'), charlie);
    const event = findEvent(opened.events, 'healthRecords', 'EmergencyAccessOpened');
    const emergency = event.data.emergency.toNumber();
    assert.equal(event.data.organisation.toNumber(), 1);
    // The event is addressed to the patient: it carries the patient's topic.
    const [block, index] = (await api.query.system.eventTopics(patientTopic(patient.address))).at(-1);
    const records = await (await api.at(opened.finalized)).query.system.events();
    assert.equal(block.toNumber(), (await api.rpc.chain.getHeader(opened.finalized)).number.toNumber());
    assert.equal(records[index.toNumber()].event.method, 'EmergencyAccessOpened');

    const read = await ok(api.tx.healthRecords.logAccess(record, 'Emergency', 'BreakGlass'), charlie);
    const entry = findEvent(read.events, 'healthRecords', 'RecordAccessed').data;
    assert.equal(entry.emergency.unwrap().toNumber(), emergency);
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
    assert.equal(await refused(api.tx.healthRecords.logAccess(record, 'Emergency', 'BreakGlass'), charlie),
      'healthRecords.NoEmergencyAccess');
  });
});
