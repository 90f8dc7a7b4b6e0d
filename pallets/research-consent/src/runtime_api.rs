//! The runtime API that answers "may study S use patient P's data now, and if not, why not":
//! served over RPC with `state_call` (`api.call.researchConsentApi.mayUse` in polkadot.js).

use crate::types::{Permit, Refusal, StudyId};

sp_api::decl_runtime_apis! {
	/// Consent checks of clinical research.
	pub trait ResearchConsentApi<AccountId, RecordType> where
		AccountId: codec::Codec,
		RecordType: codec::Codec,
	{
		/// Whether `study` may use `patient`'s data now: on which consent, which record types
		/// and until when; or why not.
		fn may_use(study: StudyId, patient: AccountId) -> Result<Permit<RecordType>, Refusal>;
	}
}
