//! Storage migrations of the research-consent pallet, one module per storage version.

/// Version 1: the consents given for a participant are bounded, so they are counted.
pub mod v1 {
	use crate::pallet::*;
	use alloc::collections::btree_map::BTreeMap;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Counts the consents given for each participant. Counts above the new bound are kept:
	/// nothing is taken away, no more can be given.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut given = BTreeMap::<T::AccountId, u32>::new();
			let mut reads = 0u64;
			for consent in Consents::<T>::iter_values() {
				reads += 1;
				*given.entry(consent.participant).or_default() += 1;
			}
			let writes = given.len() as u64;
			for (participant, count) in given {
				ConsentsGiven::<T>::insert(participant, count);
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV0ToV1`], run once: only while the stored version is 0, which it sets to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 2: consents and accesses are keyed by participant, an account that names no one.
/// Those stored under patients' own accounts keep their layout and stand as they are (the
/// patient is their participant); research accesses no longer open grants in the
/// health-records pallet, whose own migration removes the grants they opened; the release log
/// starts empty.
pub mod v2 {
	use crate::pallet::*;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Changes no entry: only the storage version moves.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			Weight::zero()
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV1ToV2`], run once: only while the stored version is 1, which it sets to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
