// Signed requests to an organisation's vault, as client/src/request.rs defines them: the
// caller's account signs (sr25519) the canonical request — the vault's own account, the
// method, the path with its query, the body's Blake2-256, the time and a fresh nonce.

import { u8aToHex } from '@polkadot/util';
import { base64Decode } from '@polkadot/util-crypto';
import { blake2 } from './envelope.js';

/** A vault's refusal (or its absence), with a sentence for people in `message`. */
export class VaultError extends Error {
  constructor(message, { status = 0, error = 'VaultUnreachable', reason = '' } = {}) {
    super(message);
    this.status = status;
    this.error = error;
    this.reason = reason;
  }
}

// What each refusal means to the person reading a record. A refusal not listed here is shown
// with the vault's own reason.
const MEANINGS = {
  NoGrant: 'You have no grant from this patient that covers this record: ask the patient for access.',
  GrantExpired: 'Your access to this patient\'s records has expired: ask the patient to renew it.',
  RecordTypeNotGranted: 'Your grant from this patient does not cover this type of record.',
  NotGrantee: 'This record is not shared with you.',
  ReadOnlyGrant: 'Your grant from this patient lets you read, not add records: ask the patient for write access.',
  NotAPatient: 'That account is not an enrolled patient.',
  RecordErased: 'This record was erased at the patient\'s request: it can no longer be read.',
  UnknownRecord: 'There is no such record on the chain.',
  NoReaderKey: 'You have no encryption key on the chain yet: publish it (healthchain key publish) and try again.',
  HeldElsewhere: 'Another organisation\'s vault holds this record.',
  BadSignature: 'The vault could not verify your request\'s signature: check this computer\'s clock and sign in again.',
  SignedBeforeStart: 'The vault restarted while you were signing: try again.',
  ChainUnavailable: 'The vault cannot reach the chain just now: try again in a moment.',
  StoreUnavailable: 'The vault cannot reach its storage just now: try again in a moment.',
};

const hex = (bytes) => u8aToHex(bytes).slice(2);

/**
 * Sends a request signed by `pair` to the vault at `endpoint` whose chain account is
 * `vaultAccount` (32 bytes); resolves with the JSON answer, or throws a VaultError.
 */
export async function vaultRequest(pair, vaultAccount, endpoint, method, pathAndQuery, body = new Uint8Array()) {
  const time = String(Date.now());
  const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  const canonical = ['healthchain-vault-request/v1', hex(vaultAccount), method, pathAndQuery, hex(blake2(body)), time, nonce]
    .join('\n');
  const headers = {
    'content-type': 'application/json',
    'x-healthchain-account': pair.address,
    'x-healthchain-time': time,
    'x-healthchain-nonce': nonce,
    'x-healthchain-signature': hex(pair.sign(new TextEncoder().encode(canonical))),
  };
  let response;
  try {
    response = await fetch(`${endpoint.replace(/\/+$/, '')}${pathAndQuery}`,
      { method, headers, body: method === 'GET' ? undefined : body, cache: 'no-store' });
  } catch (e) {
    throw new VaultError(`The organisation's vault at ${endpoint} cannot be reached: try again later.`, { reason: String(e) });
  }
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = { error: 'NotJson', reason: text.slice(0, 200) };
  }
  if (response.ok) return answer;
  const error = answer.error ?? 'Refused';
  const reason = answer.reason ?? '';
  throw new VaultError(MEANINGS[error] ?? `The vault refused: ${reason || error}.`, { status: response.status, error, reason });
}

/** The ciphertext and wrapped key a vault released: `{ ciphertext, wrappedKey, logged }`. */
export function released(answer) {
  return { ciphertext: base64Decode(answer.ciphertext), wrappedKey: base64Decode(answer.wrappedKey), logged: answer.logged };
}
