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

/// The salt of a commitment: 32 random bytes in the MedicationRequest, which the prescriber
/// gives the patient and the patient the pharmacy.
pub type Salt = [u8; 32];

/// A prescription. Who it is for and what it prescribes are commitments: the patient, and the
/// product with its quantity per fill, are in the encrypted MedicationRequest, with the salts
/// that open the commitments (see [`crate::Pallet::patient_commitment`] and
/// [`crate::Pallet::item_commitment`]).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Prescription<AccountId> {
	/// Who it is for, committed: opened only by whoever holds the MedicationRequest (the
	/// patient, a guardian, the prescriber), to cancel it. Zero for a prescription issued
	/// before storage version 2, whose patient the migration dropped.
	pub patient_commitment: H256,
	/// The practitioner who issued it.
	pub prescriber: AccountId,
	/// Names the FHIR MedicationRequest, kept encrypted off chain: Blake2-256 of its record's
	/// content hash followed by the patient salt, so that only the document's readers can join
	/// the prescription to the patient's record.
	pub medication_request_hash: H256,
	/// What is dispensed at each fill (product, units), committed: the pharmacy opens it at
	/// each fill, which shows the product as the units' serials do, never the patient.
	pub item_commitment: H256,
	/// Whether the prescriber declared a controlled substance: checked against the product
	/// when it is dispensed, and the controlled-substance rules applied from issue on.
	pub controlled: bool,
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
