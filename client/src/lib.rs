//! # HealthChain client
//!
//! What an application needs to keep health records with HealthChain without writing its own
//! cryptography: the chain decides and records, custodians (each member organisation's vault)
//! hold and release, and this crate does the client's part.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`keys`] | one secret phrase gives the chain account (sr25519) and the X25519 encryption key whose public half the chain holds (`enrol_patient`, `set_staff_key`, an organisation's profile); a key file |
//! | [`envelope`] | a FHIR resource sealed under a fresh data key (ChaCha20-Poly1305); the data key wrapped to a reader's encryption key with HPKE (RFC 9180), bound to the record's content hash |
//! | [`chain`] | the node, through subxt: read and write permits, records, vaults and keys, a patient's access log, research consents and insurance claims at the finalized block; signed transactions that wait for finality and name the pallet error on refusal |
//! | [`claims`] | the keyed duplicate fingerprint of an insurance claim, which the provider submits and the insurer checks against the claim's document |
//! | [`records`] | a FHIR resource sealed, uploaded to its custodian's vault and anchored with `add_record`; a record asked of its custodian's vault and opened, checked against the hash on chain |
//! | [`request`] | vault requests signed by the caller's chain account, over method, path, body hash, time, nonce and the vault addressed; the vault's check of them, with a replay window |
//! | [`research`] | a patient's participant for a study (derived from its phrase), the patient's binding of it that custodians check, and the digest of a research release |
//!
//! A record's life, as the client sees it:
//!
//! ```
//! use healthchain_client::{envelope, keys::Keys};
//!
//! let patient = Keys::from_phrase("//Ferdie").unwrap();
//! let fhir = br#"{"resourceType":"Observation","status":"final"}"#;
//! // The author seals the resource; the ciphertext's hash is what goes on chain.
//! let (sealed, data_key) = envelope::seal(fhir);
//! // The data key is wrapped to each reader's public encryption key, bound to the hash.
//! let wrapped = envelope::wrap_key(&data_key, &patient.encryption_public(), &sealed.content_hash).unwrap();
//! // The reader unwraps its key and opens the record; a hash or key that does not match fails.
//! let key = envelope::unwrap_key(&wrapped, patient.encryption_secret(), &sealed.content_hash).unwrap();
//! assert_eq!(envelope::open(&sealed.ciphertext, &sealed.content_hash, &key).unwrap(), fhir);
//! ```

#![deny(missing_docs)]

pub mod chain;
pub mod claims;
pub mod envelope;
pub mod keys;
pub mod records;
pub mod request;
pub mod research;

/// Blake2-256 of `data`: the chain's content hash of a record's ciphertext.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	use blake2::{digest::consts::U32, Blake2b, Digest};
	Blake2b::<U32>::digest(data).into()
}
