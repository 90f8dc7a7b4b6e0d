//! A test runtime with the monitoring pallet, a timestamp clock, and a mock of the identity
//! pallet's answers, which each test sets.

use crate as pallet_remote_monitoring;
use crate::{MonitoringIdentity, Moment};
use core::cell::RefCell;
use frame_support::derive_impl;
use sp_runtime::BuildStorage;
use std::collections::BTreeSet;

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
	pub type RemoteMonitoring = pallet_remote_monitoring;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_remote_monitoring::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = MockIdentity;
	type Time = Timestamp;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockIdentity;
}

/// Who is who, as the identity and health-records pallets would answer.
#[derive(Default)]
pub struct Identities {
	/// Registered patients.
	pub patients: BTreeSet<AccountId>,
	/// (guardian, patient) pairs with the remote-monitoring scope.
	pub guardians: BTreeSet<(AccountId, AccountId)>,
	/// (staff, organisation) pairs of care staff.
	pub staff: BTreeSet<(AccountId, OrganisationId)>,
	/// (organisation, patient) pairs: the patient's grant to the organisation is in force.
	pub grants: BTreeSet<(OrganisationId, AccountId)>,
}

thread_local! {
	/// The identities of the running test.
	pub static IDENTITIES: RefCell<Identities> = RefCell::new(Identities::default());
}

/// Changes the identities of the running test.
pub fn identities<R>(change: impl FnOnce(&mut Identities) -> R) -> R {
	IDENTITIES.with(|i| change(&mut i.borrow_mut()))
}

/// The identity and health-records pallets, as this pallet sees them.
pub struct MockIdentity;

impl MonitoringIdentity<AccountId, OrganisationId> for MockIdentity {
	fn is_patient(who: &AccountId) -> bool {
		identities(|i| i.patients.contains(who))
	}
	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool {
		identities(|i| i.patients.contains(patient) && (who == patient || i.guardians.contains(&(*who, *patient))))
	}
	fn is_care_staff(who: &AccountId, organisation: OrganisationId) -> bool {
		identities(|i| i.staff.contains(&(*who, organisation)))
	}
	fn is_care_team(who: &AccountId, organisation: OrganisationId, patient: &AccountId) -> bool {
		identities(|i| i.staff.contains(&(*who, organisation)) && i.grants.contains(&(organisation, *patient)))
	}
	fn has_access(organisation: OrganisationId, patient: &AccountId) -> bool {
		identities(|i| i.grants.contains(&(organisation, *patient)))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, OrganisationId> for MockIdentity {
	fn register_patient(who: &AccountId) {
		identities(|i| {
			i.patients.insert(*who);
		});
	}
	fn care_team(who: &AccountId, patient: &AccountId) -> OrganisationId {
		identities(|i| {
			i.staff.insert((*who, 300));
			i.grants.insert((300, *patient));
			300
		})
	}
	fn set_clock(moment: Moment) {
		pallet_timestamp::Now::<Test>::put(moment);
	}
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: Moment = 1_798_761_600_000;

/// A test externality with no coverage and no identities, at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	IDENTITIES.with(|i| *i.borrow_mut() = Identities::default());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
	});
	ext
}

/// Runs `test`, then checks that the pallet's indexes still agree.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		RemoteMonitoring::do_try_state().expect("the monitoring pallet's state is consistent");
	})
}
