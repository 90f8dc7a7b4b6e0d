//! Storage migrations of the prescriptions pallet, one module per storage version.

/// Version 1: a prescription has a refill interval and records its last fill.
pub mod v1 {
	use crate::{pallet::*, types::*};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use sp_core::H256;

	/// The layout of version 0, to decode what is stored.
	pub mod v0 {
		use super::*;

		/// A prescription before version 1.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct Prescription<AccountId, ProductCode> {
			/// The patient.
			pub patient: AccountId,
			/// The practitioner who issued it.
			pub prescriber: AccountId,
			/// Hash of the FHIR MedicationRequest.
			pub medication_request_hash: H256,
			/// The product prescribed.
			pub product: ProductCode,
			/// Whether the product is a controlled substance.
			pub controlled: bool,
			/// Units handed over at each fill.
			pub quantity: u32,
			/// Fills allowed after the first.
			pub refills: u32,
			/// Fills dispensed so far.
			pub fills: u32,
			/// First moment it may be dispensed.
			pub valid_from: Moment,
			/// End of its validity.
			pub valid_until: Moment,
			/// Active, completed or cancelled.
			pub status: PrescriptionStatus<AccountId>,
		}
	}

	/// Gives every prescription no refill interval (the terms it was issued with) and, if it
	/// was filled, its start of validity as the moment of its last fill: the interval is zero,
	/// so only the invariant that a filled prescription records a fill depends on it.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Prescriptions::<T>::translate::<v0::Prescription<T::AccountId, T::ProductCode>, _>(|_, old| {
				count += 1;
				Some(Prescription {
					patient: old.patient,
					prescriber: old.prescriber,
					medication_request_hash: old.medication_request_hash,
					product: old.product,
					controlled: old.controlled,
					quantity: old.quantity,
					refills: old.refills,
					refill_interval: 0,
					fills: old.fills,
					last_filled_at: (old.fills > 0).then_some(old.valid_from),
					valid_from: old.valid_from,
					valid_until: old.valid_until,
					status: old.status,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Prescriptions::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count")?;
			ensure!(Prescriptions::<T>::iter_values().count() as u32 == before, "every prescription is kept");
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
