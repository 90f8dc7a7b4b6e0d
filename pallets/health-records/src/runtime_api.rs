//! The runtime API a custodian's vault asks before it releases a record or accepts an upload:
//! "may this reader read this record now, under which authority; if not, why not". Served
//! over RPC with `state_call` (`api.call.healthRecordsApi.readPermit` in polkadot.js), asked
//! at a finalized block.

use crate::types::{Authority, ReadPermit, RecordId, RecordType};

sp_api::decl_runtime_apis! {
	/// Custody decisions of health records. `Refusal` is the pallet's `Error`, whose variant
	/// names the reason.
	pub trait HealthRecordsApi<AccountId, OrganisationId, Refusal> where
		AccountId: codec::Codec,
		OrganisationId: codec::Codec,
		Refusal: codec::Codec,
	{
		/// Whether `reader` may read `record` now: the record's patient, type and custodian and
		/// the authority to log the read under; or why not.
		fn read_permit(record: RecordId, reader: AccountId) -> Result<ReadPermit<AccountId, OrganisationId>, Refusal>;

		/// Whether `writer` may write `patient`'s records of `record_type` under `authority`
		/// now; or why not.
		fn write_permit(
			writer: AccountId,
			patient: AccountId,
			record_type: RecordType,
			authority: Authority<AccountId, OrganisationId>,
		) -> Result<(), Refusal>;
	}
}
