//! Coverage, claims and the claim state machine.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::{Get, H256};

/// Moments of the chain's clock, in milliseconds since the Unix epoch.
pub type Moment = u64;

/// Identifies a coverage.
pub type CoverageId = u64;
/// Identifies a claim.
pub type ClaimId = u64;
/// An amount of money in the smallest unit of the plan's currency (cents, say).
pub type Amount = u128;

/// A record of the health-records pallet, as the runtime numbers them: a claim names its
/// claim document (FHIR Claim, X12 837) and its appeal by the record a custodian holds.
pub type RecordId = u64;
/// The longest adjustment reason code, CARC style ("45", "CO-45").
pub const MAX_REASON_LENGTH: u32 = 6;
/// A claim adjustment reason code: letters, digits and dashes.
pub type ReasonCode = BoundedVec<u8, ConstU32<MAX_REASON_LENGTH>>;
/// The longest plan identifier.
pub const MAX_PLAN_LENGTH: u32 = 32;
/// An insurer's plan identifier: printable ASCII.
pub type Plan = BoundedVec<u8, ConstU32<MAX_PLAN_LENGTH>>;

/// An insurer's coverage of a patient.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Coverage<AccountId, OrganisationId> {
	/// The insurer.
	pub insurer: OrganisationId,
	/// The patient covered.
	pub patient: AccountId,
	/// Hash of the policy document, kept off chain.
	pub policy_hash: H256,
	/// The plan.
	pub plan: Plan,
	/// First moment covered (inclusive).
	pub starts_at: Moment,
	/// End of the coverage (exclusive); moved earlier when the insurer ends it.
	pub ends_at: Moment,
}

impl<AccountId, OrganisationId> Coverage<AccountId, OrganisationId> {
	/// Whether a service at `moment` is covered.
	pub fn covers(&self, moment: Moment) -> bool {
		self.starts_at <= moment && moment < self.ends_at
	}
}

/// Where a claim stands. The legal transitions:
///
/// ```text
/// Submitted ──adjudicate──▶ Approved | PartiallyApproved | Denied
/// Approved | PartiallyApproved ──pay──▶ Paid
/// PartiallyApproved | Denied ──appeal (once, within the window)──▶ Appealed
/// Appealed ──adjudicate──▶ Approved | PartiallyApproved | Denied
/// ```
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ClaimStatus {
	/// Submitted by the provider, waiting for the insurer.
	Submitted,
	/// Approved in full.
	Approved,
	/// Approved for less than billed.
	PartiallyApproved,
	/// Denied.
	Denied,
	/// Appealed by the provider, waiting for the insurer.
	Appealed,
	/// Paid.
	Paid,
}

impl ClaimStatus {
	/// Whether the insurer may decide the claim (or its appeal) now.
	pub fn awaits_decision(self) -> bool {
		matches!(self, ClaimStatus::Submitted | ClaimStatus::Appealed)
	}

	/// Whether the insurer may pay the claim now.
	pub fn is_payable(self) -> bool {
		matches!(self, ClaimStatus::Approved | ClaimStatus::PartiallyApproved)
	}

	/// Whether the provider may appeal the decision (if it has not yet, and in time).
	pub fn is_appealable(self) -> bool {
		matches!(self, ClaimStatus::PartiallyApproved | ClaimStatus::Denied)
	}
}

/// An insurer's decision on a claim or an appeal.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub enum Decision {
	/// Approve the billed amount.
	Approve,
	/// Approve `allowed`; the adjustments (reason code, amount) account for the rest.
	PartiallyApprove {
		/// The amount allowed.
		allowed: Amount,
		/// Why the rest is not: CARC-style reason codes and the amounts they adjust.
		adjustments: alloc::vec::Vec<(alloc::vec::Vec<u8>, Amount)>,
	},
	/// Deny, with a reason code.
	Deny {
		/// Why.
		reason: alloc::vec::Vec<u8>,
	},
}

/// The document behind a claim or an appeal.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ClaimDocument {
	/// A claim document (a health record of type `Claim`, encrypted, held by a custodian), which
	/// the claim's parties and regulators read through the custodian's vault, each read logged.
	Record(RecordId),
	/// The hash of a document kept off chain: claims submitted before storage version 2.
	Hash(H256),
}

/// What the chain knows of a claim document it is asked to file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ClaimRecord<AccountId> {
	/// The patient it is about.
	pub patient: AccountId,
	/// Who wrote it.
	pub author: AccountId,
	/// Whether the patient has erased it.
	pub erased: bool,
}

/// A claim for a service to a covered patient. What was done and why (procedure and diagnosis
/// codes) is in its document, never here.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxAdjustments))]
#[codec(mel_bound(AccountId: MaxEncodedLen, OrganisationId: MaxEncodedLen))]
pub struct Claim<AccountId, OrganisationId, MaxAdjustments: Get<u32>> {
	/// The coverage it is claimed under.
	pub coverage: CoverageId,
	/// The patient.
	pub patient: AccountId,
	/// The provider organisation.
	pub provider: OrganisationId,
	/// The insurer.
	pub insurer: OrganisationId,
	/// The provider's claims officer who submitted it.
	pub submitted_by: AccountId,
	/// The claim document.
	pub document: ClaimDocument,
	/// When the service was given.
	pub service_date: Moment,
	/// The amount billed.
	pub billed: Amount,
	/// A prescription or record it refers to, if any.
	pub reference: Option<H256>,
	/// The duplicate fingerprint, keyed with the coverage's secret; `None` for a claim from
	/// before storage version 2, whose unkeyed fingerprint was dropped.
	pub fingerprint: Option<H256>,
	/// Where it stands.
	pub status: ClaimStatus,
	/// The amount allowed, once decided.
	pub allowed: Option<Amount>,
	/// The adjustments of a partial approval, or the reason of a denial.
	pub adjustments: BoundedVec<(ReasonCode, Amount), MaxAdjustments>,
	/// When it was submitted.
	pub submitted_at: Moment,
	/// When it was last decided.
	pub decided_at: Option<Moment>,
	/// The appeal document, once appealed (a claim is appealed at most once).
	pub appeal: Option<ClaimDocument>,
	/// The payment reference, once paid.
	pub payment_reference: Option<H256>,
}
