//! Products, lots and serialised units, identified the GS1 way.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::{Get, H256};

/// Moments of the chain's clock, in milliseconds since the Unix epoch.
pub type Moment = u64;

/// The longest serial number: GS1 application identifier (21), up to 20 characters.
pub const MAX_SERIAL_LENGTH: u32 = 20;
/// The longest lot number: GS1 application identifier (10), up to 20 characters.
pub const MAX_LOT_LENGTH: u32 = 20;
/// The longest UDI device identifier (HIBCC and ICCBBA identifiers are alphanumeric).
pub const MAX_UDI_LENGTH: u32 = 25;

/// A unit's serial number: printable ASCII, at most 20 characters.
pub type SerialNumber = BoundedVec<u8, ConstU32<MAX_SERIAL_LENGTH>>;
/// A lot (batch) number: printable ASCII, at most 20 characters.
pub type LotNumber = BoundedVec<u8, ConstU32<MAX_LOT_LENGTH>>;

/// What identifies a product.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ProductCode {
	/// A GS1 Global Trade Item Number (GTIN-8, -12, -13 or -14) as a number, with a valid
	/// check digit.
	Gtin(u64),
	/// A medical device's UDI device identifier from another issuing agency (HIBCC, ICCBBA):
	/// printable ASCII.
	UdiDi(BoundedVec<u8, ConstU32<MAX_UDI_LENGTH>>),
}

impl ProductCode {
	/// Whether the code is well formed: a GTIN of at most 14 digits whose last digit is its
	/// GS1 check digit, or a non-empty printable UDI-DI.
	pub fn is_valid(&self) -> bool {
		match self {
			ProductCode::Gtin(gtin) => gtin_is_valid(*gtin),
			ProductCode::UdiDi(udi) => !udi.is_empty() && udi.iter().all(u8::is_ascii_graphic),
		}
	}
}

/// Whether `gtin` has at most 14 digits and a correct GS1 mod-10 check digit.
pub fn gtin_is_valid(gtin: u64) -> bool {
	gtin != 0 && gtin < 100_000_000_000_000 && gtin_with_check_digit(gtin / 10) == gtin
}

/// The GTIN whose digits before the check digit are `body`, with its GS1 mod-10 check digit
/// appended.
pub fn gtin_with_check_digit(body: u64) -> u64 {
	let mut rest = body;
	let (mut sum, mut weight) = (0u64, 3u64);
	while rest > 0 {
		sum += (rest % 10) * weight;
		weight = 4 - weight;
		rest /= 10;
	}
	body * 10 + (10 - sum % 10) % 10
}

/// Whether `id` is a valid serial or lot number: 1 to its bound of printable ASCII.
pub fn identifier_is_valid(id: &[u8]) -> bool {
	!id.is_empty() && id.iter().all(u8::is_ascii_graphic)
}

/// What kind of product.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ProductKind {
	/// A medicinal product.
	Drug,
	/// A medical device.
	Device,
}

/// A registered product.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Product<OrganisationId> {
	/// The manufacturer that registered it and alone commissions its units.
	pub manufacturer: OrganisationId,
	/// Drug or device.
	pub kind: ProductKind,
	/// Hash of its off-chain description (name, strength, form, pack).
	pub metadata_hash: H256,
	/// Whether it is a controlled substance.
	pub controlled: bool,
}

/// A lot of a product.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Lot {
	/// The end of its shelf life (exclusive): no unit of the lot is dispensed at or after it.
	pub expires_at: Moment,
	/// When it was recalled, if it was.
	pub recalled_at: Option<Moment>,
	/// How many units of the lot were commissioned.
	pub units: u32,
}

/// The trade roles an organisation plays.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum TradeRole {
	/// Makes products and commissions their units.
	Manufacturer,
	/// Buys and sells units (a wholesaler, a repackager).
	Distributor,
	/// Dispenses units to patients (a pharmacy, a hospital).
	Dispenser,
	/// Oversees the supply chain: recalls lots, rules on suspect units.
	Regulator,
}

/// Where a unit is in its life.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum UnitStatus<OrganisationId> {
	/// In its custodian's stock.
	InStock,
	/// Shipped by its custodian to another trading partner, not yet received.
	InTransit {
		/// The recipient.
		to: OrganisationId,
		/// Whether it is a return, which the recipient verifies before it re-enters stock.
		returning: bool,
	},
	/// Dispensed to a patient: decommissioned.
	Dispensed,
	/// Destroyed: decommissioned.
	Destroyed,
	/// Confirmed illegitimate (counterfeit, diverted, stolen): decommissioned.
	Illegitimate,
}

/// A step in a unit's life, after the GS1 EPCIS business steps.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum BusinessStep {
	/// Serialised by its manufacturer.
	Commissioned,
	/// Shipped to another trading partner.
	Shipped,
	/// Received from another trading partner.
	Received,
	/// Shipped back as a return.
	Returned,
	/// A return verified and taken back into stock.
	ReturnAccepted,
	/// Flagged as suspect and quarantined.
	Quarantined,
	/// Cleared of suspicion.
	Cleared,
	/// Confirmed illegitimate.
	ConfirmedIllegitimate,
	/// Dispensed to a patient.
	Dispensed,
	/// Destroyed.
	Destroyed,
}

/// One step of a unit's history.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Step<OrganisationId> {
	/// What happened.
	pub step: BusinessStep,
	/// The organisation that did it.
	pub by: OrganisationId,
	/// When.
	pub at: Moment,
}

/// A serialised unit.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxHistory))]
#[codec(mel_bound(OrganisationId: MaxEncodedLen))]
pub struct Unit<OrganisationId, MaxHistory: Get<u32>> {
	/// Its lot.
	pub lot: LotNumber,
	/// The organisation that holds it (or last held it).
	pub custodian: OrganisationId,
	/// Where it is in its life.
	pub status: UnitStatus<OrganisationId>,
	/// Whether it is quarantined as suspect: then it moves nowhere until cleared.
	pub quarantined: bool,
	/// How many steps it has been through, all told.
	pub steps: u32,
	/// Its latest steps, oldest first; the full trail is in the chain's events.
	pub history: BoundedVec<Step<OrganisationId>, MaxHistory>,
}

/// The answer to "is this unit genuine, who holds it, what is its status?".
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct Verification<OrganisationId> {
	/// Whether a unit with this product code and serial was commissioned, and the lot and
	/// expiry given (if any) are its own.
	pub genuine: bool,
	/// Whether the product code and serial name a commissioned unit at all.
	pub commissioned: bool,
	/// Its custodian.
	pub custodian: Option<OrganisationId>,
	/// Its status.
	pub status: Option<UnitStatus<OrganisationId>>,
	/// Whether it is quarantined as suspect.
	pub quarantined: bool,
	/// Whether its lot is recalled.
	pub recalled: bool,
	/// Whether it is past its expiry now.
	pub expired: bool,
	/// Its lot.
	pub lot: Option<LotNumber>,
	/// Its expiry.
	pub expires_at: Option<Moment>,
	/// Whether it may be dispensed now: in stock, not quarantined, not recalled, not expired.
	pub dispensable: bool,
}

/// Why a unit is flagged suspect: the categories of the DSCSA's suspect product (and the EU
/// FMD's alerts), so that a regulator can sort and follow up the flags.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum SuspectReason {
	/// Possibly counterfeit.
	Counterfeit,
	/// Possibly diverted out of its legitimate supply chain.
	Diverted,
	/// Possibly stolen.
	Stolen,
	/// Possibly intentionally adulterated.
	Adulterated,
	/// Possibly the subject of a fraudulent transaction.
	FraudulentTransaction,
	/// Appears otherwise unfit for distribution (damaged, tampered packaging).
	UnfitForDistribution,
	/// Its identifier does not verify (unknown serial, wrong lot or expiry on the pack).
	VerificationFailed,
}
