//! Following the chain: finalized blocks in order, and the best fork above them as it changes.
//!
//! At start the indexer stores every finalized block after the last one it has, by number
//! (an earlier crash loses nothing, and nothing is stored twice). Then, as the node reports:
//! - a new **best** block: it and its unstored ancestors are stored, and they become the best
//!   fork; blocks of a fork the node left stop counting (`canonical = false`);
//! - a new **finalized** block: every block up to it is marked finalized (stored ones by hash,
//!   missing ones fetched), and the forks below it are deleted.
//!
//! Events are read from the state of their block, so the node must still have it: a node
//! prunes state 256 blocks back by default, which is enough while the indexer runs; to index
//! an older past, follow an archive node (`scripts/consortium-rpc-node --archive`).

use crate::{
	decode::{event_fields, DecodeError},
	store::{IndexedBlock, IndexedEvent, Store, StoreError, StoredBlock},
};
use healthchain_client::chain::{runtime, Chain, HealthChainConfig, H256};
use subxt::{
	client::{BlockNumberOrRef, OnlineClientAtBlock},
	events::Phase,
	OnlineClient,
};

const LOG_TARGET: &str = "healthchain-indexer";

/// Why indexing stopped.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
	/// The database failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// An event's fields could not be read.
	#[error(transparent)]
	Decode(#[from] DecodeError),
	/// The node no longer has the state of a block the indexer needs.
	#[error("the node has pruned the state of block {block}: follow an archive node (scripts/consortium-rpc-node --archive) to index it")]
	Pruned {
		/// The block: `#number` or its hash.
		block: String,
	},
	/// The node failed or went away.
	#[error("the node: {0}")]
	Node(String),
}

fn node(error: impl std::fmt::Display) -> IndexerError {
	IndexerError::Node(error.to_string())
}

/// The node's error about `block`, or [`IndexerError::Pruned`] when its state is gone.
fn state_error(block: &str, error: impl std::fmt::Display) -> IndexerError {
	let text = error.to_string();
	if text.contains("State already discarded") || text.contains("pruned") {
		IndexerError::Pruned { block: block.to_string() }
	} else {
		IndexerError::Node(text)
	}
}

/// Resolves block `at` (a number or a hash) on the node.
async fn resolve(
	api: &OnlineClient<HealthChainConfig>,
	at: impl Into<BlockNumberOrRef<HealthChainConfig>>,
) -> Result<OnlineClientAtBlock<HealthChainConfig>, IndexerError> {
	let at = at.into();
	let named = match &at {
		BlockNumberOrRef::Number(number) => format!("#{number}"),
		BlockNumberOrRef::BlockRef(block) => format!("{:?}", block.hash()),
	};
	api.at_block(at).await.map_err(|e| state_error(&named, e))
}

/// Reads block `at` (a number or a hash) with its events and clock.
pub async fn fetch_block(
	api: &OnlineClient<HealthChainConfig>,
	at: impl Into<BlockNumberOrRef<HealthChainConfig>>,
) -> Result<IndexedBlock, IndexerError> {
	read_block(&resolve(api, at).await?).await
}

/// Reads the resolved block `at` with its events and clock.
async fn read_block(at: &OnlineClientAtBlock<HealthChainConfig>) -> Result<IndexedBlock, IndexerError> {
	let number = at.block_number();
	let header = at.block_header().await.map_err(node)?;
	let pruned = |e: &dyn std::fmt::Display| state_error(&format!("#{number}"), e);
	let events = at.events().fetch().await.map_err(|e| pruned(&e))?;
	let metadata = at.metadata();
	let mut indexed = Vec::new();
	for event in events.iter() {
		let event = event.map_err(node)?;
		let fields = event_fields(&metadata, event.pallet_name(), event.event_index(), event.field_bytes())?;
		indexed.push(IndexedEvent {
			index: event.index(),
			extrinsic: match event.phase() {
				Phase::ApplyExtrinsic(index) => Some(index),
				_ => None,
			},
			pallet: event.pallet_name().to_string(),
			name: event.event_name().to_string(),
			fields,
		});
	}
	// Genesis has no clock; every later block sets it, so failing to read it is the node's
	// failure, not a block without time.
	let time_ms = if number == 0 {
		None
	} else {
		let entry = at.storage().entry(runtime::storage().timestamp().now()).map_err(node)?;
		let value = entry.fetch(()).await.map_err(|e| pruned(&e))?;
		Some(value.decode().map_err(node)?)
	};
	Ok(IndexedBlock { hash: at.block_hash().0, number, parent: header.parent_hash.0, time_ms, events: indexed })
}

/// Stores every finalized block from the one after the last stored up to `target`.
async fn finalize_up_to(api: &OnlineClient<HealthChainConfig>, store: &mut Store, target: u64) -> Result<(), IndexerError> {
	let from = store.last_finalized().await?.map_or(0, |(number, _)| number + 1);
	for number in from..=target {
		// A block stored from the best fork is marked, not read again.
		let at = resolve(api, number).await?;
		if !store.mark_finalized(&at.block_hash().0).await? {
			store.insert(&read_block(&at).await?, true).await?;
		}
		if number % 1000 == 0 && number > from {
			log::info!(target: LOG_TARGET, "indexed finalized blocks up to #{number} of #{target}");
		}
	}
	if from <= target {
		store.prune_forks(target).await?;
		log::debug!(target: LOG_TARGET, "finalized up to #{target}");
	}
	Ok(())
}

/// Makes best block `hash` (number `number`) the head of the stored best fork, above the
/// stored finalized height `finalized`.
async fn follow_best(
	api: &OnlineClient<HealthChainConfig>,
	store: &mut Store,
	finalized: u64,
	hash: H256,
	number: u64,
) -> Result<(), IndexerError> {
	if number <= finalized {
		return Ok(());
	}
	let mut path = Vec::new();
	let (mut cursor, mut height) = (hash.0, number);
	// Down to a stored block of the best fork, or to the finalized height.
	while height > finalized {
		let parent = match store.stored(&cursor).await? {
			Some(StoredBlock { canonical: true, .. }) => break,
			// A fork the node comes back to: stored already.
			Some(StoredBlock { canonical: false, parent }) => parent,
			None => {
				let block = fetch_block(api, H256::from(cursor)).await?;
				store.insert(&block, false).await?;
				block.parent
			},
		};
		path.push(cursor);
		cursor = parent;
		height -= 1;
	}
	// Blocks above `height` not on the path leave the chain, those of a longer fork too.
	store.set_best(&path, height).await?;
	Ok(())
}

/// Follows the node at `chain` into `store` until the node goes away or a step fails.
pub async fn run(chain: &Chain, store: &mut Store) -> Result<(), IndexerError> {
	let api = chain.api();
	let mut finalized = api.stream_blocks().await.map_err(node)?;
	let mut best = api.stream_best_blocks().await.map_err(node)?;
	let current = api.at_current_block().await.map_err(node)?.block_number();
	finalize_up_to(api, store, current).await?;
	log::info!(target: LOG_TARGET, "caught up with finalized block #{current}; following the chain");
	// The stored finalized height, kept here rather than asked of the database at each block.
	let mut finalized_height = current;
	loop {
		tokio::select! {
			block = finalized.next() => match block {
				Some(block) => {
					let number = block.map_err(node)?.number();
					finalize_up_to(api, store, number).await?;
					finalized_height = finalized_height.max(number);
				},
				None => return Err(IndexerError::Node("the finalized blocks stream ended".into())),
			},
			block = best.next() => match block {
				Some(block) => {
					let block = block.map_err(node)?;
					follow_best(api, store, finalized_height, block.hash(), block.number()).await?;
				},
				None => return Err(IndexerError::Node("the best blocks stream ended".into())),
			},
		}
	}
}
