//! What the vault does: take uploads the chain permits, release records the chain permits
//! (journalled, then logged on chain in batches), and shred what the chain erases.

use std::sync::{
	atomic::{AtomicU64, Ordering},
	Arc, Mutex, RwLock,
};

use codec::{Decode, Encode};
use healthchain_client::{
	blake2_256,
	chain::{runtime, AccountId, AtBlock, Authority, Chain, ChainError, Refusal, Release},
	envelope,
	keys::{EncryptionSecret, Keys},
};
use serde::{Deserialize, Serialize};
use tokio::sync::{oneshot, Notify};

use crate::{
	ledger::{Ledger, LedgerError, Upload, UploadState},
	store::{Holder, Store, StoreError},
};

/// The most releases one `log_releases` carries (the runtime's `MaxReleasesPerLog`).
pub const RELEASES_PER_LOG: usize = 64;

/// The tag before a research release in the journal (a record release is a bare SCALE
/// `Release`, as journals written before research releases hold them).
const RESEARCH_TAG: &[u8] = b"hc-research/v1:";

/// A research release as the journal holds it: the record stays here, only its digest under
/// `salt` goes on chain.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct ResearchRelease {
	/// The participant whose research access it was made under.
	pub participant: [u8; 32],
	/// The researcher.
	pub researcher: [u8; 32],
	/// The study.
	pub study: u32,
	/// The record released.
	pub record: u64,
	/// The salt of the digest on chain.
	pub salt: [u8; 32],
}

impl ResearchRelease {
	/// The journal's bytes for it.
	pub fn journalled(&self) -> Vec<u8> {
		[RESEARCH_TAG, &self.encode()].concat()
	}

	/// The research release in a journal entry, if it is one.
	pub fn from_journal(bytes: &[u8]) -> Option<Self> {
		Self::decode(&mut bytes.strip_prefix(RESEARCH_TAG)?).ok()
	}

	/// As `log_releases` of the research-consent pallet carries it.
	fn on_chain(&self) -> runtime::runtime_types::pallet_research_consent::types::Release<AccountId> {
		runtime::runtime_types::pallet_research_consent::types::Release {
			participant: AccountId::from(self.participant),
			researcher: AccountId::from(self.researcher),
			study: self.study,
			records: 1,
			digest: healthchain_client::chain::H256::from(healthchain_client::research::release_digest(&[self.record], &self.salt)),
		}
	}
}

/// A release waiting for the journal's next commit, and whom to tell when it is durable.
type QueuedRelease = (Vec<u8>, oneshot::Sender<Result<(), LedgerError>>);

/// A refusal or failure as the HTTP API reports it: a status, the error's name and a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
	/// The HTTP status.
	#[serde(skip)]
	pub status: u16,
	/// The error's name (a pallet error's, or the vault's own).
	pub error: String,
	/// What it means.
	pub reason: String,
}

impl Refused {
	/// A refusal with `status`.
	pub fn new(status: u16, error: &str, reason: impl Into<String>) -> Self {
		Self { status, error: error.into(), reason: reason.into() }
	}

	fn chain(refusal: Refusal) -> Self {
		// An unknown record is not found, an erased one is gone; every other refusal is the
		// chain saying no to this caller.
		let status = match refusal.error.as_str() {
			"UnknownRecord" => 404,
			"RecordErased" => 410,
			_ => 403,
		};
		Self { status, error: refusal.error, reason: refusal.reason }
	}
}

impl From<ChainError> for Refused {
	fn from(e: ChainError) -> Self {
		Refused::new(503, "ChainUnavailable", e.to_string())
	}
}

impl From<LedgerError> for Refused {
	fn from(e: LedgerError) -> Self {
		Refused::new(500, "LedgerFailed", e.to_string())
	}
}

impl From<StoreError> for Refused {
	fn from(e: StoreError) -> Self {
		Refused::new(503, "StoreUnavailable", e.to_string())
	}
}

/// An upload: a sealed record and its data key wrapped to the custodian and to the patient.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UploadRequest {
	/// The patient (SS58).
	pub patient: String,
	/// The record's FHIR resource type, as the chain names it (`Observation`, ...).
	pub record_type: String,
	/// The writer's authority, SCALE-encoded, hex (as `add_record` will carry it).
	pub authority: String,
	/// The sealed record, base64.
	pub ciphertext: String,
	/// The data key wrapped to the custodian organisation's key, base64.
	pub custodian_key: String,
	/// The data key wrapped to the patient's key, base64.
	pub patient_key: String,
}

/// What a reader receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Released {
	/// The record.
	pub record: u64,
	/// Its content hash, hex.
	pub content_hash: String,
	/// The sealed record, base64.
	pub ciphertext: String,
	/// The data key wrapped to the reader's key on chain, base64.
	pub wrapped_key: String,
	/// Whether the release goes on the patient's access log (a patient's own reads do not).
	pub logged: bool,
}

/// What an accepted upload answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
	/// The content hash, hex: what `add_record` names.
	pub content_hash: String,
	/// The custodian organisation to name in `add_record`.
	pub custodian: u32,
	/// Chain time (ms) until which the upload waits for its record.
	pub pending_until: u64,
}

/// The vault.
pub struct Vault {
	/// The node.
	pub chain: Chain,
	/// The vault's account: it signs the access log and erasure confirmations.
	pub account: Keys,
	/// The organisation's decryption key: it opens every custodian copy.
	organisation_key: EncryptionSecret,
	/// The organisation it holds records for.
	pub organisation: u32,
	/// Ciphertext and keys.
	pub store: Store,
	/// Pending uploads and the release journal.
	pub ledger: Ledger,
	/// How long (ms of chain time) an upload waits for its record.
	pub pending_ttl_ms: u64,
	/// Wakes the logger when a release is journalled.
	pub journalled: Notify,
	/// The time of the last finalized block the vault followed (ms).
	pub chain_time: AtomicU64,
	/// The newest finalized block, as the block tracker's subscription announces it; `None`
	/// while the subscription is down.
	finalized: RwLock<Option<AtBlock>>,
	/// Releases waiting for the journal's next commit.
	journal_queue: Mutex<Vec<QueuedRelease>>,
	/// Held by the reader whose task commits the queue for everyone waiting (group commit).
	journal_turn: tokio::sync::Mutex<()>,
}

/// The chain could not be read: what subxt reported, as a 503.
fn unavailable(e: impl std::fmt::Display) -> Refused {
	Refused::new(503, "ChainUnavailable", e.to_string())
}

fn decode_b64(field: &str, text: &str) -> Result<Vec<u8>, Refused> {
	use base64::Engine;
	base64::engine::general_purpose::STANDARD
		.decode(text)
		.map_err(|_| Refused::new(400, "BadField", format!("{field} is not base64")))
}

fn encode_b64(bytes: &[u8]) -> String {
	use base64::Engine;
	base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl Vault {
	/// A vault for `organisation`, whose decryption key is `organisation_key`, signing with
	/// `account`.
	pub fn new(
		chain: Chain,
		account: Keys,
		organisation_key: EncryptionSecret,
		organisation: u32,
		store: Store,
		ledger: Ledger,
		pending_ttl_ms: u64,
	) -> Arc<Self> {
		Arc::new(Self {
			chain,
			account,
			organisation_key,
			organisation,
			store,
			ledger,
			pending_ttl_ms,
			journalled: Notify::new(),
			chain_time: AtomicU64::new(0),
			finalized: RwLock::new(None),
			journal_queue: Mutex::new(Vec::new()),
			journal_turn: tokio::sync::Mutex::new(()),
		})
	}

	/// Hands over a finalized block: read permits are asked there from now on, unless a newer
	/// one was handed over already (finalized blocks only move forward).
	pub fn finalized_block(&self, at: AtBlock) {
		let mut finalized = self.finalized.write().expect("no thread panics holding it");
		if finalized.as_ref().is_none_or(|known| known.block_number() <= at.block_number()) {
			*finalized = Some(at);
		}
	}

	/// The block tracker's subscription is down: each read asks the node until it is back.
	pub fn forget_finalized_block(&self) {
		*self.finalized.write().expect("no thread panics holding it") = None;
	}

	/// The newest finalized block: the tracker's, or the node's if the tracker has none.
	async fn permit_block(&self) -> Result<AtBlock, Refused> {
		if let Some(at) = &*self.finalized.read().expect("no thread panics holding it") {
			return Ok(at.clone());
		}
		self.chain.api().at_current_block().await.map_err(unavailable)
	}

	/// The chain's read permit for `reader`, asked at the tracked finalized block. A refusal
	/// there is asked again at the node's own finalized block: the reader may have seen a
	/// block (its new record, its grant) that the tracker's announcement has not reached yet.
	async fn read_permit(
		&self,
		record: u64,
		reader: [u8; 32],
	) -> Result<healthchain_client::chain::ReadPermit<AccountId, u32>, Refused> {
		let at = self.permit_block().await?;
		match self.chain.read_permit_at(&at, record, reader).await? {
			Ok(permit) => Ok(permit),
			Err(refusal) => {
				let latest = self.chain.api().at_current_block().await.map_err(unavailable)?;
				if latest.block_number() <= at.block_number() {
					return Err(Refused::chain(refusal));
				}
				self.finalized_block(latest.clone());
				self.chain.read_permit_at(&latest, record, reader).await?.map_err(Refused::chain)
			},
		}
	}

	/// Journals `release` durably. Readers that arrive while a commit is under way queue up,
	/// and the next commit takes them all: one disk sync for many reads.
	async fn journal(&self, release: Vec<u8>) -> Result<(), Refused> {
		let (durable, mut told) = oneshot::channel();
		self.journal_queue.lock().expect("no thread panics holding it").push((release, durable));
		loop {
			let _turn = self.journal_turn.lock().await;
			match told.try_recv() {
				Ok(outcome) => return outcome.map_err(Refused::from),
				Err(oneshot::error::TryRecvError::Closed) => {
					return Err(Refused::new(500, "JournalFailed", "the journal's commit did not report"))
				},
				Err(oneshot::error::TryRecvError::Empty) => {},
			}
			let queued = std::mem::take(&mut *self.journal_queue.lock().expect("no thread panics holding it"));
			let (releases, waiting): (Vec<_>, Vec<_>) = queued.into_iter().unzip();
			let ledger = self.ledger.clone();
			// Its own task, so that a reader who hangs up cannot leave the others untold.
			let commit = tokio::spawn(async move {
				let outcome = tokio::task::spawn_blocking(move || ledger.journal(&releases).map(|_| ()))
					.await
					.unwrap_or_else(|e| Err(crate::ledger::failed(e)));
				for durable in waiting {
					let _ = durable.send(outcome.clone());
				}
			});
			let _ = commit.await;
		}
	}

	/// Takes an upload from `writer`, if the chain permits it the write.
	pub async fn upload(&self, writer: [u8; 32], hash: [u8; 32], request: UploadRequest) -> Result<Accepted, Refused> {
		let patient = healthchain_client::keys::parse_account(&request.patient)
			.ok_or_else(|| Refused::new(400, "BadField", "patient is not an SS58 account"))?;
		let record_type = healthchain_client::chain::record_type(&request.record_type).ok_or_else(|| {
			Refused::new(400, "BadField", format!("recordType {} is not a record type", request.record_type))
		})?;
		let authority_bytes = hex::decode(request.authority.trim_start_matches("0x"))
			.map_err(|_| Refused::new(400, "BadField", "authority is not hex"))?;
		let authority = Authority::<AccountId, u32>::decode(&mut &authority_bytes[..])
			.map_err(|_| Refused::new(400, "BadField", "authority is not a SCALE-encoded Authority"))?;
		let ciphertext = decode_b64("ciphertext", &request.ciphertext)?;
		let custodian_key = decode_b64("custodianKey", &request.custodian_key)?;
		let patient_key = decode_b64("patientKey", &request.patient_key)?;
		if blake2_256(&ciphertext) != hash {
			return Err(Refused::new(
				422,
				"ContentHashMismatch",
				"the ciphertext's Blake2-256 hash is not the one in the path",
			));
		}
		// The custodian must be able to serve it: its copy of the key opens the ciphertext.
		let data_key = envelope::unwrap_key(&custodian_key, &self.organisation_key, &hash).map_err(|_| {
			Refused::new(422, "CustodianKeyUnusable", "custodianKey is not the data key wrapped to this organisation's key")
		})?;
		envelope::open(&ciphertext, &hash, &data_key)
			.map_err(|_| Refused::new(422, "CiphertextUnusable", "the ciphertext does not open with its data key"))?;
		if patient_key.len() != custodian_key.len() {
			return Err(Refused::new(422, "PatientKeyUnusable", "patientKey is not a wrapped data key"));
		}
		self.chain
			.write_permit(writer, patient, record_type, authority)
			.await?
			.map_err(Refused::chain)?;
		if let Some(held) = self.ledger.upload(&hash)? {
			match held.state {
				UploadState::Anchored { record } => {
					return Err(Refused::new(409, "AlreadyHeld", format!("this ciphertext is record {record}'s")))
				},
				UploadState::Pending { .. } if held.writer != writer => {
					return Err(Refused::new(409, "AlreadyHeld", "another writer uploaded this ciphertext"))
				},
				UploadState::Pending { .. } => {},
			}
		}
		let pending_until = self.chain_time.load(Ordering::Acquire) + self.pending_ttl_ms;
		self.ledger
			.put_upload(&hash, &Upload { patient, writer, state: UploadState::Pending { deadline: pending_until } })?;
		self.store
			.put(&hash, ciphertext, [(Holder::Custodian, custodian_key), (Holder::Patient, patient_key)])
			.await?;
		Ok(Accepted { content_hash: hex::encode(hash), custodian: self.organisation, pending_until })
	}

	/// Releases `record` to `reader` for `purpose`, if the chain permits it now; the release
	/// is journalled before anything leaves the vault.
	pub async fn release(&self, reader: [u8; 32], record: u64, purpose: &str) -> Result<Released, Refused> {
		let purpose = healthchain_client::chain::access_purpose(purpose)
			.ok_or_else(|| Refused::new(400, "BadField", format!("purpose {purpose} is not an access purpose")))?;
		let permit = self.read_permit(record, reader).await?;
		if permit.custodian != Some(self.organisation) {
			let held_by = permit.custodian.map_or("no vault".to_string(), |o| format!("organisation {o}'s vault"));
			return Err(Refused::new(421, "HeldElsewhere", format!("record {record} is held by {held_by}")));
		}
		let reader_key = permit.reader_key.ok_or_else(|| {
			Refused::new(409, "NoReaderKey", "the reader has no encryption key on chain (set_staff_key)")
		})?;
		let hash = permit.content_hash.0;
		let (ciphertext, wrapped) = self.sealed_for(record, &hash, &reader_key).await?;
		let logged = permit.patient.0 != reader;
		if logged {
			let release = Release {
				record,
				reader: AccountId::from(reader),
				authority: permit.authority,
				emergency: permit.emergency,
				purpose,
			};
			self.journal(release.encode()).await?;
			self.journalled.notify_one();
		}
		Ok(Released {
			record,
			content_hash: hex::encode(hash),
			ciphertext: encode_b64(&ciphertext),
			wrapped_key: encode_b64(&wrapped),
			logged,
		})
	}

	/// Releases `record` to `researcher` under `participant`'s research access, if the
	/// patient's binding of the participant holds and the chain's research permit covers the
	/// record's type now; journalled, like every release, before anything leaves the vault,
	/// and logged on the participant's release log (with a digest, not the record's id).
	pub async fn release_for_research(
		&self,
		researcher: [u8; 32],
		record: u64,
		participant: [u8; 32],
		binding: Option<[u8; 64]>,
	) -> Result<Released, Refused> {
		let mut at = self.permit_block().await?;
		let mut permit = self.research_permit(&at, record, researcher, participant, binding.as_ref()).await;
		if permit.as_ref().is_err_and(|refused| refused.status == 403 || refused.status == 404) {
			// The researcher may have seen a block (its access) that the tracker has not.
			let latest = self.chain.api().at_current_block().await.map_err(unavailable)?;
			if latest.block_number() > at.block_number() {
				self.finalized_block(latest.clone());
				at = latest;
				permit = self.research_permit(&at, record, researcher, participant, binding.as_ref()).await;
			}
		}
		let (study, hash, reader_key) = permit?;
		let (ciphertext, wrapped) = self.sealed_for(record, &hash, &reader_key).await?;
		let salt = healthchain_client::research::fresh_salt();
		let release = ResearchRelease { participant, researcher, study, record, salt };
		self.journal(release.journalled()).await?;
		self.journalled.notify_one();
		Ok(Released {
			record,
			content_hash: hex::encode(hash),
			ciphertext: encode_b64(&ciphertext),
			wrapped_key: encode_b64(&wrapped),
			logged: true,
		})
	}

	/// `record`'s ciphertext (content hash `hash`) as held here, and its data key wrapped to
	/// `reader_key`.
	async fn sealed_for(&self, record: u64, hash: &[u8; 32], reader_key: &[u8; 32]) -> Result<(Vec<u8>, Vec<u8>), Refused> {
		let (ciphertext, custodian_key) = self
			.store
			.get(hash, Holder::Custodian)
			.await?
			.ok_or_else(|| Refused::new(404, "NotHeld", format!("this vault does not hold record {record}'s ciphertext")))?;
		let data_key = envelope::unwrap_key(&custodian_key, &self.organisation_key, hash)
			.map_err(|_| Refused::new(500, "KeyUnusable", "the custodian's copy of the key does not open"))?;
		let wrapped = envelope::wrap_key(&data_key, reader_key, hash)
			.map_err(|_| Refused::new(409, "NoReaderKey", "the reader's key on chain is not an X25519 key"))?;
		Ok((ciphertext, wrapped))
	}

	/// What a research release needs from the chain at `at`: the record held here and not
	/// erased, the patient's binding of the participant, the research permit for the record's
	/// type (the study), and the researcher's key; or why not.
	async fn research_permit(
		&self,
		at: &AtBlock,
		record: u64,
		researcher: [u8; 32],
		participant: [u8; 32],
		binding: Option<&[u8; 64]>,
	) -> Result<(u32, [u8; 32], [u8; 32]), Refused> {
		let held = self
			.chain
			.record_at(at, record)
			.await?
			.ok_or_else(|| Refused::new(404, "UnknownRecord", format!("record {record} is not on chain")))?;
		if held.erased_at.is_some() {
			return Err(Refused::new(410, "RecordErased", format!("record {record} was erased")));
		}
		if held.custodian != Some(self.organisation) {
			let held_by = held.custodian.map_or("no vault".to_string(), |o| format!("organisation {o}'s vault"));
			return Err(Refused::new(421, "HeldElsewhere", format!("record {record} is held by {held_by}")));
		}
		if !healthchain_client::research::binding_holds(&held.patient.0, &participant, binding) {
			return Err(Refused::new(
				403,
				"NoBinding",
				"the binding is not the record's patient's signature over this participant",
			));
		}
		let (study, _until) = self
			.chain
			.research_permit_at(at, participant, researcher, held.record_type)
			.await?
			.map_err(|refusal| Refused::new(403, &refusal, format!("the chain refuses a research release: {refusal}")))?;
		let reader_key = self.chain.staff_key_at(at, researcher).await?.ok_or_else(|| {
			Refused::new(409, "NoReaderKey", "the reader has no encryption key on chain (set_staff_key)")
		})?;
		Ok((study, held.content_hash.0, reader_key))
	}

	/// Logs journalled releases on chain, up to [`RELEASES_PER_LOG`] a transaction, until the
	/// journal is empty: releases of records on their patients' access logs (health-records),
	/// research releases on their participants' release logs (research-consent), which are
	/// kept as disclosures once logged.
	pub async fn log_journalled(&self) -> Result<usize, Refused> {
		let mut logged = 0;
		loop {
			let batch = self.ledger.unlogged(RELEASES_PER_LOG)?;
			if batch.is_empty() {
				return Ok(logged);
			}
			let (research, records): (Vec<_>, Vec<_>) =
				batch.into_iter().partition(|(_, bytes)| ResearchRelease::from_journal(bytes).is_some());
			if !research.is_empty() {
				logged += self.log_research(research).await?;
			}
			if records.is_empty() {
				continue;
			}
			let (seqs, releases): (Vec<u64>, Vec<Release<AccountId, u32>>) = records
				.iter()
				.filter_map(|(seq, bytes)| Release::decode(&mut &bytes[..]).ok().map(|r| (*seq, r)))
				.unzip();
			let call = runtime::tx().health_records().log_releases(releases.clone());
			match self.chain.submit(&call, &self.account).await {
				Ok(_) => {
					self.ledger.logged(&seqs)?;
					logged += seqs.len();
				},
				Err(ChainError::Refused(reason)) if seqs.len() > 1 => {
					eprintln!("healthchain-vault: a batch of {} releases was refused ({reason}); logging one by one", seqs.len());
					for (seq, release) in seqs.into_iter().zip(releases) {
						let call = runtime::tx().health_records().log_releases(vec![release]);
						match self.chain.submit(&call, &self.account).await {
							Ok(_) => {
								self.ledger.logged(&[seq])?;
								logged += 1;
							},
							Err(e) => {
								eprintln!("healthchain-vault: release {seq} cannot be logged: {e}");
								return Err(e.into());
							},
						}
					}
				},
				Err(e) => return Err(e.into()),
			}
		}
	}

	/// Logs research releases on their participants' release logs in one transaction, and
	/// keeps them as disclosures.
	async fn log_research(&self, research: Vec<(u64, Vec<u8>)>) -> Result<usize, Refused> {
		let releases: Vec<_> = research
			.iter()
			.filter_map(|(_, bytes)| ResearchRelease::from_journal(bytes))
			.map(|release| release.on_chain())
			.collect();
		let call = runtime::tx().research_consent().log_releases(releases);
		self.chain.submit(&call, &self.account).await?;
		self.ledger.disclose(&research)?;
		let seqs: Vec<u64> = research.iter().map(|(seq, _)| *seq).collect();
		self.ledger.logged(&seqs)?;
		Ok(seqs.len())
	}

	/// Takes note of a finalized block's records, erasures and time: anchors uploads, shreds
	/// erased records and confirms it, and drops uploads whose record never came.
	pub async fn follow_block(&self, at: &healthchain_client::chain::AtBlock) -> Result<(), Refused> {
		let now = at
			.storage()
			.entry(runtime::storage().timestamp().now())
			.map_err(unavailable)?
			.fetch(())
			.await
			.map_err(unavailable)?
			.decode()
			.map_err(unavailable)?;
		let events = at.events().fetch().await.map_err(unavailable)?;
		for added in events.find::<runtime::health_records::events::RecordAdded>() {
			let added = added.map_err(unavailable)?;
			if added.custodian == self.organisation {
				self.anchor(added.content_hash.0, added.record)?;
			}
		}
		for amended in events.find::<runtime::health_records::events::RecordAmended>() {
			let amended = amended.map_err(unavailable)?;
			// A new version has its first version's custodian: held here if uploaded here.
			self.anchor(amended.content_hash.0, amended.record)?;
		}
		for erased in events.find::<runtime::health_records::events::RecordErased>() {
			let erased = erased.map_err(unavailable)?;
			if erased.custodian == Some(self.organisation) {
				self.shred(erased.record).await?;
			}
		}
		self.chain_time.store(now, Ordering::Release);
		self.drop_expired(now).await
	}

	fn anchor(&self, hash: [u8; 32], record: u64) -> Result<(), Refused> {
		if let Some(mut upload) = self.ledger.upload(&hash)? {
			upload.state = UploadState::Anchored { record };
			self.ledger.put_upload(&hash, &upload)?;
		}
		Ok(())
	}

	/// Deletes every object of an erased record, proves none is left, and confirms on chain.
	pub async fn shred(&self, record: u64) -> Result<(), Refused> {
		let Some(erased) = self.chain.record(record).await? else {
			return Err(Refused::new(404, "UnknownRecord", format!("record {record} is not on chain")));
		};
		if erased.erased_at.is_none() || erased.erasure_confirmed_at.is_some() {
			return Ok(());
		}
		let hash = erased.content_hash.0;
		self.store.shred(&hash).await?;
		self.ledger.remove_upload(&hash)?;
		let call = runtime::tx().health_records().confirm_erasure(record);
		match self.chain.submit(&call, &self.account).await {
			Ok(_) => Ok(()),
			// Confirmed already (by a previous run that died before noting it): nothing to do.
			Err(ChainError::Refused(reason)) if reason.contains("ErasureAlreadyConfirmed") => Ok(()),
			Err(e) => Err(e.into()),
		}
	}

	/// Catches up with what happened while the vault was stopped: every erased record of this
	/// custodian not yet confirmed is shredded, and uploads whose record is final are anchored.
	pub async fn reconcile(&self) -> Result<(), Refused> {
		let at = self.chain.api().at_current_block().await.map_err(unavailable)?;
		let entry = at
			.storage()
			.entry(runtime::storage().health_records().records())
			.map_err(unavailable)?;
		let mut records = entry.iter(()).await.map_err(unavailable)?;
		let mut erased = Vec::new();
		while let Some(entry) = records.next().await {
			let entry = entry.map_err(unavailable)?;
			let (id,) = entry.key().and_then(|k| k.decode()).map_err(unavailable)?;
			let record = entry.value().decode().map_err(unavailable)?;
			if record.custodian != Some(self.organisation) {
				continue;
			}
			if record.erased_at.is_some() {
				if record.erasure_confirmed_at.is_none() {
					erased.push(id);
				}
			} else {
				self.anchor(record.content_hash.0, id)?;
			}
		}
		for record in erased {
			self.shred(record).await?;
		}
		Ok(())
	}

	async fn drop_expired(&self, now: u64) -> Result<(), Refused> {
		for hash in self.ledger.expired(now)? {
			self.store.shred(&hash).await?;
			self.ledger.remove_upload(&hash)?;
		}
		Ok(())
	}
}
