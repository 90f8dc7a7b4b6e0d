//! Storage migrations of the insurance-claims pallet, one module per storage version.

/// Version 1: duplicate fingerprints are keyed by the day of service and the sorted procedure
/// codes ([`Pallet::fingerprint`]).
pub mod v1 {
	use crate::pallet::*;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Recomputes every claim's fingerprint and re-keys [`Fingerprints`] by it. Where two
	/// earlier claims turn out to be the same service (billed at two times of a day, or with
	/// their codes in two orders), the earlier one takes the new fingerprint and the later one
	/// keeps its old one, so no claim loses its index entry; new submissions of that service
	/// are refused either way.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut ids: alloc::vec::Vec<_> = Claims::<T>::iter_keys().collect();
			ids.sort();
			let (mut reads, mut writes) = (ids.len() as u64, 0u64);
			for id in ids {
				let Some(mut claim) = Claims::<T>::get(id) else { continue };
				reads += 2;
				let fingerprint = Pallet::<T>::fingerprint(
					&claim.patient,
					claim.provider,
					claim.service_date,
					&claim.procedure_codes,
					claim.billed,
				);
				if fingerprint == claim.fingerprint || Fingerprints::<T>::contains_key(fingerprint) {
					continue;
				}
				Fingerprints::<T>::remove(claim.fingerprint);
				Fingerprints::<T>::insert(fingerprint, id);
				claim.fingerprint = fingerprint;
				Claims::<T>::insert(id, claim);
				writes += 3;
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
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
