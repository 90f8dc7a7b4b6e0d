//! Instant seal: a block as soon as a transaction enters the pool, finalized at once. The
//! development default: a transaction is final the moment it is submitted.

use super::{sealing, ConsensusEngine, StartParams};
use crate::service::NodeParts;
use futures::StreamExt;
use healthchain_runtime::opaque::Block;
use sc_consensus::DefaultImportQueue;
use sc_service::{error::Error as ServiceError, Configuration, SpawnEssentialTaskHandle};
use sc_transaction_pool_api::TransactionPool;

/// Instant seal.
#[derive(Clone, Copy, Debug)]
pub struct InstantSeal;

impl ConsensusEngine for InstantSeal {
	type Link = ();

	fn import_queue(
		&self,
		parts: &NodeParts,
		spawner: &SpawnEssentialTaskHandle,
		config: &Configuration,
	) -> Result<(DefaultImportQueue<Block>, ()), ServiceError> {
		Ok((sealing::import_queue(parts, spawner, config), ()))
	}

	fn start(self, _link: (), params: StartParams<'_>) -> Result<(), ServiceError> {
		let commands = params
			.parts
			.transaction_pool
			.import_notification_stream()
			.map(|_| sealing::seal_and_finalize(false));
		sealing::start(
			params.parts,
			params.task_manager,
			params.prometheus_registry.as_ref(),
			commands,
		)
	}
}
