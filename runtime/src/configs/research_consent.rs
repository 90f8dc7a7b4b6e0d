//! The research-consent pallet's `Config`, and the adapter through which it asks the identity
//! pallet who is who. Research accesses open no grant in the health-records pallet: the
//! custodian asks the research-consent pallet before each release (`research_permit`).

use frame_support::traits::{ConstU32, ConstU64};
use pallet_health_identity::{CareScope, CredentialKind, IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_health_records::{RecordType, RECORD_TYPE_COUNT};
use pallet_research_consent::ResearchIdentity;

use crate::{AccountId, HealthIdentity, Runtime, RuntimeEvent, Timestamp};

/// Thirty days, in milliseconds: how long one research access lasts before the researcher
/// asks again (and the consent is checked again).
pub const RESEARCH_ACCESS_PERIOD: u64 = 30 * super::MILLISECONDS_PER_DAY;

impl pallet_research_consent::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type RecordType = RecordType;
	type Identity = ResearchIdentityOfHealthIdentity;
	type Time = Timestamp;
	type MaxRecordTypes = ConstU32<RECORD_TYPE_COUNT>;
	/// A study team's worth of named researchers.
	type MaxApprovedResearchers = ConstU32<16>;
	/// A handful of standing preferences (general, disease-specific, regional...).
	type MaxStandingConsents = ConstU32<8>;
	/// Researchers looking at one participant's records at the same time: a change of consent
	/// re-checks each of them.
	type MaxAccessesPerParticipant = ConstU32<4>;
	/// A lifetime of studies and preferences under one participant, withdrawn ones included
	/// (they are kept).
	type MaxConsentsPerParticipant = ConstU32<128>;
	/// A consent given, narrowed up to 14 times, and withdrawn.
	type MaxConsentVersions = ConstU32<16>;
	/// As many as the health-records pallet's logs carry: one vault batches both.
	type MaxReleasesPerLog = <Runtime as pallet_health_records::Config>::MaxReleasesPerLog;
	type AccessPeriod = ConstU64<RESEARCH_ACCESS_PERIOD>;
	type WeightInfo = pallet_research_consent::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ResearchIdentityOfHealthIdentity;
}

/// The identity pallet's answers: a researcher is a member of an active research institute
/// with the researcher role and a research certification in force; an ethics reviewer, a
/// member of an active ethics board with the ethics-reviewer role and an ethics-review
/// accreditation in force; a custodian, an active organisation whose registered vault signs.
pub struct ResearchIdentityOfHealthIdentity;

impl ResearchIdentity<AccountId, OrganisationId> for ResearchIdentityOfHealthIdentity {
	fn is_identified(who: &AccountId) -> bool {
		HealthIdentity::is_identified(who)
	}

	fn custodian_of_vault(who: &AccountId) -> Option<OrganisationId> {
		HealthIdentity::vault_organisation(who)
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

#[cfg(feature = "runtime-benchmarks")]
impl pallet_research_consent::BenchmarkHelper<AccountId, OrganisationId, RecordType>
	for ResearchIdentityOfHealthIdentity
{
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

	fn custodian(who: &AccountId) -> OrganisationId {
		crate::configs::benchmark_identities::custodian(who)
	}

	fn record_types() -> alloc::vec::Vec<RecordType> {
		RecordType::ALL.to_vec()
	}
}
