//! PENDING: replaced by the output of `scripts/benchmark pallet_insurance_claims`.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call of `pallet_insurance_claims`.
pub trait WeightInfo {
	fn register_coverage() -> Weight;
	fn end_coverage() -> Weight;
	fn submit_claim(c: u32) -> Weight;
	fn adjudicate_claim() -> Weight;
	fn mark_paid() -> Weight;
	fn appeal_claim() -> Weight;
}

/// Weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_coverage() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn end_coverage() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn submit_claim(_c: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn adjudicate_claim() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn mark_paid() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn appeal_claim() -> Weight { Weight::from_parts(10_000_000, 0) }
}

impl WeightInfo for () {
	fn register_coverage() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn end_coverage() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn submit_claim(_c: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn adjudicate_claim() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn mark_paid() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn appeal_claim() -> Weight { Weight::from_parts(10_000_000, 0) }
}
