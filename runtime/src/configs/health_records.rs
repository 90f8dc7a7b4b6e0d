//! The health-records pallet's `Config`, and the adapter through which it asks the identity
//! pallet who is who.

use frame_support::traits::{ConstU32, ConstU64};
use pallet_health_identity::{CareScope, CredentialKind, IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_health_records::{ClaimDocumentParties, RecordId, RecordsIdentity};

use crate::{AccountId, HealthIdentity, InsuranceClaims, Runtime, RuntimeEvent, Timestamp};

/// Four hours of break-glass access, in milliseconds: one emergency shift's worth.
pub const EMERGENCY_ACCESS_PERIOD: u64 = 4 * 60 * 60 * 1000;

impl pallet_health_records::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = RecordsIdentityOfHealthIdentity;
	type ClaimParties = ClaimPartiesOfInsuranceClaims;
	type Time = Timestamp;
	/// A record and fifteen amendments: what erasing one touches.
	type MaxVersions = ConstU32<16>;
	/// A vault's batch of releases, logged in one transaction.
	type MaxReleasesPerLog = ConstU32<64>;
	/// A care team: the practitioners and care providers a patient grants access to at once.
	type MaxGrantsPerPatient = ConstU32<32>;
	/// A lifetime of documents a patient uploads itself (home measurements go to remote
	/// monitoring): what bounds a sponsored patient's records.
	type MaxRecordsWrittenByPatient = ConstU32<512>;
	type EmergencyAccessPeriod = ConstU64<EMERGENCY_ACCESS_PERIOD>;
	type WeightInfo = pallet_health_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RecordsIdentityOfHealthIdentity;
}

/// The identity pallet's answers to the health-records pallet's questions. A practitioner
/// is a member with the practitioner role who holds a medical licence in force; a care
/// provider's clinical staff are its licensed practitioners, nurses, licensed pharmacists and
/// laboratory scientists; an auditor's role counts only with an audit accreditation from
/// another organisation (the identity pallet checks that).
pub struct RecordsIdentityOfHealthIdentity;

impl RecordsIdentity<AccountId, OrganisationId> for RecordsIdentityOfHealthIdentity {
	fn is_patient(who: &AccountId) -> bool {
		HealthIdentity::is_patient(who)
	}

	fn may_manage_records(who: &AccountId, patient: &AccountId) -> bool {
		HealthIdentity::may_act_for(who, patient, CareScope::HealthRecords)
	}

	fn is_practitioner(who: &AccountId) -> bool {
		super::is_licensed_practitioner(who, None)
	}

	fn is_clinical_staff_at(who: &AccountId, organisation: OrganisationId) -> bool {
		if !super::is_care_provider(organisation) {
			return false;
		}
		let has = |role| HealthIdentity::has_role_in(who, organisation, role);
		let licensed = |kind| HealthIdentity::has_valid_credential(who, kind);
		super::is_licensed_practitioner(who, Some(organisation)) ||
			(has(Role::Pharmacist) && licensed(CredentialKind::PharmacyLicence)) ||
			has(Role::Nurse) ||
			has(Role::LaboratoryScientist)
	}

	fn is_care_provider(organisation: OrganisationId) -> bool {
		super::is_care_provider(organisation)
	}

	fn is_emergency_practitioner_at(who: &AccountId, organisation: OrganisationId) -> bool {
		HealthIdentity::has_role_in(who, organisation, Role::EmergencyCare) &&
			HealthIdentity::has_valid_credential(who, CredentialKind::MedicalLicence)
	}

	fn is_auditor_at(who: &AccountId, organisation: OrganisationId) -> bool {
		HealthIdentity::has_role_in(who, organisation, Role::Auditor)
	}

	fn is_regulatory_auditor(who: &AccountId) -> bool {
		HealthIdentity::has_role_at_kind(who, Role::Auditor, OrganisationKind::Regulator)
	}

	fn vault_account(organisation: OrganisationId) -> Option<AccountId> {
		HealthIdentity::vault_account(organisation)
	}

	fn encryption_key(who: &AccountId) -> Option<[u8; 32]> {
		HealthIdentity::staff_key(who).or_else(|| HealthIdentity::patient_key(who))
	}
}

/// Who handles claim documents: claims officers of care providers file them; the claim that
/// names a document (the claims pallet knows which) lets its provider's and its insurer's
/// claims officers and accredited auditors read it, and accredited auditors of a regulator.
pub struct ClaimPartiesOfInsuranceClaims;

impl ClaimDocumentParties<AccountId, OrganisationId> for ClaimPartiesOfInsuranceClaims {
	fn files_claims_for(who: &AccountId, organisation: OrganisationId) -> bool {
		super::is_care_provider(organisation) && HealthIdentity::has_role_in(who, organisation, Role::ClaimsOfficer)
	}

	fn reads_claim_document_for(who: &AccountId, record: RecordId) -> Option<OrganisationId> {
		let (provider, insurer) = InsuranceClaims::document_parties(record)?;
		let party = |organisation| {
			HealthIdentity::has_role_in(who, organisation, Role::ClaimsOfficer) ||
				HealthIdentity::has_role_in(who, organisation, Role::Auditor)
		};
		[provider, insurer]
			.into_iter()
			.find(|organisation| party(*organisation))
			.or_else(|| HealthIdentity::organisation_with_role(who, Role::Auditor, OrganisationKind::Regulator))
	}
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use crate::{configs::benchmark_identities::{credential, organisation}, RuntimeOrigin};
	use alloc::vec;
	use pallet_health_identity::GuardianKind;

	/// A practitioner at a new hospital with `roles`, with a medical licence.
	fn licensed(who: &AccountId, roles: alloc::vec::Vec<Role>) -> OrganisationId {
		let hospital = organisation(OrganisationKind::Hospital, who, roles);
		credential(who, CredentialKind::MedicalLicence);
		hospital
	}

	impl pallet_health_records::BenchmarkHelper<AccountId, OrganisationId> for RecordsIdentityOfHealthIdentity {
		fn register_patient(who: &AccountId) {
			crate::configs::benchmark_identities::register_patient(who);
		}

		fn make_guardian(guardian: &AccountId, patient: &AccountId) {
			HealthIdentity::appoint_guardian(
				RuntimeOrigin::signed(patient.clone()),
				guardian.clone(),
				GuardianKind::LegalGuardian,
				vec![CareScope::HealthRecords],
				None,
			)
			.expect("a patient appoints a guardian");
		}

		fn make_practitioner(who: &AccountId) -> OrganisationId {
			licensed(who, vec![Role::Practitioner])
		}

		fn make_emergency_practitioner(who: &AccountId) -> OrganisationId {
			licensed(who, vec![Role::Practitioner, Role::EmergencyCare])
		}

		fn make_auditor(who: &AccountId, organisation: OrganisationId) {
			let admin = crate::configs::benchmark_identities::admin_of(organisation);
			HealthIdentity::add_member(RuntimeOrigin::signed(admin), organisation, who.clone(), vec![Role::Auditor])
				.expect("the admin adds an auditor");
			credential(who, CredentialKind::AuditAccreditation);
		}

		fn make_custodian(vault: &AccountId) -> OrganisationId {
			crate::configs::benchmark_identities::custodian(vault)
		}
	}
}
