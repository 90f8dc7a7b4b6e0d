//! The consensus seam: how a block gets authored, imported and finalized.
//!
//! The service builds everything that does not depend on consensus (client, database,
//! transaction pool, network, RPC) and hands the rest to a [`ConsensusEngine`]. Each engine is
//! one module:
//!
//! - [`aura`]: Aura block production with GRANDPA finality, for consortium networks.
//! - [`instant_seal`]: one block per transaction, finalized at once, for development.
//! - [`manual_seal`]: one block every given number of milliseconds, finalized at once.
//!
//! To add an engine, add a module that implements [`ConsensusEngine`], a variant to
//! [`Consensus`] with its name in [`Consensus::NAMES`], and an arm to [`Consensus::run`].

pub mod aura;
pub mod sealing;
pub mod instant_seal;
pub mod manual_seal;

use crate::service::{self, FullBackend, FullClient, NodeParts};
use healthchain_runtime::opaque::{Block, Hash};
use sc_consensus::DefaultImportQueue;
use sc_network::{config::FullNetworkConfiguration, service::traits::NetworkService, NetworkBackend};
use sc_service::{
	error::Error as ServiceError, ChainSpec, Configuration, SpawnEssentialTaskHandle, TaskManager,
	WarpSyncConfig,
};
use std::{fmt, str::FromStr, sync::Arc};

/// The consensus engine chosen with `--consensus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consensus {
	/// Aura block production with GRANDPA finality.
	Aura,
	/// A block for each transaction that enters the pool, finalized at once.
	InstantSeal,
	/// A block every this many milliseconds, finalized at once.
	ManualSeal {
		/// Milliseconds between blocks.
		interval_ms: u64,
	},
}

impl Consensus {
	/// The accepted spellings, as listed in help and error messages.
	pub const NAMES: &'static str = "aura, instant-seal, manual-seal-<ms>";

	/// The engine a chain runs when `--consensus` is not given: the `dev` chain seals
	/// instantly, every other chain runs Aura with GRANDPA.
	pub fn default_for(chain_spec: &dyn ChainSpec) -> Self {
		if chain_spec.id() == "dev" {
			Consensus::InstantSeal
		} else {
			Consensus::Aura
		}
	}

	/// Starts a full node with this engine over the network backend `N`, serving peers off
	/// the consortium's allow-list as `strangers` says.
	pub fn run<N: crate::permissioning::GateableBackend>(
		self,
		config: Configuration,
		strangers: crate::permissioning::Strangers,
	) -> Result<TaskManager, ServiceError> {
		match self {
			Consensus::Aura => service::new_full::<_, N>(config, aura::AuraGrandpa, strangers),
			Consensus::InstantSeal => service::new_full::<_, N>(config, instant_seal::InstantSeal, strangers),
			Consensus::ManualSeal { interval_ms } =>
				service::new_full::<_, N>(config, manual_seal::ManualSeal { interval_ms }, strangers),
		}
	}

	/// The parts of a node that chain operations (import, check, revert blocks) need: the
	/// client, the backend and this engine's import queue, without network or authoring.
	pub fn chain_ops(
		self,
		config: &Configuration,
	) -> Result<(service::ChainOps, TaskManager), ServiceError> {
		match self {
			Consensus::Aura => service::new_chain_ops(config, &aura::AuraGrandpa),
			Consensus::InstantSeal => service::new_chain_ops(config, &instant_seal::InstantSeal),
			Consensus::ManualSeal { interval_ms } =>
				service::new_chain_ops(config, &manual_seal::ManualSeal { interval_ms }),
		}
	}
}

impl fmt::Display for Consensus {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Consensus::Aura => f.write_str("aura"),
			Consensus::InstantSeal => f.write_str("instant-seal"),
			Consensus::ManualSeal { interval_ms } => write!(f, "manual-seal-{interval_ms}"),
		}
	}
}

impl FromStr for Consensus {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		let unknown = || format!("unknown consensus engine '{s}'; valid engines: {}", Self::NAMES);
		match s {
			"aura" => Ok(Consensus::Aura),
			"instant-seal" => Ok(Consensus::InstantSeal),
			_ => {
				let ms = s.strip_prefix("manual-seal-").ok_or_else(unknown)?;
				match ms.parse::<u64>() {
					Ok(interval_ms) if interval_ms > 0 => Ok(Consensus::ManualSeal { interval_ms }),
					_ => Err(format!(
						"invalid block interval in '{s}': expected manual-seal-<ms> with <ms> a \
						 whole number of milliseconds above 0; valid engines: {}",
						Self::NAMES
					)),
				}
			},
		}
	}
}

/// What the service gives an engine once the network runs, to start authoring and finality.
pub struct StartParams<'a> {
	/// The node's configuration: role, name, authoring flags.
	pub role: sc_service::Role,
	/// Whether to author even when offline (`--force-authoring`).
	pub force_authoring: bool,
	/// The node's name on the network.
	pub node_name: String,
	/// Whether the GRANDPA voter should run (not with `--no-grandpa`).
	pub enable_grandpa: bool,
	/// The prometheus registry, when metrics are enabled.
	pub prometheus_registry: Option<substrate_prometheus_endpoint::Registry>,
	/// Client, backend, pool and keystore.
	pub parts: &'a NodeParts,
	/// The running network.
	pub network: Arc<dyn NetworkService>,
	/// The sync service.
	pub sync_service: Arc<sc_network_sync::SyncingService<Block>>,
	/// Where to spawn the engine's tasks.
	pub task_manager: &'a TaskManager,
}

/// What the service gives an engine to add its network protocols.
pub struct NetworkParams<'a, N: NetworkBackend<Block, Hash>> {
	/// The network configuration to add protocols to.
	pub net_config: &'a mut FullNetworkConfiguration<Block, Hash, N>,
	/// Metrics of notification protocols.
	pub metrics: sc_network::service::NotificationMetrics,
	/// The hash of the genesis block, part of protocol names.
	pub genesis_hash: Hash,
	/// The chain spec, also part of protocol names.
	pub chain_spec: &'a Box<dyn ChainSpec>,
	/// The database, from which warp-sync proofs are served.
	pub backend: Arc<FullBackend>,
}

/// A consensus engine: how blocks are imported, authored and finalized.
pub trait ConsensusEngine: Send + 'static {
	/// What the engine carries from building its import queue to starting: block import
	/// handles, finality links, network protocol handles.
	type Link: Send + 'static;

	/// Builds the queue that verifies and imports blocks, from the network or from a file.
	fn import_queue(
		&self,
		parts: &NodeParts,
		spawner: &SpawnEssentialTaskHandle,
		config: &Configuration,
	) -> Result<(DefaultImportQueue<Block>, Self::Link), ServiceError>;

	/// Adds the engine's own network protocols, and says how to warp-sync, if it can.
	fn configure_network<N: NetworkBackend<Block, Hash>>(
		&self,
		_link: &mut Self::Link,
		_params: NetworkParams<'_, N>,
	) -> Option<WarpSyncConfig<Block>> {
		None
	}

	/// Starts authoring (and finality, where the engine has its own).
	fn start(self, link: Self::Link, params: StartParams<'_>) -> Result<(), ServiceError>;

	/// Reverts what the engine keeps beside the chain (such as GRANDPA's authority set) when
	/// the `revert` command removes the last `blocks` blocks.
	fn revert_aux(
		&self,
		_client: Arc<FullClient>,
		_blocks: sp_runtime::traits::NumberFor<Block>,
	) -> sp_blockchain::Result<()> {
		Ok(())
	}
}
