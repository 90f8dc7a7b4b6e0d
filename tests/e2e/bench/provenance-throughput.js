// How fast a dev node commissions serials, and how long a scanner's verification query takes
// over RPC once the chain holds them: run by scripts/provenance-benchmark.
//
//   SERIALS   how many serials to commission (default 1,000,000)
//   QUERIES   how many verification queries to time each way (default 1,000): through
//             @polkadot/api and raw on a quiet chain, and raw while commissioning goes on
//   IN_FLIGHT how many commissioning transactions may wait in the pool at once (default 16)
//   KEEP_CHAIN a directory to keep the chain's database in, stopped but not removed (for
//             `benchmark storage`, which prices reads and writes over that state)
//   NODE_ARGS  further flags for the node, space-separated (`--trie-cache-size N`, say)
//   SCANNER   1: the queries go to a second node, one that does not author (as the node a
//             pharmacy's scanners ask would be): the dev node then runs Aura and GRANDPA
//             (`--consensus aura`) and the scanner node imports its blocks as a full node

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { submitOk } from '../lib/chain.js';
import { Node } from '../lib/node.js';
import { rawVerifier, serial, timeQueries, timeRaw } from './verify-unit-querier.js';

const SERIALS = Number(process.env.SERIALS ?? 1_000_000);
const QUERIES = Number(process.env.QUERIES ?? 1_000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 16);
const KEEP_CHAIN = process.env.KEEP_CHAIN;
const SCANNER = process.env.SCANNER === '1';
const MANUFACTURER = 3;
const PRODUCT = { Gtin: 9506000134352 };

/** The node's bytes written to storage so far, from /proc. */
function bytesWritten(pid) {
  return Number(readFileSync(`/proc/${pid}/io`, 'utf8').match(/^write_bytes: (\d+)/m)[1]);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

await cryptoWaitReady();
const NODE_ARGS = (process.env.NODE_ARGS ?? '').split(' ').filter(Boolean);
const node = await Node.start({
  name: 'provenance-bench', args: ['--dev', ...(SCANNER ? ['--consensus', 'aura'] : []), ...NODE_ARGS], basePath: KEEP_CHAIN,
});
const api = await node.api();
// The node the queries go to: the dev node itself, or a full node importing from it.
const scanner = SCANNER
  ? await Node.start({
    name: 'scanner-node',
    args: ['--chain', 'dev', '--consensus', 'aura', '--bootnodes', node.multiaddr(await node.rpc('system_localPeerId')), ...NODE_ARGS],
  })
  : node;
const scannerApi = SCANNER ? await scanner.api() : api;
try {
  const maker = new Keyring({ type: 'sr25519' }).addFromUri('//Alice//stash');
  await submitOk(api, api.tx.drugProvenance.registerProduct(MANUFACTURER, PRODUCT, 'Drug', `0x${'0d'.repeat(32)}`, false), maker);
  const batch = api.consts.drugProvenance.maxCommissionBatch.toNumber();
  const expiry = Date.now() + 2 * 365 * 24 * 3600 * 1000;
  const batches = Math.ceil(SERIALS / batch);
  let nonce = (await api.rpc.system.accountNextIndex(maker.address)).toNumber();
  console.log(`commissioning ${SERIALS} serials in ${batches} transactions of up to ${batch}`);

  // Each transaction is signed just before it is sent; at most IN_FLIGHT wait in the pool.
  const started = performance.now();
  let next = 0;
  let done = 0;
  const finished = [];
  // Batches in a finalized block, until the node the queries go to has imported that block.
  const imported = [];
  let importing = false;
  async function release() {
    if (importing) return;
    importing = true;
    try {
      while (imported.length && (!SCANNER || (await scanner.rpc('chain_getHeader', [imported[0].finalized])) !== null)) {
        finished.push(imported.shift().b);
      }
    } finally {
      importing = false;
    }
  }
  async function worker() {
    while (next < batches) {
      const b = next;
      next += 1;
      const first = b * batch;
      const serials = Array.from({ length: Math.min(batch, SERIALS - first) }, (_, k) => serial(first + k));
      const tx = api.tx.drugProvenance.commissionSerials(MANUFACTURER, PRODUCT, `LOT-${Math.floor(first / 100_000)}`, expiry, serials);
      const myNonce = nonce;
      nonce += 1;
      const { finalized } = await submitOk(api, tx, maker, { nonce: myNonce }).catch((e) => {
        throw new Error(`batch ${b}: ${e.message}`);
      });
      done += 1;
      imported.push({ b, finalized });
      if (done % 50 === 0) console.log(`  ${done}/${batches} transactions finalized`);
    }
  }
  // A scanner's queries while commissioning goes on (serials of batches already in a block,
  // from the tenth of the work on, while more than a tenth is left), on a thread of their own
  // so that signing and sending the commissioning transactions here does not delay them.
  const querier = new Worker(new URL('./verify-unit-querier.js', import.meta.url), {
    workerData: { url: scanner.rpcUrl, product: PRODUCT, batch, serials: SERIALS, queries: QUERIES },
  });
  const underLoad = new Promise((resolve, reject) => {
    querier.once('message', resolve);
    querier.once('error', reject);
  });
  const tellQuerier = setInterval(async () => {
    await release();
    querier.postMessage(done >= batches / 10 && done < batches * 0.9 ? { finished: finished.splice(0) } : { finished: finished.splice(0), idle: true });
  }, 200);
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(tellQuerier);
  querier.postMessage({ stop: true });
  const busy = await underLoad;
  await querier.terminate();

  const lots = await api.query.drugProvenance.lots.entries(PRODUCT);
  const commissioned = lots.reduce((sum, [, lot]) => sum + lot.unwrap().units.toNumber(), 0);
  if (commissioned !== SERIALS) throw new Error(`the chain holds ${commissioned} units, not ${SERIALS}`);
  const header = await api.rpc.chain.getHeader();
  if (SCANNER) {
    // Every serial is asked of the scanner node: it must hold the last block first.
    const last = header.hash.toHex();
    for (const t = performance.now(); (await scanner.rpc('chain_getHeader', [last])) === null;) {
      if (performance.now() - t > 120_000) throw new Error('the scanner node did not import the last block in two minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  // A quiet chain is one whose database is done with the burst: after the last block, the node
  // goes on writing for some seconds (ParityDB moving its log into its tables: 274 MiB and 6.5
  // CPU seconds in the first 10 s after a million serials, here), and queries meanwhile wait
  // for the disk and the two cores (p99 24 ms against 2.6 ms once it is done). Wait until two
  // seconds pass with under a MiB written, two minutes at most.
  const settleStarted = performance.now();
  let settleWritten = 0;
  for (let idle = false; !idle && performance.now() - settleStarted < 120_000;) {
    const before = bytesWritten(node.process.pid) + (SCANNER ? bytesWritten(scanner.process.pid) : 0);
    await new Promise((r) => setTimeout(r, 2_000));
    const written = bytesWritten(node.process.pid) + (SCANNER ? bytesWritten(scanner.process.pid) : 0) - before;
    settleWritten += written;
    idle = written < 2 ** 20;
  }
  const settle = { seconds: Number(((performance.now() - settleStarted) / 1000).toFixed(1)), writtenMiB: Number((settleWritten / 2 ** 20).toFixed(1)) };

  // A quiet chain: first through @polkadot/api, as a scanner application would ask, then the
  // node's own time over a raw connection.
  const anySerial = () => Math.floor(Math.random() * SERIALS);
  const times = await timeQueries(QUERIES, anySerial, (id) => async () =>
    (await scannerApi.call.drugProvenanceApi.verifyUnit(PRODUCT, id, null, null)).genuine.isTrue);
  const raw = await rawVerifier(scannerApi, scanner.rpcUrl);
  const asked = [];
  const quiet = await timeRaw(raw, PRODUCT, QUERIES, () => {
    asked.push(anySerial());
    return asked.at(-1);
  });
  // The same serials again: what the node answers from its caches, to tell a cold read of the
  // database from the node's own cost of a query.
  let k = 0;
  const again = await timeRaw(raw, PRODUCT, QUERIES, () => asked[k++ % asked.length]);
  raw.close();
  const ms = (v) => `${v.toFixed(2)} ms`;
  const at = (t, p) => (t.length ? Number(percentile(t, p).toFixed(2)) : null);
  const summary = (t) => t.length === 0 ? 'no query'
    : `median ${ms(percentile(t, 50))}, p95 ${ms(percentile(t, 95))}, p99 ${ms(percentile(t, 99))}, max ${ms(t.at(-1))} (${t.length} queries)`;
  console.log(JSON.stringify({
    serials: SERIALS,
    transactions: batches,
    blocks: header.number.toNumber(),
    commissioningSeconds: Number(seconds.toFixed(1)),
    serialsPerSecond: Math.round(SERIALS / seconds),
    verificationQueries: QUERIES,
    verificationMedianMs: at(times, 50),
    verificationP99Ms: at(times, 99),
    rawMedianMs: at(quiet, 50),
    rawP99Ms: at(quiet, 99),
    rawAgainMedianMs: at(again, 50),
    rawAgainP99Ms: at(again, 99),
    nodeArgs: NODE_ARGS.join(' '),
    askedOf: SCANNER ? 'a full node that does not author, importing from the dev node under Aura' : 'the dev node (instant seal)',
    settle,
    whileCommissioningQueries: busy.length,
    whileCommissioningMedianMs: at(busy, 50),
    whileCommissioningP99Ms: at(busy, 99),
  }));
  console.log(`commissioned ${SERIALS} serials in ${seconds.toFixed(1)} s: ${Math.round(SERIALS / seconds)} serials/s`);
  console.log(`verifyUnit through @polkadot/api with ${commissioned} units on chain: ${summary(times)}`);
  console.log(`the database settled ${settle.seconds} s after the last block (${settle.writtenMiB} MiB written meanwhile)`);
  console.log(`verifyUnit as state_call on a raw connection, quiet chain: ${summary(quiet)}`);
  console.log(`the same serials asked again: ${summary(again)}`);
  console.log(`verifyUnit as state_call on a raw connection, while commissioning: ${summary(busy)}`);
} finally {
  if (SCANNER) {
    await scannerApi.disconnect();
    await scanner.destroy();
  }
  await api.disconnect();
  await (KEEP_CHAIN ? node.stop() : node.destroy());
}
