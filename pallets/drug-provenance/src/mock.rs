//! A test runtime with the provenance pallet, a timestamp clock, and a mock of the identity
//! pallet's answers about trading partners, which each test sets.

use crate as pallet_drug_provenance;
use crate::{Moment, TradeRole, TradingPartners};
use core::cell::RefCell;
use frame_support::{derive_impl, traits::ConstU32};
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are plain numbers in tests.
pub type AccountId = u64;
/// So are organisations.
pub type OrganisationId = u32;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Provenance = pallet_drug_provenance;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_drug_provenance::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Partners = MockPartners;
	type Time = Timestamp;
	type MaxCommissionBatch = ConstU32<1_000>;
	type MaxUnitsPerCall = ConstU32<4>;
	type MaxHistory = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockPartners;
}

/// Trading partners, as the identity pallet would answer.
#[derive(Default)]
pub struct Partners {
	/// The role each active organisation plays.
	pub organisations: BTreeMap<OrganisationId, TradeRole>,
	/// Which accounts act for which organisations.
	pub agents: BTreeMap<AccountId, Vec<OrganisationId>>,
}

thread_local! {
	/// The trading partners of the running test.
	pub static PARTNERS: RefCell<Partners> = RefCell::new(Partners::default());
}

/// Changes the trading partners of the running test.
pub fn partners<R>(change: impl FnOnce(&mut Partners) -> R) -> R {
	PARTNERS.with(|p| change(&mut p.borrow_mut()))
}

/// The identity pallet's answers, as this pallet sees them.
pub struct MockPartners;

impl TradingPartners<AccountId, OrganisationId> for MockPartners {
	fn acts_for(who: &AccountId, organisation: OrganisationId) -> Option<TradeRole> {
		partners(|p| {
			let acts = p.agents.get(who).is_some_and(|orgs| orgs.contains(&organisation));
			if acts {
				p.organisations.get(&organisation).copied()
			} else {
				None
			}
		})
	}
	fn role_of(organisation: OrganisationId) -> Option<TradeRole> {
		partners(|p| p.organisations.get(&organisation).copied())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, OrganisationId> for MockPartners {
	fn trading_partner(who: &AccountId, role: TradeRole) -> OrganisationId {
		partners(|p| {
			let organisation = p.organisations.len() as OrganisationId + 100;
			p.organisations.insert(organisation, role);
			p.agents.entry(*who).or_default().push(organisation);
			organisation
		})
	}
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: Moment = 1_798_761_600_000;

/// A test externality with no products and no trading partners, at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	PARTNERS.with(|p| *p.borrow_mut() = Partners::default());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
	});
	ext
}

/// Runs `test`, then checks that the pallet's counters still agree.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Provenance::do_try_state().expect("the provenance pallet's state is consistent");
	})
}

/// Moves the chain's clock to `moment`.
pub fn set_now(moment: Moment) {
	pallet_timestamp::Now::<Test>::put(moment);
}
