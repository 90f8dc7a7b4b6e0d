//! The runtime API through which a care team's application lists the alerts nobody has
//! acknowledged: served over RPC with `state_call`
//! (`api.call.remoteMonitoringApi.unacknowledgedAlerts` in polkadot.js).

use crate::types::AlertId;
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// Alerts of remote monitoring.
	pub trait RemoteMonitoringApi<AccountId> where AccountId: codec::Codec {
		/// The ids of `patient`'s alerts that no one has acknowledged, oldest first.
		fn unacknowledged_alerts(patient: AccountId) -> Vec<AlertId>;
	}
}
