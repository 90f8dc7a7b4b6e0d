//! What this pallet needs to know about identities, which the runtime answers from the
//! identity pallet.

/// The questions the claims pallet asks before it lets a call through. Every answer is about
/// now.
pub trait ClaimsIdentity<AccountId, OrganisationId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `organisation` is an active insurer.
	fn is_insurer(organisation: OrganisationId) -> bool;

	/// Whether `organisation` is an active care provider that bills insurers.
	fn is_provider(organisation: OrganisationId) -> bool;

	/// Whether `who` holds the claims-officer role at `organisation`, and it is active.
	fn is_claims_officer(who: &AccountId, organisation: OrganisationId) -> bool;
}

/// What this pallet needs to know about the claim documents custodians hold, which the runtime
/// answers from the health-records pallet.
pub trait ClaimDocuments<AccountId> {
	/// `record`, if it is a claim document (a health record of type `Claim`); `None` if there
	/// is no such record or it is of another type.
	fn claim_record(record: crate::RecordId) -> Option<crate::ClaimRecord<AccountId>>;
}

/// Sets up, in benchmarks, the organisations and people the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId> {
	/// Registers `who` as a patient.
	fn register_patient(who: &AccountId);

	/// A new insurer, with `who` its claims officer.
	fn insurer(who: &AccountId) -> OrganisationId;

	/// A new care provider, with `who` its claims officer.
	fn provider(who: &AccountId) -> OrganisationId;

	/// A new claim document about `patient`, written by `author`, a claims officer of
	/// `provider`.
	fn claim_document(patient: &AccountId, author: &AccountId, provider: OrganisationId) -> crate::RecordId;
}
