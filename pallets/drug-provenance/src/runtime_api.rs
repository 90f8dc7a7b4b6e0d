//! The runtime API through which a scanner verifies a unit: the node serves it over RPC with
//! `state_call` (`api.call.drugProvenanceApi.verifyUnit` in polkadot.js).

use crate::types::{LotNumber, Moment, ProductCode, SerialNumber, Verification};

sp_api::decl_runtime_apis! {
	/// Verification of serialised drugs and devices.
	pub trait DrugProvenanceApi<OrganisationId> where OrganisationId: codec::Codec {
		/// Whether the unit `serial` of `product` is genuine, who holds it and what its status
		/// is; `lot` and `expires_at`, as printed on the pack, are checked if given.
		fn verify_unit(
			product: ProductCode,
			serial: SerialNumber,
			lot: Option<LotNumber>,
			expires_at: Option<Moment>,
		) -> Verification<OrganisationId>;
	}
}
