//! Tests of the health-records pallet: every call's success, each of its errors and each
//! refused caller, expiry at the boundary, and the flows of the issue (grant, write, read,
//! revoke, break-glass, erase). Every test ends with the pallet's `try_state` check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::{traits::Hash as _, DispatchError};

const PATIENT: AccountId = 1;
const OTHER_PATIENT: AccountId = 2;
const GUARDIAN: AccountId = 3;
const DOCTOR: AccountId = 10;
const COLLEAGUE: AccountId = 11;
const OUTSIDER: AccountId = 12;
const MEDIC: AccountId = 13;
const AUDITOR: AccountId = 20;
const CLINIC_AUDITOR: AccountId = 21;
const REGULATOR_AUDITOR: AccountId = 22;
const NURSE: AccountId = 40;
const PHARMACIST: AccountId = 41;
const LAB_SCIENTIST: AccountId = 42;
const RESEARCHER: AccountId = 30;
const STRANGER: AccountId = 99;

const HOSPITAL: OrganisationId = 100;
const CLINIC: OrganisationId = 101;
const REGISTRY: OrganisationId = 102;
const PHARMACY: OrganisationId = 103;
const LABORATORY: OrganisationId = 104;

const HOUR: Moment = 3_600_000;
const DAY: Moment = 24 * HOUR;

use AccessLevel::{Read, Write};
use RecordType::{Condition, Immunization, Observation};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn account(who: AccountId) -> Grantee<AccountId, OrganisationId> {
	Grantee::Account(who)
}

fn org(id: OrganisationId) -> Grantee<AccountId, OrganisationId> {
	Grantee::Organisation(id)
}

fn via(grantee: Grantee<AccountId, OrganisationId>) -> Authority<AccountId, OrganisationId> {
	Authority::Grant(grantee)
}

const AS_PATIENT: Authority<AccountId, OrganisationId> = Authority::PatientOrGuardian;

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn key(n: u8) -> Vec<u8> {
	vec![n; 8]
}

fn locator() -> Vec<u8> {
	b"enc:locator".to_vec()
}

/// The key wrapped to the patient, and to each of `others`.
fn keys(others: &[Grantee<AccountId, OrganisationId>]) -> Vec<(Grantee<AccountId, OrganisationId>, Vec<u8>)> {
	let mut keys = vec![(account(PATIENT), key(1))];
	keys.extend(others.iter().enumerate().map(|(i, g)| (*g, key(i as u8 + 2))));
	keys
}

/// Two patients, a guardian, three practitioners at the hospital (the medic also does
/// emergency care there), one at the clinic, the hospital's and the clinic's auditors and a
/// regulator's, a nurse at the hospital, a pharmacist at a pharmacy, a laboratory scientist at
/// a laboratory, a certified researcher; a registry that is not a care provider.
fn consortium() {
	identities(|i| {
		i.patients.extend([PATIENT, OTHER_PATIENT]);
		i.guardians.insert((GUARDIAN, PATIENT));
		i.practitioners.extend([(DOCTOR, HOSPITAL), (COLLEAGUE, HOSPITAL), (MEDIC, HOSPITAL), (OUTSIDER, CLINIC)]);
		i.clinical_staff.extend([(NURSE, HOSPITAL), (PHARMACIST, PHARMACY), (LAB_SCIENTIST, LABORATORY)]);
		i.care_providers.extend([HOSPITAL, CLINIC, PHARMACY, LABORATORY]);
		i.emergency.insert((MEDIC, HOSPITAL));
		i.auditors.extend([(AUDITOR, HOSPITAL), (CLINIC_AUDITOR, CLINIC)]);
		i.regulatory_auditors.insert(REGULATOR_AUDITOR);
		i.researchers.insert(RESEARCHER);
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
		.filter_map(|r| if let RuntimeEvent::HealthRecords(e) = r.event { Some(e) } else { None })
		.collect()
}

fn last_event() -> Event<Test> {
	events().pop().expect("a health-records event")
}

fn grant(grantee: Grantee<AccountId, OrganisationId>, access: AccessLevel, types: Vec<RecordType>, expires_at: Moment) {
	assert_ok!(HealthRecords::grant_access(signed(PATIENT), PATIENT, grantee, access, types, expires_at));
}

/// The patient adds a record of `record_type` with keys to the patient and `others`.
fn add(record_type: RecordType, others: &[Grantee<AccountId, OrganisationId>]) -> RecordId {
	assert_ok!(HealthRecords::add_record(
		signed(PATIENT),
		PATIENT,
		record_type,
		hash(7),
		locator(),
		keys(others),
		AS_PATIENT
	));
	NextRecordId::<Test>::get() - 1
}

fn log(who: AccountId, record: RecordId, authority: Authority<AccountId, OrganisationId>) -> DispatchResult {
	HealthRecords::log_access(signed(who), record, AccessPurpose::Treatment, authority)
}

type DispatchResult = Result<(), DispatchError>;

mod add_record {
	use super::*;

	#[test]
	fn the_patient_adds_a_record_to_the_index() {
		run(|| {
			let id = add(Observation, &[]);
			let record = Records::<Test>::get(id).unwrap();
			assert_eq!(record.patient, PATIENT);
			assert_eq!(record.author, PATIENT);
			assert_eq!(record.record_type, Observation);
			assert_eq!(record.content_hash, hash(7));
			assert_eq!(record.locator.unwrap().to_vec(), locator());
			assert_eq!(record.created_at, NOW);
			assert_eq!((record.amends, record.amended_by, record.erased_at), (None, None, None));
			assert_eq!(record.readers, 1);
			assert_eq!(WrappedKeys::<Test>::get(id, account(PATIENT)).unwrap().to_vec(), key(1));
			assert!(PatientRecords::<Test>::contains_key(PATIENT, id));
			assert_eq!(RecordCount::<Test>::get(PATIENT), 1);
			assert_eq!(
				last_event(),
				Event::RecordAdded {
					record: id,
					patient: PATIENT,
					author: PATIENT,
					record_type: Observation,
					content_hash: hash(7),
					readers: 1
				}
			);
		});
	}

	#[test]
	fn every_event_carries_the_patient_topic() {
		run(|| {
			add(Observation, &[]);
			let topic = HealthRecords::patient_topic(&PATIENT);
			let expected = <Test as frame_system::Config>::Hashing::hash(
				&[&PATIENT_TOPIC[..], &PATIENT.to_le_bytes()[..]].concat(),
			);
			assert_eq!(topic, expected);
			let record = System::events().pop().unwrap();
			assert_eq!(record.topics, vec![topic]);
			assert_eq!(System::event_topics(topic).len(), 1);
		});
	}

	#[test]
	fn a_guardian_adds_a_record_for_the_patient() {
		run(|| {
			assert_ok!(HealthRecords::add_record(
				signed(GUARDIAN),
				PATIENT,
				Immunization,
				hash(7),
				locator(),
				keys(&[]),
				AS_PATIENT
			));
			assert_eq!(Records::<Test>::get(0).unwrap().author, GUARDIAN);
		});
	}

	#[test]
	fn a_practitioner_adds_a_record_under_a_write_grant() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation, Condition], NOW + DAY);
			assert_ok!(HealthRecords::add_record(
				signed(DOCTOR),
				PATIENT,
				Condition,
				hash(7),
				locator(),
				keys(&[account(DOCTOR)]),
				via(account(DOCTOR))
			));
			let record = Records::<Test>::get(0).unwrap();
			assert_eq!((record.author, record.readers), (DOCTOR, 2));
			assert!(WrappedKeys::<Test>::contains_key(0, account(DOCTOR)));
			assert_eq!(Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap().keyed_records.to_vec(), vec![0]);
		});
	}

	#[test]
	fn a_practitioner_adds_a_record_under_the_grant_to_the_organisation() {
		run(|| {
			grant(org(HOSPITAL), Write, vec![Observation], NOW + DAY);
			assert_ok!(HealthRecords::add_record(
				signed(COLLEAGUE),
				PATIENT,
				Observation,
				hash(7),
				locator(),
				keys(&[org(HOSPITAL)]),
				via(org(HOSPITAL))
			));
			assert!(WrappedKeys::<Test>::contains_key(0, org(HOSPITAL)));
		});
	}

	#[test]
	fn refuses_callers_without_authority() {
		run(|| {
			identities(|i| {
				i.patients.insert(STRANGER);
			});
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			let try_add = |who, authority| {
				HealthRecords::add_record(signed(who), PATIENT, Observation, hash(7), locator(), keys(&[]), authority)
			};
			for who in [STRANGER, DOCTOR, OTHER_PATIENT] {
				assert_noop!(try_add(who, AS_PATIENT), Error::<Test>::NotPatientOrGuardian);
			}
			// Someone else's grant, an organisation one does not practise at, and a grant
			// held by an account that is no practitioner are not the caller's to use.
			assert_noop!(try_add(COLLEAGUE, via(account(DOCTOR))), Error::<Test>::NotGrantee);
			assert_noop!(try_add(DOCTOR, via(org(CLINIC))), Error::<Test>::NotGrantee);
			assert_noop!(try_add(STRANGER, via(account(STRANGER))), Error::<Test>::NotGrantee);
			assert_noop!(try_add(COLLEAGUE, via(account(COLLEAGUE))), Error::<Test>::NoGrant);
			assert_noop!(try_add(MEDIC, Authority::BreakGlass), Error::<Test>::BreakGlassIsReadOnly);
			// The doctor's licence lapses.
			identities(|i| {
				i.practitioners.remove(&(DOCTOR, HOSPITAL));
			});
			assert_noop!(try_add(DOCTOR, via(account(DOCTOR))), Error::<Test>::NotGrantee);
		});
	}

	#[test]
	fn refuses_a_patient_that_is_not_registered() {
		run(|| {
			assert_noop!(
				HealthRecords::add_record(
					signed(STRANGER),
					STRANGER,
					Observation,
					hash(7),
					locator(),
					vec![(account(STRANGER), key(1))],
					AS_PATIENT
				),
				Error::<Test>::NotAPatient
			);
		});
	}

	#[test]
	fn a_write_grant_works_until_its_expiry_and_covers_only_its_types() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			grant(account(COLLEAGUE), Read, vec![Observation], NOW + DAY);
			let try_add = |who, record_type| {
				HealthRecords::add_record(
					signed(who),
					PATIENT,
					record_type,
					hash(7),
					locator(),
					keys(&[]),
					via(account(who)),
				)
			};
			assert_noop!(try_add(DOCTOR, Condition), Error::<Test>::RecordTypeNotGranted);
			assert_noop!(try_add(COLLEAGUE, Observation), Error::<Test>::ReadOnlyGrant);
			set_now(NOW + DAY - 1);
			assert_ok!(try_add(DOCTOR, Observation));
			set_now(NOW + DAY);
			assert_noop!(try_add(DOCTOR, Observation), Error::<Test>::GrantExpired);
		});
	}

	#[test]
	fn validates_the_hash_and_the_locator() {
		run(|| {
			let try_add = |content_hash, locator: Vec<u8>| {
				HealthRecords::add_record(signed(PATIENT), PATIENT, Observation, content_hash, locator, keys(&[]), AS_PATIENT)
			};
			assert_noop!(try_add(H256::zero(), locator()), Error::<Test>::EmptyContentHash);
			assert_noop!(try_add(hash(7), vec![]), Error::<Test>::EmptyLocator);
			assert_noop!(try_add(hash(7), vec![1; 17]), Error::<Test>::LocatorTooLong);
			assert_ok!(try_add(hash(7), vec![1; 16]));
		});
	}

	#[test]
	fn validates_the_keys() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(account(COLLEAGUE), Read, vec![Condition], NOW + DAY);
			grant(org(CLINIC), Read, vec![Observation], NOW + HOUR);
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			let try_add = |keys| {
				HealthRecords::add_record(signed(PATIENT), PATIENT, Observation, hash(7), locator(), keys, AS_PATIENT)
			};
			assert_noop!(try_add(vec![]), Error::<Test>::PatientKeyMissing);
			assert_noop!(try_add(vec![(account(DOCTOR), key(2))]), Error::<Test>::PatientKeyMissing);
			assert_noop!(try_add(vec![(account(PATIENT), vec![])]), Error::<Test>::InvalidWrappedKey);
			assert_noop!(try_add(vec![(account(PATIENT), vec![1; 9])]), Error::<Test>::InvalidWrappedKey);
			assert_noop!(
				try_add(vec![(account(PATIENT), key(1)), (account(PATIENT), key(2))]),
				Error::<Test>::DuplicateReader
			);
			assert_noop!(
				try_add(keys(&[account(DOCTOR), org(HOSPITAL), org(CLINIC)])),
				Error::<Test>::TooManyReaders
			);
			// No grant, a grant of other types, an expired grant.
			assert_noop!(try_add(keys(&[account(OUTSIDER)])), Error::<Test>::ReaderNotGranted);
			assert_noop!(try_add(keys(&[account(COLLEAGUE)])), Error::<Test>::ReaderNotGranted);
			set_now(NOW + HOUR);
			assert_noop!(try_add(keys(&[org(CLINIC)])), Error::<Test>::ReaderNotGranted);
			assert_ok!(try_add(keys(&[account(DOCTOR), org(HOSPITAL)])));
		});
	}

	#[test]
	fn a_grant_delivers_a_bounded_number_of_keys() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			for _ in 0..3 {
				add(Observation, &[account(DOCTOR)]);
			}
			assert_noop!(
				HealthRecords::add_record(
					signed(PATIENT),
					PATIENT,
					Observation,
					hash(7),
					locator(),
					keys(&[account(DOCTOR)]),
					AS_PATIENT
				),
				Error::<Test>::TooManyKeysForGrant
			);
		});
	}
}

mod amend_record {
	use super::*;

	fn amend(who: AccountId, record: RecordId, authority: Authority<AccountId, OrganisationId>) -> DispatchResult {
		HealthRecords::amend_record(signed(who), record, hash(8), locator(), keys(&[]), authority)
	}

	#[test]
	fn an_amendment_is_a_new_version_linked_to_the_old_one() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Condition], NOW + DAY);
			let old = add(Condition, &[account(DOCTOR)]);
			assert_ok!(amend(DOCTOR, old, via(account(DOCTOR))));
			let new = old + 1;
			let amended = Records::<Test>::get(old).unwrap();
			let amendment = Records::<Test>::get(new).unwrap();
			assert_eq!(amended.amended_by, Some(new));
			assert_eq!(amendment.amends, Some(old));
			assert_eq!((amendment.record_type, amendment.content_hash, amendment.author), (Condition, hash(8), DOCTOR));
			// The old version keeps its readers.
			assert!(WrappedKeys::<Test>::contains_key(old, account(DOCTOR)));
			assert_eq!(RecordCount::<Test>::get(PATIENT), 2);
			assert_eq!(
				last_event(),
				Event::RecordAmended {
					record: new,
					amends: old,
					patient: PATIENT,
					author: DOCTOR,
					content_hash: hash(8),
					readers: 1
				}
			);
			assert_noop!(amend(PATIENT, old, AS_PATIENT), Error::<Test>::RecordAlreadyAmended);
			assert_ok!(amend(GUARDIAN, new, AS_PATIENT));
		});
	}

	#[test]
	fn refuses_unknown_erased_and_unauthorised() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Condition], NOW + DAY);
			let id = add(Condition, &[]);
			assert_noop!(amend(PATIENT, 9, AS_PATIENT), Error::<Test>::UnknownRecord);
			assert_noop!(amend(STRANGER, id, AS_PATIENT), Error::<Test>::NotPatientOrGuardian);
			assert_noop!(amend(DOCTOR, id, via(account(DOCTOR))), Error::<Test>::ReadOnlyGrant);
			assert_noop!(amend(OUTSIDER, id, via(account(OUTSIDER))), Error::<Test>::NoGrant);
			assert_noop!(amend(MEDIC, id, Authority::BreakGlass), Error::<Test>::BreakGlassIsReadOnly);
			assert_noop!(
				HealthRecords::amend_record(signed(PATIENT), id, hash(8), vec![], keys(&[]), AS_PATIENT),
				Error::<Test>::EmptyLocator
			);
			assert_noop!(
				HealthRecords::amend_record(signed(PATIENT), id, hash(8), locator(), vec![], AS_PATIENT),
				Error::<Test>::PatientKeyMissing
			);
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), id));
			assert_noop!(amend(PATIENT, id, AS_PATIENT), Error::<Test>::RecordErased);
		});
	}
}

mod grant_access {
	use super::*;

	#[test]
	fn the_patient_or_a_guardian_grants_access() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation, Condition], NOW + DAY);
			let doctors = Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap();
			assert_eq!(doctors.access, Read);
			assert_eq!(doctors.record_types.to_vec(), vec![Observation, Condition]);
			assert_eq!((doctors.expires_at, doctors.granted_by, doctors.granted_at), (NOW + DAY, PATIENT, NOW));
			assert!(doctors.keyed_records.is_empty());
			assert_eq!(
				last_event(),
				Event::AccessGranted {
					patient: PATIENT,
					grantee: account(DOCTOR),
					access: Read,
					record_types: doctors.record_types,
					expires_at: NOW + DAY,
					granted_by: PATIENT,
					basis: GrantBasis::Patient,
					keys_removed: 0
				}
			);
			// Types come sorted whatever their order.
			assert_ok!(HealthRecords::grant_access(
				signed(GUARDIAN),
				PATIENT,
				org(CLINIC),
				Write,
				vec![Immunization, Observation],
				NOW + DAY
			));
			let clinics = Grants::<Test>::get(PATIENT, org(CLINIC)).unwrap();
			assert_eq!((clinics.granted_by, clinics.record_types.to_vec()), (GUARDIAN, vec![Observation, Immunization]));
		});
	}

	#[test]
	fn granting_again_changes_the_terms_and_drops_keys_no_longer_covered() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation, Condition], NOW + DAY);
			let observation = add(Observation, &[account(DOCTOR)]);
			let condition = add(Condition, &[account(DOCTOR)]);
			grant(account(DOCTOR), Write, vec![Observation], NOW + 2 * DAY);
			let doctors = Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap();
			assert_eq!((doctors.access, doctors.expires_at), (Write, NOW + 2 * DAY));
			assert_eq!(doctors.keyed_records.to_vec(), vec![observation]);
			assert!(WrappedKeys::<Test>::contains_key(observation, account(DOCTOR)));
			assert!(!WrappedKeys::<Test>::contains_key(condition, account(DOCTOR)));
			assert_eq!(Records::<Test>::get(condition).unwrap().readers, 1);
			assert!(matches!(last_event(), Event::AccessGranted { keys_removed: 1, .. }));
		});
	}

	#[test]
	fn refuses_callers_other_than_the_patient_or_a_guardian() {
		run(|| {
			for who in [DOCTOR, STRANGER, OTHER_PATIENT, AUDITOR] {
				assert_noop!(
					HealthRecords::grant_access(signed(who), PATIENT, account(DOCTOR), Read, vec![Observation], NOW + DAY),
					Error::<Test>::NotPatientOrGuardian
				);
			}
			assert_noop!(
				HealthRecords::grant_access(signed(STRANGER), STRANGER, account(DOCTOR), Read, vec![Observation], NOW + DAY),
				Error::<Test>::NotAPatient
			);
		});
	}

	#[test]
	fn validates_the_grantee_the_types_and_the_expiry() {
		run(|| {
			let try_grant = |grantee, types: Vec<RecordType>, expires_at| {
				HealthRecords::grant_access(signed(PATIENT), PATIENT, grantee, Read, types, expires_at)
			};
			assert_noop!(try_grant(account(PATIENT), vec![Observation], NOW + DAY), Error::<Test>::GrantToPatient);
			assert_noop!(
				try_grant(account(GUARDIAN), vec![Observation], NOW + DAY),
				Error::<Test>::GranteeNotPractitioner
			);
			assert_noop!(
				try_grant(org(REGISTRY), vec![Observation], NOW + DAY),
				Error::<Test>::GranteeNotCareProvider
			);
			assert_noop!(try_grant(account(DOCTOR), vec![], NOW + DAY), Error::<Test>::NoRecordTypes);
			assert_noop!(
				try_grant(account(DOCTOR), vec![Observation, Observation], NOW + DAY),
				Error::<Test>::DuplicateRecordType
			);
			assert_noop!(try_grant(account(DOCTOR), vec![Observation], NOW), Error::<Test>::ExpiryInPast);
			assert_ok!(try_grant(account(DOCTOR), vec![Observation], NOW + 1));
		});
	}
}

mod revoke_access {
	use super::*;

	#[test]
	fn revoking_removes_every_key_and_ends_reading_and_writing() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			let first = add(Observation, &[account(DOCTOR)]);
			let second = add(Observation, &[account(DOCTOR)]);
			assert_ok!(log(DOCTOR, first, via(account(DOCTOR))));
			assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(DOCTOR)));
			assert!(Grants::<Test>::get(PATIENT, account(DOCTOR)).is_none());
			for id in [first, second] {
				assert!(!WrappedKeys::<Test>::contains_key(id, account(DOCTOR)));
				assert_eq!(Records::<Test>::get(id).unwrap().readers, 1);
			}
			assert_eq!(
				last_event(),
				Event::AccessRevoked { patient: PATIENT, grantee: account(DOCTOR), revoked_by: PATIENT, keys_removed: 2 }
			);
			assert_noop!(log(DOCTOR, first, via(account(DOCTOR))), Error::<Test>::NoGrant);
			assert_noop!(
				HealthRecords::add_record(
					signed(DOCTOR),
					PATIENT,
					Observation,
					hash(7),
					locator(),
					keys(&[]),
					via(account(DOCTOR))
				),
				Error::<Test>::NoGrant
			);
			// The access log keeps the read made while the grant stood.
			assert_eq!(AccessLogLength::<Test>::get(PATIENT), 1);
		});
	}

	#[test]
	fn a_guardian_revokes_an_expired_grant() {
		run(|| {
			grant(org(HOSPITAL), Read, vec![Observation], NOW + HOUR);
			add(Observation, &[org(HOSPITAL)]);
			set_now(NOW + DAY);
			assert_ok!(HealthRecords::revoke_access(signed(GUARDIAN), PATIENT, org(HOSPITAL)));
			assert!(matches!(last_event(), Event::AccessRevoked { revoked_by: GUARDIAN, keys_removed: 1, .. }));
		});
	}

	#[test]
	fn refuses_others_and_missing_grants() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			for who in [DOCTOR, STRANGER, AUDITOR] {
				assert_noop!(
					HealthRecords::revoke_access(signed(who), PATIENT, account(DOCTOR)),
					Error::<Test>::NotPatientOrGuardian
				);
			}
			assert_noop!(
				HealthRecords::revoke_access(signed(STRANGER), STRANGER, account(DOCTOR)),
				Error::<Test>::NotAPatient
			);
			assert_noop!(
				HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(COLLEAGUE)),
				Error::<Test>::NoGrant
			);
		});
	}
}

mod research_consent_grants {
	use super::*;

	fn grant_research(types: Vec<RecordType>, expires_at: Moment) -> DispatchResult {
		HealthRecords::grant_on_research_consent(&PATIENT, &RESEARCHER, types, expires_at)
	}

	#[test]
	fn a_researcher_reads_under_consent_until_the_grant_ends() {
		run(|| {
			assert_ok!(grant_research(vec![Observation, Condition], NOW + DAY));
			let granted = Grants::<Test>::get(PATIENT, account(RESEARCHER)).unwrap();
			assert_eq!((granted.access, granted.basis, granted.granted_by), (Read, GrantBasis::ResearchConsent, PATIENT));
			assert_eq!(
				last_event(),
				Event::AccessGranted {
					patient: PATIENT,
					grantee: account(RESEARCHER),
					access: Read,
					record_types: granted.record_types,
					expires_at: NOW + DAY,
					granted_by: PATIENT,
					basis: GrantBasis::ResearchConsent,
					keys_removed: 0
				}
			);
			// A researcher is no practitioner, yet reads what the consent covers, and only reads.
			let observation = add(Observation, &[account(RESEARCHER)]);
			let immunization = add(Immunization, &[]);
			assert_ok!(log(RESEARCHER, observation, via(account(RESEARCHER))));
			assert_noop!(log(RESEARCHER, immunization, via(account(RESEARCHER))), Error::<Test>::RecordTypeNotGranted);
			assert_noop!(log(COLLEAGUE, observation, via(account(RESEARCHER))), Error::<Test>::NotGrantee);
			assert_noop!(
				HealthRecords::add_record(
					signed(RESEARCHER),
					PATIENT,
					Observation,
					hash(7),
					locator(),
					keys(&[]),
					via(account(RESEARCHER))
				),
				Error::<Test>::ReadOnlyGrant
			);

			// Standing is checked at every use: a researcher who loses certification reads
			// nothing more, and reads again once it is restored.
			identities(|i| i.researchers.remove(&RESEARCHER));
			assert_noop!(log(RESEARCHER, observation, via(account(RESEARCHER))), Error::<Test>::NotGrantee);
			identities(|i| i.researchers.insert(RESEARCHER));
			assert_ok!(log(RESEARCHER, observation, via(account(RESEARCHER))));

			assert_eq!(HealthRecords::end_research_consent_grant(&PATIENT, &RESEARCHER), 1);
			assert!(Grants::<Test>::get(PATIENT, account(RESEARCHER)).is_none());
			assert!(!WrappedKeys::<Test>::contains_key(observation, account(RESEARCHER)));
			assert_eq!(
				last_event(),
				Event::AccessRevoked {
					patient: PATIENT,
					grantee: account(RESEARCHER),
					revoked_by: PATIENT,
					keys_removed: 1
				}
			);
			assert_noop!(log(RESEARCHER, observation, via(account(RESEARCHER))), Error::<Test>::NotGrantee);
			// Ending it again changes nothing.
			assert_eq!(HealthRecords::end_research_consent_grant(&PATIENT, &RESEARCHER), 0);
		});
	}

	#[test]
	fn granting_again_keeps_the_keys_still_covered() {
		run(|| {
			assert_ok!(grant_research(vec![Observation, Condition], NOW + DAY));
			let observation = add(Observation, &[account(RESEARCHER)]);
			let condition = add(Condition, &[account(RESEARCHER)]);
			assert_ok!(grant_research(vec![Observation], NOW + HOUR));
			assert!(WrappedKeys::<Test>::contains_key(observation, account(RESEARCHER)));
			assert!(!WrappedKeys::<Test>::contains_key(condition, account(RESEARCHER)));
			assert!(matches!(last_event(), Event::AccessGranted { keys_removed: 1, .. }));
		});
	}

	#[test]
	fn research_consent_alone_changes_a_grant_made_on_it() {
		run(|| {
			identities(|i| i.practitioners.insert((RESEARCHER, HOSPITAL)));
			assert_ok!(grant_research(vec![Observation], NOW + DAY));
			// Revoked or rewritten here, the consent would grant it again at the next request:
			// the patient narrows or withdraws the consent instead.
			assert_noop!(
				HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(RESEARCHER)),
				Error::<Test>::GrantedOnResearchConsent
			);
			assert_noop!(
				HealthRecords::grant_access(signed(GUARDIAN), PATIENT, account(RESEARCHER), Read, vec![Condition], NOW + DAY),
				Error::<Test>::GrantedOnResearchConsent
			);
			assert_eq!(HealthRecords::end_research_consent_grant(&PATIENT, &RESEARCHER), 0);
			assert_ok!(HealthRecords::grant_access(signed(PATIENT), PATIENT, account(RESEARCHER), Read, vec![Condition], NOW + DAY));
		});
	}

	#[test]
	fn leaves_grants_the_patient_made_alone() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			assert_noop!(
				HealthRecords::grant_on_research_consent(&PATIENT, &DOCTOR, vec![Observation], NOW + DAY),
				Error::<Test>::PatientGrantExists
			);
			assert_eq!(HealthRecords::end_research_consent_grant(&PATIENT, &DOCTOR), 0);
			assert_eq!(Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap().basis, GrantBasis::Patient);
		});
	}

	#[test]
	fn validates_the_patient_the_types_and_the_expiry() {
		run(|| {
			assert_noop!(
				HealthRecords::grant_on_research_consent(&STRANGER, &RESEARCHER, vec![Observation], NOW + DAY),
				Error::<Test>::NotAPatient
			);
			assert_noop!(
				HealthRecords::grant_on_research_consent(&PATIENT, &PATIENT, vec![Observation], NOW + DAY),
				Error::<Test>::GrantToPatient
			);
			assert_noop!(grant_research(vec![], NOW + DAY), Error::<Test>::NoRecordTypes);
			assert_noop!(grant_research(vec![Observation, Observation], NOW + DAY), Error::<Test>::DuplicateRecordType);
			assert_noop!(grant_research(vec![Observation], NOW), Error::<Test>::ExpiryInPast);
		});
	}
}

mod share_keys {
	use super::*;

	fn share(who: AccountId, grantee: Grantee<AccountId, OrganisationId>, keys: Vec<(RecordId, Vec<u8>)>) -> DispatchResult {
		HealthRecords::share_keys(signed(who), PATIENT, grantee, keys)
	}

	#[test]
	fn the_patient_delivers_keys_of_existing_records() {
		run(|| {
			let first = add(Observation, &[]);
			let second = add(Observation, &[]);
			grant(org(CLINIC), Read, vec![Observation], NOW + DAY);
			assert_ok!(share(GUARDIAN, org(CLINIC), vec![(first, key(5)), (second, key(6))]));
			assert_eq!(WrappedKeys::<Test>::get(second, org(CLINIC)).unwrap().to_vec(), key(6));
			assert_eq!(Records::<Test>::get(first).unwrap().readers, 2);
			assert_eq!(Grants::<Test>::get(PATIENT, org(CLINIC)).unwrap().keyed_records.to_vec(), vec![first, second]);
			assert_eq!(last_event(), Event::KeysShared { patient: PATIENT, grantee: org(CLINIC), key_count: 2 });
			assert_ok!(log(OUTSIDER, first, via(org(CLINIC))));
		});
	}

	#[test]
	fn refuses_others_and_bad_lists() {
		run(|| {
			let id = add(Observation, &[]);
			grant(account(DOCTOR), Read, vec![Observation], NOW + HOUR);
			for who in [DOCTOR, STRANGER] {
				assert_noop!(share(who, account(DOCTOR), vec![(id, key(5))]), Error::<Test>::NotPatientOrGuardian);
			}
			assert_noop!(
				HealthRecords::share_keys(signed(STRANGER), STRANGER, account(DOCTOR), vec![(id, key(5))]),
				Error::<Test>::NotAPatient
			);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![]), Error::<Test>::NoKeys);
			assert_noop!(
				share(PATIENT, account(DOCTOR), vec![(id, key(5)), (id + 1, key(5)), (id + 2, key(5))]),
				Error::<Test>::TooManyKeys
			);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(id, key(5)), (id, key(6))]), Error::<Test>::DuplicateRecord);
			assert_noop!(share(PATIENT, account(COLLEAGUE), vec![(id, key(5))]), Error::<Test>::NoGrant);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(id + 9, key(5))]), Error::<Test>::UnknownRecord);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(id, vec![])]), Error::<Test>::InvalidWrappedKey);
			set_now(NOW + HOUR);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(id, key(5))]), Error::<Test>::GrantExpired);
		});
	}

	#[test]
	fn refuses_records_the_grant_cannot_take() {
		run(|| {
			let condition = add(Condition, &[]);
			let erased = add(Observation, &[]);
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), erased));
			assert_ok!(HealthRecords::add_record(
				signed(OTHER_PATIENT),
				OTHER_PATIENT,
				Observation,
				hash(7),
				locator(),
				vec![(account(OTHER_PATIENT), key(1))],
				AS_PATIENT
			));
			let others = NextRecordId::<Test>::get() - 1;
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(account(COLLEAGUE), Read, vec![Observation], NOW + DAY);
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			let shared = add(Observation, &[account(DOCTOR), account(COLLEAGUE)]);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(others, key(5))]), Error::<Test>::NotPatientsRecord);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(erased, key(5))]), Error::<Test>::RecordErased);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(condition, key(5))]), Error::<Test>::RecordTypeNotGranted);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(shared, key(5))]), Error::<Test>::KeyAlreadyShared);
			assert_noop!(share(PATIENT, org(HOSPITAL), vec![(shared, key(5))]), Error::<Test>::TooManyReaders);
			// The doctor's grant already holds three keys, the most one grant delivers.
			add(Observation, &[account(DOCTOR)]);
			add(Observation, &[account(DOCTOR)]);
			let more = add(Observation, &[]);
			assert_noop!(share(PATIENT, account(DOCTOR), vec![(more, key(5))]), Error::<Test>::TooManyKeysForGrant);
		});
	}
}

mod log_access {
	use super::*;

	#[test]
	fn readers_log_each_access_in_the_patients_log() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			let id = add(Observation, &[account(DOCTOR)]);
			set_now(NOW + HOUR);
			assert_ok!(HealthRecords::log_access(signed(DOCTOR), id, AccessPurpose::Treatment, via(account(DOCTOR))));
			assert_ok!(HealthRecords::log_access(signed(COLLEAGUE), id, AccessPurpose::CareCoordination, via(org(HOSPITAL))));
			assert_ok!(HealthRecords::log_access(signed(GUARDIAN), id, AccessPurpose::PatientRequest, AS_PATIENT));
			assert_eq!(AccessLogLength::<Test>::get(PATIENT), 3);
			assert_eq!(
				AccessLog::<Test>::get(PATIENT, 1).unwrap(),
				AccessEntry {
					record: id,
					accessor: COLLEAGUE,
					authority: via(org(HOSPITAL)),
					emergency: None,
					purpose: AccessPurpose::CareCoordination,
					at: NOW + HOUR
				}
			);
			assert_eq!(
				last_event(),
				Event::RecordAccessed {
					patient: PATIENT,
					record: id,
					accessor: GUARDIAN,
					authority: AS_PATIENT,
					purpose: AccessPurpose::PatientRequest,
					emergency: None,
					entry: 2
				}
			);
		});
	}

	#[test]
	fn nurses_pharmacists_and_laboratory_scientists_act_under_their_organisations_grant() {
		run(|| {
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			grant(org(PHARMACY), Read, vec![Observation], NOW + DAY);
			grant(org(LABORATORY), Write, vec![Observation], NOW + DAY);
			// The mock allows three readers a record: the patient and two grantees.
			let id = add(Observation, &[org(HOSPITAL), org(PHARMACY)]);
			assert_ok!(log(NURSE, id, via(org(HOSPITAL))));
			assert_ok!(log(PHARMACIST, id, via(org(PHARMACY))));
			// The laboratory reports a result under its write grant, and reads it back.
			assert_ok!(HealthRecords::add_record(
				signed(LAB_SCIENTIST),
				PATIENT,
				Observation,
				hash(8),
				locator(),
				keys(&[org(LABORATORY)]),
				via(org(LABORATORY))
			));
			let result = NextRecordId::<Test>::get() - 1;
			assert_ok!(log(LAB_SCIENTIST, result, via(org(LABORATORY))));
			// Each only under its own organisation's grant.
			assert_noop!(log(PHARMACIST, id, via(org(HOSPITAL))), Error::<Test>::NotGrantee);
			assert_noop!(log(NURSE, id, via(org(PHARMACY))), Error::<Test>::NotGrantee);
			// And only while it holds its role there.
			identities(|i| i.clinical_staff.remove(&(PHARMACIST, PHARMACY)));
			assert_noop!(log(PHARMACIST, id, via(org(PHARMACY))), Error::<Test>::NotGrantee);
		});
	}

	#[test]
	fn a_read_grant_works_until_its_expiry_and_for_its_types() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let observation = add(Observation, &[]);
			let condition = add(Condition, &[]);
			assert_noop!(log(DOCTOR, condition, via(account(DOCTOR))), Error::<Test>::RecordTypeNotGranted);
			set_now(NOW + DAY - 1);
			assert_ok!(log(DOCTOR, observation, via(account(DOCTOR))));
			set_now(NOW + DAY);
			assert_noop!(log(DOCTOR, observation, via(account(DOCTOR))), Error::<Test>::GrantExpired);
		});
	}

	#[test]
	fn refuses_unknown_erased_and_unauthorised() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let id = add(Observation, &[]);
			assert_noop!(log(DOCTOR, 9, via(account(DOCTOR))), Error::<Test>::UnknownRecord);
			assert_noop!(log(STRANGER, id, AS_PATIENT), Error::<Test>::NotPatientOrGuardian);
			assert_noop!(log(DOCTOR, id, AS_PATIENT), Error::<Test>::NotPatientOrGuardian);
			assert_noop!(log(COLLEAGUE, id, via(account(DOCTOR))), Error::<Test>::NotGrantee);
			assert_noop!(log(OUTSIDER, id, via(org(HOSPITAL))), Error::<Test>::NotGrantee);
			assert_noop!(log(COLLEAGUE, id, via(org(HOSPITAL))), Error::<Test>::NoGrant);
			// Break-glass access is the caller's own: without one open, there is nothing to use.
			assert_noop!(log(DOCTOR, id, Authority::BreakGlass), Error::<Test>::NoEmergencyAccess);
			assert_noop!(log(MEDIC, id, Authority::BreakGlass), Error::<Test>::NoEmergencyAccess);
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), id));
			assert_noop!(log(DOCTOR, id, via(account(DOCTOR))), Error::<Test>::RecordErased);
			assert_noop!(log(PATIENT, id, AS_PATIENT), Error::<Test>::RecordErased);
		});
	}
}

mod break_glass {
	use super::*;

	fn open(who: AccountId) -> DispatchResult {
		HealthRecords::break_glass(signed(who), PATIENT, HOSPITAL, EmergencyReason::Unresponsive)
	}

	#[test]
	fn opens_time_boxed_logged_access_announced_to_the_patient() {
		run(|| {
			let id = add(Condition, &[]);
			assert_ok!(open(MEDIC));
			let access = EmergencyAccesses::<Test>::get(0).unwrap();
			assert_eq!((access.patient, access.practitioner), (PATIENT, MEDIC));
			assert_eq!(access.organisation, Some(HOSPITAL));
			assert_eq!((access.opened_at, access.expires_at), (NOW, NOW + EMERGENCY_PERIOD));
			assert_eq!(access.review, Review::Pending);
			assert_eq!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC), Some(0));
			let opened = System::events().pop().unwrap();
			assert_eq!(opened.topics, vec![HealthRecords::patient_topic(&PATIENT)]);
			assert_eq!(
				last_event(),
				Event::EmergencyAccessOpened {
					emergency: 0,
					patient: PATIENT,
					practitioner: MEDIC,
					organisation: HOSPITAL,
					reason: EmergencyReason::Unresponsive,
					expires_at: NOW + EMERGENCY_PERIOD
				}
			);
			set_now(NOW + EMERGENCY_PERIOD - 1);
			assert_ok!(HealthRecords::log_access(signed(MEDIC), id, AccessPurpose::Emergency, Authority::BreakGlass));
			assert_eq!(AccessLog::<Test>::get(PATIENT, 0).unwrap().emergency, Some(0));
			assert!(matches!(last_event(), Event::RecordAccessed { emergency: Some(0), .. }));
			// It ends by itself, and stays marked for review.
			set_now(NOW + EMERGENCY_PERIOD);
			assert_noop!(log(MEDIC, id, Authority::BreakGlass), Error::<Test>::NoEmergencyAccess);
			assert_eq!(EmergencyAccesses::<Test>::get(0).unwrap().review, Review::Pending);
			// Once it has expired, the glass can be broken again.
			assert_ok!(open(MEDIC));
			assert_eq!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC), Some(1));
		});
	}

	#[test]
	fn refuses_others_unknown_patients_and_a_second_open_access() {
		run(|| {
			for who in [DOCTOR, AUDITOR, PATIENT, STRANGER] {
				assert_noop!(open(who), Error::<Test>::NotEmergencyPractitioner);
			}
			// Only at the organisation where the medic does emergency care.
			for elsewhere in [CLINIC, REGISTRY] {
				assert_noop!(
					HealthRecords::break_glass(signed(MEDIC), PATIENT, elsewhere, EmergencyReason::Unresponsive),
					Error::<Test>::NotEmergencyPractitioner
				);
			}
			assert_noop!(
				HealthRecords::break_glass(signed(MEDIC), STRANGER, HOSPITAL, EmergencyReason::LifeThreatening),
				Error::<Test>::NotAPatient
			);
			assert_ok!(open(MEDIC));
			set_now(NOW + EMERGENCY_PERIOD - 1);
			assert_noop!(open(MEDIC), Error::<Test>::EmergencyAccessOpen);
		});
	}

	#[test]
	fn a_practitioner_who_loses_the_role_loses_the_access() {
		run(|| {
			let id = add(Condition, &[]);
			assert_ok!(open(MEDIC));
			// Holding the role at another organisation is not standing where the glass broke.
			identities(|i| {
				i.emergency.remove(&(MEDIC, HOSPITAL));
				i.emergency.insert((MEDIC, CLINIC));
			});
			assert_noop!(log(MEDIC, id, Authority::BreakGlass), Error::<Test>::NotEmergencyPractitioner);
		});
	}
}

mod close_emergency_review {
	use super::*;

	fn opened() -> EmergencyId {
		assert_ok!(HealthRecords::break_glass(signed(MEDIC), PATIENT, HOSPITAL, EmergencyReason::UnableToConsent));
		NextEmergencyId::<Test>::get() - 1
	}

	fn close(who: AccountId, id: EmergencyId) -> DispatchResult {
		HealthRecords::close_emergency_review(signed(who), id, ReviewOutcome::Justified)
	}

	#[test]
	fn an_auditor_closes_the_review_and_the_access_ends() {
		run(|| {
			let record = add(Observation, &[]);
			let id = opened();
			assert_ok!(HealthRecords::close_emergency_review(signed(AUDITOR), id, ReviewOutcome::Justified));
			assert_eq!(
				EmergencyAccesses::<Test>::get(id).unwrap().review,
				Review::Closed { reviewer: AUDITOR, outcome: ReviewOutcome::Justified, at: NOW }
			);
			assert!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC).is_none());
			assert_noop!(log(MEDIC, record, Authority::BreakGlass), Error::<Test>::NoEmergencyAccess);
			assert_eq!(
				last_event(),
				Event::EmergencyReviewClosed {
					emergency: id,
					patient: PATIENT,
					practitioner: MEDIC,
					reviewer: AUDITOR,
					outcome: ReviewOutcome::Justified
				}
			);
		});
	}

	#[test]
	fn a_regulators_auditor_closes_an_expired_access_review() {
		run(|| {
			let first = opened();
			set_now(NOW + EMERGENCY_PERIOD);
			let second = opened();
			assert_ok!(HealthRecords::close_emergency_review(
				signed(REGULATOR_AUDITOR),
				first,
				ReviewOutcome::Unjustified
			));
			// Closing an older review leaves the newer access open.
			assert_eq!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC), Some(second));
			assert_ok!(close(AUDITOR, second));
			assert!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC).is_none());
		});
	}

	#[test]
	fn nobody_reviews_their_own_access_even_as_an_auditor() {
		run(|| {
			// The medic is also an accredited auditor of the hospital, and of a regulator.
			identities(|i| {
				i.auditors.insert((MEDIC, HOSPITAL));
				i.regulatory_auditors.insert(MEDIC);
			});
			let id = opened();
			assert_noop!(close(MEDIC, id), Error::<Test>::OwnEmergencyAccess);
			assert_ok!(close(AUDITOR, id));
		});
	}

	#[test]
	fn the_patient_a_guardian_and_other_organisations_auditors_do_not_review() {
		run(|| {
			let id = opened();
			// The patient is told by the event; the review is an independent check.
			for who in [PATIENT, GUARDIAN, CLINIC_AUDITOR] {
				assert_noop!(close(who, id), Error::<Test>::NotReviewer);
			}
			// An auditor who loses accreditation reviews nothing.
			identities(|i| i.auditors.remove(&(AUDITOR, HOSPITAL)));
			assert_noop!(close(AUDITOR, id), Error::<Test>::NotReviewer);
		});
	}

	#[test]
	fn an_access_from_before_organisations_were_recorded_goes_to_a_regulators_auditor() {
		run(|| {
			let id = opened();
			EmergencyAccesses::<Test>::mutate(id, |a| a.as_mut().unwrap().organisation = None);
			OpenEmergencyAccess::<Test>::remove(PATIENT, MEDIC);
			assert_noop!(close(AUDITOR, id), Error::<Test>::NotReviewer);
			assert_ok!(close(REGULATOR_AUDITOR, id));
		});
	}

	#[test]
	fn refuses_others_unknown_and_closed_reviews() {
		run(|| {
			let id = opened();
			for who in [DOCTOR, OTHER_PATIENT, STRANGER] {
				assert_noop!(
					HealthRecords::close_emergency_review(signed(who), id, ReviewOutcome::Justified),
					Error::<Test>::NotReviewer
				);
			}
			assert_noop!(
				HealthRecords::close_emergency_review(signed(AUDITOR), id + 1, ReviewOutcome::Justified),
				Error::<Test>::UnknownEmergencyAccess
			);
			assert_ok!(HealthRecords::close_emergency_review(signed(AUDITOR), id, ReviewOutcome::Justified));
			assert_noop!(
				HealthRecords::close_emergency_review(signed(REGULATOR_AUDITOR), id, ReviewOutcome::Unjustified),
				Error::<Test>::ReviewClosed
			);
		});
	}
}

mod erase_record {
	use super::*;

	#[test]
	fn erasure_shreds_keys_and_locator_and_keeps_the_hash_and_the_log() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			let id = add(Observation, &[account(DOCTOR), org(HOSPITAL)]);
			let kept = add(Observation, &[account(DOCTOR)]);
			assert_ok!(log(DOCTOR, id, via(account(DOCTOR))));
			set_now(NOW + HOUR);
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), id));
			let erased = Records::<Test>::get(id).unwrap();
			assert_eq!(erased.locator, None);
			assert_eq!(erased.content_hash, hash(7));
			assert_eq!((erased.erased_at, erased.readers), (Some(NOW + HOUR), 0));
			assert_eq!(WrappedKeys::<Test>::iter_prefix(id).count(), 0);
			assert_eq!(Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap().keyed_records.to_vec(), vec![kept]);
			assert!(Grants::<Test>::get(PATIENT, org(HOSPITAL)).unwrap().keyed_records.is_empty());
			assert_eq!(AccessLog::<Test>::get(PATIENT, 0).unwrap().record, id);
			assert!(PatientRecords::<Test>::contains_key(PATIENT, id));
			assert_eq!(
				last_event(),
				Event::RecordErased { record: id, patient: PATIENT, erased_by: PATIENT, keys_removed: 3 }
			);
			// It can no longer be read or shared.
			assert_noop!(log(DOCTOR, id, via(account(DOCTOR))), Error::<Test>::RecordErased);
			assert_noop!(
				HealthRecords::share_keys(signed(PATIENT), PATIENT, org(HOSPITAL), vec![(id, key(5))]),
				Error::<Test>::RecordErased
			);
		});
	}

	#[test]
	fn refuses_others_unknown_and_erased_records() {
		run(|| {
			let id = add(Observation, &[]);
			for who in [DOCTOR, STRANGER, AUDITOR, MEDIC] {
				assert_noop!(HealthRecords::erase_record(signed(who), id), Error::<Test>::NotPatientOrGuardian);
			}
			assert_noop!(HealthRecords::erase_record(signed(PATIENT), id + 1), Error::<Test>::UnknownRecord);
			assert_ok!(HealthRecords::erase_record(signed(GUARDIAN), id));
			assert_noop!(HealthRecords::erase_record(signed(PATIENT), id), Error::<Test>::RecordErased);
		});
	}

	#[test]
	fn refuses_the_record_of_a_patient_no_longer_registered() {
		run(|| {
			let id = add(Observation, &[]);
			identities(|i| {
				i.patients.remove(&PATIENT);
			});
			assert_noop!(HealthRecords::erase_record(signed(PATIENT), id), Error::<Test>::NotAPatient);
		});
	}
}

/// The flow of the issue: a patient grants a practitioner access, the practitioner adds a
/// record and logs an access, the grant is revoked and a further write is refused, the
/// patient erases the record.
#[test]
fn grant_write_read_revoke_erase() {
	run(|| {
		grant(account(DOCTOR), Write, vec![RecordType::DiagnosticReport], NOW + DAY);
		assert_ok!(HealthRecords::add_record(
			signed(DOCTOR),
			PATIENT,
			RecordType::DiagnosticReport,
			hash(7),
			locator(),
			keys(&[account(DOCTOR)]),
			via(account(DOCTOR))
		));
		assert_ok!(HealthRecords::log_access(signed(DOCTOR), 0, AccessPurpose::Treatment, via(account(DOCTOR))));
		assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(DOCTOR)));
		assert_noop!(
			HealthRecords::add_record(
				signed(DOCTOR),
				PATIENT,
				RecordType::DiagnosticReport,
				hash(8),
				locator(),
				keys(&[]),
				via(account(DOCTOR))
			),
			Error::<Test>::NoGrant
		);
		assert_ok!(HealthRecords::erase_record(signed(PATIENT), 0));
		let names: Vec<&str> = events()
			.iter()
			.map(|e| match e {
				Event::AccessGranted { .. } => "granted",
				Event::RecordAdded { .. } => "added",
				Event::RecordAccessed { .. } => "accessed",
				Event::AccessRevoked { .. } => "revoked",
				Event::RecordErased { .. } => "erased",
				_ => "other",
			})
			.collect();
		assert_eq!(names, ["granted", "added", "accessed", "revoked", "erased"]);
		// Every one of them went to the patient's topic.
		assert_eq!(System::event_topics(HealthRecords::patient_topic(&PATIENT)).len(), 5);
	});
}

#[test]
fn try_state_finds_a_counter_that_disagrees() {
	new_test_ext().execute_with(|| {
		consortium();
		add(Observation, &[]);
		assert_ok!(HealthRecords::do_try_state());
		RecordCount::<Test>::insert(PATIENT, 2);
		assert!(HealthRecords::do_try_state().is_err());
		RecordCount::<Test>::insert(PATIENT, 1);
		Records::<Test>::mutate(0, |r| r.as_mut().unwrap().readers = 2);
		assert!(HealthRecords::do_try_state().is_err());
	});
}

mod bounds {
	use super::*;

	#[test]
	fn a_patients_grants_are_bounded_and_revoking_one_gives_its_place_back() {
		run(|| {
			let grantees = [account(DOCTOR), account(COLLEAGUE), org(HOSPITAL), org(CLINIC)];
			for grantee in grantees {
				grant(grantee, Read, vec![Observation], NOW + DAY);
			}
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 4);
			// Changing a grant's terms takes no new place; a fifth grantee finds none.
			grant(account(DOCTOR), Write, vec![Observation, Condition], NOW + DAY);
			assert_noop!(
				HealthRecords::grant_access(signed(GUARDIAN), PATIENT, account(MEDIC), Read, vec![Observation], NOW + DAY),
				Error::<Test>::TooManyGrants
			);
			// Research grants follow consents and take none of the patient's places.
			assert_ok!(HealthRecords::grant_on_research_consent(&PATIENT, &RESEARCHER, vec![Observation], NOW + DAY));
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 4);
			assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, org(CLINIC)));
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 3);
			grant(account(MEDIC), Read, vec![Observation], NOW + DAY);
			// Another patient's places are its own.
			assert_ok!(HealthRecords::grant_access(
				signed(OTHER_PATIENT),
				OTHER_PATIENT,
				account(DOCTOR),
				Read,
				vec![Observation],
				NOW + DAY
			));
			for grantee in [account(DOCTOR), account(COLLEAGUE), org(HOSPITAL), account(MEDIC)] {
				assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, grantee));
			}
			assert!(!PatientGrantCount::<Test>::contains_key(PATIENT));
		});
	}

	#[test]
	fn records_the_patient_and_its_guardians_write_are_bounded() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			let first = add(Observation, &[]);
			for _ in 0..3 {
				add(Observation, &[]);
			}
			// A guardian's record and an amendment count as the patient's.
			assert_ok!(HealthRecords::add_record(
				signed(GUARDIAN),
				PATIENT,
				Observation,
				hash(9),
				locator(),
				keys(&[]),
				AS_PATIENT
			));
			assert_ok!(HealthRecords::amend_record(signed(PATIENT), first, hash(8), locator(), keys(&[]), AS_PATIENT));
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 6);
			assert_noop!(
				HealthRecords::add_record(signed(PATIENT), PATIENT, Observation, hash(7), locator(), keys(&[]), AS_PATIENT),
				Error::<Test>::TooManyRecordsWrittenByPatient
			);
			assert_noop!(
				HealthRecords::amend_record(signed(GUARDIAN), first + 1, hash(8), locator(), keys(&[]), AS_PATIENT),
				Error::<Test>::TooManyRecordsWrittenByPatient
			);
			// Erasing gives no place back (the erased record stays, shredded); a practitioner's
			// records under a grant are not the patient's to count.
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), first + 1));
			assert_ok!(HealthRecords::add_record(
				signed(DOCTOR),
				PATIENT,
				Observation,
				hash(7),
				locator(),
				keys(&[account(DOCTOR)]),
				via(account(DOCTOR))
			));
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 6);
		});
	}

	#[test]
	fn a_patients_own_reads_are_not_logged_but_a_guardians_are() {
		run(|| {
			let id = add(Observation, &[]);
			assert_noop!(log(PATIENT, id, AS_PATIENT), Error::<Test>::OwnReadNotLogged);
			assert_ok!(log(GUARDIAN, id, AS_PATIENT));
			assert_eq!(AccessLogLength::<Test>::get(PATIENT), 1);
		});
	}
}

#[test]
fn try_state_finds_a_grant_count_that_disagrees() {
	new_test_ext().execute_with(|| {
		consortium();
		grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
		assert_ok!(HealthRecords::do_try_state());
		PatientGrantCount::<Test>::insert(PATIENT, 2);
		assert!(HealthRecords::do_try_state().is_err());
		PatientGrantCount::<Test>::insert(PATIENT, 1);
		RecordsWrittenByPatient::<Test>::insert(PATIENT, 1);
		assert!(HealthRecords::do_try_state().is_err());
	});
}

#[test]
fn the_configured_bounds_pass_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<HealthRecords as Hooks<u64>>::integrity_test();
	});
}

mod migrations {
	use super::*;
	use crate::migrations::{
		v1::{v0, MigrateV0ToV1},
		v2::MigrateV1ToV2,
	};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	#[test]
	fn v1_keeps_every_break_glass_access_and_ends_the_open_ones() {
		run(|| {
			StorageVersion::new(0).put::<HealthRecords>();
			let old = |practitioner, review| v0::EmergencyAccess::<AccountId> {
				patient: PATIENT,
				practitioner,
				reason: EmergencyReason::Unresponsive,
				opened_at: NOW,
				expires_at: NOW + EMERGENCY_PERIOD,
				review,
			};
			let closed = Review::Closed { reviewer: AUDITOR, outcome: ReviewOutcome::Justified, at: NOW };
			frame_support::storage::unhashed::put(&EmergencyAccesses::<Test>::hashed_key_for(0), &old(MEDIC, Review::Pending));
			frame_support::storage::unhashed::put(&EmergencyAccesses::<Test>::hashed_key_for(1), &old(DOCTOR, closed.clone()));
			OpenEmergencyAccess::<Test>::insert(PATIENT, MEDIC, 0);
			NextEmergencyId::<Test>::put(2);

			MigrateV0ToV1::<Test>::on_runtime_upgrade();

			assert_eq!(HealthRecords::on_chain_storage_version(), 1);
			let pending = EmergencyAccesses::<Test>::get(0).unwrap();
			assert_eq!((pending.practitioner, pending.organisation, pending.review), (MEDIC, None, Review::Pending));
			assert_eq!(EmergencyAccesses::<Test>::get(1).unwrap().review, closed);
			assert!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC).is_none());
			// The unknown organisation's access is a regulator's auditor's to review.
			assert_ok!(HealthRecords::close_emergency_review(signed(REGULATOR_AUDITOR), 0, ReviewOutcome::Justified));

			// It runs once: at version 1 it does nothing.
			assert_ok!(HealthRecords::break_glass(signed(MEDIC), PATIENT, HOSPITAL, EmergencyReason::Unresponsive));
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(EmergencyAccesses::<Test>::get(2).unwrap().organisation, Some(HOSPITAL));
			assert_eq!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC), Some(2));
		});
	}

	#[test]
	fn v2_counts_each_patients_grants_and_own_records() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			grant(org(CLINIC), Read, vec![Observation], NOW + DAY);
			assert_ok!(HealthRecords::grant_on_research_consent(&PATIENT, &RESEARCHER, vec![Observation], NOW + DAY));
			add(Observation, &[]);
			add(Condition, &[]);
			assert_ok!(HealthRecords::add_record(
				signed(DOCTOR),
				PATIENT,
				Observation,
				hash(8),
				locator(),
				keys(&[account(DOCTOR)]),
				via(account(DOCTOR))
			));
			// A chain at version 1 had no counters.
			StorageVersion::new(1).put::<HealthRecords>();
			let _ = PatientGrantCount::<Test>::clear(u32::MAX, None);
			let _ = RecordsWrittenByPatient::<Test>::clear(u32::MAX, None);

			MigrateV1ToV2::<Test>::on_runtime_upgrade();

			assert_eq!(HealthRecords::on_chain_storage_version(), 2);
			// The research grant and the doctor's record are not the patient's to count.
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 2);
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 2);
			assert_ok!(HealthRecords::do_try_state());
			// It runs once.
			add(Observation, &[]);
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 3);
		});
	}

	#[test]
	fn a_new_chain_starts_at_the_current_version() {
		assert_eq!(HealthRecords::in_code_storage_version(), crate::STORAGE_VERSION);
		assert_eq!(crate::STORAGE_VERSION, 2);
	}
}
