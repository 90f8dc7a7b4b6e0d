//! # Health Records Pallet
//!
//! A patient-owned index of health records (EHR and PHR), the access the patient grants to
//! them, break-glass emergency access, and erasure by crypto-shredding.
//!
//! No personal health information is stored. A record is the SHA/Blake hash of a ciphertext
//! kept off chain, an opaque encrypted locator saying where that ciphertext lives, and the
//! record's data key wrapped (encrypted) to each reader's X25519 public key: the patient's,
//! and those of the practitioners and organisations the patient granted access to. A reader
//! fetches the ciphertext, unwraps its data key with its own private key and decrypts.
//!
//! ## Overview
//!
//! - **Records** of a FHIR [`RecordType`] belong to a patient. The patient or a guardian adds
//!   records to the patient's index (PHR); a licensed practitioner adds records for a patient
//!   (EHR) under the patient's *write* grant to the practitioner or to an organisation the
//!   practitioner practises at. Amending a record adds a new version that links back to the
//!   one it amends; older versions stay. The patient and its guardians write at most
//!   [`Config::MaxRecordsWrittenByPatient`] records about the patient: a patient's
//!   transactions are sponsored, so what they store is bounded without a deposit.
//! - **Grants**: the patient or a guardian grants a practitioner or a care provider read or
//!   write access to records of some types until an expiry (a care provider's grant is used by
//!   its clinical staff: licensed practitioners, nurses, licensed pharmacists and laboratory
//!   scientists), changes a grant's terms, and
//!   revokes it at any time. The data keys wrapped to a grantee are delivered under its grant,
//!   with a new record or later with [`share_keys`](Pallet::share_keys); narrowing or revoking
//!   the grant removes them. A patient has at most [`Config::MaxGrantsPerPatient`] grants of
//!   its own making at once; revoking one gives its place back.
//! - **Access log**: a reader records each access on chain (which record, why, under which
//!   authority), so the patient reads a full log of who else read what and when (the
//!   patient's own reads are not logged).
//! - **Break-glass**: a licensed practitioner with the emergency-care role at a care provider
//!   opens emergency read access to a patient's records there, with an [`EmergencyReason`]. It
//!   ends by itself after [`Config::EmergencyAccessPeriod`], every read under it is logged
//!   (and needs the practitioner's standing at that organisation at the moment of the read),
//!   and it stays marked for review until an accredited auditor of that organisation, or of a
//!   regulator, closes the review (which also ends the access, if it is still open). Nobody
//!   reviews their own access, and the patient is not the reviewer: the patient is told, by
//!   the event on its topic, and the review is an independent check.
//! - **Erasure**: the patient or a guardian erases a record: its wrapped keys and its locator
//!   are removed, so the ciphertext can no longer be found or decrypted through the chain;
//!   its hash, its history and the access log stay. An erased record cannot be read, amended
//!   or shared again.
//!
//! Every event carries the patient's topic ([`Pallet::patient_topic`]), so that a patient's
//! application follows everything that concerns the patient with `system.eventTopics`.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`add_record`](Pallet::add_record), [`amend_record`](Pallet::amend_record) | the patient or a guardian; or a practitioner under a write grant |
//! | [`grant_access`](Pallet::grant_access), [`revoke_access`](Pallet::revoke_access), [`share_keys`](Pallet::share_keys) | the patient or a guardian |
//! | [`log_access`](Pallet::log_access) | a guardian; a grantee; a practitioner under break-glass |
//! | [`break_glass`](Pallet::break_glass) | a licensed practitioner with the emergency-care role at the named organisation |
//! | [`close_emergency_review`](Pallet::close_emergency_review) | an accredited auditor of the organisation where the glass was broken, or of a regulator; never the practitioner |
//! | [`erase_record`](Pallet::erase_record) | the patient or a guardian |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds. Roles come from the identity pallet
//! through [`RecordsIdentity`], which the runtime implements.
//!
//! ## Bounds
//!
//! A record has at most [`Config::MaxReadersPerRecord`] wrapped keys and a grant delivers at
//! most [`Config::MaxKeysPerGrant`]; revoking a grant and erasing a record touch only those,
//! so no call iterates over more than a configured bound.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use traits::RecordsIdentity;
pub use types::*;
pub use weights::WeightInfo;

/// The prefix of a patient's event topic.
pub const PATIENT_TOPIC: [u8; 19] = *b"healthchain/patient";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{traits::Hash, ArithmeticError};

	/// The storage layout's version: 1 records at which organisation the glass was broken; 2
	/// counts each patient's grants and the records it wrote, which are bounded.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the health-records pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Identifies an organisation in the identity pallet.
		type OrganisationId: Parameter + Member + Copy + Ord + MaxEncodedLen;

		/// Who is a patient, a guardian, a practitioner, an auditor.
		type Identity: RecordsIdentity<Self::AccountId, Self::OrganisationId>;

		/// The chain's clock, against which grants and emergency accesses expire.
		type Time: Time<Moment = Moment>;

		/// The longest encrypted locator, in bytes.
		#[pallet::constant]
		type MaxLocatorLength: Get<u32>;

		/// The longest wrapped data key, in bytes.
		#[pallet::constant]
		type MaxWrappedKeyLength: Get<u32>;

		/// The most readers (wrapped keys) a record may have, the patient included.
		#[pallet::constant]
		type MaxReadersPerRecord: Get<u32>;

		/// The most records whose keys one grant may deliver.
		#[pallet::constant]
		type MaxKeysPerGrant: Get<u32>;

		/// The most keys one [`share_keys`](Pallet::share_keys) call delivers.
		#[pallet::constant]
		type MaxKeysPerShare: Get<u32>;

		/// The most grants a patient (or its guardians) may have made at once; research grants,
		/// which follow the patient's consents, are bounded by the research-consent pallet.
		/// Revoking a grant gives its place back.
		#[pallet::constant]
		type MaxGrantsPerPatient: Get<u32>;

		/// The most records (versions included) the patient and its guardians may write about
		/// the patient, erased ones included: a patient's transactions are sponsored, so what
		/// they store must be bounded without a deposit.
		#[pallet::constant]
		type MaxRecordsWrittenByPatient: Get<u32>;

		/// How long a break-glass access lasts, in milliseconds.
		#[pallet::constant]
		type EmergencyAccessPeriod: Get<Moment>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up identities in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OrganisationId>;
	}

	/// A grantee or reader of this runtime.
	pub type GranteeOf<T> = Grantee<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// An authority of this runtime.
	pub type AuthorityOf<T> =
		Authority<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A record of this runtime.
	pub type RecordOf<T> = Record<<T as frame_system::Config>::AccountId, <T as Config>::MaxLocatorLength>;
	/// A grant of this runtime.
	pub type GrantOf<T> = Grant<<T as frame_system::Config>::AccountId, <T as Config>::MaxKeysPerGrant>;
	/// A wrapped key of this runtime.
	pub type WrappedKeyOf<T> = WrappedKey<<T as Config>::MaxWrappedKeyLength>;
	/// An access-log entry of this runtime.
	pub type AccessEntryOf<T> =
		AccessEntry<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A break-glass access of this runtime.
	pub type EmergencyAccessOf<T> =
		EmergencyAccess<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;

	/// The id the next record gets.
	#[pallet::storage]
	pub type NextRecordId<T> = StorageValue<_, RecordId, ValueQuery>;

	/// Records, every version, by id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Blake2_128Concat, RecordId, RecordOf<T>>;

	/// Each patient's records: the index a patient's application lists them from.
	#[pallet::storage]
	pub type PatientRecords<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, RecordId, ()>;

	/// How many records each patient has (the number of its entries in [`PatientRecords`]).
	#[pallet::storage]
	pub type RecordCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Each record's data key, wrapped to each of its readers.
	#[pallet::storage]
	pub type WrappedKeys<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RecordId,
		Blake2_128Concat,
		GranteeOf<T>,
		WrappedKeyOf<T>,
	>;

	/// Each patient's grants, by grantee.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, GranteeOf<T>, GrantOf<T>>;

	/// How many grants each patient (or its guardians) has made that stand: its grants on the
	/// patient's own strength in [`Grants`].
	#[pallet::storage]
	pub type PatientGrantCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many records (versions included) the patient and its guardians have written about
	/// the patient.
	#[pallet::storage]
	pub type RecordsWrittenByPatient<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Each patient's access log, entry by entry.
	#[pallet::storage]
	pub type AccessLog<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u32, AccessEntryOf<T>>;

	/// How many entries each patient's access log has: its entries are numbered from 0.
	#[pallet::storage]
	pub type AccessLogLength<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The id the next break-glass access gets.
	#[pallet::storage]
	pub type NextEmergencyId<T> = StorageValue<_, EmergencyId, ValueQuery>;

	/// Break-glass accesses, open, expired and reviewed, by id: the audit trail of every one.
	#[pallet::storage]
	pub type EmergencyAccesses<T: Config> =
		StorageMap<_, Blake2_128Concat, EmergencyId, EmergencyAccessOf<T>>;

	/// The break-glass access, still under review, that a practitioner last opened to a
	/// patient's records; it gives access until it expires.
	#[pallet::storage]
	pub type OpenEmergencyAccess<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		EmergencyId,
	>;

	/// An event for the audit trail of every change; each carries the patient's topic.
	#[pallet::event]
	pub enum Event<T: Config> {
		/// A record was added to a patient's index.
		RecordAdded {
			/// Its id.
			record: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// Who added it.
			author: T::AccountId,
			/// Its type.
			record_type: RecordType,
			/// Hash of its ciphertext.
			content_hash: H256,
			/// How many readers got its wrapped key.
			readers: u32,
		},
		/// A record was amended by a new version.
		RecordAmended {
			/// The new version.
			record: RecordId,
			/// The version it amends.
			amends: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// Who amended it.
			author: T::AccountId,
			/// Hash of the new version's ciphertext.
			content_hash: H256,
			/// How many readers got the new version's wrapped key.
			readers: u32,
		},
		/// A patient granted access, or changed a grant's terms.
		AccessGranted {
			/// The patient.
			patient: T::AccountId,
			/// Who was granted access.
			grantee: GranteeOf<T>,
			/// Read, or read and write.
			access: AccessLevel,
			/// The record types covered.
			record_types: RecordTypes,
			/// When it ends.
			expires_at: Moment,
			/// The patient or guardian who granted it (the patient, for a grant on the strength
			/// of research consent).
			granted_by: T::AccountId,
			/// On what strength it was granted.
			basis: GrantBasis,
			/// Keys removed because their record's type is no longer covered.
			keys_removed: u32,
		},
		/// A patient revoked a grant, and the keys delivered under it were removed.
		AccessRevoked {
			/// The patient.
			patient: T::AccountId,
			/// The former grantee.
			grantee: GranteeOf<T>,
			/// The patient or guardian who revoked it.
			revoked_by: T::AccountId,
			/// How many wrapped keys were removed.
			keys_removed: u32,
		},
		/// A patient delivered wrapped keys of existing records to a grantee.
		KeysShared {
			/// The patient.
			patient: T::AccountId,
			/// The grantee.
			grantee: GranteeOf<T>,
			/// How many keys (not `keys`, which JavaScript clients' arrays own).
			key_count: u32,
		},
		/// A record was read, and the read is in the patient's access log.
		RecordAccessed {
			/// The patient.
			patient: T::AccountId,
			/// The record.
			record: RecordId,
			/// Who read it.
			accessor: T::AccountId,
			/// Under what authority.
			authority: AuthorityOf<T>,
			/// Why.
			purpose: AccessPurpose,
			/// The break-glass access it was read under, if any.
			emergency: Option<EmergencyId>,
			/// The number of the entry in the patient's access log.
			entry: u32,
		},
		/// A practitioner broke the glass: emergency access to a patient's records is open.
		EmergencyAccessOpened {
			/// Its id.
			emergency: EmergencyId,
			/// The patient.
			patient: T::AccountId,
			/// The practitioner.
			practitioner: T::AccountId,
			/// The care provider at which the glass was broken.
			organisation: T::OrganisationId,
			/// Why.
			reason: EmergencyReason,
			/// When it ends by itself.
			expires_at: Moment,
		},
		/// The review of a break-glass access was closed.
		EmergencyReviewClosed {
			/// The break-glass access.
			emergency: EmergencyId,
			/// The patient.
			patient: T::AccountId,
			/// The practitioner who broke the glass.
			practitioner: T::AccountId,
			/// The auditor, patient or guardian who closed it.
			reviewer: T::AccountId,
			/// What the review found.
			outcome: ReviewOutcome,
		},
		/// A record was erased: its wrapped keys and locator are gone, its hash stays.
		RecordErased {
			/// The record.
			record: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// The patient or guardian who erased it.
			erased_by: T::AccountId,
			/// How many wrapped keys were removed.
			keys_removed: u32,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is not a registered patient.
		NotAPatient,
		/// The patient has made as many grants as it may; revoke one first.
		TooManyGrants,
		/// The patient and its guardians have written as many records as they may.
		TooManyRecordsWrittenByPatient,
		/// A patient's own reads of its records are not logged: the log is of who else read.
		OwnReadNotLogged,
		/// Only the patient, or a guardian whose scope covers health records, may do this.
		NotPatientOrGuardian,
		/// The caller is not the grantee it acts as: not that licensed practitioner, or not a
		/// licensed practitioner at that organisation.
		NotGrantee,
		/// The patient has no grant to that grantee.
		NoGrant,
		/// The grant has expired.
		GrantExpired,
		/// The grant does not cover records of this type.
		RecordTypeNotGranted,
		/// The grant allows reading only.
		ReadOnlyGrant,
		/// Break-glass access allows reading only.
		BreakGlassIsReadOnly,
		/// The content hash is zero.
		EmptyContentHash,
		/// The locator is empty.
		EmptyLocator,
		/// The locator is longer than `MaxLocatorLength`.
		LocatorTooLong,
		/// A wrapped key is empty or longer than `MaxWrappedKeyLength`.
		InvalidWrappedKey,
		/// The record's keys include none wrapped to the patient.
		PatientKeyMissing,
		/// A reader appears twice among the keys.
		DuplicateReader,
		/// More readers than `MaxReadersPerRecord`.
		TooManyReaders,
		/// A reader other than the patient holds no grant in force covering the record's type.
		ReaderNotGranted,
		/// The grant already delivers `MaxKeysPerGrant` keys.
		TooManyKeysForGrant,
		/// No record has this id.
		UnknownRecord,
		/// The record has been erased.
		RecordErased,
		/// The record has already been amended: amend its latest version.
		RecordAlreadyAmended,
		/// A patient cannot be granted access to the patient's own records.
		GrantToPatient,
		/// The researcher holds a grant the patient made, which research consent does not
		/// replace.
		PatientGrantExists,
		/// The grantee account is not a licensed practitioner.
		GranteeNotPractitioner,
		/// The grantee organisation is not an active care provider.
		GranteeNotCareProvider,
		/// A grant must cover at least one record type.
		NoRecordTypes,
		/// A record type appears twice.
		DuplicateRecordType,
		/// The expiry is not in the future.
		ExpiryInPast,
		/// No keys given.
		NoKeys,
		/// More keys than `MaxKeysPerShare`.
		TooManyKeys,
		/// A record appears twice among the keys.
		DuplicateRecord,
		/// The record belongs to another patient.
		NotPatientsRecord,
		/// The grantee already holds this record's key.
		KeyAlreadyShared,
		/// The caller is not a licensed practitioner with the emergency-care role at the
		/// organisation.
		NotEmergencyPractitioner,
		/// The caller has no break-glass access to this patient open.
		NoEmergencyAccess,
		/// The caller's break-glass access to this patient is still open.
		EmergencyAccessOpen,
		/// No break-glass access has this id.
		UnknownEmergencyAccess,
		/// The review is already closed.
		ReviewClosed,
		/// Only an accredited auditor of the organisation where the glass was broken, or of a
		/// regulator, closes a review.
		NotReviewer,
		/// Nobody reviews their own break-glass access.
		OwnEmergencyAccess,
		/// The grant stands on research consent, which alone changes it: narrow or withdraw the
		/// consent, or end the access, in the research-consent pallet (else the consent would
		/// silently grant it again at the researcher's next request).
		GrantedOnResearchConsent,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxLocatorLength::get() > 0, "MaxLocatorLength must be positive");
			assert!(T::MaxWrappedKeyLength::get() > 0, "MaxWrappedKeyLength must be positive");
			assert!(T::MaxReadersPerRecord::get() > 0, "a record needs room for the patient's key");
			assert!(T::MaxKeysPerGrant::get() > 0, "MaxKeysPerGrant must be positive");
			assert!(T::MaxKeysPerShare::get() > 0, "MaxKeysPerShare must be positive");
			assert!(T::MaxGrantsPerPatient::get() > 0, "patients need room for a grant");
			assert!(T::MaxRecordsWrittenByPatient::get() > 0, "patients need room for a record");
			assert!(T::EmergencyAccessPeriod::get() > 0, "EmergencyAccessPeriod must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds a record to `patient`'s index: the hash of its ciphertext, where the ciphertext
		/// lives (encrypted), and its data key wrapped to each reader. The keys must include
		/// one wrapped to the patient; every other reader must hold a grant in force that
		/// covers `record_type`.
		///
		/// The caller acts as the patient or a guardian, or under a write grant covering
		/// `record_type`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_record(keys.len() as u32))]
		pub fn add_record(
			origin: OriginFor<T>,
			patient: T::AccountId,
			record_type: RecordType,
			content_hash: H256,
			locator: Vec<u8>,
			keys: Vec<(GranteeOf<T>, Vec<u8>)>,
			authority: AuthorityOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_patient(&patient), Error::<T>::NotAPatient);
			Self::authorise_write(&who, &patient, record_type, &authority)?;
			let locator = Self::validated_locator(content_hash, locator)?;
			let keys = Self::validated_readers(&patient, record_type, keys)?;
			let readers = keys.len() as u32;
			Self::count_write(&who, &patient, &authority)?;
			let record = Self::store_record(&patient, &who, record_type, content_hash, locator, None, keys)?;
			Self::deposit_for(
				&patient,
				Event::RecordAdded { record, patient: patient.clone(), author: who, record_type, content_hash, readers },
			);
			Ok(())
		}

		/// Amends `record` with a new version of the same type, which links back to it. The
		/// amended version stays readable by its readers; the new one gets its own keys, on
		/// the terms of [`add_record`](Pallet::add_record).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::amend_record(keys.len() as u32))]
		pub fn amend_record(
			origin: OriginFor<T>,
			record: RecordId,
			content_hash: H256,
			locator: Vec<u8>,
			keys: Vec<(GranteeOf<T>, Vec<u8>)>,
			authority: AuthorityOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut amended = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(!amended.is_erased(), Error::<T>::RecordErased);
			ensure!(amended.amended_by.is_none(), Error::<T>::RecordAlreadyAmended);
			let patient = amended.patient.clone();
			Self::authorise_write(&who, &patient, amended.record_type, &authority)?;
			let locator = Self::validated_locator(content_hash, locator)?;
			let keys = Self::validated_readers(&patient, amended.record_type, keys)?;
			let readers = keys.len() as u32;
			Self::count_write(&who, &patient, &authority)?;
			let new = Self::store_record(
				&patient,
				&who,
				amended.record_type,
				content_hash,
				locator,
				Some(record),
				keys,
			)?;
			amended.amended_by = Some(new);
			Records::<T>::insert(record, amended);
			Self::deposit_for(
				&patient,
				Event::RecordAmended {
					record: new,
					amends: record,
					patient: patient.clone(),
					author: who,
					content_hash,
					readers,
				},
			);
			Ok(())
		}

		/// Grants `grantee` (a licensed practitioner or a care provider) `access` to
		/// `patient`'s records of `record_types` until `expires_at`. Granting again changes
		/// the grant's terms: keys of records whose type it no longer covers are removed.
		#[pallet::call_index(2)]
		#[pallet::weight(
			T::WeightInfo::grant_access(T::MaxKeysPerGrant::get()).max(T::WeightInfo::grant_access_to_new_grantee())
		)]
		pub fn grant_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: GranteeOf<T>,
			access: AccessLevel,
			record_types: Vec<RecordType>,
			expires_at: Moment,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_manager(&who, &patient)?;
			match &grantee {
				Grantee::Account(account) => {
					ensure!(account != &patient, Error::<T>::GrantToPatient);
					ensure!(T::Identity::is_practitioner(account), Error::<T>::GranteeNotPractitioner);
				},
				Grantee::Organisation(organisation) => ensure!(
					T::Identity::is_care_provider(*organisation),
					Error::<T>::GranteeNotCareProvider
				),
			}
			Self::ensure_not_research_grant(&patient, &grantee)?;
			let record_types = Self::validated_record_types(record_types)?;
			let now = T::Time::now();
			ensure!(expires_at > now, Error::<T>::ExpiryInPast);

			let previous = Grants::<T>::get(&patient, &grantee);
			let new_grant = previous.is_none();
			if new_grant {
				let grants = PatientGrantCount::<T>::get(&patient);
				ensure!(grants < T::MaxGrantsPerPatient::get(), Error::<T>::TooManyGrants);
				PatientGrantCount::<T>::insert(&patient, grants + 1);
			}
			let examined = previous.as_ref().map_or(0, |g| g.keyed_records.len() as u32);
			let (keyed_records, keys_removed) = Self::keys_still_covered(previous, &grantee, &record_types);
			Grants::<T>::insert(
				&patient,
				&grantee,
				Grant {
					access,
					record_types: record_types.clone(),
					expires_at,
					granted_by: who.clone(),
					granted_at: now,
					basis: GrantBasis::Patient,
					keyed_records,
				},
			);
			Self::deposit_for(
				&patient,
				Event::AccessGranted {
					patient: patient.clone(),
					grantee,
					access,
					record_types,
					expires_at,
					granted_by: who,
					basis: GrantBasis::Patient,
					keys_removed,
				},
			);
			let weight = if examined == 0 && new_grant {
				T::WeightInfo::grant_access_to_new_grantee()
			} else {
				T::WeightInfo::grant_access(examined)
			};
			Ok(Some(weight).into())
		}

		/// Revokes `patient`'s grant to `grantee`, expired or not, and removes every key
		/// delivered under it.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke_access(T::MaxKeysPerGrant::get()))]
		pub fn revoke_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: GranteeOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_manager(&who, &patient)?;
			Self::ensure_not_research_grant(&patient, &grantee)?;
			let grant = Grants::<T>::take(&patient, &grantee).ok_or(Error::<T>::NoGrant)?;
			// Not a research grant (checked above): the place it held is given back.
			PatientGrantCount::<T>::mutate_exists(&patient, |grants| {
				*grants = grants.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
			});
			let keys_removed = Self::remove_grant_keys(grant, &grantee);
			Self::deposit_for(
				&patient,
				Event::AccessRevoked { patient: patient.clone(), grantee, revoked_by: who, keys_removed },
			);
			Ok(Some(T::WeightInfo::revoke_access(keys_removed)).into())
		}

		/// Delivers to `grantee`, under its grant in force, the wrapped keys of existing
		/// records of `patient` that the grant covers.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::share_keys(keys.len() as u32))]
		pub fn share_keys(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: GranteeOf<T>,
			keys: Vec<(RecordId, Vec<u8>)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_manager(&who, &patient)?;
			ensure!(!keys.is_empty(), Error::<T>::NoKeys);
			ensure!(keys.len() as u32 <= T::MaxKeysPerShare::get(), Error::<T>::TooManyKeys);
			let mut ids: Vec<RecordId> = keys.iter().map(|(id, _)| *id).collect();
			ids.sort();
			ensure!(ids.windows(2).all(|w| w[0] != w[1]), Error::<T>::DuplicateRecord);
			let mut grant = Grants::<T>::get(&patient, &grantee).ok_or(Error::<T>::NoGrant)?;
			ensure!(T::Time::now() < grant.expires_at, Error::<T>::GrantExpired);
			let count = keys.len() as u32;
			for (id, key) in keys {
				let mut record = Records::<T>::get(id).ok_or(Error::<T>::UnknownRecord)?;
				ensure!(record.patient == patient, Error::<T>::NotPatientsRecord);
				ensure!(!record.is_erased(), Error::<T>::RecordErased);
				ensure!(
					grant.record_types.binary_search(&record.record_type).is_ok(),
					Error::<T>::RecordTypeNotGranted
				);
				ensure!(!WrappedKeys::<T>::contains_key(id, &grantee), Error::<T>::KeyAlreadyShared);
				ensure!(record.readers < T::MaxReadersPerRecord::get(), Error::<T>::TooManyReaders);
				let key = Self::validated_key(key)?;
				grant.keyed_records.try_push(id).map_err(|_| Error::<T>::TooManyKeysForGrant)?;
				record.readers += 1;
				Records::<T>::insert(id, record);
				WrappedKeys::<T>::insert(id, &grantee, key);
			}
			Grants::<T>::insert(&patient, &grantee, grant);
			Self::deposit_for(&patient, Event::KeysShared { patient: patient.clone(), grantee, key_count: count });
			Ok(())
		}

		/// Records in the patient's access log that the caller read `record`, why, and under
		/// which authority: as the patient or a guardian, under a grant in force covering the
		/// record's type, or under the caller's open break-glass access.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::log_access())]
		pub fn log_access(
			origin: OriginFor<T>,
			record: RecordId,
			purpose: AccessPurpose,
			authority: AuthorityOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let read = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(!read.is_erased(), Error::<T>::RecordErased);
			let patient = read.patient;
			let now = T::Time::now();
			let emergency = match &authority {
				Authority::PatientOrGuardian => {
					ensure!(who != patient, Error::<T>::OwnReadNotLogged);
					Self::ensure_manager(&who, &patient)?;
					None
				},
				Authority::Grant(grantee) => {
					Self::ensure_acts_as(&who, &patient, grantee)?;
					Self::grant_in_force(&patient, grantee, read.record_type)?;
					None
				},
				Authority::BreakGlass => {
					let id = OpenEmergencyAccess::<T>::get(&patient, &who)
						.ok_or(Error::<T>::NoEmergencyAccess)?;
					let access = EmergencyAccesses::<T>::get(id)
						.filter(|access| now < access.expires_at)
						.ok_or(Error::<T>::NoEmergencyAccess)?;
					// Standing at the organisation where the glass was broken, at each read.
					ensure!(
						access
							.organisation
							.is_some_and(|org| T::Identity::is_emergency_practitioner_at(&who, org)),
						Error::<T>::NotEmergencyPractitioner
					);
					Some(id)
				},
			};
			let entry = AccessLogLength::<T>::get(&patient);
			let next = entry.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			AccessLog::<T>::insert(
				&patient,
				entry,
				AccessEntry { record, accessor: who.clone(), authority: authority.clone(), emergency, purpose, at: now },
			);
			AccessLogLength::<T>::insert(&patient, next);
			Self::deposit_for(
				&patient,
				Event::RecordAccessed {
					patient: patient.clone(),
					record,
					accessor: who,
					authority,
					purpose,
					emergency,
					entry,
				},
			);
			Ok(())
		}

		/// Opens break-glass emergency read access to `patient`'s records for the caller, a
		/// licensed practitioner with the emergency-care role at `organisation`, whose auditors
		/// review it. It lasts [`Config::EmergencyAccessPeriod`] and stays marked for review.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::break_glass())]
		pub fn break_glass(
			origin: OriginFor<T>,
			patient: T::AccountId,
			organisation: T::OrganisationId,
			reason: EmergencyReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				T::Identity::is_emergency_practitioner_at(&who, organisation),
				Error::<T>::NotEmergencyPractitioner
			);
			ensure!(T::Identity::is_patient(&patient), Error::<T>::NotAPatient);
			let now = T::Time::now();
			if let Some(open) = OpenEmergencyAccess::<T>::get(&patient, &who) {
				let still_open = EmergencyAccesses::<T>::get(open).is_some_and(|a| now < a.expires_at);
				ensure!(!still_open, Error::<T>::EmergencyAccessOpen);
			}
			let id = NextEmergencyId::<T>::get();
			NextEmergencyId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			let expires_at = now.saturating_add(T::EmergencyAccessPeriod::get());
			EmergencyAccesses::<T>::insert(
				id,
				EmergencyAccess {
					patient: patient.clone(),
					practitioner: who.clone(),
					organisation: Some(organisation),
					reason,
					opened_at: now,
					expires_at,
					review: Review::Pending,
				},
			);
			OpenEmergencyAccess::<T>::insert(&patient, &who, id);
			Self::deposit_for(
				&patient,
				Event::EmergencyAccessOpened {
					emergency: id,
					patient: patient.clone(),
					practitioner: who,
					organisation,
					reason,
					expires_at,
				},
			);
			Ok(())
		}

		/// Closes the review of break-glass access `emergency` with its `outcome`. The caller
		/// is an accredited auditor of the organisation where the glass was broken, or of a
		/// regulator, and not the practitioner who broke it. If the access is still open it ends
		/// now.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_emergency_review())]
		pub fn close_emergency_review(
			origin: OriginFor<T>,
			emergency: EmergencyId,
			outcome: ReviewOutcome,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut access =
				EmergencyAccesses::<T>::get(emergency).ok_or(Error::<T>::UnknownEmergencyAccess)?;
			ensure!(access.review == Review::Pending, Error::<T>::ReviewClosed);
			ensure!(who != access.practitioner, Error::<T>::OwnEmergencyAccess);
			let auditor = T::Identity::is_regulatory_auditor(&who) ||
				access.organisation.is_some_and(|org| T::Identity::is_auditor_at(&who, org));
			ensure!(auditor, Error::<T>::NotReviewer);
			access.review = Review::Closed { reviewer: who.clone(), outcome, at: T::Time::now() };
			let (patient, practitioner) = (access.patient.clone(), access.practitioner.clone());
			EmergencyAccesses::<T>::insert(emergency, access);
			if OpenEmergencyAccess::<T>::get(&patient, &practitioner) == Some(emergency) {
				OpenEmergencyAccess::<T>::remove(&patient, &practitioner);
			}
			Self::deposit_for(
				&patient,
				Event::EmergencyReviewClosed {
					emergency,
					patient: patient.clone(),
					practitioner,
					reviewer: who,
					outcome,
				},
			);
			Ok(())
		}

		/// Erases `record` by crypto-shredding: its wrapped keys and locator are removed, its
		/// hash, its history and the access log stay.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::erase_record(T::MaxReadersPerRecord::get()))]
		pub fn erase_record(origin: OriginFor<T>, record: RecordId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut erased = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			Self::ensure_manager(&who, &erased.patient)?;
			ensure!(!erased.is_erased(), Error::<T>::RecordErased);
			let patient = erased.patient.clone();
			let patient_reader = Grantee::Account(patient.clone());
			// At most `readers` entries, which `MaxReadersPerRecord` bounds.
			for (reader, _) in WrappedKeys::<T>::drain_prefix(record) {
				if reader != patient_reader {
					Grants::<T>::mutate(&patient, &reader, |grant| {
						if let Some(grant) = grant {
							grant.keyed_records.retain(|id| *id != record);
						}
					});
				}
			}
			let keys_removed = erased.readers;
			erased.readers = 0;
			erased.locator = None;
			erased.erased_at = Some(T::Time::now());
			Records::<T>::insert(record, erased);
			Self::deposit_for(
				&patient,
				Event::RecordErased { record, patient: patient.clone(), erased_by: who, keys_removed },
			);
			Ok(Some(T::WeightInfo::erase_record(keys_removed)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The topic every event about `patient` carries: the Blake2-256 hash of
		/// [`PATIENT_TOPIC`] followed by the patient's account id.
		pub fn patient_topic(patient: &T::AccountId) -> T::Hash {
			T::Hashing::hash_of(&(PATIENT_TOPIC, patient))
		}

		/// Deposits `event` under `patient`'s topic.
		fn deposit_for(patient: &T::AccountId, event: Event<T>) {
			let event: <T as Config>::RuntimeEvent = event.into();
			frame_system::Pallet::<T>::deposit_event_indexed(&[Self::patient_topic(patient)], event.into());
		}

		/// Whether `who` may manage `patient`'s records.
		fn ensure_manager(who: &T::AccountId, patient: &T::AccountId) -> DispatchResult {
			ensure!(T::Identity::is_patient(patient), Error::<T>::NotAPatient);
			ensure!(T::Identity::may_manage_records(who, patient), Error::<T>::NotPatientOrGuardian);
			Ok(())
		}

		/// Refuses to change `patient`'s grant to `grantee` if it stands on research consent: the
		/// consent is the one source of truth for research access.
		fn ensure_not_research_grant(patient: &T::AccountId, grantee: &GranteeOf<T>) -> DispatchResult {
			let research = Grants::<T>::get(patient, grantee).is_some_and(|g| g.basis == GrantBasis::ResearchConsent);
			ensure!(!research, Error::<T>::GrantedOnResearchConsent);
			Ok(())
		}

		/// Whether `who` is `grantee`, or works at it in a clinical role. An account grantee is
		/// a licensed practitioner, or a certified researcher if `patient` granted it access on
		/// the strength of research consent: standing is checked now, at every use.
		fn ensure_acts_as(who: &T::AccountId, patient: &T::AccountId, grantee: &GranteeOf<T>) -> DispatchResult {
			let acts_as = match grantee {
				Grantee::Account(account) =>
					account == who &&
						(T::Identity::is_practitioner(who) ||
							(Grants::<T>::get(patient, grantee)
								.is_some_and(|grant| grant.basis == GrantBasis::ResearchConsent) &&
								T::Identity::is_researcher(who))),
				Grantee::Organisation(organisation) =>
					T::Identity::is_clinical_staff_at(who, *organisation),
			};
			ensure!(acts_as, Error::<T>::NotGrantee);
			Ok(())
		}

		/// `patient`'s grant to `grantee`, if it is in force and covers `record_type`.
		fn grant_in_force(
			patient: &T::AccountId,
			grantee: &GranteeOf<T>,
			record_type: RecordType,
		) -> Result<GrantOf<T>, DispatchError> {
			let grant = Grants::<T>::get(patient, grantee).ok_or(Error::<T>::NoGrant)?;
			ensure!(T::Time::now() < grant.expires_at, Error::<T>::GrantExpired);
			ensure!(
				grant.record_types.binary_search(&record_type).is_ok(),
				Error::<T>::RecordTypeNotGranted
			);
			Ok(grant)
		}

		/// Whether `who` may write `patient`'s records of `record_type` under `authority`.
		fn authorise_write(
			who: &T::AccountId,
			patient: &T::AccountId,
			record_type: RecordType,
			authority: &AuthorityOf<T>,
		) -> DispatchResult {
			match authority {
				Authority::PatientOrGuardian => Self::ensure_manager(who, patient),
				Authority::Grant(grantee) => {
					Self::ensure_acts_as(who, patient, grantee)?;
					let grant = Self::grant_in_force(patient, grantee, record_type)?;
					ensure!(grant.access == AccessLevel::Write, Error::<T>::ReadOnlyGrant);
					Ok(())
				},
				Authority::BreakGlass => Err(Error::<T>::BreakGlassIsReadOnly.into()),
			}
		}

		/// Counts a record the patient or a guardian writes against the patient's bound (also
		/// one the patient writes about itself under its employer's grant).
		fn count_write(who: &T::AccountId, patient: &T::AccountId, authority: &AuthorityOf<T>) -> DispatchResult {
			if who == patient || matches!(authority, Authority::PatientOrGuardian) {
				let written = RecordsWrittenByPatient::<T>::get(patient);
				ensure!(
					written < T::MaxRecordsWrittenByPatient::get(),
					Error::<T>::TooManyRecordsWrittenByPatient
				);
				RecordsWrittenByPatient::<T>::insert(patient, written + 1);
			}
			Ok(())
		}

		/// The locator, checked together with the content hash it goes with.
		fn validated_locator(
			content_hash: H256,
			locator: Vec<u8>,
		) -> Result<Locator<T::MaxLocatorLength>, DispatchError> {
			ensure!(!content_hash.is_zero(), Error::<T>::EmptyContentHash);
			ensure!(!locator.is_empty(), Error::<T>::EmptyLocator);
			Ok(Locator::try_from(locator).map_err(|_| Error::<T>::LocatorTooLong)?)
		}

		/// A wrapped key, checked: not empty, not too long.
		fn validated_key(key: Vec<u8>) -> Result<WrappedKeyOf<T>, DispatchError> {
			ensure!(!key.is_empty(), Error::<T>::InvalidWrappedKey);
			Ok(WrappedKeyOf::<T>::try_from(key).map_err(|_| Error::<T>::InvalidWrappedKey)?)
		}

		/// Record types sorted and checked: at least one, none twice.
		fn validated_record_types(mut types: Vec<RecordType>) -> Result<RecordTypes, DispatchError> {
			ensure!(!types.is_empty(), Error::<T>::NoRecordTypes);
			types.sort();
			let before = types.len();
			types.dedup();
			ensure!(types.len() == before, Error::<T>::DuplicateRecordType);
			Ok(RecordTypes::try_from(types).map_err(|_| Error::<T>::DuplicateRecordType)?)
		}

		/// A new record's keys, checked: the patient's among them, each reader once, every
		/// other reader holding a grant in force for `record_type` with room for one more key.
		fn validated_readers(
			patient: &T::AccountId,
			record_type: RecordType,
			keys: Vec<(GranteeOf<T>, Vec<u8>)>,
		) -> Result<Vec<(GranteeOf<T>, WrappedKeyOf<T>)>, DispatchError> {
			ensure!(keys.len() as u32 <= T::MaxReadersPerRecord::get(), Error::<T>::TooManyReaders);
			let patient_reader = Grantee::Account(patient.clone());
			let mut readers: Vec<_> = keys.iter().map(|(reader, _)| reader).collect();
			readers.sort();
			ensure!(readers.windows(2).all(|w| w[0] != w[1]), Error::<T>::DuplicateReader);
			ensure!(readers.binary_search(&&patient_reader).is_ok(), Error::<T>::PatientKeyMissing);
			let now = T::Time::now();
			let mut checked = Vec::with_capacity(keys.len());
			for (reader, key) in keys {
				if reader != patient_reader {
					let grant = Grants::<T>::get(patient, &reader)
						.filter(|grant| grant.allows_read(record_type, now))
						.ok_or(Error::<T>::ReaderNotGranted)?;
					ensure!(
						(grant.keyed_records.len() as u32) < T::MaxKeysPerGrant::get(),
						Error::<T>::TooManyKeysForGrant
					);
				}
				checked.push((reader, Self::validated_key(key)?));
			}
			Ok(checked)
		}

		/// Stores a new record with its keys, indexes it under the patient and its readers'
		/// grants, and returns its id.
		fn store_record(
			patient: &T::AccountId,
			author: &T::AccountId,
			record_type: RecordType,
			content_hash: H256,
			locator: Locator<T::MaxLocatorLength>,
			amends: Option<RecordId>,
			keys: Vec<(GranteeOf<T>, WrappedKeyOf<T>)>,
		) -> Result<RecordId, DispatchError> {
			let id = NextRecordId::<T>::get();
			NextRecordId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			let count = RecordCount::<T>::get(patient).checked_add(1).ok_or(ArithmeticError::Overflow)?;
			let patient_reader = Grantee::Account(patient.clone());
			let readers = keys.len() as u32;
			for (reader, key) in keys {
				if reader != patient_reader {
					Grants::<T>::try_mutate(patient, &reader, |grant| -> DispatchResult {
						let grant = grant.as_mut().ok_or(Error::<T>::ReaderNotGranted)?;
						grant.keyed_records.try_push(id).map_err(|_| Error::<T>::TooManyKeysForGrant)?;
						Ok(())
					})?;
				}
				WrappedKeys::<T>::insert(id, reader, key);
			}
			Records::<T>::insert(
				id,
				Record {
					patient: patient.clone(),
					author: author.clone(),
					record_type,
					content_hash,
					locator: Some(locator),
					created_at: T::Time::now(),
					amends,
					amended_by: None,
					erased_at: None,
					readers,
				},
			);
			PatientRecords::<T>::insert(patient, id, ());
			RecordCount::<T>::insert(patient, count);
			Ok(id)
		}

		/// Whether `patient`'s grant to `grantee` lets it read records of `record_type` now: what
		/// other pallets ask of a grant, without reading this pallet's storage themselves.
		pub fn allows_read(patient: &T::AccountId, grantee: &GranteeOf<T>, record_type: RecordType) -> bool {
			Grants::<T>::get(patient, grantee).is_some_and(|grant| grant.allows_read(record_type, T::Time::now()))
		}

		/// Grants `researcher` read access to `patient`'s records of `record_types` until
		/// `expires_at`, on the strength of the patient's research consent, which the caller
		/// (the research-consent pallet, through the runtime) has checked. Replaces an earlier
		/// grant on the same strength; never a grant the patient made, which stays as it is.
		pub fn grant_on_research_consent(
			patient: &T::AccountId,
			researcher: &T::AccountId,
			record_types: Vec<RecordType>,
			expires_at: Moment,
		) -> DispatchResult {
			ensure!(T::Identity::is_patient(patient), Error::<T>::NotAPatient);
			ensure!(researcher != patient, Error::<T>::GrantToPatient);
			let grantee = Grantee::Account(researcher.clone());
			let previous = Grants::<T>::get(patient, &grantee);
			ensure!(
				previous.as_ref().map_or(true, |grant| grant.basis == GrantBasis::ResearchConsent),
				Error::<T>::PatientGrantExists
			);
			let record_types = Self::validated_record_types(record_types)?;
			let now = T::Time::now();
			ensure!(expires_at > now, Error::<T>::ExpiryInPast);
			let (keyed_records, keys_removed) = Self::keys_still_covered(previous, &grantee, &record_types);
			Grants::<T>::insert(
				patient,
				&grantee,
				Grant {
					access: AccessLevel::Read,
					record_types: record_types.clone(),
					expires_at,
					granted_by: patient.clone(),
					granted_at: now,
					basis: GrantBasis::ResearchConsent,
					keyed_records,
				},
			);
			Self::deposit_for(
				patient,
				Event::AccessGranted {
					patient: patient.clone(),
					grantee,
					access: AccessLevel::Read,
					record_types,
					expires_at,
					granted_by: patient.clone(),
					basis: GrantBasis::ResearchConsent,
					keys_removed,
				},
			);
			Ok(())
		}

		/// Ends `researcher`'s grant to `patient`'s records made on the strength of research
		/// consent, removing every key delivered under it, and returns how many there were.
		/// Nothing happens if there is no such grant (the patient may have revoked it, or
		/// granted the account access of the patient's own making instead).
		pub fn end_research_consent_grant(patient: &T::AccountId, researcher: &T::AccountId) -> u32 {
			let grantee = Grantee::Account(researcher.clone());
			let Some(grant) = Grants::<T>::get(patient, &grantee) else { return 0 };
			if grant.basis != GrantBasis::ResearchConsent {
				return 0;
			}
			Grants::<T>::remove(patient, &grantee);
			let keys_removed = Self::remove_grant_keys(grant, &grantee);
			Self::deposit_for(
				patient,
				Event::AccessRevoked { patient: patient.clone(), grantee, revoked_by: patient.clone(), keys_removed },
			);
			keys_removed
		}

		/// Of the keys delivered under `previous`, those of records that `record_types` still
		/// cover, and how many others were removed.
		fn keys_still_covered(
			previous: Option<GrantOf<T>>,
			grantee: &GranteeOf<T>,
			record_types: &RecordTypes,
		) -> (BoundedVec<RecordId, T::MaxKeysPerGrant>, u32) {
			let mut keyed_records = BoundedVec::new();
			let mut keys_removed = 0u32;
			for id in previous.map(|grant| grant.keyed_records).unwrap_or_default() {
				let still_covered =
					Records::<T>::get(id).is_some_and(|r| record_types.binary_search(&r.record_type).is_ok());
				if still_covered {
					// Fits: it was in a list of the same bound.
					let _ = keyed_records.try_push(id);
				} else {
					Self::remove_key(id, grantee);
					keys_removed += 1;
				}
			}
			(keyed_records, keys_removed)
		}

		/// Removes every key delivered under `grant`, and returns how many there were.
		fn remove_grant_keys(grant: GrantOf<T>, grantee: &GranteeOf<T>) -> u32 {
			let keys_removed = grant.keyed_records.len() as u32;
			for id in grant.keyed_records {
				Self::remove_key(id, grantee);
			}
			keys_removed
		}

		/// Removes `reader`'s key to record `id`, if it has one.
		fn remove_key(id: RecordId, reader: &GranteeOf<T>) {
			if WrappedKeys::<T>::take(id, reader).is_some() {
				Records::<T>::mutate(id, |record| {
					if let Some(record) = record {
						record.readers = record.readers.saturating_sub(1);
					}
				});
			}
		}

		/// Checks that the indexes and counters agree with the maps they summarise: the
		/// pallet's `try_state`, also run by its tests and the runtime's.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let next = NextRecordId::<T>::get();
			let mut per_patient = BTreeMap::<T::AccountId, u32>::new();
			for (id, record) in Records::<T>::iter() {
				ensure!(id < next, "a record id is not below NextRecordId");
				ensure!(
					PatientRecords::<T>::contains_key(&record.patient, id),
					"a record missing from PatientRecords"
				);
				*per_patient.entry(record.patient.clone()).or_default() += 1;
				let readers = WrappedKeys::<T>::iter_prefix(id).count() as u32;
				ensure!(readers == record.readers, "a record's readers disagree with WrappedKeys");
				ensure!(readers <= T::MaxReadersPerRecord::get(), "a record has too many readers");
				if record.is_erased() {
					ensure!(record.locator.is_none() && readers == 0, "an erased record keeps keys");
				}
				if let Some(amends) = record.amends {
					let older = Records::<T>::get(amends).ok_or("a record amends no record")?;
					ensure!(older.amended_by == Some(id), "amends and amended_by disagree");
					ensure!(older.patient == record.patient, "an amendment of another patient");
				}
				if let Some(newer) = record.amended_by {
					let newer = Records::<T>::get(newer).ok_or("a record is amended by no record")?;
					ensure!(newer.amends == Some(id), "amended_by and amends disagree");
				}
			}
			for (patient, id, ()) in PatientRecords::<T>::iter() {
				let record = Records::<T>::get(id).ok_or("PatientRecords lists no record")?;
				ensure!(record.patient == patient, "PatientRecords lists another patient's record");
			}
			for (patient, count) in RecordCount::<T>::iter() {
				ensure!(per_patient.get(&patient) == Some(&count), "RecordCount disagrees with Records");
			}
			ensure!(
				per_patient.len() == RecordCount::<T>::iter().count(),
				"a patient with records has no RecordCount"
			);
			for (id, reader, _) in WrappedKeys::<T>::iter() {
				let record = Records::<T>::get(id).ok_or("a key to no record")?;
				if reader != Grantee::Account(record.patient.clone()) {
					let grant = Grants::<T>::get(&record.patient, &reader)
						.ok_or("a reader's key without its grant")?;
					ensure!(grant.keyed_records.contains(&id), "a key missing from its grant");
				}
			}
			let mut patient_grants = BTreeMap::<T::AccountId, u32>::new();
			for (patient, _, grant) in Grants::<T>::iter() {
				if grant.basis == GrantBasis::Patient {
					*patient_grants.entry(patient).or_default() += 1;
				}
			}
			for (patient, count) in PatientGrantCount::<T>::iter() {
				ensure!(patient_grants.get(&patient) == Some(&count), "PatientGrantCount disagrees with Grants");
				ensure!(count <= T::MaxGrantsPerPatient::get(), "a patient has too many grants");
			}
			ensure!(
				patient_grants.len() == PatientGrantCount::<T>::iter().count(),
				"a patient with grants has no PatientGrantCount"
			);
			let mut own_records = BTreeMap::<T::AccountId, u32>::new();
			for (_, record) in Records::<T>::iter() {
				if record.author == record.patient {
					*own_records.entry(record.patient).or_default() += 1;
				}
			}
			for (patient, written) in RecordsWrittenByPatient::<T>::iter() {
				ensure!(written <= T::MaxRecordsWrittenByPatient::get(), "a patient wrote too many records");
				// Its guardians' records count too, so at least the patient's own, at most all.
				ensure!(
					own_records.get(&patient).copied().unwrap_or(0) <= written &&
						written <= RecordCount::<T>::get(&patient),
					"RecordsWrittenByPatient disagrees with Records"
				);
			}
			ensure!(
				own_records.keys().all(|p| RecordsWrittenByPatient::<T>::contains_key(p)),
				"a patient's own records are not counted"
			);
			for (patient, grantee, grant) in Grants::<T>::iter() {
				ensure!(
					grant.record_types.windows(2).all(|w| w[0] < w[1]),
					"record types not sorted and distinct"
				);
				let mut keyed = grant.keyed_records.to_vec();
				keyed.sort();
				ensure!(keyed.windows(2).all(|w| w[0] != w[1]), "a grant lists a record twice");
				for id in keyed {
					ensure!(WrappedKeys::<T>::contains_key(id, &grantee), "a grant lists a missing key");
					let record = Records::<T>::get(id).ok_or("a grant lists no record")?;
					ensure!(record.patient == patient, "a grant lists another patient's record");
				}
			}
			let mut entries = BTreeMap::<T::AccountId, u32>::new();
			for (patient, n, _) in AccessLog::<T>::iter() {
				ensure!(n < AccessLogLength::<T>::get(&patient), "an access-log entry past its length");
				*entries.entry(patient).or_default() += 1;
			}
			for (patient, length) in AccessLogLength::<T>::iter() {
				ensure!(entries.get(&patient) == Some(&length), "AccessLogLength disagrees with AccessLog");
			}
			let next = NextEmergencyId::<T>::get();
			for (id, _) in EmergencyAccesses::<T>::iter() {
				ensure!(id < next, "an emergency id is not below NextEmergencyId");
			}
			for (patient, practitioner, id) in OpenEmergencyAccess::<T>::iter() {
				let access = EmergencyAccesses::<T>::get(id).ok_or("an open emergency access is missing")?;
				ensure!(
					access.patient == patient && access.practitioner == practitioner,
					"an open emergency access of someone else"
				);
				ensure!(access.review == Review::Pending, "an open emergency access already reviewed");
				ensure!(access.organisation.is_some(), "an open emergency access at no organisation");
			}
			Ok(())
		}
	}
}
