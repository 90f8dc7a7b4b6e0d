// The event history in PostgreSQL: healthchain-indexer follows a dev node that keeps only the
// last 40 blocks of state; a hospital's vault logs two reads of a patient's record; the
// indexer is killed with SIGKILL and restarted (it resumes, with no gap and nothing twice);
// once the node has pruned the state of those blocks, SQL still answers "every access to
// this patient's records", with who, why and when. An indexer asked to start from a past the
// node has pruned refuses with the reason, naming the archive node.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady, xxhashAsHex } from '@polkadot/util-crypto';
import { findEvent, submitOk, UNIT } from './lib/chain.js';
import { Node, NODE_BIN, waitFor } from './lib/node.js';
import { startPostgres } from './lib/postgres.js';

const INDEXER = process.env.HEALTHCHAIN_INDEXER ?? path.join(path.dirname(NODE_BIN), 'healthchain-indexer');
const HOSPITAL = 1;
const DAY = 24 * 3600 * 1000;
/** The blocks of state the node keeps. */
const KEPT = 40;

/** Starts the indexer; resolves with `{ process, exited, log() }`. */
function startIndexer(node, database, logFile) {
  const child = spawn(INDEXER, ['--node', node.rpcUrl, '--database', database], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  // Both streams feed one file, so neither may end it: the first to finish would, and the
  // other's last lines (an error on stderr after an empty stdout) would be lost.
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  // Once the process has closed both and everything is written to the log.
  const exited = new Promise((resolve) => child.on('close', (code, signal) => log.end(() => resolve({ code, signal }))));
  return { process: child, exited, log: () => readFileSync(logFile, 'utf8') };
}

describe('the indexer: history in PostgreSQL after the node has pruned it', () => {
  let postgres;
  let node;
  let api;
  let indexer;
  let ferdie;
  let charlie;
  let vault;
  let record;
  const reads = []; // the blocks the reads were logged in
  const logFile = () => path.join(node.basePath, 'indexer.log');
  const indexedUpTo = () => Number(postgres.psql('SELECT coalesce(max(number), -1) FROM blocks WHERE finalized')[0][0]);

  before(async () => {
    await cryptoWaitReady();
    postgres = await startPostgres();
    node = await Node.start({
      name: 'pruning-dev',
      args: ['--dev', '--consensus', 'manual-seal-250', '--state-pruning', String(KEPT)],
    });
    api = await node.api();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    ferdie = keyring.addFromUri('//Ferdie');
    charlie = keyring.addFromUri('//Charlie');
    vault = keyring.addFromUri('//HospitalVault');
    indexer = startIndexer(node, postgres.url(), logFile());
  });

  after(async () => {
    indexer?.process.kill('SIGKILL');
    await api?.disconnect();
    await node?.destroy();
    postgres?.stop();
  });

  it('indexes the hospital vault\'s releases as they are logged', async () => {
    const ok = (tx, signer) => submitOk(api, tx, signer);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    await ok(api.tx.balances.transferKeepAlive(vault.address, 10n * UNIT), keyring.addFromUri('//Alice'));
    await ok(api.tx.healthIdentity.registerVault(HOSPITAL, vault.address, 'https://vault.hospital.example'), keyring.addFromUri('//Bob'));
    const now = (await api.query.timestamp.now()).toNumber();
    await ok(api.tx.healthRecords.grantAccess(ferdie.address, { Account: charlie.address }, 'Write', ['Observation'], now + DAY), ferdie);
    const added = await ok(api.tx.healthRecords.addRecord(
      ferdie.address, 'Observation', blake2AsHex('sealed observation', 256), HOSPITAL, { Grant: { Account: charlie.address } },
    ), charlie);
    record = findEvent(added.events, 'healthRecords', 'RecordAdded').data.record.toNumber();
    const release = (purpose) => ({ record, reader: charlie.address, authority: { Grant: { Account: charlie.address } }, emergency: null, purpose });
    const first = await ok(api.tx.healthRecords.logReleases([release('Treatment')]), vault);
    reads.push(first.finalized);
    await waitFor('the indexer to store the first read', async () =>
      postgres.psql(`SELECT count(*) FROM record_accesses WHERE patient = '${ferdie.address}'`)[0][0] === '1',
    { timeout: 30_000, interval: 250 });
  });

  it('resumes after SIGKILL with no gap and nothing stored twice', async () => {
    indexer.process.kill('SIGKILL');
    await indexer.exited;
    const stoppedAt = indexedUpTo();
    // While it is down, the second read is logged and the chain moves on (less than the
    // pruning window, so the node still has those blocks' state).
    const second = await submitOk(api, api.tx.healthRecords.logReleases([{
      record, reader: charlie.address, authority: { Grant: { Account: charlie.address } }, emergency: null, purpose: 'Payment',
    }]), vault);
    reads.push(second.finalized);
    const restartedAt = Date.now();
    indexer = startIndexer(node, postgres.url(), logFile());
    const best = await node.finalizedNumber();
    await waitFor(`the indexer to catch up with #${best}`, async () => indexedUpTo() >= best, { timeout: 60_000, interval: 250 });
    console.log(`indexer: killed at #${stoppedAt}, caught up with #${best} ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`);
    const [[blocks, lowest, highest]] = postgres.psql('SELECT count(*), min(number), max(number) FROM blocks WHERE finalized');
    assert.equal(Number(lowest), 0);
    assert.equal(Number(blocks), Number(highest) + 1, 'every finalized block once, none missing');
    const [[duplicates]] = postgres.psql('SELECT count(*) FROM (SELECT block_number, index FROM chain_events GROUP BY 1, 2 HAVING count(*) > 1) d');
    assert.equal(duplicates, '0');
  });

  it('answers "every access to this patient\'s records" after the node has pruned that state', async () => {
    const readBlock = Math.max(...(await Promise.all(reads.map(async (hash) => Number((await api.rpc.chain.getHeader(hash)).number)))));
    await waitFor(`the chain to pass #${readBlock + KEPT + 10}`, async () => (await node.finalizedNumber()) > readBlock + KEPT + 10,
      { timeout: 60_000, interval: 500 });
    // The node no longer has the events of the first read's block.
    const eventsKey = xxhashAsHex('System', 128) + xxhashAsHex('Events', 128).slice(2);
    await assert.rejects(node.rpc('state_getStorage', [eventsKey, reads[0].toString()]), /State already discarded|not found|pruned/i);

    const rows = postgres.psql(`SELECT record, accessor, purpose, authority->'Grant'->>'Account', released_by, time IS NOT NULL
      FROM record_accesses WHERE patient = '${ferdie.address}' ORDER BY block_number`);
    assert.deepEqual(rows, [
      [String(record), charlie.address, '"Treatment"', charlie.address, '1', 't'],
      [String(record), charlie.address, '"Payment"', charlie.address, '1', 't'],
    ]);
    // And by record or organisation, through the same JSON fields.
    const [[byRecord]] = postgres.psql(`SELECT count(*) FROM chain_events WHERE fields @> '{"record": ${record}}'`);
    assert.ok(Number(byRecord) >= 3, 'the record\'s addition and its two reads');
    const [[registered]] = postgres.psql(`SELECT count(*) FROM chain_events WHERE pallet = 'HealthIdentity' AND name = 'VaultRegistered'
      AND fields @> '{"organisation": ${HOSPITAL}}'`);
    assert.equal(registered, '1');
  });

  it('refuses to start from a past the node has pruned, naming the archive node', async () => {
    postgres.psql('CREATE DATABASE late');
    const late = startIndexer(node, postgres.url('late'), path.join(node.basePath, 'late-indexer.log'));
    const { code } = await late.exited;
    assert.equal(code, 1);
    assert.match(late.log(), /^healthchain-indexer: the node has pruned the state of block #\d+: follow an archive node \(scripts\/consortium-rpc-node --archive\) to index it$/m);
  });

  it('refuses a database it cannot reach with one line', async () => {
    const bad = startIndexer(node, 'host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=2',
      path.join(node.basePath, 'bad-indexer.log'));
    const { code } = await bad.exited;
    assert.equal(code, 1);
    assert.match(bad.log(), /^healthchain-indexer: cannot open the database: /m);
  });
});
