//! What this pallet needs from the others: who is who (the identity pallet, through the
//! runtime).

/// The questions the {{title_lower}} pallet asks about accounts. Every answer is about now.
pub trait {{Identity}}<AccountId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` is a practitioner with a licence in force.
	fn is_practitioner(who: &AccountId) -> bool;
}

/// Sets up, in benchmarks, the people the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers `who` as a patient.
	fn register_patient(who: &AccountId);

	/// Makes `who` a licensed practitioner.
	fn make_practitioner(who: &AccountId);
}
