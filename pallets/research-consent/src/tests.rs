//! Tests of the research-consent pallet: DUO's matching rules case by case, every call's
//! success, each of its errors and each refused caller, and the flow of the issue (register,
//! approve, consent, request granted, withdraw, request refused). Every test ends with the
//! pallet's `try_state` check.

use crate::{duo::*, mock::*, *};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::Hooks, BoundedVec};
use sp_core::H256;
use sp_runtime::DispatchError;

const PARTICIPANT: AccountId = 1;
const OTHER_PARTICIPANT: AccountId = 2;
const GUARDIAN: AccountId = 3;
/// A registered patient, who consented under its own account before participants existed.
const PATIENT: AccountId = 4;
const RESEARCHER: AccountId = 10;
const COLLEAGUE: AccountId = 11;
const OUTSIDER: AccountId = 12;
const REVIEWER: AccountId = 20;
const OTHER_REVIEWER: AccountId = 21;
const VAULT: AccountId = 30;
const STRANGER: AccountId = 99;

const INSTITUTE: OrganisationId = 600;
const OTHER_INSTITUTE: OrganisationId = 601;
const BOARD: OrganisationId = 700;
const OTHER_BOARD: OrganisationId = 701;
const CUSTODIAN: OrganisationId = 800;

const DAY: Moment = 24 * 3_600_000;
const YEAR: Moment = 365 * DAY;

use Modifier::*;
use RecordType::{Condition, MedicationStatement, Observation};

type DispatchResult = Result<(), DispatchError>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn ds(code: &str) -> Purpose {
	Purpose::DiseaseSpecific(BoundedVec::truncate_from(code.as_bytes().to_vec()))
}

fn region(code: &str) -> RegionCode {
	BoundedVec::truncate_from(code.as_bytes().to_vec())
}

fn research_type(code: &str) -> ResearchType {
	BoundedVec::truncate_from(code.as_bytes().to_vec())
}

/// Terms of `purpose` with `modifiers`, in any order.
fn terms(purpose: Purpose, modifiers: Vec<Modifier>) -> DataUse {
	DataUse::new(purpose, modifiers).expect("at most one of each kind")
}

/// Terms as a call would pass them: in the given order, duplicates kept.
fn raw_terms(purpose: Purpose, modifiers: Vec<Modifier>) -> DataUse {
	DataUse { purpose, modifiers: BoundedVec::truncate_from(modifiers) }
}

fn hmb() -> DataUse {
	terms(Purpose::HealthMedicalBiomedical, vec![])
}

/// Two participants (accounts with no identity), a registered patient and its guardian, two
/// researchers of the institute and one of another, a reviewer of each of two ethics boards,
/// and the vault of a custodian organisation.
fn consortium() {
	world(|w| {
		w.identified.extend([PATIENT, GUARDIAN, RESEARCHER, COLLEAGUE, OUTSIDER, REVIEWER, OTHER_REVIEWER, VAULT]);
		w.guardians.insert((GUARDIAN, PATIENT));
		w.researchers.extend([(RESEARCHER, INSTITUTE), (COLLEAGUE, INSTITUTE), (OUTSIDER, OTHER_INSTITUTE)]);
		w.reviewers.extend([(REVIEWER, BOARD), (OTHER_REVIEWER, OTHER_BOARD)]);
		w.vaults.insert(VAULT, CUSTODIAN);
	});
}

fn run(test: impl FnOnce()) {
	run_test(|| {
		consortium();
		test();
	})
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::ResearchConsent(e) = r.event { Some(e) } else { None })
		.collect()
}

fn last_event() -> Event<Test> {
	events().pop().expect("a research-consent event")
}

fn register_with(
	data_use: DataUse,
	record_types: Vec<RecordType>,
	period: (Moment, Moment),
	approved: Vec<AccountId>,
) -> DispatchResult {
	ResearchConsent::register_study(
		signed(RESEARCHER),
		INSTITUTE,
		H256::repeat_byte(1),
		b"Helvetic Cardiology Foundation".to_vec(),
		data_use,
		record_types,
		period.0,
		period.1,
		approved,
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// Registers a study of `data_use` needing observations and conditions for a year.
fn register(data_use: DataUse) -> StudyId {
	assert_ok!(register_with(data_use, vec![Observation, Condition], (NOW, NOW + YEAR), vec![]));
	NextStudyId::<Test>::get() - 1
}

/// Registers a study of `data_use` and has the board approve it.
fn approved_study(data_use: DataUse) -> StudyId {
	let study = register(data_use);
	assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD));
	study
}

fn give(scope: ConsentScope, record_types: Vec<RecordType>, expires_at: Option<Moment>) -> ConsentId {
	assert_ok!(ResearchConsent::give_consent(signed(PARTICIPANT), scope, record_types, expires_at));
	NextConsentId::<Test>::get() - 1
}

fn standing(data_use: DataUse) -> ConsentId {
	give(ConsentScope::Standing(data_use), vec![Observation, Condition], None)
}

fn request(who: AccountId, study: StudyId) -> DispatchResult {
	ResearchConsent::request_access(signed(who), study, PARTICIPANT)
}

/// Requests access as the researcher, and returns the refusal recorded, if any.
fn refusal_of(study: StudyId) -> Option<Refusal> {
	assert_ok!(request(RESEARCHER, study));
	match last_event() {
		Event::AccessRefused { reason, .. } => Some(reason),
		Event::AccessGranted { .. } => None,
		other => panic!("a consent check records its outcome, not {other:?}"),
	}
}

/// The record types and end of `researcher`'s research access to the participant's records.
fn granted(researcher: AccountId) -> Option<(Vec<RecordType>, Moment)> {
	Accesses::<Test>::get(PARTICIPANT, researcher).map(|access| (access.record_types.to_vec(), access.until))
}

/// A standing consent to any health research under the registered patient's own account, as
/// the runtime recorded consents before participants existed (given here while the account
/// is taken for one without identity).
fn legacy_standing_consent() -> ConsentId {
	world(|w| w.identified.remove(&PATIENT));
	assert_ok!(ResearchConsent::give_consent(signed(PATIENT), ConsentScope::Standing(hmb()), vec![Observation, Condition], None));
	world(|w| w.identified.insert(PATIENT));
	NextConsentId::<Test>::get() - 1
}

/// A release of `records` of `participant`'s records to the researcher for `study`.
fn release(participant: AccountId, study: StudyId, records: u32) -> ReleaseOf<Test> {
	Release { participant, researcher: RESEARCHER, study, records, digest: H256::repeat_byte(9) }
}

mod duo_matching {
	use super::*;
	use Purpose::*;

	#[test]
	fn purposes_follow_the_hierarchy() {
		// (consented, studied, permitted?)
		let table = [
			(GeneralResearchUse, GeneralResearchUse, Ok(())),
			(GeneralResearchUse, HealthMedicalBiomedical, Ok(())),
			(GeneralResearchUse, ds("C50"), Ok(())),
			(GeneralResearchUse, PopulationOriginsAncestry, Ok(())),
			(HealthMedicalBiomedical, GeneralResearchUse, Err(Mismatch::PurposeNotCovered)),
			(HealthMedicalBiomedical, HealthMedicalBiomedical, Ok(())),
			(HealthMedicalBiomedical, ds("E11"), Ok(())),
			(HealthMedicalBiomedical, PopulationOriginsAncestry, Err(Mismatch::PurposeNotCovered)),
			(ds("C50"), GeneralResearchUse, Err(Mismatch::PurposeNotCovered)),
			(ds("C50"), HealthMedicalBiomedical, Err(Mismatch::PurposeNotCovered)),
			(ds("C50"), ds("C50"), Ok(())),
			(ds("C50"), ds("C50.9"), Ok(())),
			(ds("C50.9"), ds("C50"), Err(Mismatch::DiseaseNotCovered)),
			(ds("C50"), ds("E11"), Err(Mismatch::DiseaseNotCovered)),
			(ds("C50"), PopulationOriginsAncestry, Err(Mismatch::PurposeNotCovered)),
			(PopulationOriginsAncestry, PopulationOriginsAncestry, Ok(())),
			(PopulationOriginsAncestry, GeneralResearchUse, Err(Mismatch::PurposeNotCovered)),
			(PopulationOriginsAncestry, HealthMedicalBiomedical, Err(Mismatch::PurposeNotCovered)),
			(PopulationOriginsAncestry, ds("C50"), Err(Mismatch::PurposeNotCovered)),
		];
		for (consented, studied, expected) in table {
			assert_eq!(consented.covers(&studied), expected, "{consented:?} for {studied:?}");
			let consent = terms(consented.clone(), vec![]);
			assert_eq!(consent.permits(&terms(studied.clone(), vec![]), true, NOW), expected);
		}
	}

	#[test]
	fn each_condition_needs_its_undertaking() {
		let now = NOW;
		// (consent's condition, study's undertakings, ethics approved, permitted?)
		let table = [
			(NotForProfitUse, vec![NotForProfitUse], true, Ok(())),
			(NotForProfitUse, vec![], true, Err(Mismatch::NotForProfitRequired)),
			(NotForProfitUse, vec![NonCommercialUse], true, Err(Mismatch::NotForProfitRequired)),
			(NonCommercialUse, vec![NonCommercialUse], true, Ok(())),
			(NonCommercialUse, vec![NotForProfitUse], true, Err(Mismatch::NonCommercialRequired)),
			(PublicationRequired, vec![PublicationRequired], true, Ok(())),
			(PublicationRequired, vec![], true, Err(Mismatch::PublicationRequired)),
			(CollaborationRequired, vec![CollaborationRequired], true, Ok(())),
			(CollaborationRequired, vec![PublicationRequired], true, Err(Mismatch::CollaborationRequired)),
			(EthicsApprovalRequired, vec![], true, Ok(())),
			(EthicsApprovalRequired, vec![EthicsApprovalRequired], false, Err(Mismatch::EthicsApprovalRequired)),
			(GeographicalRestriction(region("CH")), vec![GeographicalRestriction(region("CH"))], true, Ok(())),
			(
				GeographicalRestriction(region("CH")),
				vec![GeographicalRestriction(region("DE"))],
				true,
				Err(Mismatch::OutsideRegion),
			),
			(GeographicalRestriction(region("CH")), vec![], true, Err(Mismatch::OutsideRegion)),
			(PublicationMoratorium(now + YEAR), vec![PublicationMoratorium(now + YEAR)], true, Ok(())),
			(PublicationMoratorium(now + YEAR), vec![PublicationMoratorium(now + 2 * YEAR)], true, Ok(())),
			(
				PublicationMoratorium(now + YEAR),
				vec![PublicationMoratorium(now + DAY)],
				true,
				Err(Mismatch::MoratoriumTooShort),
			),
			(PublicationMoratorium(now + YEAR), vec![], true, Err(Mismatch::MoratoriumTooShort)),
			(TimeLimitOnUse(now + DAY), vec![], true, Ok(())),
			(TimeLimitOnUse(now), vec![], true, Err(Mismatch::TimeLimitPassed)),
			(TimeLimitOnUse(now - DAY), vec![TimeLimitOnUse(now + YEAR)], true, Err(Mismatch::TimeLimitPassed)),
			(UserSpecificRestriction, vec![UserSpecificRestriction], true, Ok(())),
			(UserSpecificRestriction, vec![], true, Err(Mismatch::ApprovedResearchersRequired)),
			(
				ResearchSpecificRestriction(research_type("cardiology")),
				vec![ResearchSpecificRestriction(research_type("cardiology"))],
				true,
				Ok(()),
			),
			(
				ResearchSpecificRestriction(research_type("cardiology")),
				vec![ResearchSpecificRestriction(research_type("genomic"))],
				true,
				Err(Mismatch::ResearchTypeNotCovered),
			),
			(ResearchSpecificRestriction(research_type("cardiology")), vec![], true, Err(Mismatch::ResearchTypeNotCovered)),
		];
		for (condition, undertakings, approved, expected) in table {
			let consent = terms(Purpose::GeneralResearchUse, vec![condition.clone()]);
			let study = terms(Purpose::HealthMedicalBiomedical, undertakings.clone());
			assert_eq!(consent.permits(&study, approved, now), expected, "{condition:?} against {undertakings:?}");
		}
	}

	#[test]
	fn undertakings_beyond_the_conditions_never_prevent_a_match() {
		let consent = terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse]);
		let study = terms(
			ds("I21"),
			vec![
				NotForProfitUse,
				NonCommercialUse,
				PublicationRequired,
				CollaborationRequired,
				GeographicalRestriction(region("CH")),
				UserSpecificRestriction,
			],
		);
		assert_eq!(consent.permits(&study, true, NOW), Ok(()));
		// The purpose is checked before the conditions.
		let narrow = terms(ds("C50"), vec![PublicationRequired]);
		assert_eq!(narrow.permits(&study, true, NOW), Err(Mismatch::DiseaseNotCovered));
	}

	#[test]
	fn narrower_terms_are_within_the_old_ones() {
		let before = terms(
			Purpose::HealthMedicalBiomedical,
			vec![NotForProfitUse, PublicationMoratorium(NOW + YEAR), TimeLimitOnUse(NOW + 2 * YEAR)],
		);
		let within = [
			before.clone(),
			terms(ds("C50"), vec![NotForProfitUse, PublicationMoratorium(NOW + YEAR), TimeLimitOnUse(NOW + 2 * YEAR)]),
			terms(
				Purpose::HealthMedicalBiomedical,
				vec![NotForProfitUse, PublicationMoratorium(NOW + 2 * YEAR), TimeLimitOnUse(NOW + YEAR), PublicationRequired],
			),
		];
		for after in within {
			assert!(after.is_within(&before), "{after:?}");
		}
		let broader = [
			terms(Purpose::GeneralResearchUse, vec![NotForProfitUse, PublicationMoratorium(NOW + YEAR), TimeLimitOnUse(NOW + 2 * YEAR)]),
			terms(Purpose::HealthMedicalBiomedical, vec![PublicationMoratorium(NOW + YEAR), TimeLimitOnUse(NOW + 2 * YEAR)]),
			terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse, PublicationMoratorium(NOW + DAY), TimeLimitOnUse(NOW + 2 * YEAR)]),
			terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse, PublicationMoratorium(NOW + YEAR), TimeLimitOnUse(NOW + 3 * YEAR)]),
			terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse, PublicationMoratorium(NOW + YEAR)]),
			terms(Purpose::PopulationOriginsAncestry, vec![NotForProfitUse, PublicationMoratorium(NOW + YEAR), TimeLimitOnUse(NOW + 2 * YEAR)]),
		];
		for after in broader {
			assert!(!after.is_within(&before), "{after:?}");
		}
		let regional = terms(ds("C50"), vec![GeographicalRestriction(region("CH"))]);
		assert!(!terms(ds("C50"), vec![GeographicalRestriction(region("DE"))]).is_within(&regional));
		assert!(!terms(ds("C"), vec![GeographicalRestriction(region("CH"))]).is_within(&regional));
		assert!(terms(ds("C50.1"), vec![GeographicalRestriction(region("CH"))]).is_within(&regional));
	}

	#[test]
	fn malformed_terms_are_named() {
		let cases = [
			(raw_terms(Purpose::GeneralResearchUse, vec![NotForProfitUse, NotForProfitUse]), Malformed::DuplicateModifier),
			(
				raw_terms(Purpose::GeneralResearchUse, vec![TimeLimitOnUse(NOW), TimeLimitOnUse(NOW + 1)]),
				Malformed::DuplicateModifier,
			),
			(raw_terms(ds(""), vec![]), Malformed::DiseaseCode),
			(raw_terms(ds("c50"), vec![]), Malformed::DiseaseCode),
			(raw_terms(ds("50"), vec![]), Malformed::DiseaseCode),
			(raw_terms(ds("C50 9"), vec![]), Malformed::DiseaseCode),
			(raw_terms(Purpose::GeneralResearchUse, vec![GeographicalRestriction(region(""))]), Malformed::RegionCode),
			(raw_terms(Purpose::GeneralResearchUse, vec![GeographicalRestriction(region("ch"))]), Malformed::RegionCode),
			(
				raw_terms(Purpose::GeneralResearchUse, vec![ResearchSpecificRestriction(research_type(""))]),
				Malformed::ResearchType,
			),
			(
				raw_terms(Purpose::GeneralResearchUse, vec![ResearchSpecificRestriction(research_type("a b"))]),
				Malformed::ResearchType,
			),
			(raw_terms(Purpose::GeneralResearchUse, vec![PublicationMoratorium(0)]), Malformed::Moment),
			(raw_terms(Purpose::GeneralResearchUse, vec![TimeLimitOnUse(0)]), Malformed::Moment),
		];
		for (mut malformed, why) in cases {
			assert_eq!(malformed.validate(), Err(why), "{malformed:?}");
		}
		let mut fine = raw_terms(ds("C50.9"), vec![UserSpecificRestriction, NotForProfitUse, GeographicalRestriction(region("US-CA"))]);
		assert_eq!(fine.validate(), Ok(()));
		// Sorted by kind, so that equal terms encode alike.
		assert_eq!(fine.modifiers.iter().map(Modifier::kind).collect::<Vec<_>>(), vec![0, 5, 8]);
	}
}

mod register_study {
	use super::*;

	#[test]
	fn a_researcher_registers_a_study_that_awaits_approval() {
		run(|| {
			let study = register(terms(ds("I21"), vec![PublicationRequired, NotForProfitUse]));
			let registered = Studies::<Test>::get(study).unwrap();
			assert_eq!(registered.status, StudyStatus::AwaitingApproval);
			assert_eq!((registered.institute, registered.principal_investigator), (INSTITUTE, RESEARCHER));
			assert_eq!(registered.record_types.to_vec(), vec![Observation, Condition]);
			assert_eq!(registered.data_use.modifiers.to_vec(), vec![NotForProfitUse, PublicationRequired]);
			assert_eq!(
				last_event(),
				Event::StudyRegistered { study, institute: INSTITUTE, principal_investigator: RESEARCHER }
			);
			let topics = System::events().last().unwrap().topics.clone();
			assert_eq!(topics, vec![ResearchConsent::study_topic(study)]);
			assert_eq!(ResearchConsent::may_use(study, &PARTICIPANT), Err(Refusal::StudyAwaitingApproval));
		});
	}

	#[test]
	fn a_study_under_a_user_specific_restriction_names_its_researchers() {
		run(|| {
			let restricted = terms(Purpose::HealthMedicalBiomedical, vec![UserSpecificRestriction]);
			assert_ok!(register_with(restricted.clone(), vec![Observation], (NOW, NOW + YEAR), vec![COLLEAGUE]));
			let study = NextStudyId::<Test>::get() - 1;
			assert_eq!(Studies::<Test>::get(study).unwrap().approved_researchers.to_vec(), vec![COLLEAGUE]);
			assert_noop!(
				register_with(restricted.clone(), vec![Observation], (NOW, NOW + YEAR), vec![]),
				Error::<Test>::ApprovedResearchersRequired
			);
			assert_noop!(
				register_with(hmb(), vec![Observation], (NOW, NOW + YEAR), vec![COLLEAGUE]),
				Error::<Test>::ApprovedResearchersNotExpected
			);
			assert_noop!(
				register_with(restricted.clone(), vec![Observation], (NOW, NOW + YEAR), vec![OUTSIDER]),
				Error::<Test>::ApprovedResearcherNotAtInstitute
			);
			assert_noop!(
				register_with(restricted.clone(), vec![Observation], (NOW, NOW + YEAR), vec![COLLEAGUE, COLLEAGUE]),
				Error::<Test>::DuplicateResearcher
			);
			assert_noop!(
				register_with(
					restricted,
					vec![Observation],
					(NOW, NOW + YEAR),
					vec![RESEARCHER, COLLEAGUE, OUTSIDER, STRANGER]
				),
				Error::<Test>::TooManyResearchers
			);
		});
	}

	#[test]
	fn refuses_anyone_but_a_researcher_of_the_institute() {
		run(|| {
			for who in [OUTSIDER, REVIEWER, PARTICIPANT, STRANGER] {
				assert_noop!(
					ResearchConsent::register_study(
						signed(who),
						INSTITUTE,
						H256::repeat_byte(1),
						b"Sponsor".to_vec(),
						hmb(),
						vec![Observation],
						NOW,
						NOW + YEAR,
						vec![]
					),
					Error::<Test>::NotResearcher
				);
			}
		});
	}

	#[test]
	fn validates_every_field() {
		run(|| {
			let period = (NOW, NOW + YEAR);
			let with = |hash: H256, sponsor: Vec<u8>| {
				ResearchConsent::register_study(
					signed(RESEARCHER),
					INSTITUTE,
					hash,
					sponsor,
					hmb(),
					vec![Observation],
					NOW,
					NOW + YEAR,
					vec![],
				)
				.map(|_| ())
				.map_err(|e| e.error)
			};
			assert_noop!(with(H256::zero(), b"Sponsor".to_vec()), Error::<Test>::EmptyProtocolHash);
			assert_noop!(with(H256::repeat_byte(1), vec![]), Error::<Test>::InvalidSponsor);
			assert_noop!(with(H256::repeat_byte(1), vec![0xff, 0xfe]), Error::<Test>::InvalidSponsor);
			assert_noop!(with(H256::repeat_byte(1), vec![b'a'; 65]), Error::<Test>::InvalidSponsor);
			let malformed = [
				(raw_terms(Purpose::GeneralResearchUse, vec![NonCommercialUse, NonCommercialUse]), Error::<Test>::DuplicateModifier),
				(raw_terms(ds("x"), vec![]), Error::<Test>::InvalidDiseaseCode),
				(raw_terms(Purpose::GeneralResearchUse, vec![GeographicalRestriction(region("c h"))]), Error::<Test>::InvalidRegionCode),
				(
					raw_terms(Purpose::GeneralResearchUse, vec![ResearchSpecificRestriction(research_type("#"))]),
					Error::<Test>::InvalidResearchType,
				),
				(raw_terms(Purpose::GeneralResearchUse, vec![PublicationMoratorium(0)]), Error::<Test>::InvalidModifierMoment),
			];
			for (data_use, error) in malformed {
				assert_noop!(register_with(data_use, vec![Observation], period, vec![]), error);
			}
			assert_noop!(register_with(hmb(), vec![], period, vec![]), Error::<Test>::NoRecordTypes);
			assert_noop!(
				register_with(hmb(), vec![Condition, Condition], period, vec![]),
				Error::<Test>::DuplicateRecordType
			);
			assert_noop!(
				register_with(hmb(), vec![Condition, Observation, MedicationStatement], period, vec![]),
				Error::<Test>::TooManyRecordTypes
			);
			assert_noop!(register_with(hmb(), vec![Observation], (NOW, NOW), vec![]), Error::<Test>::InvalidStudyPeriod);
			assert_noop!(
				register_with(hmb(), vec![Observation], (NOW - YEAR, NOW), vec![]),
				Error::<Test>::StudyPeriodOver
			);
		});
	}
}

mod approve_and_suspend {
	use super::*;

	#[test]
	fn a_board_approves_suspends_and_approves_again() {
		run(|| {
			let study = register(hmb());
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD));
			assert_eq!(Studies::<Test>::get(study).unwrap().status, StudyStatus::Approved { board: BOARD, at: NOW });
			assert_eq!(last_event(), Event::StudyApproved { study, board: BOARD, reviewer: REVIEWER });

			assert_ok!(ResearchConsent::suspend_study(signed(REVIEWER), study, SuspensionReason::ProtocolDeviation));
			assert_eq!(
				Studies::<Test>::get(study).unwrap().status,
				StudyStatus::Suspended { board: BOARD, at: NOW, reason: SuspensionReason::ProtocolDeviation }
			);
			assert_eq!(
				last_event(),
				Event::StudySuspended {
					study,
					board: BOARD,
					reviewer: REVIEWER,
					reason: SuspensionReason::ProtocolDeviation
				}
			);
			assert_eq!(ResearchConsent::may_use(study, &PARTICIPANT), Err(Refusal::StudySuspended));
			assert_noop!(
				ResearchConsent::approve_study(signed(OTHER_REVIEWER), study, OTHER_BOARD),
				Error::<Test>::NotApprovingBoard
			);
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD));
		});
	}

	#[test]
	fn refuses_others_unknown_studies_and_wrong_states() {
		run(|| {
			let study = register(hmb());
			for (who, board) in [(OTHER_REVIEWER, BOARD), (RESEARCHER, BOARD), (PARTICIPANT, BOARD), (REVIEWER, OTHER_BOARD)] {
				assert_noop!(ResearchConsent::approve_study(signed(who), study, board), Error::<Test>::NotEthicsReviewer);
			}
			assert_noop!(ResearchConsent::approve_study(signed(REVIEWER), 9, BOARD), Error::<Test>::UnknownStudy);
			assert_noop!(
				ResearchConsent::suspend_study(signed(REVIEWER), study, SuspensionReason::Administrative),
				Error::<Test>::NotApproved
			);
			assert_noop!(
				ResearchConsent::suspend_study(signed(REVIEWER), 9, SuspensionReason::Administrative),
				Error::<Test>::UnknownStudy
			);
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD));
			assert_noop!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD), Error::<Test>::AlreadyApproved);
			for who in [OTHER_REVIEWER, RESEARCHER, STRANGER] {
				assert_noop!(
					ResearchConsent::suspend_study(signed(who), study, SuspensionReason::DataMisuse),
					Error::<Test>::NotEthicsReviewer
				);
			}
			assert_ok!(ResearchConsent::suspend_study(signed(REVIEWER), study, SuspensionReason::DataMisuse));
			assert_noop!(
				ResearchConsent::suspend_study(signed(REVIEWER), study, SuspensionReason::DataMisuse),
				Error::<Test>::NotApproved
			);
			// An ended study is not approved (again).
			pallet_timestamp::Now::<Test>::put(NOW + YEAR);
			assert_noop!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD), Error::<Test>::StudyPeriodOver);
		});
	}
}

mod give_consent {
	use super::*;

	#[test]
	fn the_patient_consents_to_a_study_or_standing_terms_and_every_version_is_kept() {
		run(|| {
			let study = approved_study(hmb());
			let to_study = give(ConsentScope::Study(study), vec![Observation], Some(NOW + YEAR));
			assert_eq!(StudyConsents::<Test>::get(PARTICIPANT, study), Some(to_study));
			assert_eq!(
				last_event(),
				Event::ConsentGiven { consent: to_study, participant: PARTICIPANT, by: PARTICIPANT, scope: ConsentScope::Study(study) }
			);
			assert_eq!(System::events().last().unwrap().topics, vec![ResearchConsent::participant_topic(&PARTICIPANT)]);

			let preference = terms(Purpose::GeneralResearchUse, vec![NotForProfitUse]);
			assert_ok!(ResearchConsent::give_consent(
				signed(PARTICIPANT),
				ConsentScope::Standing(preference.clone()),
				vec![Condition, Observation],
				None
			));
			let standing = NextConsentId::<Test>::get() - 1;
			assert_eq!(StandingConsents::<Test>::get(PARTICIPANT).to_vec(), vec![standing]);
			let version = ConsentVersions::<Test>::get(standing, 0).unwrap();
			assert_eq!((version.change, version.by, version.at, version.block), (ConsentChange::Given, PARTICIPANT, NOW, 1));
			assert_eq!(version.terms.record_types.to_vec(), vec![Observation, Condition]);
			assert_eq!(version.terms.scope, ConsentScope::Standing(preference));
		});
	}

	#[test]
	fn refuses_others_and_bad_terms() {
		run(|| {
			let study = approved_study(hmb());
			let consent = |who, _participant: AccountId, scope, types, expiry| {
				ResearchConsent::give_consent(signed(who), scope, types, expiry).map(|_| ()).map_err(|e| e.error)
			};
			// An account with an identity would name the patient next to the study.
			for who in [PATIENT, GUARDIAN, RESEARCHER, REVIEWER, VAULT] {
				assert_noop!(
					consent(who, who, ConsentScope::Study(study), vec![Observation], None),
					Error::<Test>::ConsentUnderIdentity
				);
			}
			assert_noop!(
				consent(PARTICIPANT, PARTICIPANT, ConsentScope::Study(9), vec![Observation], None),
				Error::<Test>::UnknownStudy
			);
			assert_noop!(
				consent(
					PARTICIPANT,
					PARTICIPANT,
					ConsentScope::Standing(raw_terms(Purpose::GeneralResearchUse, vec![NotForProfitUse, NotForProfitUse])),
					vec![Observation],
					None
				),
				Error::<Test>::DuplicateModifier
			);
			assert_noop!(consent(PARTICIPANT, PARTICIPANT, ConsentScope::Study(study), vec![], None), Error::<Test>::NoRecordTypes);
			assert_noop!(
				consent(PARTICIPANT, PARTICIPANT, ConsentScope::Study(study), vec![Observation, Observation], None),
				Error::<Test>::DuplicateRecordType
			);
			assert_noop!(
				consent(PARTICIPANT, PARTICIPANT, ConsentScope::Study(study), vec![Observation], Some(NOW)),
				Error::<Test>::ExpiryInPast
			);
			let first = give(ConsentScope::Study(study), vec![Observation], None);
			assert_noop!(
				consent(PARTICIPANT, PARTICIPANT, ConsentScope::Study(study), vec![Observation], None),
				Error::<Test>::StudyConsentExists
			);
			// Once withdrawn, the participant may consent to the study anew.
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), first));
			let again = give(ConsentScope::Study(study), vec![Condition], None);
			assert_eq!(StudyConsents::<Test>::get(PARTICIPANT, study), Some(again));
		});
	}

	#[test]
	fn a_patient_holds_a_bounded_number_of_standing_consents() {
		run(|| {
			for _ in 0..3 {
				standing(hmb());
			}
			assert_noop!(
				ResearchConsent::give_consent(signed(PARTICIPANT),
					ConsentScope::Standing(hmb()),
					vec![Observation],
					None
				),
				Error::<Test>::TooManyStandingConsents
			);
			// Withdrawing one makes room.
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), 0));
			standing(hmb());
		});
	}
}

mod consent_checked_access {
	use super::*;

	#[test]
	fn register_approve_consent_request_withdraw_request() {
		run(|| {
			let study = approved_study(terms(ds("I21"), vec![NotForProfitUse, PublicationRequired]));
			let consent = standing(terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse]));

			assert_ok!(request(RESEARCHER, study));
			let until = NOW + ACCESS_PERIOD;
			assert_eq!(
				last_event(),
				Event::AccessGranted {
					study,
					participant: PARTICIPANT,
					researcher: RESEARCHER,
					consent,
					record_types: BoundedVec::truncate_from(vec![Observation, Condition]),
					until
				}
			);
			assert_eq!(
				System::events().last().unwrap().topics,
				vec![ResearchConsent::participant_topic(&PARTICIPANT), ResearchConsent::study_topic(study)]
			);
			assert_eq!(granted(RESEARCHER), Some((vec![Observation, Condition], until)));
			assert_eq!(AccessCount::<Test>::get(PARTICIPANT), 1);

			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			assert_eq!(granted(RESEARCHER), None);
			assert!(events().contains(&Event::AccessEnded { study, participant: PARTICIPANT, researcher: RESEARCHER, by: PARTICIPANT }));
			// The withdrawal, then the accesses it ended.
			let withdrawn = Event::ConsentWithdrawn { consent, participant: PARTICIPANT, by: PARTICIPANT, version: 1 };
			assert_eq!(events()[events().len() - 2], withdrawn);
			assert_eq!(Consents::<Test>::get(consent).unwrap().withdrawn_in, Some(1));

			// The next block, and every later one, sees no consent.
			System::set_block_number(2);
			assert_eq!(refusal_of(study), Some(Refusal::NoConsent));
			assert_eq!(granted(RESEARCHER), None);
			assert_eq!(AccessCount::<Test>::get(PARTICIPANT), 0);
		});
	}

	#[test]
	fn a_study_consent_decides_for_its_study_even_once_withdrawn() {
		run(|| {
			let study = approved_study(hmb());
			let to_study = give(ConsentScope::Study(study), vec![Observation], Some(NOW + 2 * DAY));
			let broad = standing(terms(Purpose::GeneralResearchUse, vec![]));
			assert_eq!(refusal_of(study), None);
			// The study consent's record types and expiry, not the broader preference's.
			assert_eq!(granted(RESEARCHER), Some((vec![Observation], NOW + 2 * DAY)));
			assert!(matches!(last_event(), Event::AccessGranted { consent, .. } if consent == to_study));

			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), to_study));
			assert_eq!(granted(RESEARCHER), None);
			assert_eq!(refusal_of(study), Some(Refusal::ConsentWithdrawn));
			// The preference still covers other studies.
			let other = approved_study(hmb());
			assert_eq!(refusal_of(other), None);
			assert!(matches!(last_event(), Event::AccessGranted { consent, .. } if consent == broad));
		});
	}

	#[test]
	fn access_lasts_until_the_earliest_of_its_limits() {
		run(|| {
			// The study ends in a year; the period is 30 days; the consent's time limit is 10 days.
			let study = approved_study(hmb());
			standing(terms(Purpose::HealthMedicalBiomedical, vec![TimeLimitOnUse(NOW + 10 * DAY)]));
			assert_ok!(request(RESEARCHER, study));
			assert_eq!(granted(RESEARCHER).unwrap().1, NOW + 10 * DAY);
			// An expiry before that wins; a study that ends sooner too.
			let expiring = give(ConsentScope::Standing(hmb()), vec![Observation], Some(NOW + 5 * DAY));
			let _ = expiring;
			assert_ok!(ResearchConsent::request_access(signed(RESEARCHER), study, OTHER_PARTICIPANT));
			assert_eq!(
				ResearchConsent::may_use(study, &PARTICIPANT).map(|p| p.until),
				Ok(NOW + 10 * DAY),
				"the first standing consent that covers the study"
			);
			assert_ok!(register_with(hmb(), vec![Observation], (NOW, NOW + 3 * DAY), vec![]));
			let short = NextStudyId::<Test>::get() - 1;
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), short, BOARD));
			assert_eq!(ResearchConsent::may_use(short, &PARTICIPANT).map(|p| p.until), Ok(NOW + 3 * DAY));
			// Without other limits, the access period.
			let plain = approved_study(hmb());
			assert_ok!(ResearchConsent::give_consent(signed(5), ConsentScope::Study(plain), vec![Observation], None));
			assert_eq!(ResearchConsent::may_use(plain, &5).map(|p| p.until), Ok(NOW + ACCESS_PERIOD));
		});
	}

	#[test]
	fn every_refusal_is_recorded_with_its_reason() {
		run(|| {
			let awaiting = register(hmb());
			assert_eq!(refusal_of(awaiting), Some(Refusal::StudyAwaitingApproval));

			let suspended = approved_study(hmb());
			assert_ok!(ResearchConsent::suspend_study(signed(REVIEWER), suspended, SuspensionReason::ParticipantSafety));
			assert_eq!(refusal_of(suspended), Some(Refusal::StudySuspended));

			assert_ok!(register_with(hmb(), vec![Observation], (NOW + DAY, NOW + YEAR), vec![]));
			let later = NextStudyId::<Test>::get() - 1;
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), later, BOARD));
			assert_eq!(refusal_of(later), Some(Refusal::StudyNotStarted));

			let study = approved_study(terms(Purpose::HealthMedicalBiomedical, vec![PublicationRequired]));
			assert_eq!(refusal_of(study), Some(Refusal::NoConsent));
			assert_ok!(ResearchConsent::request_access(signed(RESEARCHER), study, STRANGER));
			assert!(matches!(last_event(), Event::AccessRefused { reason: Refusal::NoConsent, participant: STRANGER, .. }));

			let narrow = standing(terms(Purpose::PopulationOriginsAncestry, vec![]));
			assert_eq!(refusal_of(study), Some(Refusal::TermsNotCovered(Mismatch::PurposeNotCovered)));
			let conditional = standing(terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse]));
			assert_eq!(refusal_of(study), Some(Refusal::TermsNotCovered(Mismatch::NotForProfitRequired)));
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), narrow));
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), conditional));

			give(ConsentScope::Standing(hmb()), vec![MedicationStatement], None);
			assert_eq!(refusal_of(study), Some(Refusal::NoRecordTypesInCommon));

			let expiring = approved_study(hmb());
			give(ConsentScope::Study(expiring), vec![Observation], Some(NOW + DAY));
			pallet_timestamp::Now::<Test>::put(NOW + DAY);
			assert_eq!(refusal_of(expiring), Some(Refusal::ConsentExpired));

			pallet_timestamp::Now::<Test>::put(NOW + YEAR);
			assert_eq!(refusal_of(study), Some(Refusal::StudyEnded));
			// Nothing was granted, and every check is on the audit trail.
			assert_eq!(granted(RESEARCHER), None);
			let refusals = events().iter().filter(|e| matches!(e, Event::AccessRefused { .. })).count();
			assert_eq!(refusals, 10);
		});
	}

	#[test]
	fn refuses_callers_who_may_not_ask() {
		run(|| {
			let study = approved_study(hmb());
			standing(hmb());
			for who in [OUTSIDER, REVIEWER, PARTICIPANT, STRANGER] {
				assert_noop!(request(who, study), Error::<Test>::NotResearcher);
			}
			assert_noop!(request(RESEARCHER, 9), Error::<Test>::UnknownStudy);

			assert_ok!(register_with(
				terms(Purpose::HealthMedicalBiomedical, vec![UserSpecificRestriction]),
				vec![Observation],
				(NOW, NOW + YEAR),
				vec![COLLEAGUE]
			));
			let restricted = NextStudyId::<Test>::get() - 1;
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), restricted, BOARD));
			assert_noop!(request(RESEARCHER, restricted), Error::<Test>::NotApprovedResearcher);
			assert_ok!(request(COLLEAGUE, restricted));
			assert!(granted(COLLEAGUE).is_some());
		});
	}

	#[test]
	fn one_study_at_a_time_per_researcher_and_a_bounded_number_per_patient() {
		run(|| {
			let study = approved_study(hmb());
			let other = approved_study(hmb());
			standing(hmb());
			assert_ok!(request(RESEARCHER, study));
			assert_noop!(request(RESEARCHER, other), Error::<Test>::AccessHeldForOtherStudy);
			// Renewing for the same study keeps one access.
			pallet_timestamp::Now::<Test>::put(NOW + DAY);
			assert_ok!(request(RESEARCHER, study));
			assert_eq!((AccessCount::<Test>::get(PARTICIPANT), granted(RESEARCHER).unwrap().1), (1, NOW + DAY + ACCESS_PERIOD));
			// Once it expired, another study may be asked for.
			pallet_timestamp::Now::<Test>::put(NOW + DAY + ACCESS_PERIOD);
			assert_ok!(request(RESEARCHER, other));
			assert_eq!(Accesses::<Test>::get(PARTICIPANT, RESEARCHER).unwrap().study, other);

			world(|w| w.researchers.extend([(30, INSTITUTE), (31, INSTITUTE)]));
			assert_ok!(request(COLLEAGUE, study));
			assert_ok!(request(30, study));
			assert_noop!(request(31, study), Error::<Test>::TooManyAccesses);
		});
	}
}

mod narrow_consent {
	use super::*;

	#[test]
	fn narrowing_keeps_a_version_and_ends_accesses_no_longer_covered() {
		run(|| {
			let cardiology = approved_study(terms(ds("I21"), vec![NotForProfitUse]));
			let oncology = approved_study(terms(ds("C50"), vec![NotForProfitUse]));
			let consent = standing(terms(Purpose::HealthMedicalBiomedical, vec![]));
			assert_ok!(request(RESEARCHER, cardiology));
			assert_ok!(request(COLLEAGUE, oncology));

			let narrower = terms(ds("C50"), vec![NotForProfitUse]);
			assert_ok!(ResearchConsent::narrow_consent(
				signed(PARTICIPANT),
				consent,
				Some(narrower.clone()),
				vec![Observation, Condition],
				None
			));
			assert_eq!(granted(RESEARCHER), None, "cardiology is no longer covered");
			assert!(granted(COLLEAGUE).is_some(), "oncology still is");
			assert!(events().contains(&Event::AccessEnded {
				study: cardiology,
				participant: PARTICIPANT,
				researcher: RESEARCHER,
				by: PARTICIPANT
			}));
			assert!(events().contains(&Event::ConsentNarrowed { consent, participant: PARTICIPANT, by: PARTICIPANT, version: 1 }));
			let first = ConsentVersions::<Test>::get(consent, 0).unwrap();
			let second = ConsentVersions::<Test>::get(consent, 1).unwrap();
			assert_eq!(first.terms.scope, ConsentScope::Standing(hmb()));
			assert_eq!((second.change, second.terms.scope.clone()), (ConsentChange::Narrowed, ConsentScope::Standing(narrower)));

			// Fewer record types end the access that had more.
			assert_ok!(ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Condition], None));
			assert_eq!(granted(COLLEAGUE), None);
			assert_ok!(request(COLLEAGUE, oncology));
			assert_eq!(granted(COLLEAGUE), Some((vec![Condition], NOW + ACCESS_PERIOD)));
			// An earlier expiry ends an access that would outlast it.
			assert_ok!(ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Condition], Some(NOW + DAY)));
			assert_eq!(granted(COLLEAGUE), None);
			assert_eq!(Consents::<Test>::get(consent).unwrap().version, 3);
		});
	}

	#[test]
	fn a_study_consent_narrows_its_record_types_and_expiry() {
		run(|| {
			let study = approved_study(hmb());
			let consent = give(ConsentScope::Study(study), vec![Observation, Condition], Some(NOW + YEAR));
			assert_ok!(ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Observation], Some(NOW + DAY)));
			let now = Consents::<Test>::get(consent).unwrap();
			assert_eq!((now.terms.record_types.to_vec(), now.terms.expires_at), (vec![Observation], Some(NOW + DAY)));
			assert_noop!(
				ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, Some(hmb()), vec![Observation], Some(NOW + DAY)),
				Error::<Test>::NotStandingConsent
			);
		});
	}

	#[test]
	fn refuses_others_broader_terms_and_no_change() {
		run(|| {
			let consent = give(
				ConsentScope::Standing(terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse])),
				vec![Observation],
				Some(NOW + YEAR),
			);
			let narrow = |who, terms, types, expiry| {
				ResearchConsent::narrow_consent(signed(who), consent, terms, types, expiry).map(|_| ()).map_err(|e| e.error)
			};
			for who in [OTHER_PARTICIPANT, GUARDIAN, RESEARCHER, STRANGER] {
				assert_noop!(narrow(who, None, vec![Observation], Some(NOW + DAY)), Error::<Test>::NotParticipant);
			}
			assert_noop!(
				ResearchConsent::narrow_consent(signed(PARTICIPANT), 9, None, vec![Observation], None),
				Error::<Test>::UnknownConsent
			);
			let broader = [
				(Some(terms(Purpose::GeneralResearchUse, vec![NotForProfitUse])), vec![Observation], Some(NOW + DAY)),
				(Some(hmb()), vec![Observation], Some(NOW + DAY)),
				(None, vec![Observation, Condition], Some(NOW + DAY)),
				(None, vec![Observation], Some(NOW + 2 * YEAR)),
				(None, vec![Observation], None),
			];
			for (terms, types, expiry) in broader {
				assert_noop!(narrow(PARTICIPANT, terms, types, expiry), Error::<Test>::NotNarrower);
			}
			assert_noop!(narrow(PARTICIPANT, None, vec![Observation], Some(NOW + YEAR)), Error::<Test>::ConsentUnchanged);
			assert_noop!(
				narrow(
					PARTICIPANT,
					Some(terms(Purpose::HealthMedicalBiomedical, vec![NotForProfitUse])),
					vec![Observation],
					Some(NOW + YEAR)
				),
				Error::<Test>::ConsentUnchanged
			);
			assert_noop!(narrow(PARTICIPANT, None, vec![Observation], Some(NOW)), Error::<Test>::ExpiryInPast);
			assert_noop!(narrow(PARTICIPANT, None, vec![], Some(NOW + DAY)), Error::<Test>::NoRecordTypes);
			assert_noop!(
				narrow(PARTICIPANT, Some(raw_terms(ds("c"), vec![NotForProfitUse])), vec![Observation], Some(NOW + DAY)),
				Error::<Test>::InvalidDiseaseCode
			);
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			assert_noop!(narrow(PARTICIPANT, None, vec![Observation], Some(NOW + DAY)), Error::<Test>::AlreadyWithdrawn);
		});
	}
}

mod withdraw_consent {
	use super::*;

	#[test]
	fn a_withdrawal_is_a_version_and_ends_every_access_it_covered() {
		run(|| {
			let first = approved_study(hmb());
			let second = approved_study(hmb());
			let consent = standing(hmb());
			assert_ok!(request(RESEARCHER, first));
			assert_ok!(request(COLLEAGUE, second));
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			assert_eq!(Accesses::<Test>::iter().count(), 0);
			assert_eq!(AccessCount::<Test>::get(PARTICIPANT), 0);
			let version = ConsentVersions::<Test>::get(consent, 1).unwrap();
			assert_eq!((version.change, version.by), (ConsentChange::Withdrawn, PARTICIPANT));
			assert_eq!(version.terms, ConsentVersions::<Test>::get(consent, 0).unwrap().terms);
			assert!(StandingConsents::<Test>::get(PARTICIPANT).is_empty());
			let ended = events().iter().filter(|e| matches!(e, Event::AccessEnded { by: PARTICIPANT, .. })).count();
			assert_eq!(ended, 2);
		});
	}

	#[test]
	fn refuses_others_unknown_and_withdrawn_consents() {
		run(|| {
			let consent = standing(hmb());
			for who in [OTHER_PARTICIPANT, GUARDIAN, RESEARCHER, REVIEWER, STRANGER] {
				assert_noop!(ResearchConsent::withdraw_consent(signed(who), consent), Error::<Test>::NotParticipant);
			}
			assert_noop!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), 9), Error::<Test>::UnknownConsent);
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			assert_noop!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent), Error::<Test>::AlreadyWithdrawn);
		});
	}
}

mod end_access {
	use super::*;

	#[test]
	fn the_researcher_or_the_participant_ends_an_access() {
		run(|| {
			let study = approved_study(hmb());
			standing(hmb());
			for who in [RESEARCHER, PARTICIPANT] {
				assert_ok!(request(RESEARCHER, study));
				assert_ok!(ResearchConsent::end_access(signed(who), PARTICIPANT, RESEARCHER));
				assert_eq!(last_event(), Event::AccessEnded { study, participant: PARTICIPANT, researcher: RESEARCHER, by: who });
				assert_eq!(granted(RESEARCHER), None);
			}
		});
	}

	#[test]
	fn anyone_ends_an_access_no_longer_covered() {
		run(|| {
			let study = approved_study(hmb());
			standing(hmb());
			assert_ok!(request(RESEARCHER, study));
			for who in [REVIEWER, COLLEAGUE, STRANGER] {
				assert_noop!(
					ResearchConsent::end_access(signed(who), PARTICIPANT, RESEARCHER),
					Error::<Test>::AccessStillJustified
				);
			}
			assert_ok!(ResearchConsent::suspend_study(signed(REVIEWER), study, SuspensionReason::DataMisuse));
			assert_ok!(ResearchConsent::end_access(signed(REVIEWER), PARTICIPANT, RESEARCHER));
			assert_eq!(granted(RESEARCHER), None);
			assert_noop!(ResearchConsent::end_access(signed(PARTICIPANT), PARTICIPANT, RESEARCHER), Error::<Test>::NoAccess);

			// An expired access, too.
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD));
			assert_ok!(request(RESEARCHER, study));
			pallet_timestamp::Now::<Test>::put(NOW + ACCESS_PERIOD);
			assert_ok!(ResearchConsent::end_access(signed(STRANGER), PARTICIPANT, RESEARCHER));
		});
	}

	#[test]
	fn anyone_ends_the_access_of_a_researcher_who_lost_standing() {
		run(|| {
			let study = approved_study(hmb());
			standing(hmb());
			assert_ok!(request(RESEARCHER, study));
			// The certification lapses: the consent still covers the study, yet nothing
			// justifies this researcher's access any more.
			world(|w| w.researchers.remove(&(RESEARCHER, INSTITUTE)));
			assert_ok!(ResearchConsent::end_access(signed(STRANGER), PARTICIPANT, RESEARCHER));
			assert_eq!(granted(RESEARCHER), None);
			// Nor may it ask again.
			assert_noop!(request(RESEARCHER, study), Error::<Test>::NotResearcher);
		});
	}
}

#[test]
fn may_use_answers_without_changing_anything() {
	run(|| {
		assert_eq!(ResearchConsent::may_use(7, &PARTICIPANT), Err(Refusal::UnknownStudy));
		let study = approved_study(hmb());
		let consent = standing(hmb());
		let permit = ResearchConsent::may_use(study, &PARTICIPANT).unwrap();
		assert_eq!(permit, Permit { consent, record_types: vec![Observation, Condition], until: NOW + ACCESS_PERIOD });
		assert_eq!(AccessCount::<Test>::get(PARTICIPANT), 0);
		assert_eq!(granted(RESEARCHER), None);
	});
}

#[test]
fn try_state_finds_indexes_that_disagree() {
	run(|| {
		let study = approved_study(hmb());
		let consent = standing(hmb());
		assert_ok!(request(RESEARCHER, study));
		assert_ok!(ResearchConsent::do_try_state());
		AccessCount::<Test>::insert(PARTICIPANT, 2);
		assert!(ResearchConsent::do_try_state().is_err());
		AccessCount::<Test>::insert(PARTICIPANT, 1);
		StandingConsents::<Test>::remove(PARTICIPANT);
		assert!(ResearchConsent::do_try_state().is_err());
		StandingConsents::<Test>::mutate(PARTICIPANT, |s| s.try_push(consent).unwrap());
		ConsentVersions::<Test>::remove(consent, 0);
		assert!(ResearchConsent::do_try_state().is_err());
		ConsentVersions::<Test>::insert(consent, 0, ConsentVersions::<Test>::get(consent, 0).unwrap_or_else(|| {
			let terms = Consents::<Test>::get(consent).unwrap().terms;
			ConsentVersion { terms, change: ConsentChange::Given, by: PARTICIPANT, at: NOW, block: 1 }
		}));
		assert_ok!(ResearchConsent::do_try_state());
	});
}

#[test]
fn the_configured_bounds_pass_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<ResearchConsent as Hooks<u64>>::integrity_test();
	});
}

mod participants {
	use super::*;

	#[test]
	fn a_guardian_narrows_and_withdraws_a_consent_under_the_patients_own_account() {
		run(|| {
			let study = approved_study(hmb());
			let consent = legacy_standing_consent();
			assert_ok!(ResearchConsent::request_access(signed(RESEARCHER), study, PATIENT));
			assert_ok!(ResearchConsent::narrow_consent(signed(GUARDIAN), consent, None, vec![Observation], None));
			assert_eq!(ConsentVersions::<Test>::get(consent, 1).unwrap().by, GUARDIAN);
			assert_ok!(ResearchConsent::withdraw_consent(signed(GUARDIAN), consent));
			assert!(Accesses::<Test>::get(PATIENT, RESEARCHER).is_none(), "the withdrawal ended the access");
			assert!(events().contains(&Event::AccessEnded { study, participant: PATIENT, researcher: RESEARCHER, by: GUARDIAN }));
		});
	}

	#[test]
	fn a_guardian_ends_an_access_under_the_patients_own_account() {
		run(|| {
			let study = approved_study(hmb());
			legacy_standing_consent();
			assert_ok!(ResearchConsent::request_access(signed(RESEARCHER), study, PATIENT));
			assert_noop!(ResearchConsent::end_access(signed(OTHER_PARTICIPANT), PATIENT, RESEARCHER), Error::<Test>::AccessStillJustified);
			assert_ok!(ResearchConsent::end_access(signed(GUARDIAN), PATIENT, RESEARCHER));
			assert!(Accesses::<Test>::get(PATIENT, RESEARCHER).is_none());
		});
	}
}

mod research_permit {
	use super::*;

	#[test]
	fn answers_for_the_access_its_type_and_its_time() {
		run(|| {
			let study = approved_study(hmb());
			let consent = standing(hmb());
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation), Err(ReadRefusal::NoAccess));
			assert_ok!(request(RESEARCHER, study));
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation), Ok((study, NOW + ACCESS_PERIOD)));
			assert_eq!(
				ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, MedicationStatement),
				Err(ReadRefusal::RecordTypeNotGranted)
			);
			assert_eq!(ResearchConsent::research_permit(&OTHER_PARTICIPANT, &RESEARCHER, Observation), Err(ReadRefusal::NoAccess));
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &COLLEAGUE, Observation), Err(ReadRefusal::NoAccess));

			// The researcher loses standing: no release, though the access is still stored.
			world(|w| w.researchers.remove(&(RESEARCHER, INSTITUTE)));
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation), Err(ReadRefusal::ResearcherLapsed));
			world(|w| w.researchers.insert((RESEARCHER, INSTITUTE)));

			// The study is suspended: the consents no longer cover the access.
			assert_ok!(ResearchConsent::suspend_study(signed(REVIEWER), study, SuspensionReason::DataMisuse));
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation), Err(ReadRefusal::NoLongerCovered));
			assert_ok!(ResearchConsent::approve_study(signed(REVIEWER), study, BOARD));
			assert!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation).is_ok());

			// Its time runs out.
			pallet_timestamp::Now::<Test>::put(NOW + ACCESS_PERIOD);
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation), Err(ReadRefusal::AccessExpired));
			pallet_timestamp::Now::<Test>::put(NOW);

			// Withdrawn: the access is gone.
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			assert_eq!(ResearchConsent::research_permit(&PARTICIPANT, &RESEARCHER, Observation), Err(ReadRefusal::NoAccess));
		});
	}
}

mod log_releases {
	use super::*;

	#[test]
	fn logs_each_release_on_its_participants_log() {
		run(|| {
			let study = approved_study(hmb());
			assert_ok!(ResearchConsent::log_releases(signed(VAULT), vec![release(PARTICIPANT, study, 3), release(OTHER_PARTICIPANT, study, 1)]));
			assert_ok!(ResearchConsent::log_releases(signed(VAULT), vec![release(PARTICIPANT, study, 2)]));
			assert_eq!(ReleaseLogLength::<Test>::get(PARTICIPANT), 2);
			assert_eq!(ReleaseLogLength::<Test>::get(OTHER_PARTICIPANT), 1);
			let entry = ReleaseLog::<Test>::get(PARTICIPANT, 1).unwrap();
			assert_eq!(
				entry,
				ReleaseEntry { researcher: RESEARCHER, study, custodian: CUSTODIAN, records: 2, digest: H256::repeat_byte(9), at: NOW }
			);
			assert_eq!(
				last_event(),
				Event::DataReleased {
					participant: PARTICIPANT,
					researcher: RESEARCHER,
					study,
					custodian: CUSTODIAN,
					records: 2,
					digest: H256::repeat_byte(9),
					entry: 1
				}
			);
			assert_eq!(
				System::events().last().unwrap().topics,
				vec![ResearchConsent::participant_topic(&PARTICIPANT), ResearchConsent::study_topic(study)]
			);
		});
	}

	#[test]
	fn refuses_all_but_a_custodians_vault_and_bad_batches_whole() {
		run(|| {
			let study = approved_study(hmb());
			for who in [RESEARCHER, PARTICIPANT, PATIENT, REVIEWER, STRANGER] {
				assert_noop!(
					ResearchConsent::log_releases(signed(who), vec![release(PARTICIPANT, study, 1)]),
					Error::<Test>::NotCustodian
				);
			}
			assert_noop!(ResearchConsent::log_releases(signed(VAULT), vec![]), Error::<Test>::NoReleases);
			assert_noop!(
				ResearchConsent::log_releases(signed(VAULT), vec![release(PARTICIPANT, study, 1); 4]),
				Error::<Test>::TooManyReleases
			);
			let good = release(PARTICIPANT, study, 1);
			assert_noop!(
				ResearchConsent::log_releases(signed(VAULT), vec![good.clone(), release(PARTICIPANT, study, 0)]),
				Error::<Test>::NoRecordsReleased
			);
			let empty = Release { digest: H256::zero(), ..good.clone() };
			assert_noop!(ResearchConsent::log_releases(signed(VAULT), vec![good.clone(), empty]), Error::<Test>::EmptyDigest);
			assert_noop!(
				ResearchConsent::log_releases(signed(VAULT), vec![good, release(PARTICIPANT, 9, 1)]),
				Error::<Test>::UnknownStudy
			);
		});
	}
}

mod bounds {
	use super::*;
	use crate::migrations::{v1::MigrateV0ToV1, v2::MigrateV1ToV2};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	#[test]
	fn the_consents_given_for_a_patient_are_bounded_withdrawn_ones_included() {
		run(|| {
			let study = approved_study(hmb());
			// Give and withdraw, again and again: each consent is kept, and counted.
			for _ in 0..3 {
				let consent = give(ConsentScope::Study(study), vec![Observation], None);
				assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			}
			standing(hmb());
			let last = standing(hmb());
			standing(hmb());
			assert_eq!(ConsentsGiven::<Test>::get(PARTICIPANT), 6);
			assert_noop!(
				ResearchConsent::give_consent(signed(PARTICIPANT), ConsentScope::Study(study), vec![Observation], None),
				Error::<Test>::TooManyConsents
			);
			// Withdrawing gives no place back; another participant's places are its own.
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), last));
			assert_noop!(
				ResearchConsent::give_consent(signed(PARTICIPANT), ConsentScope::Study(study), vec![Observation], None),
				Error::<Test>::TooManyConsents
			);
			assert_ok!(ResearchConsent::give_consent(signed(OTHER_PARTICIPANT),
				ConsentScope::Study(study),
				vec![Observation],
				None
			));
		});
	}

	#[test]
	fn a_consent_is_narrowed_a_bounded_number_of_times_and_can_always_be_withdrawn() {
		run(|| {
			let consent = standing(hmb());
			// Versions 0 (given), 1 to 3 (narrowed); the last, 4, is kept for withdrawal.
			assert_ok!(ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Observation, Condition], Some(NOW + YEAR)));
			assert_ok!(ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Observation, Condition], Some(NOW + 2 * DAY)));
			assert_ok!(ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Observation, Condition], Some(NOW + DAY)));
			assert_noop!(
				ResearchConsent::narrow_consent(signed(PARTICIPANT), consent, None, vec![Observation], Some(NOW + DAY)),
				Error::<Test>::TooManyConsentVersions
			);
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			assert_eq!(Consents::<Test>::get(consent).unwrap().version, 4);
		});
	}

	#[test]
	fn v1_counts_the_consents_given_for_each_patient() {
		run(|| {
			let study = approved_study(hmb());
			let consent = give(ConsentScope::Study(study), vec![Observation], None);
			assert_ok!(ResearchConsent::withdraw_consent(signed(PARTICIPANT), consent));
			standing(hmb());
			assert_ok!(ResearchConsent::give_consent(signed(OTHER_PARTICIPANT),
				ConsentScope::Study(study),
				vec![Observation],
				None
			));
			StorageVersion::new(0).put::<ResearchConsent>();
			let _ = ConsentsGiven::<Test>::clear(u32::MAX, None);

			MigrateV0ToV1::<Test>::on_runtime_upgrade();

			assert_eq!(ResearchConsent::on_chain_storage_version(), 1);
			assert_eq!(ConsentsGiven::<Test>::get(PARTICIPANT), 2);
			assert_eq!(ConsentsGiven::<Test>::get(OTHER_PARTICIPANT), 1);
			assert_ok!(ResearchConsent::do_try_state());
			assert_eq!(ResearchConsent::in_code_storage_version(), crate::STORAGE_VERSION);
		});
	}

	#[test]
	fn v2_keeps_every_consent_and_access_and_moves_the_version() {
		run(|| {
			let study = approved_study(hmb());
			let consent = legacy_standing_consent();
			assert_ok!(ResearchConsent::request_access(signed(RESEARCHER), study, PATIENT));
			let stored = || (Consents::<Test>::get(consent).encode(), Accesses::<Test>::get(PATIENT, RESEARCHER).encode());
			let before = stored();
			StorageVersion::new(1).put::<ResearchConsent>();

			MigrateV1ToV2::<Test>::on_runtime_upgrade();

			assert_eq!(ResearchConsent::on_chain_storage_version(), 2);
			assert_eq!(stored(), before);
			assert!(Accesses::<Test>::contains_key(PATIENT, RESEARCHER));
			// Run again, it changes nothing.
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(ResearchConsent::on_chain_storage_version(), 2);
		});
	}

	#[test]
	fn try_state_finds_a_gap_in_a_release_log() {
		run(|| {
			let study = approved_study(hmb());
			assert_ok!(ResearchConsent::log_releases(signed(VAULT), vec![release(PARTICIPANT, study, 1)]));
			ReleaseLogLength::<Test>::insert(PARTICIPANT, 2);
			assert!(ResearchConsent::do_try_state().is_err());
			ReleaseLogLength::<Test>::insert(PARTICIPANT, 1);
		});
	}

	#[test]
	fn try_state_finds_a_consent_count_that_disagrees() {
		run(|| {
			standing(hmb());
			ConsentsGiven::<Test>::insert(PARTICIPANT, 2);
			assert!(ResearchConsent::do_try_state().is_err());
			ConsentsGiven::<Test>::insert(PARTICIPANT, 1);
		});
	}
}
