//! PENDING: replaced by the output of `scripts/benchmark pallet_health_identity` before this
//! pallet is released; until then every call weighs the same fixed amount.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::weights::Weight;
use core::marker::PhantomData;

/// Weight functions needed for `pallet_health_identity`.
pub trait WeightInfo {
	fn admit_organisation() -> Weight;
	fn suspend_organisation() -> Weight;
	fn reinstate_organisation() -> Weight;
	fn update_organisation() -> Weight;
	fn add_member() -> Weight;
	fn remove_member() -> Weight;
	fn accredit_issuer() -> Weight;
	fn withdraw_accreditation() -> Weight;
	fn issue_credential() -> Weight;
	fn suspend_credential() -> Weight;
	fn reinstate_credential() -> Weight;
	fn revoke_credential() -> Weight;
	fn register_patient() -> Weight;
	fn rotate_patient_key() -> Weight;
	fn appoint_guardian() -> Weight;
	fn remove_guardian() -> Weight;
	fn resign_guardianship() -> Weight;
	fn change_organisation_admin() -> Weight;
}

/// Weights for `pallet_health_identity` in the HealthChain runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn admit_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn suspend_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn reinstate_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn update_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn add_member() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn remove_member() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn accredit_issuer() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn withdraw_accreditation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn issue_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn suspend_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn reinstate_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn revoke_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn register_patient() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn rotate_patient_key() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn appoint_guardian() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn remove_guardian() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn resign_guardianship() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn change_organisation_admin() -> Weight { Weight::from_parts(10_000_000, 0) }
}

impl WeightInfo for () {
	fn admit_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn suspend_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn reinstate_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn update_organisation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn add_member() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn remove_member() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn accredit_issuer() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn withdraw_accreditation() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn issue_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn suspend_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn reinstate_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn revoke_credential() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn register_patient() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn rotate_patient_key() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn appoint_guardian() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn remove_guardian() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn resign_guardianship() -> Weight { Weight::from_parts(10_000_000, 0) }
	fn change_organisation_admin() -> Weight { Weight::from_parts(10_000_000, 0) }
}
