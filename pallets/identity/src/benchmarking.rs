//! Benchmarks of the identity pallet's calls, each in its worst case: the caller is an admin
//! through its membership (one more read than the admin account), lists are as full as they
//! may be before the call, and replaced records exist.

use super::*;
use crate::Pallet as Identity;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Time};
use frame_system::RawOrigin;
use sp_core::H256;

const SEED: u32 = 0;
const KEY: EncryptionKey = [1u8; 32];
const FAR_FUTURE: Moment = u64::MAX / 2;

fn governance<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// An active organisation whose admin account is someone else, and whose member `caller`
/// holds the `Admin` role: the costlier way to be an admin.
fn organisation_with_admin_member<T: Config>(
	kind: OrganisationKind,
	caller: &T::AccountId,
) -> OrganisationId {
	let id = Identity::<T>::do_admit_organisation(kind, account("admin", 0, SEED), H256::zero(), KEY)
		.expect("admission works in benchmarks");
	Identity::<T>::do_add_member(id, caller, Identity::<T>::validated_roles(vec![Role::Admin]).unwrap())
		.expect("the first member fits");
	id
}

/// Fills `organisation` up to `count` members.
fn fill_members<T: Config>(organisation: OrganisationId, count: u32) {
	let roles = Identity::<T>::validated_roles(vec![Role::Nurse]).unwrap();
	for i in MemberCount::<T>::get(organisation)..count {
		Identity::<T>::do_add_member(organisation, &account("member", i, SEED), roles.clone())
			.expect("below the member limit");
	}
}

/// Makes `who` a member of `count` other organisations.
fn fill_memberships<T: Config>(who: &T::AccountId, count: u32) {
	let roles = Identity::<T>::validated_roles(vec![Role::Auditor]).unwrap();
	for i in 0..count {
		let org = Identity::<T>::do_admit_organisation(
			OrganisationKind::Clinic,
			account("other-admin", i, SEED),
			H256::zero(),
			KEY,
		)
		.unwrap();
		Identity::<T>::do_add_member(org, who, roles.clone()).expect("below the membership limit");
	}
}

/// An accredited regulator administered by `caller`, and an active credential it issued to
/// `holder`.
fn issued_credential<T: Config>(caller: &T::AccountId, holder: &T::AccountId) -> OrganisationId {
	let regulator = organisation_with_admin_member::<T>(OrganisationKind::Regulator, caller);
	Accreditations::<T>::insert(regulator, CredentialKind::MedicalLicence, ());
	Credentials::<T>::insert(
		holder,
		CredentialKind::MedicalLicence,
		Credential {
			issuer: regulator,
			issued_by: caller.clone(),
			licence_hash: H256::zero(),
			valid_from: 0,
			valid_until: FAR_FUTURE,
			status: CredentialStatus::Active,
		},
	);
	regulator
}

fn registered_patient<T: Config>() -> T::AccountId {
	let patient: T::AccountId = whitelisted_caller();
	Patients::<T>::insert(&patient, Patient { encryption_key: KEY, registered_at: 0 });
	patient
}

fn all_scopes() -> Vec<CareScope> {
	vec![
		CareScope::RemoteMonitoring,
		CareScope::InsuranceClaims,
		CareScope::ResearchConsent,
		CareScope::Prescriptions,
		CareScope::HealthRecords,
	]
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn admit_organisation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let admin: T::AccountId = account("admin", 0, SEED);
		let id = NextOrganisationId::<T>::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, OrganisationKind::Hospital, admin, H256::zero(), KEY);
		assert_eq!(NextOrganisationId::<T>::get(), id + 1);
		Ok(())
	}

	#[benchmark]
	fn suspend_organisation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &whitelisted_caller());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org);
		assert_eq!(Organisations::<T>::get(org).unwrap().status, OrganisationStatus::Suspended);
		Ok(())
	}

	#[benchmark]
	fn reinstate_organisation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &whitelisted_caller());
		Organisations::<T>::mutate(org, |o| o.as_mut().unwrap().status = OrganisationStatus::Suspended);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org);
		assert_eq!(Organisations::<T>::get(org).unwrap().status, OrganisationStatus::Active);
		Ok(())
	}

	#[benchmark]
	fn change_organisation_admin() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &whitelisted_caller());
		let admin: T::AccountId = account("new-admin", 0, SEED);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org, admin.clone());
		assert_eq!(Organisations::<T>::get(org).unwrap().admin, admin);
		Ok(())
	}

	#[benchmark]
	fn update_organisation() {
		let caller: T::AccountId = whitelisted_caller();
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &caller);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), org, H256::repeat_byte(2), [2u8; 32]);
		assert_eq!(Organisations::<T>::get(org).unwrap().encryption_key, [2u8; 32]);
	}

	#[benchmark]
	fn add_member() {
		let caller: T::AccountId = whitelisted_caller();
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &caller);
		fill_members::<T>(org, T::MaxMembersPerOrganisation::get() - 1);
		let member: T::AccountId = account("new-member", 0, SEED);
		fill_memberships::<T>(&member, T::MaxMembershipsPerAccount::get() - 1);
		// Every role a hospital may give, in reverse order: the most to sort and check.
		let roles = vec![
			Role::LaboratoryScientist,
			Role::EmergencyCare,
			Role::Admin,
			Role::Logistics,
			Role::Auditor,
			Role::ClaimsOfficer,
			Role::Pharmacist,
			Role::Nurse,
			Role::Practitioner,
		];
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), org, member.clone(), roles);
		assert_eq!(MemberCount::<T>::get(org), T::MaxMembersPerOrganisation::get());
		assert!(Members::<T>::contains_key(org, &member));
	}

	#[benchmark]
	fn remove_member() {
		let caller: T::AccountId = whitelisted_caller();
		let member: T::AccountId = account("leaving-member", 0, SEED);
		fill_memberships::<T>(&member, T::MaxMembershipsPerAccount::get() - 1);
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &caller);
		Identity::<T>::do_add_member(org, &member, Identity::<T>::validated_roles(vec![Role::Nurse]).unwrap())
			.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), org, member.clone());
		assert!(!Members::<T>::contains_key(org, &member));
	}

	#[benchmark]
	fn accredit_issuer() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let org = organisation_with_admin_member::<T>(OrganisationKind::Regulator, &whitelisted_caller());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org, CredentialKind::MedicalLicence);
		assert!(Accreditations::<T>::contains_key(org, CredentialKind::MedicalLicence));
		Ok(())
	}

	#[benchmark]
	fn withdraw_accreditation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let org = organisation_with_admin_member::<T>(OrganisationKind::Regulator, &whitelisted_caller());
		Accreditations::<T>::insert(org, CredentialKind::MedicalLicence, ());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org, CredentialKind::MedicalLicence);
		assert!(!Accreditations::<T>::contains_key(org, CredentialKind::MedicalLicence));
		Ok(())
	}

	#[benchmark]
	fn issue_credential() {
		let caller: T::AccountId = whitelisted_caller();
		let holder: T::AccountId = account("holder", 0, SEED);
		// A revoked credential is read, and replaced.
		let regulator = issued_credential::<T>(&caller, &holder);
		Credentials::<T>::mutate(&holder, CredentialKind::MedicalLicence, |c| {
			c.as_mut().unwrap().status = CredentialStatus::Revoked
		});
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			regulator,
			holder.clone(),
			CredentialKind::MedicalLicence,
			H256::repeat_byte(3),
			0,
			FAR_FUTURE,
		);
		let credential = Credentials::<T>::get(&holder, CredentialKind::MedicalLicence).unwrap();
		assert_eq!(credential.status, CredentialStatus::Active);
	}

	#[benchmark]
	fn suspend_credential() {
		let caller: T::AccountId = whitelisted_caller();
		let holder: T::AccountId = account("holder", 0, SEED);
		issued_credential::<T>(&caller, &holder);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), holder.clone(), CredentialKind::MedicalLicence);
		let credential = Credentials::<T>::get(&holder, CredentialKind::MedicalLicence).unwrap();
		assert_eq!(credential.status, CredentialStatus::Suspended);
	}

	#[benchmark]
	fn reinstate_credential() {
		let caller: T::AccountId = whitelisted_caller();
		let holder: T::AccountId = account("holder", 0, SEED);
		issued_credential::<T>(&caller, &holder);
		Credentials::<T>::mutate(&holder, CredentialKind::MedicalLicence, |c| {
			c.as_mut().unwrap().status = CredentialStatus::Suspended
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), holder.clone(), CredentialKind::MedicalLicence);
		let credential = Credentials::<T>::get(&holder, CredentialKind::MedicalLicence).unwrap();
		assert_eq!(credential.status, CredentialStatus::Active);
	}

	#[benchmark]
	fn revoke_credential() {
		let caller: T::AccountId = whitelisted_caller();
		let holder: T::AccountId = account("holder", 0, SEED);
		issued_credential::<T>(&caller, &holder);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), holder.clone(), CredentialKind::MedicalLicence);
		let credential = Credentials::<T>::get(&holder, CredentialKind::MedicalLicence).unwrap();
		assert_eq!(credential.status, CredentialStatus::Revoked);
	}

	// The caller is a nurse: the last of the staff checks (not an admin, not a practitioner),
	// and the hospital has one enrolment left today.
	#[benchmark]
	fn enrol_patient() {
		let caller: T::AccountId = whitelisted_caller();
		let org = Identity::<T>::do_admit_organisation(
			OrganisationKind::Hospital,
			account("admin", 0, SEED),
			H256::zero(),
			KEY,
		)
		.expect("admission works in benchmarks");
		Identity::<T>::do_add_member(org, &caller, Identity::<T>::validated_roles(vec![Role::Nurse]).unwrap())
			.expect("the first member fits");
		let day = DailyTally::day_of(T::Time::now());
		Enrolments::<T>::insert(org, DailyTally { day, count: T::MaxEnrolmentsPerDay::get() - 1 });
		let patient: T::AccountId = account("patient", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), org, patient.clone(), KEY);
		assert!(Patients::<T>::contains_key(&patient));
		assert_eq!(frame_system::Pallet::<T>::providers(&patient), 1);
	}

	// The bookkeeping of a sponsored transaction: is the sender a patient with allowance left
	// (its tally of today exists), and spending one.
	#[benchmark]
	fn sponsor_patient_transaction() -> Result<(), BenchmarkError> {
		let patient = registered_patient::<T>();
		let day = DailyTally::day_of(T::Time::now());
		SponsoredTransactions::<T>::insert(&patient, DailyTally { day, count: 1 });
		#[block]
		{
			let day = Identity::<T>::sponsorship_available(&patient).ok_or(BenchmarkError::Weightless)?;
			Identity::<T>::spend_sponsorship(&patient, day).map_err(|_| BenchmarkError::Weightless)?;
		}
		assert_eq!(SponsoredTransactions::<T>::get(&patient).map(|t| t.count), Some(2));
		Ok(())
	}

	#[benchmark]
	fn rotate_patient_key() {
		let patient = registered_patient::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), [2u8; 32]);
		assert_eq!(Patients::<T>::get(&patient).unwrap().encryption_key, [2u8; 32]);
	}

	#[benchmark]
	fn appoint_guardian() {
		let patient = registered_patient::<T>();
		for i in 0..T::MaxGuardiansPerPatient::get() - 1 {
			Identity::<T>::appoint_guardian(
				RawOrigin::Signed(patient.clone()).into(),
				account("guardian", i + 1, SEED),
				GuardianKind::Caregiver,
				vec![CareScope::HealthRecords],
				None,
			)
			.unwrap();
		}
		let guardian: T::AccountId = account("guardian", 0, SEED);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(patient.clone()),
			guardian.clone(),
			GuardianKind::LegalGuardian,
			all_scopes(),
			Some(FAR_FUTURE),
		);
		assert_eq!(GuardianCount::<T>::get(&patient), T::MaxGuardiansPerPatient::get());
	}

	#[benchmark]
	fn remove_guardian() {
		let patient = registered_patient::<T>();
		let guardian: T::AccountId = account("guardian", 0, SEED);
		Identity::<T>::appoint_guardian(
			RawOrigin::Signed(patient.clone()).into(),
			guardian.clone(),
			GuardianKind::Parent,
			all_scopes(),
			None,
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), guardian.clone());
		assert!(!Guardians::<T>::contains_key(&patient, &guardian));
	}

	#[benchmark]
	fn resign_guardianship() {
		let patient = registered_patient::<T>();
		let guardian: T::AccountId = account("guardian", 0, SEED);
		Identity::<T>::appoint_guardian(
			RawOrigin::Signed(patient.clone()).into(),
			guardian.clone(),
			GuardianKind::Parent,
			all_scopes(),
			None,
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian.clone()), patient.clone());
		assert!(!Guardians::<T>::contains_key(&patient, &guardian));
	}

	/// The worst case replaces a vault: the old account's index entry goes too.
	#[benchmark]
	fn register_vault() {
		let caller: T::AccountId = whitelisted_caller();
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &caller);
		let endpoint = |byte: u8| {
			let mut url = b"https://".to_vec();
			url.resize(MAX_VAULT_ENDPOINT_LENGTH as usize, byte);
			url
		};
		Identity::<T>::register_vault(
			RawOrigin::Signed(caller.clone()).into(),
			org,
			account("old-vault", 0, SEED),
			endpoint(b'a'),
		)
		.unwrap();
		let vault: T::AccountId = account("vault", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), org, vault.clone(), endpoint(b'b'));
		assert_eq!(VaultOrganisations::<T>::get(&vault), Some(org));
	}

	#[benchmark]
	fn retire_vault() {
		let caller: T::AccountId = whitelisted_caller();
		let org = organisation_with_admin_member::<T>(OrganisationKind::Hospital, &caller);
		let vault: T::AccountId = account("vault", 0, SEED);
		Identity::<T>::register_vault(
			RawOrigin::Signed(caller.clone()).into(),
			org,
			vault.clone(),
			b"https://vault.example".to_vec(),
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), org);
		assert!(!VaultOrganisations::<T>::contains_key(&vault));
	}

	#[benchmark]
	fn set_staff_key() {
		let caller: T::AccountId = whitelisted_caller();
		organisation_with_admin_member::<T>(OrganisationKind::Hospital, &caller);
		StaffKeys::<T>::insert(&caller, KEY);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), [2u8; 32]);
		assert_eq!(StaffKeys::<T>::get(&caller), Some([2u8; 32]));
	}

	impl_benchmark_test_suite!(Identity, crate::mock::new_test_ext(), crate::mock::Test);
}
