//! Research under participants: a patient takes part in a study under an account of its own
//! that names no one on chain.
//!
//! - [`participant`] derives the patient's participant for a label (one per study,
//!   [`study_label`], or one for standing preferences) from the patient's secret phrase, with
//!   hard junctions, so the phrase backs it up and nobody can tell it from any other account.
//! - [`bind`] is the patient's signature over the participant: the patient hands it to the
//!   study team, whose researchers present it with every read, and the custodian of the
//!   patient's records checks it ([`binding_holds`]) before it releases anything under the
//!   participant's research access. It never goes on chain.
//! - [`release_digest`] is what a custodian logs on chain for a research release instead of
//!   the records' ids (which would name the patient): their Blake2-256 under a salt the
//!   custodian keeps, which an auditor shown the ids and the salt can check.

use codec::Encode;

use crate::keys::{KeyError, Keys};

/// What a binding signs, before the participant's account.
pub const BINDING_CONTEXT: &[u8] = b"healthchain/research-participant/v1:";

/// The participant label of study `study`.
pub fn study_label(study: u32) -> String {
	format!("study-{study}")
}

/// The patient's participant for `label`: the keys of the patient's phrase with the hard
/// junctions `//healthchain-research//<label>`.
pub fn participant(patient: &Keys, label: &str) -> Result<Keys, KeyError> {
	if label.is_empty() || label.contains('/') {
		return Err(KeyError::InvalidPhrase(format!("the participant label {label:?} is empty or has a '/'")));
	}
	Keys::from_phrase(&format!("{}//healthchain-research//{label}", patient.phrase()))
}

/// What the patient signs to bind `participant` to itself.
pub fn binding_message(participant: &[u8; 32]) -> Vec<u8> {
	[BINDING_CONTEXT, participant.as_slice()].concat()
}

/// The patient's binding of `participant`: its signature over [`binding_message`].
pub fn bind(patient: &Keys, participant: &[u8; 32]) -> [u8; 64] {
	patient.sign(&binding_message(participant))
}

/// Whether `binding` is `patient`'s signature binding `participant` to it. A participant that
/// is the patient's own account (consents given before participants existed) needs none.
pub fn binding_holds(patient: &[u8; 32], participant: &[u8; 32], binding: Option<&[u8; 64]>) -> bool {
	if patient == participant {
		return true;
	}
	binding.is_some_and(|signature| {
		subxt_signer::sr25519::verify(
			&subxt_signer::sr25519::Signature(*signature),
			binding_message(participant),
			&subxt_signer::sr25519::PublicKey(*patient),
		)
	})
}

/// A fresh salt for a research release's digest.
pub fn fresh_salt() -> [u8; 32] {
	let mut salt = [0u8; 32];
	getrandom::fill(&mut salt).expect("the operating system provides randomness");
	salt
}

/// The digest of a research release of `records` under `salt`: Blake2-256 of the SCALE
/// encoding of the sorted record ids and the salt.
pub fn release_digest(records: &[u64], salt: &[u8; 32]) -> [u8; 32] {
	let mut sorted = records.to_vec();
	sorted.sort_unstable();
	crate::blake2_256(&(sorted, *salt).encode())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_participant_is_the_patients_own_and_bound_only_by_the_patient() {
		let ferdie = Keys::from_phrase("//Ferdie").unwrap();
		let first = participant(&ferdie, &study_label(1)).unwrap();
		let again = participant(&ferdie, &study_label(1)).unwrap();
		let second = participant(&ferdie, &study_label(2)).unwrap();
		assert_eq!(first.account_id(), again.account_id(), "the phrase gives it back");
		assert_ne!(first.account_id(), second.account_id(), "one per study");
		assert_ne!(first.account_id(), ferdie.account_id());
		// The same derivation as polkadot.js and subkey: //Ferdie//healthchain-research//study-1.
		assert_eq!(first.account_id(), Keys::from_phrase("//Ferdie//healthchain-research//study-1").unwrap().account_id());

		let binding = bind(&ferdie, &first.account_id());
		assert!(binding_holds(&ferdie.account_id(), &first.account_id(), Some(&binding)));
		assert!(!binding_holds(&ferdie.account_id(), &second.account_id(), Some(&binding)), "another participant");
		let eve = Keys::from_phrase("//Eve").unwrap();
		assert!(!binding_holds(&eve.account_id(), &first.account_id(), Some(&binding)), "another patient");
		assert!(!binding_holds(&ferdie.account_id(), &first.account_id(), Some(&bind(&eve, &first.account_id()))));
		assert!(!binding_holds(&ferdie.account_id(), &first.account_id(), None));
		assert!(binding_holds(&ferdie.account_id(), &ferdie.account_id(), None), "the patient's own account");
		assert!(participant(&ferdie, "").is_err() && participant(&ferdie, "a/b").is_err());
	}

	#[test]
	fn a_release_digest_hides_the_records_under_the_salt_and_ignores_their_order() {
		let salt = [7u8; 32];
		assert_eq!(release_digest(&[3, 1, 2], &salt), release_digest(&[1, 2, 3], &salt));
		assert_ne!(release_digest(&[1, 2, 3], &salt), release_digest(&[1, 2, 3], &[8u8; 32]));
		assert_ne!(release_digest(&[1, 2], &salt), release_digest(&[1, 2, 3], &salt));
		// SCALE of (Vec<u64>, [u8; 32]): compact length, each id little-endian, the salt.
		let mut encoded = vec![4u8];
		encoded.extend_from_slice(&5u64.to_le_bytes());
		encoded.extend_from_slice(&salt);
		assert_eq!(release_digest(&[5], &salt), crate::blake2_256(&encoded));
	}
}
