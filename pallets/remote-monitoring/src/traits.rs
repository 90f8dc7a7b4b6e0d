//! What this pallet needs to know about identities and access, which the runtime answers from
//! the identity and health-records pallets.

/// The questions the monitoring pallet asks before it lets a call through. Every answer is
/// about now.
pub trait MonitoringIdentity<AccountId, OrganisationId> {
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;

	/// Whether `who` may consent for `patient`: the patient, or a guardian whose scope covers
	/// remote monitoring.
	fn may_consent_for(who: &AccountId, patient: &AccountId) -> bool;

	/// Whether `who` is care staff (practitioner, nurse or admin) of `organisation`, an active
	/// care provider.
	fn is_care_staff(who: &AccountId, organisation: OrganisationId) -> bool;

	/// Whether `who` is in `patient`'s care team at `organisation`: care staff there, and the
	/// patient's grant of access to observations (to the organisation or to `who`) is in force.
	fn is_care_team(who: &AccountId, organisation: OrganisationId, patient: &AccountId) -> bool;

	/// Whether `patient`'s grant of access to observations to `organisation` is in force.
	fn has_access(organisation: OrganisationId, patient: &AccountId) -> bool;
}

/// Sets up, in benchmarks, the people the calls need.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, OrganisationId> {
	/// Registers `who` as a patient.
	fn register_patient(who: &AccountId);

	/// A new care provider with `who` in its care team for `patient` (granted access).
	fn care_team(who: &AccountId, patient: &AccountId) -> OrganisationId;

	/// Sets the chain's clock to `moment`.
	fn set_clock(moment: crate::Moment);
}
