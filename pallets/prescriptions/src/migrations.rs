//! Storage migrations of the prescriptions pallet, one module per storage version.

/// Version 1: a prescription has a refill interval and records its last fill.
pub mod v1 {
	use crate::{pallet::*, types::*};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use sp_core::H256;

	/// A prescription as version 1 stored it (patient, product and quantity in the clear), what
	/// this migration writes and [`super::v2`] reads.
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
		/// The least time between two fills.
		pub refill_interval: Moment,
		/// Fills dispensed so far.
		pub fills: u32,
		/// When the last fill was dispensed.
		pub last_filled_at: Option<Moment>,
		/// First moment it may be dispensed.
		pub valid_from: Moment,
		/// End of its validity.
		pub valid_until: Moment,
		/// Active, completed or cancelled.
		pub status: PrescriptionStatus<AccountId>,
	}

	/// `Prescriptions` in the version 1 layout (a storage alias: the same key).
	#[frame_support::storage_alias]
	pub(crate) type Prescriptions<T: Config> = StorageMap<
		Pallet<T>,
		Blake2_128Concat,
		PrescriptionId,
		Prescription<<T as frame_system::Config>::AccountId, <T as Config>::ProductCode>,
	>;

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

/// Version 2: no patient, product or quantity in the clear.
///
/// Version 1 kept each prescription's patient, product and quantity, and an index of each
/// patient's prescriptions. The migration drops the patient (its commitment is zero: nobody can
/// open it, so only the prescriber cancels these prescriptions on chain) and the index, and
/// commits to the product and quantity under a zero salt, with which a pharmacy dispenses the
/// remaining fills of these prescriptions (their product was public; their patient no longer
/// is). What the blocks that carried them hold stays, which the README's threat model says.
pub mod v2 {
	use super::v1;
	use crate::{pallet::*, types::*};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use sp_core::H256;

	/// The salt of the item commitments this migration writes.
	pub const MIGRATED_SALT: Salt = [0; 32];

	/// Each patient's prescriptions, as version 1 indexed them.
	#[frame_support::storage_alias]
	pub(crate) type PatientPrescriptions<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		Blake2_128Concat,
		PrescriptionId,
		(),
	>;

	/// Rewrites every prescription with commitments, and drops the patients' index.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Prescriptions::<T>::translate::<v1::Prescription<T::AccountId, T::ProductCode>, _>(|_, old| {
				count += 1;
				Some(Prescription {
					patient_commitment: H256::zero(),
					prescriber: old.prescriber,
					medication_request_hash: old.medication_request_hash,
					item_commitment: Pallet::<T>::item_commitment(&old.product, old.quantity, &MIGRATED_SALT),
					controlled: old.controlled,
					refills: old.refills,
					refill_interval: old.refill_interval,
					fills: old.fills,
					last_filled_at: old.last_filled_at,
					valid_from: old.valid_from,
					valid_until: old.valid_until,
					status: old.status,
				})
			});
			let index = PatientPrescriptions::<T>::clear(u32::MAX, None).unique as u64;
			T::DbWeight::get().reads_writes(count + index, count + index)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Prescriptions::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count")?;
			ensure!(Prescriptions::<T>::iter_values().count() as u32 == before, "every prescription is kept");
			ensure!(PatientPrescriptions::<T>::iter_keys().next().is_none(), "the patients' index is gone");
			// The whole state is checked after version 3, which adds the index it checks too.
			Ok(())
		}
	}

	/// [`InnerMigrateV1ToV2`], run once: only while the stored version is 1, which it sets to 2
	/// (a chain at 0 runs [`v1::MigrateV0ToV1`] first).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 3: prescriptions indexed by their MedicationRequest's hash
/// ([`PrescriptionsByRequest`](crate::PrescriptionsByRequest)), so that the patient's
/// application, which holds the document, finds them.
pub mod v3 {
	use crate::pallet::*;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Indexes every prescription under its MedicationRequest's hash.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			for (id, prescription) in Prescriptions::<T>::iter() {
				count += 1;
				PrescriptionsByRequest::<T>::insert(prescription.medication_request_hash, id, ());
			}
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			ensure!(PrescriptionsByRequest::<T>::iter_keys().next().is_none(), "no index before version 3");
			Ok((Prescriptions::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count")?;
			ensure!(PrescriptionsByRequest::<T>::iter_keys().count() as u32 == before, "every prescription is indexed");
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV2ToV3`], run once: only while the stored version is 2, which it sets to 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
