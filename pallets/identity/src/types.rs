//! The identity pallet's types: kinds of organisation, roles, credentials, guardianships.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// Identifies an organisation; assigned in order of admission, from 0.
pub type OrganisationId = u32;

/// Milliseconds since the Unix epoch, as the chain's clock (`pallet_timestamp`) reads.
pub type Moment = u64;

/// An X25519 public key, to which data keys are wrapped for this account or organisation.
pub type EncryptionKey = [u8; 32];

/// What an organisation is in the consortium.
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
	Serialize,
	Deserialize,
)]
pub enum OrganisationKind {
	/// A hospital.
	Hospital,
	/// A clinic or practice.
	Clinic,
	/// A pharmacy.
	Pharmacy,
	/// A drug or device manufacturer.
	Manufacturer,
	/// A wholesale distributor.
	Distributor,
	/// A health insurer.
	Insurer,
	/// A research institute.
	ResearchInstitute,
	/// An ethics board (institutional review board).
	EthicsBoard,
	/// A regulator or licensing body.
	Regulator,
	/// A clinical laboratory.
	Laboratory,
}

/// Whether an organisation takes part in the consortium now.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum OrganisationStatus {
	/// Its members hold their roles.
	Active,
	/// Suspended by governance: its members hold no role through it until it is reinstated.
	Suspended,
}

/// An organisation of the consortium. Its name and details live off chain, behind
/// `metadata_hash`.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Organisation<AccountId> {
	/// What it is.
	pub kind: OrganisationKind,
	/// The account that manages its members (as do members with the `Admin` role).
	pub admin: AccountId,
	/// Hash of its off-chain description (name, address, registration numbers).
	pub metadata_hash: H256,
	/// Its X25519 public key, to which data keys for the organisation are wrapped.
	pub encryption_key: EncryptionKey,
	/// Active or suspended.
	pub status: OrganisationStatus,
}

/// What a member does in an organisation.
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
	Serialize,
	Deserialize,
)]
pub enum Role {
	/// A physician or other prescribing practitioner.
	Practitioner,
	/// A nurse.
	Nurse,
	/// A pharmacist.
	Pharmacist,
	/// A researcher.
	Researcher,
	/// Submits or adjudicates insurance claims.
	ClaimsOfficer,
	/// Audits records, claims and access logs.
	Auditor,
	/// Ships and receives goods.
	Logistics,
	/// Manages the organisation's members, and issues credentials if it is an accredited issuer.
	Admin,
	/// Emergency care: may open time-boxed break-glass access to a patient's records.
	EmergencyCare,
	/// Reviews research protocols for an ethics board, and approves or suspends studies.
	EthicsReviewer,
	/// A laboratory scientist or technician: performs tests and reports their results.
	LaboratoryScientist,
}

/// The number of [`Role`]s, which bounds a member's set of roles.
pub const ROLE_COUNT: u32 = 11;

impl Role {
	/// Whether a member may hold this role at an organisation of `kind`: the consortium's
	/// table of which roles belong where. A role held where it does not belong confers nothing.
	///
	/// | role | organisation kinds |
	/// | --- | --- |
	/// | admin | every kind |
	/// | practitioner | hospital, clinic, laboratory |
	/// | emergency care, nurse | hospital, clinic |
	/// | pharmacist | pharmacy, hospital |
	/// | laboratory scientist | laboratory, hospital |
	/// | researcher | research institute |
	/// | ethics reviewer | ethics board |
	/// | claims officer | insurer, hospital, clinic, pharmacy, laboratory |
	/// | auditor | hospital, clinic, pharmacy, laboratory, insurer, regulator |
	/// | logistics | manufacturer, distributor, pharmacy, hospital |
	pub fn allowed_at(self, kind: OrganisationKind) -> bool {
		use OrganisationKind::*;
		match self {
			Role::Admin => true,
			Role::Practitioner => matches!(kind, Hospital | Clinic | Laboratory),
			Role::EmergencyCare | Role::Nurse => matches!(kind, Hospital | Clinic),
			Role::Pharmacist => matches!(kind, Pharmacy | Hospital),
			Role::LaboratoryScientist => matches!(kind, Laboratory | Hospital),
			Role::Researcher => kind == ResearchInstitute,
			Role::EthicsReviewer => kind == EthicsBoard,
			Role::ClaimsOfficer => matches!(kind, Insurer | Hospital | Clinic | Pharmacy | Laboratory),
			Role::Auditor =>
				matches!(kind, Hospital | Clinic | Pharmacy | Laboratory | Insurer | Regulator),
			Role::Logistics => matches!(kind, Manufacturer | Distributor | Pharmacy | Hospital),
		}
	}

	/// The credential that a role which checks the work of others needs, issued by an
	/// organisation other than the one where the role is held: an organisation cannot make
	/// its own overseers.
	pub fn oversight_credential(self) -> Option<CredentialKind> {
		match self {
			Role::Auditor => Some(CredentialKind::AuditAccreditation),
			Role::EthicsReviewer => Some(CredentialKind::EthicsReviewAccreditation),
			_ => None,
		}
	}
}

/// A member's roles in one organisation: distinct, sorted, at least one.
pub type Roles = BoundedVec<Role, ConstU32<ROLE_COUNT>>;

/// A kind of professional credential.
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
	Serialize,
	Deserialize,
)]
pub enum CredentialKind {
	/// Licence to practise medicine.
	MedicalLicence,
	/// Licence to practise pharmacy.
	PharmacyLicence,
	/// Authorisation to prescribe or dispense controlled substances.
	ControlledSubstanceAuthorisation,
	/// Certification to conduct research on human subjects.
	ResearchCertification,
	/// Authorisation to trade in drugs or devices (manufacture, distribution, dispensing).
	TradingPartnerAuthorisation,
	/// Accreditation to review research on human subjects for an ethics board.
	EthicsReviewAccreditation,
	/// Accreditation to audit records, claims and access logs.
	AuditAccreditation,
}

/// Where a credential stands, apart from its validity period.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum CredentialStatus {
	/// In force during its validity period.
	Active,
	/// Suspended by its issuer; may be reinstated.
	Suspended,
	/// Revoked by its issuer; final.
	Revoked,
}

/// A professional credential held by an account.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Credential<AccountId> {
	/// The accredited organisation that issued it.
	pub issuer: OrganisationId,
	/// The account that issued it for that organisation.
	pub issued_by: AccountId,
	/// Hash of the licence number (salted off chain), never the number itself.
	pub licence_hash: H256,
	/// First moment of validity (inclusive).
	pub valid_from: Moment,
	/// End of validity (exclusive): the credential is not valid at or after this moment.
	pub valid_until: Moment,
	/// Active, suspended or revoked.
	pub status: CredentialStatus,
}

impl<AccountId> Credential<AccountId> {
	/// Whether the credential is in force at `now`.
	pub fn is_valid_at(&self, now: Moment) -> bool {
		self.status == CredentialStatus::Active && self.valid_from <= now && now < self.valid_until
	}
}

/// A registered patient: a pseudonymous account and the key its records are wrapped to.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Patient {
	/// The patient's X25519 public key.
	pub encryption_key: EncryptionKey,
	/// When the patient registered.
	pub registered_at: Moment,
}

/// The longest vault endpoint, in bytes: an `https://` URL.
pub const MAX_VAULT_ENDPOINT_LENGTH: u32 = 128;

/// The base URL of a record vault's HTTP API.
pub type VaultEndpoint = BoundedVec<u8, ConstU32<MAX_VAULT_ENDPOINT_LENGTH>>;

/// The record vault an organisation runs beside its node: the custodian that holds the
/// ciphertext of the records it is named for, and the wrapped keys of their readers, and
/// releases them only as the chain allows.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct RecordVault<AccountId> {
	/// The account the vault signs with: it logs the releases and confirms erasures.
	pub account: AccountId,
	/// Where its HTTP API is (`https://`, or `http://` on loopback and private networks).
	pub endpoint: VaultEndpoint,
}

/// Milliseconds in a day: the period of the daily enrolment and sponsorship allowances.
pub const MILLISECS_PER_DAY: Moment = 24 * 60 * 60 * 1000;

/// How many times something was done on one day (days counted from the Unix epoch): the
/// state of a daily allowance, which starts afresh on the next day.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, Default, TypeInfo, MaxEncodedLen)]
pub struct DailyTally {
	/// The day, as whole days since the Unix epoch.
	pub day: u32,
	/// How many times on that day.
	pub count: u32,
}

impl DailyTally {
	/// The day of `moment`.
	pub fn day_of(moment: Moment) -> u32 {
		(moment / MILLISECS_PER_DAY).min(u32::MAX as Moment) as u32
	}

	/// How many times on `day`: nothing yet if the tally is of another day.
	pub fn count_on(tally: Option<Self>, day: u32) -> u32 {
		tally.filter(|t| t.day == day).map_or(0, |t| t.count)
	}
}

/// Why someone may act for a patient.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub enum GuardianKind {
	/// A parent of a minor.
	Parent,
	/// A legal guardian of a minor or incapacitated patient.
	LegalGuardian,
	/// A caregiver.
	Caregiver,
	/// Anyone else the patient delegates to.
	Delegate,
}

/// What a guardian may do for a patient in the other pallets.
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
	Serialize,
	Deserialize,
)]
pub enum CareScope {
	/// Manage the patient's health records and who may read them.
	HealthRecords,
	/// Manage the patient's prescriptions.
	Prescriptions,
	/// Give, narrow and withdraw research consent.
	ResearchConsent,
	/// Follow and dispute insurance claims.
	InsuranceClaims,
	/// Bind and unbind monitoring devices.
	RemoteMonitoring,
}

/// The number of [`CareScope`]s, which bounds a guardianship's scope.
pub const SCOPE_COUNT: u32 = 5;

/// What a guardian may do: distinct, sorted, at least one scope.
pub type Scopes = BoundedVec<CareScope, ConstU32<SCOPE_COUNT>>;

/// A guardian's or delegate's standing with a patient.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Guardianship {
	/// Why the guardian acts for the patient.
	pub kind: GuardianKind,
	/// What the guardian may do.
	pub scope: Scopes,
	/// When the guardianship ends (exclusive), if it does.
	pub expires_at: Option<Moment>,
}

impl Guardianship {
	/// Whether the guardian may act in `scope` at `now`.
	pub fn covers(&self, scope: CareScope, now: Moment) -> bool {
		self.expires_at.map_or(true, |end| now < end) && self.scope.contains(&scope)
	}
}
