//! The chain, through subxt's API generated from the runtime's metadata
//! (`client/metadata/healthchain.scale`, kept equal to the runtime's by a runtime test).
//!
//! Everything is read at the latest **finalized** block: a custodian releases nothing on the
//! strength of a block that may still be reverted.

use subxt::{
	config::DefaultExtrinsicParamsBuilder, transactions::Payload, OnlineClient,
	SubstrateConfig,
};

use crate::keys::Keys;

/// The types, calls, storage, events and runtime APIs of HealthChain's runtime.
#[subxt::subxt(
	runtime_metadata_path = "metadata/healthchain.scale",
	derive_for_all_types = "Clone, ::subxt::ext::codec::Encode, ::subxt::ext::codec::Decode"
)]
pub mod runtime {}

pub use runtime::runtime_types::pallet_health_records::types::{
	AccessPurpose, Authority, ReadPermit, Record, Release,
};
pub use runtime::runtime_types::pallet_health_records::types::RecordType;

/// One read on a patient's access log.
pub type AccessLogEntry = runtime::runtime_types::pallet_health_records::types::AccessEntry<AccountId, u32>;
/// A research consent as the chain holds it.
pub type Consent = runtime::runtime_types::pallet_research_consent::types::Consent<AccountId, RecordType, u32>;
/// An insurance claim as the chain holds it.
pub type Claim = runtime::runtime_types::pallet_insurance_claims::types::Claim<AccountId, u32>;

/// The chain's configuration as subxt sees it: the standard Substrate one (sr25519 accounts,
/// `MultiAddress`, the standard transaction extensions; the runtime's patient sponsorship
/// presents itself as `ChargeTransactionPayment`).
pub type HealthChainConfig = SubstrateConfig;

/// An account on chain.
pub type AccountId = subxt::utils::AccountId32;
/// A 32-byte hash on chain.
pub type H256 = subxt::utils::H256;

/// Why talking to the chain failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node could not be reached or answered out of protocol.
	#[error("the node at {url} cannot be reached: {reason}")]
	Unreachable {
		/// The node's URL.
		url: String,
		/// What went wrong.
		reason: String,
	},
	/// The chain refused a transaction or a query, naming the pallet error and its meaning.
	#[error("the chain refused: {0}")]
	Refused(String),
	/// Anything else subxt reported.
	#[error("{0}")]
	Other(String),
}

fn other(e: impl std::fmt::Display) -> ChainError {
	ChainError::Other(e.to_string())
}

/// Why the chain refused a custodian a release: the pallet's error by name, with its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
	/// The error's name in `pallet-health-records` (`NoGrant`, `RecordErased`, ...).
	pub error: String,
	/// What it means, from the error's documentation in the metadata.
	pub reason: String,
}

impl std::fmt::Display for Refusal {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{}: {}", self.error, self.reason)
	}
}

/// A connection to a HealthChain node.
#[derive(Clone)]
pub struct Chain {
	api: OnlineClient<HealthChainConfig>,
}

impl Chain {
	/// Connects to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self, ChainError> {
		// Request and response (`state_call`, `author_submitAndWatchExtrinsic`), not the
		// chainHead_v1 backend subxt picks by default: its call results come back as
		// notifications on the follow subscription, which a Substrate node writes to sockets
		// without TCP_NODELAY, so at low load every permit a vault asked waited on a delayed
		// acknowledgement (about 40 ms a read, against about 2.5 ms this way, measured by
		// `scripts/vault-benchmark` with one reader).
		let unreachable = |e: String| ChainError::Unreachable { url: url.into(), reason: e };
		let rpc = subxt::rpcs::RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
		let backend = subxt::backend::LegacyBackend::<HealthChainConfig>::builder().build(rpc);
		let api = OnlineClient::<HealthChainConfig>::from_backend(std::sync::Arc::new(backend))
			.await
			.map_err(|e| unreachable(e.to_string()))?;
		Ok(Self { api })
	}

	/// subxt's client, for everything this crate does not wrap.
	pub fn api(&self) -> &OnlineClient<HealthChainConfig> {
		&self.api
	}

	/// Whether `reader` may read `record` now, and under what authority; the refusal names why
	/// not.
	pub async fn read_permit(
		&self,
		record: u64,
		reader: [u8; 32],
	) -> Result<Result<ReadPermit<AccountId, u32>, Refusal>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		self.read_permit_at(&at, record, reader).await
	}

	/// [`Self::read_permit`] at a block the caller already holds: a vault that follows
	/// finalized blocks asks at the newest it has seen, one round trip instead of four.
	pub async fn read_permit_at(
		&self,
		at: &AtBlock,
		record: u64,
		reader: [u8; 32],
	) -> Result<Result<ReadPermit<AccountId, u32>, Refusal>, ChainError> {
		let call = runtime::runtime_apis().health_records_api().read_permit(record, AccountId::from(reader));
		let answer = at.runtime_apis().call(call).await.map_err(other)?;
		Ok(answer.map_err(|e| self.refusal(&at.metadata(), codec::Encode::encode(&e))))
	}

	/// Whether `researcher` may be released `participant`'s records of `record_type` at block
	/// `at`: for which study and until when, or the name of the refusal
	/// (`NoAccess`, `AccessExpired`, `RecordTypeNotGranted`, `ResearcherLapsed`,
	/// `NoLongerCovered`).
	pub async fn research_permit_at(
		&self,
		at: &AtBlock,
		participant: [u8; 32],
		researcher: [u8; 32],
		record_type: RecordType,
	) -> Result<Result<(u32, u64), String>, ChainError> {
		let call = runtime::runtime_apis().research_consent_api().research_permit(
			AccountId::from(participant),
			AccountId::from(researcher),
			record_type,
		);
		let answer = at.runtime_apis().call(call).await.map_err(other)?;
		Ok(answer.map_err(|refusal| format!("{refusal:?}")))
	}

	/// A record as the chain holds it at block `at`.
	pub async fn record_at(&self, at: &AtBlock, record: u64) -> Result<Option<Record<AccountId, u32>>, ChainError> {
		let entry = at.storage().entry(runtime::storage().health_records().records()).map_err(other)?;
		match entry.try_fetch((record,)).await.map_err(other)? {
			Some(value) => Ok(Some(value.decode().map_err(other)?)),
			None => Ok(None),
		}
	}

	/// The X25519 key a member set with `set_staff_key`, at block `at`.
	pub async fn staff_key_at(&self, at: &AtBlock, who: [u8; 32]) -> Result<Option<[u8; 32]>, ChainError> {
		let entry = at.storage().entry(runtime::storage().health_identity().staff_keys()).map_err(other)?;
		match entry.try_fetch((AccountId::from(who),)).await.map_err(other)? {
			Some(value) => Ok(Some(value.decode().map_err(other)?)),
			None => Ok(None),
		}
	}

	/// The consent under which `participant` consented to `study`, if any.
	pub async fn study_consent(&self, participant: [u8; 32], study: u32) -> Result<Option<(u64, Consent)>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let consent_storage = runtime::storage().research_consent();
		let by_study = at.storage().entry(consent_storage.study_consents()).map_err(other)?;
		let Some(id) = by_study.try_fetch((AccountId::from(participant), study)).await.map_err(other)? else {
			return Ok(None);
		};
		let id: u64 = id.decode().map_err(other)?;
		Ok(each_of(&at, consent_storage.consents(), vec![id]).await?.into_iter().next())
	}

	/// How many studies are registered: their ids are `0..` this.
	pub async fn study_count(&self) -> Result<u32, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry = at.storage().entry(runtime::storage().research_consent().next_study_id()).map_err(other)?;
		entry.fetch(()).await.map_err(other)?.decode().map_err(other)
	}

	/// Whether `writer` may add a record of `record_type` about `patient` under `authority`.
	pub async fn write_permit(
		&self,
		writer: [u8; 32],
		patient: [u8; 32],
		record_type: RecordType,
		authority: Authority<AccountId, u32>,
	) -> Result<Result<(), Refusal>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let call = runtime::runtime_apis().health_records_api().write_permit(
			AccountId::from(writer),
			AccountId::from(patient),
			record_type,
			authority,
		);
		let answer = at.runtime_apis().call(call).await.map_err(other)?;
		Ok(answer.map_err(|e| self.refusal(&at.metadata(), codec::Encode::encode(&e))))
	}

	/// A record as the chain holds it at the finalized block.
	pub async fn record(&self, record: u64) -> Result<Option<Record<AccountId, u32>>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry = at.storage().entry(runtime::storage().health_records().records()).map_err(other)?;
		match entry.try_fetch((record,)).await.map_err(other)? {
			Some(value) => Ok(Some(value.decode().map_err(other)?)),
			None => Ok(None),
		}
	}

	/// The organisation whose vault signs with `account`, if any.
	pub async fn vault_organisation(&self, account: [u8; 32]) -> Result<Option<u32>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry =
			at.storage().entry(runtime::storage().health_identity().vault_organisations()).map_err(other)?;
		match entry.try_fetch((AccountId::from(account),)).await.map_err(other)? {
			Some(value) => Ok(Some(value.decode().map_err(other)?)),
			None => Ok(None),
		}
	}

	/// The account and endpoint of `organisation`'s vault, if it has one.
	pub async fn vault(&self, organisation: u32) -> Result<Option<([u8; 32], String)>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry = at.storage().entry(runtime::storage().health_identity().record_vaults()).map_err(other)?;
		let Some(value) = entry.try_fetch((organisation,)).await.map_err(other)? else { return Ok(None) };
		let vault = value.decode().map_err(other)?;
		let endpoint = String::from_utf8_lossy(&vault.endpoint.0).into_owned();
		Ok(Some((vault.account.0, endpoint)))
	}

	/// The X25519 key on `organisation`'s profile, to which its custodian's copy of every data
	/// key is wrapped.
	pub async fn organisation_key(&self, organisation: u32) -> Result<Option<[u8; 32]>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry = at.storage().entry(runtime::storage().health_identity().organisations()).map_err(other)?;
		let Some(value) = entry.try_fetch((organisation,)).await.map_err(other)? else { return Ok(None) };
		Ok(Some(value.decode().map_err(other)?.encryption_key))
	}

	/// A patient's X25519 key, if `account` is an enrolled patient.
	pub async fn patient_key(&self, account: [u8; 32]) -> Result<Option<[u8; 32]>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry = at.storage().entry(runtime::storage().health_identity().patients()).map_err(other)?;
		let Some(value) = entry.try_fetch((AccountId::from(account),)).await.map_err(other)? else {
			return Ok(None);
		};
		Ok(Some(value.decode().map_err(other)?.encryption_key))
	}

	/// The chain's clock (ms) at the finalized block: what grants and consents expire by.
	pub async fn now(&self) -> Result<u64, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let entry = at.storage().entry(runtime::storage().timestamp().now()).map_err(other)?;
		entry.fetch(()).await.map_err(other)?.decode().map_err(other)
	}

	/// A patient's access log, oldest first: each entry with its index.
	pub async fn access_log(&self, patient: [u8; 32]) -> Result<Vec<(u32, AccessLogEntry)>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let log = at.storage().entry(runtime::storage().health_records().access_log()).map_err(other)?;
		let mut entries = log.iter((AccountId::from(patient),)).await.map_err(other)?;
		let mut listed = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(other)?;
			let (_, index): (AccountId, u32) = entry.key().and_then(|k| k.decode()).map_err(other)?;
			listed.push((index, entry.value().decode().map_err(other)?));
		}
		listed.sort_by_key(|(index, _)| *index);
		Ok(listed)
	}

	/// A patient's records, erased or not, by id.
	pub async fn patient_records(&self, patient: [u8; 32]) -> Result<Vec<(u64, Record<AccountId, u32>)>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let records_storage = runtime::storage().health_records();
		patients_entries(&at, records_storage.patient_records(), patient, records_storage.records()).await
	}

	/// A patient's insurance claims, by id.
	pub async fn patient_claims(&self, patient: [u8; 32]) -> Result<Vec<(u64, Claim)>, ChainError> {
		let at = self.api.at_current_block().await.map_err(other)?;
		let claims_storage = runtime::storage().insurance_claims();
		patients_entries(&at, claims_storage.patient_claims(), patient, claims_storage.claims()).await
	}

	/// Signs `call` with `keys`, submits it and waits until it is in a finalized block; a
	/// dispatch error comes back as [`ChainError::Refused`] naming the pallet error.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		keys: &Keys,
	) -> Result<subxt::extrinsics::ExtrinsicEvents<HealthChainConfig>, ChainError> {
		let params = DefaultExtrinsicParamsBuilder::<HealthChainConfig>::new().build();
		let at = self.api.at_current_block().await.map_err(other)?;
		let progress = at
			.transactions()
			.sign_and_submit_then_watch(call, keys.signer(), params)
			.await
			.map_err(|e| ChainError::Refused(e.to_string()))?;
		progress.wait_for_finalized_success().await.map_err(|e| ChainError::Refused(e.to_string()))
	}

	fn refusal(&self, metadata: &subxt::Metadata, encoded: Vec<u8>) -> Refusal {
		let index = encoded.first().copied().unwrap_or_default();
		let variant = metadata
			.pallet_by_name("HealthRecords")
			.and_then(|pallet| pallet.error_variant_by_index(index));
		match variant {
			Some(variant) => Refusal { error: variant.name.clone(), reason: variant.docs.join(" ") },
			None => Refusal { error: format!("error {index}"), reason: "not in this client's metadata".into() },
		}
	}
}

/// The entries of `map` that a patient's `index` (patient, then id, as `PatientRecords` and
/// `PatientClaims`) lists for `patient`, by id.
async fn patients_entries<Index, Map>(
	at: &AtBlock,
	index: Index,
	patient: [u8; 32],
	map: Map,
) -> Result<Vec<(u64, Map::Value)>, ChainError>
where
	Index: subxt::storage::Address<KeyParts = (AccountId, u64)>,
	Map: subxt::storage::Address<KeyParts = (u64,)>,
{
	let index = at.storage().entry(index).map_err(other)?;
	let mut entries = index.iter((AccountId::from(patient),)).await.map_err(other)?;
	let mut ids = Vec::new();
	while let Some(entry) = entries.next().await {
		let (_, id) = entry.map_err(other)?.key().and_then(|k| k.decode()).map_err(other)?;
		ids.push(id);
	}
	ids.sort_unstable();
	each_of(at, map, ids).await
}

/// The value of each of `ids` in the map at `address`, in the order of `ids`; an id the map
/// no longer holds is left out.
async fn each_of<Addr>(at: &AtBlock, address: Addr, ids: Vec<u64>) -> Result<Vec<(u64, Addr::Value)>, ChainError>
where
	Addr: subxt::storage::Address<KeyParts = (u64,)>,
{
	let map = at.storage().entry(address).map_err(other)?;
	let mut listed = Vec::with_capacity(ids.len());
	for id in ids {
		if let Some(value) = map.try_fetch((id,)).await.map_err(other)? {
			listed.push((id, value.decode().map_err(other)?));
		}
	}
	Ok(listed)
}

/// A client at one block, as [`subxt`] gives it.
pub type AtBlock =
	subxt::client::ClientAtBlock<HealthChainConfig, subxt::client::OnlineClientAtBlockImpl<HealthChainConfig>>;

/// The chain's record type named `name` (a FHIR resource type: `Observation`, ...).
pub fn record_type(name: &str) -> Option<RecordType> {
	use RecordType::*;
	Some(match name {
		"Observation" => Observation,
		"Condition" => Condition,
		"DiagnosticReport" => DiagnosticReport,
		"MedicationStatement" => MedicationStatement,
		"Immunization" => Immunization,
		"DocumentReference" => DocumentReference,
		"ImagingStudy" => ImagingStudy,
		"AllergyIntolerance" => AllergyIntolerance,
		"Procedure" => Procedure,
		"Encounter" => Encounter,
		"CarePlan" => CarePlan,
		"Claim" => Claim,
		"MedicationRequest" => MedicationRequest,
		_ => return None,
	})
}

/// The access purpose named `name` (`Treatment`, `Emergency`, ...).
pub fn access_purpose(name: &str) -> Option<AccessPurpose> {
	use AccessPurpose::*;
	Some(match name {
		"Treatment" => Treatment,
		"CareCoordination" => CareCoordination,
		"Payment" => Payment,
		"Operations" => Operations,
		"PatientRequest" => PatientRequest,
		"Emergency" => Emergency,
		"Audit" => Audit,
		"Research" => Research,
		_ => return None,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_every_record_type_and_purpose_as_the_runtime_does() {
		// The generated enums encode as the runtime's: the index of each name is its position.
		for (index, name) in [
			"Observation", "Condition", "DiagnosticReport", "MedicationStatement", "Immunization",
			"DocumentReference", "ImagingStudy", "AllergyIntolerance", "Procedure", "Encounter", "CarePlan", "Claim",
		]
		.iter()
		.enumerate()
		{
			assert_eq!(codec::Encode::encode(&record_type(name).unwrap()), vec![index as u8], "{name}");
		}
		for (index, name) in
			["Treatment", "CareCoordination", "Payment", "Operations", "PatientRequest", "Emergency", "Audit", "Research"]
				.iter()
				.enumerate()
		{
			assert_eq!(codec::Encode::encode(&access_purpose(name).unwrap()), vec![index as u8], "{name}");
		}
		assert!(record_type("Patient").is_none());
		assert!(access_purpose("Curiosity").is_none());
	}
}
