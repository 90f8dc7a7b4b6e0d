//! The {{title_lower}} pallet's `Config`, and the adapter through which it asks the identity
//! pallet who is who.

use pallet_health_identity::IdentityQuery;
use {{module}}::{{Identity}};

use crate::{AccountId, HealthIdentity, Runtime, RuntimeEvent, Timestamp};

impl {{module}}::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Identity = {{Identity}}OfHealthIdentity;
	type Time = Timestamp;
	type WeightInfo = {{module}}::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = {{Identity}}OfHealthIdentity;
}

/// The identity pallet's answers: a practitioner is a member with the practitioner role and a
/// medical licence in force (the runtime's one rule, `configs::is_licensed_practitioner`).
pub struct {{Identity}}OfHealthIdentity;

impl {{Identity}}<AccountId> for {{Identity}}OfHealthIdentity {
	fn is_patient(who: &AccountId) -> bool {
		HealthIdentity::is_patient(who)
	}

	fn is_practitioner(who: &AccountId) -> bool {
		super::is_licensed_practitioner(who, None)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl {{module}}::BenchmarkHelper<AccountId> for {{Identity}}OfHealthIdentity {
	fn register_patient(who: &AccountId) {
		super::benchmark_identities::register_patient(who);
	}

	fn make_practitioner(who: &AccountId) {
		use pallet_health_identity::{CredentialKind, OrganisationKind, Role};
		super::benchmark_identities::organisation(OrganisationKind::Hospital, who, alloc::vec![Role::Practitioner]);
		super::benchmark_identities::credential(who, CredentialKind::MedicalLicence);
	}
}
