// Submitting transactions with @polkadot/api and reading what they did.

import { scanChain } from './scan.js';

/** The well-known storage key of the runtime's wasm code, `:code`. */
export const CODE_KEY = '0x3a636f6465';

/** One HCT, in base units (the chain's token has 12 decimals). */
export const UNIT = 10n ** 12n;

/** The free balance of `address`, as a bigint. */
export async function freeBalance(api, address) {
  return (await api.query.system.account(address)).data.free.toBigInt();
}

/**
 * Signs and submits `tx`, resolving once its block is finalized with that block's hash, the
 * events of the transaction and its dispatch error (if the call failed). Rejects if the pool
 * refuses the transaction.
 *
 * The fork-aware pool can answer a single watched submission with 1013 "Transaction Already
 * Imported" when a block is built while it is being submitted (paritytech/polkadot-sdk#11419,
 * #12919, open): the transaction is in the pool, only the watcher is lost. Then this finds the
 * transaction in the finalized blocks by its hash instead, as any client must.
 */
export async function submitAndFinalize(api, tx, signer, options = {}) {
  try {
    return await watchUntilFinalized(tx, signer, options);
  } catch (error) {
    if (!String(error?.message).startsWith('1013:')) throw error;
    return findFinalized(api, tx.hash.toHex());
  }
}

function watchUntilFinalized(tx, signer, options) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    tx.signAndSend(signer, options, (result) => {
      if (result.status.isFinalized) {
        unsubscribe?.();
        resolve({
          finalized: result.status.asFinalized.toHex(),
          events: result.events.map(({ event }) => event),
          dispatchError: result.dispatchError,
        });
      } else if (result.isError) {
        unsubscribe?.();
        reject(new Error(`transaction ${result.status.type}`));
      }
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch(reject);
  });
}

/**
 * The finalized block holding the extrinsic `hash`, searched from a few blocks back (it may
 * already be in one) for up to a minute, as `submitAndFinalize` resolves.
 */
export async function findFinalized(api, hash, { lookBack = 16, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let next = Math.max(0, (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() - lookBack);
  while (Date.now() < deadline) {
    const head = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    for (; next <= head; next += 1) {
      const blockHash = await api.rpc.chain.getBlockHash(next);
      const { block } = await api.rpc.chain.getBlock(blockHash);
      const index = block.extrinsics.findIndex((xt) => xt.hash.toHex() === hash);
      if (index < 0) continue;
      const records = await (await api.at(blockHash)).query.system.events();
      const events = records
        .filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index)
        .map(({ event }) => event);
      const failed = events.find((e) => e.section === 'system' && e.method === 'ExtrinsicFailed');
      return { finalized: blockHash.toHex(), events, dispatchError: failed?.data.dispatchError };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`transaction ${hash} was accepted but not finalized within ${timeoutMs / 1000} s`);
}

/**
 * Signs and submits `tx`, and resolves with the statuses it went through up to `Finalized`
 * (`['Ready', 'InBlock', 'Finalized']`, say), as an application watching it sees them.
 */
export function watchStatuses(tx, signer) {
  return new Promise((resolve, reject) => {
    const statuses = [];
    let unsubscribe;
    tx.signAndSend(signer, (result) => {
      if (statuses.at(-1) !== result.status.type) statuses.push(result.status.type);
      if (result.status.isFinalized) {
        unsubscribe?.();
        resolve(statuses);
      } else if (result.isError) {
        unsubscribe?.();
        reject(new Error(`transaction ${result.status.type} after ${statuses.join(', ')}`));
      }
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch(reject);
  });
}

/**
 * Like `watchStatuses`, but a watcher lost to the pool's 1013 race (see `submitAndFinalize`)
 * resolves with `lost: true` once the transaction is found in a finalized block by its hash.
 */
export async function watchStatusesOrFind(api, tx, signer) {
  try {
    return { statuses: await watchStatuses(tx, signer), lost: false };
  } catch (error) {
    if (!String(error?.message).startsWith('1013:')) throw error;
    return { ...(await findFinalized(api, tx.hash.toHex())), lost: true };
  }
}

/** Resolves once the node's pool holds no transaction (up to 30 s). */
export async function waitForEmptyPool(api, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await api.rpc.author.pendingExtrinsics()).length > 0) {
    if (Date.now() > deadline) throw new Error(`the pool still holds transactions after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The statuses a watched transaction must report, in order, whatever the engine. */
export function assertInBlockThenFinalized(statuses) {
  const inBlock = statuses.indexOf('InBlock');
  if (inBlock < 0 || statuses.at(-1) !== 'Finalized' || inBlock > statuses.indexOf('Finalized')) {
    throw new Error(`expected InBlock then Finalized, saw ${statuses.join(' -> ')}`);
  }
}

/** `Section.Name` of a dispatch error, as metadata names it (`Token.FundsUnavailable`...). */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  const inner = dispatchError.value;
  return inner && inner.type ? `${dispatchError.type}.${inner.type}` : dispatchError.type;
}

/** The event `section.method` among `events`, or undefined. */
export function findEvent(events, section, method) {
  return events.find((e) => e.section === section && e.method === method);
}

/**
 * Signs and submits `tx` like `submitAndFinalize`, and fails the test, naming the error, if
 * the call did not succeed.
 */
export async function submitOk(api, tx, signer, options = {}) {
  const result = await submitAndFinalize(api, tx, signer, options);
  if (result.dispatchError) {
    throw new Error(`${tx.method.section}.${tx.method.method} failed: ${describeDispatchError(api, result.dispatchError)}`);
  }
  return result;
}

/** The dispatch error of `tx`, which must fail, as `section.Name`. */
export async function submitRefused(api, tx, signer) {
  const result = await submitAndFinalize(api, tx, signer);
  if (!result.dispatchError) {
    throw new Error(`${tx.method.section}.${tx.method.method} succeeded, but should have failed`);
  }
  return describeDispatchError(api, result.dispatchError);
}

/**
 * Where any of `secrets` (name -> bytes) appears on chain: in every block body up to the best
 * block, in every block's events, and in every key and value of every block's state.
 * Resolves to `{ leaks, blocks, entries }`, `leaks` as `[where, secret name]` pairs.
 */
export async function findOnChain(api, secrets) {
  const { hits, blocks, entries } = await scanChain(api, secrets);
  return { leaks: hits.map(({ where, name }) => [where, name]), blocks, entries };
}
