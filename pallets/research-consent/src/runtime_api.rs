//! The runtime API that answers "may study S use participant P's data now, and if not, why
//! not", and the custodian's question before a release, "may this researcher be released this
//! type of P's records now": served over RPC with `state_call`
//! (`api.call.researchConsentApi.mayUse` in polkadot.js).

use crate::types::{Moment, Permit, ReadRefusal, Refusal, StudyId};

sp_api::decl_runtime_apis! {
	/// Consent checks of clinical research.
	pub trait ResearchConsentApi<AccountId, RecordType> where
		AccountId: codec::Codec,
		RecordType: codec::Codec,
	{
		/// Whether `study` may use `participant`'s data now: on which consent, which record
		/// types and until when; or why not.
		fn may_use(study: StudyId, participant: AccountId) -> Result<Permit<RecordType>, Refusal>;

		/// Whether `researcher` may be released `participant`'s records of `record_type` now:
		/// for which study and until when; or why not.
		fn research_permit(
			participant: AccountId,
			researcher: AccountId,
			record_type: RecordType,
		) -> Result<(StudyId, Moment), ReadRefusal>;
	}
}
