//! A test runtime with the prescriptions pallet, a timestamp clock, and mocks of the identity
//! pallet's answers and of the provenance pallet's stock, which each test sets.

use crate as pallet_prescriptions;
use crate::{Dispensary, Moment, PrescribingIdentity};
use core::cell::RefCell;
use frame_support::{derive_impl, dispatch::DispatchResult, traits::ConstU32};
use sp_runtime::{BuildStorage, DispatchError};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are plain numbers in tests.
pub type AccountId = u64;
/// So are organisations, products and serials.
pub type OrganisationId = u32;
/// A product code.
pub type ProductCode = u32;
/// A serial number.
pub type SerialNumber = u32;

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
	pub type PrescriptionsPallet = pallet_prescriptions;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_prescriptions::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type ProductCode = ProductCode;
	type SerialNumber = SerialNumber;
	type Identity = MockWorld;
	type Dispensary = MockWorld;
	type Time = Timestamp;
	type MaxUnitsPerFill = ConstU32<3>;
	type MaxRefills = ConstU32<2>;
	type DefaultControlledLimits = ControlledDefaults;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockWorld;
}

frame_support::parameter_types! {
	/// One refill of at most two units, a week apart, until a regulator says otherwise.
	pub const ControlledDefaults: crate::ControlledLimits =
		crate::ControlledLimits { max_refills: 1, max_units_per_fill: 2, min_refill_interval: 7 * 24 * 3_600_000 };
}

/// Who is who, and what each pharmacy holds.
#[derive(Default)]
pub struct World {
	/// Registered patients.
	pub patients: BTreeSet<AccountId>,
	/// (guardian, patient) pairs with the prescriptions scope.
	pub guardians: BTreeSet<(AccountId, AccountId)>,
	/// Licensed practitioners.
	pub prescribers: BTreeSet<AccountId>,
	/// (pharmacist, pharmacy) pairs of licensed pharmacists.
	pub pharmacists: BTreeSet<(AccountId, OrganisationId)>,
	/// Holders of a controlled-substance authorisation.
	pub controlled_handlers: BTreeSet<AccountId>,
	/// Admins of regulators.
	pub regulators: BTreeSet<AccountId>,
	/// Registered products, and whether each is controlled.
	pub products: BTreeMap<ProductCode, bool>,
	/// Units in stock at a pharmacy: (pharmacy, product, serial).
	pub stock: BTreeSet<(OrganisationId, ProductCode, SerialNumber)>,
	/// Units dispensed, in order.
	pub dispensed: Vec<(OrganisationId, ProductCode, SerialNumber)>,
}

thread_local! {
	/// The world of the running test.
	pub static WORLD: RefCell<World> = RefCell::new(World::default());
}

/// Changes the world of the running test.
pub fn world<R>(change: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| change(&mut w.borrow_mut()))
}

/// The identity and provenance pallets, as this pallet sees them.
pub struct MockWorld;

impl PrescribingIdentity<AccountId, OrganisationId> for MockWorld {
	fn is_patient(who: &AccountId) -> bool {
		world(|w| w.patients.contains(who))
	}
	fn may_manage_prescriptions(who: &AccountId, patient: &AccountId) -> bool {
		world(|w| w.patients.contains(patient) && (who == patient || w.guardians.contains(&(*who, *patient))))
	}
	fn is_prescriber(who: &AccountId) -> bool {
		world(|w| w.prescribers.contains(who))
	}
	fn is_pharmacist_at(who: &AccountId, pharmacy: OrganisationId) -> bool {
		world(|w| w.pharmacists.contains(&(*who, pharmacy)))
	}
	fn may_handle_controlled(who: &AccountId) -> bool {
		world(|w| w.controlled_handlers.contains(who))
	}
	fn is_regulator(who: &AccountId) -> bool {
		world(|w| w.regulators.contains(who))
	}
}

/// What the mock dispensary says when a unit cannot be dispensed.
pub const NOT_DISPENSABLE: DispatchError = DispatchError::Other("not dispensable");

impl Dispensary<OrganisationId, ProductCode, SerialNumber> for MockWorld {
	fn is_controlled(product: &ProductCode) -> Option<bool> {
		world(|w| w.products.get(product).copied())
	}
	fn dispense(pharmacy: OrganisationId, product: &ProductCode, serials: &[SerialNumber]) -> DispatchResult {
		world(|w| {
			if !serials.iter().all(|s| w.stock.contains(&(pharmacy, *product, *s))) {
				return Err(NOT_DISPENSABLE);
			}
			for s in serials {
				w.stock.remove(&(pharmacy, *product, *s));
				w.dispensed.push((pharmacy, *product, *s));
			}
			Ok(())
		})
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, OrganisationId, ProductCode, SerialNumber> for MockWorld {
	fn register_patient(who: &AccountId) {
		world(|w| {
			w.patients.insert(*who);
		});
	}
	fn make_prescriber(who: &AccountId) {
		world(|w| {
			w.prescribers.insert(*who);
			w.controlled_handlers.insert(*who);
		});
	}
	fn make_regulator(who: &AccountId) {
		world(|w| {
			w.regulators.insert(*who);
		});
	}
	fn stocked_pharmacy(who: &AccountId, units: u32) -> (OrganisationId, ProductCode, Vec<SerialNumber>) {
		world(|w| {
			let (pharmacy, product) = (500, 77);
			w.pharmacists.insert((*who, pharmacy));
			w.controlled_handlers.insert(*who);
			w.products.insert(product, true);
			w.stock.extend((0..units).map(|s| (pharmacy, product, s)));
			(pharmacy, product, (0..units).collect())
		})
	}
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: Moment = 1_798_761_600_000;

/// A test externality with no prescriptions and an empty world, at block 1 and time [`NOW`].
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

/// Runs `test`, then checks that the pallet's index and statuses still agree.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		PrescriptionsPallet::do_try_state().expect("the prescriptions pallet's state is consistent");
	})
}

/// Moves the chain's clock to `moment`.
pub fn set_now(moment: Moment) {
	pallet_timestamp::Now::<Test>::put(moment);
}
