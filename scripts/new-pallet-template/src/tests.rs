//! Tests of the {{title_lower}} pallet: the call's success, each of its errors and each refused
//! caller. Every test ends with the pallet's `try_state` check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::DispatchError;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn a_practitioner_records_an_entry_for_a_patient() {
	run_test(|| {
		assert_ok!({{Type}}::record_entry(signed(PRACTITIONER), PATIENT, H256::repeat_byte(1)));
		assert_eq!(
			Entries::<Test>::get(PATIENT),
			Some(Entry { document_hash: H256::repeat_byte(1), recorded_by: PRACTITIONER, recorded_at: NOW })
		);
		System::assert_last_event(
			Event::EntryRecorded { patient: PATIENT, practitioner: PRACTITIONER, document_hash: H256::repeat_byte(1) }
				.into(),
		);
		// A later entry replaces it.
		assert_ok!({{Type}}::record_entry(signed(PRACTITIONER), PATIENT, H256::repeat_byte(2)));
		assert_eq!(Entries::<Test>::get(PATIENT).unwrap().document_hash, H256::repeat_byte(2));
	});
}

#[test]
fn refuses_everyone_but_practitioners_and_bad_input() {
	run_test(|| {
		let record = |origin, patient, hash| {{Type}}::record_entry(origin, patient, hash);
		let hash = H256::repeat_byte(1);
		assert_noop!(record(RuntimeOrigin::none(), PATIENT, hash), DispatchError::BadOrigin);
		assert_noop!(record(RuntimeOrigin::root(), PATIENT, hash), DispatchError::BadOrigin);
		assert_noop!(record(signed(STRANGER), PATIENT, hash), Error::<Test>::NotPractitioner);
		assert_noop!(record(signed(PATIENT), PATIENT, hash), Error::<Test>::NotPractitioner);
		assert_noop!(record(signed(PRACTITIONER), STRANGER, hash), Error::<Test>::NotAPatient);
		assert_noop!(record(signed(PRACTITIONER), PATIENT, H256::zero()), Error::<Test>::EmptyDocumentHash);
	});
}

#[test]
fn try_state_finds_an_entry_that_breaks_the_rules() {
	new_test_ext().execute_with(|| {
		Entries::<Test>::insert(PATIENT, Entry { document_hash: H256::zero(), recorded_by: PRACTITIONER, recorded_at: NOW });
		assert!({{Type}}::do_try_state().is_err());
	});
}
