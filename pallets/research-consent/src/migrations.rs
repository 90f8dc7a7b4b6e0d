//! Storage migrations of the research-consent pallet, one module per storage version.

/// Version 1: the consents given for a patient are bounded, so they are counted.
pub mod v1 {
	use crate::pallet::*;
	use alloc::collections::btree_map::BTreeMap;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Counts the consents given for each patient. Counts above the new bound are kept:
	/// nothing is taken away, no more can be given.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut given = BTreeMap::<T::AccountId, u32>::new();
			let mut reads = 0u64;
			for consent in Consents::<T>::iter_values() {
				reads += 1;
				*given.entry(consent.patient).or_default() += 1;
			}
			let writes = given.len() as u64;
			for (patient, count) in given {
				ConsentsGiven::<T>::insert(patient, count);
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
