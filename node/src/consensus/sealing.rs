//! What the development engines share: blocks sealed by this node alone, on command, and
//! finalized at once. [`super::instant_seal`] and [`super::manual_seal`] differ only in when
//! they give the command.
//!
//! "At once" is in two steps, as on an Aura chain: the block is imported as the new best
//! block, and only once the transaction pool has taken it in (and told each watched
//! transaction it is `InBlock`) is it finalized (`Finalized`). Sealed and finalized in one
//! step, the pool saw only the finalization, and an application that waits for `InBlock`, the
//! usual polkadot.js pattern, waited forever on a development chain.

use crate::service::NodeParts;
use futures::{channel::{mpsc, oneshot}, SinkExt, Stream, StreamExt};
use healthchain_runtime::opaque::{Block, Hash};
use sc_client_api::BlockBackend;
use sc_consensus::DefaultImportQueue;
use sc_consensus_manual_seal::{
	consensus::aura::AuraConsensusDataProvider, rpc::CreatedBlock, EngineCommand, Error as SealError,
	ManualSealParams,
};
use sc_transaction_pool_api::TransactionPool;
use sc_service::{error::Error as ServiceError, Configuration, SpawnEssentialTaskHandle};
use sp_consensus_aura::{sr25519::AuthoritySignature, Slot, SlotDuration};
use std::{
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::{SystemTime, UNIX_EPOCH},
};

/// Blocks sealed here need no verification beyond executing them.
pub fn import_queue(
	parts: &NodeParts,
	spawner: &SpawnEssentialTaskHandle,
	config: &Configuration,
) -> DefaultImportQueue<Block> {
	sc_consensus_manual_seal::import_queue(
		Box::new(parts.client.clone()),
		spawner,
		config.prometheus_registry(),
	)
}

/// The command that seals one block and finalizes it; `create_empty` says whether to seal a
/// block when the pool is empty.
pub fn seal_and_finalize(create_empty: bool) -> EngineCommand<Hash> {
	EngineCommand::SealNewBlock { create_empty, finalize: true, parent_hash: None, sender: None }
}

/// Starts sealing a block on every command of `commands`.
pub fn start(
	parts: &NodeParts,
	task_manager: &sc_service::TaskManager,
	prometheus_registry: Option<&substrate_prometheus_endpoint::Registry>,
	commands: impl Stream<Item = EngineCommand<Hash>> + Send + Unpin + 'static,
) -> Result<(), ServiceError> {
	let (to_engine, engine_commands) = mpsc::channel(16);
	task_manager.spawn_essential_handle().spawn(
		"dev-finality",
		Some("block-authoring"),
		best_then_final(commands, to_engine, parts.transaction_pool.clone(), parts.client.clone()),
	);
	let client = parts.client.clone();
	let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
	let best = client
		.header(client.chain_info().best_hash)?
		.ok_or_else(|| ServiceError::Other("the best block's header is missing".into()))?;
	let best_slot = sc_consensus_aura::find_pre_digest::<Block, AuthoritySignature>(&best)
		.map_err(|e| ServiceError::Other(format!("reading the best block's slot: {e}")))?;
	let clock = Arc::new(DevClock::after_slot(best_slot, slot_duration));

	let mut env = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		parts.transaction_pool.clone(),
		prometheus_registry,
		parts.telemetry.as_ref().map(|t| t.handle()),
	);
	// Manual seal records a storage proof of every block (parachains need it) and the proposer
	// counts that proof against its 4 MiB block size: custody moves of units spread over a
	// large trie stopped at 111 shipments of 100 a block (HitBlockSizeLimit) where the weight
	// allows 134. A solochain's block carries no proof; the runtime's `BlockLength` bounds
	// what it does carry, as it does under Aura.
	env.set_default_block_size_limit(SEALED_BLOCK_SIZE_LIMIT);
	let authorship = sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
		block_import: client.clone(),
		env,
		client: client.clone(),
		pool: parts.transaction_pool.clone(),
		commands_stream: engine_commands,
		select_chain: parts.select_chain.clone(),
		// The runtime runs Aura whatever the engine: every block carries an Aura slot.
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new(client))),
		create_inherent_data_providers: move |_, ()| {
			let clock = clock.clone();
			async move { Ok(sp_timestamp::InherentDataProvider::new(clock.next_timestamp().into())) }
		},
	});
	task_manager.spawn_essential_handle().spawn_blocking(
		"manual-seal",
		Some("block-authoring"),
		authorship,
	);
	Ok(())
}

/// The proposer's bound on a sealed block's size with its storage proof: room for a full block
/// (the runtime's `BlockLength`) and the proof of the largest a weight-full block touches.
const SEALED_BLOCK_SIZE_LIMIT: usize = 64 * 1024 * 1024;

/// How long finalization waits for the pool to take in a new best block before it goes ahead.
const POOL_CATCH_UP: std::time::Duration = std::time::Duration::from_secs(2);

/// How long finalization then waits for the pool's per-transaction listeners to pass each
/// watcher its `InBlock`: they run as tasks of their own, and one that sees the finalization
/// first ends its watch without the `InBlock` (seen on this machine with no wait at all, and
/// with 50 ms while a fuzzer kept one of its two cores busy). With the seal split in two this
/// way, the single-state pool (the node's default) sends `InBlock` then `Finalized` too; sealed
/// and finalized in one step, it sent no `InBlock` at all.
const WATCHERS_CATCH_UP: std::time::Duration = std::time::Duration::from_millis(250);

/// Passes `commands` on to the sealing task, turning each "seal and finalize" into "seal",
/// then, once the pool has taken the block in as the best block, "finalize"; the command's
/// sender hears of the seal after both.
async fn best_then_final(
	mut commands: impl Stream<Item = EngineCommand<Hash>> + Send + Unpin,
	mut engine: mpsc::Sender<EngineCommand<Hash>>,
	pool: Arc<crate::service::FullPool>,
	client: Arc<crate::service::FullClient>,
) {
	while let Some(command) = commands.next().await {
		let EngineCommand::SealNewBlock { create_empty, finalize: true, parent_hash, sender } = command else {
			if engine.send(command).await.is_err() {
				return;
			}
			continue;
		};
		let (sealed, outcome) = oneshot::channel();
		let seal = EngineCommand::SealNewBlock { create_empty, finalize: false, parent_hash, sender: Some(sealed) };
		if engine.send(seal).await.is_err() {
			return;
		}
		let outcome: Result<CreatedBlock<Hash>, SealError> = outcome.await.unwrap_or_else(|e| Err(e.into()));
		if let Ok(created) = &outcome {
			// The pool's view of the new block: `InBlock` has been sent by then...
			let _ = pool.ready_at_with_timeout(created.hash, POOL_CATCH_UP).await;
			// ... and, if the block holds transactions (more than its timestamp), passed on.
			let transactions = client.block_body(created.hash).ok().flatten().map_or(0, |body| body.len());
			if transactions > 1 {
				tokio::time::sleep(WATCHERS_CATCH_UP).await;
			}
			let (finalized, done) = oneshot::channel();
			let finalize = EngineCommand::FinalizeBlock { hash: created.hash, sender: Some(finalized), justification: None };
			if engine.send(finalize).await.is_err() {
				return;
			}
			if let Ok(Err(e)) = done.await {
				log::warn!(target: "dev-finality", "finalizing {}: {e}", created.hash);
			}
		}
		if let Some(sender) = sender {
			let _ = sender.send(outcome);
		}
	}
}

/// The timestamps of sealed blocks: the wall clock, except that each block is at least one
/// slot later than its parent, as Aura and the timestamp pallet require. When blocks come
/// faster than one per slot, the chain's clock runs ahead of the wall clock until they slow
/// down again.
pub struct DevClock {
	/// The latest timestamp handed out, in milliseconds since the Unix epoch.
	last: AtomicU64,
	slot_ms: u64,
}

impl DevClock {
	/// A clock whose next timestamp falls after the slot `slot`, the best block's.
	pub fn after_slot(slot: Slot, slot_duration: SlotDuration) -> Self {
		let slot_ms = slot_duration.as_millis();
		// The latest instant that the best block's timestamp can have been.
		let last = (u64::from(slot) + 1) * slot_ms - 1;
		Self { last: AtomicU64::new(last), slot_ms }
	}

	/// The timestamp of the next block.
	pub fn next_timestamp(&self) -> u64 {
		let now = SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map(|d| d.as_millis() as u64)
			.unwrap_or_default();
		let mut last = self.last.load(Ordering::SeqCst);
		loop {
			let next = now.max(last + self.slot_ms);
			match self.last.compare_exchange(last, next, Ordering::SeqCst, Ordering::SeqCst) {
				Ok(_) => return next,
				Err(actual) => last = actual,
			}
		}
	}
}
