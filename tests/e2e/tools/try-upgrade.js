// try-runtime against the state of a running network, without try-runtime-cli
// (lib/try-runtime.js): the state is exported over a node's JSON-RPC, a throwaway node starts
// on it with the new runtime's code, and `TryRuntime_on_runtime_upgrade(All)` runs every
// migration with its pre- and post-upgrade checks, the storage-version check of every pallet,
// the decoding of every value and every pallet's `try_state`. The network is not touched.
//
//   node tools/try-upgrade.js check --rpc <ws url> --runtime <new .wasm> [--at <block hash>]
//       the check against a running network (its finalized head unless --at);
//   node tools/try-upgrade.js drill --old <old .wasm> --runtime <new .wasm>
//       the drill: the four validators of the `local` chain run the OLD runtime, its own calls
//       fill the storage in its old layout, the state is exported from a validator while the
//       network runs, and the check runs the new runtime's migrations over it.
//
// The new runtime is built with `--features try-runtime`; its spec_version need not match the
// chain's (its code replaces the chain's in the exported state). Exit status: 0 when every
// check passed, 1 when one failed (the runtime's reason is printed), 2 for bad arguments or a
// state or runtime the check cannot use.
//
// The drill's flows are written for the old layout of 161dee9^ (before issue 17's
// migrations: claims, prescriptions, monitoring, research under participants, health records
// without research grants); a later release that migrates storage needs flows of its own old
// layout.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { findEvent, submitOk, UNIT } from '../lib/chain.js';
import { devNodeKey, Node, runNodeCommand, tempDir, waitFor } from '../lib/node.js';
import { checkUpgrade, exportState, UnusableInput } from '../lib/try-runtime.js';

const USAGE = `usage: node tools/try-upgrade.js check --rpc <ws url> --runtime <new .wasm> [--at <block hash>]
       node tools/try-upgrade.js drill --old <old .wasm> --runtime <new .wasm>`;

const HOSPITAL = 1;
const PHARMACY = 2;
const MANUFACTURER = 3;
const DISTRIBUTOR = 4;
const INSURER = 5;
const DAY = 24 * 3600 * 1000;
const PRODUCT = { Gtin: 9506000134352 };
const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

function fail(message, status = 2) {
  console.error(`try-upgrade: ${message}`);
  process.exit(status);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { rpc: { type: 'string' }, runtime: { type: 'string' }, at: { type: 'string' }, old: { type: 'string' }, help: { type: 'boolean' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
const { values: options, positionals: [mode, ...extra] } = parsed;
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (extra.length > 0 || !['check', 'drill'].includes(mode)) fail(USAGE);
if (!options.runtime) fail(`--runtime is required\n${USAGE}`);
if (mode === 'check' && (!options.rpc || options.old)) fail(`check takes --rpc (and no --old)\n${USAGE}`);
if (mode === 'drill' && (!options.old || options.rpc || options.at)) fail(`drill takes --old (and no --rpc or --at)\n${USAGE}`);
if (options.at && !/^0x[0-9a-fA-F]{64}$/.test(options.at)) fail(`--at takes a block hash (0x and 64 hex digits), not ${options.at}`);
for (const file of [options.runtime, options.old].filter(Boolean)) {
  try {
    readFileSync(file, { flag: 'r' });
  } catch (error) {
    fail(`cannot read ${file}: ${error.code ?? error.message}`);
  }
}

await cryptoWaitReady();
const work = tempDir('try-upgrade');
/** The drill's validators, by name. */
const network = {};
try {
  const rpc = mode === 'check' ? options.rpc : await runOldNetwork();
  const started = Date.now();
  const state = await exportState(rpc, { at: options.at });
  const exportMs = Date.now() - started;
  console.log(`exported the state of ${state.chain} at #${state.number} (${state.at}, spec ${state.specVersion}) from ${rpc}: `
    + `${Object.keys(state.top).length} entries in ${exportMs} ms`);
  const result = await checkUpgrade(state, options.runtime, work.dir);
  console.log(result.log.join('\n'));
  console.log(`TryRuntime_on_runtime_upgrade(All) with spec ${result.specVersion} over #${state.number}: ok in ${result.ms} ms; `
    + `weight ${result.weight.refTime} ps ref time, ${result.weight.proofSize} bytes of proof `
    + `(block limit ${result.limit.refTime} ps, ${result.limit.proofSize} bytes)`);
  if (mode === 'drill') await networkRunsOn(state.number);
} catch (error) {
  const unusable = error instanceof UnusableInput;
  console.error(`try-upgrade: ${unusable ? '' : 'the check failed: '}${error.message}`);
  process.exitCode = unusable ? 2 : 1;
} finally {
  await Promise.all(Object.values(network).map((n) => n.stop()));
  work.cleanup();
}
process.exit();

/**
 * Starts the `local` chain's four validators with the old runtime as their genesis code (the
 * presets are the same in both runtimes) and fills its storage through the old runtime's own
 * calls; resolves to the RPC address of the validator the state is exported from.
 */
async function runOldNetwork() {
  const plain = JSON.parse(runNodeCommand(['export-chain-spec', '--chain', 'local']).stdout);
  plain.genesis.runtimeGenesis.code = u8aToHex(readFileSync(options.old));
  writeFileSync(path.join(work.dir, 'old-plain.json'), JSON.stringify(plain));
  const spec = path.join(work.dir, 'old-raw.json');
  writeFileSync(spec, runNodeCommand(['build-spec', '--chain', path.join(work.dir, 'old-plain.json'), '--raw']).stdout);
  const keyFile = path.join(work.dir, 'alice-node-key');
  writeFileSync(keyFile, devNodeKey(1));
  const alicePeer = runNodeCommand(['key', 'inspect-node-key', '--file', keyFile]).stdout.trim();
  for (const [i, name] of VALIDATORS.entries()) {
    const boot = i === 0 ? [] : ['--bootnodes', network.alice.multiaddr(alicePeer)];
    network[name] = await Node.start({
      name, basePath: path.join(work.dir, name), nodeKey: devNodeKey(i + 1), args: ['--chain', spec, `--${name}`, ...boot],
    });
  }
  console.log('the old runtime on four validators: filling its storage through its own calls');
  const api = await network.alice.api();
  try {
    await fillOldLayout(api);
  } finally {
    await api.disconnect();
  }
  return network.bob.rpcUrl;
}

/** The network went on finalizing through the export and the check: nothing was stopped. */
async function networkRunsOn(exported) {
  const heights = await Promise.all(VALIDATORS.map((name) => network[name].finalizedNumber()));
  await waitFor('the validators to finalize past the exported block', async () => {
    const now = await Promise.all(VALIDATORS.map((name) => network[name].finalizedNumber()));
    return now.every((h, i) => h > Math.max(exported, heights[i]));
  }, { timeout: 60_000, interval: 1_000 });
  const after = await Promise.all(VALIDATORS.map((name) => network[name].finalizedNumber()));
  console.log(`the network ran on: finalized ${VALIDATORS.map((name, i) => `${name} #${after[i]}`).join(', ')}`);
}

/**
 * The old layout of 161dee9^, written by its own calls: claims with codes, prescriptions naming
 * patient and product, alert rules with their code and bound, a batch with its locator, a
 * study consent under the patient's own account and the read grant its research access opened.
 */
async function fillOldLayout(api) {
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
  console.log(`old layout written; storage versions on chain: ${JSON.stringify(versions)}`);
  assert.ok(versions.insuranceClaims < 2 && versions.prescriptions < 2, 'the old runtime wrote the old layout');
}
