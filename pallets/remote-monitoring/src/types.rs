//! Devices, batches of readings, alert rules and alerts.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::H256;

/// Moments of the chain's clock, in milliseconds since the Unix epoch.
pub type Moment = u64;
/// Identifies an alert rule.
pub type RuleId = u64;
/// Identifies an alert.
pub type AlertId = u64;

/// The longest UDI device identifier.
pub const MAX_UDI_LENGTH: u32 = 25;
/// The longest device serial number.
pub const MAX_SERIAL_LENGTH: u32 = 20;

/// A UDI device identifier: printable ASCII.
pub type UdiDi = BoundedVec<u8, ConstU32<MAX_UDI_LENGTH>>;
/// A device's serial number: printable ASCII.
pub type DeviceSerial = BoundedVec<u8, ConstU32<MAX_SERIAL_LENGTH>>;

/// What a device measures.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum DeviceKind {
	/// Blood glucose.
	GlucoseMeter,
	/// Blood pressure.
	BloodPressureCuff,
	/// Oxygen saturation and pulse.
	PulseOximeter,
	/// Electrocardiogram.
	EcgPatch,
	/// Body temperature.
	Thermometer,
	/// Body weight.
	WeightScale,
}

/// Where a device stands.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub enum DeviceStatus<AccountId> {
	/// Registered, bound to no one.
	Unbound,
	/// Proposed for a patient, waiting for the patient's (or a guardian's) consent.
	Proposed {
		/// The patient.
		patient: AccountId,
	},
	/// Bound to a consenting patient: it may anchor readings and raise alerts.
	Bound {
		/// The patient.
		patient: AccountId,
		/// Since when.
		since: Moment,
	},
	/// Retired for good.
	Retired,
}

/// A monitoring device, known by its own signing account.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Device<AccountId, OrganisationId> {
	/// The care organisation that registered it.
	pub organisation: OrganisationId,
	/// Its UDI device identifier.
	pub udi_di: UdiDi,
	/// Its serial number.
	pub serial: DeviceSerial,
	/// What it measures.
	pub kind: DeviceKind,
	/// A gateway account that may submit for it (a phone, a hub), if any.
	pub gateway: Option<AccountId>,
	/// Where it stands.
	pub status: DeviceStatus<AccountId>,
	/// How many batches it has anchored (they are numbered from 0).
	pub batches: u32,
	/// The end of the period its last batch covered: the next one starts no earlier.
	pub covered_until: Option<Moment>,
}

/// An anchored batch of readings: the values stay off chain, encrypted, with the device's
/// organisation, which finds a batch by its device and number (no locator goes on chain).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Batch<AccountId> {
	/// The patient the readings are of.
	pub patient: AccountId,
	/// First moment covered (inclusive).
	pub starts_at: Moment,
	/// End of the period covered (exclusive).
	pub ends_at: Moment,
	/// How many readings.
	pub readings: u32,
	/// The Merkle root of the readings' hashes (see [`crate::merkle`]), or the hash of the
	/// encrypted batch.
	pub root: H256,
	/// When it was anchored.
	pub anchored_at: Moment,
}

/// A threshold the care team set for a patient. What it watches and where it trips (the
/// observation's code, the bound, the direction) is sealed off chain, for the care team and
/// the organisation's devices; the chain holds the hash of the sealed rule.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct AlertRule<AccountId, OrganisationId> {
	/// The patient.
	pub patient: AccountId,
	/// The care organisation whose team set it, and which its alerts go to.
	pub organisation: OrganisationId,
	/// The Blake2-256 hash of the sealed rule; `None` for a rule set before storage version
	/// 1, whose content was on chain and was dropped by the migration.
	pub sealed_hash: Option<H256>,
	/// The care-team member who set it.
	pub set_by: AccountId,
}

/// An alert a device raised.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Alert<AccountId, OrganisationId> {
	/// The patient.
	pub patient: AccountId,
	/// The organisation whose care team the alert goes to (the rule's).
	pub organisation: OrganisationId,
	/// The device.
	pub device: AccountId,
	/// The rule it tripped.
	pub rule: RuleId,
	/// The batch holding the reading, if anchored yet.
	pub batch: Option<u32>,
	/// When it was raised.
	pub raised_at: Moment,
	/// Who acknowledged it, and when.
	pub acknowledged: Option<(AccountId, Moment)>,
}
