//! Storage migrations of the identity pallet, one module per storage version.

/// Version 1: patients need no tokens. Every registered patient's account gets the provider
/// reference that enrolment now gives, so that it exists (and its nonce is checked) without
/// a balance and can send sponsored transactions.
pub mod v1 {
	use crate::pallet::*;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Gives every patient's account a provider reference.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut patients = 0u64;
			for patient in Patients::<T>::iter_keys() {
				frame_system::Pallet::<T>::inc_providers(&patient);
				patients += 1;
			}
			T::DbWeight::get().reads_writes(2 * patients, patients)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let providers: alloc::vec::Vec<(T::AccountId, u32)> = Patients::<T>::iter_keys()
				.map(|p| {
					let providers = frame_system::Pallet::<T>::providers(&p);
					(p, providers)
				})
				.collect();
			Ok(providers.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = <alloc::vec::Vec<(T::AccountId, u32)>>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade providers")?;
			for (patient, providers) in before {
				ensure!(
					frame_system::Pallet::<T>::providers(&patient) == providers + 1,
					"a patient without its provider reference"
				);
			}
			Ok(())
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
