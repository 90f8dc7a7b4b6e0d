//! What this pallet needs to know about identities, which the runtime answers from the
//! identity pallet.

/// The questions the health-records pallet asks before it lets a call through. Every answer is
/// about *now*: a suspended organisation, a lapsed credential or an expired guardianship
/// count as absent.
pub trait RecordsIdentity<AccountId, OrganisationId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` may manage `patient`'s records: the patient itself, or a guardian whose
	/// scope covers health records.
	fn may_manage_records(who: &AccountId, patient: &AccountId) -> bool;

	/// Whether `who` is a practitioner with a licence in force.
	fn is_practitioner(who: &AccountId) -> bool;

	/// Whether `who` is a licensed practitioner at `organisation`, and it is active.
	fn is_practitioner_at(who: &AccountId, organisation: OrganisationId) -> bool;

	/// Whether `organisation` is an active care provider that may be granted access to
	/// records (a hospital, clinic, laboratory or pharmacy, say).
	fn is_care_provider(organisation: OrganisationId) -> bool;

	/// Whether `who` is a licensed practitioner with the emergency-care role.
	fn is_emergency_practitioner(who: &AccountId) -> bool;

	/// Whether `who` holds the auditor role in an active organisation.
	fn is_auditor(who: &AccountId) -> bool;
}

/// Sets up, in benchmarks, the identities the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId> {
	/// Registers `who` as a patient.
	fn register_patient(who: &AccountId);

	/// Makes `guardian` a guardian of `patient` with the health-records scope.
	fn make_guardian(guardian: &AccountId, patient: &AccountId);

	/// Makes `who` a licensed practitioner at a new care provider, and returns it.
	fn make_practitioner(who: &AccountId) -> OrganisationId;

	/// Makes `who` a licensed practitioner with the emergency-care role.
	fn make_emergency_practitioner(who: &AccountId);

	/// Gives `who` the auditor role.
	fn make_auditor(who: &AccountId);
}
