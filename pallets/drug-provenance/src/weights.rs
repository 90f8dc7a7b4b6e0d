//! PENDING: replaced by the output of `scripts/benchmark pallet_drug_provenance`.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call of `pallet_drug_provenance`.
pub trait WeightInfo {
	fn register_product() -> Weight;
	fn commission_serials(n: u32) -> Weight;
	fn ship_units(n: u32) -> Weight;
	fn receive_units(n: u32) -> Weight;
	fn recall_lot() -> Weight;
	fn flag_suspect() -> Weight;
	fn clear_suspect() -> Weight;
	fn confirm_illegitimate() -> Weight;
	fn return_units(n: u32) -> Weight;
	fn accept_return() -> Weight;
	fn destroy_units(n: u32) -> Weight;
}

/// Weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_product() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn commission_serials(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn ship_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn receive_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn recall_lot() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn flag_suspect() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn clear_suspect() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn confirm_illegitimate() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn return_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn accept_return() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn destroy_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
}

impl WeightInfo for () {
	fn register_product() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn commission_serials(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn ship_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn receive_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn recall_lot() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn flag_suspect() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn clear_suspect() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn confirm_illegitimate() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn return_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn accept_return() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn destroy_units(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
}
