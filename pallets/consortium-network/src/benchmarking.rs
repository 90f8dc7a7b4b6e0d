//! Benchmarks of the consortium network pallet's calls, each in its worst case: validator
//! changes over every size of the set, node changes with the list nearly or wholly full, and
//! the session rotation of its `on_initialize` with a whole new set of the most validators.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::pallet_prelude::BlockNumberFor;

/// A set of `size` validators, each with session keys.
fn fill_validators<T: Config>(size: u32) {
	let mut set: Vec<T::AccountId> = (0..size).map(|i| account("validator", i, 0)).collect();
	set.iter().for_each(T::SessionKeys::register_session_keys);
	set.sort();
	Validators::<T>::put(ValidatorSetOf::<T>::try_from(set).expect("size is within MaxValidators"));
}

/// The peer id of benchmark node `i`.
fn node(i: u32) -> PeerId {
	let mut public = [0u8; 32];
	public[..4].copy_from_slice(&i.to_le_bytes());
	peer_id_of(&public)
}

/// `count` authorised nodes besides whatever genesis authorised.
fn fill_nodes<T: Config>(count: u32) {
	let owner: T::AccountId = account("owner", 0, 0);
	for i in 0..count {
		AuthorisedNodes::<T>::insert(node(1_000_000 + i), &owner);
	}
}

fn governance<T: Config>() -> T::RuntimeOrigin {
	T::GovernanceOrigin::try_successful_origin().expect("governance has an origin in benchmarks")
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator(v: Linear<1, { T::MaxValidators::get() - 1 }>) {
		fill_validators::<T>(v);
		let who: T::AccountId = account("newcomer", 0, 0);
		T::SessionKeys::register_session_keys(&who);
		let origin = governance::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Validators::<T>::get().contains(&who));
	}

	#[benchmark]
	fn remove_validator(v: Linear<{ T::MinValidators::get() + 1 }, { T::MaxValidators::get() }>) {
		fill_validators::<T>(v);
		let who = Validators::<T>::get()[0].clone();
		let origin = governance::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Validators::<T>::get().contains(&who));
	}

	#[benchmark]
	fn set_session_length() {
		let blocks: BlockNumberFor<T> = T::MinSessionLength::get() + 1u32.into();
		let origin = governance::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blocks);
		assert_eq!(SessionLength::<T>::get(), blocks);
	}

	#[benchmark]
	fn authorise_node() {
		let free = T::MaxNodes::get().saturating_sub(AuthorisedNodes::<T>::count());
		fill_nodes::<T>(free.saturating_sub(1));
		let peer_id = node(0);
		let owner: T::AccountId = account("owner", 1, 0);
		let origin = governance::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, peer_id.to_vec(), owner);
		assert!(AuthorisedNodes::<T>::contains_key(&peer_id));
	}

	#[benchmark]
	fn revoke_node() {
		let free = T::MaxNodes::get().saturating_sub(AuthorisedNodes::<T>::count());
		fill_nodes::<T>(free);
		let peer_id = node(1_000_000);
		let origin = governance::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, peer_id.to_vec());
		assert!(!AuthorisedNodes::<T>::contains_key(&peer_id));
	}

	#[benchmark]
	fn rotate_session() {
		// The worst rotation hands a changed set of the most validators to the session pallet
		// while the set it queued last time (as large) goes to the consensus engines.
		fill_validators::<T>(T::MaxValidators::get());
		ValidatorsChanged::<T>::put(true);
		T::SessionRotation::rotate_session();
		ValidatorsChanged::<T>::put(true);
		let boundary = SessionLengthOf::<T>::get();
		assert!(Pallet::<T>::session_ends_at(boundary));
		#[block]
		{
			Pallet::<T>::on_initialize(boundary);
		}
		// The session pallet took the new set.
		assert!(!ValidatorsChanged::<T>::get());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
