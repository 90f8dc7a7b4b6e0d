//! Identities that the domain pallets' benchmarks set up, through the identity pallet's own
//! calls, so that they run against the real role checks, at their worst: every account a
//! benchmark gives a role to first belongs to as many other organisations as it may, so that
//! a check of its roles walks past all of them.

use alloc::vec::Vec;
use frame_support::traits::Get;
use pallet_health_identity::{CredentialKind, Memberships, NextOrganisationId, OrganisationId, OrganisationKind, Role};
use sp_core::H256;

use crate::{AccountId, HealthIdentity, Runtime, RuntimeOrigin};

/// Memberships left free for the organisations a benchmark's setup gives one account (a
/// pharmacist who is also its manufacturer's logistics, say).
const ROOM: u32 = 2;

/// An admin account of the organisation that `id` will be, of its own: no admin may make
/// itself an overseer (auditor, ethics reviewer), so members are added by someone else.
pub fn admin_of(id: OrganisationId) -> AccountId {
	frame_benchmarking::account("benchmark-admin", id, 0)
}

/// Admits an organisation of `kind` with an admin of its own, and returns its id and admin.
pub fn admit(kind: OrganisationKind) -> (OrganisationId, AccountId) {
	let id = NextOrganisationId::<Runtime>::get();
	let admin = admin_of(id);
	HealthIdentity::admit_organisation(RuntimeOrigin::root(), kind, admin.clone(), H256::zero(), [1; 32])
		.expect("governance admits organisations");
	(id, admin)
}

/// Makes `who` a member of insurers, as a claims officer, until it belongs to all but [`ROOM`]
/// of the organisations it may: the memberships that a role check walks before it finds the
/// role of the benchmark.
fn crowd_memberships(who: &AccountId) {
	let most: u32 = <Runtime as pallet_health_identity::Config>::MaxMembershipsPerAccount::get();
	while (Memberships::<Runtime>::get(who).len() as u32) < most.saturating_sub(ROOM) {
		let (id, admin) = admit(OrganisationKind::Insurer);
		HealthIdentity::add_member(RuntimeOrigin::signed(admin), id, who.clone(), alloc::vec![Role::ClaimsOfficer])
			.expect("the admin adds a member");
	}
}

/// Admits an organisation of `kind` with `member` a member with `roles` (after its crowd of
/// other memberships), and returns its id. Give `member` the admin role to let it manage the
/// organisation.
pub fn organisation(kind: OrganisationKind, member: &AccountId, roles: Vec<Role>) -> OrganisationId {
	crowd_memberships(member);
	let (id, admin) = admit(kind);
	HealthIdentity::add_member(RuntimeOrigin::signed(admin), id, member.clone(), roles)
		.expect("the admin adds the member");
	id
}

/// Gives `who` a credential of `kind`, issued by a new regulator accredited for it (of which
/// `who` is not a member: credentials come from outside).
pub fn credential(who: &AccountId, kind: CredentialKind) {
	let (regulator, admin) = admit(OrganisationKind::Regulator);
	HealthIdentity::accredit_issuer(RuntimeOrigin::root(), regulator, kind).expect("governance accredits issuers");
	HealthIdentity::issue_credential(
		RuntimeOrigin::signed(admin),
		regulator,
		who.clone(),
		kind,
		H256::repeat_byte(1),
		0,
		u64::MAX,
	)
	.expect("the regulator issues the credential");
}

/// Registers `who` as a patient: a new hospital's admin enrols it.
pub fn register_patient(who: &AccountId) {
	let (hospital, admin) = admit(OrganisationKind::Hospital);
	HealthIdentity::enrol_patient(RuntimeOrigin::signed(admin), hospital, who.clone(), [2; 32])
		.expect("the hospital enrols a new patient");
}

/// A new hospital with `vault` the account its registered record vault signs with: a
/// custodian of records.
pub fn custodian(vault: &AccountId) -> OrganisationId {
	let (hospital, admin) = admit(OrganisationKind::Hospital);
	HealthIdentity::register_vault(RuntimeOrigin::signed(admin), hospital, vault.clone(), b"https://vault.hospital.example".to_vec())
		.expect("the admin registers its vault");
	hospital
}
