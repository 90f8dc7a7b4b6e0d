//! What this pallet needs from others, which the runtime answers: who is who (the identity
//! pallet, and its register of custodians' vaults).

/// The questions the research-consent pallet asks before it lets a call through. Every
/// answer is about now: a suspended organisation or a lapsed credential count as absent.
pub trait ResearchIdentity<AccountId, OrganisationId> {
	/// Whether `who` is registered with an identity of any kind (a patient, a member of an
	/// organisation): such an account may not consent, which would name it next to a study.
	fn is_identified(who: &AccountId) -> bool;

	/// Whether `who` may narrow and withdraw consents given under `patient`'s own account
	/// (before participants existed) and end accesses under them: a guardian whose scope
	/// covers research consent.
	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool;

	/// Whether `who` is a researcher with a research certification in force at
	/// `institute`, an active research institute.
	fn is_researcher_at(who: &AccountId, institute: OrganisationId) -> bool;

	/// Whether `who` is an ethics reviewer with an ethics-review accreditation in force at
	/// `board`, an active ethics board.
	fn is_ethics_reviewer_at(who: &AccountId, board: OrganisationId) -> bool;

	/// The active organisation whose registered vault account `who` is, if any: the
	/// custodian that logs releases with it.
	fn custodian_of_vault(who: &AccountId) -> Option<OrganisationId>;
}

/// Sets up, in benchmarks, the people the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId, RecordType> {
	/// A new active research institute with `who` a certified researcher there.
	fn research_institute(who: &AccountId) -> OrganisationId;

	/// Makes `who` a certified researcher at `institute` too.
	fn add_researcher(who: &AccountId, institute: OrganisationId);

	/// A new active ethics board with `who` an accredited reviewer there.
	fn ethics_board(who: &AccountId) -> OrganisationId;

	/// A new active custodian organisation with `who` its registered vault account.
	fn custodian(who: &AccountId) -> OrganisationId;

	/// Every record type, sorted.
	fn record_types() -> alloc::vec::Vec<RecordType>;
}
