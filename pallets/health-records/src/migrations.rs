//! Storage migrations of the health-records pallet, one module per storage version. Versions
//! 1 and 2 ran on every network before version 3 was written; their migrations are gone.

/// Version 3: records name their custodian and number their versions; the wrapped keys and
/// encrypted locators leave state (custodians hold keys now); access-log entries name the
/// custodian that released the read.
pub mod v3 {
	use crate::{pallet::*, types::*};
	use alloc::{collections::btree_map::BTreeMap, vec::Vec};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use sp_core::H256;

	/// The layout of version 2, to decode what is stored.
	pub mod v2 {
		use super::*;

		/// A record before version 3: an encrypted locator and a count of wrapped keys.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
		pub struct Record<AccountId> {
			/// The patient.
			pub patient: AccountId,
			/// The author.
			pub author: AccountId,
			/// Its type.
			pub record_type: RecordType,
			/// Hash of its ciphertext.
			pub content_hash: H256,
			/// Where its ciphertext lived, encrypted.
			pub locator: Option<Vec<u8>>,
			/// When it was added.
			pub created_at: Moment,
			/// The version it amends.
			pub amends: Option<RecordId>,
			/// The version that amends it.
			pub amended_by: Option<RecordId>,
			/// When it was erased.
			pub erased_at: Option<Moment>,
			/// How many wrapped keys it had.
			pub readers: u32,
		}

		/// A grant before version 3: with the records whose keys it delivered.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
		pub struct Grant<AccountId> {
			/// Read, or read and write.
			pub access: AccessLevel,
			/// The record types covered.
			pub record_types: RecordTypes,
			/// When it ends.
			pub expires_at: Moment,
			/// Who granted it.
			pub granted_by: AccountId,
			/// When.
			pub granted_at: Moment,
			/// On what strength.
			pub basis: GrantBasis,
			/// The records whose keys it delivered.
			pub keyed_records: Vec<RecordId>,
		}

		/// An access-log entry before version 3: reported by the reader.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
		pub struct AccessEntry<AccountId, OrganisationId> {
			/// The record read.
			pub record: RecordId,
			/// Who read it.
			pub accessor: AccountId,
			/// Under what authority.
			pub authority: Authority<AccountId, OrganisationId>,
			/// The break-glass access, if any.
			pub emergency: Option<EmergencyId>,
			/// Why.
			pub purpose: AccessPurpose,
			/// When.
			pub at: Moment,
		}
	}

	/// Rewrites records (no custodian: no vault holds their keys; numbered versions; an erased
	/// one counts as confirmed, having nothing held off chain), grants (without their key
	/// lists) and access-log entries (reported by their readers), and removes every wrapped
	/// key from state. A record from before version 3 is read only with keys its readers kept:
	/// to share it again, its patient adds it anew through a vault.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let pallet = <Pallet<T> as PalletInfoAccess>::name().as_bytes();
			let amends: BTreeMap<RecordId, Option<RecordId>> =
				frame_support::storage::migration::storage_key_iter::<RecordId, v2::Record<T::AccountId>, Blake2_128Concat>(
					pallet, b"Records",
				)
				.map(|(id, old)| (id, old.amends))
				.collect();
			let version_of = |mut id: RecordId| {
				let mut version = 1u32;
				while let Some(Some(older)) = amends.get(&id) {
					version = version.saturating_add(1);
					id = *older;
				}
				version
			};
			let mut records = 0u64;
			Records::<T>::translate::<v2::Record<T::AccountId>, _>(|id, old| {
				records += 1;
				Some(Record {
					patient: old.patient,
					author: old.author,
					record_type: old.record_type,
					content_hash: old.content_hash,
					custodian: None,
					created_at: old.created_at,
					version: version_of(id),
					amends: old.amends,
					amended_by: old.amended_by,
					erased_at: old.erased_at,
					erasure_confirmed_at: old.erased_at,
				})
			});
			let mut grants = 0u64;
			Grants::<T>::translate::<v2::Grant<T::AccountId>, _>(|_, _, old| {
				grants += 1;
				Some(Grant {
					access: old.access,
					record_types: old.record_types,
					expires_at: old.expires_at,
					granted_by: old.granted_by,
					granted_at: old.granted_at,
					basis: old.basis,
				})
			});
			let mut entries = 0u64;
			AccessLog::<T>::translate::<v2::AccessEntry<T::AccountId, T::OrganisationId>, _>(|_, _, old| {
				entries += 1;
				Some(AccessEntry {
					record: old.record,
					accessor: old.accessor,
					authority: old.authority,
					emergency: old.emergency,
					purpose: old.purpose,
					at: old.at,
					released_by: None,
				})
			});
			let keys = frame_support::storage::migration::clear_storage_prefix(pallet, b"WrappedKeys", b"", None, None)
				.unique as u64;
			let touched = 2 * records + grants + entries + keys;
			T::DbWeight::get().reads_writes(touched, touched)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let counts = (
				Records::<T>::iter_keys().count() as u32,
				Grants::<T>::iter_keys().count() as u32,
				AccessLog::<T>::iter_keys().count() as u32,
			);
			Ok(counts.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (records, grants, entries) =
				<(u32, u32, u32)>::decode(&mut &state[..]).map_err(|_| "the pre-upgrade counts")?;
			ensure!(Records::<T>::iter_values().count() as u32 == records, "every record is kept");
			ensure!(Grants::<T>::iter_values().count() as u32 == grants, "every grant is kept");
			ensure!(AccessLog::<T>::iter_values().count() as u32 == entries, "every log entry is kept");
			let pallet = <Pallet<T> as PalletInfoAccess>::name().as_bytes();
			let prefix = frame_support::storage::storage_prefix(pallet, b"WrappedKeys");
			ensure!(
				!frame_support::storage::unhashed::contains_prefixed_key(&prefix),
				"wrapped keys are left in state"
			);
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

/// Version 4: research accesses no longer open grants here (they named the patient next to the
/// researcher); every grant made on research consent is removed, with an `AccessRevoked` for
/// the patient's log. The research-consent pallet keeps the accesses themselves.
pub mod v4 {
	use crate::{pallet::*, types::*};
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Removes the grants made on research consent. They never took one of the patient's
	/// counted places, so no count changes.
	pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let research: Vec<_> = Grants::<T>::iter()
				.inspect(|_| reads += 1)
				.filter(|(_, _, grant)| grant.basis == GrantBasis::ResearchConsent)
				.map(|(patient, grantee, _)| (patient, grantee))
				.collect();
			let writes = research.len() as u64;
			for (patient, grantee) in research {
				Grants::<T>::remove(&patient, &grantee);
				let revoked_by = patient.clone();
				Pallet::<T>::deposit_for(&patient, Event::AccessRevoked { patient: patient.clone(), grantee, revoked_by });
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let patients = Grants::<T>::iter_values().filter(|grant| grant.basis == GrantBasis::Patient).count() as u32;
			Ok(patients.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let patients = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count")?;
			ensure!(Grants::<T>::iter_values().count() as u32 == patients, "every patient's grant is kept, no other");
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV3ToV4`], run once: only while the stored version is 3, which it sets to 4.
	pub type MigrateV3ToV4<T> = VersionedMigration<
		3,
		4,
		InnerMigrateV3ToV4<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 5: two indexes, so that nobody reads every patient's storage to find its own:
/// [`GrantsByGrantee`] (the patients whose grant a practitioner or care provider holds) and
/// [`EmergenciesByPatient`] (every break-glass access opened to a patient's records).
pub mod v5 {
	use crate::pallet::*;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// Indexes every grant by its grantee and every break-glass access by its patient.
	pub struct InnerMigrateV4ToV5<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV4ToV5<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut indexed = 0u64;
			for (patient, grantee) in Grants::<T>::iter_keys() {
				GrantsByGrantee::<T>::insert(&grantee, &patient, ());
				indexed += 1;
			}
			for (id, access) in EmergencyAccesses::<T>::iter() {
				EmergenciesByPatient::<T>::insert(&access.patient, id, ());
				indexed += 1;
			}
			T::DbWeight::get().reads_writes(indexed, indexed)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let grants = Grants::<T>::iter_keys().count() as u32;
			let emergencies = EmergencyAccesses::<T>::iter_keys().count() as u32;
			Ok((grants, emergencies).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (grants, emergencies) = <(u32, u32)>::decode(&mut &state[..]).map_err(|_| "the pre-upgrade counts")?;
			ensure!(GrantsByGrantee::<T>::iter_keys().count() as u32 == grants, "every grant is indexed, once");
			ensure!(
				EmergenciesByPatient::<T>::iter_keys().count() as u32 == emergencies,
				"every break-glass access is indexed, once"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV4ToV5`], run once: only while the stored version is 4, which it sets to 5.
	pub type MigrateV4ToV5<T> = VersionedMigration<
		4,
		5,
		InnerMigrateV4ToV5<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
