//! The records, grants, access-log entries and emergency accesses this pallet keeps.
//!
//! Nothing here is personal health information, key material or a locator: a record is the
//! hash of a ciphertext, its FHIR type and the organisation whose vault (its custodian) holds
//! the ciphertext and the data keys wrapped to its readers.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::H256;

/// Moments of the chain's clock, in milliseconds since the Unix epoch.
pub type Moment = u64;

/// Identifies a record (one version of it).
pub type RecordId = u64;

/// Identifies a break-glass emergency access.
pub type EmergencyId = u64;

/// The FHIR resource type of a record.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum RecordType {
	/// Measurements and assertions: vital signs, laboratory results.
	Observation,
	/// A problem, diagnosis or other clinical concern.
	Condition,
	/// The findings and interpretation of diagnostic tests.
	DiagnosticReport,
	/// A medication the patient is taking or has taken.
	MedicationStatement,
	/// An immunization given.
	Immunization,
	/// A document: discharge letter, referral, scanned record.
	DocumentReference,
	/// An imaging study (DICOM).
	ImagingStudy,
	/// An allergy or intolerance.
	AllergyIntolerance,
	/// A procedure performed.
	Procedure,
	/// An encounter with a care provider.
	Encounter,
	/// A care plan.
	CarePlan,
	/// A claim to an insurer (FHIR Claim, X12 837) or its appeal: the billed procedures and
	/// diagnoses, which the chain's claim names only by this record. Written by the provider's
	/// claims officers, read by the claim's parties and regulators (see
	/// [`Authority::Billing`]).
	Claim,
	/// A prescription (FHIR MedicationRequest): the product, the dose, the quantity and the
	/// salts that open the prescriptions pallet's commitments; filed by the prescriber, read by
	/// the patient's application to find and check the prescription on chain.
	MedicationRequest,
}

/// The number of [`RecordType`]s, which bounds a grant's scope.
pub const RECORD_TYPE_COUNT: u32 = 13;

impl RecordType {
	/// Every record type, in order.
	pub const ALL: [RecordType; RECORD_TYPE_COUNT as usize] = [
		RecordType::Observation,
		RecordType::Condition,
		RecordType::DiagnosticReport,
		RecordType::MedicationStatement,
		RecordType::Immunization,
		RecordType::DocumentReference,
		RecordType::ImagingStudy,
		RecordType::AllergyIntolerance,
		RecordType::Procedure,
		RecordType::Encounter,
		RecordType::CarePlan,
		RecordType::Claim,
		RecordType::MedicationRequest,
	];
}

/// The record types a grant covers: sorted, distinct, at least one.
pub type RecordTypes = BoundedVec<RecordType, ConstU32<RECORD_TYPE_COUNT>>;

/// Who a grant is to, and who a data key is wrapped to.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Grantee<AccountId, OrganisationId> {
	/// One account: a practitioner (or, for a data key, the patient).
	Account(AccountId),
	/// An organisation: any of its licensed practitioners acts under the grant.
	Organisation(OrganisationId),
}

/// What a grant allows.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum AccessLevel {
	/// Read the records of the granted types.
	Read,
	/// Read them, and add and amend records of those types for the patient.
	Write,
}

/// The authority a caller acts under when it writes or reads a patient's record.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Authority<AccountId, OrganisationId> {
	/// As the patient, or a guardian with the health-records scope.
	PatientOrGuardian,
	/// Under the patient's grant to this grantee (the caller, or an organisation it practises
	/// at).
	Grant(Grantee<AccountId, OrganisationId>),
	/// Under the caller's open break-glass emergency access (read only).
	BreakGlass,
	/// For this organisation's part in the patient's billing, on a [`RecordType::Claim`]
	/// record only: a claims officer of the care provider that bills writes it; the claims
	/// officers and auditors of the provider and the insurer of the claim that names it, and
	/// the auditors of a regulator, read it. No grant of the patient's is needed, and none
	/// reaches further.
	Billing(OrganisationId),
}

/// Why a record was read.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum AccessPurpose {
	/// Treatment of the patient.
	Treatment,
	/// Coordination of the patient's care between providers.
	CareCoordination,
	/// Payment for the patient's care.
	Payment,
	/// The provider's health-care operations (quality, administration).
	Operations,
	/// At the patient's own request.
	PatientRequest,
	/// Emergency care.
	Emergency,
	/// An audit.
	Audit,
	/// Research, under the patient's research consent.
	Research,
}

/// Why a practitioner broke the glass.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum EmergencyReason {
	/// The patient is unconscious or unresponsive.
	Unresponsive,
	/// A life-threatening condition needs immediate care.
	LifeThreatening,
	/// The patient cannot consent, and no guardian can be reached.
	UnableToConsent,
	/// Urgent care that cannot wait for consent.
	UrgentCare,
}

/// What a review found of a break-glass access.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ReviewOutcome {
	/// The access was justified.
	Justified,
	/// The access was not justified (the audit trail keeps the finding).
	Unjustified,
}

/// One version of a patient's record.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Record<AccountId, OrganisationId> {
	/// The patient it is about.
	pub patient: AccountId,
	/// Who added it: the patient, a guardian or a practitioner.
	pub author: AccountId,
	/// Its FHIR resource type.
	pub record_type: RecordType,
	/// The hash (Blake2-256) of its ciphertext, by which its custodian stores it.
	pub content_hash: H256,
	/// The organisation whose vault holds its ciphertext and keys. `None` only for records
	/// added before storage version 3, whose keys travelled on chain: no vault holds them.
	pub custodian: Option<OrganisationId>,
	/// When it was added.
	pub created_at: Moment,
	/// Its version: 1 for a new record, one more for each amendment.
	pub version: u32,
	/// The version this one amends.
	pub amends: Option<RecordId>,
	/// The version that amends this one.
	pub amended_by: Option<RecordId>,
	/// When it was erased, if it was.
	pub erased_at: Option<Moment>,
	/// When its custodian confirmed that it deleted the ciphertext and every key.
	pub erasure_confirmed_at: Option<Moment>,
}

impl<AccountId, OrganisationId> Record<AccountId, OrganisationId> {
	/// Whether the record has been erased.
	pub fn is_erased(&self) -> bool {
		self.erased_at.is_some()
	}
}

/// On what strength a grant was made.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum GrantBasis {
	/// The patient or a guardian granted it with `grant_access`, to a practitioner or a care
	/// provider.
	Patient,
	/// A researcher's read access on the strength of the patient's research consent, granted
	/// before storage version 4; [`MigrateV3ToV4`](crate::migrations::v4::MigrateV3ToV4)
	/// removes every such grant (research accesses are the research-consent pallet's now,
	/// released by custodians under its permit). Never written any more.
	ResearchConsent,
}

/// A patient's grant of access to a grantee.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Grant<AccountId> {
	/// Read, or read and write.
	pub access: AccessLevel,
	/// The record types it covers.
	pub record_types: RecordTypes,
	/// When it ends (exclusive): it gives nothing at or after this moment.
	pub expires_at: Moment,
	/// The patient or guardian who granted it.
	pub granted_by: AccountId,
	/// When it was granted or last changed.
	pub granted_at: Moment,
	/// On what strength it was granted.
	pub basis: GrantBasis,
}

impl<AccountId> Grant<AccountId> {
	/// Whether the grant lets its grantee read records of `record_type` at `now`.
	pub fn allows_read(&self, record_type: RecordType, now: Moment) -> bool {
		now < self.expires_at && self.record_types.binary_search(&record_type).is_ok()
	}
}

/// One entry of a patient's access log.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct AccessEntry<AccountId, OrganisationId> {
	/// The record read.
	pub record: RecordId,
	/// Who read it.
	pub accessor: AccountId,
	/// Under what authority.
	pub authority: Authority<AccountId, OrganisationId>,
	/// The break-glass access it was read under, if any.
	pub emergency: Option<EmergencyId>,
	/// Why.
	pub purpose: AccessPurpose,
	/// When it was logged.
	pub at: Moment,
	/// The custodian whose vault released the record and logged the read. `None` for entries
	/// before storage version 3, which readers reported themselves.
	pub released_by: Option<OrganisationId>,
}

/// A read that a custodian's vault released, as it logs it on the patient's access log.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Release<AccountId, OrganisationId> {
	/// The record released.
	pub record: RecordId,
	/// To whom.
	pub reader: AccountId,
	/// Under what authority, as the chain answered when the vault asked.
	pub authority: Authority<AccountId, OrganisationId>,
	/// The break-glass access it was released under, if any.
	pub emergency: Option<EmergencyId>,
	/// Why, as the reader stated.
	pub purpose: AccessPurpose,
}

/// What the chain answers a custodian that asks whether it may release a record to a reader:
/// the record's patient, type and custodian, and the authority to log the read under.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ReadPermit<AccountId, OrganisationId> {
	/// The patient the record is about (a patient's own reads are not logged).
	pub patient: AccountId,
	/// The record's type.
	pub record_type: RecordType,
	/// The hash of its ciphertext: what the custodian holds it under.
	pub content_hash: H256,
	/// The reader's X25519 key on chain, to which the custodian wraps the data key; `None`
	/// if the reader has none yet (a practitioner sets one with `set_staff_key`).
	pub reader_key: Option<[u8; 32]>,
	/// The organisation whose vault holds it.
	pub custodian: Option<OrganisationId>,
	/// The authority the reader reads under.
	pub authority: Authority<AccountId, OrganisationId>,
	/// The break-glass access it reads under, if any.
	pub emergency: Option<EmergencyId>,
}

/// Where the review of a break-glass access stands.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub enum Review<AccountId> {
	/// Waiting for an auditor.
	Pending,
	/// Closed.
	Closed {
		/// The auditor who closed it.
		reviewer: AccountId,
		/// What the review found.
		outcome: ReviewOutcome,
		/// When it was closed.
		at: Moment,
	},
}

/// A break-glass emergency access.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct EmergencyAccess<AccountId, OrganisationId> {
	/// The patient whose records it opens.
	pub patient: AccountId,
	/// The practitioner who opened it.
	pub practitioner: AccountId,
	/// The care provider at which the practitioner broke the glass, whose auditors review it.
	/// `None` only for accesses opened before storage version 1, which did not record it:
	/// those are reviewed by a regulator's auditor.
	pub organisation: Option<OrganisationId>,
	/// Why.
	pub reason: EmergencyReason,
	/// When it opened.
	pub opened_at: Moment,
	/// When it ends by itself (exclusive).
	pub expires_at: Moment,
	/// Its review.
	pub review: Review<AccountId>,
}
