//! A test runtime with the identity pallet, a timestamp clock and Root as governance.

use crate as pallet_health_identity;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are plain numbers in tests.
pub type AccountId = u64;

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
	pub type Identity = pallet_health_identity;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub static MaxMembers: u32 = 4;
}

/// In tests, a patient's key rotation is the one sponsored call.
pub struct KeyRotation;
impl frame_support::traits::Contains<RuntimeCall> for KeyRotation {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Identity(pallet_health_identity::Call::rotate_patient_key { .. }))
	}
}

impl pallet_health_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type Time = Timestamp;
	type MaxMembersPerOrganisation = MaxMembers;
	type MaxMembershipsPerAccount = ConstU32<3>;
	type MaxGuardiansPerPatient = ConstU32<2>;
	type MaxEnrolmentsPerDay = ConstU32<3>;
	type SponsoredTransactionsPerDay = ConstU32<3>;
	type SponsoredCalls = KeyRotation;
	type WeightInfo = ();
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: u64 = 1_798_761_600_000;

/// A test externality with an empty identity pallet, at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
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
		Identity::do_try_state().expect("the identity pallet's state is consistent");
	})
}

/// Moves the chain's clock to `moment`.
pub fn set_now(moment: u64) {
	pallet_timestamp::Now::<Test>::put(moment);
}
