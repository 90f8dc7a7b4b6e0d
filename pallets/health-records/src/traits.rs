//! What this pallet needs to know about identities, which the runtime answers from the
//! identity pallet.

/// The questions the health-records pallet asks before it lets a call through. Every answer is
/// about *now*: a suspended organisation, a lapsed credential or an expired guardianship
/// count as absent, so a caller who loses standing loses what it gave at the next use.
pub trait RecordsIdentity<AccountId, OrganisationId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` may manage `patient`'s records: the patient itself, or a guardian whose
	/// scope covers health records.
	fn may_manage_records(who: &AccountId, patient: &AccountId) -> bool;

	/// Whether `who` is a practitioner with a licence in force.
	fn is_practitioner(who: &AccountId) -> bool;

	/// Whether `who` works at the active care provider `organisation` in a clinical role (a
	/// licensed practitioner, a nurse, a licensed pharmacist, a laboratory scientist), and so
	/// acts under the grants that patients give to `organisation`.
	fn is_clinical_staff_at(who: &AccountId, organisation: OrganisationId) -> bool;

	/// Whether `organisation` is an active care provider that may be granted access to
	/// records (a hospital, clinic, laboratory or pharmacy, say).
	fn is_care_provider(organisation: OrganisationId) -> bool;

	/// Whether `who` is a licensed practitioner with the emergency-care role at the active
	/// organisation `organisation`.
	fn is_emergency_practitioner_at(who: &AccountId, organisation: OrganisationId) -> bool;

	/// Whether `who` is an accredited auditor at the active organisation `organisation`.
	fn is_auditor_at(who: &AccountId, organisation: OrganisationId) -> bool;

	/// Whether `who` is an accredited auditor at an active regulator, who reviews the
	/// break-glass accesses of any organisation.
	fn is_regulatory_auditor(who: &AccountId) -> bool;

	/// The account that signs for the record vault of `organisation`, if it is active and
	/// runs one: a record's custodian, which logs its releases and confirms its erasure.
	fn vault_account(organisation: OrganisationId) -> Option<AccountId>;

	/// The X25519 key a vault wraps a record's data key to when it releases the record to
	/// `who`: its staff key if it set one, else its key as a patient.
	fn encryption_key(who: &AccountId) -> Option<[u8; 32]>;
}

/// Who handles patients' billing documents: the records of type
/// [`RecordType::Claim`](crate::RecordType::Claim), which carry what a claim bills (procedures,
/// diagnoses) and which no grant of the patient's reaches. The runtime answers from the
/// claims pallet (which claim names a record) and the identity pallet (who holds which role).
pub trait ClaimDocumentParties<AccountId, OrganisationId> {
	/// Whether `who` files claims for `organisation` now: a claims officer of an active care
	/// provider, who writes its claim documents under
	/// [`Authority::Billing`](crate::Authority::Billing).
	fn files_claims_for(who: &AccountId, organisation: OrganisationId) -> bool;

	/// The organisation for which `who` may read the claim document `record` now, if any: the
	/// care provider or the insurer of the claim that names `record` (as its document or its
	/// appeal), for their claims officers and auditors, or a regulator, for its accredited
	/// auditors.
	fn reads_claim_document_for(who: &AccountId, record: crate::RecordId) -> Option<OrganisationId>;
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

	/// Makes `who` a licensed practitioner with the emergency-care role at a new care
	/// provider, and returns it.
	fn make_emergency_practitioner(who: &AccountId) -> OrganisationId;

	/// Makes `who` an accredited auditor at `organisation`.
	fn make_auditor(who: &AccountId, organisation: OrganisationId);

	/// Makes `vault` the vault account of a new organisation, and returns it.
	fn make_custodian(vault: &AccountId) -> OrganisationId;
}
