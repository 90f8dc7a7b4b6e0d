// Scanning a chain for values that must not be on it: every block body, every event of every
// block, and every storage key and value of every block's state (the states in between as
// well as the final one, the runtime's code aside), each encoded the ways the chain could hold it.

import { CODE_KEY } from './chain.js';

/**
 * The encodings of a clinical value that the scan looks for, by name: a string as its UTF-8
 * bytes (which its SCALE encoding contains after the length prefix) and as hex text in either
 * case; a number as a little-endian integer of 8 and 16 bytes (u64/i64, u128), the widths in
 * which the runtime has stored amounts, bounds and moments.
 */
export function encodings(name, value) {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return {
      [`${name} (UTF-8)`]: bytes,
      [`${name} (hex text)`]: Buffer.from(bytes.toString('hex')),
      [`${name} (HEX text)`]: Buffer.from(bytes.toString('hex').toUpperCase()),
    };
  }
  const n = BigInt(value);
  const le = (width) => {
    const out = Buffer.alloc(width);
    let rest = BigInt.asUintN(width * 8, n);
    for (let i = 0; i < width; i += 1, rest >>= 8n) out[i] = Number(rest & 0xffn);
    return out;
  };
  return { [`${name} (LE 64-bit)`]: le(8), [`${name} (LE 128-bit)`]: le(16) };
}

/** Raw JSON-RPC over the node's WebSocket through @polkadot/api's provider. */
const raw = (api, method, params) => api._rpcCore.provider.send(method, params);

/**
 * Every unit of data on chain up to the best block, visited once: each extrinsic of each
 * block body, each event record of each block, and each storage entry (key and value) of the
 * state after each block that was not already in the state before it. `visit(where, bytes)`
 * is called for each; resolves to what was visited.
 */
export async function walkChain(api, visit) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const seen = new Set();
  let entries = 0;
  let extrinsics = 0;
  let events = 0;
  for (let n = 0; n <= best; n += 1) {
    const at = (await api.rpc.chain.getBlockHash(n)).toHex();
    const { block } = await api.rpc.chain.getBlock(at);
    block.extrinsics.forEach((xt, i) => {
      visit(`block #${n} extrinsic ${i} (${xt.method.section}.${xt.method.method})`, Buffer.from(xt.toU8a()));
      extrinsics += 1;
    });
    const records = await (await api.at(at)).query.system.events();
    records.forEach((record, i) => {
      visit(`block #${n} event ${i} (${record.event.section}.${record.event.method})`, Buffer.from(record.toU8a()));
      events += 1;
    });
    for (let start = null; ;) {
      const keys = await raw(api, 'state_getKeysPaged', ['0x', 1000, start, at]);
      if (keys.length === 0) break;
      const [changes] = await raw(api, 'state_queryStorageAt', [keys, at]);
      for (const [key, value] of changes.changes) {
        // The runtime's wasm is the program built from this repository, not data anyone wrote:
        // any short pattern turns up somewhere in 700 KB of it by chance ("E11" did).
        if (key === CODE_KEY) continue;
        const entry = `${key}=${value}`;
        if (seen.has(entry)) continue;
        seen.add(entry);
        entries += 1;
        visit(`state after block #${n}, key ${key}`, Buffer.concat([Buffer.from(key.slice(2), 'hex'), Buffer.from((value ?? '0x').slice(2), 'hex')]));
      }
      start = keys[keys.length - 1];
    }
  }
  return { blocks: best + 1, extrinsics, events, entries };
}

/**
 * Where any of `secrets` (name -> bytes) appears on chain, as `walkChain` visits it: resolves
 * to `{ hits, blocks, extrinsics, events, entries }`, each hit `{ where, name, bytes }` with the
 * whole unit it was found in (an extrinsic, an event record, a storage entry).
 */
export async function scanChain(api, secrets) {
  const hits = [];
  const walked = await walkChain(api, (where, bytes) => {
    for (const [name, secret] of Object.entries(secrets)) {
      if (bytes.includes(Buffer.from(secret))) hits.push({ where, name, bytes });
    }
  });
  return { hits, ...walked };
}
