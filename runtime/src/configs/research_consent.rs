//! The research-consent pallet's `Config`, and the adapters through which it asks the identity
//! pallet who is who and opens patients' records to researchers in the health-records pallet.

use frame_support::{
	pallet_prelude::DispatchResult,
	traits::{ConstU32, ConstU64},
	weights::Weight,
};
use pallet_health_identity::{CareScope, CredentialKind, IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_health_records::{RecordType, WeightInfo as _, RECORD_TYPE_COUNT};
use pallet_research_consent::{ResearchDataAccess, ResearchIdentity};

use crate::{AccountId, HealthIdentity, HealthRecords, Runtime, RuntimeEvent, Timestamp};

/// Thirty days, in milliseconds: how long one research access lasts before the researcher
/// asks again (and the consent is checked again).
pub const RESEARCH_ACCESS_PERIOD: u64 = 30 * super::MILLISECONDS_PER_DAY;

impl pallet_research_consent::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type RecordType = RecordType;
	type Identity = ResearchIdentityOfHealthIdentity;
	type DataAccess = HealthRecordsForResearch;
	type Time = Timestamp;
	type MaxRecordTypes = ConstU32<RECORD_TYPE_COUNT>;
	/// A study team's worth of named researchers.
	type MaxApprovedResearchers = ConstU32<16>;
	/// A handful of standing preferences (general, disease-specific, regional...).
	type MaxStandingConsents = ConstU32<8>;
	/// Studies looking at one patient's records at the same time. Each access may hold up to
	/// `MaxKeysPerGrant` keys that a change of consent removes at once: four of them at most
	/// (about 36 ms each) keep a consent call well inside a block.
	type MaxAccessesPerPatient = ConstU32<4>;
	/// A lifetime of studies and preferences, withdrawn ones included (they are kept).
	type MaxConsentsPerPatient = ConstU32<128>;
	/// A consent given, narrowed up to 14 times, and withdrawn.
	type MaxConsentVersions = ConstU32<16>;
	type AccessPeriod = ConstU64<RESEARCH_ACCESS_PERIOD>;
	type WeightInfo = pallet_research_consent::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ResearchIdentityOfHealthIdentity;
}

/// The identity pallet's answers: a researcher is a member of an active research institute
/// with the researcher role and a research certification in force; an ethics reviewer, a
/// member of an active ethics board with the ethics-reviewer role and an ethics-review
/// accreditation in force.
pub struct ResearchIdentityOfHealthIdentity;

impl ResearchIdentity<AccountId, OrganisationId> for ResearchIdentityOfHealthIdentity {
	fn is_patient(who: &AccountId) -> bool {
		HealthIdentity::is_patient(who)
	}

	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool {
		HealthIdentity::may_act_for(who, patient, CareScope::ResearchConsent)
	}

	fn is_researcher_at(who: &AccountId, institute: OrganisationId) -> bool {
		HealthIdentity::active_organisation_kind(institute) == Some(OrganisationKind::ResearchInstitute) &&
			HealthIdentity::has_role_in(who, institute, Role::Researcher) &&
			HealthIdentity::has_valid_credential(who, CredentialKind::ResearchCertification)
	}

	fn is_ethics_reviewer_at(who: &AccountId, board: OrganisationId) -> bool {
		HealthIdentity::active_organisation_kind(board) == Some(OrganisationKind::EthicsBoard) &&
			HealthIdentity::has_role_in(who, board, Role::EthicsReviewer) &&
			HealthIdentity::has_valid_credential(who, CredentialKind::EthicsReviewAccreditation)
	}
}

/// Whether `who` is a researcher at an active research institute with a research
/// certification in force: what a researcher's standing is, wherever it is asked.
pub fn is_certified_researcher(who: &AccountId) -> bool {
	HealthIdentity::has_role_at_kind(who, Role::Researcher, OrganisationKind::ResearchInstitute) &&
		HealthIdentity::has_valid_credential(who, CredentialKind::ResearchCertification)
}

/// Read grants in the health-records pallet on the strength of research consent.
pub struct HealthRecordsForResearch;

impl ResearchDataAccess<AccountId, RecordType> for HealthRecordsForResearch {
	fn grant(patient: &AccountId, researcher: &AccountId, record_types: &[RecordType], until: u64) -> DispatchResult {
		HealthRecords::grant_on_research_consent(patient, researcher, record_types.to_vec(), until)
	}

	fn end(patient: &AccountId, researcher: &AccountId) -> Weight {
		HealthRecords::end_research_consent_grant(patient, researcher);
		Self::worst_case_weight()
	}

	/// Removing the grant, as revoking one does: what the research-consent benchmarks (whose
	/// data access is a mock) do not measure.
	fn worst_case_weight() -> Weight {
		<Runtime as pallet_health_records::Config>::WeightInfo::revoke_access()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_research_consent::BenchmarkHelper<AccountId, OrganisationId, RecordType>
	for ResearchIdentityOfHealthIdentity
{
	fn register_patient(who: &AccountId) {
		crate::configs::benchmark_identities::register_patient(who);
	}

	fn research_institute(who: &AccountId) -> OrganisationId {
		use crate::configs::benchmark_identities::{credential, organisation};
		let institute = organisation(OrganisationKind::ResearchInstitute, who, alloc::vec![Role::Researcher]);
		credential(who, CredentialKind::ResearchCertification);
		institute
	}

	fn add_researcher(who: &AccountId, institute: OrganisationId) {
		let admin = crate::configs::benchmark_identities::admin_of(institute);
		HealthIdentity::add_member(crate::RuntimeOrigin::signed(admin), institute, who.clone(), alloc::vec![Role::Researcher])
			.expect("the admin adds a researcher");
		crate::configs::benchmark_identities::credential(who, CredentialKind::ResearchCertification);
	}

	fn ethics_board(who: &AccountId) -> OrganisationId {
		use crate::configs::benchmark_identities::{credential, organisation};
		let board = organisation(OrganisationKind::EthicsBoard, who, alloc::vec![Role::EthicsReviewer]);
		credential(who, CredentialKind::EthicsReviewAccreditation);
		board
	}

	fn record_types() -> alloc::vec::Vec<RecordType> {
		RecordType::ALL.to_vec()
	}
}
