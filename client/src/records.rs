//! Health records end to end: seal a FHIR resource, upload it to the custodian's vault, anchor
//! it on chain; ask the custodian's vault for a record and open it. The vault to use, its
//! account and the keys to wrap to are all read from the chain.

use codec::Encode;

use crate::{
	blake2_256,
	chain::{runtime, AccountId, Authority, Chain, ChainError, Record},
	envelope,
	keys::Keys,
	request,
};

pub use reqwest::Method;

/// Why a record could not be put or got.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
	/// The chain could not be reached or refused.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The vault refused, with its HTTP status, the error's name and the reason.
	#[error("the vault refused ({status} {error}): {reason}")]
	Vault {
		/// The HTTP status.
		status: u16,
		/// The error's name.
		error: String,
		/// Why.
		reason: String,
	},
	/// The vault could not be reached.
	#[error("the vault at {endpoint} cannot be reached: {reason}")]
	VaultUnreachable {
		/// Its endpoint.
		endpoint: String,
		/// What went wrong.
		reason: String,
	},
	/// The document is not a FHIR resource the chain has a record type for.
	#[error("the document is not a FHIR resource of a record type: {0}")]
	NotARecord(String),
	/// Something the chain should hold is missing.
	#[error("{0}")]
	Missing(String),
	/// What the vault sent does not open.
	#[error("the record does not open: {0}")]
	Envelope(#[from] envelope::EnvelopeError),
}

/// A record put: its id on chain, content hash and custodian.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Put {
	/// The record's id.
	pub record: u64,
	/// Its content hash, hex.
	pub content_hash: String,
	/// The custodian organisation.
	pub custodian: u32,
	/// The record type.
	pub record_type: String,
}

/// The FHIR `resourceType` of a JSON document.
pub fn resource_type(document: &[u8]) -> Result<String, RecordError> {
	let value: serde_json::Value =
		serde_json::from_slice(document).map_err(|e| RecordError::NotARecord(format!("not JSON: {e}")))?;
	let kind = value
		.get("resourceType")
		.and_then(|t| t.as_str())
		.ok_or_else(|| RecordError::NotARecord("it has no resourceType".into()))?;
	if crate::chain::record_type(kind).is_none() {
		return Err(RecordError::NotARecord(format!("{kind} is not a record type the chain keeps")));
	}
	Ok(kind.to_string())
}

async fn vault_of(chain: &Chain, organisation: u32) -> Result<([u8; 32], String), RecordError> {
	chain
		.vault(organisation)
		.await?
		.ok_or_else(|| RecordError::Missing(format!("organisation {organisation} has no vault on chain")))
}

/// `record` as the chain holds it, and the organisation whose vault holds its ciphertext.
async fn custodian_of(chain: &Chain, record: u64) -> Result<(Record<AccountId, u32>, u32), RecordError> {
	let on_chain = chain
		.record(record)
		.await?
		.ok_or_else(|| RecordError::Missing(format!("record {record} is not on chain")))?;
	let custodian = on_chain
		.custodian
		.ok_or_else(|| RecordError::Missing(format!("record {record} predates custody: no vault holds it")))?;
	Ok((on_chain, custodian))
}

/// One HTTP client for every vault request: its connections are kept alive and reused, and the
/// system's root certificates are read once, not on every request (tens of milliseconds each).
fn http() -> &'static reqwest::Client {
	static CLIENT: std::sync::LazyLock<reqwest::Client> = std::sync::LazyLock::new(reqwest::Client::new);
	&CLIENT
}

/// Sends a request signed by `keys` to the vault at `endpoint` whose account is `vault`.
pub async fn vault_request(
	keys: &Keys,
	vault: &[u8; 32],
	endpoint: &str,
	method: reqwest::Method,
	path: &str,
	body: Vec<u8>,
) -> Result<serde_json::Value, RecordError> {
	let headers = request::sign(keys, vault, method.as_str(), path, &body, request::now_ms());
	let url = format!("{}{}", endpoint.trim_end_matches('/'), path);
	let mut builder = http().request(method, &url).body(body);
	for (name, value) in headers {
		builder = builder.header(name, value);
	}
	let unreachable = |e: reqwest::Error| RecordError::VaultUnreachable { endpoint: endpoint.into(), reason: e.to_string() };
	let response = builder.header("content-type", "application/json").send().await.map_err(unreachable)?;
	let status = response.status().as_u16();
	let text = response.text().await.map_err(unreachable)?;
	let json: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
	if (200..300).contains(&status) {
		return Ok(json);
	}
	let field = |name: &str| json.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
	Err(RecordError::Vault { status, error: field("error"), reason: field("reason") })
}

fn b64(bytes: &[u8]) -> String {
	use base64::Engine;
	base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Result<Vec<u8>, RecordError> {
	use base64::Engine;
	base64::engine::general_purpose::STANDARD
		.decode(text)
		.map_err(|_| RecordError::Missing("the vault's answer is not base64".into()))
}

/// Seals `document` (a FHIR resource, JSON), uploads it to `custodian`'s vault with its data
/// key wrapped to the custodian and to the patient, then anchors it with `add_record`.
pub async fn put(
	chain: &Chain,
	keys: &Keys,
	patient: [u8; 32],
	custodian: u32,
	authority: Authority<AccountId, u32>,
	document: &[u8],
) -> Result<Put, RecordError> {
	let (hash, kind) = upload(chain, keys, patient, custodian, &authority, document).await?;
	let record_type = crate::chain::record_type(&kind).expect("checked by resource_type");
	let call = runtime::tx().health_records().add_record(
		AccountId::from(patient),
		record_type,
		subxt::utils::H256(hash),
		custodian,
		authority,
	);
	let events = chain.submit(&call, keys).await?;
	let added = events
		.find_first::<runtime::health_records::events::RecordAdded>()
		.ok_or_else(|| RecordError::Missing("add_record emitted no RecordAdded".into()))?
		.map_err(|e| ChainError::Other(e.to_string()))?;
	Ok(Put { record: added.record, content_hash: hex::encode(hash), custodian, record_type: kind })
}

/// Amends `record` with `document`, a new version of the same FHIR resource type: sealed and
/// uploaded to the vault that holds `record`, then anchored with `amend_record`, which links
/// it back. The amended version stays readable until the record is erased (every version).
pub async fn amend(
	chain: &Chain,
	keys: &Keys,
	record: u64,
	authority: Authority<AccountId, u32>,
	document: &[u8],
) -> Result<Put, RecordError> {
	let (amended, custodian) = custodian_of(chain, record).await?;
	let kind = resource_type(document)?;
	if crate::chain::record_type(&kind).map(|t| t.encode()) != Some(amended.record_type.encode()) {
		return Err(RecordError::NotARecord(format!(
			"record {record} is of type {:?}: an amendment is a resource of the same type, not {kind}",
			amended.record_type
		)));
	}
	let (hash, kind) = upload(chain, keys, amended.patient.0, custodian, &authority, document).await?;
	let call = runtime::tx().health_records().amend_record(record, subxt::utils::H256(hash), authority);
	let events = chain.submit(&call, keys).await?;
	let new = events
		.find_first::<runtime::health_records::events::RecordAmended>()
		.ok_or_else(|| RecordError::Missing("amend_record emitted no RecordAmended".into()))?
		.map_err(|e| ChainError::Other(e.to_string()))?;
	Ok(Put { record: new.record, content_hash: hex::encode(hash), custodian, record_type: kind })
}

/// Seals `document` and uploads it to `custodian`'s vault, with its data key wrapped to the
/// custodian and to the patient: the vault holds it pending until the chain anchors its hash.
async fn upload(
	chain: &Chain,
	keys: &Keys,
	patient: [u8; 32],
	custodian: u32,
	authority: &Authority<AccountId, u32>,
	document: &[u8],
) -> Result<([u8; 32], String), RecordError> {
	let kind = resource_type(document)?;
	let (vault, endpoint) = vault_of(chain, custodian).await?;
	let custodian_key = chain
		.organisation_key(custodian)
		.await?
		.ok_or_else(|| RecordError::Missing(format!("organisation {custodian} is not on chain")))?;
	let patient_key = chain
		.patient_key(patient)
		.await?
		.ok_or_else(|| RecordError::Missing(format!("{} is not an enrolled patient", crate::keys::ss58(&patient))))?;
	let (sealed, data_key) = envelope::seal(document);
	let hash = sealed.content_hash;
	let body = serde_json::json!({
		"patient": crate::keys::ss58(&patient),
		"recordType": kind,
		"authority": hex::encode(authority.encode()),
		"ciphertext": b64(&sealed.ciphertext),
		"custodianKey": b64(&envelope::wrap_key(&data_key, &custodian_key, &hash)?),
		"patientKey": b64(&envelope::wrap_key(&data_key, &patient_key, &hash)?),
	});
	vault_request(
		keys,
		&vault,
		&endpoint,
		reqwest::Method::PUT,
		&format!("/v1/uploads/{}", hex::encode(hash)),
		body.to_string().into_bytes(),
	)
	.await?;
	Ok((hash, kind))
}

/// Asks the custodian's vault for `record`, for `purpose`, and opens it with `keys`'
/// encryption key: the exact bytes that were put, checked against the hash on chain.
pub async fn get(chain: &Chain, keys: &Keys, record: u64, purpose: &str) -> Result<Vec<u8>, RecordError> {
	get_with(chain, keys, record, &format!("purpose={purpose}")).await
}

/// Asks the custodian's vault for `record` as a researcher, under `participant`'s research
/// access, presenting the patient's `binding` of the participant
/// ([`research::bind`](crate::research::bind)), and opens it like [`get`].
pub async fn get_for_research(
	chain: &Chain,
	keys: &Keys,
	record: u64,
	participant: [u8; 32],
	binding: [u8; 64],
) -> Result<Vec<u8>, RecordError> {
	let query = format!("purpose=Research&participant={}&binding={}", crate::keys::ss58(&participant), hex::encode(binding));
	get_with(chain, keys, record, &query).await
}

async fn get_with(chain: &Chain, keys: &Keys, record: u64, query: &str) -> Result<Vec<u8>, RecordError> {
	let (on_chain, custodian) = custodian_of(chain, record).await?;
	let (vault, endpoint) = vault_of(chain, custodian).await?;
	let answer = vault_request(
		keys,
		&vault,
		&endpoint,
		reqwest::Method::GET,
		&format!("/v1/records/{record}?{query}"),
		Vec::new(),
	)
	.await?;
	let field = |name: &str| answer.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
	let ciphertext = unb64(&field("ciphertext"))?;
	let wrapped = unb64(&field("wrappedKey"))?;
	let hash = on_chain.content_hash.0;
	if blake2_256(&ciphertext) != hash {
		return Err(RecordError::Envelope(envelope::EnvelopeError::HashMismatch));
	}
	let key = envelope::unwrap_key(&wrapped, keys.encryption_secret(), &hash)?;
	Ok(envelope::open(&ciphertext, &hash, &key)?)
}
