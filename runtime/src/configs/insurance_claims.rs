//! The claims pallet's `Config`, and the adapter through which it asks the identity pallet
//! who is an insurer, a provider and a claims officer.

use frame_support::traits::{ConstU32, ConstU64};
use pallet_health_identity::{IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_health_records::RecordType;
use pallet_insurance_claims::{ClaimDocuments, ClaimRecord, ClaimsIdentity, RecordId};

use crate::{AccountId, HealthIdentity, HealthRecords, Runtime, RuntimeEvent, Timestamp};

/// Ninety days to appeal a decision, in milliseconds.
pub const APPEAL_WINDOW: u64 = 90 * super::MILLISECONDS_PER_DAY;

impl pallet_insurance_claims::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = ClaimsIdentityOfHealthIdentity;
	type Documents = ClaimDocumentsOfHealthRecords;
	type Time = Timestamp;
	type MaxAdjustments = ConstU32<8>;
	type AppealWindow = ConstU64<APPEAL_WINDOW>;
	type WeightInfo = pallet_insurance_claims::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ClaimsIdentityOfHealthIdentity;
}

/// The identity pallet's answers: insurers and care providers (hospitals, clinics,
/// laboratories, pharmacies) by the kind of an active organisation; claims officers by role.
pub struct ClaimsIdentityOfHealthIdentity;

impl ClaimsIdentity<AccountId, OrganisationId> for ClaimsIdentityOfHealthIdentity {
	fn is_patient(who: &AccountId) -> bool {
		HealthIdentity::is_patient(who)
	}

	fn is_insurer(organisation: OrganisationId) -> bool {
		HealthIdentity::active_organisation_kind(organisation) == Some(OrganisationKind::Insurer)
	}

	fn is_provider(organisation: OrganisationId) -> bool {
		super::is_care_provider(organisation)
	}

	fn is_claims_officer(who: &AccountId, organisation: OrganisationId) -> bool {
		HealthIdentity::has_role_in(who, organisation, Role::ClaimsOfficer)
	}
}

/// Claim documents are the health records of type `Claim`.
pub struct ClaimDocumentsOfHealthRecords;

impl ClaimDocuments<AccountId> for ClaimDocumentsOfHealthRecords {
	fn claim_record(record: RecordId) -> Option<ClaimRecord<AccountId>> {
		let record = HealthRecords::record(record).filter(|r| r.record_type == RecordType::Claim)?;
		Some(ClaimRecord { erased: record.is_erased(), patient: record.patient, author: record.author })
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_insurance_claims::BenchmarkHelper<AccountId, OrganisationId> for ClaimsIdentityOfHealthIdentity {
	fn register_patient(who: &AccountId) {
		crate::configs::benchmark_identities::register_patient(who);
	}

	fn insurer(who: &AccountId) -> OrganisationId {
		crate::configs::benchmark_identities::organisation(OrganisationKind::Insurer, who, alloc::vec![Role::ClaimsOfficer])
	}

	fn provider(who: &AccountId) -> OrganisationId {
		crate::configs::benchmark_identities::organisation(OrganisationKind::Hospital, who, alloc::vec![Role::ClaimsOfficer])
	}

	fn claim_document(patient: &AccountId, author: &AccountId, provider: OrganisationId) -> RecordId {
		use pallet_health_records::{Authority, BenchmarkHelper as _};
		let record = HealthRecords::next_record_id();
		let vault: AccountId = frame_benchmarking::account("claims-vault", record as u32, 0);
		let custodian = crate::configs::health_records::RecordsIdentityOfHealthIdentity::make_custodian(&vault);
		HealthRecords::add_record(
			crate::RuntimeOrigin::signed(author.clone()),
			patient.clone(),
			RecordType::Claim,
			sp_core::H256::repeat_byte(0xc1),
			custodian,
			Authority::Billing(provider),
		)
		.expect("the provider's claims officer files a claim document");
		record
	}
}
