//! A test runtime with the consortium network pallet, Root as the governance origin, mocks
//! of the session keys registry and of the session pallet's rotation.

use crate as pallet_consortium_network;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_core::Bytes;
use sp_runtime::BuildStorage;
use std::collections::BTreeSet;

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
	pub type ConsortiumNetwork = pallet_consortium_network;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The most validators in tests.
pub const MAX_VALIDATORS: u32 = 5;
/// The most authorised nodes in tests.
pub const MAX_NODES: u32 = 4;
/// The shortest session in tests.
pub const MIN_SESSION_LENGTH: u64 = 5;

impl pallet_consortium_network::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type SessionKeys = MockSessionKeys;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<2>;
	type MaxNodes = ConstU32<MAX_NODES>;
	type MinSessionLength = ConstU64<MIN_SESSION_LENGTH>;
	type SessionRotation = MockSessionRotation;
	type WeightInfo = ();
}

thread_local! {
	/// The accounts that have registered session keys in the running test.
	pub static KEYED: RefCell<BTreeSet<AccountId>> = RefCell::new(BTreeSet::new());
}

/// The session pallet's registry of keys, as this pallet sees it.
pub struct MockSessionKeys;

impl crate::SessionKeysRegistry<AccountId> for MockSessionKeys {
	fn has_session_keys(who: &AccountId) -> bool {
		KEYED.with(|k| k.borrow().contains(who))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_session_keys(who: &AccountId) {
		KEYED.with(|k| k.borrow_mut().insert(*who));
	}
}

thread_local! {
	/// The validator sets the mock session pallet took at each rotation so far (`None` when
	/// the set had not changed), in order.
	pub static ROTATIONS: RefCell<Vec<Option<Vec<AccountId>>>> = RefCell::new(Vec::new());
}

/// The session pallet's rotation, as this pallet sees it: it asks the pallet, as its
/// `SessionManager`, for the next session's validators, as `pallet_session` does.
pub struct MockSessionRotation;

impl crate::SessionRotation for MockSessionRotation {
	fn rotate_session() {
		let index = ROTATIONS.with(|r| r.borrow().len() as u32) + 1;
		let planned = <ConsortiumNetwork as pallet_session::SessionManager<AccountId>>::new_session(index);
		ROTATIONS.with(|r| r.borrow_mut().push(planned));
	}
}

/// Gives `who` session keys.
pub fn give_keys(who: AccountId) {
	KEYED.with(|k| k.borrow_mut().insert(who));
}

/// The genesis validators.
pub const GENESIS_VALIDATORS: [AccountId; 3] = [1, 2, 3];
/// The genesis session length.
pub const GENESIS_SESSION_LENGTH: u64 = 10;

/// The peer id of test node `n`: the ed25519 prefix and a public key of `n`s.
pub fn peer(n: u8) -> Vec<u8> {
	crate::peer_id_of(&[n; 32]).into_inner()
}

/// A test externality with validators 1, 2, 3 (each with session keys), sessions of ten
/// blocks, and nodes 1 and 2 authorised (run by 1 and 2), at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	KEYED.with(|k| *k.borrow_mut() = GENESIS_VALIDATORS.into_iter().collect());
	ROTATIONS.with(|r| r.borrow_mut().clear());
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		consortium_network: pallet_consortium_network::GenesisConfig {
			validators: GENESIS_VALIDATORS.to_vec(),
			session_length: GENESIS_SESSION_LENGTH,
			nodes: vec![(Bytes(peer(1)), 1), (Bytes(peer(2)), 2)],
			min_validators: 2,
		},
	}
	.build_storage()
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test`, then checks that the pallet's state is consistent.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ConsortiumNetwork::do_try_state().expect("the consortium network pallet's state is consistent");
	})
}
