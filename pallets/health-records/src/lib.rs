//! # Health Records Pallet
//!
//! A patient-owned index of health records (EHR and PHR), the access the patient grants to
//! them, break-glass emergency access, the log of every read, and erasure.
//!
//! **The chain decides and records; custodians hold and release.** No personal health
//! information, key material or locator is stored or passes through a call. A record is the
//! Blake2-256 hash of a ciphertext, its FHIR [`RecordType`] and its *custodian*: the
//! organisation whose record vault (registered in the identity pallet) holds the ciphertext
//! and the record's data key wrapped to each reader's X25519 key, off chain. The vault asks
//! the chain, through [`Pallet::read_permit`] (a runtime API), whether a reader may read a
//! record now, releases it only if so, and logs each release on the patient's access log with
//! [`log_releases`](Pallet::log_releases), signed with its own account.
//!
//! ## Overview
//!
//! - **Records** of a FHIR [`RecordType`] belong to a patient. The patient or a guardian adds
//!   records to the patient's index (PHR); a licensed practitioner adds records for a patient
//!   (EHR) under the patient's *write* grant to the practitioner or to an organisation the
//!   practitioner practises at. The writer names the custodian, an active organisation that
//!   runs a vault, after uploading the ciphertext and keys there (the vault holds them pending
//!   until the record is final on chain). A claim document ([`RecordType::Claim`]: what a
//!   claim to an insurer bills) is written by a claims officer of the care provider that
//!   bills, under [`Authority::Billing`], and read by the parties of the claim that names it
//!   and by regulators' auditors, as [`ClaimDocumentParties`] answers; no grant reaches it
//!   otherwise, and every such read is logged like any other. Amending a record adds a new version, at the same
//!   custodian, that links back to the one it amends, up to [`Config::MaxVersions`] versions.
//!   The patient and its guardians write at most [`Config::MaxRecordsWrittenByPatient`]
//!   records about the patient: a patient's transactions are sponsored, so what they store is
//!   bounded without a deposit.
//! - **Grants**: the patient or a guardian grants a practitioner or a care provider read or
//!   write access to records of some types until an expiry (a care provider's grant is used by
//!   its clinical staff: licensed practitioners, nurses, licensed pharmacists and laboratory
//!   scientists), changes a grant's terms, and revokes it at any time. Vaults follow the
//!   finalized grant events and delete the keys wrapped to a grantee whose grant no longer
//!   covers a record. A patient has at most [`Config::MaxGrantsPerPatient`] grants of its own
//!   making at once; revoking one gives its place back.
//! - **Access log**: the custodian's vault logs each record it released (to whom, under which
//!   authority, why), batched, so the patient reads a full log of who else read what and when
//!   (the patient's own reads are not logged). Nobody else writes the log.
//! - **Break-glass**: a licensed practitioner with the emergency-care role at a care provider
//!   opens emergency read access to a patient's records, with an [`EmergencyReason`]. It ends
//!   by itself after [`Config::EmergencyAccessPeriod`]; the custodians release records under
//!   it (they hold each record's key wrapped to their organisation's key too, and re-wrap it
//!   to the practitioner) while the practitioner keeps its standing at that organisation, and
//!   log every such read. It stays marked for review until an accredited auditor of that
//!   organisation, or of a regulator, closes the review (which also ends the access, if it is
//!   still open). Nobody reviews their own access, and the patient is not the reviewer: the
//!   patient is told, by the event on its topic, and the review is an independent check.
//! - **Erasure**: the patient or a guardian erases a record, every version of it. Each
//!   custodian deletes the ciphertext and every wrapped key it holds and confirms the deletion
//!   on chain ([`confirm_erasure`](Pallet::confirm_erasure)), which the patient sees. The
//!   hashes, the history and the access log stay. An erased record cannot be read or amended.
//!
//! Every event carries the patient's topic ([`Pallet::patient_topic`]), so that a patient's
//! application follows everything that concerns the patient with `system.eventTopics`.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`add_record`](Pallet::add_record), [`amend_record`](Pallet::amend_record) | the patient or a guardian; or a practitioner under a write grant; or, for a claim document, a claims officer of the provider that bills |
//! | [`grant_access`](Pallet::grant_access), [`revoke_access`](Pallet::revoke_access) | the patient or a guardian |
//! | [`log_releases`](Pallet::log_releases) | the vault account of the records' custodian |
//! | [`break_glass`](Pallet::break_glass) | a licensed practitioner with the emergency-care role at the named organisation |
//! | [`close_emergency_review`](Pallet::close_emergency_review) | an accredited auditor of the organisation where the glass was broken, or of a regulator; never the practitioner |
//! | [`erase_record`](Pallet::erase_record) | the patient or a guardian |
//! | [`confirm_erasure`](Pallet::confirm_erasure) | the vault account of the record's custodian |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds. Roles come from the identity pallet
//! through [`RecordsIdentity`], which the runtime implements.
//!
//! ## Bounds
//!
//! A record has at most [`Config::MaxVersions`] versions, so erasing one touches at most that
//! many; a log call carries at most [`Config::MaxReleasesPerLog`] releases. No call iterates
//! over more than a configured bound.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
pub mod runtime_api;
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
pub use traits::{ClaimDocumentParties, RecordsIdentity};
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
	/// counts each patient's grants and the records it wrote, which are bounded; 3 moves keys
	/// and locators off chain to the records' custodians, whose vaults log the reads; 4 drops
	/// the grants made on research consent (the research-consent pallet's accesses, released
	/// by custodians under its permit, replace them).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(5);

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

		/// Who is a patient, a guardian, a practitioner, an auditor, a custodian.
		type Identity: RecordsIdentity<Self::AccountId, Self::OrganisationId>;

		/// Who writes and reads claim documents, which no grant reaches.
		type ClaimParties: ClaimDocumentParties<Self::AccountId, Self::OrganisationId>;

		/// The chain's clock, against which grants and emergency accesses expire.
		type Time: Time<Moment = Moment>;

		/// The most versions a record may have: what erasing one touches.
		#[pallet::constant]
		type MaxVersions: Get<u32>;

		/// The most releases one [`log_releases`](Pallet::log_releases) call logs.
		#[pallet::constant]
		type MaxReleasesPerLog: Get<u32>;

		/// The most grants a patient (or its guardians) may have made at once. Revoking a grant
		/// gives its place back.
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
	pub type RecordOf<T> = Record<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A grant of this runtime.
	pub type GrantOf<T> = Grant<<T as frame_system::Config>::AccountId>;
	/// An access-log entry of this runtime.
	pub type AccessEntryOf<T> =
		AccessEntry<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A release of this runtime.
	pub type ReleaseOf<T> = Release<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A read permit of this runtime.
	pub type ReadPermitOf<T> =
		ReadPermit<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
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

	/// Each patient's grants, by grantee.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, GranteeOf<T>, GrantOf<T>>;

	/// The patients each grantee holds a grant of, by grantee: [`Grants`] the other way round,
	/// so that a practitioner's or a care provider's grants are found without reading every
	/// patient's.
	#[pallet::storage]
	pub type GrantsByGrantee<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, GranteeOf<T>, Blake2_128Concat, T::AccountId, ()>;

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

	/// Each patient's break-glass accesses, by id: the patient finds every access opened to its
	/// records, used or not, without reading everyone's.
	#[pallet::storage]
	pub type EmergenciesByPatient<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, EmergencyId, ()>;

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
			/// The organisation whose vault holds it.
			custodian: T::OrganisationId,
		},
		/// A record was amended by a new version, held by the same custodian.
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
			/// The new version's number.
			version: u32,
		},
		/// A patient granted access, or changed a grant's terms: custodians delete the keys
		/// wrapped to the grantee for records whose type it no longer covers.
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
			/// The patient or guardian who granted it.
			granted_by: T::AccountId,
			/// On what strength it was granted.
			basis: GrantBasis,
		},
		/// A patient revoked a grant: custodians delete every key wrapped to the grantee.
		AccessRevoked {
			/// The patient.
			patient: T::AccountId,
			/// The former grantee.
			grantee: GranteeOf<T>,
			/// The patient or guardian who revoked it.
			revoked_by: T::AccountId,
		},
		/// A custodian released a record to a reader, and the read is in the patient's access
		/// log.
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
			/// The custodian whose vault released it.
			released_by: T::OrganisationId,
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
			/// The auditor who closed it.
			reviewer: T::AccountId,
			/// What the review found.
			outcome: ReviewOutcome,
		},
		/// A version of a record was erased: its custodian is to delete its ciphertext and
		/// every key, and confirm; its hash stays.
		RecordErased {
			/// The version.
			record: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// The patient or guardian who erased it.
			erased_by: T::AccountId,
			/// The organisation whose vault holds it (`None`: no vault does).
			custodian: Option<T::OrganisationId>,
		},
		/// A custodian confirmed that it deleted an erased record's ciphertext and every key.
		ErasureConfirmed {
			/// The version.
			record: RecordId,
			/// The patient.
			patient: T::AccountId,
			/// The custodian.
			custodian: T::OrganisationId,
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
		/// Billing authority is for claim documents only.
		BillingIsForClaimDocuments,
		/// The caller does not file claims for that organisation (a claims officer of an
		/// active care provider).
		NotClaimsFiler,
		/// The content hash is zero.
		EmptyContentHash,
		/// The custodian is not an active organisation with a record vault.
		NoCustodian,
		/// The caller does not sign for the vault of the record's custodian.
		NotCustodian,
		/// No releases given.
		NoReleases,
		/// More releases than `MaxReleasesPerLog`.
		TooManyReleases,
		/// The break-glass access named in a release is not the reader's access to the
		/// record's patient.
		NotReadersEmergencyAccess,
		/// The record has `MaxVersions` versions: add a new record instead.
		TooManyVersions,
		/// The record has not been erased.
		RecordNotErased,
		/// The custodian already confirmed the erasure.
		ErasureAlreadyConfirmed,
		/// No record has this id.
		UnknownRecord,
		/// The record has been erased.
		RecordErased,
		/// The record has already been amended: amend its latest version.
		RecordAlreadyAmended,
		/// A patient cannot be granted access to the patient's own records.
		GrantToPatient,
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
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxVersions::get() > 0, "a record needs room for its first version");
			assert!(T::MaxReleasesPerLog::get() > 0, "MaxReleasesPerLog must be positive");
			assert!(T::MaxGrantsPerPatient::get() > 0, "patients need room for a grant");
			assert!(T::MaxRecordsWrittenByPatient::get() > 0, "patients need room for a record");
			assert!(T::EmergencyAccessPeriod::get() > 0, "EmergencyAccessPeriod must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds a record to `patient`'s index: the hash of its ciphertext, its type and its
		/// `custodian`, an active organisation with a record vault, to which the caller has
		/// uploaded the ciphertext and the data key wrapped to the patient and the readers.
		///
		/// The caller acts as the patient or a guardian, or under a write grant covering
		/// `record_type`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_record())]
		pub fn add_record(
			origin: OriginFor<T>,
			patient: T::AccountId,
			record_type: RecordType,
			content_hash: H256,
			custodian: T::OrganisationId,
			authority: AuthorityOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_patient(&patient), Error::<T>::NotAPatient);
			Self::authorise_write(&who, &patient, record_type, &authority)?;
			ensure!(!content_hash.is_zero(), Error::<T>::EmptyContentHash);
			ensure!(T::Identity::vault_account(custodian).is_some(), Error::<T>::NoCustodian);
			Self::count_write(&who, &patient, &authority)?;
			let record = Self::store_record(&patient, &who, record_type, content_hash, Some(custodian), None, 1)?;
			Self::deposit_for(
				&patient,
				Event::RecordAdded { record, patient: patient.clone(), author: who, record_type, content_hash, custodian },
			);
			Ok(())
		}

		/// Amends `record` with a new version of the same type, held by the same custodian,
		/// which links back to it. The amended version stays readable; the new one is written
		/// on the terms of [`add_record`](Pallet::add_record).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::amend_record())]
		pub fn amend_record(
			origin: OriginFor<T>,
			record: RecordId,
			content_hash: H256,
			authority: AuthorityOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut amended = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(!amended.is_erased(), Error::<T>::RecordErased);
			ensure!(amended.amended_by.is_none(), Error::<T>::RecordAlreadyAmended);
			let patient = amended.patient.clone();
			Self::authorise_write(&who, &patient, amended.record_type, &authority)?;
			ensure!(!content_hash.is_zero(), Error::<T>::EmptyContentHash);
			ensure!(amended.version < T::MaxVersions::get(), Error::<T>::TooManyVersions);
			let custodian = amended.custodian.ok_or(Error::<T>::NoCustodian)?;
			ensure!(T::Identity::vault_account(custodian).is_some(), Error::<T>::NoCustodian);
			Self::count_write(&who, &patient, &authority)?;
			let version = amended.version + 1;
			let new = Self::store_record(
				&patient,
				&who,
				amended.record_type,
				content_hash,
				Some(custodian),
				Some(record),
				version,
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
					version,
				},
			);
			Ok(())
		}

		/// Grants `grantee` (a licensed practitioner or a care provider) `access` to
		/// `patient`'s records of `record_types` until `expires_at`. Granting again changes
		/// the grant's terms.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::grant_access())]
		pub fn grant_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: GranteeOf<T>,
			access: AccessLevel,
			record_types: Vec<RecordType>,
			expires_at: Moment,
		) -> DispatchResult {
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
			let record_types = Self::validated_record_types(record_types)?;
			let now = T::Time::now();
			ensure!(expires_at > now, Error::<T>::ExpiryInPast);
			if !Grants::<T>::contains_key(&patient, &grantee) {
				let grants = PatientGrantCount::<T>::get(&patient);
				ensure!(grants < T::MaxGrantsPerPatient::get(), Error::<T>::TooManyGrants);
				PatientGrantCount::<T>::insert(&patient, grants + 1);
				GrantsByGrantee::<T>::insert(&grantee, &patient, ());
			}
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
				},
			);
			Ok(())
		}

		/// Revokes `patient`'s grant to `grantee`, expired or not. Custodians delete every key
		/// wrapped to the grantee when the revocation is final.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke_access())]
		pub fn revoke_access(origin: OriginFor<T>, patient: T::AccountId, grantee: GranteeOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_manager(&who, &patient)?;
			Grants::<T>::take(&patient, &grantee).ok_or(Error::<T>::NoGrant)?;
			GrantsByGrantee::<T>::remove(&grantee, &patient);
			// The place it held is given back.
			PatientGrantCount::<T>::mutate_exists(&patient, |grants| {
				*grants = grants.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
			});
			Self::deposit_for(&patient, Event::AccessRevoked { patient: patient.clone(), grantee, revoked_by: who });
			Ok(())
		}

		/// Logs on each patient's access log the reads the caller's vault released: the
		/// custodian's account logs, never the reader. Each release names a record the
		/// custodian holds, a reader other than its patient and, for an emergency read, that
		/// reader's break-glass access to the patient. The vault asked the chain before it
		/// released (with [`Pallet::read_permit`]); what it logs is not asked again, because the
		/// read has happened even if the grant has since ended.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::log_releases(releases.len() as u32))]
		pub fn log_releases(origin: OriginFor<T>, releases: Vec<ReleaseOf<T>>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!releases.is_empty(), Error::<T>::NoReleases);
			ensure!(releases.len() as u32 <= T::MaxReleasesPerLog::get(), Error::<T>::TooManyReleases);
			let now = T::Time::now();
			// Checked in full first, so that a refused batch logs nothing.
			let mut checked = Vec::with_capacity(releases.len());
			for release in releases {
				let record = Records::<T>::get(release.record).ok_or(Error::<T>::UnknownRecord)?;
				let custodian = record.custodian.ok_or(Error::<T>::NotCustodian)?;
				ensure!(T::Identity::vault_account(custodian).as_ref() == Some(&who), Error::<T>::NotCustodian);
				ensure!(release.reader != record.patient, Error::<T>::OwnReadNotLogged);
				if let Some(id) = release.emergency {
					let access = EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::NotReadersEmergencyAccess)?;
					ensure!(
						access.patient == record.patient && access.practitioner == release.reader,
						Error::<T>::NotReadersEmergencyAccess
					);
				}
				checked.push((record.patient, custodian, release));
			}
			for (patient, custodian, release) in checked {
				let entry = AccessLogLength::<T>::get(&patient);
				AccessLogLength::<T>::insert(&patient, entry.checked_add(1).ok_or(ArithmeticError::Overflow)?);
				AccessLog::<T>::insert(
					&patient,
					entry,
					AccessEntry {
						record: release.record,
						accessor: release.reader.clone(),
						authority: release.authority.clone(),
						emergency: release.emergency,
						purpose: release.purpose,
						at: now,
						released_by: Some(custodian),
					},
				);
				Self::deposit_for(
					&patient,
					Event::RecordAccessed {
						patient: patient.clone(),
						record: release.record,
						accessor: release.reader,
						authority: release.authority,
						purpose: release.purpose,
						emergency: release.emergency,
						entry,
						released_by: custodian,
					},
				);
			}
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
			EmergenciesByPatient::<T>::insert(&patient, id, ());
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

		/// Erases `record` and every other version of it (the versions it amends and those
		/// that amend it). Each version's custodian deletes its ciphertext and every wrapped
		/// key when the erasure is final, and confirms with
		/// [`confirm_erasure`](Pallet::confirm_erasure). The hashes, the history and the
		/// access log stay.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::erase_record(T::MaxVersions::get()))]
		pub fn erase_record(origin: OriginFor<T>, record: RecordId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let named = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			Self::ensure_manager(&who, &named.patient)?;
			ensure!(!named.is_erased(), Error::<T>::RecordErased);
			let patient = named.patient.clone();
			// The first version, then forward along `amended_by`: at most `MaxVersions`.
			let mut first = record;
			let mut current = named;
			while let Some(older) = current.amends {
				first = older;
				current = Records::<T>::get(older).ok_or(Error::<T>::UnknownRecord)?;
			}
			let now = T::Time::now();
			let mut next = Some(first);
			let mut versions = 0u32;
			while let Some(id) = next {
				let mut version = Records::<T>::get(id).ok_or(Error::<T>::UnknownRecord)?;
				next = version.amended_by;
				versions += 1;
				// Only records from before version 3 had versions erased on their own.
				if version.is_erased() {
					continue;
				}
				version.erased_at = Some(now);
				// Nothing for a custodian to delete where no vault held the record.
				if version.custodian.is_none() {
					version.erasure_confirmed_at = Some(now);
				}
				let custodian = version.custodian;
				Records::<T>::insert(id, version);
				Self::deposit_for(
					&patient,
					Event::RecordErased { record: id, patient: patient.clone(), erased_by: who.clone(), custodian },
				);
			}
			Ok(Some(T::WeightInfo::erase_record(versions)).into())
		}

		/// Confirms that the caller's vault deleted the ciphertext and every wrapped key of
		/// the erased version `record`, which its organisation holds.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::confirm_erasure())]
		pub fn confirm_erasure(origin: OriginFor<T>, record: RecordId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut erased = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			let custodian = erased.custodian.ok_or(Error::<T>::NotCustodian)?;
			ensure!(T::Identity::vault_account(custodian).as_ref() == Some(&who), Error::<T>::NotCustodian);
			ensure!(erased.is_erased(), Error::<T>::RecordNotErased);
			ensure!(erased.erasure_confirmed_at.is_none(), Error::<T>::ErasureAlreadyConfirmed);
			erased.erasure_confirmed_at = Some(T::Time::now());
			let patient = erased.patient.clone();
			Records::<T>::insert(record, erased);
			Self::deposit_for(&patient, Event::ErasureConfirmed { record, patient: patient.clone(), custodian });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The topic every event about `patient` carries: the Blake2-256 hash of
		/// [`PATIENT_TOPIC`] followed by the patient's account id.
		pub fn patient_topic(patient: &T::AccountId) -> T::Hash {
			T::Hashing::hash_of(&(PATIENT_TOPIC, patient))
		}

		/// Deposits `event` under `patient`'s topic.
		pub(crate) fn deposit_for(patient: &T::AccountId, event: Event<T>) {
			let event: <T as Config>::RuntimeEvent = event.into();
			frame_system::Pallet::<T>::deposit_event_indexed(&[Self::patient_topic(patient)], event.into());
		}

		/// Record `record`, if there is one: what other pallets know of it through the runtime.
		pub fn record(record: RecordId) -> Option<RecordOf<T>> {
			Records::<T>::get(record)
		}

		/// The id the next record gets.
		pub fn next_record_id() -> RecordId {
			NextRecordId::<T>::get()
		}

		/// Whether `reader` may read `record` now, and under which authority, as a custodian
		/// asks before it releases the record (the runtime API behind every vault read): the
		/// patient itself; a guardian whose scope covers health records; a grantee (the
		/// reader's own grant, or one to a care provider where the reader is clinical staff)
		/// whose grant in force covers the record's type; for a claim document, a party of the
		/// claim that names it or a regulator's auditor; or a practitioner whose break-glass
		/// access to the patient is open and who keeps its standing where it broke the glass.
		/// The refusal names the most specific reason.
		pub fn read_permit(record: RecordId, reader: &T::AccountId) -> Result<ReadPermitOf<T>, Error<T>> {
			let read = Records::<T>::get(record).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(!read.is_erased(), Error::<T>::RecordErased);
			let permit = |authority, emergency| ReadPermit {
				patient: read.patient.clone(),
				record_type: read.record_type,
				content_hash: read.content_hash,
				reader_key: T::Identity::encryption_key(reader),
				custodian: read.custodian,
				authority,
				emergency,
			};
			if T::Identity::may_manage_records(reader, &read.patient) {
				return Ok(permit(Authority::PatientOrGuardian, None));
			}
			let now = T::Time::now();
			// The reader's own grant first, then each care provider's it works at: at most
			// `MaxGrantsPerPatient` grants.
			let own = Grantee::Account(reader.clone());
			let (mut expired, mut other_types, mut not_grantee) = (false, false, false);
			let mut covers = |grant: &GrantOf<T>| {
				let expiry_ok = now < grant.expires_at;
				let type_ok = grant.record_types.binary_search(&read.record_type).is_ok();
				expired |= !expiry_ok;
				other_types |= expiry_ok && !type_ok;
				expiry_ok && type_ok
			};
			if let Some(grant) = Grants::<T>::get(&read.patient, &own) {
				if Self::ensure_acts_as(reader, &own).is_err() {
					not_grantee = true;
				} else if covers(&grant) {
					return Ok(permit(Authority::Grant(own), None));
				}
			}
			for (grantee, grant) in Grants::<T>::iter_prefix(&read.patient) {
				if let Grantee::Organisation(organisation) = grantee {
					if T::Identity::is_clinical_staff_at(reader, organisation) && covers(&grant) {
						return Ok(permit(Authority::Grant(grantee), None));
					}
				}
			}
			if read.record_type == RecordType::Claim {
				if let Some(organisation) = T::ClaimParties::reads_claim_document_for(reader, record) {
					return Ok(permit(Authority::Billing(organisation), None));
				}
			}
			if let Some(id) = Self::open_emergency_access(&read.patient, reader, now) {
				return Ok(permit(Authority::BreakGlass, Some(id)));
			}
			Err(if expired {
				Error::<T>::GrantExpired
			} else if other_types {
				Error::<T>::RecordTypeNotGranted
			} else if not_grantee {
				Error::<T>::NotGrantee
			} else {
				Error::<T>::NoGrant
			})
		}

		/// Whether `writer` may write `patient`'s records of `record_type` under `authority`
		/// now: what a custodian asks before it accepts an upload, which it then holds pending
		/// until the record is final on chain.
		pub fn write_permit(
			writer: &T::AccountId,
			patient: &T::AccountId,
			record_type: RecordType,
			authority: &AuthorityOf<T>,
		) -> Result<(), Error<T>> {
			ensure!(T::Identity::is_patient(patient), Error::<T>::NotAPatient);
			Self::authorise_write(writer, patient, record_type, authority)
		}

		/// The break-glass access `practitioner` has open to `patient` at `now`, if it keeps
		/// its standing at the organisation where it broke the glass.
		fn open_emergency_access(patient: &T::AccountId, practitioner: &T::AccountId, now: Moment) -> Option<EmergencyId> {
			let id = OpenEmergencyAccess::<T>::get(patient, practitioner)?;
			let access = EmergencyAccesses::<T>::get(id).filter(|access| now < access.expires_at)?;
			access
				.organisation
				.is_some_and(|org| T::Identity::is_emergency_practitioner_at(practitioner, org))
				.then_some(id)
		}

		/// Whether `who` may manage `patient`'s records.
		fn ensure_manager(who: &T::AccountId, patient: &T::AccountId) -> Result<(), Error<T>> {
			ensure!(T::Identity::is_patient(patient), Error::<T>::NotAPatient);
			ensure!(T::Identity::may_manage_records(who, patient), Error::<T>::NotPatientOrGuardian);
			Ok(())
		}

		/// Whether `who` is `grantee`, or works at it in a clinical role. An account grantee is
		/// a licensed practitioner: standing is checked now, at every use.
		fn ensure_acts_as(who: &T::AccountId, grantee: &GranteeOf<T>) -> Result<(), Error<T>> {
			let acts_as = match grantee {
				Grantee::Account(account) => account == who && T::Identity::is_practitioner(who),
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
		) -> Result<GrantOf<T>, Error<T>> {
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
		) -> Result<(), Error<T>> {
			match authority {
				Authority::PatientOrGuardian => Self::ensure_manager(who, patient),
				Authority::Grant(grantee) => {
					Self::ensure_acts_as(who, grantee)?;
					let grant = Self::grant_in_force(patient, grantee, record_type)?;
					ensure!(grant.access == AccessLevel::Write, Error::<T>::ReadOnlyGrant);
					Ok(())
				},
				Authority::BreakGlass => Err(Error::<T>::BreakGlassIsReadOnly),
				Authority::Billing(organisation) => {
					ensure!(record_type == RecordType::Claim, Error::<T>::BillingIsForClaimDocuments);
					ensure!(T::ClaimParties::files_claims_for(who, *organisation), Error::<T>::NotClaimsFiler);
					Ok(())
				},
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

		/// Record types sorted and checked: at least one, none twice.
		fn validated_record_types(mut types: Vec<RecordType>) -> Result<RecordTypes, DispatchError> {
			ensure!(!types.is_empty(), Error::<T>::NoRecordTypes);
			types.sort();
			let before = types.len();
			types.dedup();
			ensure!(types.len() == before, Error::<T>::DuplicateRecordType);
			Ok(RecordTypes::try_from(types).map_err(|_| Error::<T>::DuplicateRecordType)?)
		}

		/// Stores a new record, indexes it under the patient, and returns its id.
		fn store_record(
			patient: &T::AccountId,
			author: &T::AccountId,
			record_type: RecordType,
			content_hash: H256,
			custodian: Option<T::OrganisationId>,
			amends: Option<RecordId>,
			version: u32,
		) -> Result<RecordId, DispatchError> {
			let id = NextRecordId::<T>::get();
			NextRecordId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			let count = RecordCount::<T>::get(patient).checked_add(1).ok_or(ArithmeticError::Overflow)?;
			Records::<T>::insert(
				id,
				Record {
					patient: patient.clone(),
					author: author.clone(),
					record_type,
					content_hash,
					custodian,
					created_at: T::Time::now(),
					version,
					amends,
					amended_by: None,
					erased_at: None,
					erasure_confirmed_at: None,
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
				// Records from before version 3 (no custodian) were not bounded in versions.
				ensure!(
					record.version >= 1 && (record.custodian.is_none() || record.version <= T::MaxVersions::get()),
					"a record's version is out of bounds"
				);
				ensure!(
					record.erasure_confirmed_at.is_none() || record.is_erased(),
					"an erasure confirmed of a record not erased"
				);
				match record.amends {
					Some(amends) => {
						let older = Records::<T>::get(amends).ok_or("a record amends no record")?;
						ensure!(older.amended_by == Some(id), "amends and amended_by disagree");
						ensure!(older.patient == record.patient, "an amendment of another patient");
						ensure!(older.version + 1 == record.version, "versions do not follow each other");
						ensure!(older.custodian == record.custodian, "versions held by different custodians");
						// Before version 3 a version was erased on its own.
						ensure!(
							record.custodian.is_none() || older.is_erased() == record.is_erased(),
							"a version erased without the others"
						);
					},
					None => ensure!(record.version == 1, "a first version not numbered 1"),
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
			let mut patient_grants = BTreeMap::<T::AccountId, u32>::new();
			// The indexes exist from version 5 (its migration builds them).
			let indexed = Pallet::<T>::on_chain_storage_version() >= 5;
			for (patient, grantee, grant) in Grants::<T>::iter() {
				ensure!(
					!indexed || GrantsByGrantee::<T>::contains_key(&grantee, &patient),
					"a grant missing from GrantsByGrantee"
				);
				ensure!(
					grant.record_types.windows(2).all(|w| w[0] < w[1]),
					"record types not sorted and distinct"
				);
				ensure!(
					grant.basis == GrantBasis::Patient || Pallet::<T>::on_chain_storage_version() < 4,
					"a grant on research consent after version 4"
				);
				if grant.basis != GrantBasis::Patient {
					continue;
				}
				*patient_grants.entry(patient).or_default() += 1;
			}
			for (patient, count) in PatientGrantCount::<T>::iter() {
				ensure!(patient_grants.get(&patient) == Some(&count), "PatientGrantCount disagrees with Grants");
				ensure!(count <= T::MaxGrantsPerPatient::get(), "a patient has too many grants");
			}
			ensure!(
				patient_grants.len() == PatientGrantCount::<T>::iter().count(),
				"a patient with grants has no PatientGrantCount"
			);
			for (grantee, patient, ()) in GrantsByGrantee::<T>::iter() {
				ensure!(Grants::<T>::contains_key(&patient, &grantee), "GrantsByGrantee lists no grant");
			}
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
			let mut entries = BTreeMap::<T::AccountId, u32>::new();
			for (patient, n, entry) in AccessLog::<T>::iter() {
				ensure!(n < AccessLogLength::<T>::get(&patient), "an access-log entry past its length");
				ensure!(entry.accessor != patient || entry.released_by.is_none(), "a patient's own read logged");
				let record = Records::<T>::get(entry.record).ok_or("an access-log entry of no record")?;
				ensure!(record.patient == patient, "an access-log entry of another patient's record");
				*entries.entry(patient).or_default() += 1;
			}
			for (patient, length) in AccessLogLength::<T>::iter() {
				ensure!(entries.get(&patient) == Some(&length), "AccessLogLength disagrees with AccessLog");
			}
			let next = NextEmergencyId::<T>::get();
			for (id, access) in EmergencyAccesses::<T>::iter() {
				ensure!(id < next, "an emergency id is not below NextEmergencyId");
				ensure!(
					!indexed || EmergenciesByPatient::<T>::contains_key(&access.patient, id),
					"an emergency access missing from EmergenciesByPatient"
				);
			}
			for (patient, id, ()) in EmergenciesByPatient::<T>::iter() {
				let access = EmergencyAccesses::<T>::get(id).ok_or("EmergenciesByPatient lists no emergency access")?;
				ensure!(access.patient == patient, "EmergenciesByPatient lists another patient's emergency access");
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
