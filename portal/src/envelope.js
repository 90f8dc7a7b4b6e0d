// The record envelope, the browser's implementation of client/src/envelope.rs (tested against
// the CLI's both ways, tests/e2e/portal.test.js):
// - content: "HCR1" ‖ nonce (12) ‖ ChaCha20-Poly1305(data key, nonce, resource,
//   aad "healthchain/record/v1"); its Blake2-256 is the content hash on chain;
// - data keys: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//   ChaCha20-Poly1305, info "healthchain/data-key/v1" ‖ content hash; a wrapped key is the
//   encapsulated key (32) ‖ the sealed data key (48).

import { CipherSuite } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/dhkem-x25519';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2AsU8a } from '@polkadot/util-crypto';

export const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });

const MAGIC = new TextEncoder().encode('HCR1');
const CONTENT_AAD = new TextEncoder().encode('healthchain/record/v1');
const KEY_INFO = new TextEncoder().encode('healthchain/data-key/v1');
export const WRAPPED_KEY_LENGTH = 80;

/** Why a record does not open: `message` says it in words. */
export class EnvelopeError extends Error {}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const keyInfo = (contentHash) => concat(KEY_INFO, contentHash);

/** Blake2-256. */
export const blake2 = (bytes) => blake2AsU8a(bytes, 256);

/** Seals `resource` (bytes) under a fresh data key: `{ ciphertext, contentHash, dataKey }`. */
export function seal(resource) {
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = concat(MAGIC, nonce, chacha20poly1305(dataKey, nonce, CONTENT_AAD).encrypt(resource));
  return { ciphertext, contentHash: blake2(ciphertext), dataKey };
}

/** Opens a sealed record whose content hash on chain is `contentHash`, hash checked first. */
export function open(ciphertext, contentHash, dataKey) {
  if (!equal(blake2(ciphertext), contentHash)) {
    throw new EnvelopeError('What the vault sent is not the record the chain anchors (its hash differs).');
  }
  if (ciphertext.length < 32 || !equal(ciphertext.subarray(0, 4), MAGIC)) {
    throw new EnvelopeError('What the vault sent is not a HealthChain sealed record.');
  }
  try {
    return chacha20poly1305(dataKey, ciphertext.subarray(4, 16), CONTENT_AAD).decrypt(ciphertext.subarray(16));
  } catch {
    throw new EnvelopeError('The record does not open with its data key.');
  }
}

/** Wraps `dataKey` to the reader's X25519 public key (32 bytes) for the record `contentHash`. */
export async function wrapKey(dataKey, readerPublic, contentHash) {
  let recipientPublicKey;
  try {
    recipientPublicKey = await suite.kem.deserializePublicKey(readerPublic);
  } catch {
    throw new EnvelopeError('The reader\'s encryption key on chain is not a valid X25519 key.');
  }
  const { ct, enc } = await suite.seal({ recipientPublicKey, info: keyInfo(contentHash) }, dataKey);
  return concat(new Uint8Array(enc), new Uint8Array(ct));
}

/** The data key in `wrapped`, opened with the reader's encryption key (a CryptoKey). */
export async function unwrapKey(wrapped, encryptionKey, contentHash) {
  if (wrapped.length !== WRAPPED_KEY_LENGTH) {
    throw new EnvelopeError('The vault\'s wrapped key was not made for you and this record.');
  }
  try {
    const opened = await suite.open({ recipientKey: encryptionKey, enc: wrapped.subarray(0, 32), info: keyInfo(contentHash) },
      wrapped.subarray(32));
    return new Uint8Array(opened);
  } catch {
    throw new EnvelopeError('The vault\'s wrapped key was not made for you and this record.');
  }
}
