//! The runtime API that tells a node which peers the consortium has authorised: the node reads
//! it at every finalized block and refuses every other peer (see the node's `permissioning`).

use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// The consortium's allow-list of nodes.
	pub trait ConsortiumNetworkApi {
		/// The authorised nodes' peer ids (the bytes the base58 `12D3KooW...` form decodes
		/// to), in no particular order; empty while the network is open to any node.
		fn authorised_nodes() -> Vec<Vec<u8>>;
	}
}
