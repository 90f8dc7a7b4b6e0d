//! Keys: one secret phrase gives a HealthChain user both of their keys.
//!
//! - the **chain account**, sr25519, from the phrase as a Substrate secret URI (a BIP-39
//!   mnemonic with optional `//hard/soft` derivation and `///password`, or a development
//!   account such as `//Alice`), exactly as polkadot.js and `subkey` derive it;
//! - the **encryption key**, X25519, derived from the same secret URI with HPKE's
//!   `DeriveKeyPair` (RFC 9180 §7.1.3) over a labelled hash of it. Its public half is what
//!   the chain holds (a patient's key at `enrol_patient`, a staff member's at
//!   `set_staff_key`), and records' data keys are wrapped to it.
//!
//! So writing down the phrase backs up both keys. A [`KeyFile`] keeps the phrase in a file
//! only its owner may read.

use hpke::{kem::X25519HkdfSha256, Kem, Serializable};
use serde::{Deserialize, Serialize};
use std::{path::Path, str::FromStr};
use subxt_signer::{bip39, sr25519, SecretUri};
use zeroize::Zeroizing;

/// Why keys could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// The phrase is not a valid secret URI or mnemonic.
	#[error("the secret phrase is not a valid mnemonic or secret URI: {0}")]
	InvalidPhrase(String),
	/// The key file could not be read or written.
	#[error("key file {path}: {reason}")]
	KeyFile {
		/// The file.
		path: String,
		/// What went wrong.
		reason: String,
	},
}

/// An X25519 secret key, for opening data keys wrapped to its public half.
#[derive(Clone)]
pub struct EncryptionSecret(pub(crate) <X25519HkdfSha256 as Kem>::PrivateKey);

impl EncryptionSecret {
	/// The public key, 32 bytes, as the chain stores it.
	pub fn public(&self) -> [u8; 32] {
		X25519HkdfSha256::sk_to_pk(&self.0).to_bytes().into()
	}

	/// The secret key from its 32 bytes (a vault's organisation key, say).
	pub fn from_bytes(bytes: &[u8; 32]) -> Self {
		use hpke::Deserializable;
		// Any 32 bytes are an X25519 secret key (it is clamped on use).
		Self(<X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(bytes).expect("32 bytes are an X25519 key"))
	}

	/// Derives the secret key from input keying material, as HPKE's `DeriveKeyPair` does.
	pub fn derive(ikm: &[u8]) -> Self {
		Self(X25519HkdfSha256::derive_keypair(ikm).0)
	}
}

/// A user's keys: the chain account and the encryption key.
#[derive(Clone)]
pub struct Keys {
	phrase: Zeroizing<String>,
	account: sr25519::Keypair,
	encryption: EncryptionSecret,
}

impl Keys {
	/// The keys of a secret phrase: a BIP-39 mnemonic or a secret URI (`//Alice`,
	/// `"<mnemonic>//hospital"`).
	pub fn from_phrase(phrase: &str) -> Result<Self, KeyError> {
		let uri = SecretUri::from_str(phrase).map_err(|e| KeyError::InvalidPhrase(e.to_string()))?;
		let account = sr25519::Keypair::from_uri(&uri).map_err(|e| KeyError::InvalidPhrase(e.to_string()))?;
		// A labelled hash, so that the encryption key is unrelated to the account key even
		// though one phrase gives both.
		let ikm = Zeroizing::new(crate::blake2_256(&[b"healthchain/encryption-key/v1:".as_slice(), phrase.as_bytes()].concat()));
		Ok(Self { phrase: Zeroizing::new(phrase.to_owned()), account, encryption: EncryptionSecret::derive(&*ikm) })
	}

	/// New keys from a fresh 12-word mnemonic, which is returned with them: the user must
	/// write it down.
	pub fn generate() -> Self {
		let mut entropy = Zeroizing::new([0u8; 16]);
		getrandom::fill(&mut *entropy).expect("the operating system provides randomness");
		let mnemonic = bip39::Mnemonic::from_entropy(&*entropy).expect("16 bytes are a valid entropy length");
		Self::from_phrase(&mnemonic.to_string()).expect("a fresh mnemonic is a valid phrase")
	}

	/// The secret phrase (to show once, or to save in a key file).
	pub fn phrase(&self) -> &str {
		&self.phrase
	}

	/// The chain account's public key (its `AccountId32`).
	pub fn account_id(&self) -> [u8; 32] {
		self.account.public_key().0
	}

	/// The account in SS58 with the generic Substrate prefix (42), as polkadot.js shows it.
	pub fn ss58(&self) -> String {
		ss58(&self.account_id())
	}

	/// The sr25519 key pair that signs transactions and vault requests.
	pub fn signer(&self) -> &sr25519::Keypair {
		&self.account
	}

	/// Signs `message` with the account key.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		self.account.sign(message).0
	}

	/// The public encryption key, as the chain holds it.
	pub fn encryption_public(&self) -> [u8; 32] {
		self.encryption.public()
	}

	/// The secret encryption key.
	pub fn encryption_secret(&self) -> &EncryptionSecret {
		&self.encryption
	}
}

/// `account` in SS58 with the generic Substrate prefix (42).
pub fn ss58(account: &[u8; 32]) -> String {
	use blake2::{Blake2b512, Digest};
	let mut payload = vec![42u8];
	payload.extend_from_slice(account);
	let checksum = Blake2b512::new().chain_update(b"SS58PRE").chain_update(&payload).finalize();
	payload.extend_from_slice(&checksum[..2]);
	bs58::encode(payload).into_string()
}

/// The account of an SS58 address (any prefix of one byte) or of `0x`-prefixed hex.
pub fn parse_account(text: &str) -> Option<[u8; 32]> {
	if let Some(hex) = text.strip_prefix("0x") {
		return hex::decode(hex).ok()?.try_into().ok();
	}
	let bytes = bs58::decode(text).into_vec().ok()?;
	if bytes.len() != 35 || bytes[0] >= 64 {
		return None;
	}
	use blake2::{Blake2b512, Digest};
	let checksum = Blake2b512::new().chain_update(b"SS58PRE").chain_update(&bytes[..33]).finalize();
	(checksum[..2] == bytes[33..]).then(|| bytes[1..33].try_into().expect("32 bytes"))
}

/// A key file: the secret phrase, in JSON, readable by its owner only.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFile {
	/// The format's version: 1.
	pub version: u32,
	/// The secret phrase.
	pub secret_phrase: String,
	/// The account, for people reading the file (checked on load).
	pub account: String,
	/// The public encryption key in hex, for the same reason.
	pub encryption_key: String,
}

impl KeyFile {
	/// Writes `keys` to a new file at `path`, mode 0600; refuses to overwrite one.
	pub fn save(keys: &Keys, path: &Path) -> Result<(), KeyError> {
		use std::{io::Write, os::unix::fs::OpenOptionsExt};
		let error = |reason: String| KeyError::KeyFile { path: path.display().to_string(), reason };
		let file = KeyFile {
			version: 1,
			secret_phrase: keys.phrase().to_owned(),
			account: keys.ss58(),
			encryption_key: format!("0x{}", hex::encode(keys.encryption_public())),
		};
		let json = Zeroizing::new(serde_json::to_string_pretty(&file).expect("a key file serialises"));
		let mut out = std::fs::OpenOptions::new()
			.write(true)
			.create_new(true)
			.mode(0o600)
			.open(path)
			.map_err(|e| error(e.to_string()))?;
		out.write_all(json.as_bytes()).and_then(|_| out.sync_all()).map_err(|e| error(e.to_string()))
	}

	/// The keys in the file at `path`: a key file, or the JSON that `healthchain-node key
	/// generate --output-type json` writes (a consortium member's `secrets/account.json`).
	pub fn load(path: &Path) -> Result<Keys, KeyError> {
		let error = |reason: String| KeyError::KeyFile { path: path.display().to_string(), reason };
		let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?);
		let (phrase, account) = match serde_json::from_str::<KeyFile>(&text) {
			Ok(file) if file.version != 1 => {
				return Err(error(format!("version {} is not supported (1 is)", file.version)))
			},
			Ok(file) => (Zeroizing::new(file.secret_phrase), file.account),
			Err(not_ours) => match serde_json::from_str::<SubstrateKey>(&text) {
				Ok(key) => (Zeroizing::new(key.secret_phrase), key.ss58_address),
				Err(_) => return Err(error(format!("not a key file: {not_ours}"))),
			},
		};
		let keys = Keys::from_phrase(&phrase).map_err(|e| error(e.to_string()))?;
		if parse_account(&account) != Some(keys.account_id()) {
			return Err(error(format!("the phrase is the account {}, not {account}", keys.ss58())));
		}
		Ok(keys)
	}
}

/// The fields HealthChain reads of `healthchain-node key generate --output-type json` (the
/// Substrate `key` command's output); the others are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubstrateKey {
	secret_phrase: String,
	ss58_address: String,
}

/// The DER prefix of an X25519 private key in PKCS#8 (RFC 8410): what `openssl genpkey
/// -algorithm X25519` writes, before the key's 32 bytes.
const X25519_PKCS8_PREFIX: [u8; 16] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];

/// An organisation's encryption key from the file at `path`: a PEM X25519 private key (a
/// consortium member's `secrets/encryption.pem`, whose public half is in the chain spec), or
/// a key file's encryption key.
pub fn load_encryption_secret(path: &Path) -> Result<EncryptionSecret, KeyError> {
	use base64::Engine;
	let error = |reason: String| KeyError::KeyFile { path: path.display().to_string(), reason };
	let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?);
	let Some(pem) = text.trim().strip_prefix("-----BEGIN PRIVATE KEY-----") else {
		return KeyFile::load(path).map(|keys| keys.encryption_secret().clone());
	};
	let body = pem
		.strip_suffix("-----END PRIVATE KEY-----")
		.ok_or_else(|| error("a PEM private key without its END line".into()))?;
	let body: String = body.split_whitespace().collect();
	let der = Zeroizing::new(
		base64::engine::general_purpose::STANDARD.decode(body).map_err(|e| error(format!("PEM body: {e}")))?,
	);
	match der.strip_prefix(X25519_PKCS8_PREFIX.as_slice()) {
		Some(secret) if secret.len() == 32 => {
			Ok(EncryptionSecret::from_bytes(secret.try_into().expect("32 bytes")))
		},
		_ => Err(error("not an X25519 private key (PKCS#8, as `openssl genpkey -algorithm X25519` writes)".into())),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn development_accounts_are_those_of_polkadot_js() {
		// Alice's well-known address.
		assert_eq!(Keys::from_phrase("//Alice").unwrap().ss58(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert_eq!(
			parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
			Some(Keys::from_phrase("//Alice").unwrap().account_id())
		);
	}

	#[test]
	fn one_phrase_gives_the_same_keys_every_time_and_different_phrases_different_keys() {
		let a = Keys::from_phrase("//Ferdie").unwrap();
		let b = Keys::from_phrase("//Ferdie").unwrap();
		let c = Keys::from_phrase("//Ferdie//1").unwrap();
		assert_eq!((a.account_id(), a.encryption_public()), (b.account_id(), b.encryption_public()));
		assert_ne!(a.encryption_public(), c.encryption_public());
		assert_ne!(a.account_id(), c.account_id());
		// The encryption key is not the account key.
		assert_ne!(a.encryption_public(), a.account_id());
	}

	#[test]
	fn generated_keys_are_fresh_and_come_back_from_their_phrase() {
		let a = Keys::generate();
		let b = Keys::generate();
		assert_ne!(a.account_id(), b.account_id());
		assert_eq!(a.phrase().split(' ').count(), 12);
		let again = Keys::from_phrase(a.phrase()).unwrap();
		assert_eq!((again.account_id(), again.encryption_public()), (a.account_id(), a.encryption_public()));
	}

	#[test]
	fn bad_phrases_and_addresses_are_refused() {
		assert!(matches!(Keys::from_phrase("not a mnemonic at all"), Err(KeyError::InvalidPhrase(_))));
		assert_eq!(parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"), None, "checksum");
		assert_eq!(parse_account("0x1234"), None);
		assert_eq!(parse_account("0OIl"), None, "not base58");
	}

	#[test]
	fn a_key_file_keeps_the_keys_for_its_owner_only() {
		use std::os::unix::fs::PermissionsExt;
		let dir = std::env::temp_dir().join(format!("hc-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("patient.json");
		let _ = std::fs::remove_file(&path);
		let keys = Keys::generate();
		KeyFile::save(&keys, &path).unwrap();
		assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		let loaded = KeyFile::load(&path).unwrap();
		assert_eq!((loaded.account_id(), loaded.encryption_public()), (keys.account_id(), keys.encryption_public()));
		// Never overwritten.
		assert!(matches!(KeyFile::save(&Keys::generate(), &path), Err(KeyError::KeyFile { .. })));
		// A file whose account does not match its phrase is refused.
		let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
		file["account"] = Keys::generate().ss58().into();
		std::fs::write(&path, file.to_string()).unwrap();
		assert!(matches!(KeyFile::load(&path), Err(KeyError::KeyFile { reason, .. }) if reason.contains("not")));
		std::fs::remove_dir_all(&dir).unwrap();
	}

	#[test]
	fn a_consortium_members_account_json_and_encryption_pem_load() {
		let dir = std::env::temp_dir().join(format!("hc-member-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		// As `healthchain-node key generate --output-type json` writes it (subkey's fields).
		let account = dir.join("account.json");
		let alice = Keys::from_phrase("bottom drive obey lake curtain smoke basket hold race lonely fit walk").unwrap();
		let json = serde_json::json!({
			"accountId": format!("0x{}", hex::encode(alice.account_id())),
			"networkId": "substrate",
			"publicKey": format!("0x{}", hex::encode(alice.account_id())),
			"secretPhrase": "bottom drive obey lake curtain smoke basket hold race lonely fit walk",
			"secretSeed": "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
			"ss58Address": "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV",
			"ss58PublicKey": "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV",
		});
		std::fs::write(&account, json.to_string()).unwrap();
		// The well-known address of the development mnemonic, as `subkey` derives it.
		assert_eq!(KeyFile::load(&account).unwrap().ss58(), "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
		let mut wrong = json.clone();
		wrong["ss58Address"] = Keys::generate().ss58().into();
		std::fs::write(&account, wrong.to_string()).unwrap();
		assert!(matches!(KeyFile::load(&account), Err(KeyError::KeyFile { reason, .. }) if reason.contains("not")));

		// RFC 7748 §6.1: Alice's X25519 private key and its public key.
		let secret = hex::decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a").unwrap();
		let public = hex::decode("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a").unwrap();
		let der = [X25519_PKCS8_PREFIX.as_slice(), &secret].concat();
		use base64::Engine;
		let pem = format!(
			"-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
			base64::engine::general_purpose::STANDARD.encode(&der)
		);
		let pem_path = dir.join("encryption.pem");
		std::fs::write(&pem_path, &pem).unwrap();
		assert_eq!(load_encryption_secret(&pem_path).unwrap().public().as_slice(), public.as_slice());
		// A key file's encryption key, from the same function.
		let key_file = dir.join("vault.json");
		let vault = Keys::generate();
		KeyFile::save(&vault, &key_file).unwrap();
		assert_eq!(load_encryption_secret(&key_file).unwrap().public(), vault.encryption_public());
		// An Ed25519 key in PEM is refused by name.
		let ed = [&[0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20][..], &secret].concat();
		std::fs::write(
			&pem_path,
			format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", base64::engine::general_purpose::STANDARD.encode(&ed)),
		)
		.unwrap();
		assert!(matches!(load_encryption_secret(&pem_path), Err(KeyError::KeyFile { reason, .. }) if reason.contains("X25519")));
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
