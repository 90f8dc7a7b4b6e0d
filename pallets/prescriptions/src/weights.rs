//! PENDING: replaced by the output of `scripts/benchmark pallet_prescriptions`.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call of `pallet_prescriptions`.
pub trait WeightInfo {
	fn issue_prescription() -> Weight;
	fn dispense_prescription(n: u32) -> Weight;
	fn cancel_prescription() -> Weight;
}

/// Weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn issue_prescription() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn dispense_prescription(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn cancel_prescription() -> Weight { Weight::from_parts(10_000_000, 0) }
}

impl WeightInfo for () {
	fn issue_prescription() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn dispense_prescription(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn cancel_prescription() -> Weight { Weight::from_parts(10_000_000, 0) }
}
