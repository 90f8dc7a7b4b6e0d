//! The record envelope: how a FHIR resource is sealed for the custodian to hold and opened by
//! those the chain lets read it.
//!
//! - **Content.** A fresh 32-byte data key per record (per version: an amendment is a new
//!   record). The ciphertext is `"HCR1" ‖ nonce (12) ‖ ChaCha20-Poly1305(data key, nonce,
//!   resource, aad = "healthchain/record/v1")`. Its Blake2-256 is the record's content hash,
//!   the only trace of it on chain, and the name its custodian stores it under.
//! - **Data keys.** Wrapped to a reader's X25519 public key with HPKE (RFC 9180), base mode,
//!   DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, with `info =
//!   "healthchain/data-key/v1" ‖ content hash`: a wrapped key opens only the record it was
//!   made for, so a custodian cannot hand one record's key out for another. A wrapped key is
//!   `encapsulated key (32) ‖ sealed data key (48)`: 80 bytes.

use chacha20poly1305::{aead::Aead, ChaCha20Poly1305, KeyInit, Nonce};
use hpke::{
	aead::ChaCha20Poly1305 as HpkeChaCha, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, Kem, OpModeR,
	OpModeS, Serializable,
};
use zeroize::Zeroizing;

use crate::keys::EncryptionSecret;

/// The first bytes of every sealed record: the envelope's format and version.
pub const MAGIC: &[u8; 4] = b"HCR1";
/// Bytes a sealed record adds to its resource: magic, nonce and tag.
pub const OVERHEAD: usize = 4 + 12 + 16;
/// The length of a wrapped data key.
pub const WRAPPED_KEY_LENGTH: usize = 32 + 32 + 16;
const CONTENT_AAD: &[u8] = b"healthchain/record/v1";
const KEY_INFO: &[u8] = b"healthchain/data-key/v1";

/// Why an envelope could not be opened or made.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
	/// The ciphertext's hash is not the record's content hash: it is not this record, or it
	/// was altered.
	#[error("the ciphertext does not match the record's content hash")]
	HashMismatch,
	/// Not a sealed record of a version this client knows.
	#[error("not a HealthChain sealed record (format HCR1)")]
	NotARecord,
	/// The data key does not open the record.
	#[error("the data key does not open this record")]
	WrongKey,
	/// The wrapped key is not 80 bytes, or was not wrapped to this key for this record.
	#[error("the wrapped key was not made for this reader and this record")]
	CannotUnwrap,
	/// The public key is not a usable X25519 key.
	#[error("the reader's encryption key is not a valid X25519 public key")]
	InvalidPublicKey,
}

/// A record's data key.
pub type DataKey = Zeroizing<[u8; 32]>;

/// A sealed record: what its custodian holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
	/// The ciphertext.
	pub ciphertext: Vec<u8>,
	/// Its Blake2-256: the content hash the chain records.
	pub content_hash: [u8; 32],
}

/// Seals `resource` under a fresh data key; returns the sealed record and the key.
pub fn seal(resource: &[u8]) -> (Sealed, DataKey) {
	let mut key = Zeroizing::new([0u8; 32]);
	let mut nonce = [0u8; 12];
	getrandom::fill(&mut *key).expect("the operating system provides randomness");
	getrandom::fill(&mut nonce).expect("the operating system provides randomness");
	let cipher = ChaCha20Poly1305::new(&(*key).into());
	let body = cipher
		.encrypt(&Nonce::from(nonce), chacha20poly1305::aead::Payload { msg: resource, aad: CONTENT_AAD })
		.expect("a resource of less than 256 GiB seals");
	let mut ciphertext = Vec::with_capacity(OVERHEAD + resource.len());
	ciphertext.extend_from_slice(MAGIC);
	ciphertext.extend_from_slice(&nonce);
	ciphertext.extend_from_slice(&body);
	let content_hash = crate::blake2_256(&ciphertext);
	(Sealed { ciphertext, content_hash }, key)
}

/// Opens a sealed record whose content hash on chain is `content_hash`, with its data key.
/// The hash is checked first: a custodian cannot serve another ciphertext.
pub fn open(ciphertext: &[u8], content_hash: &[u8; 32], key: &DataKey) -> Result<Vec<u8>, EnvelopeError> {
	if crate::blake2_256(ciphertext) != *content_hash {
		return Err(EnvelopeError::HashMismatch);
	}
	if ciphertext.len() < OVERHEAD || &ciphertext[..4] != MAGIC {
		return Err(EnvelopeError::NotARecord);
	}
	let nonce: [u8; 12] = ciphertext[4..16].try_into().expect("12 bytes");
	ChaCha20Poly1305::new(&(**key).into())
		.decrypt(&Nonce::from(nonce), chacha20poly1305::aead::Payload { msg: &ciphertext[16..], aad: CONTENT_AAD })
		.map_err(|_| EnvelopeError::WrongKey)
}

fn key_info(content_hash: &[u8; 32]) -> Vec<u8> {
	[KEY_INFO, content_hash.as_slice()].concat()
}

/// Wraps `key` to the reader whose public encryption key is `reader`, for the record whose
/// content hash is `content_hash`.
pub fn wrap_key(key: &DataKey, reader: &[u8; 32], content_hash: &[u8; 32]) -> Result<Vec<u8>, EnvelopeError> {
	let reader = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(reader).map_err(|_| EnvelopeError::InvalidPublicKey)?;
	let (encapsulated, sealed) = hpke::single_shot_seal::<HpkeChaCha, HkdfSha256, X25519HkdfSha256>(
		&OpModeS::Base,
		&reader,
		&key_info(content_hash),
		key.as_slice(),
		&[],
	)
	.map_err(|_| EnvelopeError::InvalidPublicKey)?;
	Ok([encapsulated.to_bytes().as_slice(), &sealed].concat())
}

/// Unwraps a data key wrapped to `secret`'s public key for the record `content_hash`.
pub fn unwrap_key(wrapped: &[u8], secret: &EncryptionSecret, content_hash: &[u8; 32]) -> Result<DataKey, EnvelopeError> {
	if wrapped.len() != WRAPPED_KEY_LENGTH {
		return Err(EnvelopeError::CannotUnwrap);
	}
	let encapsulated = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&wrapped[..32]).map_err(|_| EnvelopeError::CannotUnwrap)?;
	let opened = Zeroizing::new(
		hpke::single_shot_open::<HpkeChaCha, HkdfSha256, X25519HkdfSha256>(
			&OpModeR::Base,
			&secret.0,
			&encapsulated,
			&key_info(content_hash),
			&wrapped[32..],
			&[],
		)
		.map_err(|_| EnvelopeError::CannotUnwrap)?,
	);
	let key: [u8; 32] = opened.as_slice().try_into().map_err(|_| EnvelopeError::CannotUnwrap)?;
	Ok(Zeroizing::new(key))
}

/// Unwraps a data key wrapped to `secret` and wraps it again to `reader`: what a custodian
/// does with the key it holds when the chain lets `reader` read the record.
pub fn rewrap_key(
	wrapped: &[u8],
	secret: &EncryptionSecret,
	reader: &[u8; 32],
	content_hash: &[u8; 32],
) -> Result<Vec<u8>, EnvelopeError> {
	wrap_key(&unwrap_key(wrapped, secret, content_hash)?, reader, content_hash)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::keys::Keys;

	const OBSERVATION: &[u8] = br#"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"valueQuantity":{"value":72,"unit":"/min"}}"#;

	#[test]
	fn a_record_opens_with_its_key_and_hash_and_hides_its_content() {
		let (sealed, key) = seal(OBSERVATION);
		assert_eq!(sealed.ciphertext.len(), OBSERVATION.len() + OVERHEAD);
		assert!(!sealed.ciphertext.windows(8).any(|w| OBSERVATION.windows(8).any(|p| p == w)));
		assert_eq!(open(&sealed.ciphertext, &sealed.content_hash, &key).unwrap(), OBSERVATION);
		// Each sealing is fresh: same resource, other key, other ciphertext.
		let (again, other_key) = seal(OBSERVATION);
		assert_ne!(again.content_hash, sealed.content_hash);
		assert_eq!(open(&sealed.ciphertext, &sealed.content_hash, &other_key), Err(EnvelopeError::WrongKey));
	}

	#[test]
	fn an_altered_or_substituted_ciphertext_is_refused() {
		let (sealed, key) = seal(OBSERVATION);
		let mut altered = sealed.ciphertext.clone();
		altered[20] ^= 1;
		assert_eq!(open(&altered, &sealed.content_hash, &key), Err(EnvelopeError::HashMismatch));
		// Altered and re-hashed: the tag refuses it.
		assert_eq!(open(&altered, &crate::blake2_256(&altered), &key), Err(EnvelopeError::WrongKey));
		let short = b"HCR1".to_vec();
		assert_eq!(open(&short, &crate::blake2_256(&short), &key), Err(EnvelopeError::NotARecord));
	}

	#[test]
	fn a_wrapped_key_opens_for_its_reader_and_its_record_only() {
		let (sealed, key) = seal(OBSERVATION);
		let reader = Keys::from_phrase("//Charlie").unwrap();
		let stranger = Keys::from_phrase("//Eve").unwrap();
		let wrapped = wrap_key(&key, &reader.encryption_public(), &sealed.content_hash).unwrap();
		assert_eq!(wrapped.len(), WRAPPED_KEY_LENGTH);
		let unwrapped = unwrap_key(&wrapped, reader.encryption_secret(), &sealed.content_hash).unwrap();
		assert_eq!(*unwrapped, *key);
		assert!(matches!(
			unwrap_key(&wrapped, stranger.encryption_secret(), &sealed.content_hash),
			Err(EnvelopeError::CannotUnwrap)
		));
		let (other, _) = seal(OBSERVATION);
		assert!(matches!(unwrap_key(&wrapped, reader.encryption_secret(), &other.content_hash), Err(EnvelopeError::CannotUnwrap)));
		assert!(matches!(
			unwrap_key(&wrapped[..79], reader.encryption_secret(), &sealed.content_hash),
			Err(EnvelopeError::CannotUnwrap)
		));
	}

	#[test]
	fn a_custodian_rewraps_the_key_it_holds_to_a_reader() {
		let (sealed, key) = seal(OBSERVATION);
		let custodian = EncryptionSecret::from_bytes(&[9; 32]);
		let held = wrap_key(&key, &custodian.public(), &sealed.content_hash).unwrap();
		let reader = Keys::from_phrase("//Charlie").unwrap();
		let released = rewrap_key(&held, &custodian, &reader.encryption_public(), &sealed.content_hash).unwrap();
		let unwrapped = unwrap_key(&released, reader.encryption_secret(), &sealed.content_hash).unwrap();
		assert_eq!(open(&sealed.ciphertext, &sealed.content_hash, &unwrapped).unwrap(), OBSERVATION);
	}
}
