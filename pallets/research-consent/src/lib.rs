//! # Research Consent Pallet
//!
//! Clinical-research consent: studies approved by ethics boards, dynamic consent in GA4GH
//! Data Use Ontology (DUO) terms given under participant pseudonyms, and research accesses
//! that a consent check grants and a withdrawal ends.
//!
//! ## Overview
//!
//! - **Studies**: a certified researcher of a research institute registers a study: the hash
//!   of its protocol, its sponsor, its purpose and undertakings in DUO terms
//!   ([`duo::DataUse`]), the record types it needs, its start and end, and, under a
//!   user-specific restriction (US), the researchers approved to use data. Studies are a
//!   public registry. A study is active only once an accredited reviewer of an ethics board
//!   approves it, and only between its start and end; the board can suspend it and approve it
//!   again.
//! - **Participants**: a patient takes part in research under a *participant*, an account of
//!   its own that names no one: the patient's client derives one per study (or one for its
//!   standing preferences) and it signs the patient's consents. Nothing on chain links a
//!   participant to the patient; the patient gives the study team a *binding* (the patient's
//!   signature over the participant), which the custodian of the patient's records checks
//!   before it releases anything. An account registered with an identity (a patient's own,
//!   a practitioner's) may not consent: that would name the patient next to the study.
//!   Consents given before participants existed stay under the patient's account.
//! - **Consent**: a participant consents either to one study or as a standing preference over
//!   DUO terms ("any health/medical research, not for profit, until 2029"), names the record
//!   types studies may use, and may set an expiry. Consent can be narrowed (never broadened)
//!   and withdrawn at any time. Every version is kept in [`ConsentVersions`], so what was
//!   consented when can be shown. A consent to a study decides for that study, even when
//!   withdrawn: a standing preference never overrides it. At most
//!   [`Config::MaxConsentsPerParticipant`] are given under one participant, each with at most
//!   [`Config::MaxConsentVersions`] versions (the last kept for the withdrawal).
//! - **Consent-checked access**: a certified researcher of the study's institute requests
//!   access to a participant's data for the study. The check ([`Pallet::may_use`]) finds a
//!   consent that stands and covers the study under DUO's matching rules ([`duo`]); if there
//!   is one, the researcher holds a research access to the participant's records of the
//!   study's record types (as far as the consent allows) until the earliest of the study's
//!   end, the consent's expiry or time limit and [`Config::AccessPeriod`] from now. A refused
//!   request succeeds as a call and records the refusal and its reason. Any change to a
//!   participant's consents re-checks its accesses and ends those no longer covered: a
//!   withdrawal takes effect in the block that includes it, so no later block sees the
//!   consent or the access.
//! - **Releases**: the custodian of the patient's records releases them to the researcher
//!   only while [`Pallet::research_permit`] says the access stands for the record's type (at a
//!   finalized block), and logs each batch with [`log_releases`](Pallet::log_releases): on the
//!   participant's log, with how many records and a digest of which, not the records' ids
//!   (which would name the patient).
//! - The runtime API [`ResearchConsentApi`](runtime_api::ResearchConsentApi) answers "may
//!   study S use participant P's data now, and why not" and "may this researcher read this
//!   type of P's records now" over RPC.
//!
//! Every consent, access and release event carries the participant's topic, every study,
//! access and release event the study's, so participants (through the patient's app) and
//! boards can follow them with `system.eventTopics`.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`register_study`](Pallet::register_study) | a certified researcher of the institute |
//! | [`approve_study`](Pallet::approve_study), [`suspend_study`](Pallet::suspend_study) | an accredited ethics reviewer of the board |
//! | [`give_consent`](Pallet::give_consent) | the participant, an account with no identity |
//! | [`narrow_consent`](Pallet::narrow_consent), [`withdraw_consent`](Pallet::withdraw_consent) | the consent's participant (or, for a consent under a patient's own account, a guardian) |
//! | [`request_access`](Pallet::request_access) | a certified researcher of the study's institute (an approved one under US) |
//! | [`end_access`](Pallet::end_access) | the researcher or the participant; anyone once the access is no longer covered |
//! | [`log_releases`](Pallet::log_releases) | the vault account of a custodian organisation |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod duo;
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

pub use duo::{DataUse, Mismatch, Modifier, Purpose};
pub use pallet::*;
#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use traits::ResearchIdentity;
pub use types::*;
pub use weights::WeightInfo;

/// The prefix of a participant's event topic: a patient's (the health-records pallet's), so
/// that consents given under a patient's own account stay on the patient's topic.
pub const PATIENT_TOPIC: [u8; 19] = *b"healthchain/patient";
/// The prefix of a study's event topic.
pub const STUDY_TOPIC: [u8; 17] = *b"healthchain/study";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{traits::Hash, ArithmeticError};

	/// The storage layout's version: 1 counts the consents given for each participant, which are
	/// bounded; 2 keys consents and accesses by participant and keeps a log of research
	/// releases (no grants in the health-records pallet any more).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the research-consent pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Identifies an organisation in the identity pallet.
		type OrganisationId: Parameter + Member + Copy + MaxEncodedLen;

		/// A type of health record (the health-records pallet's FHIR resource types).
		type RecordType: Parameter + Member + Copy + Ord + MaxEncodedLen;

		/// Who has an identity, who is a guardian, a researcher, an ethics reviewer, a custodian.
		type Identity: ResearchIdentity<Self::AccountId, Self::OrganisationId>;

		/// The chain's clock.
		type Time: Time<Moment = Moment>;

		/// How many record types there are: bounds a study's and a consent's list.
		#[pallet::constant]
		type MaxRecordTypes: Get<u32>;

		/// The most researchers a study under a user-specific restriction approves.
		#[pallet::constant]
		type MaxApprovedResearchers: Get<u32>;

		/// The most standing consents a participant holds at once.
		#[pallet::constant]
		type MaxStandingConsents: Get<u32>;

		/// The most research accesses to one participant's records at once.
		#[pallet::constant]
		type MaxAccessesPerParticipant: Get<u32>;

		/// The most consents ever given under one participant, withdrawn ones included (they
		/// are kept, with every version, as the record of what the patient agreed to): bounded,
		/// as consents given under a patient's own (sponsored) account always were.
		#[pallet::constant]
		type MaxConsentsPerParticipant: Get<u32>;

		/// The most versions one consent has: it is given, narrowed up to this number less
		/// two times, and can always be withdrawn.
		#[pallet::constant]
		type MaxConsentVersions: Get<u32>;

		/// The most releases one [`log_releases`](Pallet::log_releases) carries.
		#[pallet::constant]
		type MaxReleasesPerLog: Get<u32>;

		/// The longest one access lasts; the researcher requests again after it.
		#[pallet::constant]
		type AccessPeriod: Get<Moment>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up participants, researchers and ethics boards in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OrganisationId, Self::RecordType>;
	}

	/// A list of record types of this runtime.
	pub type RecordTypesOf<T> = BoundedVec<<T as Config>::RecordType, <T as Config>::MaxRecordTypes>;
	/// A study of this runtime.
	pub type StudyOf<T> = Study<
		<T as frame_system::Config>::AccountId,
		<T as Config>::OrganisationId,
		<T as Config>::RecordType,
		<T as Config>::MaxRecordTypes,
		<T as Config>::MaxApprovedResearchers,
	>;
	/// The terms of a consent of this runtime.
	pub type ConsentTermsOf<T> = ConsentTerms<<T as Config>::RecordType, <T as Config>::MaxRecordTypes>;
	/// A consent of this runtime.
	pub type ConsentOf<T> = Consent<
		<T as frame_system::Config>::AccountId,
		<T as Config>::RecordType,
		<T as Config>::MaxRecordTypes,
		BlockNumberFor<T>,
	>;
	/// A version of a consent of this runtime.
	pub type ConsentVersionOf<T> = ConsentVersion<
		<T as frame_system::Config>::AccountId,
		<T as Config>::RecordType,
		<T as Config>::MaxRecordTypes,
		BlockNumberFor<T>,
	>;
	/// A research access of this runtime.
	pub type ResearchAccessOf<T> = ResearchAccess<<T as Config>::RecordType, <T as Config>::MaxRecordTypes>;
	/// A release a custodian logs, in this runtime.
	pub type ReleaseOf<T> = Release<<T as frame_system::Config>::AccountId>;
	/// An entry of a participant's release log, in this runtime.
	pub type ReleaseEntryOf<T> = ReleaseEntry<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;

	/// The id the next study gets.
	#[pallet::storage]
	pub type NextStudyId<T> = StorageValue<_, StudyId, ValueQuery>;

	/// Studies, by id.
	#[pallet::storage]
	pub type Studies<T: Config> = StorageMap<_, Twox64Concat, StudyId, StudyOf<T>>;

	/// The id the next consent gets.
	#[pallet::storage]
	pub type NextConsentId<T> = StorageValue<_, ConsentId, ValueQuery>;

	/// Consents as they stand now, by id.
	#[pallet::storage]
	pub type Consents<T: Config> = StorageMap<_, Twox64Concat, ConsentId, ConsentOf<T>>;

	/// Every version of every consent, numbered from 0.
	#[pallet::storage]
	pub type ConsentVersions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsentId, Twox64Concat, u32, ConsentVersionOf<T>>;

	/// How many consents have been given for each participant, withdrawn ones included.
	#[pallet::storage]
	pub type ConsentsGiven<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Each participant's latest consent to each study, withdrawn or not: it decides for that study.
	#[pallet::storage]
	pub type StudyConsents<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, StudyId, ConsentId>;

	/// Each participant's standing consents that are not withdrawn, oldest first.
	#[pallet::storage]
	pub type StandingConsents<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BoundedVec<ConsentId, T::MaxStandingConsents>, ValueQuery>;

	/// Research accesses to each participant's records, by researcher.
	#[pallet::storage]
	pub type Accesses<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, ResearchAccessOf<T>>;

	/// How many research accesses each participant's records have.
	#[pallet::storage]
	pub type AccessCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Each participant's log of research releases, numbered from 0: what custodians released
	/// to which researcher under the participant's accesses. Grown by custodians, who pay for
	/// it in fees.
	#[pallet::storage]
	pub type ReleaseLog<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u32, ReleaseEntryOf<T>>;

	/// How many entries each participant's release log has.
	#[pallet::storage]
	pub type ReleaseLogLength<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// An event for the audit trail of every change and every consent check.
	#[pallet::event]
	pub enum Event<T: Config> {
		/// A researcher registered a study; it awaits an ethics board's approval.
		StudyRegistered {
			/// Its id.
			study: StudyId,
			/// The research institute.
			institute: T::OrganisationId,
			/// The researcher who registered it.
			principal_investigator: T::AccountId,
		},
		/// An ethics board approved a study (again).
		StudyApproved {
			/// The study.
			study: StudyId,
			/// The ethics board.
			board: T::OrganisationId,
			/// The reviewer who approved it.
			reviewer: T::AccountId,
		},
		/// An ethics board suspended a study.
		StudySuspended {
			/// The study.
			study: StudyId,
			/// The ethics board.
			board: T::OrganisationId,
			/// The reviewer who suspended it.
			reviewer: T::AccountId,
			/// Why.
			reason: SuspensionReason,
		},
		/// A participant consented.
		ConsentGiven {
			/// Its id.
			consent: ConsentId,
			/// The participant.
			participant: T::AccountId,
			/// The participant or the guardian who gave it.
			by: T::AccountId,
			/// What it covers.
			scope: ConsentScope,
		},
		/// A participant narrowed a consent: a new version.
		ConsentNarrowed {
			/// The consent.
			consent: ConsentId,
			/// The participant.
			participant: T::AccountId,
			/// The participant or the guardian.
			by: T::AccountId,
			/// The new version.
			version: u32,
		},
		/// A participant withdrew a consent; it stands in no later block.
		ConsentWithdrawn {
			/// The consent.
			consent: ConsentId,
			/// The participant.
			participant: T::AccountId,
			/// The participant or the guardian.
			by: T::AccountId,
			/// The version that records the withdrawal.
			version: u32,
		},
		/// A consent check passed: the researcher may read the participant's records of the
		/// study's record types until `until`.
		AccessGranted {
			/// The study.
			study: StudyId,
			/// The participant.
			participant: T::AccountId,
			/// The researcher.
			researcher: T::AccountId,
			/// The consent that permits it.
			consent: ConsentId,
			/// The record types.
			record_types: RecordTypesOf<T>,
			/// When it ends.
			until: Moment,
		},
		/// A consent check failed: nothing was granted.
		AccessRefused {
			/// The study.
			study: StudyId,
			/// The participant.
			participant: T::AccountId,
			/// The researcher who asked.
			researcher: T::AccountId,
			/// Why not.
			reason: Refusal,
		},
		/// A custodian released records of a participant's patient to a researcher under the
		/// participant's research access.
		DataReleased {
			/// The participant.
			participant: T::AccountId,
			/// The researcher.
			researcher: T::AccountId,
			/// The study.
			study: StudyId,
			/// The custodian organisation whose vault released them.
			custodian: T::OrganisationId,
			/// How many records.
			records: u32,
			/// The digest of which records (the custodian's journal holds them).
			digest: H256,
			/// The entry on the participant's release log.
			entry: u32,
		},
		/// A research access ended before its time: withdrawn or narrowed consent, a suspended
		/// study, or ended by the participant or the researcher.
		AccessEnded {
			/// The study.
			study: StudyId,
			/// The participant.
			participant: T::AccountId,
			/// The researcher.
			researcher: T::AccountId,
			/// Who ended it, directly or by the change to the consent.
			by: T::AccountId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// As many consents have been given for the participant as may be.
		TooManyConsents,
		/// The consent has been narrowed as often as it may be; withdraw it and give a new one.
		TooManyConsentVersions,
		/// The caller is not a certified researcher of the institute.
		NotResearcher,
		/// The study limits use to approved researchers, and the caller is not one.
		NotApprovedResearcher,
		/// The caller is not an accredited ethics reviewer of the board.
		NotEthicsReviewer,
		/// The account has an identity (a patient's own, a practitioner's): consent is given
		/// under a participant, an account that names no one.
		ConsentUnderIdentity,
		/// Only the consent's participant (or a guardian of a patient who consented under its
		/// own account) may do this.
		NotParticipant,
		/// The caller is not the vault account of a custodian organisation.
		NotCustodian,
		/// A log carries no release.
		NoReleases,
		/// A log carries more releases than one may.
		TooManyReleases,
		/// A release names no records.
		NoRecordsReleased,
		/// The digest of a release's records is zero.
		EmptyDigest,
		/// The protocol hash is zero.
		EmptyProtocolHash,
		/// The sponsor's name is empty, too long or not UTF-8.
		InvalidSponsor,
		/// A kind of modifier appears twice.
		DuplicateModifier,
		/// A disease code is not an ICD-10 code.
		InvalidDiseaseCode,
		/// A region code is empty or malformed.
		InvalidRegionCode,
		/// A research type is empty or malformed.
		InvalidResearchType,
		/// A moratorium or time limit is zero.
		InvalidModifierMoment,
		/// At least one record type is needed.
		NoRecordTypes,
		/// A record type appears twice.
		DuplicateRecordType,
		/// More record types than there are.
		TooManyRecordTypes,
		/// The study ends before it starts.
		InvalidStudyPeriod,
		/// The study's period is over.
		StudyPeriodOver,
		/// A study under a user-specific restriction (US) names its approved researchers.
		ApprovedResearchersRequired,
		/// Only a study under a user-specific restriction (US) names approved researchers.
		ApprovedResearchersNotExpected,
		/// An approved researcher is not a certified researcher of the institute.
		ApprovedResearcherNotAtInstitute,
		/// A researcher appears twice.
		DuplicateResearcher,
		/// More approved researchers than a study may have.
		TooManyResearchers,
		/// No such study.
		UnknownStudy,
		/// The study is approved already.
		AlreadyApproved,
		/// Only the board that suspended the study may approve it again.
		NotApprovingBoard,
		/// The study is not approved: nothing to suspend.
		NotApproved,
		/// The expiry is not in the future.
		ExpiryInPast,
		/// The participant's consent to this study stands already: narrow or withdraw it.
		StudyConsentExists,
		/// The participant holds as many standing consents as allowed.
		TooManyStandingConsents,
		/// No such consent.
		UnknownConsent,
		/// The consent is withdrawn already.
		AlreadyWithdrawn,
		/// Only a standing consent has terms to narrow.
		NotStandingConsent,
		/// The new terms are broader than the old ones somewhere.
		NotNarrower,
		/// The new terms are the old ones.
		ConsentUnchanged,
		/// The researcher holds access to the participant's records for another study.
		AccessHeldForOtherStudy,
		/// The participant's records have as many research accesses as allowed.
		TooManyAccesses,
		/// The researcher holds no access to the participant's records.
		NoAccess,
		/// The access is still covered by consent: only the researcher, the participant or a
		/// guardian may end it.
		AccessStillJustified,
	}

	impl<T> From<duo::Malformed> for Error<T> {
		fn from(malformed: duo::Malformed) -> Self {
			match malformed {
				duo::Malformed::DuplicateModifier => Error::DuplicateModifier,
				duo::Malformed::DiseaseCode => Error::InvalidDiseaseCode,
				duo::Malformed::RegionCode => Error::InvalidRegionCode,
				duo::Malformed::ResearchType => Error::InvalidResearchType,
				duo::Malformed::Moment => Error::InvalidModifierMoment,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxRecordTypes::get() > 0, "MaxRecordTypes must be positive");
			assert!(T::MaxStandingConsents::get() > 0, "MaxStandingConsents must be positive");
			assert!(T::MaxAccessesPerParticipant::get() > 0, "MaxAccessesPerParticipant must be positive");
			assert!(T::MaxConsentsPerParticipant::get() > 0, "participants need room for a consent");
			assert!(T::MaxConsentVersions::get() >= 2, "a consent needs room to be given and withdrawn");
			assert!(T::AccessPeriod::get() > 0, "AccessPeriod must be positive");
		}
	}

	/// The most a consent call weighs: its benchmarked `weight` with every access of the
	/// participant examined and ended.
	fn weight_with_accesses<T: Config>(weight: fn(u32) -> Weight) -> Weight {
		weight(T::MaxAccessesPerParticipant::get())
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a study of `institute`: the hash of its protocol, its `sponsor`, its
		/// `purpose` and the `modifiers` it undertakes in DUO terms, the `record_types` it
		/// needs, its period, and under a user-specific restriction (US) its
		/// `approved_researchers`. It awaits an ethics board's approval.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_study(T::MaxApprovedResearchers::get()))]
		pub fn register_study(
			origin: OriginFor<T>,
			institute: T::OrganisationId,
			protocol_hash: H256,
			sponsor: Vec<u8>,
			mut data_use: DataUse,
			record_types: Vec<T::RecordType>,
			starts_at: Moment,
			ends_at: Moment,
			approved_researchers: Vec<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_researcher_at(&who, institute), Error::<T>::NotResearcher);
			ensure!(!protocol_hash.is_zero(), Error::<T>::EmptyProtocolHash);
			ensure!(!sponsor.is_empty() && core::str::from_utf8(&sponsor).is_ok(), Error::<T>::InvalidSponsor);
			let sponsor = Sponsor::try_from(sponsor).map_err(|_| Error::<T>::InvalidSponsor)?;
			data_use.validate().map_err(Error::<T>::from)?;
			let record_types = Self::validated_record_types(record_types)?;
			ensure!(starts_at < ends_at, Error::<T>::InvalidStudyPeriod);
			ensure!(T::Time::now() < ends_at, Error::<T>::StudyPeriodOver);
			let researchers = approved_researchers.len() as u32;
			let approved_researchers = Self::validated_researchers(institute, &data_use, approved_researchers)?;

			let study = NextStudyId::<T>::get();
			NextStudyId::<T>::put(study.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Studies::<T>::insert(
				study,
				Study {
					institute,
					principal_investigator: who.clone(),
					protocol_hash,
					sponsor,
					data_use,
					record_types,
					starts_at,
					ends_at,
					approved_researchers,
					status: StudyStatus::AwaitingApproval,
				},
			);
			Self::deposit(
				&[Self::study_topic(study)],
				Event::StudyRegistered { study, institute, principal_investigator: who },
			);
			Ok(Some(T::WeightInfo::register_study(researchers)).into())
		}

		/// Approves `study` for the ethics `board` the caller reviews for. A suspended study is
		/// approved again only by the board that suspended it.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::approve_study())]
		pub fn approve_study(origin: OriginFor<T>, study: StudyId, board: T::OrganisationId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_ethics_reviewer_at(&who, board), Error::<T>::NotEthicsReviewer);
			let mut approved = Studies::<T>::get(study).ok_or(Error::<T>::UnknownStudy)?;
			match approved.status {
				StudyStatus::AwaitingApproval => {},
				StudyStatus::Approved { .. } => return Err(Error::<T>::AlreadyApproved.into()),
				StudyStatus::Suspended { board: suspending, .. } =>
					ensure!(suspending == board, Error::<T>::NotApprovingBoard),
			}
			let now = T::Time::now();
			ensure!(now < approved.ends_at, Error::<T>::StudyPeriodOver);
			approved.status = StudyStatus::Approved { board, at: now };
			Studies::<T>::insert(study, approved);
			Self::deposit(&[Self::study_topic(study)], Event::StudyApproved { study, board, reviewer: who });
			Ok(())
		}

		/// Suspends `study`, as a reviewer of the board that approved it. No access is granted
		/// for it while it is suspended, and anyone may end those it had.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::suspend_study())]
		pub fn suspend_study(origin: OriginFor<T>, study: StudyId, reason: SuspensionReason) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut suspended = Studies::<T>::get(study).ok_or(Error::<T>::UnknownStudy)?;
			let StudyStatus::Approved { board, .. } = suspended.status else {
				return Err(Error::<T>::NotApproved.into());
			};
			ensure!(T::Identity::is_ethics_reviewer_at(&who, board), Error::<T>::NotEthicsReviewer);
			suspended.status = StudyStatus::Suspended { board, at: T::Time::now(), reason };
			Studies::<T>::insert(study, suspended);
			Self::deposit(&[Self::study_topic(study)], Event::StudySuspended { study, board, reviewer: who, reason });
			Ok(())
		}

		/// Gives `participant`'s consent, as the participant or a guardian: to one study, or as a
		/// standing preference over DUO terms; studies may use `record_types`, until
		/// `expires_at` if given.
		#[pallet::call_index(3)]
		#[pallet::weight(weight_with_accesses::<T>(T::WeightInfo::give_consent))]
		pub fn give_consent(
			origin: OriginFor<T>,
			scope: ConsentScope,
			record_types: Vec<T::RecordType>,
			expires_at: Option<Moment>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!T::Identity::is_identified(&who), Error::<T>::ConsentUnderIdentity);
			let participant = who.clone();
			let scope = match scope {
				ConsentScope::Study(study) => {
					ensure!(Studies::<T>::contains_key(study), Error::<T>::UnknownStudy);
					let standing = StudyConsents::<T>::get(&participant, study)
						.and_then(Consents::<T>::get)
						.is_some_and(|consent| consent.withdrawn_in.is_none());
					ensure!(!standing, Error::<T>::StudyConsentExists);
					ConsentScope::Study(study)
				},
				ConsentScope::Standing(mut terms) => {
					terms.validate().map_err(Error::<T>::from)?;
					ConsentScope::Standing(terms)
				},
			};
			let record_types = Self::validated_record_types(record_types)?;
			if let Some(expiry) = expires_at {
				ensure!(expiry > T::Time::now(), Error::<T>::ExpiryInPast);
			}

			let given = ConsentsGiven::<T>::get(&participant);
			ensure!(given < T::MaxConsentsPerParticipant::get(), Error::<T>::TooManyConsents);
			ConsentsGiven::<T>::insert(&participant, given + 1);
			let consent = NextConsentId::<T>::get();
			NextConsentId::<T>::put(consent.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			match &scope {
				ConsentScope::Study(study) => StudyConsents::<T>::insert(&participant, study, consent),
				ConsentScope::Standing(_) => StandingConsents::<T>::try_mutate(&participant, |standing| {
					standing.try_push(consent).map_err(|_| Error::<T>::TooManyStandingConsents)
				})?,
			}
			let terms = ConsentTerms { scope: scope.clone(), record_types, expires_at };
			Self::record_version(consent, 0, &terms, ConsentChange::Given, &who);
			Consents::<T>::insert(consent, Consent { participant: participant.clone(), terms, version: 0, withdrawn_in: None });
			Self::deposit(
				&[Self::participant_topic(&participant)],
				Event::ConsentGiven { consent, participant: participant.clone(), by: who.clone(), scope },
			);
			Ok(Some(Self::recheck_accesses(&participant, &who, T::WeightInfo::give_consent)).into())
		}

		/// Narrows `consent`: fewer `record_types`, an earlier (or a first) expiry, and for a
		/// standing consent, narrower `terms` (`None` keeps them). Accesses it no longer
		/// covers end.
		#[pallet::call_index(4)]
		#[pallet::weight(weight_with_accesses::<T>(T::WeightInfo::narrow_consent))]
		pub fn narrow_consent(
			origin: OriginFor<T>,
			consent: ConsentId,
			terms: Option<DataUse>,
			record_types: Vec<T::RecordType>,
			expires_at: Option<Moment>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut narrowed = Self::consent_in_force(&who, consent)?;
			let scope = match (&narrowed.terms.scope, terms) {
				(ConsentScope::Study(_), Some(_)) => return Err(Error::<T>::NotStandingConsent.into()),
				(scope, None) => scope.clone(),
				(ConsentScope::Standing(before), Some(mut after)) => {
					after.validate().map_err(Error::<T>::from)?;
					ensure!(after.is_within(before), Error::<T>::NotNarrower);
					ConsentScope::Standing(after)
				},
			};
			let record_types = Self::validated_record_types(record_types)?;
			ensure!(
				record_types.iter().all(|t| narrowed.terms.record_types.binary_search(t).is_ok()),
				Error::<T>::NotNarrower
			);
			let no_later = match (narrowed.terms.expires_at, expires_at) {
				(Some(before), Some(after)) => after <= before,
				(Some(_), None) => false,
				(None, _) => true,
			};
			ensure!(no_later, Error::<T>::NotNarrower);
			if let Some(expiry) = expires_at {
				ensure!(expiry > T::Time::now(), Error::<T>::ExpiryInPast);
			}
			let terms = ConsentTerms { scope, record_types, expires_at };
			ensure!(terms != narrowed.terms, Error::<T>::ConsentUnchanged);

			let version = narrowed.version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			// The last version is kept for the withdrawal.
			ensure!(version + 1 < T::MaxConsentVersions::get(), Error::<T>::TooManyConsentVersions);
			Self::record_version(consent, version, &terms, ConsentChange::Narrowed, &who);
			narrowed.terms = terms;
			narrowed.version = version;
			let participant = narrowed.participant.clone();
			Consents::<T>::insert(consent, narrowed);
			Self::deposit(
				&[Self::participant_topic(&participant)],
				Event::ConsentNarrowed { consent, participant: participant.clone(), by: who.clone(), version },
			);
			Ok(Some(Self::recheck_accesses(&participant, &who, T::WeightInfo::narrow_consent)).into())
		}

		/// Withdraws `consent`. It stands in no later block, and every access it covered ends
		/// now.
		#[pallet::call_index(5)]
		#[pallet::weight(weight_with_accesses::<T>(T::WeightInfo::withdraw_consent))]
		pub fn withdraw_consent(origin: OriginFor<T>, consent: ConsentId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut withdrawn = Self::consent_in_force(&who, consent)?;
			let version = withdrawn.version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			Self::record_version(consent, version, &withdrawn.terms, ConsentChange::Withdrawn, &who);
			withdrawn.version = version;
			withdrawn.withdrawn_in = Some(frame_system::Pallet::<T>::block_number());
			let participant = withdrawn.participant.clone();
			if matches!(withdrawn.terms.scope, ConsentScope::Standing(_)) {
				StandingConsents::<T>::mutate(&participant, |standing| standing.retain(|id| *id != consent));
			}
			Consents::<T>::insert(consent, withdrawn);
			Self::deposit(
				&[Self::participant_topic(&participant)],
				Event::ConsentWithdrawn { consent, participant: participant.clone(), by: who.clone(), version },
			);
			Ok(Some(Self::recheck_accesses(&participant, &who, T::WeightInfo::withdraw_consent)).into())
		}

		/// Requests access to `participant`'s records for `study`, as a certified researcher of its
		/// institute. If a consent covers the study now, the researcher may read the records
		/// of the study's types (as far as the consent allows) for a time; if not, the
		/// refusal and its reason are recorded and nothing is granted.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::request_access())]
		pub fn request_access(origin: OriginFor<T>, study: StudyId, participant: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let studied = Studies::<T>::get(study).ok_or(Error::<T>::UnknownStudy)?;
			ensure!(T::Identity::is_researcher_at(&who, studied.institute), Error::<T>::NotResearcher);
			ensure!(
				studied.approved_researchers.is_empty() || studied.approved_researchers.contains(&who),
				Error::<T>::NotApprovedResearcher
			);
			let held = Accesses::<T>::get(&participant, &who);
			if let Some(held) = &held {
				ensure!(held.study == study || held.until <= T::Time::now(), Error::<T>::AccessHeldForOtherStudy);
			}
			let topics = [Self::participant_topic(&participant), Self::study_topic(study)];
			let permit = match Self::may_use(study, &participant) {
				Ok(permit) => permit,
				Err(reason) => {
					Self::deposit(&topics, Event::AccessRefused { study, participant, researcher: who, reason });
					return Ok(());
				},
			};
			if held.is_none() {
				let count = AccessCount::<T>::get(&participant);
				ensure!(count < T::MaxAccessesPerParticipant::get(), Error::<T>::TooManyAccesses);
				AccessCount::<T>::insert(&participant, count + 1);
			}
			let record_types = RecordTypesOf::<T>::truncate_from(permit.record_types);
			Accesses::<T>::insert(
				&participant,
				&who,
				ResearchAccess {
					study,
					consent: permit.consent,
					record_types: record_types.clone(),
					granted_at: T::Time::now(),
					until: permit.until,
				},
			);
			Self::deposit(
				&topics,
				Event::AccessGranted {
					study,
					participant,
					researcher: who,
					consent: permit.consent,
					record_types,
					until: permit.until,
				},
			);
			Ok(())
		}

		/// Ends `researcher`'s access to `participant`'s records: the researcher, the participant or a
		/// guardian at any time; anyone once nothing justifies it any more (no consent covers
		/// it: the study suspended or ended, the access expired; or the researcher is no longer
		/// a certified researcher of the study's institute).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::end_access())]
		pub fn end_access(origin: OriginFor<T>, participant: T::AccountId, researcher: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let access = Accesses::<T>::get(&participant, &researcher).ok_or(Error::<T>::NoAccess)?;
			let standing = Studies::<T>::get(access.study)
				.is_some_and(|study| T::Identity::is_researcher_at(&researcher, study.institute));
			let entitled = who == researcher ||
				Self::may_act_for(&who, &participant) ||
				!standing ||
				!Self::still_covered(&participant, &access);
			ensure!(entitled, Error::<T>::AccessStillJustified);
			Self::end(&participant, &researcher, access.study, &who);
			Ok(())
		}

		/// Logs `releases`, as the vault account of the custodian organisation that made them:
		/// each on its participant's release log, with how many records of the participant's
		/// patient went to which researcher for which study and a digest of which records
		/// (never their ids, which would name the patient). The custodian released them while
		/// [`Pallet::research_permit`] allowed it; the access may have ended since, and the
		/// release is logged all the same.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::log_releases(releases.len() as u32))]
		pub fn log_releases(origin: OriginFor<T>, releases: Vec<ReleaseOf<T>>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let custodian = T::Identity::custodian_of_vault(&who).ok_or(Error::<T>::NotCustodian)?;
			ensure!(!releases.is_empty(), Error::<T>::NoReleases);
			ensure!(releases.len() as u32 <= T::MaxReleasesPerLog::get(), Error::<T>::TooManyReleases);
			// Checked in full first, so that a refused batch logs nothing.
			for release in &releases {
				ensure!(release.records > 0, Error::<T>::NoRecordsReleased);
				ensure!(!release.digest.is_zero(), Error::<T>::EmptyDigest);
				ensure!(Studies::<T>::contains_key(release.study), Error::<T>::UnknownStudy);
			}
			let now = T::Time::now();
			for Release { participant, researcher, study, records, digest } in releases {
				let entry = ReleaseLogLength::<T>::get(&participant);
				ReleaseLogLength::<T>::insert(&participant, entry.checked_add(1).ok_or(ArithmeticError::Overflow)?);
				ReleaseLog::<T>::insert(
					&participant,
					entry,
					ReleaseEntry { researcher: researcher.clone(), study, custodian, records, digest, at: now },
				);
				Self::deposit(
					&[Self::participant_topic(&participant), Self::study_topic(study)],
					Event::DataReleased { participant, researcher, study, custodian, records, digest, entry },
				);
			}
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `study` may use `participant`'s data now: on which consent, which record types
		/// and until when; or why not. A consent to the study decides for it; otherwise the
		/// first standing consent that covers it.
		pub fn may_use(study: StudyId, participant: &T::AccountId) -> Result<Permit<T::RecordType>, Refusal> {
			let studied = Studies::<T>::get(study).ok_or(Refusal::UnknownStudy)?;
			let now = T::Time::now();
			match studied.status {
				StudyStatus::AwaitingApproval => return Err(Refusal::StudyAwaitingApproval),
				StudyStatus::Suspended { .. } => return Err(Refusal::StudySuspended),
				StudyStatus::Approved { .. } => {},
			}
			ensure!(now >= studied.starts_at, Refusal::StudyNotStarted);
			ensure!(now < studied.ends_at, Refusal::StudyEnded);
			if let Some(consent) = StudyConsents::<T>::get(participant, study) {
				return Self::permit_under(consent, &studied, now);
			}
			let mut refusal = Refusal::NoConsent;
			for consent in StandingConsents::<T>::get(participant) {
				match Self::permit_under(consent, &studied, now) {
					Ok(permit) => return Ok(permit),
					Err(why) => refusal = why,
				}
			}
			Err(refusal)
		}

		/// What `consent` lets an approved, running `study` use at `now`.
		fn permit_under(
			consent: ConsentId,
			study: &StudyOf<T>,
			now: Moment,
		) -> Result<Permit<T::RecordType>, Refusal> {
			let given = Consents::<T>::get(consent).ok_or(Refusal::NoConsent)?;
			ensure!(given.withdrawn_in.is_none(), Refusal::ConsentWithdrawn);
			ensure!(given.terms.expires_at.map_or(true, |expiry| now < expiry), Refusal::ConsentExpired);
			let mut until = study.ends_at.min(now.saturating_add(T::AccessPeriod::get()));
			if let Some(expiry) = given.terms.expires_at {
				until = until.min(expiry);
			}
			if let ConsentScope::Standing(terms) = &given.terms.scope {
				terms.permits(&study.data_use, true, now).map_err(Refusal::TermsNotCovered)?;
				if let Some(limit) = terms.time_limit() {
					until = until.min(limit);
				}
			}
			let record_types: Vec<T::RecordType> = study
				.record_types
				.iter()
				.filter(|t| given.terms.record_types.binary_search(t).is_ok())
				.copied()
				.collect();
			ensure!(!record_types.is_empty(), Refusal::NoRecordTypesInCommon);
			Ok(Permit { consent, record_types, until })
		}

		/// Whether `participant`'s consents still cover `access` as granted: not expired, and the
		/// study may still use every record type granted for at least as long.
		fn still_covered(participant: &T::AccountId, access: &ResearchAccessOf<T>) -> bool {
			Self::covered_by(&Self::may_use(access.study, participant), access)
		}

		/// Whether the answer of a consent check for the access's study still covers `access`.
		fn covered_by(check: &Result<Permit<T::RecordType>, Refusal>, access: &ResearchAccessOf<T>) -> bool {
			T::Time::now() < access.until &&
				check.as_ref().is_ok_and(|permit| {
					permit.until >= access.until &&
						access.record_types.iter().all(|t| permit.record_types.contains(t))
				})
		}

		/// Ends every access to `participant`'s records that the participant's consents no longer
		/// cover, after a change `by` made; returns the call's weight for the accesses
		/// examined and ended.
		fn recheck_accesses(participant: &T::AccountId, by: &T::AccountId, weight: fn(u32) -> Weight) -> Weight {
			let accesses: Vec<_> = Accesses::<T>::iter_prefix(participant).collect();
			// Researchers of one study share its check: ask once per study.
			let mut checks: Vec<(StudyId, Result<Permit<T::RecordType>, Refusal>)> = Vec::new();
			for (researcher, access) in accesses.iter() {
				let index = match checks.iter().position(|(study, _)| *study == access.study) {
					Some(index) => index,
					None => {
						checks.push((access.study, Self::may_use(access.study, participant)));
						checks.len() - 1
					},
				};
				if !Self::covered_by(&checks[index].1, access) {
					Self::end(participant, researcher, access.study, by);
				}
			}
			weight(accesses.len() as u32)
		}

		/// Ends `researcher`'s access to `participant`'s records for `study`.
		fn end(participant: &T::AccountId, researcher: &T::AccountId, study: StudyId, by: &T::AccountId) {
			Accesses::<T>::remove(participant, researcher);
			AccessCount::<T>::mutate_exists(participant, |count| {
				*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0);
			});
			Self::deposit(
				&[Self::participant_topic(participant), Self::study_topic(study)],
				Event::AccessEnded {
					study,
					participant: participant.clone(),
					researcher: researcher.clone(),
					by: by.clone(),
				},
			);
		}

		/// The topic of events about `participant`: Blake2-256 of [`PATIENT_TOPIC`] and the account.
		pub fn participant_topic(participant: &T::AccountId) -> T::Hash {
			T::Hashing::hash_of(&(PATIENT_TOPIC, participant))
		}

		/// The topic of events about `study`.
		pub fn study_topic(study: StudyId) -> T::Hash {
			T::Hashing::hash_of(&(STUDY_TOPIC, study))
		}

		fn deposit(topics: &[T::Hash], event: Event<T>) {
			let event: <T as Config>::RuntimeEvent = event.into();
			frame_system::Pallet::<T>::deposit_event_indexed(topics, event.into());
		}

		/// Whether `who` may act for `participant`: it is the participant, or, for a consent
		/// given under a patient's own account before participants existed, a guardian whose
		/// scope covers research consent.
		fn may_act_for(who: &T::AccountId, participant: &T::AccountId) -> bool {
			who == participant || T::Identity::may_consent_for(who, participant)
		}

		/// Whether `researcher` may be released `participant`'s records of `record_type` now:
		/// for which study and until when, if the research access it holds stands (not expired, the researcher still
		/// certified at the study's institute, the participant's consents still covering it)
		/// and covers the type; or why not. The custodian asks it, at a finalized block,
		/// before every release.
		pub fn research_permit(
			participant: &T::AccountId,
			researcher: &T::AccountId,
			record_type: T::RecordType,
		) -> Result<(StudyId, Moment), ReadRefusal> {
			let access = Accesses::<T>::get(participant, researcher).ok_or(ReadRefusal::NoAccess)?;
			ensure!(T::Time::now() < access.until, ReadRefusal::AccessExpired);
			ensure!(access.record_types.contains(&record_type), ReadRefusal::RecordTypeNotGranted);
			let standing = Studies::<T>::get(access.study)
				.is_some_and(|study| T::Identity::is_researcher_at(researcher, study.institute));
			ensure!(standing, ReadRefusal::ResearcherLapsed);
			ensure!(Self::still_covered(participant, &access), ReadRefusal::NoLongerCovered);
			Ok((access.study, access.until))
		}

		/// `consent`, not withdrawn, which `who` may change.
		fn consent_in_force(who: &T::AccountId, consent: ConsentId) -> Result<ConsentOf<T>, DispatchError> {
			let found = Consents::<T>::get(consent).ok_or(Error::<T>::UnknownConsent)?;
			ensure!(Self::may_act_for(who, &found.participant), Error::<T>::NotParticipant);
			ensure!(found.withdrawn_in.is_none(), Error::<T>::AlreadyWithdrawn);
			Ok(found)
		}

		fn record_version(
			consent: ConsentId,
			version: u32,
			terms: &ConsentTermsOf<T>,
			change: ConsentChange,
			by: &T::AccountId,
		) {
			ConsentVersions::<T>::insert(
				consent,
				version,
				ConsentVersion {
					terms: terms.clone(),
					change,
					by: by.clone(),
					at: T::Time::now(),
					block: frame_system::Pallet::<T>::block_number(),
				},
			);
		}

		/// Record types sorted and checked: at least one, none twice, within the bound.
		fn validated_record_types(mut types: Vec<T::RecordType>) -> Result<RecordTypesOf<T>, DispatchError> {
			ensure!(!types.is_empty(), Error::<T>::NoRecordTypes);
			types.sort();
			ensure!(types.windows(2).all(|w| w[0] != w[1]), Error::<T>::DuplicateRecordType);
			Ok(RecordTypesOf::<T>::try_from(types).map_err(|_| Error::<T>::TooManyRecordTypes)?)
		}

		/// The approved researchers of a study: named exactly when it undertakes a
		/// user-specific restriction, each a certified researcher of the institute, once.
		fn validated_researchers(
			institute: T::OrganisationId,
			data_use: &DataUse,
			researchers: Vec<T::AccountId>,
		) -> Result<BoundedVec<T::AccountId, T::MaxApprovedResearchers>, DispatchError> {
			let restricted = data_use.modifiers.contains(&Modifier::UserSpecificRestriction);
			ensure!(!restricted || !researchers.is_empty(), Error::<T>::ApprovedResearchersRequired);
			ensure!(restricted || researchers.is_empty(), Error::<T>::ApprovedResearchersNotExpected);
			let researchers = BoundedVec::<T::AccountId, T::MaxApprovedResearchers>::try_from(researchers)
				.map_err(|_| Error::<T>::TooManyResearchers)?;
			for (i, researcher) in researchers.iter().enumerate() {
				ensure!(!researchers[..i].contains(researcher), Error::<T>::DuplicateResearcher);
				ensure!(
					T::Identity::is_researcher_at(researcher, institute),
					Error::<T>::ApprovedResearcherNotAtInstitute
				);
			}
			Ok(researchers)
		}

		/// Checks that consents, their versions and indexes, and accesses agree: the pallet's
		/// `try_state`, also run by its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(
				Studies::<T>::iter_keys().all(|id| id < NextStudyId::<T>::get()),
				"a study id is not below NextStudyId"
			);
			for (id, consent) in Consents::<T>::iter() {
				ensure!(id < NextConsentId::<T>::get(), "a consent id is not below NextConsentId");
				let versions = ConsentVersions::<T>::iter_key_prefix(id).count() as u32;
				ensure!(versions == consent.version + 1, "a consent's versions are not numbered 0..=version");
				let latest = ConsentVersions::<T>::get(id, consent.version).ok_or("a consent without its latest version")?;
				ensure!(latest.terms == consent.terms, "a consent's terms differ from its latest version's");
				ensure!(
					(latest.change == ConsentChange::Withdrawn) == consent.withdrawn_in.is_some(),
					"a withdrawal not recorded as the latest version"
				);
				let listed = StandingConsents::<T>::get(&consent.participant).contains(&id);
				match consent.terms.scope {
					ConsentScope::Standing(_) => ensure!(
						listed == consent.withdrawn_in.is_none(),
						"StandingConsents disagrees with a standing consent"
					),
					ConsentScope::Study(_) => ensure!(!listed, "a study consent in StandingConsents"),
				}
			}
			let mut given = alloc::collections::btree_map::BTreeMap::<T::AccountId, u32>::new();
			for (_, consent) in Consents::<T>::iter() {
				ensure!(consent.version < T::MaxConsentVersions::get(), "a consent has too many versions");
				*given.entry(consent.participant).or_default() += 1;
			}
			for (participant, count) in ConsentsGiven::<T>::iter() {
				ensure!(given.get(&participant) == Some(&count), "ConsentsGiven disagrees with Consents");
				ensure!(count <= T::MaxConsentsPerParticipant::get(), "too many consents for a participant");
			}
			ensure!(
				given.len() == ConsentsGiven::<T>::iter().count(),
				"a participant's consents are not counted"
			);
			for (participant, study, id) in StudyConsents::<T>::iter() {
				let consent = Consents::<T>::get(id).ok_or("StudyConsents names no consent")?;
				ensure!(
					consent.participant == participant && consent.terms.scope == ConsentScope::Study(study),
					"StudyConsents names another participant's or study's consent"
				);
			}
			for (participant, standing) in StandingConsents::<T>::iter() {
				for id in standing {
					let consent = Consents::<T>::get(id).ok_or("StandingConsents names no consent")?;
					ensure!(consent.participant == participant, "StandingConsents names another participant's consent");
				}
			}
			let mut counted = 0usize;
			for (participant, count) in AccessCount::<T>::iter() {
				ensure!(count > 0, "a zero AccessCount is stored");
				let accesses = Accesses::<T>::iter_prefix(&participant).count() as u32;
				ensure!(accesses == count, "AccessCount disagrees with Accesses");
				counted += count as usize;
			}
			ensure!(Accesses::<T>::iter().count() == counted, "accesses of a participant without AccessCount");
			for (_, _, access) in Accesses::<T>::iter() {
				ensure!(Studies::<T>::contains_key(access.study), "an access for no study");
				ensure!(Consents::<T>::contains_key(access.consent), "an access under no consent");
			}
			let mut logged = 0usize;
			for (participant, length) in ReleaseLogLength::<T>::iter() {
				ensure!(length > 0, "a zero ReleaseLogLength is stored");
				for entry in 0..length {
					let release = ReleaseLog::<T>::get(&participant, entry).ok_or("a gap in a release log")?;
					ensure!(Studies::<T>::contains_key(release.study), "a release for no study");
				}
				logged += length as usize;
			}
			ensure!(ReleaseLog::<T>::iter().count() == logged, "a release log entry beyond its log's length");
			Ok(())
		}
	}
}
