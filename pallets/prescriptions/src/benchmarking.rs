//! Benchmarks of the prescriptions pallet's calls, each in its worst case: controlled
//! products (one more authorisation to check), a fill of as many units as allowed, and a
//! cancellation by the patient opening the patient commitment (asked after the prescriber).

use super::*;
use crate::Pallet as PrescriptionsPallet;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use sp_core::H256;

const FAR_FUTURE: Moment = u64::MAX / 2;
const PATIENT_SALT: Salt = [0xa5; 32];
const ITEM_SALT: Salt = [0x5a; 32];

/// A patient, a prescriber allowed controlled substances, and a pharmacist at a pharmacy with
/// `units` units of a controlled product; and a prescription of `quantity` of those units.
fn prescribed<T: Config>(
	units: u32,
	quantity: u32,
) -> (T::AccountId, T::AccountId, T::OrganisationId, T::ProductCode, Vec<T::SerialNumber>) {
	let patient: T::AccountId = account("patient", 0, 0);
	let prescriber: T::AccountId = account("prescriber", 0, 0);
	let pharmacist: T::AccountId = account("pharmacist", 0, 0);
	T::BenchmarkHelper::register_patient(&patient);
	T::BenchmarkHelper::make_prescriber(&prescriber);
	// Limits as wide as the pallet allows, so that the worst case (a controlled product, the
	// most units and refills) may be prescribed.
	ControlledSubstanceLimits::<T>::put(ControlledLimits {
		max_refills: T::MaxRefills::get(),
		max_units_per_fill: T::MaxUnitsPerFill::get(),
		min_refill_interval: 1,
	});
	let (pharmacy, product, serials) = T::BenchmarkHelper::stocked_pharmacy(&pharmacist, units);
	if quantity > 0 {
		PrescriptionsPallet::<T>::issue_prescription(
			RawOrigin::Signed(prescriber.clone()).into(),
			PrescriptionsPallet::<T>::patient_commitment(&patient, &PATIENT_SALT),
			H256::repeat_byte(1),
			PrescriptionsPallet::<T>::item_commitment(&product, quantity, &ITEM_SALT),
			true,
			T::MaxRefills::get(),
			1,
			0,
			FAR_FUTURE,
		)
		.expect("the prescriber prescribes");
	}
	(patient, pharmacist, pharmacy, product, serials)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn issue_prescription() {
		let (patient, _, _, product, _) = prescribed::<T>(0, 0);
		let prescriber: T::AccountId = account("prescriber", 0, 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(prescriber),
			PrescriptionsPallet::<T>::patient_commitment(&patient, &PATIENT_SALT),
			H256::repeat_byte(1),
			PrescriptionsPallet::<T>::item_commitment(&product, T::MaxUnitsPerFill::get(), &ITEM_SALT),
			true,
			T::MaxRefills::get(),
			1,
			0,
			FAR_FUTURE,
		);
		assert!(Prescriptions::<T>::contains_key(0));
	}

	/// A refill of `n` units (the interval since the first fill checked), decommissioned by
	/// the dispensary.
	#[benchmark]
	fn dispense_prescription(n: Linear<1, { T::MaxUnitsPerFill::get() }>) {
		let (_, pharmacist, pharmacy, product, serials) = prescribed::<T>(n, n);
		Prescriptions::<T>::mutate(0, |p| {
			let p = p.as_mut().expect("prescribed");
			p.fills = 1;
			p.last_filled_at = Some(0);
			// Due now whatever the benchmark's clock reads; the check costs the same.
			p.refill_interval = 0;
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(pharmacist), 0, pharmacy, product, ITEM_SALT, serials);
		assert_eq!(Prescriptions::<T>::get(0).unwrap().fills, 2);
	}

	#[benchmark]
	fn cancel_prescription() {
		let (patient, _, _, _, _) = prescribed::<T>(1, 1);
		let opening = Some((patient.clone(), PATIENT_SALT));
		#[extrinsic_call]
		_(RawOrigin::Signed(patient), 0, opening);
		assert!(matches!(Prescriptions::<T>::get(0).unwrap().status, PrescriptionStatus::Cancelled { .. }));
	}

	#[benchmark]
	fn set_controlled_limits() {
		let regulator: T::AccountId = account("regulator", 0, 0);
		T::BenchmarkHelper::make_regulator(&regulator);
		let limits = ControlledLimits { max_refills: 0, max_units_per_fill: 1, min_refill_interval: 1 };
		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), limits);
		assert_eq!(ControlledSubstanceLimits::<T>::get(), limits);
	}

	impl_benchmark_test_suite!(PrescriptionsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
