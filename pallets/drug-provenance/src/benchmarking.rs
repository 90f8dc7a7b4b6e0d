//! Benchmarks of the provenance pallet's calls, each in its worst case: serials and lots as
//! long as they may be, units with a full history (so a step pushes the oldest out), batch
//! calls over their whole range.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use sp_core::H256;

const FAR_FUTURE: Moment = u64::MAX / 2;

/// A GTIN with a valid check digit.
const GTIN: ProductCode = ProductCode::Gtin(9_506_000_134_352);

/// The `i`th serial, of the longest length.
fn serial(i: u32) -> Vec<u8> {
	let mut id = alloc::format!("{i:020}").into_bytes();
	id.truncate(MAX_SERIAL_LENGTH as usize);
	id
}

fn serials(n: u32) -> Vec<Vec<u8>> {
	(0..n).map(serial).collect()
}

fn max_lot() -> Vec<u8> {
	vec![b'L'; MAX_LOT_LENGTH as usize]
}

/// A trading partner of `role` for which a new account acts.
fn partner<T: Config>(name: &'static str, role: TradeRole) -> (T::AccountId, T::OrganisationId) {
	let who: T::AccountId = account(name, 0, 0);
	let organisation = T::BenchmarkHelper::trading_partner(&who, role);
	(who, organisation)
}

/// `GTIN`, registered by `manufacturer`, with one lot.
fn registered<T: Config>(manufacturer: T::OrganisationId) {
	Products::<T>::insert(
		GTIN,
		Product { manufacturer, kind: ProductKind::Drug, metadata_hash: H256::zero(), controlled: true },
	);
}

/// `n` units of the lot with the given status and custodian, each with a full history.
fn units<T: Config>(custodian: T::OrganisationId, status: UnitStatus<T::OrganisationId>, n: u32) -> Vec<Vec<u8>> {
	let lot = LotNumber::try_from(max_lot()).unwrap();
	let full: Vec<_> = (0..T::MaxHistory::get())
		.map(|_| Step { step: BusinessStep::Received, by: custodian, at: 0 })
		.collect();
	let history = BoundedVec::try_from(full).unwrap();
	for id in serials(n) {
		let unit = Unit {
			lot: lot.clone(),
			custodian,
			status: status.clone(),
			quarantined: false,
			steps: T::MaxHistory::get(),
			history: history.clone(),
		};
		Units::<T>::insert(GTIN, SerialNumber::try_from(id).unwrap(), unit);
	}
	let record = Lot { expires_at: FAR_FUTURE, recalled_at: None, units: n };
	Lots::<T>::insert(GTIN, lot, record);
	serials(n)
}

fn quarantine<T: Config>(id: &[u8]) {
	Units::<T>::mutate(GTIN, SerialNumber::try_from(id.to_vec()).unwrap(), |unit| {
		unit.as_mut().unwrap().quarantined = true
	});
}

fn status<T: Config>(id: &[u8]) -> UnitStatus<T::OrganisationId> {
	Units::<T>::get(GTIN, SerialNumber::try_from(id.to_vec()).unwrap()).unwrap().status
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_product() {
		let (caller, manufacturer) = partner::<T>("maker", TradeRole::Manufacturer);
		let udi = ProductCode::UdiDi(BoundedVec::try_from(vec![b'U'; MAX_UDI_LENGTH as usize]).unwrap());
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), manufacturer, udi.clone(), ProductKind::Device, H256::zero(), true);
		assert!(Products::<T>::contains_key(&udi));
	}

	/// Commissions `n` serials into an existing lot.
	#[benchmark]
	fn commission_serials(n: Linear<1, { T::MaxCommissionBatch::get() }>) {
		let (caller, manufacturer) = partner::<T>("maker", TradeRole::Manufacturer);
		registered::<T>(manufacturer);
		units::<T>(manufacturer, UnitStatus::InStock, 0);
		let batch: Vec<Vec<u8>> = (0..n).map(|i| serial(i + 1_000_000)).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), manufacturer, GTIN, max_lot(), FAR_FUTURE, batch);
		assert_eq!(Lots::<T>::get(GTIN, LotNumber::try_from(max_lot()).unwrap()).unwrap().units, n);
	}

	#[benchmark]
	fn ship_units(n: Linear<1, { T::MaxUnitsPerCall::get() }>) {
		let (caller, distributor) = partner::<T>("wholesaler", TradeRole::Distributor);
		let (_, pharmacy) = partner::<T>("pharmacist", TradeRole::Dispenser);
		registered::<T>(distributor);
		let batch = units::<T>(distributor, UnitStatus::InStock, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), distributor, GTIN, batch.clone(), pharmacy);
		assert_eq!(status::<T>(&batch[0]), UnitStatus::InTransit { to: pharmacy, returning: false });
	}

	#[benchmark]
	fn receive_units(n: Linear<1, { T::MaxUnitsPerCall::get() }>) {
		let (_, distributor) = partner::<T>("wholesaler", TradeRole::Distributor);
		let (caller, pharmacy) = partner::<T>("pharmacist", TradeRole::Dispenser);
		registered::<T>(distributor);
		let batch = units::<T>(distributor, UnitStatus::InTransit { to: pharmacy, returning: false }, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pharmacy, GTIN, batch.clone());
		assert_eq!(status::<T>(&batch[0]), UnitStatus::InStock);
	}

	#[benchmark]
	fn recall_lot() {
		let (_, manufacturer) = partner::<T>("maker", TradeRole::Manufacturer);
		let (caller, regulator) = partner::<T>("inspector", TradeRole::Regulator);
		registered::<T>(manufacturer);
		units::<T>(manufacturer, UnitStatus::InStock, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), regulator, GTIN, max_lot());
		assert!(Lots::<T>::get(GTIN, LotNumber::try_from(max_lot()).unwrap()).unwrap().recalled_at.is_some());
	}

	/// A distributor that handled the unit long ago: found at the end of its full history.
	#[benchmark]
	fn flag_suspect() {
		let (caller, distributor) = partner::<T>("wholesaler", TradeRole::Distributor);
		let (_, pharmacy) = partner::<T>("pharmacist", TradeRole::Dispenser);
		registered::<T>(pharmacy);
		let unit = units::<T>(pharmacy, UnitStatus::InStock, 1).remove(0);
		Units::<T>::mutate(GTIN, SerialNumber::try_from(unit.clone()).unwrap(), |u| {
			let history = &mut u.as_mut().unwrap().history;
			let last = history.len() - 1;
			history[last].by = distributor;
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), distributor, GTIN, unit.clone(), SuspectReason::Counterfeit);
		assert!(Units::<T>::get(GTIN, SerialNumber::try_from(unit).unwrap()).unwrap().quarantined);
	}

	#[benchmark]
	fn clear_suspect() {
		let (_, manufacturer) = partner::<T>("maker", TradeRole::Manufacturer);
		let (caller, regulator) = partner::<T>("inspector", TradeRole::Regulator);
		registered::<T>(manufacturer);
		let unit = units::<T>(manufacturer, UnitStatus::InStock, 1).remove(0);
		quarantine::<T>(&unit);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), regulator, GTIN, unit.clone());
		assert!(!Units::<T>::get(GTIN, SerialNumber::try_from(unit).unwrap()).unwrap().quarantined);
	}

	#[benchmark]
	fn confirm_illegitimate() {
		let (_, manufacturer) = partner::<T>("maker", TradeRole::Manufacturer);
		let (caller, regulator) = partner::<T>("inspector", TradeRole::Regulator);
		registered::<T>(manufacturer);
		let unit = units::<T>(manufacturer, UnitStatus::InStock, 1).remove(0);
		quarantine::<T>(&unit);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), regulator, GTIN, unit.clone());
		assert_eq!(status::<T>(&unit), UnitStatus::Illegitimate);
	}

	#[benchmark]
	fn return_units(n: Linear<1, { T::MaxUnitsPerCall::get() }>) {
		let (_, distributor) = partner::<T>("wholesaler", TradeRole::Distributor);
		let (caller, pharmacy) = partner::<T>("pharmacist", TradeRole::Dispenser);
		registered::<T>(distributor);
		let batch = units::<T>(pharmacy, UnitStatus::InStock, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pharmacy, GTIN, batch.clone(), distributor);
		assert_eq!(status::<T>(&batch[0]), UnitStatus::InTransit { to: distributor, returning: true });
	}

	#[benchmark]
	fn accept_return() {
		let (caller, distributor) = partner::<T>("wholesaler", TradeRole::Distributor);
		registered::<T>(distributor);
		let (_, pharmacy) = partner::<T>("pharmacist", TradeRole::Dispenser);
		let unit = units::<T>(pharmacy, UnitStatus::InTransit { to: distributor, returning: true }, 1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), distributor, GTIN, unit.clone(), max_lot(), FAR_FUTURE);
		assert_eq!(status::<T>(&unit), UnitStatus::InStock);
	}

	#[benchmark]
	fn destroy_units(n: Linear<1, { T::MaxUnitsPerCall::get() }>) {
		let (caller, distributor) = partner::<T>("wholesaler", TradeRole::Distributor);
		registered::<T>(distributor);
		let batch = units::<T>(distributor, UnitStatus::InStock, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), distributor, GTIN, batch.clone());
		assert_eq!(status::<T>(&batch[0]), UnitStatus::Destroyed);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
