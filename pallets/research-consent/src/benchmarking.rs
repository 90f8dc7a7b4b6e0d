//! Benchmarks of the research-consent pallet's calls, each in its worst case: every modifier
//! and record type, the most approved researchers, the most standing consents to look
//! through, consent changes that end every access a participant has, and the most releases
//! in one log.

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
	participant: T::AccountId,
	study: StudyId,
}

/// A researcher's approved study of [`undertakings`] needing every record type, and a
/// registered participant.
fn setup<T: Config>() -> Setup<T> {
	let researcher: T::AccountId = account("researcher", 0, 0);
	let reviewer: T::AccountId = account("reviewer", 0, 0);
	let participant: T::AccountId = account("participant", 0, 0);
	let institute = T::BenchmarkHelper::research_institute(&researcher);
	let board = T::BenchmarkHelper::ethics_board(&reviewer);
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
	Setup { researcher, institute, reviewer, participant, study }
}

/// The participant's standing consents: `count - 1` that do not cover the study, then one that
/// does (the last one looked at). Returns the covering one.
fn standing_consents<T: Config>(s: &Setup<T>, count: u32) -> ConsentId {
	for _ in 1..count {
		give::<T>(s, ConsentScope::Standing(not_covering()));
	}
	give::<T>(s, ConsentScope::Standing(covering()))
}

fn give<T: Config>(s: &Setup<T>, scope: ConsentScope) -> ConsentId {
	Pallet::<T>::give_consent(
		RawOrigin::Signed(s.participant.clone()).into(),
		scope,
		T::BenchmarkHelper::record_types(),
		None,
	)
	.expect("the participant consents");
	NextConsentId::<T>::get() - 1
}

/// `count` researchers of the institute, each granted access to the participant's records.
fn accesses<T: Config>(s: &Setup<T>, count: u32) {
	for i in 0..count {
		let researcher: T::AccountId = account("colleague", i, 0);
		T::BenchmarkHelper::add_researcher(&researcher, s.institute);
		Pallet::<T>::request_access(RawOrigin::Signed(researcher).into(), s.study, s.participant.clone())
			.expect("a researcher asks");
	}
	assert_eq!(AccessCount::<T>::get(&s.participant), count);
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
	fn give_consent(a: Linear<0, { T::MaxAccessesPerParticipant::get() }>) {
		let s = setup::<T>();
		standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, a);
		let first = T::BenchmarkHelper::record_types()[..1].to_vec();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.participant.clone()), ConsentScope::Study(s.study), first, Some(FAR_FUTURE));
		assert_eq!(AccessCount::<T>::get(&s.participant), 0);
	}

	/// `a` accesses under the consent, each ended by narrowing its record types.
	#[benchmark]
	fn narrow_consent(a: Linear<0, { T::MaxAccessesPerParticipant::get() }>) {
		let s = setup::<T>();
		let consent = standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, a);
		let first = T::BenchmarkHelper::record_types()[..1].to_vec();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.participant.clone()), consent, Some(covering()), first, Some(FAR_FUTURE));
		assert_eq!(Consents::<T>::get(consent).unwrap().version, 1);
		assert_eq!(AccessCount::<T>::get(&s.participant), 0);
	}

	/// `a` accesses under the consent, each ended by the withdrawal.
	#[benchmark]
	fn withdraw_consent(a: Linear<0, { T::MaxAccessesPerParticipant::get() }>) {
		let s = setup::<T>();
		let consent = standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, a);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.participant.clone()), consent);
		assert!(Consents::<T>::get(consent).unwrap().withdrawn_in.is_some());
		assert_eq!(AccessCount::<T>::get(&s.participant), 0);
	}

	/// Granted on the last of the most standing consents, taking the last free access.
	#[benchmark]
	fn request_access() {
		let s = setup::<T>();
		standing_consents::<T>(&s, T::MaxStandingConsents::get());
		accesses::<T>(&s, T::MaxAccessesPerParticipant::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.researcher.clone()), s.study, s.participant.clone());
		assert!(Accesses::<T>::contains_key(&s.participant, &s.researcher));
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
		_(RawOrigin::Signed(s.reviewer), s.participant.clone(), colleague.clone());
		assert!(!Accesses::<T>::contains_key(&s.participant, &colleague));
	}

	/// `r` releases, each to a new entry of a participant's log.
	#[benchmark]
	fn log_releases(r: Linear<1, { T::MaxReleasesPerLog::get() }>) {
		let s = setup::<T>();
		let vault: T::AccountId = account("vault", 0, 0);
		T::BenchmarkHelper::custodian(&vault);
		let releases: Vec<ReleaseOf<T>> = (0..r)
			.map(|i| Release {
				participant: account("participant", i, 0),
				researcher: s.researcher.clone(),
				study: s.study,
				records: u32::MAX,
				digest: H256::repeat_byte(7),
			})
			.collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(vault), releases);
		assert_eq!(ReleaseLogLength::<T>::get(account::<T::AccountId>("participant", r - 1, 0)), 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
