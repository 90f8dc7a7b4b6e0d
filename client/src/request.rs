//! Signed vault requests.
//!
//! Every request to a vault carries four headers, and the vault serves it only if they hold:
//!
//! | header | value |
//! | --- | --- |
//! | `x-healthchain-account` | the caller's chain account, SS58 |
//! | `x-healthchain-time` | milliseconds since the Unix epoch, within [`WINDOW_MS`] of the vault's clock |
//! | `x-healthchain-nonce` | 16 random bytes, hex, never used twice by the account within the window |
//! | `x-healthchain-signature` | sr25519 by the account, hex, over the canonical request |
//!
//! The canonical request is, one per line: `healthchain-vault-request/v1`, the vault's own
//! chain account in hex (so a request signed for one vault is refused by every other), the
//! method, the path with its query, the Blake2-256 of the body in hex, the time and the
//! nonce. A signature thus covers what is asked, of whom, with what, and when; a captured
//! request cannot be replayed, altered or redirected.

use std::{collections::HashMap, sync::Mutex};

use crate::keys::{parse_account, Keys};

/// The caller's account.
pub const ACCOUNT_HEADER: &str = "x-healthchain-account";
/// When the request was signed.
pub const TIME_HEADER: &str = "x-healthchain-time";
/// The request's nonce.
pub const NONCE_HEADER: &str = "x-healthchain-nonce";
/// The signature.
pub const SIGNATURE_HEADER: &str = "x-healthchain-signature";
/// How far a request's time may be from the vault's clock, either way: five minutes.
pub const WINDOW_MS: u64 = 5 * 60 * 1000;

/// Why a vault refused a request's signature.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
	/// A header is missing.
	#[error("the request is not signed: header {0} is missing")]
	MissingHeader(&'static str),
	/// The account header is not an account.
	#[error("{ACCOUNT_HEADER} is not an SS58 account")]
	BadAccount,
	/// The time header is not a number of milliseconds.
	#[error("{TIME_HEADER} is not a time in milliseconds")]
	BadTime,
	/// The time is outside the window.
	#[error("the request was signed {skew_ms} ms away from the vault's clock; at most {WINDOW_MS} ms is accepted")]
	StaleTime {
		/// How far from the vault's clock.
		skew_ms: u64,
	},
	/// The nonce is not 16 bytes of hex.
	#[error("{NONCE_HEADER} is not 16 bytes of hex")]
	BadNonce,
	/// The signature does not verify.
	#[error("the signature is not the account's over this request")]
	BadSignature,
	/// The account used the nonce before, within the window.
	#[error("the request was replayed (its nonce was used before)")]
	Replayed,
}

/// The bytes an account signs for a request to `vault`.
pub fn canonical(vault: &[u8; 32], method: &str, path: &str, body: &[u8], time_ms: u64, nonce: &str) -> Vec<u8> {
	format!(
		"healthchain-vault-request/v1\n{}\n{}\n{}\n{}\n{}\n{}",
		hex::encode(vault),
		method.to_ascii_uppercase(),
		path,
		hex::encode(crate::blake2_256(body)),
		time_ms,
		nonce
	)
	.into_bytes()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.expect("the clock is after 1970")
		.as_millis() as u64
}

/// The headers that sign a request by `keys` to `vault`, at `time_ms`.
pub fn sign(keys: &Keys, vault: &[u8; 32], method: &str, path: &str, body: &[u8], time_ms: u64) -> Vec<(&'static str, String)> {
	let mut nonce = [0u8; 16];
	getrandom::fill(&mut nonce).expect("the operating system provides randomness");
	let nonce = hex::encode(nonce);
	let signature = keys.sign(&canonical(vault, method, path, body, time_ms, &nonce));
	vec![
		(ACCOUNT_HEADER, keys.ss58()),
		(TIME_HEADER, time_ms.to_string()),
		(NONCE_HEADER, nonce),
		(SIGNATURE_HEADER, hex::encode(signature)),
	]
}

/// A vault's check of signed requests, remembering nonces for the window.
pub struct Verifier {
	vault: [u8; 32],
	seen: Mutex<Seen>,
}

/// Spent nonces with the time they were signed, and when they were last pruned.
#[derive(Default)]
struct Seen {
	nonces: HashMap<([u8; 32], [u8; 16]), u64>,
	pruned_at_ms: u64,
}

impl Verifier {
	/// A verifier for requests to the vault whose account is `vault`.
	pub fn new(vault: [u8; 32]) -> Self {
		Self { vault, seen: Mutex::new(Seen::default()) }
	}

	/// The caller's account if the request's signature holds at `now_ms`; `header` gives a
	/// header's value by its (lower-case) name.
	pub fn verify<'a>(
		&self,
		method: &str,
		path: &str,
		body: &[u8],
		header: impl Fn(&'static str) -> Option<&'a str>,
		now_ms: u64,
	) -> Result<[u8; 32], RequestError> {
		let get = |name| header(name).ok_or(RequestError::MissingHeader(name));
		let account = parse_account(get(ACCOUNT_HEADER)?).ok_or(RequestError::BadAccount)?;
		let time_text = get(TIME_HEADER)?;
		let time_ms: u64 = time_text.parse().map_err(|_| RequestError::BadTime)?;
		let skew_ms = time_ms.abs_diff(now_ms);
		if skew_ms > WINDOW_MS {
			return Err(RequestError::StaleTime { skew_ms });
		}
		let nonce_text = get(NONCE_HEADER)?;
		let nonce: [u8; 16] = hex::decode(nonce_text)
			.ok()
			.and_then(|n| n.try_into().ok())
			.ok_or(RequestError::BadNonce)?;
		let signature: [u8; 64] = hex::decode(get(SIGNATURE_HEADER)?)
			.ok()
			.and_then(|s| s.try_into().ok())
			.ok_or(RequestError::BadSignature)?;
		let message = canonical(&self.vault, method, path, body, time_ms, nonce_text);
		let verified = subxt_signer::sr25519::verify(
			&subxt_signer::sr25519::Signature(signature),
			&message,
			&subxt_signer::sr25519::PublicKey(account),
		);
		if !verified {
			return Err(RequestError::BadSignature);
		}
		// Only a verified request spends its nonce, so nobody can spend another's.
		let mut seen = self.seen.lock().expect("no thread panics holding it");
		// Pruning walks every spent nonce: once a second is enough, as a nonce outside the
		// window is refused by its time before it is looked up.
		if now_ms.abs_diff(seen.pruned_at_ms) >= 1_000 {
			seen.nonces.retain(|_, signed_at| signed_at.abs_diff(now_ms) <= WINDOW_MS);
			seen.pruned_at_ms = now_ms;
		}
		if seen.nonces.insert((account, nonce), time_ms).is_some() {
			return Err(RequestError::Replayed);
		}
		Ok(account)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const VAULT: [u8; 32] = [7; 32];
	const NOW: u64 = 1_800_000_000_000;

	fn headers<'a>(signed: &'a [(&'static str, String)]) -> impl Fn(&'static str) -> Option<&'a str> + 'a {
		move |name| signed.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
	}

	#[test]
	fn a_signed_request_names_its_account_once() {
		let keys = Keys::from_phrase("//Charlie").unwrap();
		let verifier = Verifier::new(VAULT);
		let signed = sign(&keys, &VAULT, "get", "/v1/records/5", b"", NOW);
		assert_eq!(verifier.verify("GET", "/v1/records/5", b"", headers(&signed), NOW + 1000), Ok(keys.account_id()));
		assert_eq!(verifier.verify("GET", "/v1/records/5", b"", headers(&signed), NOW + 2000), Err(RequestError::Replayed));
	}

	#[test]
	fn altered_redirected_stale_or_unsigned_requests_are_refused() {
		let keys = Keys::from_phrase("//Charlie").unwrap();
		let verifier = Verifier::new(VAULT);
		let signed = sign(&keys, &VAULT, "PUT", "/v1/uploads", b"ciphertext", NOW);
		let check = |method, path, body: &[u8], signed: &[(&'static str, String)], now| {
			verifier.verify(method, path, body, headers(signed), now)
		};
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertexT", &signed, NOW), Err(RequestError::BadSignature));
		assert_eq!(check("POST", "/v1/uploads", b"ciphertext", &signed, NOW), Err(RequestError::BadSignature));
		assert_eq!(check("PUT", "/v1/uploads?x", b"ciphertext", &signed, NOW), Err(RequestError::BadSignature));
		assert_eq!(
			check("PUT", "/v1/uploads", b"ciphertext", &signed, NOW + WINDOW_MS + 1),
			Err(RequestError::StaleTime { skew_ms: WINDOW_MS + 1 })
		);
		// Signed for another vault.
		let elsewhere = sign(&keys, &[8; 32], "PUT", "/v1/uploads", b"ciphertext", NOW);
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &elsewhere, NOW), Err(RequestError::BadSignature));
		// Another account's name on Charlie's signature.
		let mut impostor = signed.clone();
		impostor[0].1 = Keys::from_phrase("//Alice").unwrap().ss58();
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &impostor, NOW), Err(RequestError::BadSignature));
		for (i, header) in [ACCOUNT_HEADER, TIME_HEADER, NONCE_HEADER, SIGNATURE_HEADER].into_iter().enumerate() {
			let mut missing = signed.clone();
			missing.remove(i);
			assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &missing, NOW), Err(RequestError::MissingHeader(header)));
		}
		let mut bad = signed.clone();
		bad[1].1 = "soon".into();
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &bad, NOW), Err(RequestError::BadTime));
		let mut bad = signed.clone();
		bad[2].1 = "00".into();
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &bad, NOW), Err(RequestError::BadNonce));
		let mut bad = signed.clone();
		bad[0].1 = "nobody".into();
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &bad, NOW), Err(RequestError::BadAccount));
		// None of the refusals spent the nonce.
		assert_eq!(check("PUT", "/v1/uploads", b"ciphertext", &signed, NOW), Ok(keys.account_id()));
	}
}
