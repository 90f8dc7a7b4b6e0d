//! What the other pallets may ask about identities, and how the runtime answers it.

use crate::types::{CareScope, CredentialKind, EncryptionKey, OrganisationId, OrganisationKind, Role};

/// Questions about accounts and organisations that the domain pallets ask before they let a
/// call through: "is this account a patient", "does it hold role R now", "may it act for this
/// patient". This pallet implements it; the runtime adapts it to each domain pallet's own,
/// smaller trait.
///
/// Every answer is about *now*: a suspended organisation, an expired, suspended or revoked
/// credential and an expired guardianship all count as absent.
pub trait IdentityQuery<AccountId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` holds `role` in `organisation`, that organisation is active and the role
	/// belongs at its kind ([`Role::allowed_at`]). A role that checks others (auditor, ethics
	/// reviewer) counts only with its [`Role::oversight_credential`] in force, issued by
	/// another organisation.
	fn has_role_in(who: &AccountId, organisation: OrganisationId, role: Role) -> bool;

	/// Whether `who` holds `role` in any active organisation.
	fn has_role(who: &AccountId, role: Role) -> bool;

	/// Whether `who` holds `role` (as [`has_role_in`](Self::has_role_in) counts it) in an
	/// active organisation of `kind`.
	fn has_role_at_kind(who: &AccountId, role: Role, kind: OrganisationKind) -> bool {
		Self::organisation_with_role(who, role, kind).is_some()
	}

	/// The first active organisation of `kind` in which `who` holds `role` (as
	/// [`has_role_in`](Self::has_role_in) counts it), if any: the one it acts for.
	fn organisation_with_role(who: &AccountId, role: Role, kind: OrganisationKind) -> Option<OrganisationId>;

	/// The kind of `organisation`, if it exists and is active.
	fn active_organisation_kind(organisation: OrganisationId) -> Option<OrganisationKind>;

	/// Whether `who` holds a credential of `kind` that is in force now, from an issuer that is
	/// not suspended.
	fn has_valid_credential(who: &AccountId, kind: CredentialKind) -> bool;

	/// Whether `who` may act for `patient` in `scope` now: the patient itself, or a guardian
	/// whose guardianship covers the scope and has not expired.
	fn may_act_for(who: &AccountId, patient: &AccountId, scope: CareScope) -> bool;

	/// The encryption key of a registered patient.
	fn patient_key(patient: &AccountId) -> Option<EncryptionKey>;

	/// The encryption key a member of staff set for itself (`set_staff_key`).
	fn staff_key(who: &AccountId) -> Option<EncryptionKey>;

	/// The encryption key of an organisation.
	fn organisation_key(organisation: OrganisationId) -> Option<EncryptionKey>;

	/// The account that signs for the record vault of `organisation`, if the organisation is
	/// active and runs one: the custodian of the records that name it.
	fn vault_account(organisation: OrganisationId) -> Option<AccountId>;

	/// The active organisation whose record vault signs with `who`, if any.
	fn vault_organisation(who: &AccountId) -> Option<OrganisationId>;

	/// Whether `who` is known to the registry as someone: a patient, a member of an
	/// organisation, the holder of a staff key, a vault.
	fn is_identified(who: &AccountId) -> bool;
}
