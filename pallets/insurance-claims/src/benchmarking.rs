//! Benchmarks of the claims pallet's calls, each in its worst case: reason codes as long and
//! as many as allowed, partial approvals with every adjustment, decisions on appeal.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use sp_core::H256;

const FAR_FUTURE: Moment = u64::MAX / 2;

/// An insurer and a provider with their claims officers, and a patient covered from 0.
fn covered<T: Config>() -> (T::AccountId, T::OrganisationId, T::AccountId, T::OrganisationId, T::AccountId) {
	let adjuster: T::AccountId = account("adjuster", 0, 0);
	let biller: T::AccountId = account("biller", 0, 0);
	let patient: T::AccountId = account("patient", 0, 0);
	let insurer = T::BenchmarkHelper::insurer(&adjuster);
	let provider = T::BenchmarkHelper::provider(&biller);
	T::BenchmarkHelper::register_patient(&patient);
	Pallet::<T>::register_coverage(
		RawOrigin::Signed(adjuster.clone()).into(),
		insurer,
		patient.clone(),
		H256::repeat_byte(1),
		vec![b'P'; MAX_PLAN_LENGTH as usize],
		0,
		FAR_FUTURE,
	)
	.expect("the insurer covers the patient");
	(adjuster, insurer, biller, provider, patient)
}

/// A claim, submitted with a new claim document; returns its id.
fn claim<T: Config>(biller: &T::AccountId, provider: T::OrganisationId, patient: &T::AccountId) -> ClaimId {
	let document = T::BenchmarkHelper::claim_document(patient, biller, provider);
	Pallet::<T>::submit_claim(
		RawOrigin::Signed(biller.clone()).into(),
		provider,
		0,
		document,
		0,
		1_000_000,
		H256::repeat_byte(2),
		Some(H256::repeat_byte(3)),
	)
	.expect("the provider claims");
	NextClaimId::<T>::get() - 1
}

/// A partial approval with every adjustment the runtime allows.
fn partial<T: Config>() -> Decision {
	let n = T::MaxAdjustments::get() as u128;
	Decision::PartiallyApprove {
		allowed: 1_000_000 - n,
		adjustments: (0..n).map(|_| (vec![b'R'; MAX_REASON_LENGTH as usize], 1)).collect(),
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_coverage() {
		let (adjuster, insurer, _, _, patient) = covered::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(adjuster),
			insurer,
			patient,
			H256::repeat_byte(1),
			vec![b'P'; MAX_PLAN_LENGTH as usize],
			0,
			FAR_FUTURE,
		);
		assert_eq!(NextCoverageId::<T>::get(), 2);
	}

	#[benchmark]
	fn end_coverage() {
		let (adjuster, _, _, _, _) = covered::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(adjuster), 0);
		assert!(Coverages::<T>::get(0).unwrap().ends_at < FAR_FUTURE);
	}

	#[benchmark]
	fn submit_claim() {
		let (_, _, biller, provider, patient) = covered::<T>();
		let document = T::BenchmarkHelper::claim_document(&patient, &biller, provider);
		#[extrinsic_call]
		_(RawOrigin::Signed(biller), provider, 0, document, 0, 1_000_000, H256::repeat_byte(2), Some(H256::repeat_byte(3)));
		assert!(Claims::<T>::contains_key(0));
	}

	/// A partial approval, with every adjustment, of an appeal.
	#[benchmark]
	fn adjudicate_claim() {
		let (adjuster, _, biller, provider, patient) = covered::<T>();
		let id = claim::<T>(&biller, provider, &patient);
		Pallet::<T>::adjudicate_claim(RawOrigin::Signed(adjuster.clone()).into(), id, Decision::Deny { reason: b"CO-50".to_vec() })
			.unwrap();
		let appeal = T::BenchmarkHelper::claim_document(&patient, &biller, provider);
		Pallet::<T>::appeal_claim(RawOrigin::Signed(biller).into(), id, appeal).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(adjuster), id, partial::<T>());
		assert_eq!(Claims::<T>::get(id).unwrap().status, ClaimStatus::PartiallyApproved);
	}

	#[benchmark]
	fn mark_paid() {
		let (adjuster, _, biller, provider, patient) = covered::<T>();
		let id = claim::<T>(&biller, provider, &patient);
		Pallet::<T>::adjudicate_claim(RawOrigin::Signed(adjuster.clone()).into(), id, partial::<T>()).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(adjuster), id, H256::repeat_byte(5));
		assert_eq!(Claims::<T>::get(id).unwrap().status, ClaimStatus::Paid);
	}

	#[benchmark]
	fn appeal_claim() {
		let (adjuster, _, biller, provider, patient) = covered::<T>();
		let id = claim::<T>(&biller, provider, &patient);
		Pallet::<T>::adjudicate_claim(RawOrigin::Signed(adjuster).into(), id, partial::<T>()).unwrap();
		let appeal = T::BenchmarkHelper::claim_document(&patient, &biller, provider);
		#[extrinsic_call]
		_(RawOrigin::Signed(biller), id, appeal);
		assert_eq!(Claims::<T>::get(id).unwrap().status, ClaimStatus::Appealed);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
