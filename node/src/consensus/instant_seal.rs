//! Instant seal: a block as soon as a transaction enters the pool, finalized at once. The
//! development default: a transaction is final the moment it is submitted.
//!
//! A seal that finds no transaction although one has just arrived seals an empty block and then
//! tries again: the fork-aware pool can keep a transaction that arrived while it was building
//! the view of the newest block in its mempool only, outside that view, without a second
//! notification (polkadot-sdk issue 10104): it reaches a view, and so a block, only once another
//! block is imported. Without the empty block the transaction would wait for the next one to
//! arrive; a test once waited forever. (A session boundary no longer leaves a block without
//! room: the consortium network pallet rotates sessions at their benchmarked weight.)

use super::{sealing, ConsensusEngine, StartParams};
use crate::service::NodeParts;
use futures::{
	channel::{mpsc, oneshot},
	SinkExt, StreamExt,
};
use healthchain_runtime::opaque::{Block, Hash};
use sc_consensus::DefaultImportQueue;
use sc_consensus_manual_seal::{EngineCommand, Error as SealError};
use sc_service::{error::Error as ServiceError, Configuration, SpawnEssentialTaskHandle};
use sc_transaction_pool_api::TransactionPool;

/// Instant seal.
#[derive(Clone, Copy, Debug)]
pub struct InstantSeal;

/// Sends a command to seal a block and waits for its outcome.
async fn seal(
	commands: &mut mpsc::Sender<EngineCommand<Hash>>,
	create_empty: bool,
) -> Result<(), SealError> {
	let (sender, outcome) = oneshot::channel();
	let command = EngineCommand::SealNewBlock { create_empty, finalize: true, parent_hash: None, sender: Some(sender) };
	commands.send(command).await?;
	outcome.await?.map(|_| ())
}

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
		let (mut commands, command_stream) = mpsc::channel(16);
		let mut arrivals = params.parts.transaction_pool.import_notification_stream();
		params.task_manager.spawn_essential_handle().spawn("instant-seal-trigger", Some("block-authoring"), async move {
			while arrivals.next().await.is_some() {
				match seal(&mut commands, false).await {
					Err(SealError::EmptyTransactionPool) => {
						// The transaction may also have gone into the block sealed for an
						// earlier arrival; then the retry finds nothing and seals nothing. At
						// most once per arrival, so that a transaction that can never be included
						// does not seal empty blocks forever.
						if seal(&mut commands, true).await.is_ok() {
							let _ = seal(&mut commands, false).await;
						}
					},
					// The node is shutting down.
					Err(SealError::SendError(_) | SealError::Canceled(_)) => return,
					_ => {},
				}
			}
		});
		sealing::start(params.parts, params.task_manager, params.prometheus_registry.as_ref(), command_stream)
	}
}
