//! Benchmarks of the health-records pallet's calls, each in its worst case: the patient's side
//! is played by a guardian (one more identity lookup than the patient), grants are as full of
//! keys as they may be, and lists in the call are as long as the bounds allow.

use super::*;
use crate::Pallet as HealthRecords;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use sp_core::H256;

const SEED: u32 = 0;
const FAR_FUTURE: Moment = u64::MAX / 2;

fn max_locator<T: Config>() -> Vec<u8> {
	vec![1u8; T::MaxLocatorLength::get() as usize]
}

fn max_key<T: Config>() -> Vec<u8> {
	vec![2u8; T::MaxWrappedKeyLength::get() as usize]
}

fn all_types() -> Vec<RecordType> {
	RecordType::ALL.to_vec()
}

/// A registered patient and a guardian who manages the patient's records.
fn patient_and_guardian<T: Config>() -> (T::AccountId, T::AccountId) {
	let patient: T::AccountId = account("patient", 0, SEED);
	let guardian: T::AccountId = whitelisted_caller();
	T::BenchmarkHelper::register_patient(&patient);
	T::BenchmarkHelper::make_guardian(&guardian, &patient);
	(patient, guardian)
}

/// A licensed practitioner.
fn practitioner<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::BenchmarkHelper::make_practitioner(&who);
	who
}

/// Stores `patient`'s grant to `grantee` of every type, holding `keyed` keys to records that
/// the call does not touch (ids no record has).
fn stored_grant<T: Config>(
	patient: &T::AccountId,
	grantee: &GranteeOf<T>,
	access: AccessLevel,
	keyed: u32,
) {
	let keyed_records: Vec<RecordId> = (0..keyed as u64).map(|i| u64::MAX - i).collect();
	Grants::<T>::insert(
		patient,
		grantee,
		Grant {
			access,
			record_types: RecordTypes::try_from(all_types()).unwrap(),
			expires_at: FAR_FUTURE,
			granted_by: patient.clone(),
			granted_at: 0,
			basis: GrantBasis::Patient,
			keyed_records: BoundedVec::try_from(keyed_records).unwrap(),
		},
	);
}

/// The keys of a new record: the patient's, and `readers - 1` grantees' whose grants each
/// hold one key less than the most. The first grantee is `author`, under a write grant.
fn readers<T: Config>(
	patient: &T::AccountId,
	author: &T::AccountId,
	readers: u32,
) -> Vec<(GranteeOf<T>, Vec<u8>)> {
	let full = T::MaxKeysPerGrant::get() - 1;
	stored_grant::<T>(patient, &Grantee::Account(author.clone()), AccessLevel::Write, full);
	let mut keys = vec![(Grantee::Account(patient.clone()), max_key::<T>())];
	for i in 1..readers {
		let reader = if i == 1 {
			Grantee::Account(author.clone())
		} else {
			let reader = Grantee::Account(account("reader", i, SEED));
			stored_grant::<T>(patient, &reader, AccessLevel::Read, full);
			reader
		};
		keys.push((reader, max_key::<T>()));
	}
	keys
}

/// A record of the guardian's for `patient`, with `keys` (the patient's key first).
fn guardians_record<T: Config>(
	guardian: &T::AccountId,
	patient: &T::AccountId,
	keys: Vec<(GranteeOf<T>, Vec<u8>)>,
) -> RecordId {
	HealthRecords::<T>::add_record(
		RawOrigin::Signed(guardian.clone()).into(),
		patient.clone(),
		RecordType::Observation,
		H256::repeat_byte(1),
		max_locator::<T>(),
		keys,
		Authority::PatientOrGuardian,
	)
	.expect("the guardian adds records");
	NextRecordId::<T>::get() - 1
}

/// The patient's key alone.
fn patient_key<T: Config>(patient: &T::AccountId) -> Vec<(GranteeOf<T>, Vec<u8>)> {
	vec![(Grantee::Account(patient.clone()), max_key::<T>())]
}

/// `count` records the guardian adds for `patient`, each with a key for the patient and
/// for `grantee` (which must hold a grant that covers them).
fn records_shared_with<T: Config>(
	guardian: &T::AccountId,
	patient: &T::AccountId,
	grantee: &GranteeOf<T>,
	count: u32,
) -> Vec<RecordId> {
	(0..count)
		.map(|_| {
			let mut keys = patient_key::<T>(patient);
			keys.push((grantee.clone(), max_key::<T>()));
			guardians_record::<T>(guardian, patient, keys)
		})
		.collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A practitioner adds a record under a write grant, with keys for `r` readers.
	#[benchmark]
	fn add_record(r: Linear<1, { T::MaxReadersPerRecord::get() }>) {
		let (patient, _) = patient_and_guardian::<T>();
		let caller = practitioner::<T>("doctor", 0);
		let keys = readers::<T>(&patient, &caller, r);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			patient.clone(),
			RecordType::Observation,
			H256::repeat_byte(1),
			max_locator::<T>(),
			keys,
			Authority::Grant(Grantee::Account(caller.clone())),
		);
		assert_eq!(Records::<T>::get(0).unwrap().readers, r);
	}

	/// A practitioner amends a record under a write grant, with keys for `r` readers.
	#[benchmark]
	fn amend_record(r: Linear<1, { T::MaxReadersPerRecord::get() }>) {
		let (patient, guardian) = patient_and_guardian::<T>();
		let caller = practitioner::<T>("doctor", 0);
		let keys = readers::<T>(&patient, &caller, r);
		let record = guardians_record::<T>(&guardian, &patient, patient_key::<T>(&patient));
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			record,
			H256::repeat_byte(2),
			max_locator::<T>(),
			keys,
			Authority::Grant(Grantee::Account(caller.clone())),
		);
		assert_eq!(Records::<T>::get(record).unwrap().amended_by, Some(record + 1));
	}

	/// A guardian grants a practitioner access for the first time: a new grant, counted
	/// against the patient's bound.
	#[benchmark]
	fn grant_access_to_new_grantee() -> Result<(), BenchmarkError> {
		let (patient, guardian) = patient_and_guardian::<T>();
		let grantee = Grantee::Account(practitioner::<T>("doctor", 0));
		#[block]
		{
			HealthRecords::<T>::grant_access(
				RawOrigin::Signed(guardian).into(),
				patient.clone(),
				grantee.clone(),
				AccessLevel::Write,
				all_types(),
				FAR_FUTURE,
			)
			.map_err(|_| BenchmarkError::Weightless)?;
		}
		assert_eq!(PatientGrantCount::<T>::get(&patient), 1);
		Ok(())
	}

	/// A guardian narrows a grant holding `n` keys, none of which the new terms cover.
	#[benchmark]
	fn grant_access(n: Linear<0, { T::MaxKeysPerGrant::get() }>) {
		let (patient, guardian) = patient_and_guardian::<T>();
		let grantee = Grantee::Account(practitioner::<T>("doctor", 0));
		HealthRecords::<T>::grant_access(
			RawOrigin::Signed(guardian.clone()).into(),
			patient.clone(),
			grantee.clone(),
			AccessLevel::Read,
			vec![RecordType::Observation],
			FAR_FUTURE,
		)
		.unwrap();
		records_shared_with::<T>(&guardian, &patient, &grantee, n);
		let narrower: Vec<RecordType> =
			all_types().into_iter().filter(|t| *t != RecordType::Observation).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), grantee.clone(), AccessLevel::Write, narrower, FAR_FUTURE);
		assert!(Grants::<T>::get(&patient, &grantee).unwrap().keyed_records.is_empty());
	}

	/// A guardian revokes a grant holding `n` keys.
	#[benchmark]
	fn revoke_access(n: Linear<0, { T::MaxKeysPerGrant::get() }>) {
		let (patient, guardian) = patient_and_guardian::<T>();
		let grantee = Grantee::Account(practitioner::<T>("doctor", 0));
		HealthRecords::<T>::grant_access(
			RawOrigin::Signed(guardian.clone()).into(),
			patient.clone(),
			grantee.clone(),
			AccessLevel::Read,
			all_types(),
			FAR_FUTURE,
		)
		.unwrap();
		let records = records_shared_with::<T>(&guardian, &patient, &grantee, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), grantee.clone());
		assert!(!Grants::<T>::contains_key(&patient, &grantee));
		assert!(records.iter().all(|id| !WrappedKeys::<T>::contains_key(id, &grantee)));
	}

	/// A guardian delivers `k` keys to a grantee whose grant is otherwise full.
	#[benchmark]
	fn share_keys(k: Linear<1, { T::MaxKeysPerShare::get() }>) {
		let (patient, guardian) = patient_and_guardian::<T>();
		let grantee = Grantee::Account(practitioner::<T>("doctor", 0));
		let records: Vec<RecordId> =
			(0..k).map(|_| guardians_record::<T>(&guardian, &patient, patient_key::<T>(&patient))).collect();
		stored_grant::<T>(&patient, &grantee, AccessLevel::Read, T::MaxKeysPerGrant::get() - k);
		let keys = records.iter().map(|id| (*id, max_key::<T>())).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), grantee.clone(), keys);
		assert!(records.iter().all(|id| WrappedKeys::<T>::contains_key(id, &grantee)));
	}

	/// A practitioner logs a read under a grant full of keys.
	#[benchmark]
	fn log_access() {
		let (patient, guardian) = patient_and_guardian::<T>();
		let caller = practitioner::<T>("doctor", 0);
		let grantee = Grantee::Account(caller.clone());
		stored_grant::<T>(&patient, &grantee, AccessLevel::Read, T::MaxKeysPerGrant::get() - 1);
		let record = records_shared_with::<T>(&guardian, &patient, &grantee, 1)[0];
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), record, AccessPurpose::Treatment, Authority::Grant(grantee));
		assert_eq!(AccessLogLength::<T>::get(&patient), 1);
	}

	/// A practitioner with the emergency-care role breaks the glass again after an earlier
	/// access expired.
	#[benchmark]
	fn break_glass() {
		let (patient, _) = patient_and_guardian::<T>();
		let caller: T::AccountId = account("medic", 0, SEED);
		let hospital = T::BenchmarkHelper::make_emergency_practitioner(&caller);
		let expired = EmergencyAccess {
			patient: patient.clone(),
			practitioner: caller.clone(),
			organisation: Some(hospital),
			reason: EmergencyReason::Unresponsive,
			opened_at: 0,
			expires_at: 0,
			review: Review::Pending,
		};
		EmergencyAccesses::<T>::insert(0, expired);
		OpenEmergencyAccess::<T>::insert(&patient, &caller, 0);
		NextEmergencyId::<T>::put(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), patient.clone(), hospital, EmergencyReason::LifeThreatening);
		assert_eq!(OpenEmergencyAccess::<T>::get(&patient, &caller), Some(1));
	}

	/// An auditor of the hospital (who is no regulator's auditor: both are asked) closes the
	/// review of an open access.
	#[benchmark]
	fn close_emergency_review() {
		let (patient, _) = patient_and_guardian::<T>();
		let medic: T::AccountId = account("medic", 0, SEED);
		let hospital = T::BenchmarkHelper::make_emergency_practitioner(&medic);
		let auditor: T::AccountId = account("auditor", 0, SEED);
		T::BenchmarkHelper::make_auditor(&auditor, hospital);
		HealthRecords::<T>::break_glass(
			RawOrigin::Signed(medic.clone()).into(),
			patient.clone(),
			hospital,
			EmergencyReason::Unresponsive,
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(auditor), 0, ReviewOutcome::Justified);
		assert!(!OpenEmergencyAccess::<T>::contains_key(&patient, &medic));
	}

	/// A guardian erases a record with `r` readers, each grantee's grant full of keys.
	#[benchmark]
	fn erase_record(r: Linear<1, { T::MaxReadersPerRecord::get() }>) {
		let (patient, guardian) = patient_and_guardian::<T>();
		let author = practitioner::<T>("doctor", 0);
		let keys = readers::<T>(&patient, &author, r);
		let record = guardians_record::<T>(&guardian, &patient, keys);
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), record);
		assert!(Records::<T>::get(record).unwrap().is_erased());
	}

	impl_benchmark_test_suite!(HealthRecords, crate::mock::new_test_ext(), crate::mock::Test);
}
