// The identity pallet on a dev node, through @polkadot/api: the demo consortium from genesis,
// a hospital enrolling a patient who then sends calls without tokens, a council motion admitting an organisation (a minority motion and a
// lone member refused), its admin adding a member, the regulator issuing and revoking a
// credential; each read back from storage.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate, randomAsU8a } from '@polkadot/util-crypto';
import { describeDispatchError, findEvent, submitAndFinalize, submitOk, UNIT } from './lib/chain.js';
import { passMotion } from './lib/governance.js';
import { startDevNode } from './lib/node.js';

const REGULATOR = 0;
const HOSPITAL = 1;

describe('identity and credentials on a dev node', () => {
  let dev;
  let api;
  let keyring;
  let alice; // admin of the regulator; on the council
  let bob; // admin of the hospital; on the council
  let eve; // admin of the pharmacy; on the council

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('identity');
    ({ api } = dev);
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
    eve = keyring.addFromUri('//Eve');
  });

  after(async () => {
    await dev?.stop();
  });

  /** A new account with some HCT to pay fees. */
  async function newAccount() {
    const account = keyring.addFromMnemonic(mnemonicGenerate());
    await submitAndFinalize(api, api.tx.balances.transferKeepAlive(account.address, 10n * UNIT), alice);
    return account;
  }

  const ok = (tx, signer) => submitOk(api, tx, signer);

  it('starts with the demo consortium of the genesis preset', async () => {
    assert.equal((await api.query.healthIdentity.nextOrganisationId()).toNumber(), 8);
    const hospital = (await api.query.healthIdentity.organisations(HOSPITAL)).unwrap();
    assert.equal(hospital.kind.type, 'Hospital');
    assert.equal(hospital.admin.toString(), bob.address);
    const charlie = keyring.addFromUri('//Charlie').address;
    const roles = (await api.query.healthIdentity.members(HOSPITAL, charlie)).unwrap();
    assert.deepEqual(roles.map((r) => r.type), ['Practitioner', 'EmergencyCare']);
    const licence = (await api.query.healthIdentity.credentials(charlie, 'MedicalLicence')).unwrap();
    assert.equal(licence.issuer.toNumber(), REGULATOR);
    assert.equal(licence.status.type, 'Active');
    assert.ok((await api.query.healthIdentity.patients(keyring.addFromUri('//Ferdie').address)).isSome);
  });

  it('enrols a patient at a hospital, who then sends its own calls with no tokens at all', async () => {
    const patient = keyring.addFromMnemonic(mnemonicGenerate());
    const key = u8aToHex(randomAsU8a(32));
    // Only care providers' staff enrol: a stranger with funds is refused.
    const stranger = await newAccount();
    assert.equal(
      describeDispatchError(api, (await submitAndFinalize(api, api.tx.healthIdentity.enrolPatient(HOSPITAL, patient.address, key), stranger)).dispatchError),
      'healthIdentity.NotEnrolmentStaff',
    );
    const { events } = await ok(api.tx.healthIdentity.enrolPatient(HOSPITAL, patient.address, key), bob);
    const enrolled = findEvent(events, 'healthIdentity', 'PatientEnrolled');
    assert.equal(enrolled.data.patient.toString(), patient.address);
    assert.equal(enrolled.data.organisation.toNumber(), HOSPITAL);
    assert.equal((await api.query.healthIdentity.patients(patient.address)).unwrap().encryptionKey.toHex(), key);

    // The account exists with no balance, and its nonce counts.
    const account = await api.query.system.account(patient.address);
    assert.equal(account.data.free.toBigInt(), 0n);
    assert.equal(account.providers.toNumber(), 1);
    // A sponsored call goes through without a fee, and spends one of the day's allowance.
    const rotated = await ok(api.tx.healthIdentity.rotatePatientKey(u8aToHex(randomAsU8a(32))), patient);
    assert.equal(findEvent(rotated.events, 'transactionPayment', 'TransactionFeePaid'), undefined);
    assert.equal((await api.query.healthIdentity.sponsoredTransactions(patient.address)).unwrap().count.toNumber(), 1);
    // A sponsored call that fails spends it too: failures are not free.
    const failed = await submitAndFinalize(api, api.tx.healthIdentity.removeGuardian(bob.address), patient);
    assert.equal(describeDispatchError(api, failed.dispatchError), 'healthIdentity.NotGuardian');
    assert.equal((await api.query.healthIdentity.sponsoredTransactions(patient.address)).unwrap().count.toNumber(), 2);
    assert.equal((await api.query.system.account(patient.address)).data.free.toBigInt(), 0n);
    assert.equal((await api.query.system.account(patient.address)).nonce.toNumber(), 2);
    // Anything else must pay, and the patient has nothing: the pool refuses it.
    await assert.rejects(
      api.tx.system.remark('0x00').signAndSend(patient),
      /Inability to pay some fees|1010/,
    );
  });

  it('admits an organisation by a council motion, whose admin adds a member', async () => {
    const admin = await newAccount();
    const member = await newAccount();
    const admit = api.tx.healthIdentity.admitOrganisation(
      'Laboratory', admin.address, `0x${'ab'.repeat(32)}`, u8aToHex(randomAsU8a(32)),
    );
    // A lone member is not governance, and neither are two of the four seats.
    const alone = await submitAndFinalize(api, admit, alice);
    assert.equal(describeDispatchError(api, alone.dispatchError), 'BadOrigin');
    assert.deepEqual(await passMotion(api, admit, [alice, bob]), { approved: true, result: 'BadOrigin' });

    const before = (await api.query.healthIdentity.nextOrganisationId()).toNumber();
    assert.deepEqual(await passMotion(api, admit, [alice, bob, eve]), { approved: true, result: 'Ok' });
    const lab = before;
    assert.equal((await api.query.healthIdentity.nextOrganisationId()).toNumber(), before + 1);
    assert.equal((await api.query.healthIdentity.organisations(lab)).unwrap().kind.type, 'Laboratory');

    await ok(api.tx.healthIdentity.addMember(lab, member.address, ['Auditor', 'Practitioner']), admin);
    const roles = (await api.query.healthIdentity.members(lab, member.address)).unwrap();
    assert.deepEqual(roles.map((r) => r.type), ['Practitioner', 'Auditor']);
    assert.deepEqual((await api.query.healthIdentity.memberships(member.address)).map((o) => o.toNumber()), [lab]);

    // Someone who is not the lab's admin cannot add members.
    const refused = await submitAndFinalize(api, api.tx.healthIdentity.addMember(lab, bob.address, ['Nurse']), member);
    assert.equal(describeDispatchError(api, refused.dispatchError), 'healthIdentity.NotOrganisationAdmin');
    assert.ok((await api.query.healthIdentity.members(lab, bob.address)).isNone);
  });

  it('issues and revokes a credential, as the accredited regulator', async () => {
    const holder = await newAccount();
    const now = (await api.query.timestamp.now()).toNumber();
    const until = now + 365 * 24 * 3600 * 1000;
    const issued = await ok(api.tx.healthIdentity.issueCredential(
      REGULATOR, holder.address, 'PharmacyLicence', `0x${'cd'.repeat(32)}`, now, until,
    ), alice);
    assert.ok(findEvent(issued.events, 'healthIdentity', 'CredentialIssued'));
    let credential = (await api.query.healthIdentity.credentials(holder.address, 'PharmacyLicence')).unwrap();
    assert.equal(credential.status.type, 'Active');
    assert.equal(credential.validUntil.toNumber(), until);
    assert.equal(credential.issuedBy.toString(), alice.address);

    // The hospital's admin is no admin of the regulator.
    const refused = await submitAndFinalize(api, api.tx.healthIdentity.revokeCredential(holder.address, 'PharmacyLicence'), bob);
    assert.equal(describeDispatchError(api, refused.dispatchError), 'healthIdentity.NotCredentialIssuer');

    const revoked = await ok(api.tx.healthIdentity.revokeCredential(holder.address, 'PharmacyLicence'), alice);
    assert.ok(findEvent(revoked.events, 'healthIdentity', 'CredentialRevoked'));
    credential = (await api.query.healthIdentity.credentials(holder.address, 'PharmacyLicence')).unwrap();
    assert.equal(credential.status.type, 'Revoked');
  });
});
