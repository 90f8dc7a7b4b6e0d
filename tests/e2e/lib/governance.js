// Consortium governance with @polkadot/api: council motions, session keys, runtime upgrades.
// Used by `scripts/governance` (the operators' tool) and by the end-to-end tests.

import { readFileSync } from 'node:fs';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { CODE_KEY, describeDispatchError, findEvent, submitOk } from './chain.js';

/** The fewest ayes out of `seats` that make more than `num`/`den` of the council. */
export function moreThan(seats, num, den) {
  return Math.floor((seats * num) / den) + 1;
}

/** The fewest ayes out of `seats` that make at least `num`/`den` of the council. */
export function atLeast(seats, num, den) {
  return Math.ceil((seats * num) / den);
}

/**
 * A council member as this module takes it: the key pair of the seat's own account, or
 * `{ key, seat }`, a voting key that the seat (address `seat`) named as its Governance proxy,
 * so that the seat's own key stays offline.
 */
function signerOf(member) {
  return member.seat ? member.key : member;
}

/**
 * Submits `tx` for `member` (see `signerOf`): signed by the seat itself, or wrapped in
 * `proxy.proxy` and signed by its voting key. Fails naming the error if the call, proxied or
 * not, did not succeed; resolves like `submitOk`.
 */
export async function submitAsMember(api, tx, member) {
  if (!member.seat) return submitOk(api, tx, member);
  const result = await submitOk(api, api.tx.proxy.proxy(member.seat, 'Governance', tx), member.key);
  const executed = findEvent(result.events, 'proxy', 'ProxyExecuted');
  if (!executed) throw new Error(`${tx.method.section}.${tx.method.method} through the proxy: no ProxyExecuted event`);
  if (executed.data.result.isErr) {
    const error = describeDispatchError(api, executed.data.result.asErr);
    throw new Error(`${tx.method.section}.${tx.method.method} failed through the seat's proxy: ${error}`);
  }
  return result;
}

/** The council's seats. */
export async function councilSeats(api) {
  return (await api.query.council.members()).length;
}

/**
 * Puts `call` to the council with `threshold` ayes needed; resolves with the motion's hash
 * and index.
 */
export async function propose(api, call, threshold, proposer) {
  const { events } = await submitAsMember(api, api.tx.council.propose(threshold, call, call.encodedLength), proposer);
  const proposed = findEvent(events, 'council', 'Proposed');
  if (!proposed) throw new Error('the council recorded no motion (was the threshold below 2?)');
  return { hash: proposed.data.proposalHash.toHex(), index: proposed.data.proposalIndex.toNumber() };
}

async function motionIndex(api, hash) {
  const voting = await api.query.council.voting(hash);
  if (voting.isNone) throw new Error(`no open motion ${hash}`);
  return voting.unwrap().index.toNumber();
}

/** Votes on the open motion `hash`. */
export async function vote(api, hash, aye, voter) {
  return submitAsMember(api, api.tx.council.vote(hash, await motionIndex(api, hash), aye), voter);
}

/**
 * Closes the motion `hash` (once its threshold is met, or its time is up) and resolves with
 * its outcome: `{ approved, result }`, `result` the call's dispatch error as
 * `section.Name` or 'Ok'.
 */
export async function close(api, hash, closer) {
  const index = await motionIndex(api, hash);
  const proposal = (await api.query.council.proposalOf(hash)).unwrap();
  const weightBound = api.consts.council.maxProposalWeight;
  const { events } = await submitAsMember(
    api, api.tx.council.close(hash, index, weightBound, proposal.encodedLength), closer,
  );
  const executed = findEvent(events, 'council', 'Executed');
  if (!executed) return { approved: false, result: 'Disapproved' };
  const result = executed.data.result;
  return { approved: true, result: result.isOk ? 'Ok' : describeDispatchError(api, result.asErr) };
}

/**
 * A whole motion: the first of `ayes` proposes `call` with `threshold` (all of `ayes` by
 * default), each of `ayes` votes aye (proposing is not voting), the proposer closes it.
 * Resolves with the outcome of `close`.
 */
export async function passMotion(api, call, ayes, threshold = ayes.length) {
  const { hash } = await propose(api, call, threshold, ayes[0]);
  await Promise.all(ayes.map((voter) => vote(api, hash, true, voter)));
  return close(api, hash, ayes[0]);
}

/**
 * Has the node at `rpc` (a function calling its JSON-RPC) generate session keys owned by
 * `account`, and registers them on chain with `session.setKeys`, signed by `account`.
 * Resolves with the keys (hex).
 */
export async function registerSessionKeys(api, rpc, account) {
  const owner = u8aToHex(decodeAddress(account.address));
  const { keys, proof } = await rpc('author_rotateKeysWithOwner', [owner]);
  await submitOk(api, api.tx.session.setKeys(keys, proof), account);
  return keys;
}

/** The runtime code in the wasm file at `path`, and its hash as `system.authorizeUpgrade` takes it. */
export function runtimeCode(path) {
  const code = readFileSync(path);
  return { code: u8aToHex(code), codeHash: blake2AsHex(code, 256) };
}

/** The call that authorises the upgrade to `codeHash`: what the council whitelists. */
export function authorizeUpgrade(api, codeHash) {
  return api.tx.system.authorizeUpgrade(codeHash);
}

/** The call that whitelists `call`'s hash; it needs two thirds of the council. */
export function whitelistCall(api, call) {
  return api.tx.whitelist.whitelistCall(call.method.hash.toHex());
}

/**
 * After the council whitelisted `authorizeUpgrade(api, codeHash)`: `member` dispatches that
 * call as Root through the whitelist, then submits the code itself. Resolves, once the block
 * that applies the upgrade is finalized, with that block's hash; `rpc(method, params)` is a
 * raw JSON-RPC call to the same node.
 *
 * Whether the code changed is read from the hash of `:code` in that block, not from its
 * events: @polkadot/api swaps its metadata for the new runtime's while it decodes them, and
 * may then fail to decode the events of the very block that upgraded.
 */
export async function applyUpgrade(api, rpc, code, codeHash, member) {
  const authorise = authorizeUpgrade(api, codeHash).method;
  const dispatch = api.tx.whitelist.dispatchWhitelistedCallWithPreimage(authorise);
  const { events } = await submitAsMember(api, api.tx.council.execute(dispatch.method, dispatch.method.encodedLength), member);
  const executed = findEvent(events, 'council', 'MemberExecuted');
  if (!executed?.data.result.isOk) throw new Error('the council member could not dispatch the whitelisted call');
  if (!findEvent(events, 'system', 'UpgradeAuthorized')) {
    throw new Error('the upgrade was not authorised: did two thirds of the council whitelist it?');
  }
  // Anyone may submit the authorised code: the voting key pays for it itself.
  const { finalized } = await submitOk(api, api.tx.system.applyAuthorizedUpgrade(code), signerOf(member));
  const stored = await rpc('state_getStorageHash', [CODE_KEY, finalized]);
  if (stored !== codeHash) {
    throw new Error(`the code was not updated: block ${finalized} holds code ${stored}, not ${codeHash}`);
  }
  return { finalized };
}
