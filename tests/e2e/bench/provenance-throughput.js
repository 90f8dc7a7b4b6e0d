// How fast a dev node commissions serials, and how long a scanner's verification query takes
// over RPC once the chain holds them: run by scripts/provenance-benchmark.
//
//   SERIALS   how many serials to commission (default 1,000,000)
//   QUERIES   how many verification queries to time afterwards (default 1,000)
//   IN_FLIGHT how many commissioning transactions may wait in the pool at once (default 16)

import { performance } from 'node:perf_hooks';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { submitOk } from '../lib/chain.js';
import { startDevNode } from '../lib/node.js';

const SERIALS = Number(process.env.SERIALS ?? 1_000_000);
const QUERIES = Number(process.env.QUERIES ?? 1_000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 16);
const MANUFACTURER = 3;
const PRODUCT = { Gtin: 9506000134352 };

const serial = (i) => `S${String(i).padStart(12, '0')}`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

await cryptoWaitReady();
const dev = await startDevNode('provenance-bench');
try {
  const { api } = dev;
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
  async function worker() {
    while (next < batches) {
      const b = next;
      next += 1;
      const first = b * batch;
      const serials = Array.from({ length: Math.min(batch, SERIALS - first) }, (_, k) => serial(first + k));
      const tx = api.tx.drugProvenance.commissionSerials(MANUFACTURER, PRODUCT, `LOT-${Math.floor(first / 100_000)}`, expiry, serials);
      const myNonce = nonce;
      nonce += 1;
      await submitOk(api, tx, maker, { nonce: myNonce }).catch((e) => {
        throw new Error(`batch ${b}: ${e.message}`);
      });
      done += 1;
      if (done % 50 === 0) console.log(`  ${done}/${batches} transactions finalized`);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;

  const lots = await api.query.drugProvenance.lots.entries(PRODUCT);
  const commissioned = lots.reduce((sum, [, lot]) => sum + lot.unwrap().units.toNumber(), 0);
  if (commissioned !== SERIALS) throw new Error(`the chain holds ${commissioned} units, not ${SERIALS}`);
  const header = await api.rpc.chain.getHeader();

  const times = [];
  for (let q = 0; q < QUERIES; q += 1) {
    const id = serial(Math.floor(Math.random() * SERIALS));
    const t = performance.now();
    const answer = await api.call.drugProvenanceApi.verifyUnit(PRODUCT, id, null, null);
    times.push(performance.now() - t);
    if (!answer.genuine.isTrue) throw new Error(`${id} is not genuine`);
  }
  times.sort((a, b) => a - b);
  const ms = (v) => `${v.toFixed(2)} ms`;
  console.log(JSON.stringify({
    serials: SERIALS,
    transactions: batches,
    blocks: header.number.toNumber(),
    commissioningSeconds: Number(seconds.toFixed(1)),
    serialsPerSecond: Math.round(SERIALS / seconds),
    verificationQueries: QUERIES,
    verificationMedianMs: Number(percentile(times, 50).toFixed(2)),
    verificationP99Ms: Number(percentile(times, 99).toFixed(2)),
  }));
  console.log(`commissioned ${SERIALS} serials in ${seconds.toFixed(1)} s: ${Math.round(SERIALS / seconds)} serials/s`);
  console.log(`verifyUnit over RPC with ${commissioned} units on chain: median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, p99 ${ms(percentile(times, 99))}, max ${ms(times.at(-1))}`);
} finally {
  await dev.stop();
}
