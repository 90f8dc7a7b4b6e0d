//! A test runtime with the research-consent pallet, a timestamp clock, and a mock of the
//! identity pallet's answers, which each test sets.

use crate as pallet_research_consent;
use crate::{Moment, ResearchIdentity};
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are plain numbers in tests.
pub type AccountId = u64;
/// So are organisations.
pub type OrganisationId = u32;

/// Record types, as the health-records pallet's.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub enum RecordType {
	/// Observations.
	Observation,
	/// Conditions.
	Condition,
	/// Medication statements.
	MedicationStatement,
}

/// How long one access lasts at most: 30 days.
pub const ACCESS_PERIOD: Moment = 30 * 24 * 3_600_000;

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
	pub type ResearchConsent = pallet_research_consent;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_research_consent::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type RecordType = RecordType;
	type Identity = MockIdentity;
	type Time = Timestamp;
	type MaxRecordTypes = ConstU32<2>;
	type MaxApprovedResearchers = ConstU32<3>;
	type MaxStandingConsents = ConstU32<3>;
	type MaxAccessesPerParticipant = ConstU32<3>;
	type MaxConsentsPerParticipant = ConstU32<6>;
	type MaxConsentVersions = ConstU32<5>;
	type MaxReleasesPerLog = ConstU32<3>;
	type AccessPeriod = ConstU64<ACCESS_PERIOD>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockIdentity;
}

/// Who is who, as the identity pallet would answer.
#[derive(Default)]
pub struct World {
	/// Accounts registered with an identity (patients, members of organisations).
	pub identified: BTreeSet<AccountId>,
	/// (guardian, patient) pairs with the research-consent scope.
	pub guardians: BTreeSet<(AccountId, AccountId)>,
	/// (researcher, institute) pairs: certified researchers.
	pub researchers: BTreeSet<(AccountId, OrganisationId)>,
	/// (reviewer, board) pairs: accredited ethics reviewers.
	pub reviewers: BTreeSet<(AccountId, OrganisationId)>,
	/// Vault accounts of custodian organisations.
	pub vaults: BTreeMap<AccountId, OrganisationId>,
}

thread_local! {
	/// The world of the running test.
	pub static WORLD: RefCell<World> = RefCell::new(World::default());
}

/// Reads or changes the world of the running test.
pub fn world<R>(change: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| change(&mut w.borrow_mut()))
}

/// The identity pallet, as this pallet sees it.
pub struct MockIdentity;

impl ResearchIdentity<AccountId, OrganisationId> for MockIdentity {
	fn is_identified(who: &AccountId) -> bool {
		world(|w| w.identified.contains(who))
	}
	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool {
		world(|w| w.identified.contains(patient) && w.guardians.contains(&(*who, *patient)))
	}
	fn is_researcher_at(who: &AccountId, institute: OrganisationId) -> bool {
		world(|w| w.researchers.contains(&(*who, institute)))
	}
	fn is_ethics_reviewer_at(who: &AccountId, board: OrganisationId) -> bool {
		world(|w| w.reviewers.contains(&(*who, board)))
	}
	fn custodian_of_vault(who: &AccountId) -> Option<OrganisationId> {
		world(|w| w.vaults.get(who).copied())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, OrganisationId, RecordType> for MockIdentity {
	fn research_institute(who: &AccountId) -> OrganisationId {
		world(|w| w.researchers.insert((*who, 600)));
		600
	}
	fn add_researcher(who: &AccountId, institute: OrganisationId) {
		world(|w| w.researchers.insert((*who, institute)));
	}
	fn ethics_board(who: &AccountId) -> OrganisationId {
		world(|w| w.reviewers.insert((*who, 700)));
		700
	}
	fn custodian(who: &AccountId) -> OrganisationId {
		world(|w| w.vaults.insert(*who, 800));
		800
	}
	fn record_types() -> Vec<RecordType> {
		vec![RecordType::Observation, RecordType::Condition]
	}
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: Moment = 1_798_761_600_000;

/// A test externality with nobody in the world, at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	WORLD.with(|w| *w.borrow_mut() = World::default());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
	});
	ext
}

/// Runs `test`, then checks that the pallet's indexes and counters still agree.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ResearchConsent::do_try_state().expect("the research-consent pallet's state is consistent");
	})
}
