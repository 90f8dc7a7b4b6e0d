//! What this pallet needs from others, which the runtime answers: who is who (the identity
//! pallet) and access to records (the health-records pallet).

use frame_support::{pallet_prelude::DispatchResult, weights::Weight};

/// The questions the research-consent pallet asks before it lets a call through. Every
/// answer is about now: a suspended organisation or a lapsed credential count as absent.
pub trait ResearchIdentity<AccountId, OrganisationId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` may give, narrow and withdraw research consent for `patient`: the
	/// patient, or a guardian whose scope covers research consent.
	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool;

	/// Whether `who` is a researcher with a research certification in force at
	/// `institute`, an active research institute.
	fn is_researcher_at(who: &AccountId, institute: OrganisationId) -> bool;

	/// Whether `who` is an ethics reviewer with an ethics-review accreditation in force at
	/// `board`, an active ethics board.
	fn is_ethics_reviewer_at(who: &AccountId, board: OrganisationId) -> bool;
}

/// Access to a patient's records that a consent check grants and a withdrawal ends.
pub trait ResearchDataAccess<AccountId, RecordType> {
	/// Grants `researcher` read access to `patient`'s records of `record_types` until
	/// `until`, on the strength of the patient's consent, replacing an earlier such grant.
	fn grant(patient: &AccountId, researcher: &AccountId, record_types: &[RecordType], until: u64) -> DispatchResult;

	/// Ends the access granted to `researcher` on the strength of `patient`'s consent, if it
	/// is still there, and returns what that weighed beyond what this pallet's benchmarks
	/// measure (the keys the grant carried).
	fn end(patient: &AccountId, researcher: &AccountId) -> Weight;

	/// The most that [`grant`](Self::grant) or [`end`](Self::end) weighs beyond what this
	/// pallet's benchmarks measure (the keys a grant carries).
	fn worst_case_weight() -> Weight;
}

/// Sets up, in benchmarks, the people the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId, RecordType> {
	/// Registers `who` as a patient.
	fn register_patient(who: &AccountId);

	/// A new active research institute with `who` a certified researcher there.
	fn research_institute(who: &AccountId) -> OrganisationId;

	/// Makes `who` a certified researcher at `institute` too.
	fn add_researcher(who: &AccountId, institute: OrganisationId);

	/// A new active ethics board with `who` an accredited reviewer there.
	fn ethics_board(who: &AccountId) -> OrganisationId;

	/// Every record type, sorted.
	fn record_types() -> alloc::vec::Vec<RecordType>;
}
