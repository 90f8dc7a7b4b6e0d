//! Studies, consents and their versions, research accesses, and the answers of a consent check.
//!
//! Nothing here is personal health information, and nothing names a patient: a study is a
//! protocol hash and its public terms; a consent is a participant's terms in Data Use Ontology
//! codes; a release log entry says how many records went to whom, not which.

use crate::duo::{DataUse, Mismatch};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::{Get, H256};

/// Moments of the chain's clock, in milliseconds since the Unix epoch.
pub type Moment = u64;
/// Identifies a study.
pub type StudyId = u32;
/// Identifies a consent (all its versions).
pub type ConsentId = u64;

/// The longest sponsor name.
pub const MAX_SPONSOR_LENGTH: u32 = 64;
/// The name of a study's sponsor (public, not personal data): UTF-8.
pub type Sponsor = BoundedVec<u8, ConstU32<MAX_SPONSOR_LENGTH>>;

/// Why an ethics board suspended a study.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum SuspensionReason {
	/// A risk to the participants' safety.
	ParticipantSafety,
	/// The study departed from its approved protocol.
	ProtocolDeviation,
	/// Consent was sought or recorded improperly.
	ConsentIrregularity,
	/// Data was used beyond what the study was approved for.
	DataMisuse,
	/// The approval lapsed for an administrative reason (fees, reports, renewal).
	Administrative,
}

/// Where a study stands with its ethics board.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub enum StudyStatus<OrganisationId> {
	/// Registered; no ethics board has approved it yet.
	AwaitingApproval,
	/// Approved by `board`: active between its start and its end.
	Approved {
		/// The ethics board.
		board: OrganisationId,
		/// When.
		at: Moment,
	},
	/// Suspended by `board`, which approved it and may approve it again.
	Suspended {
		/// The ethics board.
		board: OrganisationId,
		/// When.
		at: Moment,
		/// Why.
		reason: SuspensionReason,
	},
}

/// A registered study.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxRecordTypes, MaxResearchers))]
#[codec(mel_bound(AccountId: MaxEncodedLen, OrganisationId: MaxEncodedLen, RecordType: MaxEncodedLen))]
pub struct Study<AccountId, OrganisationId, RecordType, MaxRecordTypes: Get<u32>, MaxResearchers: Get<u32>> {
	/// The research institute that runs it.
	pub institute: OrganisationId,
	/// The researcher who registered it.
	pub principal_investigator: AccountId,
	/// Hash of the protocol document.
	pub protocol_hash: H256,
	/// Who sponsors it.
	pub sponsor: Sponsor,
	/// Its purpose and the conditions it undertakes, in Data Use Ontology terms.
	pub data_use: DataUse,
	/// The record types it needs: sorted, distinct, at least one.
	pub record_types: BoundedVec<RecordType, MaxRecordTypes>,
	/// When it starts.
	pub starts_at: Moment,
	/// When it ends (exclusive): no access at or after it.
	pub ends_at: Moment,
	/// Under a user-specific restriction (US), the only researchers who may request data.
	pub approved_researchers: BoundedVec<AccountId, MaxResearchers>,
	/// Where it stands with its ethics board.
	pub status: StudyStatus<OrganisationId>,
}

/// What a consent covers.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ConsentScope {
	/// One study, as registered.
	Study(StudyId),
	/// A standing preference: any study whose purpose and undertakings these terms cover.
	Standing(DataUse),
}

/// The terms of one version of a consent.
#[derive(Encode, Decode, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxRecordTypes))]
#[codec(mel_bound(RecordType: MaxEncodedLen))]
pub struct ConsentTerms<RecordType, MaxRecordTypes: Get<u32>> {
	/// One study, or a standing preference.
	pub scope: ConsentScope,
	/// The record types it lets studies use: sorted, distinct, at least one.
	pub record_types: BoundedVec<RecordType, MaxRecordTypes>,
	/// When it lapses (exclusive), if ever.
	pub expires_at: Option<Moment>,
}

// Cloned and compared whatever the bound: derived impls would ask the bound itself to be
// cloneable and comparable.
impl<RecordType: Clone, MaxRecordTypes: Get<u32>> Clone for ConsentTerms<RecordType, MaxRecordTypes> {
	fn clone(&self) -> Self {
		ConsentTerms {
			scope: self.scope.clone(),
			record_types: self.record_types.clone(),
			expires_at: self.expires_at,
		}
	}
}

impl<RecordType: PartialEq, MaxRecordTypes: Get<u32>> PartialEq for ConsentTerms<RecordType, MaxRecordTypes> {
	fn eq(&self, other: &Self) -> bool {
		self.scope == other.scope && self.record_types == other.record_types && self.expires_at == other.expires_at
	}
}

impl<RecordType: Eq, MaxRecordTypes: Get<u32>> Eq for ConsentTerms<RecordType, MaxRecordTypes> {}

/// A participant's consent, as it stands now.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxRecordTypes))]
#[codec(mel_bound(AccountId: MaxEncodedLen, RecordType: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Consent<AccountId, RecordType, MaxRecordTypes: Get<u32>, BlockNumber> {
	/// The participant who consented: an account that names no one (or, for a consent given
	/// before participants existed, the patient's own account).
	pub participant: AccountId,
	/// Its current terms.
	pub terms: ConsentTerms<RecordType, MaxRecordTypes>,
	/// Its current version: versions are numbered from 0 and every one is kept.
	pub version: u32,
	/// The block in which it was withdrawn; it stands in no later block.
	pub withdrawn_in: Option<BlockNumber>,
}

/// What a version of a consent changed.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ConsentChange {
	/// The consent was given.
	Given,
	/// Its terms were narrowed.
	Narrowed,
	/// It was withdrawn (the terms are those that stood until then).
	Withdrawn,
}

/// One version of a consent: what was consented, when, and by whom.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxRecordTypes))]
#[codec(mel_bound(AccountId: MaxEncodedLen, RecordType: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct ConsentVersion<AccountId, RecordType, MaxRecordTypes: Get<u32>, BlockNumber> {
	/// The terms from this version on.
	pub terms: ConsentTerms<RecordType, MaxRecordTypes>,
	/// What changed.
	pub change: ConsentChange,
	/// The participant or the guardian who made the change.
	pub by: AccountId,
	/// When.
	pub at: Moment,
	/// In which block.
	pub block: BlockNumber,
}

/// A researcher's time-boxed access to a participant's records for a study.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxRecordTypes))]
#[codec(mel_bound(RecordType: MaxEncodedLen))]
pub struct ResearchAccess<RecordType, MaxRecordTypes: Get<u32>> {
	/// The study.
	pub study: StudyId,
	/// The consent it was granted under.
	pub consent: ConsentId,
	/// The record types granted.
	pub record_types: BoundedVec<RecordType, MaxRecordTypes>,
	/// When it was granted.
	pub granted_at: Moment,
	/// When it ends (exclusive).
	pub until: Moment,
}

/// Why a study may not use a participant's data now: the answer of a consent check.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Refusal {
	/// There is no such study.
	UnknownStudy,
	/// No ethics board has approved the study.
	StudyAwaitingApproval,
	/// The study's ethics board suspended it.
	StudySuspended,
	/// The study has not started.
	StudyNotStarted,
	/// The study has ended.
	StudyEnded,
	/// The participant gave no consent that could cover the study.
	NoConsent,
	/// The participant withdrew the consent that covered the study.
	ConsentWithdrawn,
	/// The consent lapsed.
	ConsentExpired,
	/// The consent's terms do not cover the study's purpose or undertakings.
	TermsNotCovered(Mismatch),
	/// The consent lets the study use none of the record types it needs.
	NoRecordTypesInCommon,
}

/// What a study may use of a participant's data now, and on what consent.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct Permit<RecordType> {
	/// The consent that permits it.
	pub consent: ConsentId,
	/// The record types it may use: the study's, as far as the consent allows.
	pub record_types: alloc::vec::Vec<RecordType>,
	/// Until when (exclusive): the earliest of the study's end, the consent's expiry and its
	/// time limit on use.
	pub until: Moment,
}

/// Why a researcher may not be released a participant's records of a type now.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ReadRefusal {
	/// The researcher holds no research access to the participant's records.
	NoAccess,
	/// The access has run its time.
	AccessExpired,
	/// The access does not cover records of this type.
	RecordTypeNotGranted,
	/// The researcher is no longer a certified researcher of the study's institute.
	ResearcherLapsed,
	/// The participant's consents no longer cover the access (withdrawn, narrowed, expired),
	/// or the study is suspended or over.
	NoLongerCovered,
}

/// A release of a participant's patient's records to a researcher, as a custodian logs it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Release<AccountId> {
	/// The participant whose research access it was made under.
	pub participant: AccountId,
	/// The researcher who received the records.
	pub researcher: AccountId,
	/// The study.
	pub study: StudyId,
	/// How many records.
	pub records: u32,
	/// Blake2-256 of the sorted SCALE-encoded ids of the records and a salt the custodian's
	/// journal keeps: an auditor shown the ids and the salt checks them; nobody else learns
	/// them (they would name the patient).
	pub digest: H256,
}

/// An entry of a participant's release log.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct ReleaseEntry<AccountId, OrganisationId> {
	/// The researcher who received the records.
	pub researcher: AccountId,
	/// The study.
	pub study: StudyId,
	/// The custodian organisation whose vault released them.
	pub custodian: OrganisationId,
	/// How many records.
	pub records: u32,
	/// The digest of which records (see [`Release::digest`]).
	pub digest: H256,
	/// When the release was logged.
	pub at: Moment,
}
