//! The provenance pallet's `Config`, and the adapter through which it asks the identity
//! pallet which trade role an account plays for an organisation.

use frame_support::traits::ConstU32;
use pallet_drug_provenance::{TradeRole, TradingPartners};
use pallet_health_identity::{CredentialKind, IdentityQuery, OrganisationId, OrganisationKind, Role};

use crate::{AccountId, HealthIdentity, Runtime, RuntimeEvent, Timestamp};

impl pallet_drug_provenance::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Partners = TradingPartnersOfHealthIdentity;
	type Time = Timestamp;
	/// Two thousand serials (about 40 KiB of call data) per commissioning call.
	type MaxCommissionBatch = ConstU32<2_000>;
	/// A pallet of cases.
	type MaxUnitsPerCall = ConstU32<500>;
	type MaxHistory = ConstU32<16>;
	type WeightInfo = pallet_drug_provenance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TradingPartnersOfHealthIdentity;
}

/// The identity pallet's answers about trade. The kind of an active organisation gives its
/// trade role (hospitals, clinics and pharmacies dispense); an account acts for a trading
/// organisation if it is a member with the logistics role (or, at a dispenser, the
/// pharmacist role) and holds a trading-partner authorisation in force, and for a regulator
/// if it is its admin or auditor.
pub struct TradingPartnersOfHealthIdentity;

impl TradingPartners<AccountId, OrganisationId> for TradingPartnersOfHealthIdentity {
	fn acts_for(who: &AccountId, organisation: OrganisationId) -> Option<TradeRole> {
		let role = Self::role_of(organisation)?;
		let has = |role| HealthIdentity::has_role_in(who, organisation, role);
		let acts = match role {
			TradeRole::Regulator => has(Role::Admin) || has(Role::Auditor),
			TradeRole::Dispenser => has(Role::Logistics) || has(Role::Pharmacist),
			TradeRole::Manufacturer | TradeRole::Distributor => has(Role::Logistics),
		};
		let authorised = role == TradeRole::Regulator ||
			HealthIdentity::has_valid_credential(who, CredentialKind::TradingPartnerAuthorisation);
		(acts && authorised).then_some(role)
	}

	fn role_of(organisation: OrganisationId) -> Option<TradeRole> {
		match HealthIdentity::active_organisation_kind(organisation)? {
			OrganisationKind::Manufacturer => Some(TradeRole::Manufacturer),
			OrganisationKind::Distributor => Some(TradeRole::Distributor),
			OrganisationKind::Pharmacy | OrganisationKind::Hospital | OrganisationKind::Clinic =>
				Some(TradeRole::Dispenser),
			OrganisationKind::Regulator => Some(TradeRole::Regulator),
			_ => None,
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_drug_provenance::BenchmarkHelper<AccountId, OrganisationId> for TradingPartnersOfHealthIdentity {
	fn trading_partner(who: &AccountId, role: TradeRole) -> OrganisationId {
		use crate::configs::benchmark_identities::{credential, organisation};
		use alloc::vec;
		let (kind, roles) = match role {
			TradeRole::Manufacturer => (OrganisationKind::Manufacturer, vec![Role::Logistics]),
			TradeRole::Distributor => (OrganisationKind::Distributor, vec![Role::Logistics]),
			TradeRole::Dispenser => (OrganisationKind::Pharmacy, vec![Role::Pharmacist]),
			TradeRole::Regulator => (OrganisationKind::Regulator, vec![Role::Auditor]),
		};
		let id = organisation(kind, who, roles);
		// A regulator's auditor, checked after its admin role: the longer way to act for it.
		let kind = if role == TradeRole::Regulator {
			CredentialKind::AuditAccreditation
		} else {
			CredentialKind::TradingPartnerAuthorisation
		};
		credential(who, kind);
		id
	}
}
