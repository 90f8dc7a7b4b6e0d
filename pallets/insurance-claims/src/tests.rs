//! Tests of the claims pallet: every call's success, each of its errors and each refused
//! caller, coverage at the boundary, duplicate detection, and every legal and illegal
//! transition of the claim state machine, claim documents, and the migration to version 2.
//! Every test ends with the pallet's `try_state`.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchError;

const PATIENT: AccountId = 1;
const OTHER_PATIENT: AccountId = 2;
const BILLER: AccountId = 10;
const ADJUSTER: AccountId = 20;
const RIVAL_ADJUSTER: AccountId = 21;
const STRANGER: AccountId = 99;

const HOSPITAL: OrganisationId = 1;
const INSURER: OrganisationId = 5;
const RIVAL_INSURER: OrganisationId = 6;
const REGISTRY: OrganisationId = 9;

const DAY: Moment = 24 * 3_600_000;
const START: Moment = NOW - 10 * DAY;
const END: Moment = NOW + 355 * DAY;
const BILLED: Amount = 12_000;

type DispatchResult = Result<(), DispatchError>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// A keyed fingerprint, as the provider computes it off chain: distinct services, distinct
/// fingerprints (the tests of the construction itself are the client's).
fn print(service: u8) -> H256 {
	H256::repeat_byte(0x80 | service)
}

fn run(test: impl FnOnce()) {
	run_test(|| {
		identities(|i| {
			i.patients.insert(PATIENT);
			i.insurers.extend([INSURER, RIVAL_INSURER]);
			i.providers.insert(HOSPITAL);
			i.officers.extend([(BILLER, HOSPITAL), (ADJUSTER, INSURER), (RIVAL_ADJUSTER, RIVAL_INSURER)]);
		});
		test();
	})
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::InsuranceClaims(e) = r.event { Some(e) } else { None })
		.expect("a claims event")
}

fn cover() -> CoverageId {
	assert_ok!(InsuranceClaims::register_coverage(signed(ADJUSTER), INSURER, PATIENT, hash(1), b"GOLD-PPO".to_vec(), START, END));
	NextCoverageId::<Test>::get() - 1
}

/// The biller files a claim document about the patient and submits a claim for it.
fn submit_for(coverage: CoverageId, service_date: Moment, fingerprint: H256, billed: Amount) -> DispatchResult {
	let document = file_document(PATIENT, BILLER);
	InsuranceClaims::submit_claim(signed(BILLER), HOSPITAL, coverage, document, service_date, billed, fingerprint, None)
}

/// A claim for an office visit yesterday, under a new coverage.
fn claim() -> ClaimId {
	let coverage = cover();
	assert_ok!(submit_for(coverage, NOW - DAY, print(1), BILLED));
	NextClaimId::<Test>::get() - 1
}

fn partial() -> Decision {
	Decision::PartiallyApprove { allowed: 9_000, adjustments: vec![(b"CO-45".to_vec(), 2_500), (b"PR-1".to_vec(), 500)] }
}

fn deny() -> Decision {
	Decision::Deny { reason: b"CO-50".to_vec() }
}

fn decide(id: ClaimId, decision: Decision) -> DispatchResult {
	InsuranceClaims::adjudicate_claim(signed(ADJUSTER), id, decision)
}

fn pay(id: ClaimId) -> DispatchResult {
	InsuranceClaims::mark_paid(signed(ADJUSTER), id, hash(3))
}

fn appeal(id: ClaimId) -> DispatchResult {
	InsuranceClaims::appeal_claim(signed(BILLER), id, file_document(PATIENT, BILLER))
}

fn status(id: ClaimId) -> ClaimStatus {
	Claims::<Test>::get(id).unwrap().status
}

mod coverage {
	use super::*;

	#[test]
	fn an_insurer_registers_and_ends_coverage() {
		run(|| {
			let id = cover();
			let coverage = Coverages::<Test>::get(id).unwrap();
			assert_eq!((coverage.insurer, coverage.patient, coverage.starts_at, coverage.ends_at), (INSURER, PATIENT, START, END));
			assert_eq!(coverage.plan.to_vec(), b"GOLD-PPO".to_vec());
			assert_eq!(
				last_event(),
				Event::CoverageRegistered { coverage: id, insurer: INSURER, patient: PATIENT, starts_at: START, ends_at: END }
			);
			set_now(NOW + DAY);
			assert_ok!(InsuranceClaims::end_coverage(signed(ADJUSTER), id));
			assert_eq!(Coverages::<Test>::get(id).unwrap().ends_at, NOW + DAY);
			assert_eq!(last_event(), Event::CoverageEnded { coverage: id, ends_at: NOW + DAY });
			assert_noop!(InsuranceClaims::end_coverage(signed(ADJUSTER), id), Error::<Test>::CoverageAlreadyEnded);
		});
	}

	#[test]
	fn refuses_others_and_bad_terms() {
		run(|| {
			let register = |who, insurer, patient, policy: H256, plan: &[u8], start, end| {
				InsuranceClaims::register_coverage(signed(who), insurer, patient, policy, plan.to_vec(), start, end)
			};
			assert_noop!(register(BILLER, HOSPITAL, PATIENT, hash(1), b"P", START, END), Error::<Test>::NotInsurer);
			assert_noop!(register(STRANGER, INSURER, PATIENT, hash(1), b"P", START, END), Error::<Test>::NotClaimsOfficer);
			assert_noop!(register(RIVAL_ADJUSTER, INSURER, PATIENT, hash(1), b"P", START, END), Error::<Test>::NotClaimsOfficer);
			assert_noop!(register(ADJUSTER, INSURER, STRANGER, hash(1), b"P", START, END), Error::<Test>::NotAPatient);
			assert_noop!(register(ADJUSTER, INSURER, PATIENT, H256::zero(), b"P", START, END), Error::<Test>::EmptyHash);
			assert_noop!(register(ADJUSTER, INSURER, PATIENT, hash(1), b"", START, END), Error::<Test>::InvalidPlan);
			assert_noop!(register(ADJUSTER, INSURER, PATIENT, hash(1), b"A B", START, END), Error::<Test>::InvalidPlan);
			assert_noop!(register(ADJUSTER, INSURER, PATIENT, hash(1), &[b'P'; 33], START, END), Error::<Test>::InvalidPlan);
			assert_noop!(register(ADJUSTER, INSURER, PATIENT, hash(1), b"P", END, END), Error::<Test>::InvalidPeriod);
			assert_noop!(register(ADJUSTER, INSURER, PATIENT, hash(1), b"P", START, NOW), Error::<Test>::PeriodInPast);
			let id = cover();
			assert_noop!(InsuranceClaims::end_coverage(signed(RIVAL_ADJUSTER), id), Error::<Test>::NotClaimsOfficer);
			assert_noop!(InsuranceClaims::end_coverage(signed(ADJUSTER), id + 1), Error::<Test>::UnknownCoverage);
		});
	}
}

mod submit_claim {
	use super::*;

	#[test]
	fn a_provider_submits_a_claim_under_coverage() {
		run(|| {
			let coverage = cover();
			let document = file_document(PATIENT, BILLER);
			assert_ok!(InsuranceClaims::submit_claim(
				signed(BILLER),
				HOSPITAL,
				coverage,
				document,
				NOW - DAY,
				BILLED,
				print(1),
				Some(hash(7))
			));
			let id = NextClaimId::<Test>::get() - 1;
			let submitted = Claims::<Test>::get(id).unwrap();
			assert_eq!((submitted.patient, submitted.provider, submitted.insurer, submitted.submitted_by), (PATIENT, HOSPITAL, INSURER, BILLER));
			assert_eq!((submitted.billed, submitted.status, submitted.service_date), (BILLED, ClaimStatus::Submitted, NOW - DAY));
			assert_eq!((submitted.document, submitted.fingerprint, submitted.reference), (ClaimDocument::Record(document), Some(print(1)), Some(hash(7))));
			assert_eq!(Fingerprints::<Test>::get(print(1)), Some(id));
			assert_eq!(DocumentClaims::<Test>::get(document), Some(id));
			assert_eq!(InsuranceClaims::document_parties(document), Some((HOSPITAL, INSURER)));
			assert_eq!(InsuranceClaims::patient_claims(&PATIENT, None), vec![id]);
			assert_eq!(InsuranceClaims::provider_claims(HOSPITAL, Some(ClaimStatus::Submitted)), vec![id]);
			assert_eq!(
				last_event(),
				Event::ClaimSubmitted { claim: id, coverage, patient: PATIENT, provider: HOSPITAL, billed: BILLED, fingerprint: print(1) }
			);
		});
	}

	#[test]
	fn the_same_fingerprint_is_claimed_once_whatever_became_of_the_first_claim() {
		run(|| {
			let id = claim();
			assert_noop!(submit_for(0, NOW - DAY, print(1), BILLED), Error::<Test>::DuplicateClaim);
			assert_ok!(decide(id, deny()));
			assert_noop!(submit_for(0, NOW - 2 * DAY, print(1), BILLED + 1), Error::<Test>::DuplicateClaim);
			assert_ok!(submit_for(0, NOW - DAY, print(2), BILLED));
		});
	}

	#[test]
	fn only_services_within_the_coverage_period() {
		run(|| {
			let coverage = cover();
			assert_noop!(submit_for(coverage, START - 1, print(1), BILLED), Error::<Test>::OutsideCoverage);
			assert_ok!(submit_for(coverage, START, print(1), BILLED));
			assert_noop!(submit_for(coverage, NOW + 1, print(2), BILLED), Error::<Test>::ServiceInFuture);
			assert_ok!(submit_for(coverage, NOW, print(2), BILLED));
			set_now(NOW + DAY);
			assert_ok!(InsuranceClaims::end_coverage(signed(ADJUSTER), coverage));
			set_now(NOW + 2 * DAY);
			assert_ok!(submit_for(coverage, NOW + DAY - 1, print(3), BILLED));
			assert_noop!(submit_for(coverage, NOW + DAY, print(4), BILLED), Error::<Test>::OutsideCoverage);
		});
	}

	#[test]
	fn refuses_others_and_bad_claims() {
		run(|| {
			let coverage = cover();
			let document = file_document(PATIENT, BILLER);
			let submit = |who, provider, coverage, document, fingerprint, billed| {
				InsuranceClaims::submit_claim(signed(who), provider, coverage, document, NOW - DAY, billed, fingerprint, Some(hash(7)))
			};
			assert_noop!(submit(ADJUSTER, INSURER, coverage, document, print(1), BILLED), Error::<Test>::NotProvider);
			assert_noop!(submit(BILLER, REGISTRY, coverage, document, print(1), BILLED), Error::<Test>::NotProvider);
			assert_noop!(submit(STRANGER, HOSPITAL, coverage, document, print(1), BILLED), Error::<Test>::NotClaimsOfficer);
			assert_noop!(submit(BILLER, HOSPITAL, coverage + 1, document, print(1), BILLED), Error::<Test>::UnknownCoverage);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, H256::zero().to_low_u64_be(), print(1), BILLED), Error::<Test>::NotAClaimDocument);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, document, H256::zero(), BILLED), Error::<Test>::EmptyHash);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, document, print(1), 0), Error::<Test>::ZeroAmount);
			assert_ok!(submit(BILLER, HOSPITAL, coverage, document, print(1), BILLED));
		});
	}

	#[test]
	fn a_claim_names_a_claim_document_of_its_patient_written_by_its_provider_once() {
		run(|| {
			let coverage = cover();
			let submit = |document| {
				InsuranceClaims::submit_claim(signed(BILLER), HOSPITAL, coverage, document, NOW - DAY, BILLED, print(1), None)
			};
			// Of another patient, or written by someone who does not file the provider's claims.
			identities(|i| i.patients.insert(OTHER_PATIENT));
			assert_noop!(submit(file_document(OTHER_PATIENT, BILLER)), Error::<Test>::DocumentOfAnotherPatient);
			assert_noop!(submit(file_document(PATIENT, ADJUSTER)), Error::<Test>::DocumentNotProviders);
			assert_noop!(submit(file_document(PATIENT, STRANGER)), Error::<Test>::DocumentNotProviders);
			// Erased by the patient.
			let erased = file_document(PATIENT, BILLER);
			identities(|i| i.documents.get_mut(&erased).unwrap().erased = true);
			assert_noop!(submit(erased), Error::<Test>::DocumentErased);
			// Filed already, for a claim or an appeal.
			let document = file_document(PATIENT, BILLER);
			assert_ok!(submit(document));
			assert_noop!(
				InsuranceClaims::submit_claim(signed(BILLER), HOSPITAL, coverage, document, NOW - DAY, BILLED, print(2), None),
				Error::<Test>::DocumentAlreadyFiled
			);
			assert_ok!(decide(0, deny()));
			assert_noop!(InsuranceClaims::appeal_claim(signed(BILLER), 0, document), Error::<Test>::DocumentAlreadyFiled);
		});
	}
}

mod lifecycle {
	use super::*;

	#[test]
	fn partially_approved_appealed_approved_and_paid() {
		run(|| {
			let id = claim();
			assert_ok!(decide(id, partial()));
			let decided = Claims::<Test>::get(id).unwrap();
			assert_eq!((decided.status, decided.allowed, decided.decided_at), (ClaimStatus::PartiallyApproved, Some(9_000), Some(NOW)));
			assert_eq!(decided.adjustments.len(), 2);
			assert_eq!(
				last_event(),
				Event::ClaimAdjudicated { claim: id, status: ClaimStatus::PartiallyApproved, allowed: 9_000, on_appeal: false }
			);
			let appeal_document = file_document(PATIENT, BILLER);
			assert_ok!(InsuranceClaims::appeal_claim(signed(BILLER), id, appeal_document));
			assert_eq!(status(id), ClaimStatus::Appealed);
			assert_eq!(last_event(), Event::ClaimAppealed { claim: id, appeal: appeal_document });
			assert_eq!(Claims::<Test>::get(id).unwrap().appeal, Some(ClaimDocument::Record(appeal_document)));
			assert_eq!(InsuranceClaims::document_parties(appeal_document), Some((HOSPITAL, INSURER)));
			assert_ok!(decide(id, Decision::Approve));
			assert_eq!(
				last_event(),
				Event::ClaimAdjudicated { claim: id, status: ClaimStatus::Approved, allowed: BILLED, on_appeal: true }
			);
			assert_ok!(pay(id));
			let paid = Claims::<Test>::get(id).unwrap();
			assert_eq!((paid.status, paid.payment_reference), (ClaimStatus::Paid, Some(hash(3))));
			assert_eq!(last_event(), Event::ClaimPaid { claim: id, amount: BILLED, payment_reference: hash(3) });
			assert_eq!(InsuranceClaims::patient_claims(&PATIENT, Some(ClaimStatus::Paid)), vec![id]);
			assert!(InsuranceClaims::patient_claims(&PATIENT, Some(ClaimStatus::Submitted)).is_empty());
		});
	}

	/// Every action from every state: allowed where the state machine says so, refused with
	/// its named error everywhere else.
	#[test]
	fn every_transition_legal_and_illegal() {
		use ClaimStatus::*;
		// How to bring a new claim to each state.
		let reach = |state: ClaimStatus| -> ClaimId {
			let id = claim();
			match state {
				Submitted => {},
				Approved => {
					assert_ok!(decide(id, Decision::Approve));
				},
				PartiallyApproved => {
					assert_ok!(decide(id, partial()));
				},
				Denied => {
					assert_ok!(decide(id, deny()));
				},
				Appealed => {
					assert_ok!(decide(id, deny()));
					assert_ok!(appeal(id));
				},
				Paid => {
					assert_ok!(decide(id, Decision::Approve));
					assert_ok!(pay(id));
				},
			}
			assert_eq!(status(id), state);
			id
		};
		let table: [(ClaimStatus, Result<ClaimStatus, Error<Test>>, Result<ClaimStatus, Error<Test>>, Result<ClaimStatus, Error<Test>>); 6] = [
			// state, adjudicate (approve), pay, appeal
			(Submitted, Ok(Approved), Err(Error::NotPayable), Err(Error::NotAppealable)),
			(Approved, Err(Error::NotAwaitingDecision), Ok(Paid), Err(Error::NotAppealable)),
			(PartiallyApproved, Err(Error::NotAwaitingDecision), Ok(Paid), Ok(Appealed)),
			(Denied, Err(Error::NotAwaitingDecision), Err(Error::NotPayable), Ok(Appealed)),
			(Appealed, Ok(Approved), Err(Error::NotPayable), Err(Error::NotAppealable)),
			(Paid, Err(Error::NotAwaitingDecision), Err(Error::NotPayable), Err(Error::NotAppealable)),
		];
		for (state, on_adjudicate, on_pay, on_appeal) in table {
			for (action, expected) in [("adjudicate", on_adjudicate), ("pay", on_pay), ("appeal", on_appeal)] {
				run(|| {
					let id = reach(state);
					let act = || match action {
						"adjudicate" => decide(id, Decision::Approve),
						"pay" => pay(id),
						_ => appeal(id),
					};
					match expected {
						Ok(next) => {
							assert_ok!(act());
							assert_eq!(status(id), next, "{state:?} --{action}--> {next:?}");
						},
						Err(error) => {
							assert_noop!(act(), error);
						},
					}
				});
			}
		}
	}

	#[test]
	fn a_claim_is_appealed_once_within_the_window() {
		run(|| {
			let id = claim();
			assert_ok!(decide(id, deny()));
			set_now(NOW + APPEAL_WINDOW);
			assert_noop!(appeal(id), Error::<Test>::AppealWindowClosed);
			set_now(NOW + APPEAL_WINDOW - 1);
			assert_ok!(appeal(id));
			assert_ok!(decide(id, deny()));
			assert_noop!(appeal(id), Error::<Test>::AlreadyAppealed);
		});
	}

	#[test]
	fn partial_approvals_must_balance() {
		run(|| {
			let id = claim();
			let partially = |allowed, adjustments: Vec<(&str, Amount)>| {
				decide(
					id,
					Decision::PartiallyApprove {
						allowed,
						adjustments: adjustments.into_iter().map(|(r, a)| (r.as_bytes().to_vec(), a)).collect(),
					},
				)
			};
			assert_noop!(partially(0, vec![("CO-45", BILLED)]), Error::<Test>::InvalidAllowedAmount);
			assert_noop!(partially(BILLED, vec![("CO-45", 0)]), Error::<Test>::InvalidAllowedAmount);
			assert_noop!(partially(9_000, vec![]), Error::<Test>::NoAdjustments);
			assert_noop!(
				partially(9_000, vec![("A", 1_000), ("B", 1_000), ("C", 1_000)]),
				Error::<Test>::TooManyAdjustments
			);
			assert_noop!(partially(9_000, vec![("CO 45", 3_000)]), Error::<Test>::InvalidReasonCode);
			assert_noop!(partially(9_000, vec![("CO-4500", 3_000)]), Error::<Test>::InvalidReasonCode);
			assert_noop!(partially(9_000, vec![("CO-45", 2_999)]), Error::<Test>::AdjustmentsDoNotBalance);
			assert_noop!(partially(9_000, vec![("CO-45", u128::MAX), ("PR-1", 1)]), Error::<Test>::AdjustmentsDoNotBalance);
			assert_noop!(decide(id, Decision::Deny { reason: vec![] }), Error::<Test>::InvalidReasonCode);
			assert_ok!(partially(9_000, vec![("CO-45", 3_000)]));
		});
	}

	#[test]
	fn refuses_other_organisations_and_unknown_claims() {
		run(|| {
			let id = claim();
			assert_noop!(InsuranceClaims::adjudicate_claim(signed(RIVAL_ADJUSTER), id, Decision::Approve), Error::<Test>::NotClaimsOfficer);
			assert_noop!(InsuranceClaims::adjudicate_claim(signed(BILLER), id, Decision::Approve), Error::<Test>::NotClaimsOfficer);
			assert_noop!(decide(id + 1, Decision::Approve), Error::<Test>::UnknownClaim);
			assert_ok!(decide(id, deny()));
			let document = file_document(PATIENT, BILLER);
			assert_noop!(InsuranceClaims::appeal_claim(signed(ADJUSTER), id, document), Error::<Test>::NotClaimsOfficer);
			assert_noop!(InsuranceClaims::appeal_claim(signed(BILLER), id + 1, document), Error::<Test>::UnknownClaim);
			assert_noop!(InsuranceClaims::appeal_claim(signed(BILLER), id, 7), Error::<Test>::NotAClaimDocument);
			assert_ok!(appeal(id));
			assert_ok!(decide(id, Decision::Approve));
			assert_noop!(InsuranceClaims::mark_paid(signed(BILLER), id, hash(3)), Error::<Test>::NotClaimsOfficer);
			assert_noop!(InsuranceClaims::mark_paid(signed(RIVAL_ADJUSTER), id, hash(3)), Error::<Test>::NotClaimsOfficer);
			assert_noop!(InsuranceClaims::mark_paid(signed(ADJUSTER), id + 1, hash(3)), Error::<Test>::UnknownClaim);
			assert_noop!(InsuranceClaims::mark_paid(signed(ADJUSTER), id, H256::zero()), Error::<Test>::EmptyHash);
			// The insurer is suspended: its officers act no more.
			identities(|i| {
				i.insurers.remove(&INSURER);
			});
			assert_noop!(pay(id), Error::<Test>::NotInsurer);
		});
	}
}

#[test]
fn try_state_finds_a_fingerprint_or_a_document_of_no_claim() {
	new_test_ext().execute_with(|| {
		identities(|i| {
			i.patients.insert(PATIENT);
			i.insurers.insert(INSURER);
			i.providers.insert(HOSPITAL);
			i.officers.extend([(BILLER, HOSPITAL), (ADJUSTER, INSURER)]);
		});
		claim();
		assert_ok!(InsuranceClaims::do_try_state());
		Fingerprints::<Test>::insert(hash(9), 0);
		assert!(InsuranceClaims::do_try_state().is_err());
		Fingerprints::<Test>::remove(hash(9));
		DocumentClaims::<Test>::insert(77, 0);
		assert!(InsuranceClaims::do_try_state().is_err());
		DocumentClaims::<Test>::remove(77);
		assert_ok!(InsuranceClaims::do_try_state());
	});
}

#[test]
fn the_configured_bounds_pass_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<InsuranceClaims as Hooks<u64>>::integrity_test();
	});
}

mod migrations {
	use super::*;
	use crate::migrations::v2::{MigrateToV2, OldClaim, OldClaimOf};
	use codec::Encode;
	use frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};

	/// A claim as version 1 stored it, with its codes in the clear.
	fn old_claim(service_date: Moment, appealed: bool) -> OldClaimOf<Test> {
		OldClaim {
			coverage: 0,
			patient: PATIENT,
			provider: HOSPITAL,
			insurer: INSURER,
			submitted_by: BILLER,
			document_hash: hash(2),
			service_date,
			procedure_codes: vec![b"99213".to_vec()],
			diagnosis_codes: vec![b"E11.9".to_vec()],
			billed: BILLED,
			reference: None,
			fingerprint: hash(0x40 + service_date as u8),
			status: if appealed { ClaimStatus::Appealed } else { ClaimStatus::Submitted },
			allowed: appealed.then_some(0),
			adjustments: Default::default(),
			submitted_at: NOW,
			decided_at: appealed.then_some(NOW),
			appeal_hash: appealed.then_some(hash(4)),
			payment_reference: None,
		}
	}

	/// Writes `claims` as a chain at `version` stored them.
	fn stored_before(version: u16, claims: Vec<OldClaimOf<Test>>) {
		cover();
		for (id, claim) in claims.into_iter().enumerate() {
			let id = id as ClaimId;
			unhashed::put_raw(&Claims::<Test>::hashed_key_for(id), &claim.encode());
			Fingerprints::<Test>::insert(claim.fingerprint, id);
			PatientClaims::<Test>::insert(PATIENT, id, ());
			ProviderClaims::<Test>::insert(HOSPITAL, id, ());
			NextClaimId::<Test>::put(id + 1);
		}
		StorageVersion::new(version).put::<InsuranceClaims>();
	}

	fn assert_migrated() {
		assert_eq!(InsuranceClaims::on_chain_storage_version(), 2);
		let first = Claims::<Test>::get(0).expect("the first claim decodes in the new layout");
		assert_eq!((first.document, first.fingerprint, first.appeal), (ClaimDocument::Hash(hash(2)), None, None));
		assert_eq!((first.patient, first.billed, first.status), (PATIENT, BILLED, ClaimStatus::Submitted));
		let appealed = Claims::<Test>::get(1).unwrap();
		assert_eq!((appealed.status, appealed.appeal), (ClaimStatus::Appealed, Some(ClaimDocument::Hash(hash(4)))));
		assert_eq!(Fingerprints::<Test>::iter().count(), 0);
		// Nothing of the codes is left in the claims' storage.
		for (_, claim) in Claims::<Test>::iter() {
			let bytes = claim.encode();
			for code in [&b"99213"[..], &b"E11.9"[..]] {
				assert!(!bytes.windows(code.len()).any(|w| w == code), "a code survived the migration");
			}
		}
		assert_ok!(InsuranceClaims::do_try_state());
		// New claims are submitted as before.
		assert_ok!(submit_for(0, NOW - DAY, print(1), BILLED));
	}

	#[test]
	fn v2_drops_codes_and_unkeyed_fingerprints_from_version_1() {
		run(|| {
			stored_before(1, vec![old_claim(NOW - 2 * DAY, false), old_claim(NOW - 3 * DAY, true)]);
			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_migrated();
		});
	}

	#[test]
	fn v2_migrates_a_chain_at_version_0_as_well_and_runs_once() {
		run(|| {
			stored_before(0, vec![old_claim(NOW - 2 * DAY, false), old_claim(NOW - 3 * DAY, true)]);
			MigrateToV2::<Test>::on_runtime_upgrade();
			let after = Claims::<Test>::get(0).encode();
			// A second run finds version 2 and leaves everything alone.
			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(Claims::<Test>::get(0).encode(), after);
			assert_migrated();
		});
	}

	#[test]
	fn a_new_chain_starts_at_version_2() {
		run(|| {
			assert_eq!(InsuranceClaims::in_code_storage_version(), 2);
		});
	}
}
