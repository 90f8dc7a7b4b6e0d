//! Tests of the identity pallet: every call's success, each of its errors and each refused
//! origin, validity at the boundaries, genesis, and the answers of [`IdentityQuery`].

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError};

const HOSPITAL_ADMIN: AccountId = 10;
const REGULATOR_ADMIN: AccountId = 20;
const DOCTOR: AccountId = 100;
const NURSE: AccountId = 101;
const DEPUTY: AccountId = 102;
const PATIENT: AccountId = 200;
const GUARDIAN: AccountId = 201;
const STRANGER: AccountId = 999;

const KEY: EncryptionKey = [7u8; 32];
const OTHER_KEY: EncryptionKey = [8u8; 32];
const ZERO_KEY: EncryptionKey = [0u8; 32];
const HOUR: Moment = 3_600_000;
const YEAR: Moment = 365 * 24 * HOUR;

fn meta(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::Identity(e) = r.event { Some(e) } else { None })
		.expect("an identity event")
}

fn admit(kind: OrganisationKind, admin: AccountId) -> OrganisationId {
	assert_ok!(Identity::admit_organisation(root(), kind, admin, meta(1), KEY));
	NextOrganisationId::<Test>::get() - 1
}

/// A hospital (0) with a doctor and a nurse, and a regulator (1) accredited to issue medical
/// licences.
fn consortium() -> (OrganisationId, OrganisationId) {
	let hospital = admit(OrganisationKind::Hospital, HOSPITAL_ADMIN);
	let regulator = admit(OrganisationKind::Regulator, REGULATOR_ADMIN);
	assert_ok!(Identity::add_member(
		signed(HOSPITAL_ADMIN),
		hospital,
		DOCTOR,
		vec![Role::Practitioner]
	));
	assert_ok!(Identity::add_member(signed(HOSPITAL_ADMIN), hospital, NURSE, vec![Role::Nurse]));
	assert_ok!(Identity::accredit_issuer(root(), regulator, CredentialKind::MedicalLicence));
	(hospital, regulator)
}

/// The regulator's admin issues `holder` a credential of `kind`.
fn issue(regulator: OrganisationId, holder: AccountId, kind: CredentialKind, from: Moment, until: Moment) {
	assert_ok!(Identity::issue_credential(signed(REGULATOR_ADMIN), regulator, holder, kind, meta(9), from, until));
}

fn issue_licence(regulator: OrganisationId, from: Moment, until: Moment) {
	issue(regulator, DOCTOR, CredentialKind::MedicalLicence, from, until);
}

/// Registers `patient` as its enrolment would, without a care provider.
fn register(patient: AccountId) {
	Identity::do_register_patient(&patient, KEY, NOW);
}

mod organisations {
	use super::*;

	#[test]
	fn patients_members_and_staff_keys_are_identified_others_not() {
		run_test(|| {
			consortium();
			register(PATIENT);
			for who in [PATIENT, DOCTOR, NURSE] {
				assert!(Identity::is_identified(&who), "{who} is identified");
			}
			for who in [GUARDIAN, STRANGER] {
				assert!(!Identity::is_identified(&who), "{who} is not identified");
			}
			StaffKeys::<Test>::insert(STRANGER, KEY);
			assert!(Identity::is_identified(&STRANGER));
			StaffKeys::<Test>::remove(STRANGER);
			assert_eq!(Identity::vault_organisation(&STRANGER), None);
		});
	}

	#[test]
	fn governance_admits_organisations_with_consecutive_ids() {
		run_test(|| {
			assert_eq!(admit(OrganisationKind::Hospital, HOSPITAL_ADMIN), 0);
			assert_eq!(last_event(), Event::OrganisationAdmitted {
				organisation: 0,
				kind: OrganisationKind::Hospital,
				admin: HOSPITAL_ADMIN
			});
			assert_eq!(admit(OrganisationKind::Pharmacy, 11), 1);
			let org = Organisations::<Test>::get(1).unwrap();
			assert_eq!(org.kind, OrganisationKind::Pharmacy);
			assert_eq!(org.admin, 11);
			assert_eq!(org.metadata_hash, meta(1));
			assert_eq!(org.encryption_key, KEY);
			assert_eq!(org.status, OrganisationStatus::Active);
			assert_eq!(NextOrganisationId::<Test>::get(), 2);
		});
	}

	#[test]
	fn only_governance_admits() {
		run_test(|| {
			for origin in [signed(HOSPITAL_ADMIN), RuntimeOrigin::none()] {
				assert_noop!(
					Identity::admit_organisation(
						origin,
						OrganisationKind::Hospital,
						HOSPITAL_ADMIN,
						meta(1),
						KEY
					),
					DispatchError::BadOrigin
				);
			}
		});
	}

	#[test]
	fn admission_needs_a_real_key_and_a_free_id() {
		run_test(|| {
			assert_noop!(
				Identity::admit_organisation(
					root(),
					OrganisationKind::Hospital,
					HOSPITAL_ADMIN,
					meta(1),
					ZERO_KEY
				),
				Error::<Test>::InvalidEncryptionKey
			);
			NextOrganisationId::<Test>::put(OrganisationId::MAX);
			assert_noop!(
				Identity::admit_organisation(
					root(),
					OrganisationKind::Hospital,
					HOSPITAL_ADMIN,
					meta(1),
					KEY
				),
				Error::<Test>::OrganisationIdsExhausted
			);
		});
	}

	#[test]
	fn suspension_takes_roles_away_until_reinstatement() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert!(Identity::has_role(&DOCTOR, Role::Practitioner));

			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_eq!(last_event(), Event::OrganisationSuspended { organisation: hospital });
			assert!(!Identity::has_role(&DOCTOR, Role::Practitioner));
			assert!(!Identity::has_role_in(&DOCTOR, hospital, Role::Practitioner));
			assert_eq!(Identity::active_organisation_kind(hospital), None);
			// A suspended organisation's admin can do nothing.
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DEPUTY, vec![Role::Nurse]),
				Error::<Test>::OrganisationSuspended
			);

			assert_ok!(Identity::reinstate_organisation(root(), hospital));
			assert_eq!(last_event(), Event::OrganisationReinstated { organisation: hospital });
			assert!(Identity::has_role(&DOCTOR, Role::Practitioner));
		});
	}

	#[test]
	fn suspension_and_reinstatement_errors() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_noop!(
				Identity::suspend_organisation(root(), 42),
				Error::<Test>::OrganisationNotFound
			);
			assert_noop!(
				Identity::reinstate_organisation(root(), 42),
				Error::<Test>::OrganisationNotFound
			);
			assert_noop!(
				Identity::reinstate_organisation(root(), hospital),
				Error::<Test>::OrganisationNotSuspended
			);
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_noop!(
				Identity::suspend_organisation(root(), hospital),
				Error::<Test>::OrganisationSuspended
			);
		});
	}

	#[test]
	fn only_governance_suspends_and_reinstates() {
		run_test(|| {
			let (hospital, _) = consortium();
			for who in [HOSPITAL_ADMIN, DOCTOR, STRANGER] {
				assert_noop!(
					Identity::suspend_organisation(signed(who), hospital),
					DispatchError::BadOrigin
				);
			}
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			for who in [HOSPITAL_ADMIN, DOCTOR, STRANGER] {
				assert_noop!(
					Identity::reinstate_organisation(signed(who), hospital),
					DispatchError::BadOrigin
				);
			}
		});
	}

	#[test]
	fn governance_changes_the_admin_account() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_ok!(Identity::change_organisation_admin(root(), hospital, DEPUTY));
			assert_eq!(last_event(), Event::OrganisationAdminChanged {
				organisation: hospital,
				admin: DEPUTY
			});
			assert_eq!(Organisations::<Test>::get(hospital).unwrap().admin, DEPUTY);
			assert_ok!(Identity::add_member(signed(DEPUTY), hospital, 103, vec![Role::Nurse]));
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN), hospital, 104, vec![Role::Nurse]),
				Error::<Test>::NotOrganisationAdmin
			);
			// Also while suspended, so that a suspended organisation can be put in order.
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_ok!(Identity::change_organisation_admin(root(), hospital, HOSPITAL_ADMIN));
		});
	}

	#[test]
	fn admin_change_errors_and_refused_callers() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_noop!(
				Identity::change_organisation_admin(root(), 42, DEPUTY),
				Error::<Test>::OrganisationNotFound
			);
			assert_noop!(
				Identity::change_organisation_admin(root(), hospital, HOSPITAL_ADMIN),
				Error::<Test>::AdminUnchanged
			);
			for who in [HOSPITAL_ADMIN, DOCTOR, STRANGER] {
				assert_noop!(
					Identity::change_organisation_admin(signed(who), hospital, who),
					DispatchError::BadOrigin
				);
			}
		});
	}

	#[test]
	fn admins_update_metadata_and_key() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_ok!(Identity::update_organisation(
				signed(HOSPITAL_ADMIN),
				hospital,
				meta(2),
				OTHER_KEY
			));
			assert_eq!(last_event(), Event::OrganisationUpdated {
				organisation: hospital,
				metadata_hash: meta(2),
				encryption_key: OTHER_KEY
			});
			assert_eq!(Identity::organisation_key(hospital), Some(OTHER_KEY));
			// A member with the Admin role is an admin too.
			assert_ok!(Identity::add_member(
				signed(HOSPITAL_ADMIN),
				hospital,
				DEPUTY,
				vec![Role::Admin]
			));
			assert_ok!(Identity::update_organisation(signed(DEPUTY), hospital, meta(3), KEY));
			assert_eq!(Organisations::<Test>::get(hospital).unwrap().metadata_hash, meta(3));
		});
	}

	#[test]
	fn update_errors_and_refused_callers() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_noop!(
				Identity::update_organisation(signed(HOSPITAL_ADMIN), hospital, meta(2), ZERO_KEY),
				Error::<Test>::InvalidEncryptionKey
			);
			assert_noop!(
				Identity::update_organisation(signed(HOSPITAL_ADMIN), 42, meta(2), KEY),
				Error::<Test>::OrganisationNotFound
			);
			for who in [DOCTOR, NURSE, REGULATOR_ADMIN, STRANGER] {
				assert_noop!(
					Identity::update_organisation(signed(who), hospital, meta(2), KEY),
					Error::<Test>::NotOrganisationAdmin
				);
			}
			assert_noop!(
				Identity::update_organisation(RuntimeOrigin::none(), hospital, meta(2), KEY),
				DispatchError::BadOrigin
			);
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_noop!(
				Identity::update_organisation(signed(HOSPITAL_ADMIN), hospital, meta(2), KEY),
				Error::<Test>::OrganisationSuspended
			);
		});
	}
}

mod members {
	use super::*;

	#[test]
	fn admins_add_members_with_sorted_roles() {
		run_test(|| {
			let hospital = admit(OrganisationKind::Hospital, HOSPITAL_ADMIN);
			assert_ok!(Identity::add_member(
				signed(HOSPITAL_ADMIN),
				hospital,
				DOCTOR,
				vec![Role::Pharmacist, Role::Practitioner]
			));
			let roles = Roles::try_from(vec![Role::Practitioner, Role::Pharmacist]).unwrap();
			assert_eq!(last_event(), Event::MemberAdded {
				organisation: hospital,
				member: DOCTOR,
				roles: roles.clone()
			});
			assert_eq!(Members::<Test>::get(hospital, DOCTOR), Some(roles));
			assert_eq!(MemberCount::<Test>::get(hospital), 1);
			assert_eq!(Memberships::<Test>::get(DOCTOR).into_inner(), vec![hospital]);
			assert!(Identity::has_role_in(&DOCTOR, hospital, Role::Pharmacist));
			assert!(!Identity::has_role_in(&DOCTOR, hospital, Role::Nurse));
		});
	}

	#[test]
	fn an_account_may_belong_to_several_organisations() {
		run_test(|| {
			let hospital = admit(OrganisationKind::Hospital, HOSPITAL_ADMIN);
			let clinic = admit(OrganisationKind::Clinic, 11);
			assert_ok!(Identity::add_member(
				signed(HOSPITAL_ADMIN),
				hospital,
				DOCTOR,
				vec![Role::Practitioner]
			));
			assert_ok!(Identity::add_member(signed(11), clinic, DOCTOR, vec![Role::Nurse]));
			assert_eq!(Memberships::<Test>::get(DOCTOR).into_inner(), vec![hospital, clinic]);
			assert!(Identity::has_role(&DOCTOR, Role::Nurse));
			assert!(!Identity::has_role_in(&DOCTOR, hospital, Role::Nurse));
			// Suspending one organisation leaves the roles held through the other.
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert!(!Identity::has_role(&DOCTOR, Role::Practitioner));
			assert!(Identity::has_role(&DOCTOR, Role::Nurse));
		});
	}

	#[test]
	fn roles_must_be_given_and_distinct() {
		run_test(|| {
			let hospital = admit(OrganisationKind::Hospital, HOSPITAL_ADMIN);
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DOCTOR, vec![]),
				Error::<Test>::NoRoles
			);
			assert_noop!(
				Identity::add_member(
					signed(HOSPITAL_ADMIN),
					hospital,
					DOCTOR,
					vec![Role::Nurse, Role::Practitioner, Role::Nurse]
				),
				Error::<Test>::DuplicateRole
			);
		});
	}

	#[test]
	fn adding_errors() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN), 42, DEPUTY, vec![Role::Nurse]),
				Error::<Test>::OrganisationNotFound
			);
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DOCTOR, vec![Role::Nurse]),
				Error::<Test>::AlreadyMember
			);
			// The mock allows four members.
			assert_ok!(Identity::add_member(signed(HOSPITAL_ADMIN), hospital, 103, vec![Role::Nurse]));
			assert_ok!(Identity::add_member(signed(HOSPITAL_ADMIN), hospital, 104, vec![Role::Nurse]));
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN), hospital, 105, vec![Role::Nurse]),
				Error::<Test>::TooManyMembers
			);
		});
	}

	#[test]
	fn an_account_joins_a_bounded_number_of_organisations() {
		run_test(|| {
			// The mock allows three memberships per account.
			let orgs: Vec<_> =
				(0..4).map(|i| admit(OrganisationKind::Clinic, HOSPITAL_ADMIN + i)).collect();
			for (i, org) in orgs.iter().take(3).enumerate() {
				assert_ok!(Identity::add_member(
					signed(HOSPITAL_ADMIN + i as u64),
					*org,
					DOCTOR,
					vec![Role::Practitioner]
				));
			}
			assert_noop!(
				Identity::add_member(signed(HOSPITAL_ADMIN + 3), orgs[3], DOCTOR, vec![Role::Nurse]),
				Error::<Test>::TooManyMemberships
			);
		});
	}

	#[test]
	fn only_admins_add_and_remove_members() {
		run_test(|| {
			let (hospital, _) = consortium();
			for who in [DOCTOR, NURSE, REGULATOR_ADMIN, STRANGER] {
				assert_noop!(
					Identity::add_member(signed(who), hospital, DEPUTY, vec![Role::Nurse]),
					Error::<Test>::NotOrganisationAdmin
				);
				assert_noop!(
					Identity::remove_member(signed(who), hospital, NURSE),
					Error::<Test>::NotOrganisationAdmin
				);
			}
			assert_noop!(
				Identity::add_member(RuntimeOrigin::none(), hospital, DEPUTY, vec![Role::Nurse]),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Identity::remove_member(root(), hospital, NURSE),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn admins_remove_members_and_their_roles() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_ok!(Identity::remove_member(signed(HOSPITAL_ADMIN), hospital, NURSE));
			assert_eq!(last_event(), Event::MemberRemoved { organisation: hospital, member: NURSE });
			assert!(!Members::<Test>::contains_key(hospital, NURSE));
			assert!(!Memberships::<Test>::contains_key(NURSE));
			assert_eq!(MemberCount::<Test>::get(hospital), 1);
			assert!(!Identity::has_role(&NURSE, Role::Nurse));
			assert_ok!(Identity::remove_member(signed(HOSPITAL_ADMIN), hospital, DOCTOR));
			assert!(!MemberCount::<Test>::contains_key(hospital));
		});
	}

	#[test]
	fn removing_errors() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_noop!(
				Identity::remove_member(signed(HOSPITAL_ADMIN), hospital, STRANGER),
				Error::<Test>::NotMember
			);
			assert_noop!(
				Identity::remove_member(signed(HOSPITAL_ADMIN), 42, NURSE),
				Error::<Test>::OrganisationNotFound
			);
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_noop!(
				Identity::remove_member(signed(HOSPITAL_ADMIN), hospital, NURSE),
				Error::<Test>::OrganisationSuspended
			);
		});
	}
}

mod roles_and_oversight {
	use super::*;

	/// A regulator (1) accredited to issue audit accreditations, and a hospital (0).
	fn with_audit_issuer() -> (OrganisationId, OrganisationId) {
		let (hospital, regulator) = consortium();
		assert_ok!(Identity::accredit_issuer(root(), regulator, CredentialKind::AuditAccreditation));
		(hospital, regulator)
	}

	/// The regulator accredits `who` as an auditor for a year.
	fn accredit_auditor(who: AccountId, regulator: OrganisationId) {
		issue(regulator, who, CredentialKind::AuditAccreditation, NOW, NOW + YEAR);
	}

	#[test]
	fn every_role_belongs_at_some_kinds_only() {
		use OrganisationKind::*;
		let kinds = [
			Hospital,
			Clinic,
			Pharmacy,
			Manufacturer,
			Distributor,
			Insurer,
			ResearchInstitute,
			EthicsBoard,
			Regulator,
			Laboratory,
		];
		// Admin belongs everywhere; every other role somewhere, and nowhere near everywhere.
		assert!(kinds.iter().all(|k| Role::Admin.allowed_at(*k)));
		assert!(Role::Researcher.allowed_at(ResearchInstitute) && !Role::Researcher.allowed_at(Hospital));
		assert!(Role::EthicsReviewer.allowed_at(EthicsBoard) && !Role::EthicsReviewer.allowed_at(Regulator));
		assert!(Role::Pharmacist.allowed_at(Pharmacy) && Role::Pharmacist.allowed_at(Hospital));
		assert!(!Role::Pharmacist.allowed_at(Manufacturer));
		assert!(!Role::Practitioner.allowed_at(Insurer) && !Role::EmergencyCare.allowed_at(Pharmacy));
		assert!(!Role::Auditor.allowed_at(EthicsBoard) && Role::Auditor.allowed_at(Regulator));
		assert!(Role::LaboratoryScientist.allowed_at(Laboratory) && !Role::LaboratoryScientist.allowed_at(Clinic));
		assert!(Role::Logistics.allowed_at(Distributor) && !Role::Logistics.allowed_at(Insurer));
	}

	#[test]
	fn an_admin_cannot_give_a_role_where_it_does_not_belong() {
		run_test(|| {
			let hospital = admit(OrganisationKind::Hospital, HOSPITAL_ADMIN);
			let insurer = admit(OrganisationKind::Insurer, 11);
			for role in [Role::Researcher, Role::EthicsReviewer] {
				assert_noop!(
					Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DOCTOR, vec![Role::Practitioner, role]),
					Error::<Test>::RoleNotForOrganisationKind
				);
			}
			// An insurer's admin cannot make prescribers or emergency staff.
			for role in [Role::Practitioner, Role::EmergencyCare, Role::Pharmacist, Role::Nurse] {
				assert_noop!(
					Identity::add_member(signed(11), insurer, DOCTOR, vec![role]),
					Error::<Test>::RoleNotForOrganisationKind
				);
			}
			assert_ok!(Identity::add_member(signed(11), insurer, DOCTOR, vec![Role::ClaimsOfficer]));
		});
	}

	#[test]
	fn a_role_held_where_it_does_not_belong_confers_nothing() {
		run_test(|| {
			// As a member added before roles were bound to kinds would be.
			let insurer = admit(OrganisationKind::Insurer, 11);
			assert_ok!(Identity::add_member(signed(11), insurer, DOCTOR, vec![Role::ClaimsOfficer]));
			Members::<Test>::insert(insurer, DOCTOR, Roles::try_from(vec![Role::Practitioner]).unwrap());
			assert!(!Identity::has_role_in(&DOCTOR, insurer, Role::Practitioner));
			assert!(!Identity::has_role(&DOCTOR, Role::Practitioner));
			assert!(Identity::do_try_state().is_err(), "try_state reports a role where it does not belong");
			Members::<Test>::insert(insurer, DOCTOR, Roles::try_from(vec![Role::ClaimsOfficer]).unwrap());
		});
	}

	#[test]
	fn an_auditor_needs_an_accreditation_from_another_organisation() {
		run_test(|| {
			let (hospital, regulator) = with_audit_issuer();
			assert_ok!(Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DEPUTY, vec![Role::Auditor]));
			// The role alone checks nothing.
			assert!(!Identity::has_role_in(&DEPUTY, hospital, Role::Auditor));
			accredit_auditor(DEPUTY, regulator);
			assert!(Identity::has_role_in(&DEPUTY, hospital, Role::Auditor));
			assert!(Identity::has_role(&DEPUTY, Role::Auditor));
			assert!(Identity::has_role_at_kind(&DEPUTY, Role::Auditor, OrganisationKind::Hospital));
			assert!(!Identity::has_role_at_kind(&DEPUTY, Role::Auditor, OrganisationKind::Regulator));
			// Revoked, it checks nothing again.
			assert_ok!(Identity::revoke_credential(
				signed(REGULATOR_ADMIN),
				DEPUTY,
				CredentialKind::AuditAccreditation
			));
			assert!(!Identity::has_role(&DEPUTY, Role::Auditor));
		});
	}

	#[test]
	fn an_organisation_cannot_accredit_its_own_auditors() {
		run_test(|| {
			let (_, regulator) = with_audit_issuer();
			// The regulator's admin makes a member its auditor and accredits it itself.
			assert_ok!(Identity::add_member(signed(REGULATOR_ADMIN), regulator, DEPUTY, vec![Role::Auditor]));
			accredit_auditor(DEPUTY, regulator);
			assert!(Identity::has_valid_credential(&DEPUTY, CredentialKind::AuditAccreditation));
			assert!(!Identity::has_role_in(&DEPUTY, regulator, Role::Auditor));
			assert!(!Identity::has_role(&DEPUTY, Role::Auditor));
		});
	}

	#[test]
	fn an_admin_cannot_make_itself_an_overseer() {
		run_test(|| {
			let (hospital, _) = with_audit_issuer();
			let board = admit(OrganisationKind::EthicsBoard, 12);
			for (admin, org, role) in
				[(HOSPITAL_ADMIN, hospital, Role::Auditor), (12, board, Role::EthicsReviewer)]
			{
				assert_noop!(
					Identity::add_member(signed(admin), org, admin, vec![Role::Admin, role]),
					Error::<Test>::SelfAppointedOverseer
				);
			}
			// A member with the admin role cannot either.
			assert_ok!(Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DEPUTY, vec![Role::Admin]));
			assert_noop!(
				Identity::add_member(signed(DEPUTY), hospital, DEPUTY, vec![Role::Auditor]),
				Error::<Test>::SelfAppointedOverseer
			);
			// An admin may hold roles that check nobody.
			assert_ok!(Identity::add_member(signed(12), board, 12, vec![Role::Admin]));
		});
	}

	#[test]
	fn a_suspended_issuers_credentials_count_for_nothing() {
		run_test(|| {
			let (hospital, regulator) = consortium();
			issue_licence(regulator, NOW, NOW + YEAR);
			assert!(Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
			assert_ok!(Identity::suspend_organisation(root(), regulator));
			assert!(!Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
			// Nor do its admins change their status while it is suspended.
			for call in [Identity::suspend_credential, Identity::revoke_credential] {
				assert_noop!(
					call(signed(REGULATOR_ADMIN), DOCTOR, CredentialKind::MedicalLicence),
					Error::<Test>::OrganisationSuspended
				);
			}
			assert_ok!(Identity::reinstate_organisation(root(), regulator));
			assert!(Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
			assert!(Identity::has_role_in(&DOCTOR, hospital, Role::Practitioner));
		});
	}

	#[test]
	#[should_panic(expected = "genesis member roles belong at their organisation's kind")]
	fn genesis_refuses_a_role_where_it_does_not_belong() {
		let config = crate::GenesisConfig::<Test> {
			organisations: vec![GenesisOrganisation {
				kind: OrganisationKind::Insurer,
				admin: REGULATOR_ADMIN,
				metadata_hash: meta(1),
				encryption_key: KEY,
				members: vec![(DOCTOR, vec![Role::Practitioner])],
				accredited_for: vec![],
			}],
			credentials: vec![],
			patients: vec![],
		};
		let _ = config.build_storage();
	}
}

mod accreditation {
	use super::*;

	#[test]
	fn governance_accredits_and_withdraws() {
		run_test(|| {
			let regulator = admit(OrganisationKind::Regulator, REGULATOR_ADMIN);
			assert_ok!(Identity::accredit_issuer(root(), regulator, CredentialKind::PharmacyLicence));
			assert_eq!(last_event(), Event::IssuerAccredited {
				organisation: regulator,
				kind: CredentialKind::PharmacyLicence
			});
			assert!(Accreditations::<Test>::contains_key(regulator, CredentialKind::PharmacyLicence));
			assert_ok!(Identity::withdraw_accreditation(
				root(),
				regulator,
				CredentialKind::PharmacyLicence
			));
			assert_eq!(last_event(), Event::AccreditationWithdrawn {
				organisation: regulator,
				kind: CredentialKind::PharmacyLicence
			});
			assert!(!Accreditations::<Test>::contains_key(
				regulator,
				CredentialKind::PharmacyLicence
			));
		});
	}

	#[test]
	fn accreditation_errors_and_refused_callers() {
		run_test(|| {
			let (_, regulator) = consortium();
			let kind = CredentialKind::MedicalLicence;
			assert_noop!(
				Identity::accredit_issuer(root(), 42, kind),
				Error::<Test>::OrganisationNotFound
			);
			assert_noop!(
				Identity::accredit_issuer(root(), regulator, kind),
				Error::<Test>::AlreadyAccredited
			);
			assert_noop!(
				Identity::withdraw_accreditation(root(), regulator, CredentialKind::PharmacyLicence),
				Error::<Test>::NotAccredited
			);
			for who in [REGULATOR_ADMIN, HOSPITAL_ADMIN, STRANGER] {
				assert_noop!(
					Identity::accredit_issuer(signed(who), regulator, CredentialKind::PharmacyLicence),
					DispatchError::BadOrigin
				);
				assert_noop!(
					Identity::withdraw_accreditation(signed(who), regulator, kind),
					DispatchError::BadOrigin
				);
			}
		});
	}
}

mod credentials {
	use super::*;

	#[test]
	fn an_accredited_issuer_issues_a_credential() {
		run_test(|| {
			let (_, regulator) = consortium();
			issue_licence(regulator, NOW, NOW + YEAR);
			assert_eq!(last_event(), Event::CredentialIssued {
				holder: DOCTOR,
				kind: CredentialKind::MedicalLicence,
				issuer: regulator,
				valid_from: NOW,
				valid_until: NOW + YEAR
			});
			let credential = Credentials::<Test>::get(DOCTOR, CredentialKind::MedicalLicence).unwrap();
			assert_eq!(credential.issuer, regulator);
			assert_eq!(credential.issued_by, REGULATOR_ADMIN);
			assert_eq!(credential.licence_hash, meta(9));
			assert_eq!(credential.status, CredentialStatus::Active);
			assert!(Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
			assert!(!Identity::has_valid_credential(&DOCTOR, CredentialKind::PharmacyLicence));
			assert!(!Identity::has_valid_credential(&NURSE, CredentialKind::MedicalLicence));
		});
	}

	#[test]
	fn validity_starts_inclusive_and_ends_exclusive() {
		run_test(|| {
			let (_, regulator) = consortium();
			issue_licence(regulator, NOW + HOUR, NOW + 2 * HOUR);
			let valid = || Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence);
			set_now(NOW + HOUR - 1);
			assert!(!valid(), "not yet valid the moment before it starts");
			set_now(NOW + HOUR);
			assert!(valid(), "valid from its first moment");
			set_now(NOW + 2 * HOUR - 1);
			assert!(valid(), "valid at its last moment");
			set_now(NOW + 2 * HOUR);
			assert!(!valid(), "expired at valid_until");
		});
	}

	#[test]
	fn issuing_errors() {
		run_test(|| {
			let (hospital, regulator) = consortium();
			let issue = |who, issuer, kind, from, until| {
				Identity::issue_credential(signed(who), issuer, DOCTOR, kind, meta(9), from, until)
			};
			let kind = CredentialKind::MedicalLicence;
			assert_noop!(
				issue(REGULATOR_ADMIN, 42, kind, NOW, NOW + YEAR),
				Error::<Test>::OrganisationNotFound
			);
			assert_noop!(
				issue(REGULATOR_ADMIN, regulator, CredentialKind::PharmacyLicence, NOW, NOW + YEAR),
				Error::<Test>::NotAccredited
			);
			assert_noop!(
				issue(REGULATOR_ADMIN, regulator, kind, NOW + YEAR, NOW + YEAR),
				Error::<Test>::InvalidValidityPeriod
			);
			assert_noop!(
				issue(REGULATOR_ADMIN, regulator, kind, NOW - YEAR, NOW),
				Error::<Test>::ValidityAlreadyEnded
			);
			// The hospital is not accredited, whoever its admin is.
			assert_noop!(
				issue(HOSPITAL_ADMIN, hospital, kind, NOW, NOW + YEAR),
				Error::<Test>::NotAccredited
			);
			issue_licence(regulator, NOW, NOW + YEAR);
			assert_noop!(
				issue(REGULATOR_ADMIN, regulator, kind, NOW, NOW + 2 * YEAR),
				Error::<Test>::CredentialAlreadyHeld
			);
			assert_ok!(Identity::suspend_organisation(root(), regulator));
			assert_noop!(
				issue(REGULATOR_ADMIN, regulator, CredentialKind::MedicalLicence, NOW, NOW + YEAR),
				Error::<Test>::OrganisationSuspended
			);
		});
	}

	#[test]
	fn only_an_admin_of_the_issuer_issues() {
		run_test(|| {
			let (_, regulator) = consortium();
			assert_ok!(Identity::add_member(
				signed(REGULATOR_ADMIN),
				regulator,
				NURSE,
				vec![Role::Auditor]
			));
			// An auditor of the issuer is not one of its admins.
			for who in [DOCTOR, NURSE, HOSPITAL_ADMIN, STRANGER] {
				assert_noop!(
					Identity::issue_credential(
						signed(who),
						regulator,
						DOCTOR,
						CredentialKind::MedicalLicence,
						meta(9),
						NOW,
						NOW + YEAR
					),
					Error::<Test>::NotOrganisationAdmin
				);
			}
			assert_noop!(
				Identity::issue_credential(
					root(),
					regulator,
					DOCTOR,
					CredentialKind::MedicalLicence,
					meta(9),
					NOW,
					NOW + YEAR
				),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn an_ended_or_revoked_credential_can_be_replaced() {
		run_test(|| {
			let (_, regulator) = consortium();
			issue_licence(regulator, NOW, NOW + HOUR);
			set_now(NOW + HOUR);
			issue_licence(regulator, NOW + HOUR, NOW + YEAR);
			assert_ok!(Identity::revoke_credential(
				signed(REGULATOR_ADMIN),
				DOCTOR,
				CredentialKind::MedicalLicence
			));
			issue_licence(regulator, NOW + HOUR, NOW + 2 * YEAR);
			assert!(Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
		});
	}

	#[test]
	fn suspension_reinstatement_and_revocation_take_effect_at_once() {
		run_test(|| {
			let (_, regulator) = consortium();
			let kind = CredentialKind::MedicalLicence;
			issue_licence(regulator, NOW, NOW + YEAR);
			assert_ok!(Identity::suspend_credential(signed(REGULATOR_ADMIN), DOCTOR, kind));
			assert_eq!(last_event(), Event::CredentialSuspended { holder: DOCTOR, kind });
			assert!(!Identity::has_valid_credential(&DOCTOR, kind));
			assert_ok!(Identity::reinstate_credential(signed(REGULATOR_ADMIN), DOCTOR, kind));
			assert_eq!(last_event(), Event::CredentialReinstated { holder: DOCTOR, kind });
			assert!(Identity::has_valid_credential(&DOCTOR, kind));
			assert_ok!(Identity::revoke_credential(signed(REGULATOR_ADMIN), DOCTOR, kind));
			assert_eq!(last_event(), Event::CredentialRevoked { holder: DOCTOR, kind });
			assert!(!Identity::has_valid_credential(&DOCTOR, kind));
			assert_eq!(
				Credentials::<Test>::get(DOCTOR, kind).unwrap().status,
				CredentialStatus::Revoked,
				"the revoked record stays for the audit trail"
			);
		});
	}

	#[test]
	fn a_suspended_credential_can_be_revoked() {
		run_test(|| {
			let (_, regulator) = consortium();
			let kind = CredentialKind::MedicalLicence;
			issue_licence(regulator, NOW, NOW + YEAR);
			assert_ok!(Identity::suspend_credential(signed(REGULATOR_ADMIN), DOCTOR, kind));
			assert_ok!(Identity::revoke_credential(signed(REGULATOR_ADMIN), DOCTOR, kind));
			assert!(!Identity::has_valid_credential(&DOCTOR, kind));
		});
	}

	#[test]
	fn status_change_errors() {
		run_test(|| {
			let (_, regulator) = consortium();
			let kind = CredentialKind::MedicalLicence;
			let admin = || signed(REGULATOR_ADMIN);
			for call in [Identity::suspend_credential, Identity::reinstate_credential, Identity::revoke_credential] {
				assert_noop!(call(admin(), DOCTOR, kind), Error::<Test>::CredentialNotFound);
			}
			issue_licence(regulator, NOW, NOW + YEAR);
			assert_noop!(
				Identity::reinstate_credential(admin(), DOCTOR, kind),
				Error::<Test>::CredentialNotSuspended
			);
			assert_ok!(Identity::suspend_credential(admin(), DOCTOR, kind));
			assert_noop!(
				Identity::suspend_credential(admin(), DOCTOR, kind),
				Error::<Test>::CredentialAlreadySuspended
			);
			assert_ok!(Identity::revoke_credential(admin(), DOCTOR, kind));
			for call in [Identity::suspend_credential, Identity::reinstate_credential, Identity::revoke_credential] {
				assert_noop!(call(admin(), DOCTOR, kind), Error::<Test>::CredentialRevoked);
			}
		});
	}

	#[test]
	fn only_an_admin_of_the_issuer_changes_a_credential() {
		run_test(|| {
			let (_, regulator) = consortium();
			let kind = CredentialKind::MedicalLicence;
			issue_licence(regulator, NOW, NOW + YEAR);
			for who in [DOCTOR, HOSPITAL_ADMIN, STRANGER] {
				for call in [
					Identity::suspend_credential,
					Identity::reinstate_credential,
					Identity::revoke_credential,
				] {
					assert_noop!(call(signed(who), DOCTOR, kind), Error::<Test>::NotCredentialIssuer);
				}
			}
			for call in [Identity::suspend_credential, Identity::reinstate_credential, Identity::revoke_credential] {
				assert_noop!(call(root(), DOCTOR, kind), DispatchError::BadOrigin);
			}
			// A member of the issuer with the Admin role may.
			assert_ok!(Identity::add_member(signed(REGULATOR_ADMIN), regulator, DEPUTY, vec![Role::Admin]));
			assert_ok!(Identity::suspend_credential(signed(DEPUTY), DOCTOR, kind));
		});
	}

	#[test]
	fn a_withdrawn_accreditation_leaves_issued_credentials_in_force() {
		run_test(|| {
			let (_, regulator) = consortium();
			let kind = CredentialKind::MedicalLicence;
			issue_licence(regulator, NOW, NOW + YEAR);
			assert_ok!(Identity::withdraw_accreditation(root(), regulator, kind));
			assert!(Identity::has_valid_credential(&DOCTOR, kind));
			assert_noop!(
				Identity::issue_credential(
					signed(REGULATOR_ADMIN),
					regulator,
					NURSE,
					kind,
					meta(9),
					NOW,
					NOW + YEAR
				),
				Error::<Test>::NotAccredited
			);
		});
	}
}

mod record_vaults {
	use super::*;

	const VAULT: AccountId = 300;
	const NEW_VAULT: AccountId = 301;

	fn url(s: &str) -> Vec<u8> {
		s.as_bytes().to_vec()
	}

	#[test]
	fn an_admin_registers_replaces_and_retires_its_vault() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_eq!(Identity::vault_account(hospital), None);
			assert_ok!(Identity::register_vault(signed(HOSPITAL_ADMIN), hospital, VAULT, url("https://vault.hospital.example")));
			assert_eq!(
				last_event(),
				Event::VaultRegistered {
					organisation: hospital,
					account: VAULT,
					endpoint: url("https://vault.hospital.example").try_into().unwrap(),
				}
			);
			assert_eq!(Identity::vault_account(hospital), Some(VAULT));
			assert_eq!(VaultOrganisations::<Test>::get(VAULT), Some(hospital));
			assert_eq!(Identity::vault_organisation(&VAULT), Some(hospital));
			assert!(Identity::is_identified(&VAULT));
			// Registering again with the same account changes the endpoint only.
			assert_ok!(Identity::register_vault(signed(HOSPITAL_ADMIN), hospital, VAULT, url("http://10.0.0.7:8421")));
			// A new account replaces the old one, which no longer signs for the hospital.
			assert_ok!(Identity::register_vault(signed(HOSPITAL_ADMIN), hospital, NEW_VAULT, url("https://v2.example")));
			assert_eq!(VaultOrganisations::<Test>::get(VAULT), None);
			assert_eq!(Identity::vault_account(hospital), Some(NEW_VAULT));
			// While the hospital is suspended its vault is no custodian.
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_eq!(Identity::vault_account(hospital), None);
			assert_eq!(Identity::vault_organisation(&NEW_VAULT), None);
			assert_ok!(Identity::reinstate_organisation(root(), hospital));
			assert_ok!(Identity::retire_vault(signed(HOSPITAL_ADMIN), hospital));
			assert_eq!(last_event(), Event::VaultRetired { organisation: hospital });
			assert_eq!(Identity::vault_account(hospital), None);
			assert_eq!(VaultOrganisations::<Test>::get(NEW_VAULT), None);
		});
	}

	#[test]
	fn vault_errors_and_refused_callers() {
		run_test(|| {
			let (hospital, regulator) = consortium();
			let vault = |who, org, account, endpoint: &str| {
				Identity::register_vault(signed(who), org, account, url(endpoint))
			};
			assert_noop!(
				Identity::register_vault(RuntimeOrigin::none(), hospital, VAULT, url("https://v.example")),
				DispatchError::BadOrigin
			);
			assert_noop!(vault(DOCTOR, hospital, VAULT, "https://v.example"), Error::<Test>::NotOrganisationAdmin);
			assert_noop!(vault(REGULATOR_ADMIN, hospital, VAULT, "https://v.example"), Error::<Test>::NotOrganisationAdmin);
			assert_noop!(vault(HOSPITAL_ADMIN, 99, VAULT, "https://v.example"), Error::<Test>::OrganisationNotFound);
			for bad in ["", "ftp://v.example", "https://", "https:///path", "https://v.example/a b", "v.example"] {
				assert_noop!(vault(HOSPITAL_ADMIN, hospital, VAULT, bad), Error::<Test>::InvalidVaultEndpoint);
			}
			let long = format!("https://{}", "v".repeat(MAX_VAULT_ENDPOINT_LENGTH as usize));
			assert_noop!(vault(HOSPITAL_ADMIN, hospital, VAULT, &long), Error::<Test>::InvalidVaultEndpoint);
			register(PATIENT);
			assert_noop!(vault(HOSPITAL_ADMIN, hospital, PATIENT, "https://v.example"), Error::<Test>::VaultAccountIsPatient);
			assert_ok!(vault(REGULATOR_ADMIN, regulator, VAULT, "https://r.example"));
			assert_noop!(vault(HOSPITAL_ADMIN, hospital, VAULT, "https://v.example"), Error::<Test>::VaultAccountInUse);
			// A vault's account cannot be enrolled as a patient either.
			assert_noop!(Identity::enrol_patient(signed(NURSE), hospital, VAULT, KEY), Error::<Test>::VaultAccountIsPatient);
			assert_noop!(Identity::retire_vault(signed(HOSPITAL_ADMIN), hospital), Error::<Test>::NoVault);
			assert_noop!(Identity::retire_vault(signed(DOCTOR), regulator), Error::<Test>::NotOrganisationAdmin);
			assert_ok!(Identity::suspend_organisation(root(), regulator));
			assert_noop!(Identity::retire_vault(signed(REGULATOR_ADMIN), regulator), Error::<Test>::OrganisationSuspended);
			assert_noop!(vault(REGULATOR_ADMIN, regulator, NEW_VAULT, "https://r.example"), Error::<Test>::OrganisationSuspended);
		});
	}

	#[test]
	fn members_set_their_staff_keys() {
		run_test(|| {
			consortium();
			assert_ok!(Identity::set_staff_key(signed(DOCTOR), KEY));
			assert_eq!(last_event(), Event::StaffKeySet { member: DOCTOR });
			assert_eq!(StaffKeys::<Test>::get(DOCTOR), Some(KEY));
			assert_noop!(Identity::set_staff_key(signed(DOCTOR), KEY), Error::<Test>::KeyUnchanged);
			assert_ok!(Identity::set_staff_key(signed(DOCTOR), OTHER_KEY));
			assert_noop!(Identity::set_staff_key(signed(NURSE), ZERO_KEY), Error::<Test>::InvalidEncryptionKey);
			// Only members: not a patient, not a stranger, not the admin account alone.
			register(PATIENT);
			assert_noop!(Identity::set_staff_key(signed(PATIENT), KEY), Error::<Test>::NotStaff);
			assert_noop!(Identity::set_staff_key(signed(STRANGER), KEY), Error::<Test>::NotStaff);
			assert_noop!(Identity::set_staff_key(signed(HOSPITAL_ADMIN), KEY), Error::<Test>::NotStaff);
			assert_noop!(Identity::set_staff_key(RuntimeOrigin::none(), KEY), DispatchError::BadOrigin);
		});
	}

	#[test]
	fn try_state_catches_a_vault_index_that_disagrees() {
		new_test_ext().execute_with(|| {
			let (hospital, _) = consortium();
			assert_ok!(Identity::register_vault(signed(HOSPITAL_ADMIN), hospital, VAULT, url("https://v.example")));
			VaultOrganisations::<Test>::remove(VAULT);
			assert!(Identity::do_try_state().is_err());
			VaultOrganisations::<Test>::insert(VAULT, hospital);
			VaultOrganisations::<Test>::insert(NEW_VAULT, hospital);
			assert!(Identity::do_try_state().is_err());
		});
	}
}

mod patients {
	use super::*;

	#[test]
	fn care_providers_enrol_patients_who_rotate_their_keys() {
		run_test(|| {
			let (hospital, _) = consortium();
			assert_ok!(Identity::enrol_patient(signed(NURSE), hospital, PATIENT, KEY));
			assert_eq!(
				last_event(),
				Event::PatientEnrolled { patient: PATIENT, organisation: hospital, enrolled_by: NURSE }
			);
			assert_eq!(
				Patients::<Test>::get(PATIENT),
				Some(Patient { encryption_key: KEY, registered_at: NOW })
			);
			// The account exists without a balance, by the enrolment's provider reference.
			assert_eq!(System::providers(&PATIENT), 1);
			assert!(Identity::is_patient(&PATIENT));
			assert!(!Identity::is_patient(&STRANGER));
			// A practitioner (no licence needed at the desk) and the admin account enrol too.
			assert_ok!(Identity::enrol_patient(signed(DOCTOR), hospital, GUARDIAN, KEY));
			assert_ok!(Identity::enrol_patient(signed(HOSPITAL_ADMIN), hospital, STRANGER, KEY));
			assert_eq!(
				Enrolments::<Test>::get(hospital),
				Some(DailyTally { day: DailyTally::day_of(NOW), count: 3 })
			);
			assert_ok!(Identity::rotate_patient_key(signed(PATIENT), OTHER_KEY));
			assert_eq!(last_event(), Event::PatientKeyRotated { patient: PATIENT });
			assert_eq!(Identity::patient_key(&PATIENT), Some(OTHER_KEY));
		});
	}

	#[test]
	fn enrolment_errors() {
		run_test(|| {
			let (hospital, regulator) = consortium();
			let pharmacy = admit(OrganisationKind::Pharmacy, 11);
			assert_ok!(Identity::add_member(signed(HOSPITAL_ADMIN), hospital, DEPUTY, vec![Role::Pharmacist]));
			let enrol = |who: RuntimeOrigin, org, key| Identity::enrol_patient(who, org, PATIENT, key);
			assert_noop!(enrol(RuntimeOrigin::none(), hospital, KEY), DispatchError::BadOrigin);
			assert_noop!(enrol(root(), hospital, KEY), DispatchError::BadOrigin);
			assert_noop!(enrol(signed(NURSE), 99, KEY), Error::<Test>::OrganisationNotFound);
			assert_noop!(enrol(signed(REGULATOR_ADMIN), regulator, KEY), Error::<Test>::NotCareProvider);
			assert_noop!(enrol(signed(11), pharmacy, KEY), Error::<Test>::NotCareProvider);
			// Staff of the hospital without a clinical or admin role, and strangers, may not.
			assert_noop!(enrol(signed(DEPUTY), hospital, KEY), Error::<Test>::NotEnrolmentStaff);
			assert_noop!(enrol(signed(STRANGER), hospital, KEY), Error::<Test>::NotEnrolmentStaff);
			assert_noop!(enrol(signed(NURSE), hospital, ZERO_KEY), Error::<Test>::InvalidEncryptionKey);
			assert_ok!(enrol(signed(NURSE), hospital, KEY));
			assert_noop!(enrol(signed(NURSE), hospital, OTHER_KEY), Error::<Test>::AlreadyRegistered);
			assert_ok!(Identity::suspend_organisation(root(), hospital));
			assert_noop!(
				Identity::enrol_patient(signed(HOSPITAL_ADMIN), hospital, GUARDIAN, KEY),
				Error::<Test>::OrganisationSuspended
			);
		});
	}

	#[test]
	fn each_care_provider_enrols_a_bounded_number_of_patients_a_day() {
		run_test(|| {
			let (hospital, _) = consortium();
			let clinic = admit(OrganisationKind::Clinic, 12);
			for patient in 300..303 {
				assert_ok!(Identity::enrol_patient(signed(NURSE), hospital, patient, KEY));
			}
			assert_noop!(
				Identity::enrol_patient(signed(DOCTOR), hospital, 303, KEY),
				Error::<Test>::EnrolmentAllowanceSpent
			);
			// Another provider's allowance is its own.
			assert_ok!(Identity::enrol_patient(signed(12), clinic, 303, KEY));
			// The next day, the hospital's allowance starts afresh.
			set_now(NOW + 24 * HOUR);
			assert_ok!(Identity::enrol_patient(signed(NURSE), hospital, 304, KEY));
			assert_eq!(
				Enrolments::<Test>::get(hospital),
				Some(DailyTally { day: DailyTally::day_of(NOW) + 1, count: 1 })
			);
		});
	}

	#[test]
	fn rotation_errors() {
		run_test(|| {
			assert_noop!(
				Identity::rotate_patient_key(signed(STRANGER), KEY),
				Error::<Test>::NotPatient
			);
			register(PATIENT);
			assert_noop!(
				Identity::rotate_patient_key(signed(PATIENT), KEY),
				Error::<Test>::KeyUnchanged
			);
			assert_noop!(
				Identity::rotate_patient_key(signed(PATIENT), ZERO_KEY),
				Error::<Test>::InvalidEncryptionKey
			);
			assert_noop!(
				Identity::rotate_patient_key(RuntimeOrigin::none(), OTHER_KEY),
				DispatchError::BadOrigin
			);
		});
	}
}

mod guardians {
	use super::*;

	fn appoint(scope: Vec<CareScope>, expires_at: Option<Moment>) -> sp_runtime::DispatchResult {
		Identity::appoint_guardian(signed(PATIENT), GUARDIAN, GuardianKind::Parent, scope, expires_at)
	}

	#[test]
	fn a_patient_appoints_a_guardian_within_a_scope() {
		run_test(|| {
			register(PATIENT);
			assert_ok!(appoint(vec![CareScope::Prescriptions, CareScope::HealthRecords], None));
			let scope =
				Scopes::try_from(vec![CareScope::HealthRecords, CareScope::Prescriptions]).unwrap();
			assert_eq!(last_event(), Event::GuardianAppointed {
				patient: PATIENT,
				guardian: GUARDIAN,
				kind: GuardianKind::Parent,
				scope,
				expires_at: None
			});
			assert_eq!(GuardianCount::<Test>::get(PATIENT), 1);
			assert!(Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::HealthRecords));
			assert!(Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::Prescriptions));
			assert!(!Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::ResearchConsent));
			assert!(Identity::may_act_for(&PATIENT, &PATIENT, CareScope::ResearchConsent));
			assert!(!Identity::may_act_for(&STRANGER, &PATIENT, CareScope::HealthRecords));
		});
	}

	#[test]
	fn nobody_acts_for_an_unregistered_account() {
		run_test(|| {
			assert!(!Identity::may_act_for(&STRANGER, &STRANGER, CareScope::HealthRecords));
		});
	}

	#[test]
	fn reappointing_replaces_the_terms_without_counting_twice() {
		run_test(|| {
			register(PATIENT);
			assert_ok!(appoint(vec![CareScope::HealthRecords], None));
			assert_ok!(appoint(vec![CareScope::InsuranceClaims], Some(NOW + HOUR)));
			assert_eq!(GuardianCount::<Test>::get(PATIENT), 1);
			assert!(!Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::HealthRecords));
			assert!(Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::InsuranceClaims));
		});
	}

	#[test]
	fn a_guardianship_ends_at_its_expiry() {
		run_test(|| {
			register(PATIENT);
			assert_ok!(appoint(vec![CareScope::HealthRecords], Some(NOW + HOUR)));
			set_now(NOW + HOUR - 1);
			assert!(Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::HealthRecords));
			set_now(NOW + HOUR);
			assert!(!Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::HealthRecords));
		});
	}

	#[test]
	fn appointment_errors() {
		run_test(|| {
			assert_noop!(appoint(vec![CareScope::HealthRecords], None), Error::<Test>::NotPatient);
			register(PATIENT);
			assert_noop!(
				Identity::appoint_guardian(
					signed(PATIENT),
					PATIENT,
					GuardianKind::Delegate,
					vec![CareScope::HealthRecords],
					None
				),
				Error::<Test>::CannotBeOwnGuardian
			);
			assert_noop!(appoint(vec![], None), Error::<Test>::NoScope);
			assert_noop!(
				appoint(vec![CareScope::HealthRecords, CareScope::HealthRecords], None),
				Error::<Test>::DuplicateScope
			);
			assert_noop!(appoint(vec![CareScope::HealthRecords], Some(NOW)), Error::<Test>::ExpiryInPast);
			// The mock allows two guardians.
			for guardian in [GUARDIAN, 202] {
				assert_ok!(Identity::appoint_guardian(
					signed(PATIENT),
					guardian,
					GuardianKind::Caregiver,
					vec![CareScope::RemoteMonitoring],
					None
				));
			}
			assert_noop!(
				Identity::appoint_guardian(
					signed(PATIENT),
					203,
					GuardianKind::Caregiver,
					vec![CareScope::RemoteMonitoring],
					None
				),
				Error::<Test>::TooManyGuardians
			);
			assert_noop!(
				Identity::appoint_guardian(
					RuntimeOrigin::none(),
					GUARDIAN,
					GuardianKind::Parent,
					vec![CareScope::HealthRecords],
					None
				),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn only_the_patient_appoints_for_itself() {
		run_test(|| {
			register(PATIENT);
			assert_ok!(appoint(vec![CareScope::HealthRecords], None));
			// A guardian calling appoint_guardian appoints for itself, and is no patient.
			assert_noop!(
				Identity::appoint_guardian(
					signed(GUARDIAN),
					STRANGER,
					GuardianKind::Delegate,
					vec![CareScope::HealthRecords],
					None
				),
				Error::<Test>::NotPatient
			);
		});
	}

	#[test]
	fn the_patient_removes_and_the_guardian_resigns() {
		run_test(|| {
			register(PATIENT);
			assert_ok!(appoint(vec![CareScope::HealthRecords], None));
			assert_ok!(Identity::remove_guardian(signed(PATIENT), GUARDIAN));
			assert_eq!(last_event(), Event::GuardianRemoved { patient: PATIENT, guardian: GUARDIAN });
			assert!(!Identity::may_act_for(&GUARDIAN, &PATIENT, CareScope::HealthRecords));
			assert!(!GuardianCount::<Test>::contains_key(PATIENT));

			assert_ok!(appoint(vec![CareScope::HealthRecords], None));
			assert_ok!(Identity::resign_guardianship(signed(GUARDIAN), PATIENT));
			assert_eq!(last_event(), Event::GuardianRemoved { patient: PATIENT, guardian: GUARDIAN });
			assert!(!Guardians::<Test>::contains_key(PATIENT, GUARDIAN));
		});
	}

	#[test]
	fn ending_errors_and_refused_callers() {
		run_test(|| {
			register(PATIENT);
			assert_ok!(appoint(vec![CareScope::HealthRecords], None));
			assert_noop!(Identity::remove_guardian(signed(PATIENT), STRANGER), Error::<Test>::NotGuardian);
			assert_noop!(
				Identity::resign_guardianship(signed(STRANGER), PATIENT),
				Error::<Test>::NotGuardian
			);
			// Someone else cannot remove the guardian: as caller it is taken for the patient.
			assert_noop!(Identity::remove_guardian(signed(STRANGER), GUARDIAN), Error::<Test>::NotGuardian);
			assert_noop!(Identity::remove_guardian(root(), GUARDIAN), DispatchError::BadOrigin);
			assert_noop!(
				Identity::resign_guardianship(RuntimeOrigin::none(), PATIENT),
				DispatchError::BadOrigin
			);
		});
	}
}

mod genesis {
	use super::*;

	#[test]
	fn genesis_builds_a_consortium() {
		let config = crate::GenesisConfig::<Test> {
			organisations: vec![
				GenesisOrganisation {
					kind: OrganisationKind::Regulator,
					admin: REGULATOR_ADMIN,
					metadata_hash: meta(1),
					encryption_key: KEY,
					members: vec![],
					accredited_for: vec![CredentialKind::MedicalLicence],
				},
				GenesisOrganisation {
					kind: OrganisationKind::Hospital,
					admin: HOSPITAL_ADMIN,
					metadata_hash: meta(2),
					encryption_key: OTHER_KEY,
					members: vec![(DOCTOR, vec![Role::Practitioner]), (NURSE, vec![Role::Nurse])],
					accredited_for: vec![],
				},
			],
			credentials: vec![GenesisCredential {
				holder: DOCTOR,
				kind: CredentialKind::MedicalLicence,
				issuer: 0,
				licence_hash: meta(9),
				valid_from: 0,
				valid_until: NOW + YEAR,
			}],
			patients: vec![(PATIENT, KEY)],
		};
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		crate::GenesisConfig::<Test>::assimilate_storage(&config, &mut storage).unwrap();
		sp_io::TestExternalities::new(storage).execute_with(|| {
			pallet_timestamp::Now::<Test>::put(NOW);
			assert_eq!(NextOrganisationId::<Test>::get(), 2);
			assert_eq!(Identity::active_organisation_kind(1), Some(OrganisationKind::Hospital));
			assert!(Identity::has_role_in(&DOCTOR, 1, Role::Practitioner));
			assert!(Identity::has_role_in(&NURSE, 1, Role::Nurse));
			assert_eq!(MemberCount::<Test>::get(1), 2);
			assert!(Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
			assert_eq!(
				Credentials::<Test>::get(DOCTOR, CredentialKind::MedicalLicence).unwrap().issued_by,
				REGULATOR_ADMIN
			);
			assert_eq!(Identity::patient_key(&PATIENT), Some(KEY));
			Identity::do_try_state().unwrap();
		});
	}

	#[test]
	#[should_panic(expected = "genesis credential's issuer is accredited for its kind")]
	fn genesis_refuses_a_credential_from_an_unaccredited_issuer() {
		let config = crate::GenesisConfig::<Test> {
			organisations: vec![GenesisOrganisation {
				kind: OrganisationKind::Regulator,
				admin: REGULATOR_ADMIN,
				metadata_hash: meta(1),
				encryption_key: KEY,
				members: vec![],
				accredited_for: vec![],
			}],
			credentials: vec![GenesisCredential {
				holder: DOCTOR,
				kind: CredentialKind::MedicalLicence,
				issuer: 0,
				licence_hash: meta(9),
				valid_from: 0,
				valid_until: NOW,
			}],
			patients: vec![],
		};
		let _ = config.build_storage();
	}
}

mod state_checks {
	use super::*;

	#[test]
	fn try_state_catches_a_member_count_that_disagrees() {
		new_test_ext().execute_with(|| {
			consortium();
			MemberCount::<Test>::insert(0, 7);
			assert!(Identity::do_try_state().is_err());
		});
	}

	#[test]
	fn try_state_catches_a_membership_index_that_disagrees() {
		new_test_ext().execute_with(|| {
			consortium();
			Memberships::<Test>::remove(DOCTOR);
			assert!(Identity::do_try_state().is_err());
		});
	}

	#[test]
	fn try_state_catches_a_guardian_count_that_disagrees() {
		new_test_ext().execute_with(|| {
			register(PATIENT);
			assert_ok!(Identity::appoint_guardian(
				signed(PATIENT),
				GUARDIAN,
				GuardianKind::Parent,
				vec![CareScope::HealthRecords],
				None
			));
			GuardianCount::<Test>::insert(PATIENT, 2);
			assert!(Identity::do_try_state().is_err());
		});
	}

	#[test]
	fn the_pallet_has_no_block_hooks_to_run() {
		run_test(|| {
			// Expiry needs no job: nothing happens on initialize, and validity still ends.
			let (_, regulator) = consortium();
			issue_licence(regulator, NOW, NOW + HOUR);
			let weight = <Identity as Hooks<u64>>::on_initialize(2);
			assert_eq!(weight, frame_support::weights::Weight::zero());
			set_now(NOW + HOUR);
			assert!(!Identity::has_valid_credential(&DOCTOR, CredentialKind::MedicalLicence));
		});
	}
}

mod sponsorship {
	use super::*;
	use codec::{Decode, DecodeWithMemTracking, Encode};
	use frame_support::{dispatch::GetDispatchInfo, traits::UnfilteredDispatchable, weights::Weight};
	use scale_info::TypeInfo;
	use sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension, TxBaseImplication, ValidateResult},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	};

	/// The fee payment of an account without funds: it refuses every transaction.
	#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, Debug, TypeInfo)]
	struct NoFunds;

	impl TransactionExtension<RuntimeCall> for NoFunds {
		const IDENTIFIER: &'static str = "NoFunds";
		type Implicit = ();
		type Val = ();
		type Pre = ();

		fn weight(&self, _: &RuntimeCall) -> Weight {
			Weight::from_parts(1_000, 0)
		}

		fn validate(
			&self,
			_: RuntimeOrigin,
			_: &RuntimeCall,
			_: &sp_runtime::traits::DispatchInfoOf<RuntimeCall>,
			_: usize,
			_: (),
			_: &impl sp_runtime::traits::Implication,
			_: TransactionSource,
		) -> ValidateResult<(), RuntimeCall> {
			Err(InvalidTransaction::Payment.into())
		}

		fn prepare(
			self,
			_: (),
			_: &RuntimeOrigin,
			_: &RuntimeCall,
			_: &sp_runtime::traits::DispatchInfoOf<RuntimeCall>,
			_: usize,
		) -> Result<(), TransactionValidityError> {
			Ok(())
		}
	}

	type Sponsor = SponsorPatients<Test, NoFunds>;

	fn rotation() -> RuntimeCall {
		RuntimeCall::Identity(Call::rotate_patient_key { encryption_key: OTHER_KEY })
	}

	fn validate(who: AccountId, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
		Sponsor::from(NoFunds)
			.validate(
				signed(who),
				call,
				&call.get_dispatch_info(),
				0,
				(),
				&TxBaseImplication(()),
				TransactionSource::External,
			)
			.map(|_| ())
	}

	/// Validates and prepares `call` from `who`, as block building does before dispatch.
	fn prepare(who: AccountId, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
		Sponsor::from(NoFunds)
			.validate_and_prepare(signed(who), call, &call.get_dispatch_info(), 0, 0)
			.map(|_| ())
	}

	fn sent_today(who: AccountId) -> u32 {
		DailyTally::count_on(SponsoredTransactions::<Test>::get(who), DailyTally::day_of(mock::Timestamp::get()))
	}

	#[test]
	fn a_patients_sponsored_calls_pay_nothing_within_the_daily_allowance() {
		run_test(|| {
			register(PATIENT);
			for sent in 1..=3 {
				assert_eq!(prepare(PATIENT, &rotation()), Ok(()));
				assert_eq!(sent_today(PATIENT), sent);
			}
			// Beyond the allowance the transaction goes to the fee payment, which refuses it.
			assert_eq!(validate(PATIENT, &rotation()), Err(InvalidTransaction::Payment.into()));
			assert_eq!(prepare(PATIENT, &rotation()), Err(InvalidTransaction::Payment.into()));
			assert_eq!(sent_today(PATIENT), 3);
			// The next day the allowance starts afresh.
			set_now(NOW + 24 * HOUR);
			assert_eq!(prepare(PATIENT, &rotation()), Ok(()));
			assert_eq!(sent_today(PATIENT), 1);
		});
	}

	#[test]
	fn only_a_call_that_may_be_sponsored_is_charged_for_the_sponsorship_check() {
		let appointment = RuntimeCall::Identity(Call::appoint_guardian {
			guardian: GUARDIAN,
			kind: GuardianKind::Delegate,
			scope: vec![CareScope::HealthRecords],
			expires_at: None,
		});
		let payment = NoFunds.weight(&appointment);
		assert_eq!(Sponsor::from(NoFunds).weight(&appointment), payment);
		assert_eq!(
			Sponsor::from(NoFunds).weight(&rotation()),
			<() as crate::weights::WeightInfo>::sponsor_patient_transaction().saturating_add(payment)
		);
		assert!(Sponsor::from(NoFunds).weight(&rotation()).ref_time() > payment.ref_time());
	}

	#[test]
	fn only_patients_and_only_sponsored_calls_go_without_fees() {
		run_test(|| {
			register(PATIENT);
			let appointment = RuntimeCall::Identity(Call::appoint_guardian {
				guardian: GUARDIAN,
				kind: GuardianKind::Delegate,
				scope: vec![CareScope::HealthRecords],
				expires_at: None,
			});
			assert_eq!(prepare(PATIENT, &appointment), Err(InvalidTransaction::Payment.into()));
			assert_eq!(prepare(STRANGER, &rotation()), Err(InvalidTransaction::Payment.into()));
			// Neither spent anything, and an unsigned origin is the fee payment's to judge.
			assert_eq!(sent_today(PATIENT), 0);
			assert_eq!(
				Sponsor::from(NoFunds)
					.validate_and_prepare(RuntimeOrigin::none(), &rotation(), &rotation().get_dispatch_info(), 0, 0)
					.map(|_| ()),
				Err(InvalidTransaction::Payment.into())
			);
		});
	}

	#[test]
	fn the_pool_spends_nothing_and_block_building_spends_before_dispatch() {
		run_test(|| {
			register(PATIENT);
			assert_eq!(validate(PATIENT, &rotation()), Ok(()));
			assert_eq!(validate(PATIENT, &rotation()), Ok(()));
			assert_eq!(sent_today(PATIENT), 0);
			// Spent in `prepare`: a call that then fails (the key is unchanged) has spent it.
			let unchanged = RuntimeCall::Identity(Call::rotate_patient_key { encryption_key: KEY });
			assert_eq!(prepare(PATIENT, &unchanged), Ok(()));
			assert!(unchanged.dispatch_bypass_filter(signed(PATIENT)).is_err());
			assert_eq!(sent_today(PATIENT), 1);
		});
	}

	#[test]
	fn clients_see_the_wrapped_fee_extension() {
		assert_eq!(<Sponsor as TransactionExtension<RuntimeCall>>::IDENTIFIER, "NoFunds");
		let metadata = <Sponsor as TransactionExtension<RuntimeCall>>::metadata();
		assert_eq!(metadata.len(), 1);
		assert_eq!(metadata[0].identifier, "NoFunds");
		assert_eq!(metadata[0].ty, scale_info::meta_type::<NoFunds>());
		assert_eq!(Sponsor::from(NoFunds).encode(), NoFunds.encode());
		assert_eq!(Sponsor::decode(&mut &NoFunds.encode()[..]), Ok(Sponsor::from(NoFunds)));
	}
}
