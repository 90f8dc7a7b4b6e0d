//! Identities that the domain pallets' benchmarks set up, through the identity pallet's own
//! calls, so that they run against the real role checks.

use alloc::vec::Vec;
use pallet_health_identity::{CredentialKind, NextOrganisationId, OrganisationId, OrganisationKind, Role};
use sp_core::H256;

use crate::{AccountId, HealthIdentity, Runtime, RuntimeOrigin};

/// Admits an organisation of `kind` with `member` a member with `roles`, and returns its id.
/// Its admin is an account of its own, since no admin may make itself an overseer (auditor,
/// ethics reviewer); give `member` the admin role to let it manage the organisation.
pub fn organisation(kind: OrganisationKind, member: &AccountId, roles: Vec<Role>) -> OrganisationId {
	let id = NextOrganisationId::<Runtime>::get();
	let admin = AccountId::new(sp_io::hashing::blake2_256(&[&b"benchmark-admin/"[..], &id.to_le_bytes()].concat()));
	HealthIdentity::admit_organisation(RuntimeOrigin::root(), kind, admin.clone(), H256::zero(), [1; 32])
		.expect("governance admits organisations");
	HealthIdentity::add_member(RuntimeOrigin::signed(admin), id, member.clone(), roles)
		.expect("the admin adds the member");
	id
}

/// Gives `who` a credential of `kind`, issued by a new regulator accredited for it.
pub fn credential(who: &AccountId, kind: CredentialKind) {
	let regulator = organisation(OrganisationKind::Regulator, who, alloc::vec![Role::Admin]);
	HealthIdentity::accredit_issuer(RuntimeOrigin::root(), regulator, kind).expect("governance accredits issuers");
	HealthIdentity::issue_credential(
		RuntimeOrigin::signed(who.clone()),
		regulator,
		who.clone(),
		kind,
		H256::repeat_byte(1),
		0,
		u64::MAX,
	)
	.expect("the regulator issues the credential");
}

/// Registers `who` as a patient.
pub fn register_patient(who: &AccountId) {
	HealthIdentity::register_patient(RuntimeOrigin::signed(who.clone()), [2; 32]).expect("a new account registers");
}
