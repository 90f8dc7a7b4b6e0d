// Insurance reimbursement on a dev node, through @polkadot/api, with the demo consortium:
// the insurer's claims officer covers a patient, the hospital's claims officer submits a
// claim, a duplicate of it is refused, the insurer partially approves it, the hospital
// appeals, the insurer approves on appeal and pays; the runtime API lists the claim by status.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { findEvent, submitOk, submitRefused } from './lib/chain.js';
import { startDevNode } from './lib/node.js';

const HOSPITAL = 1;
const INSURER = 5;
const DAY = 24 * 3600 * 1000;

describe('insurance claims on a dev node', () => {
  let dev;
  let api;
  let adjuster; // CharlieStash: claims officer of the insurer
  let biller; // Bob: claims officer of the hospital
  let patient; // Ferdie
  const ok = (tx, signer) => submitOk(api, tx, signer);
  const refused = (tx, signer) => submitRefused(api, tx, signer);

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('insurance-claims');
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [adjuster, biller, patient] = ['//Charlie//stash', '//Bob', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    await dev?.stop();
  });

  it('covers, submits, refuses a duplicate, partially approves, takes an appeal and pays', async () => {
    const now = Date.now();
    const covered = await ok(api.tx.insuranceClaims.registerCoverage(
      INSURER, patient.address, `0x${'c0'.repeat(32)}`, 'GOLD-PPO', now - 30 * DAY, now + 335 * DAY,
    ), adjuster);
    const coverage = findEvent(covered.events, 'insuranceClaims', 'CoverageRegistered').data.coverage.toNumber();

    const submit = () => api.tx.insuranceClaims.submitClaim(
      HOSPITAL, coverage, `0x${'c1'.repeat(32)}`, now - DAY, ['99213'], ['E11.9'], 12_000, null,
    );
    const submitted = await ok(submit(), biller);
    const claim = findEvent(submitted.events, 'insuranceClaims', 'ClaimSubmitted').data.claim.toNumber();
    assert.equal(await refused(submit(), biller), 'insuranceClaims.DuplicateClaim');

    await ok(api.tx.insuranceClaims.adjudicateClaim(claim, {
      PartiallyApprove: { allowed: 9_000, adjustments: [['CO-45', 2_500], ['PR-1', 500]] },
    }), adjuster);
    let stored = (await api.query.insuranceClaims.claims(claim)).unwrap();
    assert.equal(stored.status.type, 'PartiallyApproved');
    assert.equal(stored.allowed.unwrap().toNumber(), 9_000);

    await ok(api.tx.insuranceClaims.appealClaim(claim, `0x${'c2'.repeat(32)}`), biller);
    const onAppeal = await ok(api.tx.insuranceClaims.adjudicateClaim(claim, 'Approve'), adjuster);
    assert.ok(findEvent(onAppeal.events, 'insuranceClaims', 'ClaimAdjudicated').data.onAppeal.isTrue);
    // A second appeal is refused whatever the decision.
    assert.equal(await refused(api.tx.insuranceClaims.appealClaim(claim, `0x${'c3'.repeat(32)}`), biller), 'insuranceClaims.NotAppealable');

    const paid = await ok(api.tx.insuranceClaims.markPaid(claim, `0x${'c4'.repeat(32)}`), adjuster);
    assert.equal(findEvent(paid.events, 'insuranceClaims', 'ClaimPaid').data.amount.toNumber(), 12_000);
    stored = (await api.query.insuranceClaims.claims(claim)).unwrap();
    assert.equal(stored.status.type, 'Paid');

    const paidClaims = await api.call.insuranceClaimsApi.patientClaims(patient.address, 'Paid');
    assert.deepEqual(paidClaims.map((id) => id.toNumber()), [claim]);
    assert.equal((await api.call.insuranceClaimsApi.providerClaims(HOSPITAL, 'Submitted')).length, 0);
  });
});
