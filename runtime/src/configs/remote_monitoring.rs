//! The monitoring pallet's `Config`, and the adapter through which it asks the identity pallet
//! who is who and the health-records pallet whether a patient's grant is in force.

use pallet_health_identity::{CareScope, IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_health_records::{Grantee, RecordType};
use pallet_remote_monitoring::MonitoringIdentity;

use crate::{AccountId, HealthIdentity, HealthRecords, Runtime, RuntimeEvent, Timestamp};

impl pallet_remote_monitoring::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = MonitoringIdentityOfHealthIdentity;
	type Time = Timestamp;
	/// An encrypted URL or content address with its nonce and tag.
	type WeightInfo = pallet_remote_monitoring::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MonitoringIdentityOfHealthIdentity;
}

/// The identity pallet's answers, and the health-records pallet's grants: care staff are the
/// licensed practitioners, nurses and admins of an active hospital, clinic or laboratory; they are a
/// patient's care team while the patient's grant of access to observations, to their
/// organisation or to them, is in force.
pub struct MonitoringIdentityOfHealthIdentity;

impl MonitoringIdentity<AccountId, OrganisationId> for MonitoringIdentityOfHealthIdentity {
	fn is_patient(who: &AccountId) -> bool {
		HealthIdentity::is_patient(who)
	}

	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool {
		HealthIdentity::may_act_for(who, patient, CareScope::RemoteMonitoring)
	}

	fn is_care_staff(who: &AccountId, organisation: OrganisationId) -> bool {
		matches!(
			HealthIdentity::active_organisation_kind(organisation),
			Some(OrganisationKind::Hospital | OrganisationKind::Clinic | OrganisationKind::Laboratory)
		) && ([Role::Nurse, Role::Admin].into_iter().any(|role| HealthIdentity::has_role_in(who, organisation, role)) ||
			super::is_licensed_practitioner(who, Some(organisation)))
	}

	fn is_care_team(who: &AccountId, organisation: OrganisationId, patient: &AccountId) -> bool {
		let granted = |grantee| HealthRecords::allows_read(patient, &grantee, RecordType::Observation);
		Self::is_care_staff(who, organisation) &&
			(granted(Grantee::Organisation(organisation)) || granted(Grantee::Account(who.clone())))
	}

	fn has_access(organisation: OrganisationId, patient: &AccountId) -> bool {
		HealthRecords::allows_read(patient, &Grantee::Organisation(organisation), RecordType::Observation)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_remote_monitoring::BenchmarkHelper<AccountId, OrganisationId> for MonitoringIdentityOfHealthIdentity {
	fn register_patient(who: &AccountId) {
		crate::configs::benchmark_identities::register_patient(who);
	}

	fn care_team(who: &AccountId, patient: &AccountId) -> OrganisationId {
		// A practitioner is the costliest care staff to recognise: its role is looked for after
		// the nurse's and the admin's, then its licence is read.
		let clinic =
			crate::configs::benchmark_identities::organisation(OrganisationKind::Clinic, who, alloc::vec![Role::Practitioner]);
		crate::configs::benchmark_identities::credential(who, pallet_health_identity::CredentialKind::MedicalLicence);
		crate::HealthRecords::grant_access(
			crate::RuntimeOrigin::signed(patient.clone()),
			patient.clone(),
			Grantee::Organisation(clinic),
			pallet_health_records::AccessLevel::Read,
			alloc::vec![RecordType::Observation],
			u64::MAX,
		)
		.expect("the patient grants the clinic access");
		clinic
	}

	fn set_clock(moment: u64) {
		pallet_timestamp::Now::<Runtime>::put(moment);
	}
}
