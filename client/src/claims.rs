//! Insurance claims: the keyed duplicate fingerprint a provider submits with a claim and the
//! insurer checks against the claim's document.
//!
//! The chain refuses a fingerprint it has seen, so the same service is not billed twice; it
//! holds no code, so the fingerprint must not let anyone test codes against it. It is
//! Blake2b-256 in its keyed mode (RFC 7693), keyed with the coverage's secret (32 bytes the
//! insurer issues with the policy, which the patient presents to the provider as with an
//! insurance card), over the SCALE encoding of
//! `(patient: [u8; 32], provider: u32, service_day: u64, procedure_codes: Vec<Vec<u8>>, billed: u128)`,
//! the codes sorted and the day counted in whole UTC days since the Unix epoch: a service is
//! the same whatever time of its day, or order of its codes, a claim names.

use blake2::{digest::consts::U32, digest::Mac, Blake2bMac};
use codec::Encode;

/// A day in milliseconds: claims name a service by its UTC day.
pub const SERVICE_DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// A coverage's secret, which keys its claims' fingerprints; never on chain.
pub type CoverageSecret = [u8; 32];

/// What a claim bills, as its document says and its fingerprint covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BilledService<'a> {
	/// The patient's account.
	pub patient: [u8; 32],
	/// The provider organisation.
	pub provider: u32,
	/// When the service was given (ms since the Unix epoch).
	pub service_date_ms: u64,
	/// Its procedure codes (CPT, HCPCS), in any order.
	pub procedure_codes: &'a [&'a str],
	/// The amount billed, in the plan currency's smallest unit.
	pub billed: u128,
}

/// The fingerprint of `service` under the coverage's `secret`: what `submit_claim` carries.
pub fn fingerprint(secret: &CoverageSecret, service: &BilledService) -> [u8; 32] {
	let mut codes: Vec<Vec<u8>> = service.procedure_codes.iter().map(|c| c.as_bytes().to_vec()).collect();
	codes.sort();
	let input = (service.patient, service.provider, service.service_date_ms / SERVICE_DAY_MS, codes, service.billed).encode();
	let mut mac = <Blake2bMac<U32> as Mac>::new_from_slice(secret).expect("a 32-byte key is a Blake2b key");
	mac.update(&input);
	mac.finalize().into_bytes().into()
}

/// Whether `fingerprint`, as a claim on chain carries it, is that of `service`: the insurer's
/// check at adjudication, after reading the claim's document. A claim that fails it names a
/// service its document does not bill, and is denied.
pub fn fingerprint_matches(secret: &CoverageSecret, service: &BilledService, fingerprint: &[u8; 32]) -> bool {
	self::fingerprint(secret, service) == *fingerprint
}

#[cfg(test)]
mod tests {
	use super::*;

	const SECRET: CoverageSecret = [7; 32];
	const DAY: u64 = 1_798_761_600_000;

	fn visit(service_date_ms: u64, procedure_codes: &'static [&'static str], billed: u128) -> BilledService<'static> {
		BilledService { patient: [1; 32], provider: 1, service_date_ms, procedure_codes, billed }
	}

	#[test]
	fn the_same_service_has_one_fingerprint_whatever_the_time_of_day_or_the_order_of_codes() {
		let morning = fingerprint(&SECRET, &visit(DAY + 9 * 3_600_000, &["99213", "36415"], 12_000));
		assert_eq!(fingerprint(&SECRET, &visit(DAY + 17 * 3_600_000, &["36415", "99213"], 12_000)), morning);
		assert!(fingerprint_matches(&SECRET, &visit(DAY, &["99213", "36415"], 12_000), &morning));
	}

	#[test]
	fn another_day_code_amount_patient_provider_or_secret_is_another_fingerprint() {
		let base = visit(DAY, &["99213"], 12_000);
		let print = fingerprint(&SECRET, &base);
		let others = [
			fingerprint(&SECRET, &visit(DAY + SERVICE_DAY_MS, &["99213"], 12_000)),
			fingerprint(&SECRET, &visit(DAY, &["99214"], 12_000)),
			fingerprint(&SECRET, &visit(DAY, &["99213"], 12_001)),
			fingerprint(&SECRET, &BilledService { patient: [2; 32], ..base.clone() }),
			fingerprint(&SECRET, &BilledService { provider: 2, ..base.clone() }),
			fingerprint(&[8; 32], &base),
		];
		for other in others {
			assert_ne!(other, print);
		}
	}

	/// Pinned, so that the JavaScript computation in the e2e tests (`blake2AsU8a` with a key)
	/// and any other implementation can be checked against this one.
	#[test]
	fn a_known_answer() {
		let print = fingerprint(&SECRET, &visit(DAY, &["99213"], 12_000));
		assert_eq!(hex::encode(print), KNOWN_ANSWER);
	}

	// Computed independently: Python's hashlib.blake2b(key=[7; 32], digest_size=32) over the SCALE bytes.
	const KNOWN_ANSWER: &str = "dfc897f7981fe451f47bf97a86dd7a8e731b36b90c3979bb76bcd8d649021a10";
}
