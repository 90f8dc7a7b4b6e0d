//! The vault's own metadata, in an embedded crash-safe database (redb): which uploads are
//! still waiting for their record on chain, which record each held ciphertext belongs to, and
//! the journal of releases not yet on the chain's access log.
//!
//! The journal is what makes logging unconditional: a release is written here, durably,
//! before the reader receives a byte, and leaves only once a finalized block carries it.

use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};

/// Uploads by content hash: waiting for their record, or anchored.
const UPLOADS: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("uploads");
/// Releases not yet logged on chain, by sequence number: the SCALE encoding of the release.
const JOURNAL: TableDefinition<u64, &[u8]> = TableDefinition::new("journal");
/// Pending uploads by content hash, with their deadline: what the janitor scans.
const PENDING: TableDefinition<&[u8; 32], u64> = TableDefinition::new("pending");
/// Counters and positions.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Research releases once logged, kept: the records and the salt behind each digest on chain,
/// for an auditor to check. By journal sequence.
const DISCLOSURES: TableDefinition<u64, &[u8]> = TableDefinition::new("disclosures");

/// A ciphertext the vault holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
	/// The patient, as the writer named it (and the chain's write permit accepted).
	pub patient: [u8; 32],
	/// Who uploaded it.
	pub writer: [u8; 32],
	/// Where it stands.
	pub state: UploadState,
}

/// Where an upload stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadState {
	/// Received, not yet named by a finalized record; dropped once the chain's clock passes
	/// `deadline` (milliseconds) without it.
	Pending {
		/// Chain time after which it is dropped.
		deadline: u64,
	},
	/// The ciphertext of this finalized record.
	Anchored {
		/// The record.
		record: u64,
	},
}

/// Why the ledger failed: the database is unusable, which stops the vault.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the vault's ledger failed: {0}")]
pub struct LedgerError(String);

pub(crate) fn failed(e: impl std::fmt::Display) -> LedgerError {
	LedgerError(e.to_string())
}

/// The vault's metadata database (a handle: clones share it).
#[derive(Clone)]
pub struct Ledger {
	db: std::sync::Arc<Database>,
}

impl Ledger {
	/// Opens (or creates) the database at `path`.
	pub fn open(path: &Path) -> Result<Self, LedgerError> {
		let db = Database::create(path).map_err(failed)?;
		let txn = db.begin_write().map_err(failed)?;
		txn.open_table(UPLOADS).map_err(failed)?;
		txn.open_table(JOURNAL).map_err(failed)?;
		txn.open_table(PENDING).map_err(failed)?;
		txn.open_table(META).map_err(failed)?;
		txn.open_table(DISCLOSURES).map_err(failed)?;
		txn.commit().map_err(failed)?;
		Ok(Self { db: std::sync::Arc::new(db) })
	}

	/// The upload with `hash`, if the vault holds one.
	pub fn upload(&self, hash: &[u8; 32]) -> Result<Option<Upload>, LedgerError> {
		let txn = self.db.begin_read().map_err(failed)?;
		let table = txn.open_table(UPLOADS).map_err(failed)?;
		let value = table.get(hash).map_err(failed)?;
		value.map(|v| serde_json::from_slice(v.value()).map_err(failed)).transpose()
	}

	/// Records `upload` under `hash`, replacing what was there.
	pub fn put_upload(&self, hash: &[u8; 32], upload: &Upload) -> Result<(), LedgerError> {
		let bytes = serde_json::to_vec(upload).map_err(failed)?;
		let txn = self.db.begin_write().map_err(failed)?;
		txn.open_table(UPLOADS).map_err(failed)?.insert(hash, bytes.as_slice()).map_err(failed)?;
		{
			let mut pending = txn.open_table(PENDING).map_err(failed)?;
			match upload.state {
				UploadState::Pending { deadline } => pending.insert(hash, deadline).map_err(failed)?,
				UploadState::Anchored { .. } => pending.remove(hash).map_err(failed)?,
			};
		}
		txn.commit().map_err(failed)
	}

	/// The pending uploads whose deadline is before `now`.
	pub fn expired(&self, now: u64) -> Result<Vec<[u8; 32]>, LedgerError> {
		let txn = self.db.begin_read().map_err(failed)?;
		let table = txn.open_table(PENDING).map_err(failed)?;
		let mut expired = Vec::new();
		for entry in table.iter().map_err(failed)? {
			let (hash, deadline) = entry.map_err(failed)?;
			if deadline.value() < now {
				expired.push(*hash.value());
			}
		}
		Ok(expired)
	}

	/// Forgets the upload with `hash`.
	pub fn remove_upload(&self, hash: &[u8; 32]) -> Result<(), LedgerError> {
		let txn = self.db.begin_write().map_err(failed)?;
		txn.open_table(UPLOADS).map_err(failed)?.remove(hash).map_err(failed)?;
		txn.open_table(PENDING).map_err(failed)?.remove(hash).map_err(failed)?;
		txn.commit().map_err(failed)
	}

	/// Every upload, by hash.
	pub fn uploads(&self) -> Result<Vec<([u8; 32], Upload)>, LedgerError> {
		let txn = self.db.begin_read().map_err(failed)?;
		let table = txn.open_table(UPLOADS).map_err(failed)?;
		let mut all = Vec::new();
		for entry in table.iter().map_err(failed)? {
			let (hash, value) = entry.map_err(failed)?;
			all.push((*hash.value(), serde_json::from_slice(value.value()).map_err(failed)?));
		}
		Ok(all)
	}

	/// Journals releases in one durable commit (one disk sync for a whole group of readers),
	/// and returns their sequence numbers.
	pub fn journal(&self, releases: &[Vec<u8>]) -> Result<std::ops::Range<u64>, LedgerError> {
		let txn = self.db.begin_write().map_err(failed)?;
		let first = {
			let mut meta = txn.open_table(META).map_err(failed)?;
			let first = meta.get("next_release").map_err(failed)?.map(|v| v.value()).unwrap_or(0);
			meta.insert("next_release", first + releases.len() as u64).map_err(failed)?;
			first
		};
		{
			let mut journal = txn.open_table(JOURNAL).map_err(failed)?;
			for (seq, release) in (first..).zip(releases) {
				journal.insert(seq, release.as_slice()).map_err(failed)?;
			}
		}
		txn.commit().map_err(failed)?;
		Ok(first..first + releases.len() as u64)
	}

	/// Up to `limit` journalled releases, oldest first.
	pub fn unlogged(&self, limit: usize) -> Result<Vec<(u64, Vec<u8>)>, LedgerError> {
		let txn = self.db.begin_read().map_err(failed)?;
		let table = txn.open_table(JOURNAL).map_err(failed)?;
		let mut batch = Vec::new();
		for entry in table.iter().map_err(failed)?.take(limit) {
			let (seq, value) = entry.map_err(failed)?;
			batch.push((seq.value(), value.value().to_vec()));
		}
		Ok(batch)
	}

	/// How many releases wait to be logged.
	pub fn unlogged_count(&self) -> Result<u64, LedgerError> {
		let txn = self.db.begin_read().map_err(failed)?;
		txn.open_table(JOURNAL).map_err(failed)?.len().map_err(failed)
	}

	/// Keeps research releases (by journal sequence) once logged: what each digest on chain
	/// stands for.
	pub fn disclose(&self, entries: &[(u64, Vec<u8>)]) -> Result<(), LedgerError> {
		let txn = self.db.begin_write().map_err(failed)?;
		{
			let mut table = txn.open_table(DISCLOSURES).map_err(failed)?;
			for (seq, entry) in entries {
				table.insert(seq, entry.as_slice()).map_err(failed)?;
			}
		}
		txn.commit().map_err(failed)
	}

	/// Every research release kept, by journal sequence.
	pub fn disclosures(&self) -> Result<Vec<(u64, Vec<u8>)>, LedgerError> {
		let txn = self.db.begin_read().map_err(failed)?;
		let table = txn.open_table(DISCLOSURES).map_err(failed)?;
		let mut kept = Vec::new();
		for entry in table.iter().map_err(failed)? {
			let (seq, value) = entry.map_err(failed)?;
			kept.push((seq.value(), value.value().to_vec()));
		}
		Ok(kept)
	}

	/// Removes releases from the journal once the chain's log carries them.
	pub fn logged(&self, seqs: &[u64]) -> Result<(), LedgerError> {
		let txn = self.db.begin_write().map_err(failed)?;
		{
			let mut table = txn.open_table(JOURNAL).map_err(failed)?;
			for seq in seqs {
				table.remove(seq).map_err(failed)?;
			}
		}
		txn.commit().map_err(failed)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn uploads_and_the_journal_survive_a_reopen() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("ledger.redb");
		let upload = Upload { patient: [1; 32], writer: [2; 32], state: UploadState::Pending { deadline: 9 } };
		{
			let ledger = Ledger::open(&path).unwrap();
			ledger.put_upload(&[7; 32], &upload).unwrap();
			assert_eq!(ledger.journal(&[b"first".to_vec()]).unwrap(), 0..1);
			assert_eq!(ledger.journal(&[b"second".to_vec()]).unwrap(), 1..2);
			ledger.logged(&[0]).unwrap();
		}
		let ledger = Ledger::open(&path).unwrap();
		assert_eq!(ledger.upload(&[7; 32]).unwrap(), Some(upload.clone()));
		assert_eq!(ledger.upload(&[8; 32]).unwrap(), None);
		// Pending until its deadline, then expired; anchored, never.
		assert!(ledger.expired(9).unwrap().is_empty());
		assert_eq!(ledger.expired(10).unwrap(), vec![[7; 32]]);
		ledger.put_upload(&[7; 32], &Upload { state: UploadState::Anchored { record: 3 }, ..upload.clone() }).unwrap();
		assert!(ledger.expired(10).unwrap().is_empty());
		assert_eq!(ledger.unlogged(10).unwrap(), vec![(1, b"second".to_vec())]);
		assert_eq!(ledger.unlogged_count().unwrap(), 1);
		// Sequence numbers are never reused, so a logged release cannot be confused with a new one.
		assert_eq!(ledger.journal(&[b"third".to_vec(), b"fourth".to_vec()]).unwrap(), 2..4);
		assert_eq!(ledger.unlogged(10).unwrap().len(), 3);
		ledger.remove_upload(&[7; 32]).unwrap();
		assert!(ledger.uploads().unwrap().is_empty());
	}
}
