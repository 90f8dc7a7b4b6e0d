//! The node's service: client, database, transaction pool, network and RPC, with a
//! [`ConsensusEngine`] plugged in for authoring and finality.

use crate::{
	consensus::{ConsensusEngine, NetworkParams, StartParams},
	permissioning::{self, GateableBackend, Strangers},
};
use futures::FutureExt;
use healthchain_runtime::{
	apis::RuntimeApi,
	opaque::{Block, Hash},
};
use sc_client_api::{Backend, BlockBackend};
use sc_consensus::DefaultImportQueue;
use sc_service::{error::Error as ServiceError, Configuration, KeystoreContainer, TaskManager};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use std::sync::Arc;

/// The client, executing the runtime's wasm.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
/// The database backend (ParityDB).
pub type FullBackend = sc_service::TFullBackend<Block>;
/// Fork choice: the longest chain.
pub type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
/// The transaction pool.
pub type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// The parts of a node that do not depend on its consensus engine.
pub struct NodeParts {
	/// The client: chain data and runtime calls.
	pub client: Arc<FullClient>,
	/// The database.
	pub backend: Arc<FullBackend>,
	/// Fork choice.
	pub select_chain: FullSelectChain,
	/// Pending transactions.
	pub transaction_pool: Arc<FullPool>,
	/// The node's keys.
	pub keystore_container: KeystoreContainer,
	/// Telemetry, when `--telemetry-url` is given.
	pub telemetry: Option<Telemetry>,
}

/// Builds client, database and transaction pool, and the task manager that runs them.
fn new_parts(config: &Configuration) -> Result<(NodeParts, TaskManager), ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let parts =
		NodeParts { client, backend, select_chain, transaction_pool, keystore_container, telemetry };
	Ok((parts, task_manager))
}

/// What the chain-operation commands (import, check, export, revert blocks) work with.
pub struct ChainOps {
	/// The client.
	pub client: Arc<FullClient>,
	/// The database.
	pub backend: Arc<FullBackend>,
	/// The engine's import queue.
	pub import_queue: DefaultImportQueue<Block>,
	/// Reverts the engine's auxiliary data along with blocks.
	pub revert_aux: Box<dyn FnOnce(Arc<FullClient>, u32) -> sp_blockchain::Result<()>>,
}

/// Builds the parts that chain-operation commands need, with `engine`'s import queue, and the
/// task manager that runs their background tasks until the command finishes.
pub fn new_chain_ops<E: ConsensusEngine + Clone>(
	config: &Configuration,
	engine: &E,
) -> Result<(ChainOps, TaskManager), ServiceError> {
	let (parts, task_manager) = new_parts(config)?;
	let (import_queue, _link) =
		engine.import_queue(&parts, &task_manager.spawn_essential_handle(), config)?;
	let engine = engine.clone();
	let chain_ops = ChainOps {
		client: parts.client,
		backend: parts.backend,
		import_queue,
		revert_aux: Box::new(move |client, blocks| engine.revert_aux(client, blocks)),
	};
	Ok((chain_ops, task_manager))
}

/// Builds and starts a full node with the consensus `engine` over the network backend `N`.
pub fn new_full<E: ConsensusEngine, N: GateableBackend>(
	config: Configuration,
	engine: E,
	strangers: Strangers,
) -> Result<TaskManager, ServiceError> {
	let (mut parts, mut task_manager) = new_parts(&config)?;
	let (import_queue, mut link) =
		engine.import_queue(&parts, &task_manager.spawn_essential_handle(), &config)?;

	let mut config = config;
	let strangers = permissioning::prepare(&*parts.client, &mut config.network, strangers);
	let mut net_config = sc_network::config::FullNetworkConfiguration::<Block, Hash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let genesis_hash = parts.client.block_hash(0).ok().flatten().expect("genesis block exists; qed");
	let warp_sync_config = engine.configure_network(
		&mut link,
		NetworkParams {
			net_config: &mut net_config,
			metrics: metrics.clone(),
			genesis_hash,
			chain_spec: &config.chain_spec,
			backend: parts.backend.clone(),
		},
	);

	// The block request protocol is built here rather than by sc-service so that the
	// consortium's allow-list can gate it (see `permissioning`).
	let block_downloads = sc_network_sync::service::network::NetworkServiceProvider::new();
	let mut block_relay = sc_network_sync::block_request_handler::BlockRequestHandler::new::<N>(
		block_downloads.handle(),
		&config.protocol_id(),
		config.chain_spec.fork_id(),
		parts.client.clone(),
		config.network.default_peers_set.in_peers as usize +
			config.network.default_peers_set.out_peers as usize,
	);
	let gates: Vec<_> =
		permissioning::gate::<N>("block", &mut block_relay.request_response_config, strangers).into_iter().collect();

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: parts.client.clone(),
			transaction_pool: parts.transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config,
			block_relay: Some(block_relay),
			metrics,
			gap_sync_body_policy: None,
		})?;

	task_manager.spawn_handle().spawn(
		"block-downloads",
		Some("networking"),
		block_downloads.run(Arc::new(network.clone())),
	);
	permissioning::start(
		parts.client.clone(),
		network.clone(),
		sync_service.clone(),
		gates,
		strangers,
		&task_manager.spawn_handle(),
	);

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: parts.client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(parts.keystore_container.keystore()),
				offchain_db: parts.backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					parts.transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(parts.client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let node_name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let client = parts.client.clone();
		let pool = parts.transaction_pool.clone();
		Box::new(move |_| {
			crate::rpc::create_full(crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
			})
			.map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: parts.client.clone(),
		keystore: parts.keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: parts.transaction_pool.clone(),
		rpc_builder,
		backend: parts.backend.clone(),
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: parts.telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	engine.start(
		link,
		StartParams {
			role,
			force_authoring,
			node_name,
			enable_grandpa,
			prometheus_registry,
			parts: &parts,
			network,
			sync_service,
			task_manager: &task_manager,
		},
	)?;

	Ok(task_manager)
}
