//! The consortium's allow-list, enforced by the node at every finalized block.
//!
//! Governance keeps the list of authorised peer ids on chain (`pallet-consortium-network`);
//! the runtime API `ConsortiumNetworkApi::authorised_nodes` hands it to the node. A task
//! of the node (not an offchain worker: no flag of a member's node turns it off) reads it at
//! startup and at every finalized block, and while the list is not empty:
//!
//! - **Peers**: the sync protocol takes only authorised peers (reserved-only networking). A
//!   node that is not on the list (a member's new node, before governance authorises it)
//!   keeps to the listed nodes too: they refuse it until they read that it is authorised,
//!   and then it syncs, and reads that itself.
//! - **Block requests**: the block request protocol sits behind a [`gate`]: a request from a
//!   peer that is not on the list is dropped unanswered (the requester sees its request
//!   rejected), and the peer is banned, so that the network refuses its requests on every
//!   protocol (state, warp sync, light client) and drops its connections.
//! - **Bans last**: sc-network's bans decay within about a minute; the task renews the ban of
//!   every refused peer, and of every peer governance revoked, at each finalized block for an
//!   hour after it was last refused; a peer governance authorises is unbanned at once.
//!
//! **Public nodes** (`--serve-light-clients`, [`Strangers::LightClients`]): a member's node that
//! the consortium designates to serve patients' light clients. A light client must open the
//! block announces protocol to follow the chain, which reserved-only networking refuses, so a
//! public node keeps the listed nodes as reserved peers that take no slot and accepts others
//! beside them, with no slot for a full node ([`public_node_slots`]): sc-network-sync reads
//! each peer's role in its handshake and refuses a full node off the list, and admits light
//! clients to `--in-peers-light` slots. Its gate answers a peer off the list what a light
//! client verifies the chain with: block requests for headers and finality justifications. A
//! request for block bodies (or anything else) from such a peer is refused without a ban, so
//! that a light client whose application asked for a body keeps its peer.
//!
//! What this cannot do: sc-network (stable2609) offers no hook at connection time, so a peer
//! that never asks for a block (only for state, warp proofs or light-client proofs) is not
//! known to the node and is answered until it does. The README's operator guide therefore
//! also restricts the p2p port to the members' addresses with a firewall.

use futures::{channel::mpsc, StreamExt};
use healthchain_runtime::opaque::{Block, Hash};
use pallet_consortium_network::runtime_api::ConsortiumNetworkApi;
use sc_client_api::BlockchainEvents;
use sc_network_sync::SyncingService;
use sc_network::{
	config::IncomingRequest, service::traits::NetworkService, NetworkBackend, PeerId,
	ReputationChange,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use std::{
	collections::{HashMap, HashSet},
	sync::{Arc, RwLock},
	time::{Duration, Instant},
};

const LOG_TARGET: &str = "healthchain::permissioning";

/// How long a refused peer's ban is renewed after it was last refused.
const BAN_RENEWED_FOR: Duration = Duration::from_secs(3600);

/// What the ban of a peer outside the allow-list says in the node's log.
const NOT_AUTHORISED: &str = "not on the consortium's allow-list";

/// What a node serves peers that are not on the allow-list while the list is not empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strangers {
	/// Nothing: the node keeps to the listed nodes and bans a stranger that asks for a block.
	#[default]
	Refused,
	/// What a light client needs to verify the chain (a designated public node): strangers
	/// may be peers, and may have headers and finality justifications, never block bodies.
	LightClients,
}

/// How many light clients a node configured with `in_peers` inbound and `out_peers`
/// outbound slots of which `num_full` are for full nodes takes (sc-cli counts the light
/// slots, `--in-peers-light`, into `in_peers`).
pub fn light_client_slots(in_peers: u32, out_peers: u32, num_full: u32) -> u32 {
	in_peers.saturating_sub(num_full.saturating_sub(out_peers))
}

/// Sets the slots of a public node's peer set: none for a full node that is not reserved (the
/// listed nodes are), and its light slots for light clients.
pub fn public_node_slots(network: &mut sc_network::config::NetworkConfiguration) {
	let set = &mut network.default_peers_set;
	set.in_peers = light_client_slots(set.in_peers, set.out_peers, network.default_peers_set_num_full);
	set.out_peers = 0;
	network.default_peers_set_num_full = 0;
}

/// Prepares the network configuration of a node that serves `strangers`, given the chain as
/// `client` has it, and answers what it will serve: a public node on a chain that authorises
/// nodes gets [`public_node_slots`]; on a chain that authorises none (an open network, which
/// serves everyone anyway) the flag is set aside with a warning.
pub fn prepare<C>(client: &C, network: &mut sc_network::config::NetworkConfiguration, strangers: Strangers) -> Strangers
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: ConsortiumNetworkApi<Block>,
{
	if strangers == Strangers::Refused {
		return strangers;
	}
	let listed = client
		.runtime_api()
		.authorised_nodes(client.info().finalized_hash)
		.map(|list| !parse(list).is_empty())
		.unwrap_or(false);
	if !listed {
		log::warn!(target: LOG_TARGET, "--serve-light-clients set aside: the chain authorises no node, so the network is open to every peer");
		return Strangers::Refused;
	}
	public_node_slots(network);
	log::info!(
		target: LOG_TARGET,
		"public node: full-node peers are the consortium's listed nodes only; {} slot(s) for light clients, which have headers and justifications, never block bodies",
		network.default_peers_set.in_peers,
	);
	strangers
}

/// The part of sc-network-sync's protobuf `BlockRequest` that says what is asked for.
#[derive(Clone, PartialEq, prost::Message)]
struct AskedFor {
	/// The block attributes, in the top byte (sc-network-common's `BlockAttributes`).
	#[prost(uint32, tag = "1")]
	fields: u32,
}

/// Whether the block request `payload` asks only for what a light client verifies the chain
/// with: headers and finality justifications (and the hashes every answer holds). Anything
/// malformed is not.
pub fn asks_only_for_headers(payload: &[u8]) -> bool {
	use prost::Message as _;
	use sc_network_common::sync::message::BlockAttributes;
	AskedFor::decode(payload)
		.ok()
		.and_then(|asked| BlockAttributes::from_be_u32(asked.fields).ok())
		.is_some_and(|asked| (BlockAttributes::HEADER | BlockAttributes::JUSTIFICATION).contains(asked))
}

/// The network backends whose request protocols can be gated: both that sc-network offers.
pub trait GateableBackend: NetworkBackend<Block, Hash> {
	/// The queue on which the network hands a protocol's inbound requests to its handler.
	fn inbound_queue(
		config: &mut Self::RequestResponseProtocolConfig,
	) -> &mut Option<async_channel::Sender<IncomingRequest>>;
}

impl GateableBackend for sc_network::Litep2pNetworkBackend {
	fn inbound_queue(
		config: &mut Self::RequestResponseProtocolConfig,
	) -> &mut Option<async_channel::Sender<IncomingRequest>> {
		&mut config.inbound_queue
	}
}

impl GateableBackend for sc_network::NetworkWorker<Block, Hash> {
	fn inbound_queue(
		config: &mut Self::RequestResponseProtocolConfig,
	) -> &mut Option<async_channel::Sender<IncomingRequest>> {
		&mut config.inbound_queue
	}
}

/// The allow-list as the node last read it, shared by the task that reads it and the gates.
#[derive(Default)]
pub struct AllowList {
	/// `None` while the chain authorises no node: the network is open.
	authorised: RwLock<Option<HashSet<PeerId>>>,
}

impl AllowList {
	/// Whether `peer` may be served: any peer while the list is empty, else those on it.
	pub fn admits(&self, peer: &PeerId) -> bool {
		self.authorised.read().expect("no writer panics while holding the lock; qed").as_ref().map_or(true, |list| list.contains(peer))
	}

	/// Replaces the list; returns the peers that were on the old list and are not on the new.
	pub fn replace(&self, new: Option<HashSet<PeerId>>) -> Vec<PeerId> {
		let mut authorised = self.authorised.write().expect("no writer panics while holding the lock; qed");
		let revoked = match (&*authorised, &new) {
			(Some(old), Some(new)) => old.difference(new).copied().collect(),
			(Some(old), None) => old.iter().copied().collect(),
			_ => Vec::new(),
		};
		*authorised = new;
		revoked
	}
}

/// What the node's peer set should be, given the allow-list and its own peer id.
#[derive(Debug, PartialEq, Eq)]
pub enum PeerSetting {
	/// Any peer: the chain authorises no node.
	Open,
	/// Only these peers: the listed nodes other than this one.
	Only(HashSet<PeerId>),
	/// These peers always, and others beside them (a public node's light clients).
	First(HashSet<PeerId>),
}

/// The peer setting of node `own` under the allow-list `list`. A node not on the list keeps
/// to the listed nodes as well: it can learn that it was authorised only from them.
pub fn peer_setting(list: &HashSet<PeerId>, own: &PeerId, strangers: Strangers) -> PeerSetting {
	if list.is_empty() {
		return PeerSetting::Open;
	}
	let others = list.iter().filter(|peer| *peer != own).copied().collect();
	match strangers {
		Strangers::Refused => PeerSetting::Only(others),
		Strangers::LightClients => PeerSetting::First(others),
	}
}

/// Parses the runtime's peer ids; a malformed one (the pallet refuses them) is left out.
pub fn parse(list: Vec<Vec<u8>>) -> HashSet<PeerId> {
	list.into_iter()
		.filter_map(|bytes| match PeerId::from_bytes(&bytes) {
			Ok(peer) => Some(peer),
			Err(_) => {
				log::warn!(target: LOG_TARGET, "the chain's allow-list holds a malformed peer id {bytes:02x?}");
				None
			},
		})
		.collect()
}

/// A gate in front of a request protocol's handler: built before the network (it replaces
/// the protocol's inbound queue), run once the network exists (it bans through it).
pub struct Gate {
	protocol: &'static str,
	requests: async_channel::Receiver<IncomingRequest>,
	handler: async_channel::Sender<IncomingRequest>,
	strangers: Strangers,
}

/// Puts a gate in front of the handler of the block request protocol `config`, which lets
/// `strangers` through as [`Strangers`] says.
pub fn gate<N: GateableBackend>(
	protocol: &'static str,
	config: &mut N::RequestResponseProtocolConfig,
	strangers: Strangers,
) -> Option<Gate> {
	let queue = N::inbound_queue(config);
	let handler = queue.take()?;
	// As deep as the handler's own queue: a full gate drops requests as the network would.
	let (to_gate, requests) = async_channel::bounded(handler.capacity().unwrap_or(1024).max(1));
	*queue = Some(to_gate);
	Some(Gate { protocol, requests, handler, strangers })
}

impl Gate {
	/// Forwards requests from authorised peers (and a public node's light clients' requests
	/// for headers) to the handler; drops the others unanswered and reports their peers to
	/// `refused`, except a public node's strangers, who stay light clients.
	async fn run(self, allow_list: Arc<AllowList>, refused: mpsc::UnboundedSender<PeerId>) {
		let light_clients = self.strangers == Strangers::LightClients;
		while let Ok(request) = self.requests.recv().await {
			if allow_list.admits(&request.peer) || (light_clients && asks_only_for_headers(&request.payload)) {
				if self.handler.try_send(request).is_err() {
					log::debug!(target: LOG_TARGET, "{} handler busy: a request dropped", self.protocol);
				}
			} else if light_clients {
				log::debug!(target: LOG_TARGET, "{} request from {} refused: it asks for more than headers", self.protocol, request.peer);
				drop(request);
			} else {
				log::debug!(target: LOG_TARGET, "{} request from {} refused: {NOT_AUTHORISED}", self.protocol, request.peer);
				let _ = refused.unbounded_send(request.peer);
				// Dropping the request unanswered makes the network reject it.
				drop(request);
			}
		}
	}
}

/// Starts the permissioning of this node: the allow-list task and the `gates`.
pub fn start<C>(
	client: Arc<C>,
	network: Arc<dyn NetworkService>,
	sync: Arc<SyncingService<Block>>,
	gates: Vec<Gate>,
	strangers: Strangers,
	spawn: &sc_service::SpawnTaskHandle,
) where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockchainEvents<Block> + Send + Sync + 'static,
	C::Api: ConsortiumNetworkApi<Block>,
{
	let allow_list = Arc::new(AllowList::default());
	let (refused_tx, refused_rx) = mpsc::unbounded();
	for gate in gates {
		let allow_list = allow_list.clone();
		let refused = refused_tx.clone();
		spawn.spawn("healthchain-request-gate", Some("networking"), gate.run(allow_list, refused));
	}
	spawn.spawn(
		"healthchain-allow-list",
		Some("networking"),
		follow_allow_list(client, network, sync, allow_list, strangers, refused_rx),
	);
}

/// Reads the allow-list at startup and at every finalized block, applies it to the peer set,
/// and bans refused and revoked peers.
async fn follow_allow_list<C>(
	client: Arc<C>,
	network: Arc<dyn NetworkService>,
	sync: Arc<SyncingService<Block>>,
	allow_list: Arc<AllowList>,
	strangers: Strangers,
	mut refused: mpsc::UnboundedReceiver<PeerId>,
) where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockchainEvents<Block>,
	C::Api: ConsortiumNetworkApi<Block>,
{
	let own = network.local_peer_id();
	let mut finality = client.finality_notification_stream();
	// Peers refused or revoked, and when that last happened.
	let mut banned: HashMap<PeerId, Instant> = HashMap::new();
	let mut applied: Option<PeerSetting> = None;
	let mut at = Some(client.info().finalized_hash);
	loop {
		if let Some(hash) = at.take() {
			match client.runtime_api().authorised_nodes(hash) {
				Ok(list) => {
					let list = parse(list);
					let setting = peer_setting(&list, &own, strangers);
					let revoked = allow_list.replace((!list.is_empty()).then(|| list.clone()));
					let now = Instant::now();
					banned.extend(revoked.into_iter().map(|peer| (peer, now)));
					// An authorised peer is no longer banned, and nobody is on an open network:
					// undo what a ban left.
					banned.retain(|peer, _| {
						let keep = !list.is_empty() && !list.contains(peer);
						if !keep {
							network.report_peer(*peer, ReputationChange::new(i32::MAX, "authorised by the consortium"));
						}
						keep
					});
					if applied.as_ref() != Some(&setting) {
						apply(&*network, &sync, &setting);
						applied = Some(setting);
					}
				},
				// A runtime from before the API: its offchain worker sets the peers.
				Err(error) => log::debug!(target: LOG_TARGET, "no allow-list at {hash:?}: {error}"),
			}
			let now = Instant::now();
			banned.retain(|_, last| now.duration_since(*last) < BAN_RENEWED_FOR);
			for peer in banned.keys() {
				network.report_peer(*peer, ReputationChange::new_fatal(NOT_AUTHORISED));
			}
		}
		futures::select! {
			notification = finality.next() => match notification {
				Some(notification) => at = Some(notification.hash),
				None => return,
			},
			peer = refused.next() => if let Some(peer) = peer {
				// Re-checked: the list may have changed since the gate refused it.
				if !allow_list.admits(&peer) && banned.insert(peer, Instant::now()).is_none() {
					log::warn!(target: LOG_TARGET, "banned peer {peer}: {NOT_AUTHORISED}");
					network.report_peer(peer, ReputationChange::new_fatal(NOT_AUTHORISED));
				}
			},
		}
	}
}

/// Sets the node's peer set.
fn apply(network: &dyn NetworkService, sync: &SyncingService<Block>, setting: &PeerSetting) {
	match setting {
		PeerSetting::Open => {
			log::info!(target: LOG_TARGET, "the chain authorises no node: the network is open");
			network.set_authorized_only(false);
		},
		PeerSetting::Only(peers) => {
			log::info!(target: LOG_TARGET, "the chain authorises {} other node(s): only those may be peers", peers.len());
			let peers = peers.iter().map(|peer| (*peer).into()).collect();
			network.set_authorized_peers(peers);
			network.set_authorized_only(true);
		},
		PeerSetting::First(peers) => {
			log::info!(target: LOG_TARGET, "the chain authorises {} other node(s): always peers; light clients served beside them", peers.len());
			let peers: HashSet<_> = peers.iter().map(|peer| (*peer).into()).collect();
			// Reserved, and without a slot: a public node has none for full nodes.
			sync.set_no_slot_peers(peers.clone());
			network.set_authorized_peers(peers);
			network.set_authorized_only(false);
		},
	}
}
