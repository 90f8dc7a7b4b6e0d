// try-runtime on a state that an older runtime produced, without try-runtime-cli: a dev node
// runs the OLD runtime (its wasm as the chain's genesis code, with the `dev` preset's patch),
// the flows of the old call layout fill its storage (claims with codes, prescriptions naming
// patient and product, alert rules with their code and bound, a batch with its locator, a
// study consent under the patient's own account and the read grant its research access
// opened), the node stops and starts again with the NEW runtime, built with the
// `try-runtime` feature and the same spec_version, as a `--wasm-runtime-overrides` override,
// and `TryRuntime_on_runtime_upgrade(All)` runs at the last block: every migration with its
// pre- and post-upgrade checks, the storage-version check of every pallet and every pallet's
// `try_state`, over that state.
//
//   node tools/try-upgrade.js <old runtime .wasm> <new runtime .wasm built with try-runtime>
//
// Written for the old layout of 161dee9^ (before issue 17's migrations: claims, prescriptions,
// monitoring, research under participants, health records without research grants); a later
// release that migrates storage needs flows of its own old layout.

import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { findEvent, submitOk, UNIT } from '../lib/chain.js';
import { Node, runNodeCommand, tempDir } from '../lib/node.js';

const [oldWasm, newWasm] = process.argv.slice(2);
if (!oldWasm || !newWasm) {
  console.error('usage: node tools/try-upgrade.js <old runtime .wasm> <new runtime .wasm built with try-runtime>');
  process.exit(2);
}

const HOSPITAL = 1;
const PHARMACY = 2;
const MANUFACTURER = 3;
const DISTRIBUTOR = 4;
const INSURER = 5;
const DAY = 24 * 3600 * 1000;
const PRODUCT = { Gtin: 9506000134352 };

await cryptoWaitReady();
const work = tempDir('try-upgrade');
const plain = JSON.parse(runNodeCommand(['export-chain-spec', '--chain', 'dev']).stdout);
// The dev preset's patch (the presets are the same in both runtimes), applied by the old code.
plain.genesis.runtimeGenesis.code = u8aToHex(readFileSync(oldWasm));
writeFileSync(path.join(work.dir, 'old-plain.json'), JSON.stringify(plain));
writeFileSync(path.join(work.dir, 'old-raw.json'), runNodeCommand(['build-spec', '--chain', path.join(work.dir, 'old-plain.json'), '--raw']).stdout);
const args = ['--chain', path.join(work.dir, 'old-raw.json'), '--consensus', 'instant-seal', '--state-pruning', 'archive', '--rpc-methods', 'unsafe'];

console.log('the old runtime: filling its storage through its own calls');
const node = await Node.start({ name: 'try-upgrade', args });
const api = await node.api();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const [alice, bob, charlie, dave, eve, ferdie, adjuster, maker, wholesaler] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie',
  '//Charlie//stash', '//Alice//stash', '//Bob//stash'].map((uri) => keyring.addFromUri(uri));
const meter = keyring.addFromMnemonic(mnemonicGenerate());
const ok = (tx, who) => submitOk(api, tx, who);
const now = () => Date.now();
const hash = () => u8aToHex(randomBytes(32));

// Claims with codes in the clear: one paid after an appeal, one pending.
const covered = await ok(api.tx.insuranceClaims.registerCoverage(INSURER, ferdie.address, hash(), 'GOLD-PPO', now() - 30 * DAY, now() + 300 * DAY), adjuster);
const coverage = findEvent(covered.events, 'insuranceClaims', 'CoverageRegistered').data.coverage.toNumber();
const submit = (day, codes) => api.tx.insuranceClaims.submitClaim(HOSPITAL, coverage, hash(), now() - day * DAY, codes, ['E11.9'], 12_000, null);
const claim = findEvent((await ok(submit(2, ['99213']), bob)).events, 'insuranceClaims', 'ClaimSubmitted').data.claim.toNumber();
await ok(submit(3, ['36415', '99214']), bob);
await ok(api.tx.insuranceClaims.adjudicateClaim(claim, { PartiallyApprove: { allowed: 9_000, adjustments: [['CO-45', 3_000]] } }), adjuster);
await ok(api.tx.insuranceClaims.appealClaim(claim, hash()), bob);
await ok(api.tx.insuranceClaims.adjudicateClaim(claim, 'Approve'), adjuster);
await ok(api.tx.insuranceClaims.markPaid(claim, hash()), adjuster);

// Prescriptions naming patient and product: one filled once with a refill left, one active,
// one cancelled.
const pd = api.tx.drugProvenance;
await ok(pd.registerProduct(MANUFACTURER, PRODUCT, 'Drug', hash(), false), maker);
const serials = ['SN-OLD-1', 'SN-OLD-2'];
await ok(pd.commissionSerials(MANUFACTURER, PRODUCT, 'LOT-OLD', now() + 365 * DAY, serials), maker);
await ok(pd.shipUnits(MANUFACTURER, PRODUCT, serials, DISTRIBUTOR), maker);
await ok(pd.receiveUnits(DISTRIBUTOR, PRODUCT, serials), wholesaler);
await ok(pd.shipUnits(DISTRIBUTOR, PRODUCT, serials, PHARMACY), wholesaler);
await ok(pd.receiveUnits(PHARMACY, PRODUCT, serials), eve);
const issue = () => api.tx.prescriptions.issuePrescription(ferdie.address, hash(), PRODUCT, 1, 1, DAY, now() - DAY, now() + 30 * DAY);
const issued = [];
for (let i = 0; i < 3; i += 1) {
  issued.push(findEvent((await ok(issue(), charlie)).events, 'prescriptions', 'PrescriptionIssued').data.prescription.toNumber());
}
await ok(api.tx.prescriptions.dispensePrescription(issued[0], PHARMACY, [[PRODUCT, 'SN-OLD-1']]), eve);
await ok(api.tx.prescriptions.cancelPrescription(issued[2]), ferdie);

// Monitoring with the rule's code and bound in the clear and a batch with its locator: one
// alert acknowledged, one open.
await ok(api.tx.balances.transferKeepAlive(meter.address, 10n * UNIT), alice);
await ok(api.tx.healthRecords.grantAccess(ferdie.address, { Organisation: HOSPITAL }, 'Read', ['Observation'], now() + 10 * DAY), ferdie);
await ok(api.tx.remoteMonitoring.registerDevice(HOSPITAL, meter.address, '+H123HEART1', 'SN-HR-1', 'PulseOximeter', null), dave);
await ok(api.tx.remoteMonitoring.proposeBinding(meter.address, ferdie.address), dave);
await ok(api.tx.remoteMonitoring.confirmBinding(meter.address), ferdie);
const since = (await api.query.remoteMonitoring.devices(meter.address)).unwrap().status.asBound.since.toNumber();
await ok(api.tx.remoteMonitoring.anchorBatch(meter.address, since, since + 500, 12, hash(), 's3://readings/batch-0'), meter);
const set = await ok(api.tx.remoteMonitoring.setAlertRule(ferdie.address, HOSPITAL, '8867-4', 120, 'Above'), dave);
const rule = findEvent(set.events, 'remoteMonitoring', 'AlertRuleSet').data.rule.toNumber();
const alerts = [];
for (let i = 0; i < 2; i += 1) {
  alerts.push(findEvent((await ok(api.tx.remoteMonitoring.raiseAlert(meter.address, rule, 0), meter)).events, 'remoteMonitoring', 'AlertRaised').data.alert.toNumber());
}
await ok(api.tx.remoteMonitoring.acknowledgeAlert(alerts[0]), charlie);

// Research consent under the patient's own account, and the read grant a research access
// opened in the health-records pallet.
const [researcher, reviewer] = ['//Dave//stash', '//Eve//stash'].map((uri) => keyring.addFromUri(uri));
const registered = await ok(api.tx.researchConsent.registerStudy(6, hash(), 'Sponsor',
  { purpose: 'HealthMedicalBiomedical', modifiers: [] }, ['Observation'], 0, now() + 365 * DAY, []), researcher);
const study = findEvent(registered.events, 'researchConsent', 'StudyRegistered').data.study.toNumber();
await ok(api.tx.researchConsent.approveStudy(study, 7), reviewer);
await ok(api.tx.researchConsent.giveConsent(ferdie.address, { Study: study }, ['Observation'], null), ferdie);
await ok(api.tx.researchConsent.requestAccess(study, ferdie.address), researcher);
const researchGrant = await api.query.healthRecords.grants(ferdie.address, { Account: researcher.address });
if (researchGrant.isNone || researchGrant.unwrap().basis.type !== 'ResearchConsent') throw new Error('no research grant in the old state');

const versions = {};
for (const pallet of ['insuranceClaims', 'prescriptions', 'remoteMonitoring', 'researchConsent', 'healthRecords', 'healthIdentity']) {
  versions[pallet] = (await api.query[pallet].palletVersion()).toNumber();
}
const at = (await api.rpc.chain.getBlockHash()).toHex();
const best = (await api.rpc.chain.getHeader()).number.toNumber();
console.log(`old state at block #${best} (${at}); storage versions on chain: ${JSON.stringify(versions)}`);
await api.disconnect();
await node.stop();

console.log('the new runtime, built with try-runtime, as an override of the same spec_version');
const overrides = path.join(work.dir, 'overrides');
mkdirSync(overrides);
copyFileSync(newWasm, path.join(overrides, 'healthchain_runtime_try.wasm'));
node.args = [...args, '--wasm-runtime-overrides', overrides, '-lruntime=debug,try-runtime=debug,frame=debug'];
await node.launch();
const api2 = await node.api();
const started = Date.now();
try {
  // UpgradeCheckSelect::All = 1: pre_upgrade, the migrations, post_upgrade, try_state.
  const result = await api2._rpcCore.provider.send('state_call', ['TryRuntime_on_runtime_upgrade', '0x01', at]);
  const weights = api2.createType('(Weight, Weight)', result);
  console.log(`TryRuntime_on_runtime_upgrade(All) at #${best}: ok in ${Date.now() - started} ms; weight ${weights[0].toString()}, block limit ${weights[1].toString()}`);
  const log = readFileSync(path.join(node.basePath, `${node.name}.log`), 'utf8').split('\n')
    .filter((line) => /try-runtime|igrat|version|override|Override/i.test(line) && !/Building chain spec/.test(line));
  console.log(log.join('\n'));
} catch (error) {
  console.error(`TryRuntime_on_runtime_upgrade(All) failed: ${error.message}`);
  console.error(node.logTail.join('\n'));
  process.exitCode = 1;
} finally {
  await api2.disconnect();
  await node.destroy();
  work.cleanup();
}
