//! A test runtime with the {{title_lower}} pallet, a timestamp clock, and a fixed set of
//! patients and practitioners in place of the identity pallet.

use crate as {{module}};
use frame_support::derive_impl;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are plain numbers in tests.
pub type AccountId = u64;

/// A registered patient.
pub const PATIENT: AccountId = 1;
/// A licensed practitioner.
pub const PRACTITIONER: AccountId = 10;
/// An account that is neither.
pub const STRANGER: AccountId = 99;

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
	pub type {{Type}} = {{module}};
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

thread_local! {
	/// Who is a patient and who a practitioner, beside [`PATIENT`] and [`PRACTITIONER`]: the
	/// benchmarks add theirs.
	static PATIENTS: core::cell::RefCell<alloc::collections::BTreeSet<AccountId>> = Default::default();
	static PRACTITIONERS: core::cell::RefCell<alloc::collections::BTreeSet<AccountId>> = Default::default();
}

/// The identity pallet's answers.
pub struct MockIdentity;

impl {{module}}::{{Identity}}<AccountId> for MockIdentity {
	fn is_patient(who: &AccountId) -> bool {
		*who == PATIENT || PATIENTS.with(|p| p.borrow().contains(who))
	}

	fn is_practitioner(who: &AccountId) -> bool {
		*who == PRACTITIONER || PRACTITIONERS.with(|p| p.borrow().contains(who))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl {{module}}::BenchmarkHelper<AccountId> for MockIdentity {
	fn register_patient(who: &AccountId) {
		PATIENTS.with(|p| p.borrow_mut().insert(*who));
	}

	fn make_practitioner(who: &AccountId) {
		PRACTITIONERS.with(|p| p.borrow_mut().insert(*who));
	}
}

impl {{module}}::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Identity = MockIdentity;
	type Time = Timestamp;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockIdentity;
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: u64 = 1_798_761_600_000;

/// A test externality at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
	});
	ext
}

/// Runs `test`, then checks the pallet's `try_state`.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		{{Type}}::do_try_state().expect("the pallet's state is consistent");
	})
}
