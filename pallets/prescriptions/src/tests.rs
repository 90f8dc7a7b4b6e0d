//! Tests of the prescriptions pallet: every call's success, each of its errors and each
//! refused caller, validity and refills at the boundary, atomic dispensing, the commitments
//! to patient and item, the index by MedicationRequest, and the migrations to versions 2 and
//! 3. Every test ends with the pallet's `try_state` check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchError;

const PATIENT: AccountId = 1;
const GUARDIAN: AccountId = 2;
const DOCTOR: AccountId = 10;
const PSYCHIATRIST: AccountId = 11;
const PHARMACIST: AccountId = 20;
const NARCOTICS_PHARMACIST: AccountId = 21;
const REGULATOR: AccountId = 30;
const STRANGER: AccountId = 99;

const PHARMACY: OrganisationId = 3;
const OTHER_PHARMACY: OrganisationId = 4;

const INSULIN: ProductCode = 7;
const OPIOID: ProductCode = 8;
const OTHER_DRUG: ProductCode = 9;
const UNKNOWN_DRUG: ProductCode = 6;

const DAY: Moment = 24 * 3_600_000;
const UNTIL: Moment = NOW + 30 * DAY;
/// The refill interval of the tests' prescriptions with refills: a week, the least the mock's
/// regulator allows for controlled substances.
const WEEK: Moment = 7 * DAY;

/// The salts in the tests' MedicationRequests.
const PATIENT_SALT: Salt = [0xa5; 32];
const ITEM_SALT: Salt = [0x5a; 32];

type DispatchResult = Result<(), DispatchError>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn run(test: impl FnOnce()) {
	run_test(|| {
		world(|w| {
			w.patients.insert(PATIENT);
			w.guardians.insert((GUARDIAN, PATIENT));
			w.prescribers.extend([DOCTOR, PSYCHIATRIST]);
			w.pharmacists.extend([(PHARMACIST, PHARMACY), (NARCOTICS_PHARMACIST, PHARMACY)]);
			w.controlled_handlers.extend([PSYCHIATRIST, NARCOTICS_PHARMACIST]);
			w.regulators.insert(REGULATOR);
			w.products.extend([(INSULIN, false), (OPIOID, true), (OTHER_DRUG, false)]);
			for product in [INSULIN, OPIOID, OTHER_DRUG] {
				w.stock.extend((0..20).map(|s| (PHARMACY, product, s)));
			}
		});
		test();
	})
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::PrescriptionsPallet(e) = r.event { Some(e) } else { None })
		.expect("a prescriptions event")
}

/// Issues a prescription; one with refills has them a week apart.
fn issue(who: AccountId, product: ProductCode, quantity: u32, refills: u32, from: Moment, until: Moment) -> DispatchResult {
	let interval = if refills > 0 { WEEK } else { 0 };
	issue_every(who, product, quantity, refills, interval, from, until)
}

fn issue_every(
	who: AccountId,
	product: ProductCode,
	quantity: u32,
	refills: u32,
	interval: Moment,
	from: Moment,
	until: Moment,
) -> DispatchResult {
	// The prescriber declares a controlled substance when the product is one.
	let controlled = world(|w| w.products.get(&product).copied().unwrap_or(false));
	PrescriptionsPallet::issue_prescription(
		signed(who),
		PrescriptionsPallet::patient_commitment(&PATIENT, &PATIENT_SALT),
		H256::repeat_byte(1),
		PrescriptionsPallet::item_commitment(&product, quantity, &ITEM_SALT),
		controlled,
		refills,
		interval,
		from,
		until,
	)
}

/// The doctor prescribes two units of insulin with one refill, valid from now for 30 days.
fn insulin() -> PrescriptionId {
	assert_ok!(issue(DOCTOR, INSULIN, 2, 1, NOW, UNTIL));
	NextPrescriptionId::<Test>::get() - 1
}

/// `who` dispenses the units `serials` of `product` at the pharmacy, opening the item
/// commitment with the MedicationRequest's salt.
fn dispense_of(who: AccountId, id: PrescriptionId, product: ProductCode, serials: &[SerialNumber]) -> DispatchResult {
	PrescriptionsPallet::dispense_prescription(signed(who), id, PHARMACY, product, ITEM_SALT, serials.to_vec())
}

fn dispense(who: AccountId, id: PrescriptionId, serials: &[SerialNumber]) -> DispatchResult {
	dispense_of(who, id, INSULIN, serials)
}

/// `who` cancels, opening the patient commitment as `patient` with `salt`, if given.
fn cancel(who: AccountId, id: PrescriptionId, opening: Option<(AccountId, Salt)>) -> DispatchResult {
	PrescriptionsPallet::cancel_prescription(signed(who), id, opening)
}

const AS_PATIENT: Option<(AccountId, Salt)> = Some((PATIENT, PATIENT_SALT));

mod issue_prescription {
	use super::*;

	#[test]
	fn it_is_found_by_its_medication_request_and_a_second_one_of_the_same_document_too() {
		run(|| {
			let first = insulin();
			assert_eq!(PrescriptionsByRequest::<Test>::iter_key_prefix(H256::repeat_byte(1)).collect::<Vec<_>>(), vec![first]);
			// Nothing stops a prescriber from issuing a document twice: both are found, and
			// the patient's application tells them apart by their commitments.
			let second = insulin();
			let mut found: Vec<_> = PrescriptionsByRequest::<Test>::iter_key_prefix(H256::repeat_byte(1)).collect();
			found.sort();
			assert_eq!(found, vec![first, second]);
			assert_eq!(PrescriptionsByRequest::<Test>::iter_key_prefix(H256::repeat_byte(2)).count(), 0);
		});
	}

	#[test]
	fn a_refused_prescription_is_not_indexed() {
		run(|| {
			assert_noop!(issue(STRANGER, INSULIN, 2, 1, NOW, UNTIL), Error::<Test>::NotPrescriber);
			assert_eq!(PrescriptionsByRequest::<Test>::iter().count(), 0);
		});
	}

	#[test]
	fn a_licensed_practitioner_prescribes() {
		run(|| {
			let id = insulin();
			assert_eq!(
				Prescriptions::<Test>::get(id).unwrap(),
				Prescription {
					patient_commitment: PrescriptionsPallet::patient_commitment(&PATIENT, &PATIENT_SALT),
					prescriber: DOCTOR,
					medication_request_hash: H256::repeat_byte(1),
					item_commitment: PrescriptionsPallet::item_commitment(&INSULIN, 2, &ITEM_SALT),
					controlled: false,
					refills: 1,
					refill_interval: WEEK,
					fills: 0,
					last_filled_at: None,
					valid_from: NOW,
					valid_until: UNTIL,
					status: PrescriptionStatus::Active
				}
			);
			assert_eq!(
				last_event(),
				Event::PrescriptionIssued {
					prescription: id,
					prescriber: DOCTOR,
					controlled: false,
					refills: 1,
					refill_interval: WEEK,
					valid_until: UNTIL
				}
			);
		});
	}

	#[test]
	fn controlled_substances_need_the_authorisation() {
		run(|| {
			assert_noop!(issue(DOCTOR, OPIOID, 1, 0, NOW, UNTIL), Error::<Test>::NotAuthorisedForControlled);
			assert_ok!(issue(PSYCHIATRIST, OPIOID, 1, 0, NOW, UNTIL));
			assert!(Prescriptions::<Test>::get(0).unwrap().controlled);
		});
	}

	#[test]
	fn controlled_substances_stay_within_the_regulators_limits() {
		run(|| {
			// The mock's regulator allows one refill of at most two units, a week apart.
			assert_noop!(issue(PSYCHIATRIST, OPIOID, 1, 2, NOW, UNTIL), Error::<Test>::ControlledRefillsExceeded);
			// The quantity is committed: it is held to the limit when the pharmacy opens it.
			assert_ok!(issue(PSYCHIATRIST, OPIOID, 3, 0, NOW, UNTIL));
			assert_noop!(dispense_of(NARCOTICS_PHARMACIST, 0, OPIOID, &[1, 2, 3]), Error::<Test>::ControlledQuantityExceeded);
			assert_noop!(
				issue_every(PSYCHIATRIST, OPIOID, 1, 1, WEEK - 1, NOW, UNTIL),
				Error::<Test>::ControlledIntervalTooShort
			);
			assert_ok!(issue(PSYCHIATRIST, OPIOID, 2, 1, NOW, UNTIL));
			// Other products are not bound by them.
			assert_ok!(issue_every(DOCTOR, INSULIN, 3, 2, DAY, NOW, UNTIL));
		});
	}

	#[test]
	fn a_regulator_sets_the_limits_within_the_pallets_bounds() {
		run(|| {
			let limits = ControlledLimits { max_refills: 2, max_units_per_fill: 3, min_refill_interval: DAY };
			for who in [STRANGER, DOCTOR, PSYCHIATRIST, PHARMACIST, PATIENT] {
				assert_noop!(
					PrescriptionsPallet::set_controlled_limits(signed(who), limits),
					Error::<Test>::NotRegulator
				);
			}
			assert_noop!(
				PrescriptionsPallet::set_controlled_limits(RuntimeOrigin::root(), limits),
				DispatchError::BadOrigin
			);
			for bad in [
				ControlledLimits { max_units_per_fill: 0, ..limits },
				ControlledLimits { max_units_per_fill: 4, ..limits },
				ControlledLimits { max_refills: 3, ..limits },
			] {
				assert_noop!(
					PrescriptionsPallet::set_controlled_limits(signed(REGULATOR), bad),
					Error::<Test>::InvalidLimits
				);
			}
			assert_ok!(PrescriptionsPallet::set_controlled_limits(signed(REGULATOR), limits));
			assert_eq!(ControlledSubstanceLimits::<Test>::get(), limits);
			assert_eq!(last_event(), Event::ControlledLimitsSet { limits, by: REGULATOR });
			assert_ok!(issue_every(PSYCHIATRIST, OPIOID, 3, 2, DAY, NOW, UNTIL));
		});
	}

	#[test]
	fn refuses_others_and_bad_terms() {
		run(|| {
			for who in [STRANGER, PHARMACIST, PATIENT] {
				assert_noop!(issue(who, INSULIN, 1, 0, NOW, UNTIL), Error::<Test>::NotPrescriber);
			}
			let raw = |patient: H256, request: H256, item: H256| {
				PrescriptionsPallet::issue_prescription(signed(DOCTOR), patient, request, item, false, 0, 0, NOW, UNTIL)
			};
			let (one, request) = (H256::repeat_byte(9), H256::repeat_byte(1));
			assert_noop!(raw(one, H256::zero(), one), Error::<Test>::EmptyRequestHash);
			assert_noop!(raw(H256::zero(), request, one), Error::<Test>::EmptyCommitment);
			assert_noop!(raw(one, request, H256::zero()), Error::<Test>::EmptyCommitment);
			assert_noop!(issue(DOCTOR, INSULIN, 1, 3, NOW, UNTIL), Error::<Test>::TooManyRefills);
			assert_noop!(issue_every(DOCTOR, INSULIN, 1, 1, 0, NOW, UNTIL), Error::<Test>::NoRefillInterval);
			assert_noop!(issue(DOCTOR, INSULIN, 1, 0, UNTIL, UNTIL), Error::<Test>::InvalidValidity);
			assert_noop!(issue(DOCTOR, INSULIN, 1, 0, NOW - 2, NOW), Error::<Test>::ExpiryInPast);
			assert_ok!(issue(DOCTOR, INSULIN, 3, 2, NOW - 2, NOW + 1));
		});
	}
}

mod dispense_prescription {
	use super::*;

	#[test]
	fn a_pharmacist_dispenses_each_fill_and_the_units_are_decommissioned() {
		run(|| {
			let id = insulin();
			assert_ok!(dispense(PHARMACIST, id, &[1, 2]));
			assert_eq!(world(|w| w.dispensed.clone()), vec![(PHARMACY, INSULIN, 1), (PHARMACY, INSULIN, 2)]);
			assert_eq!(
				last_event(),
				Event::PrescriptionDispensed {
					prescription: id,
					pharmacy: PHARMACY,
					pharmacist: PHARMACIST,
					fill_number: 1,
					product: INSULIN,
					serials: vec![1, 2]
				}
			);
			assert_eq!(Prescriptions::<Test>::get(id).unwrap().status, PrescriptionStatus::Active);
			// The refill comes a week after the first fill, not sooner.
			set_now(NOW + WEEK - 1);
			assert_noop!(dispense(PHARMACIST, id, &[3, 4]), Error::<Test>::RefillTooSoon);
			set_now(NOW + WEEK);
			assert_ok!(dispense(PHARMACIST, id, &[3, 4]));
			assert_eq!(Prescriptions::<Test>::get(id).unwrap().last_filled_at, Some(NOW + WEEK));
			let done = Prescriptions::<Test>::get(id).unwrap();
			assert_eq!((done.fills, done.status), (2, PrescriptionStatus::Completed));
			// No dispense past the refills.
			assert_noop!(dispense(PHARMACIST, id, &[5, 6]), Error::<Test>::NoFillsLeft);
		});
	}

	#[test]
	fn a_unit_the_dispensary_refuses_refuses_the_whole_fill() {
		run(|| {
			let id = insulin();
			assert_ok!(dispense(PHARMACIST, id, &[1, 2]));
			set_now(NOW + WEEK);
			// Unit 2 was dispensed already: nothing of this fill happens.
			assert_noop!(dispense(PHARMACIST, id, &[3, 2]), NOT_DISPENSABLE);
			assert_eq!(Prescriptions::<Test>::get(id).unwrap().fills, 1);
		});
	}

	#[test]
	fn refuses_unlicensed_pharmacists_and_wrong_units() {
		run(|| {
			let id = insulin();
			assert_noop!(dispense(PHARMACIST, id + 1, &[1, 2]), Error::<Test>::UnknownPrescription);
			for who in [STRANGER, DOCTOR, PATIENT] {
				assert_noop!(dispense(who, id, &[1, 2]), Error::<Test>::NotPharmacist);
			}
			assert_noop!(
				PrescriptionsPallet::dispense_prescription(signed(PHARMACIST), id, OTHER_PHARMACY, INSULIN, ITEM_SALT, vec![1, 2]),
				Error::<Test>::NotPharmacist
			);
			// Another quantity, another product or another salt does not open the commitment.
			assert_noop!(dispense(PHARMACIST, id, &[1]), Error::<Test>::NotThePrescribedItem);
			assert_noop!(dispense(PHARMACIST, id, &[1, 2, 3]), Error::<Test>::NotThePrescribedItem);
			assert_noop!(dispense_of(PHARMACIST, id, OTHER_DRUG, &[1, 2]), Error::<Test>::NotThePrescribedItem);
			assert_noop!(
				PrescriptionsPallet::dispense_prescription(signed(PHARMACIST), id, PHARMACY, INSULIN, [0; 32], vec![1, 2]),
				Error::<Test>::NotThePrescribedItem
			);
			assert_noop!(dispense(PHARMACIST, id, &[]), Error::<Test>::InvalidQuantity);
			assert_noop!(dispense(PHARMACIST, id, &[1, 2, 3, 4]), Error::<Test>::InvalidQuantity);
			// A product no longer registered is not dispensed.
			assert_ok!(issue(DOCTOR, UNKNOWN_DRUG, 1, 0, NOW, UNTIL));
			assert_noop!(dispense_of(PHARMACIST, id + 1, UNKNOWN_DRUG, &[1]), Error::<Test>::UnknownProduct);
		});
	}

	#[test]
	fn controlled_substances_need_the_authorisation_to_dispense() {
		run(|| {
			assert_ok!(issue(PSYCHIATRIST, OPIOID, 1, 0, NOW, UNTIL));
			assert_noop!(dispense_of(PHARMACIST, 0, OPIOID, &[1]), Error::<Test>::NotAuthorisedForControlled);
			assert_ok!(dispense_of(NARCOTICS_PHARMACIST, 0, OPIOID, &[1]));
		});
	}

	#[test]
	fn a_controlled_substance_not_declared_as_one_is_not_dispensed() {
		run(|| {
			// The doctor, not authorised for controlled substances, commits to an opioid and
			// declares none: the pharmacy opens the commitment and finds one.
			assert_ok!(PrescriptionsPallet::issue_prescription(
				signed(DOCTOR),
				PrescriptionsPallet::patient_commitment(&PATIENT, &PATIENT_SALT),
				H256::repeat_byte(1),
				PrescriptionsPallet::item_commitment(&OPIOID, 1, &ITEM_SALT),
				false,
				0,
				0,
				NOW,
				UNTIL
			));
			assert_noop!(dispense_of(NARCOTICS_PHARMACIST, 0, OPIOID, &[1]), Error::<Test>::ControlledNotDeclared);
		});
	}

	#[test]
	fn nothing_is_dispensed_for_a_prescriber_who_lost_standing() {
		run(|| {
			let id = insulin();
			assert_ok!(issue(PSYCHIATRIST, OPIOID, 1, 0, NOW, UNTIL));
			// The psychiatrist's controlled-substance authorisation lapses: the opioid waits.
			world(|w| w.controlled_handlers.remove(&PSYCHIATRIST));
			assert_noop!(dispense_of(NARCOTICS_PHARMACIST, id + 1, OPIOID, &[1]), Error::<Test>::PrescriberLapsed);
			// The doctor's licence lapses: nothing of the doctor's is dispensed.
			world(|w| w.prescribers.remove(&DOCTOR));
			assert_noop!(dispense(PHARMACIST, id, &[1, 2]), Error::<Test>::PrescriberLapsed);
			world(|w| w.prescribers.insert(DOCTOR));
			assert_ok!(dispense(PHARMACIST, id, &[1, 2]));
		});
	}

	#[test]
	fn only_within_the_validity_period() {
		run(|| {
			assert_ok!(issue_every(DOCTOR, INSULIN, 1, 2, DAY, NOW + DAY, UNTIL));
			set_now(NOW + DAY - 1);
			assert_noop!(dispense(PHARMACIST, 0, &[1]), Error::<Test>::NotYetValid);
			set_now(NOW + DAY);
			assert_ok!(dispense(PHARMACIST, 0, &[1]));
			set_now(UNTIL - 1);
			assert_ok!(dispense(PHARMACIST, 0, &[2]));
			set_now(UNTIL);
			assert_noop!(dispense(PHARMACIST, 0, &[3]), Error::<Test>::PrescriptionExpired);
		});
	}
}

mod cancel_prescription {
	use super::*;

	#[test]
	fn the_prescriber_or_the_patient_or_a_guardian_opening_the_commitment_cancels() {
		run(|| {
			for (who, opening) in [(DOCTOR, None), (PATIENT, AS_PATIENT), (GUARDIAN, AS_PATIENT)] {
				let id = insulin();
				assert_ok!(cancel(who, id, opening));
				assert_eq!(
					Prescriptions::<Test>::get(id).unwrap().status,
					PrescriptionStatus::Cancelled { by: who, at: NOW }
				);
				assert_eq!(last_event(), Event::PrescriptionCancelled { prescription: id, by: who });
				assert_noop!(dispense(PHARMACIST, id, &[1, 2]), Error::<Test>::PrescriptionCancelled);
			}
		});
	}

	#[test]
	fn refuses_others_wrong_openings_unknown_cancelled_and_completed() {
		run(|| {
			let id = insulin();
			for who in [STRANGER, PSYCHIATRIST, PHARMACIST] {
				assert_noop!(cancel(who, id, None), Error::<Test>::NotPrescriberOrPatient);
				// Knowing the opening is not enough: the caller must act for the patient.
				assert_noop!(cancel(who, id, AS_PATIENT), Error::<Test>::NotPrescriberOrPatient);
			}
			// The patient without an opening, or with a wrong one.
			assert_noop!(cancel(PATIENT, id, None), Error::<Test>::NotPrescriberOrPatient);
			assert_noop!(cancel(PATIENT, id, Some((PATIENT, [0; 32]))), Error::<Test>::WrongOpening);
			assert_noop!(cancel(GUARDIAN, id, Some((GUARDIAN, PATIENT_SALT))), Error::<Test>::WrongOpening);
			assert_noop!(cancel(DOCTOR, id + 1, None), Error::<Test>::UnknownPrescription);
			assert_ok!(cancel(DOCTOR, id, None));
			assert_noop!(cancel(PATIENT, id, AS_PATIENT), Error::<Test>::PrescriptionCancelled);
			assert_ok!(issue(DOCTOR, INSULIN, 1, 0, NOW, UNTIL));
			assert_ok!(dispense(PHARMACIST, id + 1, &[1]));
			assert_noop!(cancel(DOCTOR, id + 1, None), Error::<Test>::NoFillsLeft);
		});
	}
}

/// Runs `test` without the final `try_state` (it breaks the state on purpose) on a chain with
/// the doctor's insulin prescription, whose id it is given.
fn with_a_prescription_to_break(test: impl FnOnce(PrescriptionId)) {
	new_test_ext().execute_with(|| {
		world(|w| {
			w.patients.insert(PATIENT);
			w.prescribers.insert(DOCTOR);
			w.products.insert(INSULIN, false);
		});
		test(insulin());
	});
}

#[test]
fn try_state_finds_a_status_that_disagrees_with_the_fills() {
	with_a_prescription_to_break(|id| {
		assert_ok!(PrescriptionsPallet::do_try_state());
		Prescriptions::<Test>::mutate(id, |p| p.as_mut().unwrap().fills = 2);
		assert!(PrescriptionsPallet::do_try_state().is_err());
	});
}

#[test]
fn try_state_finds_an_index_that_disagrees_with_the_prescriptions() {
	with_a_prescription_to_break(|id| {
		// Missing, under another document, and an entry for no prescription: each is found.
		PrescriptionsByRequest::<Test>::remove(H256::repeat_byte(1), id);
		assert_eq!(PrescriptionsPallet::do_try_state(), Err("a prescription is not indexed under its MedicationRequest".into()));
		PrescriptionsByRequest::<Test>::insert(H256::repeat_byte(1), id, ());
		PrescriptionsByRequest::<Test>::insert(H256::repeat_byte(2), id, ());
		assert_eq!(
			PrescriptionsPallet::do_try_state(),
			Err("the index names a prescription of another MedicationRequest, or none".into())
		);
		PrescriptionsByRequest::<Test>::remove(H256::repeat_byte(2), id);
		PrescriptionsByRequest::<Test>::insert(H256::repeat_byte(1), id + 1, ());
		assert!(PrescriptionsPallet::do_try_state().is_err());
		PrescriptionsByRequest::<Test>::remove(H256::repeat_byte(1), id + 1);
		assert_ok!(PrescriptionsPallet::do_try_state());
	});
}

#[test]
fn the_configured_bounds_pass_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<PrescriptionsPallet as Hooks<u64>>::integrity_test();
	});
}

mod migrations {
	use super::*;
	use crate::migrations::{v1, v2, v3};
	use codec::Encode;
	use frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};

	/// The pharmacist fills migrated prescription `id` (two units of insulin) with the salt
	/// the migration committed under.
	fn dispense_migrated(id: PrescriptionId) -> DispatchResult {
		PrescriptionsPallet::dispense_prescription(signed(PHARMACIST), id, PHARMACY, INSULIN, v2::MIGRATED_SALT, vec![1, 2])
	}

	#[test]
	fn v2_commits_to_the_item_drops_the_patient_and_its_index_and_keeps_the_fills() {
		run(|| {
			// A prescription, half filled, and the patients' index, as version 1 stored them.
			let old = v1::Prescription {
				patient: PATIENT,
				prescriber: DOCTOR,
				medication_request_hash: H256::repeat_byte(1),
				product: INSULIN,
				controlled: false,
				quantity: 2,
				refills: 1,
				refill_interval: WEEK,
				fills: 1,
				last_filled_at: Some(NOW - WEEK),
				valid_from: NOW - WEEK,
				valid_until: UNTIL,
				status: PrescriptionStatus::<AccountId>::Active,
			};
			unhashed::put_raw(&Prescriptions::<Test>::hashed_key_for(0), &old.encode());
			v2::PatientPrescriptions::<Test>::insert(PATIENT, 0, ());
			NextPrescriptionId::<Test>::put(1);
			StorageVersion::new(1).put::<PrescriptionsPallet>();

			v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();

			assert_eq!(PrescriptionsPallet::on_chain_storage_version(), 2);
			v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
			let migrated = Prescriptions::<Test>::get(0).expect("it decodes in the new layout");
			assert_eq!(migrated.patient_commitment, H256::zero());
			assert_eq!(migrated.item_commitment, PrescriptionsPallet::item_commitment(&INSULIN, 2, &v2::MIGRATED_SALT));
			assert_eq!((migrated.fills, migrated.last_filled_at, migrated.refill_interval), (1, Some(NOW - WEEK), WEEK));
			assert_eq!(v2::PatientPrescriptions::<Test>::iter().count(), 0);
			// The patient cannot open a commitment that names nobody; the last fill is
			// dispensed with the migrated salt.
			assert_noop!(cancel(PATIENT, 0, AS_PATIENT), Error::<Test>::WrongOpening);
			assert_ok!(dispense_migrated(0));
			assert_ok!(PrescriptionsPallet::do_try_state());
		});
	}

	#[test]
	fn a_chain_at_version_0_runs_v1_then_v2() {
		run(|| {
			let old = v1::v0::Prescription {
				patient: PATIENT,
				prescriber: DOCTOR,
				medication_request_hash: H256::repeat_byte(1),
				product: INSULIN,
				controlled: false,
				quantity: 2,
				refills: 0,
				fills: 0,
				valid_from: NOW,
				valid_until: UNTIL,
				status: PrescriptionStatus::<AccountId>::Active,
			};
			unhashed::put_raw(&Prescriptions::<Test>::hashed_key_for(0), &old.encode());
			NextPrescriptionId::<Test>::put(1);
			StorageVersion::new(0).put::<PrescriptionsPallet>();

			<(v1::MigrateV0ToV1<Test>, v2::MigrateV1ToV2<Test>, v3::MigrateV2ToV3<Test>)>::on_runtime_upgrade();

			assert_eq!(PrescriptionsPallet::on_chain_storage_version(), 3);
			assert_eq!(PrescriptionsByRequest::<Test>::iter_key_prefix(H256::repeat_byte(1)).collect::<Vec<_>>(), vec![0]);
			assert_eq!(
				Prescriptions::<Test>::get(0).unwrap().item_commitment,
				PrescriptionsPallet::item_commitment(&INSULIN, 2, &v2::MIGRATED_SALT)
			);
			assert_ok!(dispense_migrated(0));
		});
	}

	#[test]
	fn v3_indexes_every_prescription_under_its_medication_request_and_runs_once() {
		run(|| {
			let [first, second] = [insulin(), insulin()];
			// As version 2 left them: prescriptions, no index.
			let _ = PrescriptionsByRequest::<Test>::clear(u32::MAX, None);
			StorageVersion::new(2).put::<PrescriptionsPallet>();
			assert!(PrescriptionsPallet::do_try_state().is_err());

			v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();

			assert_eq!(PrescriptionsPallet::on_chain_storage_version(), 3);
			let mut found: Vec<_> = PrescriptionsByRequest::<Test>::iter_key_prefix(H256::repeat_byte(1)).collect();
			found.sort();
			assert_eq!(found, vec![first, second]);
			assert_ok!(PrescriptionsPallet::do_try_state());
			// At version 3 it does nothing: an index entry removed stays removed.
			PrescriptionsByRequest::<Test>::remove(H256::repeat_byte(1), first);
			v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert!(!PrescriptionsByRequest::<Test>::contains_key(H256::repeat_byte(1), first));
			PrescriptionsByRequest::<Test>::insert(H256::repeat_byte(1), first, ());
		});
	}
}
