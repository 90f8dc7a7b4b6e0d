//! Aura block production with GRANDPA finality: the engine of consortium networks.
//!
//! Validators take turns by slot (the runtime's `SLOT_DURATION`) to author blocks; GRANDPA
//! finalizes them once two thirds of the voters agree, so a network of four validators keeps
//! finalizing with one of them down.

use super::{ConsensusEngine, NetworkParams, StartParams};
use crate::service::{FullBackend, FullClient, FullSelectChain, NodeParts};
use healthchain_runtime::opaque::{Block, Hash};
use sc_consensus::DefaultImportQueue;
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::{GrandpaBlockImport, LinkHalf, SharedVoterState};
use sc_network::{service::traits::NotificationService, NetworkBackend, ProtocolName};
use sc_service::{
	error::Error as ServiceError, Configuration, SpawnEssentialTaskHandle, WarpSyncConfig,
};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_aura::sr25519::AuthorityPair as AuraPair;
use std::{sync::Arc, time::Duration};

/// GRANDPA produces a justification at least every this many blocks, which lets a syncing node
/// verify finality without replaying every vote.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// How long a GRANDPA message takes to cross the network; loopback and LAN consortia are fast.
const GRANDPA_GOSSIP_DURATION: Duration = Duration::from_millis(333);

/// Aura with GRANDPA.
#[derive(Clone, Copy, Debug)]
pub struct AuraGrandpa;

/// What Aura and GRANDPA carry from import queue to start.
pub struct Link {
	block_import: GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
	grandpa: LinkHalf<Block, FullClient, FullSelectChain>,
	/// GRANDPA's gossip protocol, once the network has it.
	protocol: Option<(ProtocolName, Box<dyn NotificationService>)>,
}

/// Timestamp and slot for a block authored, or checked, now.
fn slot_now(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

impl ConsensusEngine for AuraGrandpa {
	type Link = Link;

	fn import_queue(
		&self,
		parts: &NodeParts,
		spawner: &SpawnEssentialTaskHandle,
		config: &Configuration,
	) -> Result<(DefaultImportQueue<Block>, Link), ServiceError> {
		let client = parts.client.clone();
		let (block_import, grandpa) = sc_consensus_grandpa::block_import(
			client.clone(),
			GRANDPA_JUSTIFICATION_PERIOD,
			&client,
			parts.select_chain.clone(),
			parts.telemetry.as_ref().map(|t| t.handle()),
		)?;

		let cidp_client = client.clone();
		let import_queue =
			sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
				block_import: block_import.clone(),
				justification_import: Some(Box::new(block_import.clone())),
				client,
				create_inherent_data_providers: move |parent_hash, _| {
					let client = cidp_client.clone();
					async move {
						let slot_duration =
							sc_consensus_aura::standalone::slot_duration_at(&*client, parent_hash)?;
						Ok(slot_now(slot_duration))
					}
				},
				spawner,
				registry: config.prometheus_registry(),
				check_for_equivocation: Default::default(),
				telemetry: parts.telemetry.as_ref().map(|t| t.handle()),
				compatibility_mode: Default::default(),
			})?;

		Ok((import_queue, Link { block_import, grandpa, protocol: None }))
	}

	fn configure_network<N: NetworkBackend<Block, Hash>>(
		&self,
		link: &mut Link,
		params: NetworkParams<'_, N>,
	) -> Option<WarpSyncConfig<Block>> {
		let protocol_name =
			sc_consensus_grandpa::protocol_standard_name(&params.genesis_hash, params.chain_spec);
		let (protocol_config, notification_service) =
			sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
				protocol_name.clone(),
				params.metrics,
				params.net_config.peer_store_handle(),
			);
		params.net_config.add_notification_protocol(protocol_config);
		link.protocol = Some((protocol_name, notification_service));

		let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
			params.backend,
			link.grandpa.shared_authority_set().clone(),
			Vec::new(),
		));
		Some(WarpSyncConfig::WithProvider(warp_sync))
	}

	fn start(self, link: Link, params: StartParams<'_>) -> Result<(), ServiceError> {
		let Link { block_import, grandpa, protocol } = link;
		let parts = params.parts;
		let telemetry = || parts.telemetry.as_ref().map(|t| t.handle());

		if params.role.is_authority() {
			let proposer_factory = sc_basic_authorship::ProposerFactory::new(
				params.task_manager.spawn_handle(),
				parts.client.clone(),
				parts.transaction_pool.clone(),
				params.prometheus_registry.as_ref(),
				telemetry(),
			);
			let slot_duration = sc_consensus_aura::slot_duration(&*parts.client)?;
			let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
				StartAuraParams {
					slot_duration,
					client: parts.client.clone(),
					select_chain: parts.select_chain.clone(),
					block_import,
					proposer_factory,
					create_inherent_data_providers: move |_, ()| async move {
						Ok(slot_now(slot_duration))
					},
					force_authoring: params.force_authoring,
					backoff_authoring_blocks: Option::<()>::None,
					keystore: parts.keystore_container.keystore(),
					sync_oracle: params.sync_service.clone(),
					justification_sync_link: params.sync_service.clone(),
					block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
					max_block_proposal_slot_portion: None,
					telemetry: telemetry(),
					compatibility_mode: Default::default(),
				},
			)?;
			// Authoring is essential: if it fails, the node stops rather than idling silently.
			params.task_manager.spawn_essential_handle().spawn_blocking(
				"aura",
				Some("block-authoring"),
				aura,
			);
		}

		if params.enable_grandpa {
			let (protocol_name, notification_service) = protocol.ok_or_else(|| {
				ServiceError::Other("GRANDPA's network protocol was not configured".into())
			})?;
			// Only authorities vote; a full node follows finality through justifications.
			let keystore =
				params.role.is_authority().then(|| parts.keystore_container.keystore());
			let voter = sc_consensus_grandpa::run_grandpa_voter(sc_consensus_grandpa::GrandpaParams {
				config: sc_consensus_grandpa::Config {
					gossip_duration: GRANDPA_GOSSIP_DURATION,
					justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
					name: Some(params.node_name),
					observer_enabled: false,
					keystore,
					local_role: params.role,
					telemetry: telemetry(),
					protocol_name,
				},
				link: grandpa,
				network: params.network,
				sync: params.sync_service,
				notification_service,
				voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
				prometheus_registry: params.prometheus_registry,
				shared_voter_state: SharedVoterState::empty(),
				telemetry: telemetry(),
				offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(
					parts.transaction_pool.clone(),
				),
			})?;
			params.task_manager.spawn_essential_handle().spawn_blocking(
				"grandpa-voter",
				None,
				voter,
			);
		}
		Ok(())
	}

	fn revert_aux(
		&self,
		client: Arc<FullClient>,
		blocks: sp_runtime::traits::NumberFor<Block>,
	) -> sp_blockchain::Result<()> {
		sc_consensus_grandpa::revert(client, blocks)
	}
}
