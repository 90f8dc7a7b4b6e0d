//! The history in PostgreSQL (`schema.sql`): blocks and their events, kept consistent with the
//! chain as it moves. Every change is one transaction, so a crash leaves either a whole block or
//! none of it, and the indexer resumes after the last finalized block it stored.

use serde_json::Value as Json;
use tokio_postgres::{Client, NoTls};

/// The schema, applied at every connection.
pub const SCHEMA: &str = include_str!("schema.sql");

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// PostgreSQL refused or could not be reached.
	#[error("PostgreSQL: {0}")]
	Postgres(#[from] tokio_postgres::Error),
}

/// A block as the indexer stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedBlock {
	/// Its hash.
	pub hash: [u8; 32],
	/// Its number.
	pub number: u64,
	/// Its parent's hash.
	pub parent: [u8; 32],
	/// The chain's clock in it (`timestamp.set`), in ms since the Unix epoch.
	pub time_ms: Option<u64>,
	/// Its events, in order.
	pub events: Vec<IndexedEvent>,
}

/// An event as the indexer stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedEvent {
	/// Its place among the block's events.
	pub index: u32,
	/// The extrinsic that emitted it, if one did.
	pub extrinsic: Option<u32>,
	/// The pallet's name (`HealthRecords`).
	pub pallet: String,
	/// The event's name (`RecordAccessed`).
	pub name: String,
	/// Its fields (see `decode`).
	pub fields: Json,
}

/// What the store knows of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredBlock {
	/// Whether it is on the chain: finalized, or on the best fork.
	pub canonical: bool,
	/// Its parent's hash.
	pub parent: [u8; 32],
}

/// The connection to the history's database.
pub struct Store {
	client: Client,
}

fn timestamp_sql(ms: Option<u64>) -> Option<f64> {
	// to_timestamp takes seconds; milliseconds survive in the fraction.
	ms.map(|ms| ms as f64 / 1000.0)
}

impl Store {
	/// Connects to `url` (`postgres://user@host/db`) and applies the schema.
	pub async fn connect(url: &str) -> Result<Self, StoreError> {
		let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
		tokio::spawn(async move {
			if let Err(error) = connection.await {
				log::error!(target: "healthchain-indexer", "PostgreSQL connection lost: {error}");
			}
		});
		client.batch_execute(SCHEMA).await?;
		Ok(Self { client })
	}

	/// The client, for queries.
	pub fn client(&self) -> &Client {
		&self.client
	}

	/// The newest finalized block stored: its number and hash.
	pub async fn last_finalized(&self) -> Result<Option<(u64, [u8; 32])>, StoreError> {
		let row = self
			.client
			.query_opt("SELECT number, hash FROM blocks WHERE finalized ORDER BY number DESC LIMIT 1", &[])
			.await?;
		Ok(row.map(|row| (row.get::<_, i64>(0) as u64, hash_of(row.get(1)))))
	}

	/// Block `hash` if it is stored: whether it is on the chain, and its parent.
	pub async fn stored(&self, hash: &[u8; 32]) -> Result<Option<StoredBlock>, StoreError> {
		let row = self.client.query_opt("SELECT canonical, parent FROM blocks WHERE hash = $1", &[&&hash[..]]).await?;
		Ok(row.map(|row| StoredBlock { canonical: row.get(0), parent: hash_of(row.get(1)) }))
	}

	/// Stores `block` and its events (nothing if it is stored already), as finalized or not.
	pub async fn insert(&mut self, block: &IndexedBlock, finalized: bool) -> Result<(), StoreError> {
		let transaction = self.client.transaction().await?;
		let inserted = transaction
			.execute(
				"INSERT INTO blocks (hash, number, parent, time, canonical, finalized)
				 VALUES ($1, $2, $3, to_timestamp($4), $5, $5) ON CONFLICT (hash) DO NOTHING",
				&[&&block.hash[..], &(block.number as i64), &&block.parent[..], &timestamp_sql(block.time_ms), &finalized],
			)
			.await?;
		if inserted == 1 {
			let statement = transaction
				.prepare(
					"INSERT INTO events (block_hash, block_number, index, extrinsic, pallet, name, fields, time)
					 VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8))",
				)
				.await?;
			for event in &block.events {
				transaction
					.execute(
						&statement,
						&[
							&&block.hash[..],
							&(block.number as i64),
							&(event.index as i32),
							&event.extrinsic.map(|e| e as i32),
							&event.pallet,
							&event.name,
							&event.fields,
							&timestamp_sql(block.time_ms),
						],
					)
					.await?;
			}
		} else if finalized {
			transaction.execute("UPDATE blocks SET canonical = true, finalized = true WHERE hash = $1", &[&&block.hash[..]]).await?;
		}
		transaction.commit().await?;
		Ok(())
	}

	/// Marks stored block `hash` finalized (and so on the chain for good).
	pub async fn mark_finalized(&mut self, hash: &[u8; 32]) -> Result<bool, StoreError> {
		let updated = self
			.client
			.execute("UPDATE blocks SET canonical = true, finalized = true WHERE hash = $1", &[&&hash[..]])
			.await?;
		Ok(updated == 1)
	}

	/// The best fork is now `path` (hashes of stored blocks, any order) above height `fork`:
	/// every other unfinalized block above `fork` leaves the chain.
	pub async fn set_best(&mut self, path: &[[u8; 32]], fork: u64) -> Result<(), StoreError> {
		let hashes: Vec<&[u8]> = path.iter().map(|h| &h[..]).collect();
		let transaction = self.client.transaction().await?;
		transaction
			.execute(
				"UPDATE blocks SET canonical = false WHERE NOT finalized AND number > $1 AND NOT (hash = ANY($2))",
				&[&(fork as i64), &hashes],
			)
			.await?;
		transaction.execute("UPDATE blocks SET canonical = true WHERE hash = ANY($1)", &[&hashes]).await?;
		transaction.commit().await?;
		Ok(())
	}

	/// Everything up to height `number` is finalized: blocks there that are not finalized
	/// (those of forks the chain left) go, with their events.
	pub async fn prune_forks(&mut self, number: u64) -> Result<u64, StoreError> {
		Ok(self.client.execute("DELETE FROM blocks WHERE NOT finalized AND number <= $1", &[&(number as i64)]).await?)
	}
}

fn hash_of(bytes: &[u8]) -> [u8; 32] {
	let mut hash = [0; 32];
	hash.copy_from_slice(&bytes[..32]);
	hash
}
