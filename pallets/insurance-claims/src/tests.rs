//! Tests of the claims pallet: every call's success, each of its errors and each refused
//! caller, coverage at the boundary, duplicate detection, and every legal and illegal
//! transition of the claim state machine. Every test ends with the pallet's `try_state`.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchError;

const PATIENT: AccountId = 1;
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

fn codes(list: &[&str]) -> Vec<Vec<u8>> {
	list.iter().map(|c| c.as_bytes().to_vec()).collect()
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

fn submit_for(coverage: CoverageId, service_date: Moment, procedures: &[&str], billed: Amount) -> DispatchResult {
	InsuranceClaims::submit_claim(
		signed(BILLER),
		HOSPITAL,
		coverage,
		hash(2),
		service_date,
		codes(procedures),
		codes(&["E11.9"]),
		billed,
		None,
	)
}

/// A claim for an office visit yesterday, under a new coverage.
fn claim() -> ClaimId {
	let coverage = cover();
	assert_ok!(submit_for(coverage, NOW - DAY, &["99213"], BILLED));
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
	InsuranceClaims::appeal_claim(signed(BILLER), id, hash(4))
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
			let id = claim();
			let submitted = Claims::<Test>::get(id).unwrap();
			assert_eq!((submitted.patient, submitted.provider, submitted.insurer, submitted.submitted_by), (PATIENT, HOSPITAL, INSURER, BILLER));
			assert_eq!((submitted.billed, submitted.status, submitted.service_date), (BILLED, ClaimStatus::Submitted, NOW - DAY));
			let expected = InsuranceClaims::fingerprint(&PATIENT, HOSPITAL, NOW - DAY, &submitted.procedure_codes, BILLED);
			assert_eq!(submitted.fingerprint, expected);
			assert_eq!(Fingerprints::<Test>::get(expected), Some(id));
			assert_eq!(InsuranceClaims::patient_claims(&PATIENT, None), vec![id]);
			assert_eq!(InsuranceClaims::provider_claims(HOSPITAL, Some(ClaimStatus::Submitted)), vec![id]);
			assert_eq!(
				last_event(),
				Event::ClaimSubmitted { claim: id, coverage: 0, patient: PATIENT, provider: HOSPITAL, billed: BILLED, fingerprint: expected }
			);
		});
	}

	#[test]
	fn the_same_service_is_claimed_once_whatever_became_of_the_first_claim() {
		run(|| {
			let id = claim();
			assert_noop!(submit_for(0, NOW - DAY, &["99213"], BILLED), Error::<Test>::DuplicateClaim);
			assert_ok!(decide(id, deny()));
			assert_noop!(submit_for(0, NOW - DAY, &["99213"], BILLED), Error::<Test>::DuplicateClaim);
			// Another day, procedure or amount is another service.
			assert_ok!(submit_for(0, NOW - 2 * DAY, &["99213"], BILLED));
			// The same day at another time, or the same codes in another order, is not.
			assert_noop!(submit_for(0, NOW - 2 * DAY + 1, &["99213"], BILLED), Error::<Test>::DuplicateClaim);
			assert_ok!(submit_for(0, NOW - 3 * DAY, &["99213", "36415"], BILLED));
			assert_noop!(submit_for(0, NOW - 3 * DAY + 60_000, &["36415", "99213"], BILLED), Error::<Test>::DuplicateClaim);
			assert_ok!(submit_for(0, NOW - DAY, &["99214"], BILLED));
			assert_ok!(submit_for(0, NOW - DAY, &["99213"], BILLED + 1));
		});
	}

	#[test]
	fn only_services_within_the_coverage_period() {
		run(|| {
			let coverage = cover();
			assert_noop!(submit_for(coverage, START - 1, &["99213"], BILLED), Error::<Test>::OutsideCoverage);
			assert_ok!(submit_for(coverage, START, &["99213"], BILLED));
			assert_noop!(submit_for(coverage, NOW + 1, &["99213"], BILLED), Error::<Test>::ServiceInFuture);
			assert_ok!(submit_for(coverage, NOW, &["99213"], BILLED));
			set_now(NOW + DAY);
			assert_ok!(InsuranceClaims::end_coverage(signed(ADJUSTER), coverage));
			set_now(NOW + 2 * DAY);
			// (Another procedure than the claim at NOW: the same day, the same code would be the
			// same service.)
			assert_ok!(submit_for(coverage, NOW + DAY - 1, &["99214"], BILLED));
			assert_noop!(submit_for(coverage, NOW + DAY, &["99213"], BILLED), Error::<Test>::OutsideCoverage);
		});
	}

	#[test]
	fn refuses_others_and_bad_claims() {
		run(|| {
			let coverage = cover();
			let submit = |who, provider, coverage, document: H256, procedures: &[&str], diagnoses: &[&str], billed| {
				InsuranceClaims::submit_claim(signed(who), provider, coverage, document, NOW - DAY, codes(procedures), codes(diagnoses), billed, Some(hash(7)))
			};
			assert_noop!(submit(ADJUSTER, INSURER, coverage, hash(2), &["99213"], &["E11.9"], BILLED), Error::<Test>::NotProvider);
			assert_noop!(submit(BILLER, REGISTRY, coverage, hash(2), &["99213"], &["E11.9"], BILLED), Error::<Test>::NotProvider);
			assert_noop!(submit(STRANGER, HOSPITAL, coverage, hash(2), &["99213"], &["E11.9"], BILLED), Error::<Test>::NotClaimsOfficer);
			assert_noop!(submit(BILLER, HOSPITAL, coverage + 1, hash(2), &["99213"], &["E11.9"], BILLED), Error::<Test>::UnknownCoverage);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, H256::zero(), &["99213"], &["E11.9"], BILLED), Error::<Test>::EmptyHash);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, hash(2), &[], &["E11.9"], BILLED), Error::<Test>::NoCodes);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, hash(2), &["99213"], &[], BILLED), Error::<Test>::NoCodes);
			assert_noop!(
				submit(BILLER, HOSPITAL, coverage, hash(2), &["1", "2", "3", "4"], &["E11.9"], BILLED),
				Error::<Test>::TooManyCodes
			);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, hash(2), &["99 213"], &["E11.9"], BILLED), Error::<Test>::InvalidCode);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, hash(2), &["99213"], &["E11.9000X"], BILLED), Error::<Test>::InvalidCode);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, hash(2), &["99213"], &[""], BILLED), Error::<Test>::InvalidCode);
			assert_noop!(submit(BILLER, HOSPITAL, coverage, hash(2), &["99213"], &["E11.9"], 0), Error::<Test>::ZeroAmount);
			assert_ok!(submit(BILLER, HOSPITAL, coverage, hash(2), &["99213"], &["E11.9"], BILLED));
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
			assert_ok!(appeal(id));
			assert_eq!(status(id), ClaimStatus::Appealed);
			assert_eq!(last_event(), Event::ClaimAppealed { claim: id, appeal_hash: hash(4) });
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
			assert_noop!(InsuranceClaims::appeal_claim(signed(ADJUSTER), id, hash(4)), Error::<Test>::NotClaimsOfficer);
			assert_noop!(InsuranceClaims::appeal_claim(signed(BILLER), id + 1, hash(4)), Error::<Test>::UnknownClaim);
			assert_noop!(InsuranceClaims::appeal_claim(signed(BILLER), id, H256::zero()), Error::<Test>::EmptyHash);
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
fn try_state_finds_a_fingerprint_of_no_claim() {
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
	use crate::migrations::v1::MigrateV0ToV1;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	/// The fingerprint a claim had before version 1: the exact time and the codes as given.
	fn old_fingerprint(claim: &ClaimOf<Test>) -> H256 {
		use sp_runtime::traits::{BlakeTwo256, Hash};
		<BlakeTwo256 as Hash>::hash_of(&(
			claim.patient,
			claim.provider,
			claim.service_date,
			&claim.procedure_codes,
			claim.billed,
		))
	}

	/// Gives claim `id` its old fingerprint, as a chain at version 0 stored it.
	fn as_before(id: ClaimId) {
		let mut claim = Claims::<Test>::get(id).unwrap();
		Fingerprints::<Test>::remove(claim.fingerprint);
		claim.fingerprint = old_fingerprint(&claim);
		Fingerprints::<Test>::insert(claim.fingerprint, id);
		Claims::<Test>::insert(id, claim);
	}

	#[test]
	fn v1_rekeys_fingerprints_and_keeps_every_claim_indexed() {
		run(|| {
			// Two claims of one service made before version 1 (at two times of one day) and
			// one of another service.
			cover();
			assert_ok!(submit_for(0, NOW - 2 * DAY, &["99213"], BILLED));
			assert_ok!(submit_for(0, NOW - 3 * DAY, &["99213"], BILLED));
			for id in 0..2 {
				as_before(id);
			}
			let mut later = Claims::<Test>::get(1).unwrap();
			Fingerprints::<Test>::remove(later.fingerprint);
			later.service_date = NOW - 2 * DAY + 1;
			later.fingerprint = old_fingerprint(&later);
			Fingerprints::<Test>::insert(later.fingerprint, 1);
			Claims::<Test>::insert(1, later.clone());
			assert_ok!(submit_for(0, NOW - 4 * DAY, &["99214"], BILLED));
			as_before(2);
			StorageVersion::new(0).put::<InsuranceClaims>();

			MigrateV0ToV1::<Test>::on_runtime_upgrade();

			assert_eq!(InsuranceClaims::on_chain_storage_version(), 1);
			let first = Claims::<Test>::get(0).unwrap();
			let expected = InsuranceClaims::fingerprint(&PATIENT, HOSPITAL, NOW - 2 * DAY, &first.procedure_codes, BILLED);
			assert_eq!((first.fingerprint, Fingerprints::<Test>::get(expected)), (expected, Some(0)));
			// The later claim of the same service keeps its old, still unique, fingerprint.
			assert_eq!(Claims::<Test>::get(1).unwrap().fingerprint, later.fingerprint);
			assert_eq!(Fingerprints::<Test>::get(later.fingerprint), Some(1));
			let other = Claims::<Test>::get(2).unwrap();
			assert_eq!(Fingerprints::<Test>::get(other.fingerprint), Some(2));
			assert_ok!(InsuranceClaims::do_try_state());
			// The service is refused again at any time of its day.
			assert_noop!(submit_for(0, NOW - 2 * DAY + 7, &["99213"], BILLED), Error::<Test>::DuplicateClaim);
		});
	}
}
