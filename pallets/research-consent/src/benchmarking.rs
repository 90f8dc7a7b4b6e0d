//! Benchmarks of the research-consent pallet's calls, each in its worst case: every modifier
//! and record type, the most approved researchers, the most standing consents to look
//! through, and consent changes that end every access the patient's records have.

use super::*;
use alloc::{vec, vec::Vec};
use duo::{
	Modifier::*, MAX_DISEASE_CODE_LENGTH, MAX_REGION_CODE_LENGTH, MAX_RESEARCH_TYPE_LENGTH,
};
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use sp_core::H256;

/// Far enough ahead that nothing ends during a benchmark.
const FAR_FUTURE: Moment = u64::MAX / 2;

/// Terms with the longest disease code and every modifier (but a user-specific restriction,
/// if `restricted` is false), all with the longest codes.
fn undertakings(restricted: bool) -> DataUse {
	let mut modifiers = vec![
		NotForProfitUse,
		NonCommercialUse,
		PublicationRequired,
		CollaborationRequired,
		EthicsApprovalRequired,
		GeographicalRestriction(BoundedVec::truncate_from(vec![b'C'; MAX_REGION_CODE_LENGTH as usize])),
		PublicationMoratorium(FAR_FUTURE),
		TimeLimitOnUse(FAR_FUTURE),
		ResearchSpecificRestriction(BoundedVec::truncate_from(vec![b'r'; MAX_RESEARCH_TYPE_LENGTH as usize])),
	];
	if restricted {
		modifiers.push(UserSpecificRestriction);
	}
	DataUse::new(disease(), modifiers).expect("one of each kind")
}

fn disease() -> Purpose {
	let mut code = vec![b'1'; MAX_DISEASE_CODE_LENGTH as usize];
	code[0] = b'C';
	Purpose::DiseaseSpecific(BoundedVec::truncate_from(code))
}

/// Consent terms that cover the study of [`undertakings`]`(false)`, with every condition it
/// could check.
fn covering() -> DataUse {
	let DataUse { modifiers, .. } = undertakings(false);
	DataUse { purpose: Purpose::HealthMedicalBiomedical, modifiers }
}

/// Consent terms that do not cover that study, found out only at the last condition.
fn not_covering() -> DataUse {
	let mut terms = covering();
	terms.modifiers.retain(|m| !matches!(m, ResearchSpecificRestriction(_)));
	terms
		.modifiers
		.try_push(ResearchSpecificRestriction(BoundedVec::truncate_from(vec![b'x'; MAX_RESEARCH_TYPE_LENGTH as usize])))
		.expect("one was removed");
	terms
}

struct Setup<T: Config> {
	researcher: T::AccountId,
	institute: T::OrganisationId,
	reviewer: T::AccountId,
	patient: T::AccountId,
	study: StudyId,
}

/// A researcher's approved study of [`undertakings`] needing every record type, and a
/// registered patient.
fn setup<T: Config>() -> Setup<T> {
	let researcher: T::AccountId = account("researcher", 0, 0);
	let reviewer: T::AccountId = account("reviewer", 0, 0);
	let patient: T::AccountId = account("patient", 0, 0);
	let institute = T::BenchmarkHelper::research_institute(&researcher);
	let board = T::BenchmarkHelper::ethics_board(&reviewer);
	T::BenchmarkHelper::register_patient(&patient);
	let study = NextStudyId::<T>::get();
	Pallet::<T>::register_study(
		RawOrigin::Signed(researcher.clone()).into(),
		institute,
		H256::repeat_byte(1),
		vec![b's'; MAX_SPONSOR_LENGTH as usize],
		undertakings(false),
		T::BenchmarkHelper::record_types(),
		0,
		FAR_FUTURE,
		vec![],
	)
	.expect("a researcher registers a study");
	Pallet::<T>::approve_study(RawOrigin::Signed(reviewer.clone()).into(), study, board).expect("a board approves");
	Setup { researcher, institute, reviewer, patient, study }
}

/// The patient's standing consents: `count - 1` that do not cover the study, then one that
/// does (the last one looked at). Returns the covering one.
fn standing_consents<T: Config>(s: &Setup<T>, count: u32) -> ConsentId {
	for _ in 1..count {
		give::<T>(s, ConsentScope::Standing(not_covering()));
	}
	give::<T>(s, ConsentScope::Standing(covering()))
}

fn give<T: Config>(s: &Setup<T>, scope: ConsentScope) -> ConsentId {
	Pallet::<T>::give_consent(
		RawOrigin::Signed(s.patient.clone()).into(),
		s.patient.clone(),
		scope,
		T::BenchmarkHelper::record_types(),
		None,
	)
	.expect("the patient consents");
	NextConsentId::<T>::get() - 1
}

/// `count` researchers of the institute, each granted access to the patient's records.
fn accesses<T: Config>(s: &Setup<T>, count: u32) {
	for i in 0..count {
		let researcher: T::AccountId = account("colleague", i, 0);
		T::BenchmarkHelper::add_researcher(&researcher, s.institute);
		Pallet::<T>::request_access(RawOrigin::Signed(researcher).into(), s.study, s.patient.clone())
			.expect("a researcher asks");
	}
	assert_eq!(AccessCount::<T>::get(&s.patient), count);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `r` approved researchers (a user-specific restriction when there are any).
	#[benchmark]
	fn register_study(r: Linear<0, { T::MaxApprovedResearchers::get() }>) {
		let researcher: T::AccountId = account("researcher", 0, 0);
		let institute = T::BenchmarkHelper::research_institute(&researcher);
		let approved: Vec<T::AccountId> = (0..r)
			.map(|i| {
				let colleague: T::AccountId = account("approved", i, 0);
				T::BenchmarkHelper::add_researcher(&colleague, institute);
				colleague
			})
			.collect();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(researcher),
			institute,
			H256::repeat_byte(1),
			vec![b's'; MAX_SPONSOR_LENGTH as usize],
			undertakings(r > 0),
			T::BenchmarkHelper::record_types(),
			0,
			FAR_FUTURE,
			approved,
		);
		assert!(Studies::<T>::contains_key(0));
	}

	#[benchmark]
	fn approve_study() {
		let researcher: T::AccountId = account("researcher", 0, 0);
		let reviewer: T::AccountId = account("reviewer", 0, 0);
		let institute = T::BenchmarkHelper::research_institute(&researcher);
		let board = T::BenchmarkHelper::ethics_board(&reviewer);
		Pallet::<T>::register_study(
			RawOrigin::Signed(researcher).into(),
			institute,
			H256::repeat_byte(1),
			vec![b's'],
			undertakings(false),
			T::BenchmarkHelper::record_types(),
			0,
			FAR_FUTURE,
			vec![],
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(reviewer), 0, board);
		assert!(matches!(Studies::<T>::get(0).unwrap().status, StudyStatus::Approved { .. }));
	}

	#[benchmark]
	fn suspend_study() {
		let s = setup::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.reviewer), s.study, SuspensionReason::DataMisuse);
		assert!(matches!(Studies::<T>::get(s.study).unwrap().status, StudyStatus::Suspended { .. }));
	}

	/// `a` accesses under a standing consent, each ended by the new, narrower consent to their
	/// study.
	#[benchmark]
	fn give_consent(a: Linear<0, { T::MaxAccessesPerPatient::get() }>) {
		let s = setup::<T>();
		standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, a);
		let first = T::BenchmarkHelper::record_types()[..1].to_vec();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), s.patient.clone(), ConsentScope::Study(s.study), first, Some(FAR_FUTURE));
		assert_eq!(AccessCount::<T>::get(&s.patient), 0);
	}

	/// `a` accesses under the consent, each ended by narrowing its record types.
	#[benchmark]
	fn narrow_consent(a: Linear<0, { T::MaxAccessesPerPatient::get() }>) {
		let s = setup::<T>();
		let consent = standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, a);
		let first = T::BenchmarkHelper::record_types()[..1].to_vec();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), consent, Some(covering()), first, Some(FAR_FUTURE));
		assert_eq!(Consents::<T>::get(consent).unwrap().version, 1);
		assert_eq!(AccessCount::<T>::get(&s.patient), 0);
	}

	/// `a` accesses under the consent, each ended by the withdrawal.
	#[benchmark]
	fn withdraw_consent(a: Linear<0, { T::MaxAccessesPerPatient::get() }>) {
		let s = setup::<T>();
		let consent = standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, a);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), consent);
		assert!(Consents::<T>::get(consent).unwrap().withdrawn_in.is_some());
		assert_eq!(AccessCount::<T>::get(&s.patient), 0);
	}

	/// Granted on the last of the most standing consents, taking the last free access.
	#[benchmark]
	fn request_access() {
		let s = setup::<T>();
		standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, T::MaxAccessesPerPatient::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.researcher.clone()), s.study, s.patient.clone());
		assert!(Accesses::<T>::contains_key(&s.patient, &s.researcher));
	}

	/// Ended by a third party once the study is suspended.
	#[benchmark]
	fn end_access() {
		let s = setup::<T>();
		standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, 1);
		Pallet::<T>::suspend_study(RawOrigin::Signed(s.reviewer.clone()).into(), s.study, SuspensionReason::DataMisuse)
			.unwrap();
		let colleague: T::AccountId = account("colleague", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.reviewer), s.patient.clone(), colleague.clone());
		assert!(!Accesses::<T>::contains_key(&s.patient, &colleague));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
