//! The claims pallet's `Config`, and the adapter through which it asks the identity pallet
//! who is an insurer, a provider and a claims officer.

use frame_support::traits::{ConstU32, ConstU64};
use pallet_health_identity::{IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_insurance_claims::ClaimsIdentity;

use crate::{AccountId, HealthIdentity, Runtime, RuntimeEvent, Timestamp};

/// Ninety days to appeal a decision, in milliseconds.
pub const APPEAL_WINDOW: u64 = 90 * super::MILLISECONDS_PER_DAY;

impl pallet_insurance_claims::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = ClaimsIdentityOfHealthIdentity;
	type Time = Timestamp;
	/// An X12 837 professional claim carries up to 12 diagnosis codes.
	type MaxCodes = ConstU32<12>;
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
}
