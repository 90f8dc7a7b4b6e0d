//! The runtime API through which auditors, regulators and applications list claims by
//! status: the node serves it over RPC with `state_call`
//! (`api.call.insuranceClaimsApi.patientClaims` in polkadot.js).

use crate::types::{ClaimId, ClaimStatus};
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// Claims by patient or provider.
	pub trait InsuranceClaimsApi<AccountId, OrganisationId>
	where
		AccountId: codec::Codec,
		OrganisationId: codec::Codec,
	{
		/// The ids of `patient`'s claims, in `status` if given, oldest first.
		fn patient_claims(patient: AccountId, status: Option<ClaimStatus>) -> Vec<ClaimId>;

		/// The ids of `provider`'s claims, in `status` if given, oldest first.
		fn provider_claims(provider: OrganisationId, status: Option<ClaimStatus>) -> Vec<ClaimId>;
	}
}
