// try-runtime without try-runtime-cli: the state of a running network is exported over its
// JSON-RPC (safe methods only), a throwaway node starts a chain whose genesis is that state
// with the new runtime's code in place of the old, and `TryRuntime_on_runtime_upgrade(All)`
// runs there: every migration with its pre- and post-upgrade checks, the storage-version
// check of every pallet, the decoding of every storage value and every pallet's `try_state`.
// Nothing is written to the running network.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compactFromU8a, hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { CODE_KEY } from './chain.js';
import { Node, RpcHttpError, RpcRefused, rpcCall, runNodeCommand } from './node.js';

/** Keys asked for per `state_getKeysPaged` call, and values per `state_queryStorageAt` call. */
const PAGE = 1000;

/** Thrown for a state or a runtime the check cannot use; the message says why, in one line. */
export class UnusableInput extends Error {}

/**
 * The whole state of the node at `url` at block `at` (its finalized head unless given):
 * `{ at, number, specVersion, chain, properties, top }`, `top` mapping each hex key to its hex
 * value. Only safe RPC methods are called (over HTTP, which the node serves on its WebSocket
 * port), so any member's node can be asked; a public RPC node's rate limit slows a large state
 * down, so ask your own.
 */
export async function exportState(url, { at } = {}) {
  // The node answers JSON-RPC over HTTP on its WebSocket port.
  const endpoint = url.replace(/^ws(s?):/, 'http$1:');
  if (!/^https?:\/\//.test(endpoint)) throw new UnusableInput(`${url} is not a node's address (ws://, wss://, http:// or https://)`);
  const send = async (method, params = []) => {
    try {
      return await rpcCall(endpoint, method, params);
    } catch (error) {
      if (error instanceof RpcRefused) throw new UnusableInput(`${url} refused ${method}: ${error.reason}`);
      if (error instanceof RpcHttpError) throw new UnusableInput(`${url} answered ${method} with HTTP ${error.status}`);
      throw new UnusableInput(`no node answers at ${url}: ${error.cause?.code ?? error.message}`);
    }
  };
  const hash = at ?? (await send('chain_getFinalizedHead'));
  const header = await send('chain_getHeader', [hash]);
  if (!header) throw new UnusableInput(`the node at ${url} has no block ${hash}`);
  const top = {};
  let start = null;
  for (;;) {
    const keys = await send('state_getKeysPaged', ['0x', PAGE, start, hash]).catch((error) => {
      throw new UnusableInput(`${error.message} (is the state of ${hash} pruned? ask an archive node, or for a recent block)`);
    });
    const child = keys.find((key) => key.startsWith('0x3a6368696c645f73746f726167653a')); // ":child_storage:"
    if (child) throw new UnusableInput(`the state holds a child trie (${child}); this check exports the main trie only`);
    if (keys.length > 0) {
      const [{ changes }] = await send('state_queryStorageAt', [keys, hash]);
      for (const [key, value] of changes) {
        if (value !== null) top[key] = value;
      }
    }
    if (keys.length < PAGE) break;
    start = keys[keys.length - 1];
  }
  const version = await send('state_getRuntimeVersion', [hash]);
  return {
    at: hash,
    number: parseInt(header.number, 16),
    specVersion: version.specVersion,
    chain: await send('system_chain'),
    properties: await send('system_properties'),
    top,
  };
}

/**
 * Runs `TryRuntime_on_runtime_upgrade(All)` with the runtime `wasm` (built with the
 * `try-runtime` feature) over `state` (from `exportState`), on a node started in `dir`.
 * Resolves to `{ ms, weight, limit, specVersion, log }` (weights as `{ refTime, proofSize }`); rejects with the runtime's own reason
 * when a check fails.
 */
export async function checkUpgrade(state, wasm, dir) {
  const code = readFileSync(wasm);
  if (code.length < 8 || code.readUInt32BE(0) === 0) throw new UnusableInput(`${wasm} is empty`);
  // A raw chain spec of this node's own format, its genesis the exported state with the new
  // code: the spec version of the new runtime need not match the chain's, as an override would.
  const spec = JSON.parse(runNodeCommand(['build-spec', '--chain', 'dev', '--raw']).stdout);
  spec.name = `${state.chain} at #${state.number} (try-runtime)`;
  spec.id = 'try_runtime';
  spec.chainType = 'Local';
  spec.bootNodes = [];
  spec.properties = state.properties;
  spec.genesis = { raw: { top: { ...state.top, [CODE_KEY]: u8aToHex(code) }, childrenDefault: {} } };
  const specPath = path.join(dir, 'state.json');
  writeFileSync(specPath, JSON.stringify(spec));

  const node = await Node.start({
    name: 'try-runtime',
    basePath: path.join(dir, 'node'),
    args: ['--chain', specPath, '--rpc-methods', 'unsafe', '--state-pruning', 'archive',
      '-lruntime=debug,try-runtime=debug,frame=debug'],
  });
  try {
    const genesis = await node.rpc('chain_getBlockHash', [0]);
    const version = await node.rpc('state_getRuntimeVersion', [genesis]);
    if (!version.apis.some(([id]) => id === blake2AsHex('TryRuntime', 64))) {
      throw new UnusableInput(`${wasm} has no TryRuntime API: build it with --features try-runtime`);
    }
    const started = Date.now();
    let result;
    try {
      // UpgradeCheckSelect::All = 1: pre_upgrade, the migrations, post_upgrade, try_state.
      result = await node.rpc('state_call', ['TryRuntime_on_runtime_upgrade', '0x01', genesis]);
    } catch (error) {
      const reasons = node.recentLog().split('\n').filter((line) => /try-runtime|ERROR|rror/.test(line));
      throw new Error(`${error.message}\n${reasons.join('\n')}`);
    }
    const ms = Date.now() - started;
    const log = readFileSync(path.join(node.basePath, 'try-runtime.log'), 'utf8').split('\n')
      .filter((line) => /try-runtime|igrat|StorageVersion|storage version/i.test(line));
    const [weight, limit] = weightsOf(result);
    return { ms, weight, limit, specVersion: version.specVersion, log };
  } finally {
    await node.destroy();
  }
}

/** The check's answer, `(Weight, Weight)`, each weight two compact u64s, as `{ refTime, proofSize }`. */
function weightsOf(hex) {
  let bytes = hexToU8a(hex);
  const next = () => {
    const [length, value] = compactFromU8a(bytes);
    bytes = bytes.subarray(length);
    return BigInt(value.toString());
  };
  return [0, 1].map(() => ({ refTime: next(), proofSize: next() }));
}
