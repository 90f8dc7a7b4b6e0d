//! Storage migrations of the remote-monitoring pallet, one module per storage version.

/// Version 1: no alert rule content and no batch locator on chain.
///
/// Version 0 kept each rule's observation code, bound and direction in the clear, and each
/// batch's encrypted locator. The migration drops them: a rule keeps its patient, organisation
/// and author, with no sealed hash (its content stays where the care team and the devices
/// already have it), and a batch keeps its period, count and root. They stay in the blocks
/// that carried them, which the README's threat model says.
pub mod v1 {
	use crate::pallet::*;
	use crate::types::*;
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use sp_core::H256;

	/// A rule's direction, as version 0 stored it.
	#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
	pub enum OldDirection {
		/// A reading above the bound.
		Above,
		/// A reading below the bound.
		Below,
	}

	/// An alert rule as version 0 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldAlertRule<AccountId, OrganisationId> {
		/// The patient.
		pub patient: AccountId,
		/// The organisation.
		pub organisation: OrganisationId,
		/// The observation code, in the clear.
		pub code: Vec<u8>,
		/// The bound, in the clear.
		pub bound: i64,
		/// The direction, in the clear.
		pub direction: OldDirection,
		/// Who set it.
		pub set_by: AccountId,
	}

	/// A batch as version 0 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldBatch<AccountId> {
		/// The patient.
		pub patient: AccountId,
		/// First moment covered.
		pub starts_at: Moment,
		/// End of the period covered.
		pub ends_at: Moment,
		/// How many readings.
		pub readings: u32,
		/// The Merkle root.
		pub root: H256,
		/// The encrypted locator.
		pub locator: Vec<u8>,
		/// When it was anchored.
		pub anchored_at: Moment,
	}

	/// Rewrites every rule without its content and every batch without its locator.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut items = 0u64;
			Rules::<T>::translate::<OldAlertRule<T::AccountId, T::OrganisationId>, _>(|_, old| {
				items += 1;
				Some(AlertRule { patient: old.patient, organisation: old.organisation, sealed_hash: None, set_by: old.set_by })
			});
			Batches::<T>::translate::<OldBatch<T::AccountId>, _>(|_, _, old| {
				items += 1;
				Some(Batch {
					patient: old.patient,
					starts_at: old.starts_at,
					ends_at: old.ends_at,
					readings: old.readings,
					root: old.root,
					anchored_at: old.anchored_at,
				})
			});
			T::DbWeight::get().reads_writes(items, items)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Rules::<T>::iter_keys().count() as u64, Batches::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (rules, batches) =
				<(u64, u64)>::decode(&mut &state[..]).map_err(|_| "the pre-upgrade counts do not decode")?;
			ensure!(Rules::<T>::iter_values().count() as u64 == rules, "a rule was lost or does not decode");
			ensure!(Batches::<T>::iter_values().count() as u64 == batches, "a batch was lost or does not decode");
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV0ToV1`], run once: only while the stored version is 0, which it sets to 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
