// Submitting transactions with @polkadot/api and reading what they did.

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
 */
export function submitAndFinalize(tx, signer, options = {}) {
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
  const result = await submitAndFinalize(tx, signer, options);
  if (result.dispatchError) {
    throw new Error(`${tx.method.section}.${tx.method.method} failed: ${describeDispatchError(api, result.dispatchError)}`);
  }
  return result;
}

/** The dispatch error of `tx`, which must fail, as `section.Name`. */
export async function submitRefused(api, tx, signer) {
  const result = await submitAndFinalize(tx, signer);
  if (!result.dispatchError) {
    throw new Error(`${tx.method.section}.${tx.method.method} succeeded, but should have failed`);
  }
  return describeDispatchError(api, result.dispatchError);
}
