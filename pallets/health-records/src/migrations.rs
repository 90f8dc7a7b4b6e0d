//! Storage migrations of the health-records pallet, one module per storage version.

/// Version 1: a break-glass access records the organisation at which the glass was broken.
pub mod v1 {
	use crate::{pallet::*, types::*};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// The layout of version 0, to decode what is stored.
	pub mod v0 {
		use super::*;

		/// A break-glass access before version 1: no organisation.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct EmergencyAccess<AccountId> {
			/// The patient whose records it opens.
			pub patient: AccountId,
			/// The practitioner who opened it.
			pub practitioner: AccountId,
			/// Why.
			pub reason: EmergencyReason,
			/// When it opened.
			pub opened_at: Moment,
			/// When it ends by itself (exclusive).
			pub expires_at: Moment,
			/// Its review.
			pub review: Review<AccountId>,
		}
	}

	/// Rewrites every break-glass access with no organisation (its reviews go to a regulator's
	/// auditors), and ends those still open: an access whose organisation is unknown cannot be
	/// checked against the practitioner's standing there. Their records and reviews stay.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut accesses = 0u64;
			EmergencyAccesses::<T>::translate::<v0::EmergencyAccess<T::AccountId>, _>(|_, old| {
				accesses += 1;
				Some(EmergencyAccess {
					patient: old.patient,
					practitioner: old.practitioner,
					organisation: None,
					reason: old.reason,
					opened_at: old.opened_at,
					expires_at: old.expires_at,
					review: old.review,
				})
			});
			let open = OpenEmergencyAccess::<T>::clear(u32::MAX, None).unique as u64;
			T::DbWeight::get().reads_writes(accesses + open, accesses + open)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((EmergencyAccesses::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count")?;
			ensure!(
				EmergencyAccesses::<T>::iter_values().count() as u32 == before,
				"every break-glass access is kept"
			);
			ensure!(OpenEmergencyAccess::<T>::iter().next().is_none(), "no access of unknown organisation stays open");
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

/// Version 2: a patient's grants and the records it writes are bounded, so each is counted.
pub mod v2 {
	use crate::{pallet::*, types::*};
	use alloc::collections::btree_map::BTreeMap;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Counts each patient's grants of its own making, and the records whose author is the
	/// patient (those a guardian wrote before version 2 cannot be told from a practitioner's,
	/// and are not counted). Counts above the new bounds are kept: nothing is taken away, the
	/// patient just cannot add more until it is below them.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);
			let mut grants = BTreeMap::<T::AccountId, u32>::new();
			for (patient, _, grant) in Grants::<T>::iter() {
				reads += 1;
				if grant.basis == GrantBasis::Patient {
					*grants.entry(patient).or_default() += 1;
				}
			}
			let mut written = BTreeMap::<T::AccountId, u32>::new();
			for (_, record) in Records::<T>::iter() {
				reads += 1;
				if record.author == record.patient {
					*written.entry(record.patient).or_default() += 1;
				}
			}
			for (patient, count) in grants {
				PatientGrantCount::<T>::insert(patient, count);
				writes += 1;
			}
			for (patient, count) in written {
				RecordsWrittenByPatient::<T>::insert(patient, count);
				writes += 1;
			}
			T::DbWeight::get().reads_writes(reads, writes)
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
