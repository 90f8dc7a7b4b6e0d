//! PENDING: replaced by the output of `scripts/benchmark pallet_remote_monitoring`.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call of `pallet_remote_monitoring`.
pub trait WeightInfo {
	fn register_device() -> Weight;
	fn propose_binding() -> Weight;
	fn confirm_binding() -> Weight;
	fn unbind_device() -> Weight;
	fn retire_device() -> Weight;
	fn anchor_batch() -> Weight;
	fn set_alert_rule() -> Weight;
	fn remove_alert_rule() -> Weight;
	fn raise_alert() -> Weight;
	fn acknowledge_alert() -> Weight;
}

/// Weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_device() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn propose_binding() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn confirm_binding() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn unbind_device() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn retire_device() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn anchor_batch() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn set_alert_rule() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn remove_alert_rule() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn raise_alert() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn acknowledge_alert() -> Weight { Weight::from_parts(10_000_000, 0) }
}

impl WeightInfo for () {
	fn register_device() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn propose_binding() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn confirm_binding() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn unbind_device() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn retire_device() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn anchor_batch() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn set_alert_rule() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn remove_alert_rule() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn raise_alert() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn acknowledge_alert() -> Weight { Weight::from_parts(10_000_000, 0) }
}
