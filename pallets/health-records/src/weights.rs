//! Placeholder weights of `pallet_health_records`, until `scripts/benchmark` measures them.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// The weight of each call of `pallet_health_records`.
pub trait WeightInfo {
	fn add_record() -> Weight;
	fn amend_record() -> Weight;
	fn grant_access() -> Weight;
	fn revoke_access() -> Weight;
	fn log_releases(n: u32) -> Weight;
	fn break_glass() -> Weight;
	fn close_emergency_review() -> Weight;
	fn erase_record(v: u32) -> Weight;
	fn confirm_erasure() -> Weight;
}

/// Weights for `pallet_health_records` on the HealthChain runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_record() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn amend_record() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn grant_access() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn revoke_access() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn log_releases(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn break_glass() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn close_emergency_review() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn erase_record(v: u32) -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn confirm_erasure() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
}

/// The same weights with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn add_record() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn amend_record() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn grant_access() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn revoke_access() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn log_releases(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn break_glass() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn close_emergency_review() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn erase_record(v: u32) -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(v.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn confirm_erasure() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
}
