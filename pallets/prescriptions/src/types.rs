//! Prescriptions.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// Moments of the chain's clock, in milliseconds since the Unix epoch.
pub type Moment = u64;

/// Identifies a prescription.
pub type PrescriptionId = u64;

/// Where a prescription stands.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub enum PrescriptionStatus<AccountId> {
	/// It may be dispensed, within its validity and fills.
	Active,
	/// Every fill has been dispensed.
	Completed,
	/// Cancelled.
	Cancelled {
		/// The prescriber, patient or guardian who cancelled it.
		by: AccountId,
		/// When.
		at: Moment,
	},
}

/// A prescription of a product for a patient.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Prescription<AccountId, ProductCode> {
	/// The patient.
	pub patient: AccountId,
	/// The practitioner who issued it.
	pub prescriber: AccountId,
	/// Hash of the FHIR MedicationRequest, kept off chain.
	pub medication_request_hash: H256,
	/// The product prescribed.
	pub product: ProductCode,
	/// Whether the product is a controlled substance.
	pub controlled: bool,
	/// Units handed over at each fill.
	pub quantity: u32,
	/// Fills allowed after the first.
	pub refills: u32,
	/// The least time between two fills, in milliseconds.
	pub refill_interval: Moment,
	/// Fills dispensed so far.
	pub fills: u32,
	/// When the last fill was dispensed, if one was.
	pub last_filled_at: Option<Moment>,
	/// First moment it may be dispensed (inclusive).
	pub valid_from: Moment,
	/// End of its validity (exclusive).
	pub valid_until: Moment,
	/// Active, completed or cancelled.
	pub status: PrescriptionStatus<AccountId>,
}

/// The limits that regulators set on prescriptions of controlled substances, which every new
/// prescription of one must keep within.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct ControlledLimits {
	/// The most refills a prescription may allow.
	pub max_refills: u32,
	/// The most units one fill may hand over.
	pub max_units_per_fill: u32,
	/// The least time between two fills, in milliseconds.
	pub min_refill_interval: Moment,
}
