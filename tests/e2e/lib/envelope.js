// Envelope encryption as a HealthChain application does it, with Node's own crypto: a record
// is encrypted under a fresh data key (AES-256-GCM); the data key is wrapped to each reader's
// X25519 public key (an ephemeral X25519 key agreement, HKDF-SHA256, AES-256-GCM). Only the
// hash of the ciphertext goes on chain; the ciphertext and the wrapped keys go to the
// record's custodian.

import {
  createCipheriv, createDecipheriv, createPublicKey, diffieHellman,
  generateKeyPairSync, hkdfSync, randomBytes,
} from 'node:crypto';

const INFO = Buffer.from('healthchain/wrapped-key/v1');

/** A reader's X25519 key pair, with the 32-byte public key as chain storage holds it. */
export function readerKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url') };
}

function publicKeyFromRaw(raw) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

function seal(key, plaintext) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key, sealed) {
  const iv = sealed.subarray(0, 12);
  const tag = sealed.subarray(sealed.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

/** A fresh data key. */
export function dataKey() {
  return randomBytes(32);
}

/** `plaintext` encrypted under `key`: iv, ciphertext and tag. */
export const encrypt = seal;

/** The plaintext of what `encrypt` produced under `key`. */
export const decrypt = open;

/** `key` wrapped to the X25519 public key `readerPublic` (32 bytes): 92 bytes. */
export function wrapKey(key, readerPublic) {
  const ephemeral = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyFromRaw(readerPublic) });
  const ephemeralPublic = Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x, 'base64url');
  const kek = Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, INFO, 32));
  return Buffer.concat([ephemeralPublic, seal(kek, key)]);
}

/** The data key in `wrapped`, unwrapped with the reader's private key. */
export function unwrapKey(wrapped, readerPrivate) {
  const ephemeralPublic = wrapped.subarray(0, 32);
  const shared = diffieHellman({ privateKey: readerPrivate, publicKey: publicKeyFromRaw(ephemeralPublic) });
  const kek = Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, INFO, 32));
  return open(kek, wrapped.subarray(32));
}
