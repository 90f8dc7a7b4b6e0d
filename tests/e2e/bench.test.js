// A smoke run of the load generator (healthchain-bench), so that it cannot rot: a few hundred
// pre-signed transfers from twenty senders against a dev node under manual seal, as a burst and
// paced, and a few dozen calls of each domain path it loads (commissioning, the custodian's log,
// adding records, anchoring readings, shipping, receiving, dispensing, claims), each checked on
// chain; everything sent is included,
// dispatched and finalized and the report says so, and a run whose calls fail says why. The
// measurements themselves are scripts/bench-throughput's, not a test's.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Node, NODE_BIN, startDevNode } from './lib/node.js';

const BENCH = process.env.HEALTHCHAIN_BENCH ?? path.join(path.dirname(NODE_BIN), 'healthchain-bench');

/** Runs the generator with `args` to its end (three minutes at most). */
const bench = (args) => spawnSync(BENCH, args, { encoding: 'utf8', timeout: 180_000 });

describe('healthchain-bench', () => {
  it('includes and finalizes every transfer it sends, as a burst or paced, and reports the blocks that held them', async () => {
    const node = await Node.start({ name: 'bench-smoke', args: ['--dev', '--consensus', 'manual-seal-500'] });
    try {
      const run = bench(['--url', node.rpcUrl, '--path', 'transfer', '--count', '400', '--senders', '20',
        '--node-pid', String(node.process.pid), '--timeout', '120', '--json']);
      assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
      const report = JSON.parse(run.stdout);
      assert.equal(report.sent, 400);
      assert.equal(report.accepted, 400);
      assert.equal(report.included, 400);
      assert.equal(report.finalized, 400);
      assert.deepEqual(report.refused, {});
      assert.equal(report.blocks.reduce((sum, b) => sum + b.ours, 0), 400, 'the blocks hold every transfer once');
      assert.ok(report.included_per_second > 0);
      assert.ok(report.inclusion_ms.p50 <= report.inclusion_ms.p99 && report.finality_ms.p50 > 0);
      assert.ok(report.node_process.rss_peak_mib > 0, 'the node was sampled');
      assert.ok(report.finality_lag_max_blocks <= 2, `finality trailed by ${report.finality_lag_max_blocks} blocks`);

      // Paced: 300 at 100 a second take three seconds to submit, and all get in.
      const paced = bench(['--url', node.rpcUrl, '--path', 'transfer', '--count', '300', '--senders', '20',
        '--rate', '100', '--timeout', '120', '--json']);
      assert.equal(paced.status, 0, `${paced.stderr}\n${paced.stdout}`);
      const sustained = JSON.parse(paced.stdout);
      assert.equal(sustained.rate_asked, 100);
      assert.equal(sustained.finalized, 300);
      assert.ok(sustained.submission_seconds >= 2.9, `300 at 100/s were submitted in ${sustained.submission_seconds} s`);
      assert.ok(sustained.accepted_per_second <= 105, `accepted ${sustained.accepted_per_second}/s, not paced`);
    } finally {
      await node.destroy();
    }
  });

  it('commissions serials from senders it puts on the manufacturer\'s staff, every serial on chain', async () => {
    const { node, api, stop } = await startDevNode('bench-commission', ['--consensus', 'manual-seal-500']);
    try {
      const run = bench(['--url', node.rpcUrl, '--path', 'commission', '--count', '40', '--senders', '4', '--batch', '25',
        '--timeout', '120', '--json']);
      assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
      const report = JSON.parse(run.stdout);
      assert.equal(report.path, 'commission');
      assert.equal(report.finalized, 40);
      assert.equal(report.units_per_transaction, 25);
      assert.ok(report.included_units_per_second > report.included_per_second);
      // Included is not enough: each call must have commissioned its serials.
      const lots = await api.query.drugProvenance.lots.entries({ Gtin: 9506000134352 });
      assert.equal(lots.length, 4, 'a lot for each sender');
      assert.equal(lots.reduce((sum, [, lot]) => sum + lot.unwrap().units.toNumber(), 0), 1000);
      assert.equal(report.failed, 0);
      assert.deepEqual(report.failures, {});

      // A second run on the same chain commissions lots and serials of its own; then one for an
      // organisation that does not exist: every call is included and fails in dispatch, and the
      // generator says so and why, instead of counting them as throughput.
      const again = bench(['--url', node.rpcUrl, '--path', 'commission', '--count', '8', '--senders', '4', '--batch', '25',
        '--timeout', '120', '--json']);
      assert.equal(again.status, 0, `${again.stderr}\n${again.stdout}`);
      const after = await api.query.drugProvenance.lots.entries({ Gtin: 9506000134352 });
      assert.equal(after.length, 8, 'four lots more');
      assert.equal(after.reduce((sum, [, lot]) => sum + lot.unwrap().units.toNumber(), 0), 1200);
      const stranger = bench(['--url', node.rpcUrl, '--path', 'commission', '--count', '8', '--senders', '4', '--batch', '5',
        '--manufacturer', '99', '--timeout', '120', '--json']);
      assert.equal(stranger.status, 1, `${stranger.stderr}\n${stranger.stdout}`);
      const refused = JSON.parse(stranger.stdout);
      assert.equal(refused.included, 8);
      assert.equal(refused.failed, 8);
      const reasons = Object.keys(refused.failures);
      assert.equal(reasons.length, 1, `one reason: ${reasons}`);
      assert.match(reasons[0], /^\w+::\w+$/, 'a pallet\'s error by name');
      const bad = bench(['--url', node.rpcUrl, '--path', 'commission', '--batch', '0']);
      assert.equal(bad.status, 2);
      assert.equal(bad.stderr.trim(), 'healthchain-bench: --batch must be at least 1');
    } finally {
      await stop();
    }
  });

  it('logs reads as the hospital\'s vault, every entry on the patient\'s access log, adds records as its nurses, and will not take over a vault it does not hold', async () => {
    const { node, api, stop } = await startDevNode('bench-log-releases', ['--consensus', 'manual-seal-500']);
    try {
      const { Keyring } = await import('@polkadot/keyring');
      const keyring = new Keyring({ type: 'sr25519' });
      const ferdie = keyring.addFromUri('//Ferdie').address;
      const before = (await api.query.healthRecords.accessLogLength(ferdie)).toNumber();
      const run = bench(['--url', node.rpcUrl, '--path', 'log-releases', '--count', '20', '--senders', '1', '--batch', '8',
        '--timeout', '120', '--json']);
      assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
      const report = JSON.parse(run.stdout);
      assert.equal(report.path, 'log-releases');
      assert.equal(report.finalized, 20);
      assert.equal(report.failed, 0);
      assert.equal(report.units_per_transaction, 8);
      // Each call logged its eight reads, by the hospital's vault, on the patient's log.
      assert.equal((await api.query.healthRecords.accessLogLength(ferdie)).toNumber(), before + 160);
      const entry = (await api.query.healthRecords.accessLog(ferdie, before + 159)).unwrap();
      assert.equal(entry.releasedBy.unwrap().toNumber(), 1);
      assert.equal(entry.purpose.toString(), 'Treatment');

      // Nurses add Observations under the patient's grant to the hospital, held by its vault.
      const records = (await api.query.healthRecords.recordCount(ferdie)).toNumber();
      const added = bench(['--url', node.rpcUrl, '--path', 'add-record', '--count', '40', '--senders', '4',
        '--timeout', '120', '--json']);
      assert.equal(added.status, 0, `${added.stderr}\n${added.stdout}`);
      assert.equal(JSON.parse(added.stdout).failed, 0);
      assert.equal((await api.query.healthRecords.recordCount(ferdie)).toNumber(), records + 40);

      const many = bench(['--url', node.rpcUrl, '--path', 'log-releases', '--senders', '2', '--count', '4']);
      assert.equal(many.status, 2);
      assert.equal(many.stderr.trim(), 'healthchain-bench: --path log-releases signs as one custodian\'s vault: --senders must be at most 1');
      // Another funder's sender is another account: the hospital's vault is the first run's.
      const other = bench(['--url', node.rpcUrl, '--path', 'log-releases', '--senders', '1', '--count', '4', '--funder', '//Bob']);
      assert.equal(other.status, 1);
      assert.match(other.stderr, /^healthchain-bench: organisation 1 already has a vault \(\w+\): logging as another would take its log over/m);
    } finally {
      await stop();
    }
  });

  it('anchors batches of readings from devices the care staff registers and the patient consents to', async () => {
    const { node, api, stop } = await startDevNode('bench-anchor-batch', ['--consensus', 'manual-seal-500']);
    try {
      const run = bench(['--url', node.rpcUrl, '--path', 'anchor-batch', '--count', '40', '--senders', '4',
        '--timeout', '120', '--json']);
      assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
      const report = JSON.parse(run.stdout);
      assert.equal(report.path, 'anchor-batch');
      assert.equal(report.finalized, 40);
      assert.equal(report.failed, 0);
      const batches = await api.query.remoteMonitoring.batches.entries();
      assert.equal(batches.length, 40, 'ten batches from each device');
      const devices = await api.query.remoteMonitoring.devices.entries();
      assert.equal(devices.filter(([, d]) => d.unwrap().batches.toNumber() === 10).length, 4);
      // Again, with the same devices: their next periods follow the last ones.
      const again = bench(['--url', node.rpcUrl, '--path', 'anchor-batch', '--count', '8', '--senders', '4',
        '--timeout', '120', '--json']);
      assert.equal(again.status, 0, `${again.stderr}\n${again.stdout}`);
      assert.equal((await api.query.remoteMonitoring.batches.entries()).length, 48);
    } finally {
      await stop();
    }
  });

  it('ships, receives and dispenses units of a stock it commissions, and submits claims for documents it files, every step on chain', async () => {
    const { node, api, stop } = await startDevNode('bench-custody', ['--consensus', 'manual-seal-500']);
    try {
      const product = { Gtin: 9506000134352 };
      const units = async () => (await api.query.drugProvenance.units.entries(product)).map(([, unit]) => unit.unwrap());
      const run = (args) => {
        const done = bench(['--url', node.rpcUrl, '--count', '20', '--senders', '2', '--timeout', '120', '--json', ...args]);
        assert.equal(done.status, 0, `${done.stderr}\n${done.stdout}`);
        const report = JSON.parse(done.stdout);
        assert.equal(report.finalized, 20);
        assert.equal(report.failed, 0, JSON.stringify(report.failures));
        return report;
      };

      // Twenty cases of five from the manufacturer's stock, all on their way to the distributor.
      assert.equal(run(['--path', 'ship', '--batch', '5']).units_per_transaction, 5);
      let all = await units();
      assert.equal(all.length, 100, 'the stock is the run\'s hundred units');
      assert.equal(all.filter((u) => u.status.isInTransit && u.status.asInTransit.to.toNumber() === 4).length, 100);

      // A stock shipped to the distributor in the preparation, received by the senders.
      run(['--path', 'receive', '--batch', '5']);
      all = await units();
      assert.equal(all.length, 200);
      assert.equal(all.filter((u) => u.status.isInStock && u.custodian.toNumber() === 4).length, 100, 'the distributor holds the second hundred');

      // Each call fills its own prescription with two units of the pharmacy's stock.
      const prescriptions = (await api.query.prescriptions.nextPrescriptionId()).toNumber();
      run(['--path', 'dispense', '--batch', '2']);
      all = await units();
      assert.equal(all.filter((u) => u.status.isDispensed).length, 40);
      assert.equal((await api.query.prescriptions.nextPrescriptionId()).toNumber(), prescriptions + 20);
      const filled = (await api.query.prescriptions.prescriptions(prescriptions + 19)).unwrap();
      assert.equal(filled.status.toString(), 'Completed');
      assert.equal(filled.fills.toNumber(), 1);

      // Each call a claim of the hospital's under the patient's coverage, for its own document.
      const claims = (await api.query.insuranceClaims.nextClaimId()).toNumber();
      run(['--path', 'submit-claim']);
      assert.equal((await api.query.insuranceClaims.nextClaimId()).toNumber(), claims + 20);
      const claim = (await api.query.insuranceClaims.claims(claims + 19)).unwrap();
      assert.equal(claim.provider.toNumber(), 1);
      assert.equal(claim.status.toString(), 'Submitted');

      // A preparation that cannot make what the run needs stops before signing anything.
      const nurse = bench(['--url', node.rpcUrl, '--path', 'dispense', '--count', '4', '--senders', '2', '--prescriber', '//Dave']);
      assert.equal(nurse.status, 1);
      assert.match(nurse.stderr, /^healthchain-bench: prescriptions \(is --prescriber a licensed practitioner\?\): 0 of 4 made/m);
    } finally {
      await stop();
    }
  });

  it('prices every domain hot path as the runtime charges it, batches cheaper a unit than single calls', () => {
    const run = spawnSync(process.execPath, [path.join(import.meta.dirname, 'bench', 'hot-path-weights.js')],
      { encoding: 'utf8', timeout: 180_000, env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN } });
    assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
    const base = Number(run.stdout.match(/^an extrinsic's base ([\d,.]+) µs/m)[1].replace(/,/g, ''));
    const rows = [...run.stdout.matchAll(/^\| (.+?) \| ([\d,.]+) µs(?:, ([\d,.]+) µs a \w+)? \| ([\d,]+)/gm)]
      .map(([, call, weight, perUnit, inBlock]) => ({ call, weight: Number(weight.replace(/,/g, '')), perUnit: perUnit && Number(perUnit.replace(/,/g, '')), inBlock: Number(inBlock.replace(/,/g, '')) }));
    const calls = ['balances.transferKeepAlive', 'healthRecords.logReleases', 'healthRecords.addRecord', 'remoteMonitoring.anchorBatch',
      'drugProvenance.commissionSerials', 'drugProvenance.shipUnits', 'drugProvenance.receiveUnits', 'prescriptions.dispensePrescription',
      'insuranceClaims.submitClaim'];
    for (const call of calls) assert.ok(rows.some((row) => row.call.includes(`\`${call}\``)), `no row for ${call}:\n${run.stdout}`);
    for (const row of rows) {
      assert.ok(row.weight > base, `${row.call} weighs ${row.weight} µs, no more than an extrinsic's base ${base} µs`);
      assert.ok(row.inBlock >= 1, `${row.call}: not one fits in a block`);
    }
    // A batch spreads the extrinsic's own cost: a unit of a full batch costs less than one call.
    for (const name of ['logReleases', 'commissionSerials']) {
      const [single, batch] = rows.filter((row) => row.call.includes(`.${name}\``));
      assert.ok(batch.perUnit < single.weight, `${name}: ${batch.perUnit} µs a unit in a batch, ${single.weight} µs alone`);
    }
  });
});
