// What each domain hot path weighs as the runtime charges it, and so how many fit in a block:
// run by `scripts/bench-throughput --weights`.
//
// Each call is built with its arguments' default values and its batch (where it takes one)
// at the pallet's largest, signed (with a fake signature) by Alice, and priced by the runtime
// itself: `TransactionPaymentApi.query_info` gives the call's benchmarked weight at those
// arguments plus its transaction extensions', to which the block adds an extrinsic's base
// (`System.BlockWeights`). A block holds as many as fit in the normal class's share; a second
// is a block over the slot.

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from '../lib/node.js';

await cryptoWaitReady();
const { api, stop } = await startDevNode('hot-path-weights');
try {
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');

  /** `section.method` with every argument at its default, and `batch` (an argument's name)
   * filled with `size` default elements. */
  function call(section, method, batch, size) {
    const fn = api.tx[section][method];
    const args = fn.meta.args.map((arg) => {
      const type = arg.type.toString();
      if (arg.name.toString() !== batch) return api.createType(type);
      const element = api.createType(type).Type;
      return api.createType(type, Array.from({ length: size }, () => api.createType(element)));
    });
    return fn(...args);
  }

  const constant = (section, name) => api.consts[section][name].toNumber();
  const paths = [
    { path: 'transfer (`balances.transferKeepAlive`)', tx: api.tx.balances.transferKeepAlive(bob.address, 1n), units: 1, unit: 'transfer' },
    ...[1, constant('healthRecords', 'maxReleasesPerLog')].map((n) => (
      { path: `the custodian's batched log (\`healthRecords.logReleases\`, ${n === 1 ? 'one entry' : `${n} entries`})`, tx: call('healthRecords', 'logReleases', 'releases', n), units: n, unit: 'entry' })),
    { path: 'add a record (`healthRecords.addRecord`)', tx: call('healthRecords', 'addRecord'), units: 1, unit: 'record' },
    { path: 'anchor a batch of readings (`remoteMonitoring.anchorBatch`)', tx: call('remoteMonitoring', 'anchorBatch'), units: 1, unit: 'batch' },
    ...[1, constant('drugProvenance', 'maxCommissionBatch')].map((n) => (
      { path: `commission serials (\`drugProvenance.commissionSerials\`, ${n === 1 ? 'one' : n})`, tx: call('drugProvenance', 'commissionSerials', 'serials', n), units: n, unit: 'serial' })),
    ...['shipUnits', 'receiveUnits'].map((method) => {
      const n = constant('drugProvenance', 'maxUnitsPerCall');
      return { path: `${method === 'shipUnits' ? 'ship' : 'receive'} units (\`drugProvenance.${method}\`, ${n})`, tx: call('drugProvenance', method, 'serials', n), units: n, unit: 'unit' };
    }),
    { path: 'dispense (`prescriptions.dispensePrescription`, one unit)', tx: call('prescriptions', 'dispensePrescription', 'serials', 1), units: 1, unit: 'prescription' },
    { path: 'submit a claim (`insuranceClaims.submitClaim`)', tx: call('insuranceClaims', 'submitClaim'), units: 1, unit: 'claim' },
  ];

  const limits = api.consts.system.blockWeights;
  const normal = limits.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  const base = limits.perClass.normal.baseExtrinsic.refTime.toBigInt();
  const slotSeconds = api.consts.aura.slotDuration.toNumber() / 1000;
  const micros = (ps) => (Number(ps) / 1e6).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const plural = (unit) => (unit === 'entry' ? 'entries' : unit === 'batch' ? 'batches' : `${unit}s`);
  console.log(`an extrinsic's base ${micros(base)} µs; a block's normal class ${micros(normal)} µs; a ${slotSeconds} s slot`);
  console.log('| hot path (call) | weight of one | a block holds | a second |');
  console.log('| --- | --- | --- | --- |');
  for (const { path, tx, units, unit } of paths) {
    const info = await tx.paymentInfo(alice);
    const weight = info.weight.refTime.toBigInt() + base;
    const perBlock = Number(normal / weight);
    const perUnit = units > 1 ? `, ${micros(weight / BigInt(units))} µs a ${unit}` : '';
    const inBlock = units > 1 ? `${perBlock} calls, ${(perBlock * units).toLocaleString('en')} ${plural(unit)}` : `${perBlock.toLocaleString('en')}`;
    console.log(`| ${path} | ${micros(weight)} µs${perUnit} | ${inBlock} | ${Math.floor((perBlock * units) / slotSeconds).toLocaleString('en')} ${plural(unit)} |`);
  }
} finally {
  await stop();
}
