//! Tests of the health-records pallet: every call's success, each of its errors and each
//! refused caller, what a custodian hears when it asks to release a record, expiry at the
//! boundary, and the flows of the custody issue (grant, write, release and log, revoke,
//! break-glass, erase and confirm). Every test ends with the pallet's `try_state` check.

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
const HOSPITAL_VAULT: AccountId = 50;
const LAB_VAULT: AccountId = 51;
const STRANGER: AccountId = 99;

const HOSPITAL: OrganisationId = 100;
const CLINIC: OrganisationId = 101;
const REGISTRY: OrganisationId = 102;
const PHARMACY: OrganisationId = 103;
const LABORATORY: OrganisationId = 104;

const HOUR: Moment = 3_600_000;
const DAY: Moment = 24 * HOUR;

use AccessLevel::{Read, Write};
use AccessPurpose::{Emergency, Treatment};
use RecordType::{Condition, Immunization, Observation};

type DispatchResult = Result<(), DispatchError>;
type AuthorityOf = Authority<AccountId, OrganisationId>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn account(who: AccountId) -> Grantee<AccountId, OrganisationId> {
	Grantee::Account(who)
}

fn org(id: OrganisationId) -> Grantee<AccountId, OrganisationId> {
	Grantee::Organisation(id)
}

fn via(grantee: Grantee<AccountId, OrganisationId>) -> AuthorityOf {
	Authority::Grant(grantee)
}

const AS_PATIENT: AuthorityOf = Authority::PatientOrGuardian;

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// Two patients, a guardian, three practitioners at the hospital (the medic also does
/// emergency care there), one at the clinic, the hospital's and the clinic's auditors and a
/// regulator's, a nurse at the hospital, a pharmacist at a pharmacy, a laboratory scientist at
/// a laboratory, a certified researcher; a registry that is not a care provider. The hospital
/// and the laboratory run record vaults; the clinic does not.
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
		i.vaults.extend([(HOSPITAL, HOSPITAL_VAULT), (LABORATORY, LAB_VAULT)]);
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

/// The other patient grants the doctor Observations for a day.
fn other_patient_grants_the_doctor() {
	assert_ok!(HealthRecords::grant_access(signed(OTHER_PATIENT), OTHER_PATIENT, account(DOCTOR), Read, vec![Observation], NOW + DAY));
}

/// `who` adds a record of `record_type` for the patient under `authority`, held by `custodian`.
fn write(who: AccountId, record_type: RecordType, custodian: OrganisationId, authority: AuthorityOf) -> DispatchResult {
	HealthRecords::add_record(signed(who), PATIENT, record_type, hash(7), custodian, authority)
}

/// The patient adds a record of `record_type`, held by the hospital's vault.
fn add(record_type: RecordType) -> RecordId {
	assert_ok!(write(PATIENT, record_type, HOSPITAL, AS_PATIENT));
	NextRecordId::<Test>::get() - 1
}

/// What the chain answers a custodian asking whether `who` may read `record` now.
fn read(who: AccountId, record: RecordId) -> Result<AuthorityOf, DispatchError> {
	HealthRecords::read_permit(record, &who).map(|permit| permit.authority).map_err(Into::into)
}

fn release(record: RecordId, reader: AccountId, authority: AuthorityOf) -> Release<AccountId, OrganisationId> {
	Release { record, reader, authority, emergency: None, purpose: Treatment }
}

/// `vault` logs `releases`.
fn log(vault: AccountId, releases: Vec<Release<AccountId, OrganisationId>>) -> DispatchResult {
	HealthRecords::log_releases(signed(vault), releases)
}

mod add_record {
	use super::*;

	#[test]
	fn the_patient_adds_a_record_held_by_a_custodian() {
		run(|| {
			let id = add(Observation);
			assert_eq!(
				Records::<Test>::get(id).unwrap(),
				Record {
					patient: PATIENT,
					author: PATIENT,
					record_type: Observation,
					content_hash: hash(7),
					custodian: Some(HOSPITAL),
					created_at: NOW,
					version: 1,
					amends: None,
					amended_by: None,
					erased_at: None,
					erasure_confirmed_at: None,
				}
			);
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
					custodian: HOSPITAL,
				}
			);
		});
	}

	#[test]
	fn every_event_carries_the_patient_topic() {
		run(|| {
			add(Observation);
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
			assert_ok!(HealthRecords::add_record(signed(GUARDIAN), PATIENT, Immunization, hash(7), LABORATORY, AS_PATIENT));
			let record = Records::<Test>::get(0).unwrap();
			assert_eq!((record.author, record.custodian), (GUARDIAN, Some(LABORATORY)));
		});
	}

	#[test]
	fn a_practitioner_adds_a_record_under_a_write_grant() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation, Condition], NOW + DAY);
			assert_ok!(write(DOCTOR, Condition, HOSPITAL, via(account(DOCTOR))));
			assert_eq!(Records::<Test>::get(0).unwrap().author, DOCTOR);
		});
	}

	#[test]
	fn clinical_staff_add_records_under_their_organisations_grant() {
		run(|| {
			grant(org(HOSPITAL), Write, vec![Observation], NOW + DAY);
			grant(org(LABORATORY), Write, vec![Observation], NOW + DAY);
			assert_ok!(write(COLLEAGUE, Observation, HOSPITAL, via(org(HOSPITAL))));
			assert_ok!(write(NURSE, Observation, HOSPITAL, via(org(HOSPITAL))));
			assert_ok!(write(LAB_SCIENTIST, Observation, LABORATORY, via(org(LABORATORY))));
			assert_noop!(write(PHARMACIST, Observation, HOSPITAL, via(org(HOSPITAL))), Error::<Test>::NotGrantee);
		});
	}

	#[test]
	fn refuses_callers_without_authority() {
		run(|| {
			identities(|i| {
				i.patients.insert(STRANGER);
			});
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			let try_add = |who, authority| write(who, Observation, HOSPITAL, authority);
			for who in [STRANGER, DOCTOR, OTHER_PATIENT, HOSPITAL_VAULT] {
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
				HealthRecords::add_record(signed(STRANGER), STRANGER, Observation, hash(7), HOSPITAL, AS_PATIENT),
				Error::<Test>::NotAPatient
			);
		});
	}

	#[test]
	fn a_write_grant_works_until_its_expiry_and_covers_only_its_types() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			grant(account(COLLEAGUE), Read, vec![Observation], NOW + DAY);
			let try_add = |who, record_type| write(who, record_type, HOSPITAL, via(account(who)));
			assert_noop!(try_add(DOCTOR, Condition), Error::<Test>::RecordTypeNotGranted);
			assert_noop!(try_add(COLLEAGUE, Observation), Error::<Test>::ReadOnlyGrant);
			set_now(NOW + DAY - 1);
			assert_ok!(try_add(DOCTOR, Observation));
			set_now(NOW + DAY);
			assert_noop!(try_add(DOCTOR, Observation), Error::<Test>::GrantExpired);
		});
	}

	#[test]
	fn validates_the_hash_and_the_custodian() {
		run(|| {
			let try_add = |content_hash, custodian| {
				HealthRecords::add_record(signed(PATIENT), PATIENT, Observation, content_hash, custodian, AS_PATIENT)
			};
			assert_noop!(try_add(H256::zero(), HOSPITAL), Error::<Test>::EmptyContentHash);
			// An organisation with no vault, an unknown one, one whose vault is gone.
			assert_noop!(try_add(hash(7), CLINIC), Error::<Test>::NoCustodian);
			assert_noop!(try_add(hash(7), 999), Error::<Test>::NoCustodian);
			identities(|i| i.vaults.remove(&LABORATORY));
			assert_noop!(try_add(hash(7), LABORATORY), Error::<Test>::NoCustodian);
			assert_ok!(try_add(hash(7), HOSPITAL));
		});
	}
}

mod amend_record {
	use super::*;

	fn amend(who: AccountId, record: RecordId, authority: AuthorityOf) -> DispatchResult {
		HealthRecords::amend_record(signed(who), record, hash(8), authority)
	}

	#[test]
	fn an_amendment_is_a_new_version_at_the_same_custodian() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Condition], NOW + DAY);
			let old = add(Condition);
			assert_ok!(amend(DOCTOR, old, via(account(DOCTOR))));
			let new = old + 1;
			let amended = Records::<Test>::get(old).unwrap();
			let amendment = Records::<Test>::get(new).unwrap();
			assert_eq!(amended.amended_by, Some(new));
			assert_eq!((amendment.amends, amendment.version, amendment.custodian), (Some(old), 2, Some(HOSPITAL)));
			assert_eq!((amendment.record_type, amendment.content_hash, amendment.author), (Condition, hash(8), DOCTOR));
			assert_eq!(RecordCount::<Test>::get(PATIENT), 2);
			assert_eq!(
				last_event(),
				Event::RecordAmended {
					record: new,
					amends: old,
					patient: PATIENT,
					author: DOCTOR,
					content_hash: hash(8),
					version: 2,
				}
			);
			// The old version stays readable by those who may read it.
			assert_eq!(read(DOCTOR, old), Ok(via(account(DOCTOR))));
			assert_noop!(amend(PATIENT, old, AS_PATIENT), Error::<Test>::RecordAlreadyAmended);
			assert_ok!(amend(GUARDIAN, new, AS_PATIENT));
			// Three versions is the mock's bound: a fourth is a new record.
			assert_noop!(amend(PATIENT, new + 1, AS_PATIENT), Error::<Test>::TooManyVersions);
		});
	}

	#[test]
	fn refuses_unknown_erased_unauthorised_and_a_custodian_gone() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Condition], NOW + DAY);
			let id = add(Condition);
			assert_noop!(amend(PATIENT, 9, AS_PATIENT), Error::<Test>::UnknownRecord);
			assert_noop!(amend(STRANGER, id, AS_PATIENT), Error::<Test>::NotPatientOrGuardian);
			assert_noop!(amend(DOCTOR, id, via(account(DOCTOR))), Error::<Test>::ReadOnlyGrant);
			assert_noop!(amend(OUTSIDER, id, via(account(OUTSIDER))), Error::<Test>::NoGrant);
			assert_noop!(amend(MEDIC, id, Authority::BreakGlass), Error::<Test>::BreakGlassIsReadOnly);
			assert_noop!(
				HealthRecords::amend_record(signed(PATIENT), id, H256::zero(), AS_PATIENT),
				Error::<Test>::EmptyContentHash
			);
			identities(|i| i.vaults.remove(&HOSPITAL));
			assert_noop!(amend(PATIENT, id, AS_PATIENT), Error::<Test>::NoCustodian);
			identities(|i| i.vaults.insert(HOSPITAL, HOSPITAL_VAULT));
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
	fn granting_again_changes_the_terms() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation, Condition], NOW + DAY);
			let condition = add(Condition);
			assert_eq!(read(DOCTOR, condition), Ok(via(account(DOCTOR))));
			grant(account(DOCTOR), Write, vec![Observation], NOW + 2 * DAY);
			let doctors = Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap();
			assert_eq!((doctors.access, doctors.expires_at), (Write, NOW + 2 * DAY));
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 1);
			// Narrowed: custodians no longer release what it stopped covering.
			assert_eq!(read(DOCTOR, condition), Err(Error::<Test>::RecordTypeNotGranted.into()));
		});
	}

	#[test]
	fn refuses_callers_other_than_the_patient_or_a_guardian() {
		run(|| {
			for who in [DOCTOR, STRANGER, OTHER_PATIENT, AUDITOR, HOSPITAL_VAULT] {
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
	fn revoking_ends_reading_and_writing_and_keeps_the_log() {
		run(|| {
			grant(account(DOCTOR), Write, vec![Observation], NOW + DAY);
			let first = add(Observation);
			assert_ok!(log(HOSPITAL_VAULT, vec![release(first, DOCTOR, via(account(DOCTOR)))]));
			assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(DOCTOR)));
			assert!(Grants::<Test>::get(PATIENT, account(DOCTOR)).is_none());
			assert_eq!(
				last_event(),
				Event::AccessRevoked { patient: PATIENT, grantee: account(DOCTOR), revoked_by: PATIENT }
			);
			assert_eq!(read(DOCTOR, first), Err(Error::<Test>::NoGrant.into()));
			assert_noop!(write(DOCTOR, Observation, HOSPITAL, via(account(DOCTOR))), Error::<Test>::NoGrant);
			// The access log keeps the read made while the grant stood.
			assert_eq!(AccessLogLength::<Test>::get(PATIENT), 1);
		});
	}

	#[test]
	fn a_guardian_revokes_an_expired_grant() {
		run(|| {
			grant(org(HOSPITAL), Read, vec![Observation], NOW + HOUR);
			set_now(NOW + DAY);
			assert_ok!(HealthRecords::revoke_access(signed(GUARDIAN), PATIENT, org(HOSPITAL)));
			assert!(matches!(last_event(), Event::AccessRevoked { revoked_by: GUARDIAN, .. }));
		});
	}

	#[test]
	fn refuses_others_and_missing_grants() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			for who in [DOCTOR, STRANGER, AUDITOR, HOSPITAL_VAULT] {
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

mod read_permit {
	use super::*;

	#[test]
	fn the_patient_guardians_and_grantees_may_read() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			grant(org(PHARMACY), Read, vec![Observation], NOW + DAY);
			let id = add(Observation);
			identities(|i| i.keys.insert(PATIENT, [5; 32]));
			assert_eq!(
				HealthRecords::read_permit(id, &PATIENT).map_err(DispatchError::from),
				Ok(ReadPermit {
					patient: PATIENT,
					record_type: Observation,
					content_hash: hash(7),
					reader_key: Some([5; 32]),
					custodian: Some(HOSPITAL),
					authority: AS_PATIENT,
					emergency: None,
				})
			);
			assert_eq!(read(GUARDIAN, id), Ok(AS_PATIENT));
			// The practitioner's own grant first; colleagues, nurses and pharmacists under
			// their organisation's.
			assert_eq!(read(DOCTOR, id), Ok(via(account(DOCTOR))));
			assert_eq!(read(COLLEAGUE, id), Ok(via(org(HOSPITAL))));
			assert_eq!(read(NURSE, id), Ok(via(org(HOSPITAL))));
			assert_eq!(read(PHARMACIST, id), Ok(via(org(PHARMACY))));
			// And only while they hold their role there.
			identities(|i| i.clinical_staff.remove(&(PHARMACIST, PHARMACY)));
			assert_eq!(read(PHARMACIST, id), Err(Error::<Test>::NoGrant.into()));
		});
	}

	#[test]
	fn names_the_key_to_wrap_to_which_a_reader_without_one_lacks() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let id = add(Observation);
			let key = |who| HealthRecords::read_permit(id, &who).map(|permit| permit.reader_key).map_err(DispatchError::from);
			// A practitioner who has not set a staff key gets a permit, with nothing to wrap
			// to: the vault tells it to set one.
			assert_eq!(key(DOCTOR), Ok(None));
			identities(|i| i.keys.insert(DOCTOR, [8; 32]));
			assert_eq!(key(DOCTOR), Ok(Some([8; 32])));
		});
	}

	#[test]
	fn a_grant_lets_read_until_its_expiry_and_for_its_types() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let observation = add(Observation);
			let condition = add(Condition);
			assert_eq!(read(DOCTOR, condition), Err(Error::<Test>::RecordTypeNotGranted.into()));
			set_now(NOW + DAY - 1);
			assert_eq!(read(DOCTOR, observation), Ok(via(account(DOCTOR))));
			set_now(NOW + DAY);
			assert_eq!(read(DOCTOR, observation), Err(Error::<Test>::GrantExpired.into()));
		});
	}

	#[test]
	fn refuses_unknown_erased_and_everyone_else() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let id = add(Observation);
			assert_eq!(read(DOCTOR, 9), Err(Error::<Test>::UnknownRecord.into()));
			for who in [STRANGER, OTHER_PATIENT, OUTSIDER, COLLEAGUE, MEDIC, AUDITOR, HOSPITAL_VAULT, LAB_VAULT] {
				assert_eq!(read(who, id), Err(Error::<Test>::NoGrant.into()));
			}
			// The doctor's licence lapses: the grant is there, the standing is not.
			identities(|i| {
				i.practitioners.remove(&(DOCTOR, HOSPITAL));
			});
			assert_eq!(read(DOCTOR, id), Err(Error::<Test>::NotGrantee.into()));
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), id));
			assert_eq!(read(PATIENT, id), Err(Error::<Test>::RecordErased.into()));
		});
	}

	#[test]
	fn custodians_ask_before_accepting_an_upload() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let permit = |who, authority| {
				HealthRecords::write_permit(&who, &PATIENT, Observation, &authority).map_err(DispatchError::from)
			};
			assert_eq!(permit(PATIENT, AS_PATIENT), Ok(()));
			assert_eq!(permit(GUARDIAN, AS_PATIENT), Ok(()));
			assert_eq!(permit(DOCTOR, via(account(DOCTOR))), Err(Error::<Test>::ReadOnlyGrant.into()));
			assert_eq!(permit(STRANGER, AS_PATIENT), Err(Error::<Test>::NotPatientOrGuardian.into()));
			assert_eq!(
				HealthRecords::write_permit(&PATIENT, &STRANGER, Observation, &AS_PATIENT).map_err(DispatchError::from),
				Err(Error::<Test>::NotAPatient.into())
			);
		});
	}
}

mod claim_documents {
	use super::*;

	const BILLER: AccountId = 60;
	const PAYER: AccountId = 61;
	const INSURER: OrganisationId = 300;

	/// The hospital's claims officer files claims for it; the insurer's claims officer reads the
	/// documents of the claims it is the insurer of (as the claims pallet answers).
	fn billing() {
		identities(|i| i.claims_filers.insert((BILLER, HOSPITAL)));
	}

	fn file(who: AccountId, record_type: RecordType, organisation: OrganisationId) -> DispatchResult {
		write(who, record_type, HOSPITAL, Authority::Billing(organisation))
	}

	#[test]
	fn a_claims_officer_files_a_claim_document_for_its_provider() {
		run(|| {
			billing();
			assert_ok!(file(BILLER, RecordType::Claim, HOSPITAL));
			let id = NextRecordId::<Test>::get() - 1;
			let filed = Records::<Test>::get(id).unwrap();
			assert_eq!((filed.patient, filed.author, filed.record_type), (PATIENT, BILLER, RecordType::Claim));
			// It is not the patient's own writing: the patient's bound is untouched.
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 0);
			assert_eq!(
				HealthRecords::write_permit(&BILLER, &PATIENT, RecordType::Claim, &Authority::Billing(HOSPITAL))
					.map_err(DispatchError::from),
				Ok(())
			);
		});
	}

	#[test]
	fn billing_writes_claim_documents_only_and_only_for_the_filers_provider() {
		run(|| {
			billing();
			assert_noop!(file(BILLER, Observation, HOSPITAL), Error::<Test>::BillingIsForClaimDocuments);
			assert_noop!(file(BILLER, RecordType::Claim, CLINIC), Error::<Test>::NotClaimsFiler);
			for who in [DOCTOR, NURSE, PAYER, AUDITOR, REGULATOR_AUDITOR, STRANGER, PATIENT] {
				assert_noop!(file(who, RecordType::Claim, HOSPITAL), Error::<Test>::NotClaimsFiler);
			}
			// A claims officer who leaves loses the standing at once.
			identities(|i| i.claims_filers.clear());
			assert_noop!(file(BILLER, RecordType::Claim, HOSPITAL), Error::<Test>::NotClaimsFiler);
		});
	}

	#[test]
	fn the_claims_parties_read_a_claim_document_and_nobody_else() {
		run(|| {
			billing();
			assert_ok!(file(BILLER, RecordType::Claim, HOSPITAL));
			let id = NextRecordId::<Test>::get() - 1;
			// Before a claim names it, only the patient reads it.
			assert_eq!(read(PATIENT, id), Ok(AS_PATIENT));
			assert_eq!(read(PAYER, id), Err(Error::<Test>::NoGrant.into()));
			identities(|i| {
				i.claim_readers.extend([(PAYER, id, INSURER), (BILLER, id, HOSPITAL), (REGULATOR_AUDITOR, id, 400)])
			});
			assert_eq!(read(PAYER, id), Ok(Authority::Billing(INSURER)));
			assert_eq!(read(BILLER, id), Ok(Authority::Billing(HOSPITAL)));
			assert_eq!(read(REGULATOR_AUDITOR, id), Ok(Authority::Billing(400)));
			// Clinicians with a grant of every other type, and everyone else, do not.
			let mut clinical = RecordType::ALL.to_vec();
			clinical.retain(|t| *t != RecordType::Claim);
			grant(org(HOSPITAL), Read, clinical, NOW + DAY);
			for who in [DOCTOR, NURSE, AUDITOR, STRANGER, OTHER_PATIENT] {
				assert!(read(who, id).is_err(), "{who} read a claim document");
			}
			// A claim party's reading is for claim documents alone.
			let observation = add(Observation);
			assert_eq!(read(PAYER, observation), Err(Error::<Test>::NoGrant.into()));
			identities(|i| i.claim_readers.insert((PAYER, observation, INSURER)));
			assert_eq!(read(PAYER, observation), Err(Error::<Test>::NoGrant.into()));
		});
	}
}

mod log_releases {
	use super::*;

	#[test]
	fn the_custodian_logs_each_release_on_the_patients_log() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(org(HOSPITAL), Read, vec![Observation], NOW + DAY);
			let id = add(Observation);
			assert_ok!(HealthRecords::add_record(signed(OTHER_PATIENT), OTHER_PATIENT, Observation, hash(9), HOSPITAL, AS_PATIENT));
			let others = id + 1;
			set_now(NOW + HOUR);
			let colleague = Release { purpose: AccessPurpose::CareCoordination, ..release(id, COLLEAGUE, via(org(HOSPITAL))) };
			assert_ok!(log(
				HOSPITAL_VAULT,
				vec![
					release(id, DOCTOR, via(account(DOCTOR))),
					colleague,
					release(others, GUARDIAN, AS_PATIENT),
				]
			));
			assert_eq!(AccessLogLength::<Test>::get(PATIENT), 2);
			assert_eq!(AccessLogLength::<Test>::get(OTHER_PATIENT), 1);
			assert_eq!(
				AccessLog::<Test>::get(PATIENT, 1).unwrap(),
				AccessEntry {
					record: id,
					accessor: COLLEAGUE,
					authority: via(org(HOSPITAL)),
					emergency: None,
					purpose: AccessPurpose::CareCoordination,
					at: NOW + HOUR,
					released_by: Some(HOSPITAL),
				}
			);
			let accessed: Vec<_> = events()
				.into_iter()
				.filter(|e| matches!(e, Event::RecordAccessed { .. }))
				.collect();
			assert_eq!(accessed.len(), 3);
			assert_eq!(
				accessed[0],
				Event::RecordAccessed {
					patient: PATIENT,
					record: id,
					accessor: DOCTOR,
					authority: via(account(DOCTOR)),
					purpose: Treatment,
					emergency: None,
					entry: 0,
					released_by: HOSPITAL,
				}
			);
			// Each went to its own patient's topic.
			assert_eq!(System::event_topics(HealthRecords::patient_topic(&OTHER_PATIENT)).len(), 2);
		});
	}

	#[test]
	fn only_the_records_custodian_logs_and_a_refused_batch_logs_nothing() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let id = add(Observation);
			assert_ok!(HealthRecords::add_record(signed(PATIENT), PATIENT, Observation, hash(9), LABORATORY, AS_PATIENT));
			let labs = id + 1;
			// Readers do not log their own reads; no other vault logs the hospital's releases.
			for who in [DOCTOR, PATIENT, GUARDIAN, STRANGER, LAB_VAULT] {
				assert_noop!(log(who, vec![release(id, DOCTOR, via(account(DOCTOR)))]), Error::<Test>::NotCustodian);
			}
			// One release of another custodian's record refuses the whole batch.
			assert_noop!(
				log(HOSPITAL_VAULT, vec![release(id, DOCTOR, via(account(DOCTOR))), release(labs, DOCTOR, via(account(DOCTOR)))]),
				Error::<Test>::NotCustodian
			);
			assert_noop!(log(HOSPITAL_VAULT, vec![release(9, DOCTOR, via(account(DOCTOR)))]), Error::<Test>::UnknownRecord);
			assert_noop!(log(HOSPITAL_VAULT, vec![]), Error::<Test>::NoReleases);
			assert_noop!(
				log(HOSPITAL_VAULT, vec![release(id, DOCTOR, via(account(DOCTOR))); 4]),
				Error::<Test>::TooManyReleases
			);
			// A patient's own reads are not logged: the log is of who else read.
			assert_noop!(log(HOSPITAL_VAULT, vec![release(id, PATIENT, AS_PATIENT)]), Error::<Test>::OwnReadNotLogged);
			assert_noop!(
				HealthRecords::log_releases(RuntimeOrigin::none(), vec![release(id, DOCTOR, via(account(DOCTOR)))]),
				DispatchError::BadOrigin
			);
			// A custodian whose vault is retired, or whose organisation is suspended, logs nothing.
			identities(|i| i.vaults.remove(&HOSPITAL));
			assert_noop!(log(HOSPITAL_VAULT, vec![release(id, DOCTOR, via(account(DOCTOR)))]), Error::<Test>::NotCustodian);
		});
	}

	#[test]
	fn a_read_released_under_a_grant_since_ended_is_still_logged() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let id = add(Observation);
			assert_eq!(read(DOCTOR, id), Ok(via(account(DOCTOR))));
			assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(DOCTOR)));
			assert_ok!(log(HOSPITAL_VAULT, vec![release(id, DOCTOR, via(account(DOCTOR)))]));
			assert_eq!(AccessLog::<Test>::get(PATIENT, 0).unwrap().accessor, DOCTOR);
		});
	}
}

mod break_glass {
	use super::*;

	fn open(who: AccountId) -> DispatchResult {
		HealthRecords::break_glass(signed(who), PATIENT, HOSPITAL, EmergencyReason::Unresponsive)
	}

	fn emergency_release(record: RecordId, emergency: EmergencyId) -> Release<AccountId, OrganisationId> {
		Release { emergency: Some(emergency), purpose: Emergency, ..release(record, MEDIC, Authority::BreakGlass) }
	}

	#[test]
	fn opens_time_boxed_logged_access_announced_to_the_patient() {
		run(|| {
			let id = add(Condition);
			assert_ok!(open(MEDIC));
			let access = EmergencyAccesses::<Test>::get(0).unwrap();
			assert_eq!((access.patient, access.practitioner), (PATIENT, MEDIC));
			assert_eq!(access.organisation, Some(HOSPITAL));
			assert_eq!((access.opened_at, access.expires_at), (NOW, NOW + EMERGENCY_PERIOD));
			assert_eq!(access.review, Review::Pending);
			assert_eq!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC), Some(0));
			// The patient finds it among its own, used or not.
			assert_eq!(EmergenciesByPatient::<Test>::iter_key_prefix(PATIENT).collect::<Vec<_>>(), vec![0]);
			assert_eq!(EmergenciesByPatient::<Test>::iter_key_prefix(OTHER_PATIENT).count(), 0);
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
			assert_eq!(
				HealthRecords::read_permit(id, &MEDIC).map(|p| (p.authority, p.emergency)).map_err(DispatchError::from),
				Ok((Authority::BreakGlass, Some(0)))
			);
			assert_ok!(log(HOSPITAL_VAULT, vec![emergency_release(id, 0)]));
			assert_eq!(AccessLog::<Test>::get(PATIENT, 0).unwrap().emergency, Some(0));
			assert!(matches!(last_event(), Event::RecordAccessed { emergency: Some(0), .. }));
			// It ends by itself, and stays marked for review.
			set_now(NOW + EMERGENCY_PERIOD);
			assert_eq!(read(MEDIC, id), Err(Error::<Test>::NoGrant.into()));
			assert_eq!(EmergencyAccesses::<Test>::get(0).unwrap().review, Review::Pending);
			// Once it has expired, the glass can be broken again.
			assert_ok!(open(MEDIC));
			assert_eq!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC), Some(1));
		});
	}

	#[test]
	fn a_release_names_the_readers_own_access_to_that_patient() {
		run(|| {
			let id = add(Condition);
			assert_ok!(HealthRecords::add_record(signed(OTHER_PATIENT), OTHER_PATIENT, Observation, hash(9), HOSPITAL, AS_PATIENT));
			assert_ok!(open(MEDIC));
			assert_ok!(HealthRecords::break_glass(signed(MEDIC), OTHER_PATIENT, HOSPITAL, EmergencyReason::Unresponsive));
			assert_noop!(log(HOSPITAL_VAULT, vec![emergency_release(id, 7)]), Error::<Test>::NotReadersEmergencyAccess);
			// The access to the other patient is not an access to this one's records.
			assert_noop!(log(HOSPITAL_VAULT, vec![emergency_release(id, 1)]), Error::<Test>::NotReadersEmergencyAccess);
			let doctors = Release { reader: DOCTOR, ..emergency_release(id, 0) };
			assert_noop!(log(HOSPITAL_VAULT, vec![doctors]), Error::<Test>::NotReadersEmergencyAccess);
			assert_ok!(log(HOSPITAL_VAULT, vec![emergency_release(id, 0), emergency_release(id + 1, 1)]));
		});
	}

	#[test]
	fn refuses_others_unknown_patients_and_a_second_open_access() {
		run(|| {
			for who in [DOCTOR, AUDITOR, PATIENT, STRANGER, HOSPITAL_VAULT] {
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
			let id = add(Condition);
			assert_ok!(open(MEDIC));
			// Holding the role at another organisation is not standing where the glass broke.
			identities(|i| {
				i.emergency.remove(&(MEDIC, HOSPITAL));
				i.emergency.insert((MEDIC, CLINIC));
			});
			assert_eq!(read(MEDIC, id), Err(Error::<Test>::NoGrant.into()));
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
			let record = add(Observation);
			let id = opened();
			assert_ok!(HealthRecords::close_emergency_review(signed(AUDITOR), id, ReviewOutcome::Justified));
			assert_eq!(
				EmergencyAccesses::<Test>::get(id).unwrap().review,
				Review::Closed { reviewer: AUDITOR, outcome: ReviewOutcome::Justified, at: NOW }
			);
			assert!(OpenEmergencyAccess::<Test>::get(PATIENT, MEDIC).is_none());
			assert_eq!(read(MEDIC, record), Err(Error::<Test>::NoGrant.into()));
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
	fn erasure_marks_every_version_for_its_custodian_and_keeps_the_hash_and_the_log() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let first = add(Observation);
			assert_ok!(HealthRecords::amend_record(signed(PATIENT), first, hash(8), AS_PATIENT));
			let second = first + 1;
			let kept = add(Observation);
			assert_ok!(log(HOSPITAL_VAULT, vec![release(first, DOCTOR, via(account(DOCTOR)))]));
			set_now(NOW + HOUR);
			// Naming any version erases them all.
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), first));
			for (id, content_hash) in [(first, hash(7)), (second, hash(8))] {
				let erased = Records::<Test>::get(id).unwrap();
				assert_eq!(erased.content_hash, content_hash);
				assert_eq!((erased.erased_at, erased.erasure_confirmed_at), (Some(NOW + HOUR), None));
				assert!(PatientRecords::<Test>::contains_key(PATIENT, id));
			}
			assert!(!Records::<Test>::get(kept).unwrap().is_erased());
			assert_eq!(AccessLog::<Test>::get(PATIENT, 0).unwrap().record, first);
			let erasures: Vec<_> = events().into_iter().filter(|e| matches!(e, Event::RecordErased { .. })).collect();
			assert_eq!(
				erasures,
				[first, second].map(|record| Event::RecordErased {
					record,
					patient: PATIENT,
					erased_by: PATIENT,
					custodian: Some(HOSPITAL),
				})
			);
			// It can no longer be read or amended.
			assert_eq!(read(DOCTOR, second), Err(Error::<Test>::RecordErased.into()));
			assert_noop!(
				HealthRecords::amend_record(signed(PATIENT), second, hash(9), AS_PATIENT),
				Error::<Test>::RecordErased
			);
		});
	}

	#[test]
	fn the_custodian_confirms_each_version_deleted() {
		run(|| {
			let id = add(Observation);
			assert_noop!(HealthRecords::confirm_erasure(signed(HOSPITAL_VAULT), id), Error::<Test>::RecordNotErased);
			assert_ok!(HealthRecords::erase_record(signed(GUARDIAN), id));
			for who in [PATIENT, GUARDIAN, LAB_VAULT, DOCTOR, STRANGER] {
				assert_noop!(HealthRecords::confirm_erasure(signed(who), id), Error::<Test>::NotCustodian);
			}
			assert_noop!(HealthRecords::confirm_erasure(signed(HOSPITAL_VAULT), id + 1), Error::<Test>::UnknownRecord);
			set_now(NOW + HOUR);
			assert_ok!(HealthRecords::confirm_erasure(signed(HOSPITAL_VAULT), id));
			assert_eq!(Records::<Test>::get(id).unwrap().erasure_confirmed_at, Some(NOW + HOUR));
			assert_eq!(last_event(), Event::ErasureConfirmed { record: id, patient: PATIENT, custodian: HOSPITAL });
			assert_eq!(System::events().pop().unwrap().topics, vec![HealthRecords::patient_topic(&PATIENT)]);
			assert_noop!(
				HealthRecords::confirm_erasure(signed(HOSPITAL_VAULT), id),
				Error::<Test>::ErasureAlreadyConfirmed
			);
		});
	}

	#[test]
	fn refuses_others_unknown_and_erased_records() {
		run(|| {
			let id = add(Observation);
			for who in [DOCTOR, STRANGER, AUDITOR, MEDIC, HOSPITAL_VAULT] {
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
			let id = add(Observation);
			identities(|i| {
				i.patients.remove(&PATIENT);
			});
			assert_noop!(HealthRecords::erase_record(signed(PATIENT), id), Error::<Test>::NotAPatient);
		});
	}
}

/// The flow of the custody issue: a patient grants a practitioner access, the practitioner
/// adds a record at its hospital's vault, the vault releases it and logs the read, the grant
/// is revoked and a further write is refused, the patient erases the record and the vault
/// confirms the deletion.
#[test]
fn grant_write_release_revoke_erase_confirm() {
	run(|| {
		grant(account(DOCTOR), Write, vec![RecordType::DiagnosticReport], NOW + DAY);
		assert_ok!(write(DOCTOR, RecordType::DiagnosticReport, HOSPITAL, via(account(DOCTOR))));
		let authority = read(DOCTOR, 0).unwrap();
		assert_ok!(log(HOSPITAL_VAULT, vec![release(0, DOCTOR, authority)]));
		assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(DOCTOR)));
		assert_noop!(write(DOCTOR, RecordType::DiagnosticReport, HOSPITAL, via(account(DOCTOR))), Error::<Test>::NoGrant);
		assert_ok!(HealthRecords::erase_record(signed(PATIENT), 0));
		assert_ok!(HealthRecords::confirm_erasure(signed(HOSPITAL_VAULT), 0));
		let names: Vec<&str> = events()
			.iter()
			.map(|e| match e {
				Event::AccessGranted { .. } => "granted",
				Event::RecordAdded { .. } => "added",
				Event::RecordAccessed { .. } => "accessed",
				Event::AccessRevoked { .. } => "revoked",
				Event::RecordErased { .. } => "erased",
				Event::ErasureConfirmed { .. } => "confirmed",
				_ => "other",
			})
			.collect();
		assert_eq!(names, ["granted", "added", "accessed", "revoked", "erased", "confirmed"]);
		// Every one of them went to the patient's topic.
		assert_eq!(System::event_topics(HealthRecords::patient_topic(&PATIENT)).len(), 6);
	});
}

#[test]
fn try_state_finds_a_counter_or_a_version_that_disagrees() {
	new_test_ext().execute_with(|| {
		consortium();
		let id = add(Observation);
		assert_ok!(HealthRecords::do_try_state());
		RecordCount::<Test>::insert(PATIENT, 2);
		assert!(HealthRecords::do_try_state().is_err());
		RecordCount::<Test>::insert(PATIENT, 1);
		Records::<Test>::mutate(id, |r| r.as_mut().unwrap().version = 2);
		assert!(HealthRecords::do_try_state().is_err());
		Records::<Test>::mutate(id, |r| {
			let r = r.as_mut().unwrap();
			r.version = 1;
			r.erasure_confirmed_at = Some(NOW);
		});
		assert!(HealthRecords::do_try_state().is_err());
	});
}

#[test]
fn try_state_finds_a_version_erased_alone_or_a_log_entry_of_another_patient() {
	new_test_ext().execute_with(|| {
		consortium();
		let id = add(Observation);
		assert_ok!(HealthRecords::amend_record(signed(PATIENT), id, hash(8), AS_PATIENT));
		Records::<Test>::mutate(id, |r| r.as_mut().unwrap().erased_at = Some(NOW));
		assert!(HealthRecords::do_try_state().is_err());
		Records::<Test>::mutate(id, |r| r.as_mut().unwrap().erased_at = None);
		assert_ok!(HealthRecords::do_try_state());
		assert_ok!(log(HOSPITAL_VAULT, vec![release(id, DOCTOR, via(account(DOCTOR)))]));
		let entry = AccessLog::<Test>::take(PATIENT, 0).unwrap();
		AccessLog::<Test>::insert(OTHER_PATIENT, 0, entry);
		AccessLogLength::<Test>::remove(PATIENT);
		AccessLogLength::<Test>::insert(OTHER_PATIENT, 1);
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
			assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, org(CLINIC)));
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 3);
			grant(account(MEDIC), Read, vec![Observation], NOW + DAY);
			// Another patient's places are its own.
			other_patient_grants_the_doctor();
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
			let first = add(Observation);
			for _ in 0..3 {
				add(Observation);
			}
			// A guardian's record and an amendment count as the patient's.
			assert_ok!(write(GUARDIAN, Observation, HOSPITAL, AS_PATIENT));
			assert_ok!(HealthRecords::amend_record(signed(PATIENT), first, hash(8), AS_PATIENT));
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 6);
			assert_noop!(write(PATIENT, Observation, HOSPITAL, AS_PATIENT), Error::<Test>::TooManyRecordsWrittenByPatient);
			assert_noop!(
				HealthRecords::amend_record(signed(GUARDIAN), first + 1, hash(8), AS_PATIENT),
				Error::<Test>::TooManyRecordsWrittenByPatient
			);
			// Erasing gives no place back (the erased record's hash stays); a practitioner's
			// records under a grant are not the patient's to count.
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), first + 1));
			assert_ok!(write(DOCTOR, Observation, HOSPITAL, via(account(DOCTOR))));
			assert_eq!(RecordsWrittenByPatient::<Test>::get(PATIENT), 6);
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
fn a_grantee_finds_the_patients_whose_grant_it_holds() {
	run(|| {
		grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
		grant(org(CLINIC), Read, vec![Observation], NOW + DAY);
		assert_ok!(HealthRecords::grant_access(
			signed(GUARDIAN),
			PATIENT,
			account(DOCTOR),
			Write,
			vec![Observation, Condition],
			NOW + 2 * DAY
		));
		other_patient_grants_the_doctor();
		// Changing a grant's terms keeps one entry; another patient's grant adds one.
		let doctors: Vec<_> = GrantsByGrantee::<Test>::iter_key_prefix(account(DOCTOR)).collect();
		assert_eq!(doctors.len(), 2);
		assert!(doctors.contains(&PATIENT) && doctors.contains(&OTHER_PATIENT));
		assert_eq!(GrantsByGrantee::<Test>::iter_key_prefix(org(CLINIC)).collect::<Vec<_>>(), vec![PATIENT]);
		assert_eq!(GrantsByGrantee::<Test>::iter_key_prefix(account(COLLEAGUE)).count(), 0);
		// A refused grant is not indexed.
		assert_noop!(
			HealthRecords::grant_access(signed(PATIENT), PATIENT, account(STRANGER), Read, vec![Observation], NOW + DAY),
			Error::<Test>::GranteeNotPractitioner
		);
		// Revoking removes the patient from the grantee's index, and only that patient.
		assert_ok!(HealthRecords::revoke_access(signed(PATIENT), PATIENT, account(DOCTOR)));
		assert_eq!(GrantsByGrantee::<Test>::iter_key_prefix(account(DOCTOR)).collect::<Vec<_>>(), vec![OTHER_PATIENT]);
		assert!(GrantsByGrantee::<Test>::contains_key(org(CLINIC), PATIENT));
	});
}

#[test]
fn try_state_finds_a_grant_or_an_emergency_access_the_indexes_disagree_with() {
	run(|| {
		grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
		assert_ok!(HealthRecords::break_glass(signed(MEDIC), PATIENT, HOSPITAL, EmergencyReason::Unresponsive));
		assert_ok!(HealthRecords::do_try_state());
		// A grant missing from the grantee's index, then an index entry of no grant.
		GrantsByGrantee::<Test>::remove(account(DOCTOR), PATIENT);
		assert!(HealthRecords::do_try_state().is_err());
		GrantsByGrantee::<Test>::insert(account(DOCTOR), PATIENT, ());
		GrantsByGrantee::<Test>::insert(account(COLLEAGUE), PATIENT, ());
		assert!(HealthRecords::do_try_state().is_err());
		GrantsByGrantee::<Test>::remove(account(COLLEAGUE), PATIENT);
		assert_ok!(HealthRecords::do_try_state());
		// A break-glass access missing from its patient's index, listed under another
		// patient, or an index entry of no access.
		EmergenciesByPatient::<Test>::remove(PATIENT, 0);
		assert!(HealthRecords::do_try_state().is_err());
		EmergenciesByPatient::<Test>::insert(OTHER_PATIENT, 0, ());
		assert!(HealthRecords::do_try_state().is_err());
		EmergenciesByPatient::<Test>::remove(OTHER_PATIENT, 0);
		EmergenciesByPatient::<Test>::insert(PATIENT, 0, ());
		EmergenciesByPatient::<Test>::insert(PATIENT, 7, ());
		assert!(HealthRecords::do_try_state().is_err());
		EmergenciesByPatient::<Test>::remove(PATIENT, 7);
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
	use crate::migrations::v3::{v2, MigrateV2ToV3};
	use codec::Encode;
	use frame_support::{
		storage::{storage_prefix, unhashed},
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		Blake2_128Concat, StorageHasher,
	};

	fn put_raw<V: Encode>(key: Vec<u8>, value: &V) {
		unhashed::put(&key, value);
	}

	#[test]
	fn v3_drops_keys_and_locators_and_keeps_records_grants_and_the_log() {
		run(|| {
			let old_record = |amends, amended_by, erased_at| v2::Record::<AccountId> {
				patient: PATIENT,
				author: DOCTOR,
				record_type: Observation,
				content_hash: hash(7),
				locator: Some(b"enc:locator".to_vec()),
				created_at: NOW,
				amends,
				amended_by,
				erased_at,
				readers: 2,
			};
			put_raw(Records::<Test>::hashed_key_for(0), &old_record(None, Some(1), None));
			put_raw(Records::<Test>::hashed_key_for(1), &old_record(Some(0), None, None));
			put_raw(Records::<Test>::hashed_key_for(2), &old_record(None, None, Some(NOW)));
			NextRecordId::<Test>::put(3);
			for id in 0..3u64 {
				PatientRecords::<Test>::insert(PATIENT, id, ());
			}
			RecordCount::<Test>::insert(PATIENT, 3);
			let old_grant = v2::Grant::<AccountId> {
				access: Read,
				record_types: vec![Observation].try_into().unwrap(),
				expires_at: NOW + DAY,
				granted_by: PATIENT,
				granted_at: NOW,
				basis: GrantBasis::Patient,
				keyed_records: vec![0, 1],
			};
			put_raw(Grants::<Test>::hashed_key_for(PATIENT, account(DOCTOR)), &old_grant);
			PatientGrantCount::<Test>::insert(PATIENT, 1);
			let old_entry = v2::AccessEntry::<AccountId, OrganisationId> {
				record: 0,
				accessor: DOCTOR,
				authority: via(account(DOCTOR)),
				emergency: None,
				purpose: Treatment,
				at: NOW,
			};
			put_raw(AccessLog::<Test>::hashed_key_for(PATIENT, 0), &old_entry);
			AccessLogLength::<Test>::insert(PATIENT, 1);
			// Two wrapped keys as version 2 stored them, under the pallet's old map.
			let wrapped = storage_prefix(b"HealthRecords", b"WrappedKeys");
			for id in [0u64, 1] {
				let key = [&wrapped[..], &Blake2_128Concat::hash(&id.encode()), &Blake2_128Concat::hash(&account(DOCTOR).encode())].concat();
				put_raw(key, &vec![9u8; 8]);
			}
			StorageVersion::new(2).put::<HealthRecords>();

			MigrateV2ToV3::<Test>::on_runtime_upgrade();

			assert_eq!(HealthRecords::on_chain_storage_version(), 3);
			let first = Records::<Test>::get(0).unwrap();
			assert_eq!((first.custodian, first.version, first.amended_by), (None, 1, Some(1)));
			assert_eq!(Records::<Test>::get(1).unwrap().version, 2);
			let erased = Records::<Test>::get(2).unwrap();
			assert_eq!((erased.erased_at, erased.erasure_confirmed_at), (Some(NOW), Some(NOW)));
			assert_eq!(Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap().record_types.to_vec(), vec![Observation]);
			assert_eq!(AccessLog::<Test>::get(PATIENT, 0).unwrap().released_by, None);
			assert!(!unhashed::contains_prefixed_key(&wrapped));
			assert_ok!(HealthRecords::do_try_state());
			// A record without a custodian is read by nobody through a vault, and is not amended.
			assert_noop!(
				HealthRecords::amend_record(signed(PATIENT), 1, hash(8), AS_PATIENT),
				Error::<Test>::NoCustodian
			);
			assert_noop!(log(HOSPITAL_VAULT, vec![release(1, DOCTOR, via(account(DOCTOR)))]), Error::<Test>::NotCustodian);
			// Erasing it needs no custodian's confirmation.
			assert_ok!(HealthRecords::erase_record(signed(PATIENT), 1));
			assert_eq!(Records::<Test>::get(0).unwrap().erasure_confirmed_at, Some(NOW));

			// It runs once: at version 3 it does nothing.
			let id = add(Observation);
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(Records::<Test>::get(id).unwrap().custodian, Some(HOSPITAL));
		});
	}

	#[test]
	fn v4_removes_the_grants_made_on_research_consent_and_keeps_the_patients() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			let research = Grant {
				access: Read,
				record_types: vec![Observation].try_into().unwrap(),
				expires_at: NOW + DAY,
				granted_by: PATIENT,
				granted_at: NOW,
				basis: GrantBasis::ResearchConsent,
			};
			Grants::<Test>::insert(PATIENT, account(RESEARCHER), research);
			StorageVersion::new(3).put::<HealthRecords>();
			assert_ok!(HealthRecords::do_try_state());

			crate::migrations::v4::MigrateV3ToV4::<Test>::on_runtime_upgrade();

			assert_eq!(HealthRecords::on_chain_storage_version(), 4);
			assert!(Grants::<Test>::get(PATIENT, account(RESEARCHER)).is_none());
			assert!(Grants::<Test>::get(PATIENT, account(DOCTOR)).is_some());
			assert_eq!(PatientGrantCount::<Test>::get(PATIENT), 1);
			assert_eq!(
				last_event(),
				Event::AccessRevoked { patient: PATIENT, grantee: account(RESEARCHER), revoked_by: PATIENT }
			);
			assert_ok!(HealthRecords::do_try_state());
			// After version 4, a grant on research consent is an inconsistency.
			Grants::<Test>::insert(
				PATIENT,
				account(RESEARCHER),
				Grant { basis: GrantBasis::ResearchConsent, ..Grants::<Test>::get(PATIENT, account(DOCTOR)).unwrap() },
			);
			assert!(HealthRecords::do_try_state().is_err());
			Grants::<Test>::remove(PATIENT, account(RESEARCHER));
		});
	}

	#[test]
	fn v5_indexes_every_grant_by_grantee_and_every_emergency_access_by_patient_once() {
		run(|| {
			grant(account(DOCTOR), Read, vec![Observation], NOW + DAY);
			grant(org(CLINIC), Read, vec![Observation], NOW + DAY);
			other_patient_grants_the_doctor();
			assert_ok!(HealthRecords::break_glass(signed(MEDIC), PATIENT, HOSPITAL, EmergencyReason::Unresponsive));
			assert_ok!(HealthRecords::break_glass(signed(MEDIC), OTHER_PATIENT, HOSPITAL, EmergencyReason::Unresponsive));
			// A chain of version 4 had neither index.
			let _ = GrantsByGrantee::<Test>::clear(u32::MAX, None);
			let _ = EmergenciesByPatient::<Test>::clear(u32::MAX, None);
			StorageVersion::new(4).put::<HealthRecords>();
			assert_ok!(HealthRecords::do_try_state());

			crate::migrations::v5::MigrateV4ToV5::<Test>::on_runtime_upgrade();

			assert_eq!(HealthRecords::on_chain_storage_version(), 5);
			let mut doctors: Vec<_> = GrantsByGrantee::<Test>::iter_key_prefix(account(DOCTOR)).collect();
			doctors.sort();
			assert_eq!(doctors, vec![PATIENT, OTHER_PATIENT]);
			assert_eq!(GrantsByGrantee::<Test>::iter_key_prefix(org(CLINIC)).collect::<Vec<_>>(), vec![PATIENT]);
			assert_eq!(EmergenciesByPatient::<Test>::iter_key_prefix(PATIENT).collect::<Vec<_>>(), vec![0]);
			assert_eq!(EmergenciesByPatient::<Test>::iter_key_prefix(OTHER_PATIENT).collect::<Vec<_>>(), vec![1]);
			assert_ok!(HealthRecords::do_try_state());

			// It runs once: at version 5 it does nothing.
			GrantsByGrantee::<Test>::insert(account(COLLEAGUE), PATIENT, ());
			crate::migrations::v5::MigrateV4ToV5::<Test>::on_runtime_upgrade();
			assert!(GrantsByGrantee::<Test>::contains_key(account(COLLEAGUE), PATIENT));
			GrantsByGrantee::<Test>::remove(account(COLLEAGUE), PATIENT);
		});
	}

	#[test]
	fn a_new_chain_starts_at_the_current_version() {
		assert_eq!(HealthRecords::in_code_storage_version(), crate::STORAGE_VERSION);
		assert_eq!(crate::STORAGE_VERSION, 5);
		new_test_ext().execute_with(|| assert_eq!(HealthRecords::on_chain_storage_version(), 5));
	}
}
