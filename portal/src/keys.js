// A HealthChain user's keys, derived in the browser exactly as the client library derives them
// (client/src/keys.rs): one secret phrase gives the sr25519 chain account (as polkadot.js and
// subkey derive it) and the X25519 encryption key (HPKE DeriveKeyPair over a labelled
// Blake2-256 of the phrase). The phrase is kept in the browser encrypted under a passphrase
// and never leaves it.

import { Keyring } from '@polkadot/keyring';
import { base64Decode as unb64, base64Encode as b64, blake2AsU8a, cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { suite } from './envelope.js';

const ENCRYPTION_LABEL = 'healthchain/encryption-key/v1:';
const STORE_KEY = 'healthchain-portal/keys/v1';
// PBKDF2-SHA256 iterations for the passphrase (OWASP's figure for 2023 onwards).
const PBKDF2_ITERATIONS = 600_000;

/** Why keys could not be made, read or unlocked: `message` is shown as it is. */
export class KeyError extends Error {}

/**
 * The keys of a secret phrase (a BIP-39 mnemonic or a secret URI such as `//Ferdie`):
 * `{ phrase, pair, address, encryptionSecret, encryptionPublic }`.
 */
export async function fromPhrase(phrase) {
  await cryptoWaitReady();
  const trimmed = phrase.trim();
  if (!trimmed) throw new KeyError('Enter your secret phrase.');
  let pair;
  try {
    pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(trimmed);
  } catch (e) {
    throw new KeyError(`That is not a valid secret phrase: ${e.message}`);
  }
  const ikm = blake2AsU8a(new TextEncoder().encode(ENCRYPTION_LABEL + trimmed), 256);
  const { privateKey, publicKey } = await suite.kem.deriveKeyPair(ikm);
  return {
    phrase: trimmed,
    pair,
    address: pair.address,
    encryptionKey: privateKey,
    encryptionPublic: new Uint8Array(await suite.kem.serializePublicKey(publicKey)),
  };
}

/** A fresh 12-word phrase: the user writes it down, it backs up both keys. */
export async function newPhrase() {
  await cryptoWaitReady();
  return mnemonicGenerate(12);
}

/** The phrase of a CLI key file (`healthchain key new`), given its text. */
export function phraseOfKeyFile(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyError('That file is not a HealthChain key file (it is not JSON).');
  }
  if (typeof parsed?.secretPhrase !== 'string') {
    throw new KeyError('That file is not a HealthChain key file (it has no secretPhrase).');
  }
  return parsed.secretPhrase;
}

async function passphraseKey(passphrase, salt) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}


/** Keeps `phrase` in this browser, encrypted under `passphrase` (AES-256-GCM, PBKDF2). */
export async function store(phrase, passphrase, address, storage = globalThis.localStorage) {
  if (passphrase.length < 8) throw new KeyError('Choose a passphrase of at least 8 characters.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv },
    await passphraseKey(passphrase, salt), new TextEncoder().encode(phrase)));
  storage.setItem(STORE_KEY, JSON.stringify({ address, salt: b64(salt), iv: b64(iv), sealed: b64(sealed) }));
}

/** The account kept in this browser, if any (its address only: the phrase stays sealed). */
export function stored(storage = globalThis.localStorage) {
  const text = storage.getItem(STORE_KEY);
  return text ? JSON.parse(text).address : null;
}

/** The phrase kept in this browser, opened with `passphrase`. */
export async function unlock(passphrase, storage = globalThis.localStorage) {
  const text = storage.getItem(STORE_KEY);
  if (!text) throw new KeyError('No keys are kept in this browser: sign in with your key file or phrase.');
  const kept = JSON.parse(text);
  try {
    const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(kept.iv) },
      await passphraseKey(passphrase, unb64(kept.salt)), unb64(kept.sealed));
    return new TextDecoder().decode(opened);
  } catch {
    throw new KeyError('That passphrase does not unlock the keys kept in this browser.');
  }
}

/** Forgets the keys kept in this browser. */
export function forget(storage = globalThis.localStorage) {
  storage.removeItem(STORE_KEY);
}

