//! Bootstrap only: replaced by `scripts/benchmark pallet_research_consent` before this pallet
//! is used.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call of `pallet_research_consent`.
pub trait WeightInfo {
	fn register_study(r: u32, ) -> Weight;
	fn approve_study() -> Weight;
	fn suspend_study() -> Weight;
	fn give_consent(a: u32, ) -> Weight;
	fn narrow_consent(a: u32, ) -> Weight;
	fn withdraw_consent(a: u32, ) -> Weight;
	fn request_access() -> Weight;
	fn end_access() -> Weight;
}

/// Weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_study(_r: u32, ) -> Weight { Weight::zero() }
	fn approve_study() -> Weight { Weight::zero() }
	fn suspend_study() -> Weight { Weight::zero() }
	fn give_consent(_a: u32, ) -> Weight { Weight::zero() }
	fn narrow_consent(_a: u32, ) -> Weight { Weight::zero() }
	fn withdraw_consent(_a: u32, ) -> Weight { Weight::zero() }
	fn request_access() -> Weight { Weight::zero() }
	fn end_access() -> Weight { Weight::zero() }
}

impl WeightInfo for () {
	fn register_study(_r: u32, ) -> Weight { Weight::zero() }
	fn approve_study() -> Weight { Weight::zero() }
	fn suspend_study() -> Weight { Weight::zero() }
	fn give_consent(_a: u32, ) -> Weight { Weight::zero() }
	fn narrow_consent(_a: u32, ) -> Weight { Weight::zero() }
	fn withdraw_consent(_a: u32, ) -> Weight { Weight::zero() }
	fn request_access() -> Weight { Weight::zero() }
	fn end_access() -> Weight { Weight::zero() }
}
