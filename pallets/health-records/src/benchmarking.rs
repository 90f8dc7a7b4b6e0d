//! Benchmarks of the health-records pallet's calls, each in its worst case: the patient's side
//! is played by a guardian (one more identity lookup than the patient), a release log is as
//! long as it may be with every release of another patient's record under break-glass, and an
//! erasure meets every version a record may have.

use super::*;
use crate::Pallet as HealthRecords;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use sp_core::H256;

const SEED: u32 = 0;
const FAR_FUTURE: Moment = u64::MAX / 2;

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

/// An organisation with a record vault, and the vault's account.
fn custodian<T: Config>() -> (T::OrganisationId, T::AccountId) {
	let vault: T::AccountId = account("vault", 0, SEED);
	(T::BenchmarkHelper::make_custodian(&vault), vault)
}

/// Stores `patient`'s grant to `grantee` of every type, indexed as a granted one is.
fn stored_grant<T: Config>(patient: &T::AccountId, grantee: &GranteeOf<T>, access: AccessLevel) {
	GrantsByGrantee::<T>::insert(grantee, patient, ());
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
		},
	);
}

/// A record `writer` adds for `patient` as the patient's manager, held by `custodian`.
fn record_of<T: Config>(writer: &T::AccountId, patient: &T::AccountId, custodian: T::OrganisationId) -> RecordId {
	HealthRecords::<T>::add_record(
		RawOrigin::Signed(writer.clone()).into(),
		patient.clone(),
		RecordType::Observation,
		H256::repeat_byte(1),
		custodian,
		Authority::PatientOrGuardian,
	)
	.expect("the patient's manager adds records");
	NextRecordId::<T>::get() - 1
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A practitioner adds a record under a write grant.
	#[benchmark]
	fn add_record() {
		let (patient, _) = patient_and_guardian::<T>();
		let (custodian, _) = custodian::<T>();
		let caller = practitioner::<T>("doctor", 0);
		let grantee = Grantee::Account(caller.clone());
		stored_grant::<T>(&patient, &grantee, AccessLevel::Write);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			patient.clone(),
			RecordType::Observation,
			H256::repeat_byte(1),
			custodian,
			Authority::Grant(grantee),
		);
		assert_eq!(RecordCount::<T>::get(&patient), 1);
	}

	/// A practitioner amends a record under a write grant.
	#[benchmark]
	fn amend_record() {
		let (patient, guardian) = patient_and_guardian::<T>();
		let (custodian, _) = custodian::<T>();
		let caller = practitioner::<T>("doctor", 0);
		let grantee = Grantee::Account(caller.clone());
		stored_grant::<T>(&patient, &grantee, AccessLevel::Write);
		let record = record_of::<T>(&guardian, &patient, custodian);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), record, H256::repeat_byte(2), Authority::Grant(grantee));
		assert_eq!(Records::<T>::get(record).unwrap().amended_by, Some(record + 1));
	}

	/// A guardian grants a practitioner access for the first time: a new grant, counted
	/// against the patient's bound.
	#[benchmark]
	fn grant_access() {
		let (patient, guardian) = patient_and_guardian::<T>();
		let grantee = Grantee::Account(practitioner::<T>("doctor", 0));
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), grantee, AccessLevel::Write, all_types(), FAR_FUTURE);
		assert_eq!(PatientGrantCount::<T>::get(&patient), 1);
	}

	/// A guardian revokes a grant.
	#[benchmark]
	fn revoke_access() {
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
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), grantee.clone());
		assert!(!Grants::<T>::contains_key(&patient, &grantee));
	}

	/// A vault logs `n` releases, each of another patient's record, each under the reader's
	/// break-glass access to that patient.
	#[benchmark]
	fn log_releases(n: Linear<1, { T::MaxReleasesPerLog::get() }>) {
		let (custodian, vault) = custodian::<T>();
		let medic: T::AccountId = account("medic", 0, SEED);
		let hospital = T::BenchmarkHelper::make_emergency_practitioner(&medic);
		let releases: Vec<ReleaseOf<T>> = (0..n)
			.map(|i| {
				let patient: T::AccountId = account("patient", i, SEED);
				T::BenchmarkHelper::register_patient(&patient);
				let record = record_of::<T>(&patient, &patient, custodian);
				HealthRecords::<T>::break_glass(
					RawOrigin::Signed(medic.clone()).into(),
					patient,
					hospital,
					EmergencyReason::Unresponsive,
				)
				.unwrap();
				Release {
					record,
					reader: medic.clone(),
					authority: Authority::BreakGlass,
					emergency: Some(NextEmergencyId::<T>::get() - 1),
					purpose: AccessPurpose::Emergency,
				}
			})
			.collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(vault), releases);
		assert_eq!(AccessLogLength::<T>::get(&account::<T::AccountId>("patient", n - 1, SEED)), 1);
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

	/// A guardian erases a record of `v` versions, named by its last.
	#[benchmark]
	fn erase_record(v: Linear<1, { T::MaxVersions::get() }>) {
		let (patient, guardian) = patient_and_guardian::<T>();
		let (custodian, _) = custodian::<T>();
		let mut record = record_of::<T>(&guardian, &patient, custodian);
		for i in 1..v {
			HealthRecords::<T>::amend_record(
				RawOrigin::Signed(guardian.clone()).into(),
				record,
				H256::repeat_byte(i as u8 + 1),
				Authority::PatientOrGuardian,
			)
			.unwrap();
			record = NextRecordId::<T>::get() - 1;
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), record);
		assert!(Records::<T>::iter_values().all(|version| version.is_erased()));
	}

	/// A vault confirms an erasure.
	#[benchmark]
	fn confirm_erasure() {
		let (patient, guardian) = patient_and_guardian::<T>();
		let (custodian, vault) = custodian::<T>();
		let record = record_of::<T>(&guardian, &patient, custodian);
		HealthRecords::<T>::erase_record(RawOrigin::Signed(guardian).into(), record).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(vault), record);
		assert!(Records::<T>::get(record).unwrap().erasure_confirmed_at.is_some());
	}

	impl_benchmark_test_suite!(HealthRecords, crate::mock::new_test_ext(), crate::mock::Test);
}
