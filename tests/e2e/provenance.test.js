// Drug provenance and prescriptions on a dev node, through @polkadot/api, with the demo
// consortium's supply chain: the manufacturer commissions serialised units, ships them to the
// distributor, which receives them and ships them to the pharmacy; a practitioner prescribes
// with commitments to the patient and to the product and quantity (the MedicationRequest holds
// them and their salts), the pharmacist dispenses opening the item commitment and naming the
// serials, a second dispense of the same serial, a refill too soon, another product and a
// dispense from a recalled lot are refused, the patient cancels by opening the patient
// commitment; a scanner verifies units through the runtime API. Neither the prescription nor
// its issue names the patient or the product.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { randomBytes } from 'node:crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { findEvent, submitOk, submitRefused } from './lib/chain.js';
import { startDevNode } from './lib/node.js';

const REGULATOR = 0;
const PHARMACY = 2;
const MANUFACTURER = 3;
const DISTRIBUTOR = 4;
const PRODUCT = { Gtin: 9506000134352 };
const YEAR = 365 * 24 * 3600 * 1000;

describe('drug provenance and prescriptions on a dev node', () => {
  let dev;
  let api;
  let alice; // the regulator's admin
  let maker; // AliceStash: logistics at the manufacturer
  let wholesaler; // BobStash: logistics at the distributor
  let pharmacist; // Eve
  let doctor; // Charlie
  let patient; // Ferdie
  let expiry;
  const ok = (tx, signer) => submitOk(api, tx, signer);
  const refused = (tx, signer) => submitRefused(api, tx, signer);
  const pd = () => api.tx.drugProvenance;

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('provenance');
    ({ api } = dev);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, maker, wholesaler, pharmacist, doctor, patient] = ['//Alice', '//Alice//stash', '//Bob//stash', '//Eve', '//Charlie', '//Ferdie']
      .map((uri) => keyring.addFromUri(uri));
    // The chain's clock is the wall clock once a block is sealed (it is 0 at genesis).
    expiry = Date.now() + YEAR;
  });

  after(async () => {
    await dev?.stop();
  });

  /** Moves `serials` of `lot` from the manufacturer through the distributor into the pharmacy. */
  async function stockPharmacy(lot, serials) {
    await ok(pd().commissionSerials(MANUFACTURER, PRODUCT, lot, expiry, serials), maker);
    await ok(pd().shipUnits(MANUFACTURER, PRODUCT, serials, DISTRIBUTOR), maker);
    await ok(pd().receiveUnits(DISTRIBUTOR, PRODUCT, serials), wholesaler);
    await ok(pd().shipUnits(DISTRIBUTOR, PRODUCT, serials, PHARMACY), wholesaler);
    await ok(pd().receiveUnits(PHARMACY, PRODUCT, serials), pharmacist);
  }

  const salts = new Map(); // prescription -> { patientSalt, itemSalt }, as its MedicationRequest holds them

  /** Blake2-256 of the SCALE encoding of (product, quantity, salt): the item commitment. */
  function itemCommitment(product, quantity, salt) {
    const productType = api.tx.prescriptions.dispensePrescription.meta.args[2].type.toString();
    return u8aToHex(blake2AsU8a(u8aConcat(api.createType(productType, product).toU8a(), api.createType('u32', quantity).toU8a(), salt), 256));
  }

  /** Blake2-256 of the SCALE encoding of (patient, salt): the patient commitment. */
  function patientCommitment(address, salt) {
    return u8aToHex(blake2AsU8a(u8aConcat(decodeAddress(address), salt), 256));
  }

  /** A prescription of one unit with `refills` refills, `interval` milliseconds apart. */
  async function prescribe(refills, interval = 1) {
    const now = (await api.query.timestamp.now()).toNumber();
    const patientSalt = randomBytes(32);
    const itemSalt = randomBytes(32);
    const issued = await ok(api.tx.prescriptions.issuePrescription(
      patientCommitment(patient.address, patientSalt), `0x${'a1'.repeat(32)}`, itemCommitment(PRODUCT, 1, itemSalt), false,
      refills, refills > 0 ? interval : 0, now, now + 30 * 24 * 3600 * 1000,
    ), doctor);
    const id = findEvent(issued.events, 'prescriptions', 'PrescriptionIssued').data.prescription.toNumber();
    salts.set(id, { patientSalt, itemSalt, issued });
    return id;
  }

  /** The pharmacist's fill of `prescription` with `serials`, opening its item commitment. */
  const dispense = (prescription, serials, product = PRODUCT) => api.tx.prescriptions.dispensePrescription(
    prescription, PHARMACY, product, salts.get(prescription).itemSalt, serials,
  );

  const verify = (serial, lot = null, expiresAt = null) => api.call.drugProvenanceApi.verifyUnit(PRODUCT, serial, lot, expiresAt);

  it('commissions, ships and receives serialised units, and verifies them', async () => {
    const registered = await ok(pd().registerProduct(MANUFACTURER, PRODUCT, 'Drug', `0x${'0d'.repeat(32)}`, false), maker);
    assert.ok(findEvent(registered.events, 'drugProvenance', 'ProductRegistered'));
    await stockPharmacy('LOT-A', ['SN-0001', 'SN-0002']);

    const unit = (await api.query.drugProvenance.units(PRODUCT, 'SN-0001')).unwrap();
    assert.equal(unit.custodian.toNumber(), PHARMACY);
    assert.equal(unit.status.type, 'InStock');
    assert.deepEqual(unit.history.map((s) => s.step.type), ['Commissioned', 'Shipped', 'Received', 'Shipped', 'Received']);

    const genuine = await verify('SN-0001', 'LOT-A', expiry);
    assert.ok(genuine.genuine.isTrue && genuine.dispensable.isTrue);
    assert.equal(genuine.custodian.unwrap().toNumber(), PHARMACY);
    assert.ok((await verify('SN-0001', 'LOT-Z')).genuine.isFalse, 'a pack printed with another lot');
    assert.ok((await verify('SN-9999')).commissioned.isFalse, 'a serial never commissioned');
  });

  it('dispenses a prescription naming its serials, and refuses the same serial twice', async () => {
    const prescription = await prescribe(1);
    // Neither the stored prescription nor its issue's events name the patient or the product.
    const stored = (await api.query.prescriptions.prescriptions(prescription)).unwrap().toU8a();
    const issuedEvents = salts.get(prescription).issued.events.map((e) => e.data.toU8a());
    const patientKey = Buffer.from(decodeAddress(patient.address));
    const productBytes = Buffer.from(api.createType(api.tx.prescriptions.dispensePrescription.meta.args[2].type.toString(), PRODUCT).toU8a());
    for (const bytes of [stored, ...issuedEvents]) {
      assert.ok(!Buffer.from(bytes).includes(patientKey), 'the patient is not named');
      assert.ok(!Buffer.from(bytes).includes(productBytes), 'the product is not named');
    }
    // Another product, or another quantity, does not open the commitment.
    assert.equal(await refused(dispense(prescription, ['SN-0001', 'SN-0002']), pharmacist), 'prescriptions.NotThePrescribedItem');
    assert.equal(await refused(dispense(prescription, ['SN-0001'], { Gtin: 9506000134369 }), pharmacist), 'prescriptions.NotThePrescribedItem');
    const dispensed = await ok(dispense(prescription, ['SN-0001']), pharmacist);
    assert.equal(findEvent(dispensed.events, 'prescriptions', 'PrescriptionDispensed').data.fillNumber.toNumber(), 1);
    assert.ok(findEvent(dispensed.events, 'drugProvenance', 'UnitsDispensed'), 'decommissioned in the same extrinsic');
    assert.equal((await verify('SN-0001')).status.unwrap().type, 'Dispensed');

    // The refill may not hand over the unit dispensed already.
    assert.equal(
      await refused(dispense(prescription, ['SN-0001']), pharmacist),
      'drugProvenance.AlreadyDispensed',
    );
    assert.equal((await api.query.prescriptions.prescriptions(prescription)).unwrap().fills.toNumber(), 1);

    // A refill comes no sooner than the prescription's interval after the last fill.
    const weekly = await prescribe(1, 7 * 24 * 3600 * 1000);
    await ok(dispense(weekly, ['SN-0002']), pharmacist);
    assert.equal(await refused(dispense(weekly, ['SN-0002']), pharmacist), 'prescriptions.RefillTooSoon');

    // The patient cancels by opening the patient commitment; a wrong opening is refused.
    const { patientSalt } = salts.get(weekly);
    assert.equal(await refused(api.tx.prescriptions.cancelPrescription(weekly, [patient.address, `0x${'00'.repeat(32)}`]), patient),
      'prescriptions.WrongOpening');
    await ok(api.tx.prescriptions.cancelPrescription(weekly, [patient.address, u8aToHex(patientSalt)]), patient);
    assert.equal((await api.query.prescriptions.prescriptions(weekly)).unwrap().status.type, 'Cancelled');
  });

  it('refuses to dispense a unit of a recalled lot', async () => {
    await stockPharmacy('LOT-B', ['SN-0100']);
    const recalled = await ok(pd().recallLot(REGULATOR, PRODUCT, 'LOT-B'), alice);
    assert.ok(findEvent(recalled.events, 'drugProvenance', 'LotRecalled'));
    assert.ok((await verify('SN-0100')).recalled.isTrue);
    const prescription = await prescribe(0);
    assert.equal(
      await refused(dispense(prescription, ['SN-0100']), pharmacist),
      'drugProvenance.LotRecalled',
    );
    assert.equal((await api.query.drugProvenance.units(PRODUCT, 'SN-0100')).unwrap().status.type, 'InStock');
  });
});
