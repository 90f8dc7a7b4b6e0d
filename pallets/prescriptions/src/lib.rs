//! # Prescriptions Pallet
//!
//! Prescriptions from the practitioner to the pharmacy counter, with no patient and no
//! prescribed product in the clear. A licensed practitioner issues a prescription: the hash of
//! the encrypted FHIR MedicationRequest (kept off chain, with its custodian), a commitment to
//! the patient, a commitment to the product and the quantity per fill, whether it is a
//! controlled substance, the refills allowed, their interval and the validity period. The
//! MedicationRequest carries the patient, the product, the quantity and the two salts that
//! open the commitments; the patient takes it to a pharmacy. The prescriber files it as the
//! patient's health record (type `MedicationRequest`, sealed, at a custodian's vault) and names
//! it in the prescription by the record's content hash salted with the patient salt (never the
//! bare content hash, which the chain shows beside the patient); the prescriptions issued with
//! it are indexed by that hash ([`PrescriptionsByRequest`]), so the patient's application
//! finds them from the record and checks the patient commitment with the document's salt. A
//! licensed pharmacist dispenses
//! it, opening the item commitment (product, salt) and naming the serialised units handed over,
//! which the provenance pallet decommissions in the same extrinsic: the fill and the units'
//! decommissioning happen together or not at all. The supply chain sees which serials left
//! which pharmacy, on which prescription; nobody but the holders of the MedicationRequest
//! sees whom for. The patient commitment is opened only to cancel, by the patient or a
//! guardian, who then names itself.
//!
//! Nothing is dispensed past the refills, sooner after the last fill than the prescription's
//! refill interval, before or after the validity period, after cancellation, of another product
//! or another quantity than committed, by an unlicensed pharmacist, for a prescriber who has lost the licence
//! (or the controlled-substance authorisation) since, or from units the provenance pallet
//! refuses (dispensed before, expired, recalled, quarantined, not in the pharmacy's stock).
//! Controlled substances need the controlled-substance authorisation to prescribe and to
//! dispense, and stay within the [`ControlledLimits`] that regulators set (refills, units per
//! fill, least refill interval).
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`issue_prescription`](Pallet::issue_prescription) | a licensed practitioner |
//! | [`dispense_prescription`](Pallet::dispense_prescription) | a licensed pharmacist at the dispensing pharmacy |
//! | [`cancel_prescription`](Pallet::cancel_prescription) | the prescriber; or the patient or a guardian, opening the patient commitment |
//! | [`set_controlled_limits`](Pallet::set_controlled_limits) | an admin of an active regulator |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds. Roles come through
//! [`PrescribingIdentity`], units through [`Dispensary`]; the runtime implements both.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use traits::{Dispensary, PrescribingIdentity};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{BlakeTwo256, Hash},
		ArithmeticError,
	};

	/// The storage layout's version: 1 adds each prescription's refill interval and last fill;
	/// 2 keeps commitments instead of the patient, the product and the quantity; 3 indexes
	/// prescriptions by their MedicationRequest's hash.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the prescriptions pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Identifies an organisation (a pharmacy) in the identity pallet.
		type OrganisationId: Parameter + Member + Copy + MaxEncodedLen;

		/// Identifies a product (a GTIN) in the provenance pallet.
		type ProductCode: Parameter + Member + MaxEncodedLen;

		/// A unit's serial number in the provenance pallet.
		type SerialNumber: Parameter + Member + MaxEncodedLen;

		/// Who may prescribe, dispense and manage a patient's prescriptions.
		type Identity: PrescribingIdentity<Self::AccountId, Self::OrganisationId>;

		/// The stock that prescriptions are dispensed from.
		type Dispensary: Dispensary<Self::OrganisationId, Self::ProductCode, Self::SerialNumber>;

		/// The chain's clock, against which prescriptions expire.
		type Time: Time<Moment = Moment>;

		/// The most units one fill hands over.
		#[pallet::constant]
		type MaxUnitsPerFill: Get<u32>;

		/// The most refills a prescription may allow.
		#[pallet::constant]
		type MaxRefills: Get<u32>;

		/// The limits on controlled substances until a regulator sets its own.
		#[pallet::constant]
		type DefaultControlledLimits: Get<ControlledLimits>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up prescribers, patients and stocked pharmacies in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			Self::AccountId,
			Self::OrganisationId,
			Self::ProductCode,
			Self::SerialNumber,
		>;
	}

	/// A prescription of this runtime.
	pub type PrescriptionOf<T> = Prescription<<T as frame_system::Config>::AccountId>;

	/// The id the next prescription gets.
	#[pallet::storage]
	pub type NextPrescriptionId<T> = StorageValue<_, PrescriptionId, ValueQuery>;

	/// Prescriptions, by id.
	#[pallet::storage]
	pub type Prescriptions<T: Config> = StorageMap<_, Blake2_128Concat, PrescriptionId, PrescriptionOf<T>>;

	/// Prescriptions by their `medication_request_hash` (the MedicationRequest record's content
	/// hash salted with the patient salt): how whoever can open the document (the patient's
	/// application, which finds it among the patient's records) finds the prescriptions issued
	/// with it, usually one. The hash is on each prescription already; the index tells nobody
	/// anything new, and without the salt nobody joins it to the record.
	#[pallet::storage]
	pub type PrescriptionsByRequest<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H256, Twox64Concat, PrescriptionId, (), OptionQuery>;

	/// The limits on prescriptions of controlled substances, as regulators last set them.
	#[pallet::storage]
	pub type ControlledSubstanceLimits<T: Config> =
		StorageValue<_, ControlledLimits, ValueQuery, T::DefaultControlledLimits>;

	/// An event for the audit trail of every change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A practitioner issued a prescription.
		PrescriptionIssued {
			/// Its id.
			prescription: PrescriptionId,
			/// The prescriber.
			prescriber: T::AccountId,
			/// Whether it is for a controlled substance.
			controlled: bool,
			/// Refills allowed.
			refills: u32,
			/// The least time between two fills.
			refill_interval: Moment,
			/// End of its validity.
			valid_until: Moment,
		},
		/// A pharmacist dispensed a fill of a prescription, and its units were decommissioned.
		PrescriptionDispensed {
			/// The prescription.
			prescription: PrescriptionId,
			/// The pharmacy.
			pharmacy: T::OrganisationId,
			/// The pharmacist.
			pharmacist: T::AccountId,
			/// Which fill this was, from 1 (not `fill`, which JavaScript clients' arrays own).
			fill_number: u32,
			/// Their product.
			product: T::ProductCode,
			/// The units handed over.
			serials: Vec<T::SerialNumber>,
		},
		/// A prescription was cancelled.
		PrescriptionCancelled {
			/// The prescription.
			prescription: PrescriptionId,
			/// The prescriber, or the patient or guardian who opened the patient commitment.
			by: T::AccountId,
		},
		/// A regulator set the limits on controlled substances.
		ControlledLimitsSet {
			/// The new limits.
			limits: ControlledLimits,
			/// The regulator's admin who set them.
			by: T::AccountId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a practitioner with a licence in force.
		NotPrescriber,
		/// No such product is registered.
		UnknownProduct,
		/// The product is a controlled substance, and the caller holds no authorisation for it.
		NotAuthorisedForControlled,
		/// The MedicationRequest hash is zero.
		EmptyRequestHash,
		/// A fill hands over no units, or more than `MaxUnitsPerFill`.
		InvalidQuantity,
		/// A commitment is zero.
		EmptyCommitment,
		/// More refills than `MaxRefills`.
		TooManyRefills,
		/// The validity period is empty.
		InvalidValidity,
		/// The validity period is over already.
		ExpiryInPast,
		/// No such prescription.
		UnknownPrescription,
		/// The caller is not a licensed pharmacist at that pharmacy.
		NotPharmacist,
		/// The prescription has been cancelled.
		PrescriptionCancelled,
		/// Every fill has been dispensed.
		NoFillsLeft,
		/// The prescription is not valid yet.
		NotYetValid,
		/// The prescription has expired.
		PrescriptionExpired,
		/// The product, the number of units and the salt do not open the item commitment: not
		/// the product or the quantity prescribed.
		NotThePrescribedItem,
		/// The product is a controlled substance, which the prescription did not declare.
		ControlledNotDeclared,
		/// Only the prescriber, or the patient or a guardian opening the patient commitment,
		/// cancels a prescription.
		NotPrescriberOrPatient,
		/// The account and salt given do not open the patient commitment.
		WrongOpening,
		/// The last fill was dispensed less than the prescription's refill interval ago.
		RefillTooSoon,
		/// A prescription with refills needs a refill interval.
		NoRefillInterval,
		/// More refills of a controlled substance than regulators allow.
		ControlledRefillsExceeded,
		/// More units of a controlled substance per fill than regulators allow.
		ControlledQuantityExceeded,
		/// A shorter refill interval for a controlled substance than regulators allow.
		ControlledIntervalTooShort,
		/// The prescriber no longer holds the licence (or, for a controlled substance, the
		/// authorisation) that the prescription was issued under.
		PrescriberLapsed,
		/// Only an admin of an active regulator sets the limits on controlled substances.
		NotRegulator,
		/// Limits of no units per fill, or beyond `MaxUnitsPerFill` or `MaxRefills`.
		InvalidLimits,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxUnitsPerFill::get() > 0, "a fill hands over at least one unit");
			let limits = T::DefaultControlledLimits::get();
			assert!(
				limits.max_units_per_fill > 0 &&
					limits.max_units_per_fill <= T::MaxUnitsPerFill::get() &&
					limits.max_refills <= T::MaxRefills::get(),
				"the default controlled-substance limits are within the pallet's bounds"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Issues a prescription: `patient_commitment` and `item_commitment` commit to the
		/// patient and to the product with its units per fill (the encrypted MedicationRequest
		/// that `medication_request_hash` names carries them and the salts); `controlled` declares a
		/// controlled substance, which needs the authorisation and stays within the regulator's
		/// limits from now on, and is checked against the product at each fill.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::issue_prescription())]
		pub fn issue_prescription(
			origin: OriginFor<T>,
			patient_commitment: H256,
			medication_request_hash: H256,
			item_commitment: H256,
			controlled: bool,
			refills: u32,
			refill_interval: Moment,
			valid_from: Moment,
			valid_until: Moment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_prescriber(&who), Error::<T>::NotPrescriber);
			ensure!(!controlled || T::Identity::may_handle_controlled(&who), Error::<T>::NotAuthorisedForControlled);
			ensure!(!medication_request_hash.is_zero(), Error::<T>::EmptyRequestHash);
			ensure!(!patient_commitment.is_zero() && !item_commitment.is_zero(), Error::<T>::EmptyCommitment);
			ensure!(refills <= T::MaxRefills::get(), Error::<T>::TooManyRefills);
			ensure!(refills == 0 || refill_interval > 0, Error::<T>::NoRefillInterval);
			if controlled {
				let limits = ControlledSubstanceLimits::<T>::get();
				ensure!(refills <= limits.max_refills, Error::<T>::ControlledRefillsExceeded);
				ensure!(
					refills == 0 || refill_interval >= limits.min_refill_interval,
					Error::<T>::ControlledIntervalTooShort
				);
			}
			ensure!(valid_from < valid_until, Error::<T>::InvalidValidity);
			ensure!(valid_until > T::Time::now(), Error::<T>::ExpiryInPast);
			let id = NextPrescriptionId::<T>::get();
			NextPrescriptionId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Prescriptions::<T>::insert(
				id,
				Prescription {
					patient_commitment,
					prescriber: who.clone(),
					medication_request_hash,
					item_commitment,
					controlled,
					refills,
					refill_interval,
					fills: 0,
					last_filled_at: None,
					valid_from,
					valid_until,
					status: PrescriptionStatus::Active,
				},
			);
			PrescriptionsByRequest::<T>::insert(medication_request_hash, id, ());
			Self::deposit_event(Event::PrescriptionIssued {
				prescription: id,
				prescriber: who,
				controlled,
				refills,
				refill_interval,
				valid_until,
			});
			Ok(())
		}

		/// Dispenses a fill of `prescription` at `pharmacy`, handing over the units `serials`
		/// of `product`, which the provenance pallet decommissions. `product`, the number of
		/// units and `item_salt` (from the MedicationRequest) must open the item commitment.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::dispense_prescription(serials.len() as u32))]
		pub fn dispense_prescription(
			origin: OriginFor<T>,
			prescription: PrescriptionId,
			pharmacy: T::OrganisationId,
			product: T::ProductCode,
			item_salt: Salt,
			serials: Vec<T::SerialNumber>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut filled = Prescriptions::<T>::get(prescription).ok_or(Error::<T>::UnknownPrescription)?;
			ensure!(T::Identity::is_pharmacist_at(&who, pharmacy), Error::<T>::NotPharmacist);
			ensure!(
				!filled.controlled || T::Identity::may_handle_controlled(&who),
				Error::<T>::NotAuthorisedForControlled
			);
			match filled.status {
				PrescriptionStatus::Active => {},
				PrescriptionStatus::Completed => return Err(Error::<T>::NoFillsLeft.into()),
				PrescriptionStatus::Cancelled { .. } => return Err(Error::<T>::PrescriptionCancelled.into()),
			}
			// The prescription stands on its prescriber's standing, now as when it was issued.
			ensure!(
				T::Identity::is_prescriber(&filled.prescriber) &&
					(!filled.controlled || T::Identity::may_handle_controlled(&filled.prescriber)),
				Error::<T>::PrescriberLapsed
			);
			let now = T::Time::now();
			ensure!(now >= filled.valid_from, Error::<T>::NotYetValid);
			ensure!(now < filled.valid_until, Error::<T>::PrescriptionExpired);
			if let Some(last) = filled.last_filled_at {
				ensure!(now >= last.saturating_add(filled.refill_interval), Error::<T>::RefillTooSoon);
			}
			let quantity = serials.len() as u32;
			ensure!(quantity > 0 && quantity <= T::MaxUnitsPerFill::get(), Error::<T>::InvalidQuantity);
			ensure!(
				Self::item_commitment(&product, quantity, &item_salt) == filled.item_commitment,
				Error::<T>::NotThePrescribedItem
			);
			let controlled = T::Dispensary::is_controlled(&product).ok_or(Error::<T>::UnknownProduct)?;
			ensure!(!controlled || filled.controlled, Error::<T>::ControlledNotDeclared);
			if filled.controlled {
				let limits = ControlledSubstanceLimits::<T>::get();
				ensure!(quantity <= limits.max_units_per_fill, Error::<T>::ControlledQuantityExceeded);
			}
			T::Dispensary::dispense(pharmacy, &product, &serials)?;
			filled.fills += 1;
			filled.last_filled_at = Some(now);
			if filled.fills > filled.refills {
				filled.status = PrescriptionStatus::Completed;
			}
			let fill_number = filled.fills;
			Prescriptions::<T>::insert(prescription, filled);
			Self::deposit_event(Event::PrescriptionDispensed {
				prescription,
				pharmacy,
				pharmacist: who,
				fill_number,
				product,
				serials,
			});
			Ok(())
		}

		/// Cancels `prescription`: its prescriber; or the patient or a guardian, who opens the
		/// patient commitment with `opening` (the patient and the salt from the
		/// MedicationRequest), and so names the patient on chain for this prescription.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel_prescription())]
		pub fn cancel_prescription(
			origin: OriginFor<T>,
			prescription: PrescriptionId,
			opening: Option<(T::AccountId, Salt)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut cancelled = Prescriptions::<T>::get(prescription).ok_or(Error::<T>::UnknownPrescription)?;
			if cancelled.prescriber != who {
				let (patient, salt) = opening.ok_or(Error::<T>::NotPrescriberOrPatient)?;
				ensure!(
					Self::patient_commitment(&patient, &salt) == cancelled.patient_commitment,
					Error::<T>::WrongOpening
				);
				ensure!(T::Identity::may_manage_prescriptions(&who, &patient), Error::<T>::NotPrescriberOrPatient);
			}
			match cancelled.status {
				PrescriptionStatus::Active => {},
				PrescriptionStatus::Completed => return Err(Error::<T>::NoFillsLeft.into()),
				PrescriptionStatus::Cancelled { .. } => return Err(Error::<T>::PrescriptionCancelled.into()),
			}
			cancelled.status = PrescriptionStatus::Cancelled { by: who.clone(), at: T::Time::now() };
			Prescriptions::<T>::insert(prescription, cancelled);
			Self::deposit_event(Event::PrescriptionCancelled { prescription, by: who });
			Ok(())
		}

		/// Sets the limits that every new prescription of a controlled substance keeps within.
		/// Prescriptions issued before keep the terms they were issued with.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_controlled_limits())]
		pub fn set_controlled_limits(origin: OriginFor<T>, limits: ControlledLimits) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_regulator(&who), Error::<T>::NotRegulator);
			ensure!(
				limits.max_units_per_fill > 0 &&
					limits.max_units_per_fill <= T::MaxUnitsPerFill::get() &&
					limits.max_refills <= T::MaxRefills::get(),
				Error::<T>::InvalidLimits
			);
			ControlledSubstanceLimits::<T>::put(limits);
			Self::deposit_event(Event::ControlledLimitsSet { limits, by: who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The commitment to `patient` under `salt`: Blake2-256 of the SCALE encoding of
		/// `(patient, salt)`.
		pub fn patient_commitment(patient: &T::AccountId, salt: &Salt) -> H256 {
			<BlakeTwo256 as Hash>::hash_of(&(patient, salt))
		}

		/// The commitment to `quantity` units per fill of `product` under `salt`: Blake2-256 of
		/// the SCALE encoding of `(product, quantity, salt)`.
		pub fn item_commitment(product: &T::ProductCode, quantity: u32, salt: &Salt) -> H256 {
			<BlakeTwo256 as Hash>::hash_of(&(product, quantity, salt))
		}

		/// Checks that the index by MedicationRequest agrees with the prescriptions and that
		/// fills and statuses agree: the pallet's `try_state`, also run by its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let next = NextPrescriptionId::<T>::get();
			let mut count = 0usize;
			for (id, prescription) in Prescriptions::<T>::iter() {
				count += 1;
				ensure!(id < next, "a prescription id is not below NextPrescriptionId");
				ensure!(
					PrescriptionsByRequest::<T>::contains_key(prescription.medication_request_hash, id),
					"a prescription is not indexed under its MedicationRequest"
				);
				ensure!(!prescription.item_commitment.is_zero(), "a prescription commits to no item");
				ensure!(prescription.fills <= prescription.refills + 1, "more fills than allowed");
				ensure!(
					(prescription.fills == 0) == prescription.last_filled_at.is_none(),
					"a last fill recorded without fills, or fills without one"
				);
				let complete = prescription.fills == prescription.refills + 1;
				match prescription.status {
					PrescriptionStatus::Completed => ensure!(complete, "completed before its last fill"),
					_ => ensure!(!complete, "every fill dispensed but not completed"),
				}
			}
			for (request, id, ()) in PrescriptionsByRequest::<T>::iter() {
				ensure!(
					Prescriptions::<T>::get(id).is_some_and(|p| p.medication_request_hash == request),
					"the index names a prescription of another MedicationRequest, or none"
				);
				count = count.checked_sub(1).ok_or("more index entries than prescriptions")?;
			}
			ensure!(count == 0, "fewer index entries than prescriptions");
			Ok(())
		}
	}
}
