//! Where the vault keeps ciphertext and wrapped keys: any [`object_store`], the local
//! filesystem by default (`file:///var/lib/healthchain-vault/objects`) or an S3-compatible
//! store by URL (`s3://bucket`, with its endpoint and credentials as options).
//!
//! Objects are content-addressed: `ciphertext/<hash>` and `keys/<hash>/<holder>`, where the
//! hash is the record's content hash on chain. Erasure deletes everything under the hash and
//! then lists the store to prove that nothing is left.

use std::sync::Arc;

use futures::TryStreamExt;
use object_store::{path::Path, ObjectStore, PutPayload};
use url::Url;

/// The holder of a wrapped key: the custodian organisation, or the patient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
	/// The organisation whose vault this is: the key the vault re-wraps to permitted readers.
	Custodian,
	/// The patient, who can always open the record with its own key.
	Patient,
}

impl Holder {
	fn name(self) -> &'static str {
		match self {
			Holder::Custodian => "custodian",
			Holder::Patient => "patient",
		}
	}
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The URL or its options do not describe a store.
	#[error("the store {url} cannot be used: {reason}")]
	Config {
		/// The URL given.
		url: String,
		/// Why not.
		reason: String,
	},
	/// The store did not answer as it should.
	#[error("the object store failed: {0}")]
	Failed(String),
}

/// The vault's object store.
#[derive(Clone)]
pub struct Store {
	inner: Arc<dyn ObjectStore>,
	prefix: Path,
	url: String,
}

fn hash_hex(hash: &[u8; 32]) -> String {
	hex::encode(hash)
}

impl Store {
	/// Opens the store at `url` with `options` (for S3: `aws_endpoint`, `aws_access_key_id`,
	/// `aws_secret_access_key`, `aws_region`, `aws_allow_http`, ...). A `file://` directory is
	/// created if missing.
	pub fn open(url: &str, options: &[(String, String)]) -> Result<Self, StoreError> {
		let config = |reason: String| StoreError::Config { url: url.into(), reason };
		let parsed = Url::parse(url).map_err(|e| config(e.to_string()))?;
		let (inner, prefix): (Arc<dyn ObjectStore>, Path) = if parsed.scheme() == "file" {
			let dir = parsed.to_file_path().map_err(|()| config("not a local path".into()))?;
			std::fs::create_dir_all(&dir).map_err(|e| config(e.to_string()))?;
			let local = object_store::local::LocalFileSystem::new_with_prefix(&dir)
				.map_err(|e| config(e.to_string()))?
				.with_automatic_cleanup(true);
			(Arc::new(local), Path::default())
		} else {
			let (store, prefix) = object_store::parse_url_opts(&parsed, options.iter().cloned())
				.map_err(|e| config(e.to_string()))?;
			(Arc::from(store), prefix)
		};
		Ok(Self { inner, prefix, url: url.into() })
	}

	/// The store's URL, as configured.
	pub fn url(&self) -> &str {
		&self.url
	}

	fn path(&self, relative: &str) -> Path {
		let mut path = self.prefix.clone();
		for part in relative.split('/') {
			path = path.child(part);
		}
		path
	}

	fn ciphertext_path(&self, hash: &[u8; 32]) -> Path {
		self.path(&format!("ciphertext/{}", hash_hex(hash)))
	}

	fn key_path(&self, hash: &[u8; 32], holder: Holder) -> Path {
		self.path(&format!("keys/{}/{}", hash_hex(hash), holder.name()))
	}

	/// Stores a record's ciphertext and its wrapped keys. Each object is written whole or not
	/// at all (a rename on the filesystem, a single PUT on S3).
	pub async fn put(
		&self,
		hash: &[u8; 32],
		ciphertext: Vec<u8>,
		keys: [(Holder, Vec<u8>); 2],
	) -> Result<(), StoreError> {
		for (holder, key) in keys {
			self.put_object(self.key_path(hash, holder), key).await?;
		}
		// The ciphertext last: a reader never finds ciphertext without its keys.
		self.put_object(self.ciphertext_path(hash), ciphertext).await
	}

	async fn put_object(&self, path: Path, bytes: Vec<u8>) -> Result<(), StoreError> {
		self.inner
			.put(&path, PutPayload::from(bytes))
			.await
			.map(|_| ())
			.map_err(|e| StoreError::Failed(e.to_string()))
	}

	/// The ciphertext with `hash` and the key wrapped for `holder`, if both are held.
	pub async fn get(&self, hash: &[u8; 32], holder: Holder) -> Result<Option<(Vec<u8>, Vec<u8>)>, StoreError> {
		let Some(ciphertext) = self.get_object(&self.ciphertext_path(hash)).await? else { return Ok(None) };
		let Some(key) = self.get_object(&self.key_path(hash, holder)).await? else { return Ok(None) };
		Ok(Some((ciphertext, key)))
	}

	async fn get_object(&self, path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
		match self.inner.get(path).await {
			Ok(found) => Ok(Some(found.bytes().await.map_err(|e| StoreError::Failed(e.to_string()))?.to_vec())),
			Err(object_store::Error::NotFound { .. }) => Ok(None),
			Err(e) => Err(StoreError::Failed(e.to_string())),
		}
	}

	/// Every object held under `hash`: its ciphertext and its keys.
	pub async fn objects_of(&self, hash: &[u8; 32]) -> Result<Vec<String>, StoreError> {
		let mut found = Vec::new();
		for prefix in [self.ciphertext_path(hash), self.path(&format!("keys/{}", hash_hex(hash)))] {
			let listed: Vec<_> =
				self.inner.list(Some(&prefix)).try_collect().await.map_err(|e| StoreError::Failed(e.to_string()))?;
			found.extend(listed.into_iter().map(|meta| meta.location.to_string()));
			// `list` takes a directory prefix; the ciphertext is a single object.
			if prefix == self.ciphertext_path(hash) && self.inner.head(&prefix).await.is_ok() {
				found.push(prefix.to_string());
			}
		}
		found.sort();
		found.dedup();
		Ok(found)
	}

	/// Deletes the ciphertext and every key under `hash`, then lists the store to prove it:
	/// an error if anything is left.
	pub async fn shred(&self, hash: &[u8; 32]) -> Result<(), StoreError> {
		for object in self.objects_of(hash).await? {
			match self.inner.delete(&Path::from(object.as_str())).await {
				Ok(()) | Err(object_store::Error::NotFound { .. }) => {},
				Err(e) => return Err(StoreError::Failed(e.to_string())),
			}
		}
		let left = self.objects_of(hash).await?;
		if left.is_empty() {
			Ok(())
		} else {
			Err(StoreError::Failed(format!("still held after deletion: {}", left.join(", "))))
		}
	}

	/// Every object in the store (for audits and tests).
	pub async fn list_all(&self) -> Result<Vec<String>, StoreError> {
		let listed: Vec<_> = self
			.inner
			.list(Some(&self.prefix))
			.try_collect()
			.await
			.map_err(|e| StoreError::Failed(e.to_string()))?;
		let mut all: Vec<_> = listed.into_iter().map(|meta| meta.location.to_string()).collect();
		all.sort();
		Ok(all)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn holds_a_record_and_shreds_every_object_of_it() {
		let dir = tempfile::tempdir().unwrap();
		let url = Url::from_directory_path(dir.path()).unwrap().to_string();
		let store = Store::open(&url, &[]).unwrap();
		let (kept, shredded) = ([1u8; 32], [2u8; 32]);
		for hash in [kept, shredded] {
			store
				.put(&hash, b"ciphertext".to_vec(), [(Holder::Custodian, b"ck".to_vec()), (Holder::Patient, b"pk".to_vec())])
				.await
				.unwrap();
		}
		assert_eq!(store.get(&shredded, Holder::Custodian).await.unwrap(), Some((b"ciphertext".to_vec(), b"ck".to_vec())));
		assert_eq!(store.objects_of(&shredded).await.unwrap().len(), 3);
		store.shred(&shredded).await.unwrap();
		assert_eq!(store.get(&shredded, Holder::Patient).await.unwrap(), None);
		assert!(store.objects_of(&shredded).await.unwrap().is_empty());
		// The other record is untouched, and nothing but its three objects is left.
		assert_eq!(store.list_all().await.unwrap().len(), 3);
		assert_eq!(store.get(&kept, Holder::Patient).await.unwrap(), Some((b"ciphertext".to_vec(), b"pk".to_vec())));
	}

	#[test]
	fn refuses_a_url_that_is_not_a_store() {
		assert!(matches!(Store::open("ftp://example.org/x", &[]), Err(StoreError::Config { .. })));
		assert!(matches!(Store::open("not a url", &[]), Err(StoreError::Config { .. })));
	}
}
