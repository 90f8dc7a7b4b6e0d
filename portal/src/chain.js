// Transactions, through @polkadot/api over a node's JSON-RPC: every change is signed in the
// browser and submitted to the node. What the portal shows is read by reader.js.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { decodeAddress } from '@polkadot/util-crypto';

/**
 * The clinical record types the chain keeps (pallet-health-records' RecordType), in its order;
 * not Claim, which only a care provider's claims officers file and no grant covers.
 */
export const RECORD_TYPES = ['Observation', 'Condition', 'DiagnosticReport', 'MedicationStatement', 'Immunization',
  'DocumentReference', 'ImagingStudy', 'AllergyIntolerance', 'Procedure', 'Encounter', 'CarePlan', 'MedicationRequest'];

/** Why the chain refused or could not be reached: `message` is for people. */
export class ChainError extends Error {}

/** Connects to the node at `url` (ws:// or wss://); rejects after `timeoutMs`. */
export async function connect(url, timeoutMs = 15_000) {
  const provider = new WsProvider(url, false);
  let timer;
  const deadline = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), timeoutMs); });
  try {
    await Promise.race([provider.connect(), deadline]);
    return await Promise.race([ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true }), deadline]);
  } catch (e) {
    await provider.disconnect().catch(() => {});
    throw new ChainError(`The chain node at ${url} cannot be reached (${e?.message ?? 'it refused the connection'}).`);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `text` is an account address (SS58). */
export function isAddress(text) {
  try {
    return decodeAddress(text).length === 32;
  } catch {
    return false;
  }
}

/**
 * Signs `tx` with `pair`, submits it and resolves once it is in a finalized block; a dispatch
 * error rejects with the pallet's own words for it. A node that takes the transaction and then
 * says nothing more (stopped, or cut off) would leave the page waiting for ever: after
 * `timeoutMs` without a final word the promise rejects, saying the transaction may still land.
 */
export function submit(api, tx, pair, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    let settled = false;
    const settle = (f, x) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try { unsubscribe(); } catch { /* the subscription is gone with the connection */ }
      f(x);
    };
    const timer = setTimeout(() => settle(reject, Object.assign(new ChainError(
      `The node has said nothing of this transaction for ${Math.round(timeoutMs / 1000)} s. It may still be included: `
      + 'check before you send it again.'), { error: 'NoWord' })), timeoutMs);
    tx.signAndSend(pair, ({ status, dispatchError, events }) => {
      if (dispatchError) {
        let message = dispatchError.toString();
        if (dispatchError.isModule) {
          const { name, docs } = api.registry.findMetaError(dispatchError.asModule);
          message = `${docs.join(' ').trim() || name} (${name})`;
        } else if (dispatchError.isToken) {
          message = `The account cannot pay for this (${dispatchError.asToken.toString()}).`;
        }
        settle(reject, Object.assign(new ChainError(message), { error: dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule).name : 'Dispatch' }));
      } else if (status.isFinalized) {
        settle(resolve, { events, block: status.asFinalized.toHex() });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        settle(reject, new ChainError(`The transaction was not included (${status.type}).`));
      }
    }).then((u) => { if (settled) u(); else unsubscribe = u; }, (e) => settle(reject, new ChainError(`The node refused the transaction: ${e.message}`)));
  });
}

/** `authority` (`{ Grant: { Account } }`, ...) SCALE-encoded as `add_record` carries it, hex. */
export function encodeAuthority(api, authority) {
  const type = api.tx.healthRecords.addRecord.meta.args[4].type.toString();
  return api.createType(type, authority).toHex();
}
