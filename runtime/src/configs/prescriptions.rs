//! The prescriptions pallet's `Config`, and the adapters through which it asks the identity
//! pallet who may prescribe and dispense, and the provenance pallet for the units.

use frame_support::{dispatch::DispatchResult, parameter_types, traits::ConstU32};
use pallet_drug_provenance::{ProductCode, Products, SerialNumber};
use pallet_health_identity::{CareScope, CredentialKind, IdentityQuery, OrganisationId, OrganisationKind, Role};
use pallet_prescriptions::{ControlledLimits, Dispensary, PrescribingIdentity};

use crate::{AccountId, DrugProvenance, HealthIdentity, Runtime, RuntimeEvent, Timestamp};

impl pallet_prescriptions::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type ProductCode = ProductCode;
	type SerialNumber = SerialNumber;
	type Identity = PrescribingIdentityOfHealthIdentity;
	type Dispensary = DispensaryOfDrugProvenance;
	type Time = Timestamp;
	/// A large pack count for one fill.
	type MaxUnitsPerFill = ConstU32<100>;
	/// A year of monthly refills.
	type MaxRefills = ConstU32<12>;
	type DefaultControlledLimits = ControlledSubstanceDefaults;
	type WeightInfo = pallet_prescriptions::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = PrescribingIdentityOfHealthIdentity;
}

parameter_types! {
	/// Until a regulator sets its own: at most five refills of at most ten packs each, four
	/// weeks apart (a schedule III-IV rule of thumb; no refills at all is for a regulator to
	/// set for the strictest schedules).
	pub const ControlledSubstanceDefaults: ControlledLimits = ControlledLimits {
		max_refills: 5,
		max_units_per_fill: 10,
		min_refill_interval: 28 * crate::configs::MILLISECONDS_PER_DAY,
	};
}

/// The identity pallet's answers: a prescriber is a practitioner with a medical licence in
/// force; a pharmacist is a member with the pharmacist role and a pharmacy licence in force at
/// an active pharmacy or hospital; controlled substances need the controlled-substance
/// authorisation.
pub struct PrescribingIdentityOfHealthIdentity;

impl PrescribingIdentity<AccountId, OrganisationId> for PrescribingIdentityOfHealthIdentity {
	fn is_patient(who: &AccountId) -> bool {
		HealthIdentity::is_patient(who)
	}

	fn may_manage_prescriptions(who: &AccountId, patient: &AccountId) -> bool {
		HealthIdentity::may_act_for(who, patient, CareScope::Prescriptions)
	}

	fn is_prescriber(who: &AccountId) -> bool {
		super::is_licensed_practitioner(who, None)
	}

	fn is_pharmacist_at(who: &AccountId, pharmacy: OrganisationId) -> bool {
		matches!(
			HealthIdentity::active_organisation_kind(pharmacy),
			Some(OrganisationKind::Pharmacy | OrganisationKind::Hospital)
		) && HealthIdentity::has_role_in(who, pharmacy, Role::Pharmacist) &&
			HealthIdentity::has_valid_credential(who, CredentialKind::PharmacyLicence)
	}

	fn may_handle_controlled(who: &AccountId) -> bool {
		HealthIdentity::has_valid_credential(who, CredentialKind::ControlledSubstanceAuthorisation)
	}

	fn is_regulator(who: &AccountId) -> bool {
		HealthIdentity::has_role_at_kind(who, Role::Admin, OrganisationKind::Regulator)
	}
}

/// The provenance pallet's stock, as the prescriptions pallet dispenses from it.
pub struct DispensaryOfDrugProvenance;

impl Dispensary<OrganisationId, ProductCode, SerialNumber> for DispensaryOfDrugProvenance {
	fn is_controlled(product: &ProductCode) -> Option<bool> {
		Products::<Runtime>::get(product).map(|p| p.controlled)
	}

	fn dispense(pharmacy: OrganisationId, product: &ProductCode, serials: &[SerialNumber]) -> DispatchResult {
		DrugProvenance::dispense_units(pharmacy, product, serials)
	}
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use crate::{
		configs::benchmark_identities::{credential, organisation},
		RuntimeOrigin,
	};
	use alloc::{vec, vec::Vec};
	use pallet_drug_provenance::{gtin_with_check_digit, ProductKind};
	use sp_core::H256;

	impl pallet_prescriptions::BenchmarkHelper<AccountId, OrganisationId, ProductCode, SerialNumber>
		for PrescribingIdentityOfHealthIdentity
	{
		fn register_patient(who: &AccountId) {
			crate::configs::benchmark_identities::register_patient(who);
		}

		fn make_regulator(who: &AccountId) {
			organisation(OrganisationKind::Regulator, who, vec![Role::Admin]);
		}

		fn make_prescriber(who: &AccountId) {
			organisation(OrganisationKind::Hospital, who, vec![Role::Practitioner]);
			credential(who, CredentialKind::MedicalLicence);
			credential(who, CredentialKind::ControlledSubstanceAuthorisation);
		}

		/// A manufacturer commissions `units` units of a new controlled product and ships them
		/// to a pharmacy, which receives them; `who` works at both.
		fn stocked_pharmacy(who: &AccountId, units: u32) -> (OrganisationId, ProductCode, Vec<SerialNumber>) {
			let pharmacy = organisation(OrganisationKind::Pharmacy, who, vec![Role::Pharmacist]);
			let manufacturer = organisation(OrganisationKind::Manufacturer, who, vec![Role::Logistics]);
			for kind in [
				CredentialKind::PharmacyLicence,
				CredentialKind::ControlledSubstanceAuthorisation,
				CredentialKind::TradingPartnerAuthorisation,
			] {
				credential(who, kind);
			}
			let product = ProductCode::Gtin(gtin_with_check_digit(950_600_013_435 + manufacturer as u64));
			let signed = || RuntimeOrigin::signed(who.clone());
			DrugProvenance::register_product(signed(), manufacturer, product.clone(), ProductKind::Drug, H256::zero(), true)
				.expect("the manufacturer registers its product");
			let ids: Vec<Vec<u8>> = (0..units).map(|i| alloc::format!("{i:020}").into_bytes()).collect();
			if units > 0 {
				DrugProvenance::commission_serials(signed(), manufacturer, product.clone(), b"LOT".to_vec(), u64::MAX, ids.clone())
					.expect("the manufacturer commissions");
				DrugProvenance::ship_units(signed(), manufacturer, product.clone(), ids.clone(), pharmacy)
					.expect("the manufacturer ships");
				DrugProvenance::receive_units(signed(), pharmacy, product.clone(), ids.clone())
					.expect("the pharmacy receives");
			}
			let serials = ids.into_iter().map(|id| SerialNumber::try_from(id).expect("20 characters")).collect();
			(pharmacy, product, serials)
		}
	}
}
