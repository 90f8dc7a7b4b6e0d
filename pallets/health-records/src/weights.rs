//! PENDING: replaced by the output of `scripts/benchmark pallet_health_records` before this
//! pallet is released; until then every call weighs the same fixed amount.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call of `pallet_health_records`.
pub trait WeightInfo {
	fn add_record(r: u32) -> Weight;
	fn amend_record(r: u32) -> Weight;
	fn grant_access(n: u32) -> Weight;
	fn revoke_access(n: u32) -> Weight;
	fn share_keys(k: u32) -> Weight;
	fn log_access() -> Weight;
	fn break_glass() -> Weight;
	fn close_emergency_review() -> Weight;
	fn erase_record(r: u32) -> Weight;
}

/// Weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_record(_r: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn amend_record(_r: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn grant_access(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn revoke_access(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn share_keys(_k: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn log_access() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn break_glass() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn close_emergency_review() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn erase_record(_r: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
}

impl WeightInfo for () {
	fn add_record(_r: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn amend_record(_r: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn grant_access(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn revoke_access(_n: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn share_keys(_k: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
	fn log_access() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn break_glass() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn close_emergency_review() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn erase_record(_r: u32) -> Weight { Weight::from_parts(10_000_000, 0) }
}
