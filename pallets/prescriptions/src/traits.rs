//! What this pallet needs from the others: who may prescribe and dispense (the identity
//! pallet), and the units a pharmacy hands over (the provenance pallet). The runtime wires
//! both.

use frame_support::dispatch::DispatchResult;

/// The questions the prescriptions pallet asks about accounts. Every answer is about now.
pub trait PrescribingIdentity<AccountId, OrganisationId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` may manage `patient`'s prescriptions: the patient itself, or a guardian
	/// whose scope covers prescriptions.
	fn may_manage_prescriptions(who: &AccountId, patient: &AccountId) -> bool;

	/// Whether `who` is a practitioner with a licence in force.
	fn is_prescriber(who: &AccountId) -> bool;

	/// Whether `who` is a pharmacist with a pharmacy licence in force at `pharmacy`, an active
	/// dispenser.
	fn is_pharmacist_at(who: &AccountId, pharmacy: OrganisationId) -> bool;

	/// Whether `who` holds an authorisation for controlled substances in force.
	fn may_handle_controlled(who: &AccountId) -> bool;

	/// Whether `who` is an admin of an active regulator, who sets the limits on controlled
	/// substances.
	fn is_regulator(who: &AccountId) -> bool;
}

/// The serialised units a pharmacy dispenses.
pub trait Dispensary<OrganisationId, ProductCode, SerialNumber> {
	/// Whether `product` is a controlled substance; `None` if no such product is registered.
	fn is_controlled(product: &ProductCode) -> Option<bool>;

	/// Dispenses the units `serials` of `product` from `pharmacy`'s stock, decommissioning
	/// them; all of them, or none.
	fn dispense(pharmacy: OrganisationId, product: &ProductCode, serials: &[SerialNumber]) -> DispatchResult;
}

/// Sets up, in benchmarks, the people and the stock the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId, ProductCode, SerialNumber> {
	/// Registers `who` as a patient.
	fn register_patient(who: &AccountId);

	/// Makes `who` a licensed practitioner allowed to prescribe controlled substances.
	fn make_prescriber(who: &AccountId);

	/// Makes `who` an admin of a regulator.
	fn make_regulator(who: &AccountId);

	/// Makes `who` a licensed pharmacist, allowed to dispense controlled substances, at a new
	/// pharmacy, which holds `units` units of a new controlled product; returns the pharmacy,
	/// the product and the units' serials.
	fn stocked_pharmacy(who: &AccountId, units: u32) -> (OrganisationId, ProductCode, alloc::vec::Vec<SerialNumber>);
}
