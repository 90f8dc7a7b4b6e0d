//! What this pallet needs to know about trading partners, which the runtime answers from the
//! identity pallet.

use crate::types::TradeRole;

/// The questions the provenance pallet asks before it lets a call through.
pub trait TradingPartners<AccountId, OrganisationId> {
	/// The trade role that `who` plays for `organisation` now, if it may act for it at all:
	/// for a manufacturer, distributor or dispenser, a member with the logistics (or
	/// pharmacist) role holding a trading-partner authorisation in force; for a regulator, its
	/// admin or auditor. `None` if the organisation is not active.
	fn acts_for(who: &AccountId, organisation: OrganisationId) -> Option<TradeRole>;

	/// The trade role of `organisation`, if it is an active organisation that trades in or
	/// oversees products.
	fn role_of(organisation: OrganisationId) -> Option<TradeRole>;
}

/// Sets up, in benchmarks, the trading partners the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId> {
	/// A new organisation playing `role`, for which `who` acts.
	fn trading_partner(who: &AccountId, role: TradeRole) -> OrganisationId;
}
