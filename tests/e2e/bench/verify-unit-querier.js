// verifyUnit as the node answers it, for tests/e2e/bench/provenance-throughput.js: `state_call`
// over a WebSocket of its own, the parameters encoded before the clock starts, so that the
// client library's own time (decoding, its garbage collector) stays out of the figure.
//
// Run as a worker thread it times queries while the main thread commissions: the main thread
// posts `{ finished: [batch, ...] }` as commissioning batches reach a block (with `idle` while
// queries should pause), and `{ stop: true }` at the end; the worker answers with the sorted
// times in milliseconds.

import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import WebSocket from 'ws';

export const serial = (i) => `S${String(i).padStart(12, '0')}`;

/** A raw connection to the node at `url` that asks verifyUnit; `api` encodes and decodes. */
export async function rawVerifier(api, url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const pending = new Map();
  let id = 0;
  ws.on('message', (data) => {
    const reply = JSON.parse(data);
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) waiter?.reject(new Error(`state_call: ${JSON.stringify(reply.error)}`));
    else waiter?.resolve(reply.result);
  });
  const { params, type } = api.call.drugProvenanceApi.verifyUnit.meta;
  return {
    encode: (...args) => u8aToHex(u8aConcat(...params.map((p, i) => api.createType(p.type, args[i]).toU8a()))),
    call: (encoded) => new Promise((resolve, reject) => {
      id += 1;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, jsonrpc: '2.0', method: 'state_call', params: ['DrugProvenanceApi_verify_unit', encoded] }));
    }),
    genuine: (reply) => api.createType(type, reply).genuine.isTrue,
    close: () => ws.close(),
  };
}

/**
 * Times up to `queries` verifications of the serials `pick()` numbers, while `keepGoing()`;
 * `pick()` may return null to wait a moment. `verify(id)` resolves to the function that asks
 * (so that encoding stays off the clock) and that one to whether the unit came back genuine,
 * as every commissioned serial must. Sorted milliseconds.
 */
export async function timeQueries(queries, pick, verify, keepGoing = () => true) {
  const times = [];
  while (times.length < queries && keepGoing()) {
    const n = pick();
    if (n === null) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const ask = verify(serial(n));
    const t = performance.now();
    const genuine = await ask();
    times.push(performance.now() - t);
    if (!genuine) throw new Error(`${serial(n)}, commissioned, is not genuine`);
  }
  return times.sort((a, b) => a - b);
}

/** `timeQueries` over a raw connection (`rawVerifier`). */
export function timeRaw(raw, product, queries, pick, keepGoing) {
  return timeQueries(queries, pick, (id) => {
    const encoded = raw.encode(product, id, null, null);
    return async () => raw.genuine(await raw.call(encoded));
  }, keepGoing);
}

if (!isMainThread) {
  const { url, product, batch, serials, queries } = workerData;
  const finished = [];
  let idle = true;
  let stopped = false;
  parentPort.on('message', (message) => {
    finished.push(...(message.finished ?? []));
    idle = Boolean(message.idle);
    stopped ||= Boolean(message.stop);
  });
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  const raw = await rawVerifier(api, url);
  const pick = () => (idle || finished.length === 0 ? null
    : Math.min(serials - 1, finished[Math.floor(Math.random() * finished.length)] * batch + Math.floor(Math.random() * batch)));
  const times = await timeRaw(raw, product, queries, pick, () => !stopped);
  raw.close();
  await api.disconnect();
  parentPort.postMessage(times);
}
