//! The vault's HTTP API (JSON), described by the OpenAPI document it serves at
//! `/openapi.json`. Every request under `/v1/records` is signed by the caller's chain account
//! ([`healthchain_client::request`]): the signature covers the method, the path with its query,
//! the body's hash, the time and a nonce, and the vault refuses a replay within the window.

use std::sync::Arc;

use axum::{
	body::Bytes,
	extract::{DefaultBodyLimit, Path, State},
	http::{HeaderMap, Method, StatusCode, Uri},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use healthchain_client::request::{now_ms, Verifier};

use crate::custody::{Refused, UploadRequest, Vault};

/// The OpenAPI 3.1 document of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

/// What the handlers share.
pub struct Api {
	/// The vault.
	pub vault: Arc<Vault>,
	/// Checks signatures and spends nonces.
	pub verifier: Verifier,
	/// When the vault started (ms): requests signed earlier are refused, so that a restart,
	/// which forgets spent nonces, cannot be used to replay them.
	pub started_ms: u64,
}

impl IntoResponse for Refused {
	fn into_response(self) -> Response {
		let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
		(status, Json(self)).into_response()
	}
}

/// The router: `max_body` bounds an upload's body (a larger one is refused with 413); with
/// `portal`, the vault also serves the patient and clinician portal at `/portal/`.
pub fn router(api: Arc<Api>, max_body: usize, portal: Option<crate::portal::Portal>) -> Router {
	let router = Router::new()
		.route("/openapi.json", get(openapi))
		.route("/v1/status", get(status))
		.route("/v1/records/{record}", get(read_record))
		.route("/v1/uploads/{content_hash}", axum::routing::put(upload))
		.layer(axum::middleware::from_fn(crate::portal::cors));
	let router = match portal {
		Some(portal) => router.merge(crate::portal::routes(portal)),
		None => router,
	};
	router
		.fallback(not_found)
		.layer(DefaultBodyLimit::max(max_body))
		.layer(axum::middleware::from_fn(move |request, next| refuse_oversize(max_body, request, next)))
		.with_state(api)
}

/// How much of an oversize body the vault reads and discards before it answers 413: up to four
/// times the limit, for at most ten seconds. Closing a connection with the body still
/// arriving resets it, and the client then loses the answer with its reason.
const OVERSIZE_DRAIN_FACTOR: usize = 4;
const OVERSIZE_DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Refuses a request whose declared `Content-Length` exceeds `max_body` before any handler
/// runs, with a reason; the body is drained first when it is not too large (see above).
async fn refuse_oversize(max_body: usize, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
	let declared = request
		.headers()
		.get(axum::http::header::CONTENT_LENGTH)
		.and_then(|v| v.to_str().ok())
		.and_then(|v| v.parse::<usize>().ok());
	let Some(declared) = declared.filter(|&length| length > max_body) else {
		return next.run(request).await;
	};
	if declared <= max_body.saturating_mul(OVERSIZE_DRAIN_FACTOR) {
		use futures::StreamExt;
		let mut body = request.into_body().into_data_stream();
		let _ = tokio::time::timeout(OVERSIZE_DRAIN_TIME, async { while let Some(Ok(_)) = body.next().await {} }).await;
	}
	Refused::new(413, "BodyTooLarge", format!("the body is {declared} bytes; this vault takes at most {max_body}"))
		.into_response()
}

async fn openapi() -> impl IntoResponse {
	([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn not_found(uri: Uri) -> Refused {
	Refused::new(404, "NoSuchPath", format!("{} is not part of this API (see /openapi.json)", uri.path()))
}

async fn status(State(api): State<Arc<Api>>) -> Result<Json<serde_json::Value>, Refused> {
	let vault = &api.vault;
	Ok(Json(serde_json::json!({
		"account": vault.account.ss58(),
		"organisation": vault.organisation,
		"store": vault.store.url(),
		"chainTime": vault.chain_time.load(std::sync::atomic::Ordering::Acquire),
		"unloggedReleases": vault.ledger.unlogged_count()?,
	})))
}

fn caller(api: &Api, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<[u8; 32], Refused> {
	let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
	let header = |name: &'static str| headers.get(name).and_then(|v| v.to_str().ok());
	if let Some(time) = header(healthchain_client::request::TIME_HEADER).and_then(|t| t.parse::<u64>().ok()) {
		if time < api.started_ms {
			return Err(Refused::new(401, "SignedBeforeStart", "the request was signed before the vault started: sign it again"));
		}
	}
	api.verifier
		.verify(method.as_str(), path, body, header, now_ms())
		.map_err(|e| Refused::new(401, "BadSignature", e.to_string()))
}

async fn upload(
	State(api): State<Arc<Api>>,
	Path(content_hash): Path<String>,
	method: Method,
	uri: Uri,
	headers: HeaderMap,
	body: Bytes,
) -> Result<(StatusCode, Json<crate::custody::Accepted>), Refused> {
	let writer = caller(&api, &method, &uri, &headers, &body)?;
	let hash: [u8; 32] = hex::decode(content_hash.trim_start_matches("0x"))
		.ok()
		.and_then(|h| h.try_into().ok())
		.ok_or_else(|| Refused::new(400, "BadContentHash", "the path's content hash is not 32 bytes of hex"))?;
	let request: UploadRequest = serde_json::from_slice(&body)
		.map_err(|e| Refused::new(400, "BadBody", format!("the body is not an upload: {e}")))?;
	let accepted = api.vault.upload(writer, hash, request).await?;
	Ok((StatusCode::CREATED, Json(accepted)))
}

#[derive(serde::Deserialize)]
struct ReadQuery {
	purpose: Option<String>,
	/// A research read: the participant (SS58) whose research access it is made under.
	participant: Option<String>,
	/// The patient's binding of the participant, 64 bytes of hex.
	binding: Option<String>,
}

async fn read_record(
	State(api): State<Arc<Api>>,
	Path(record): Path<String>,
	query: axum::extract::Query<ReadQuery>,
	method: Method,
	uri: Uri,
	headers: HeaderMap,
	body: Bytes,
) -> Result<Json<crate::custody::Released>, Refused> {
	let reader = caller(&api, &method, &uri, &headers, &body)?;
	let record: u64 = record.parse().map_err(|_| Refused::new(400, "BadRecord", "the record id is not a number"))?;
	if let Some(participant) = &query.participant {
		let participant = healthchain_client::keys::parse_account(participant)
			.ok_or_else(|| Refused::new(400, "BadParticipant", "participant is not an SS58 account"))?;
		let binding = query
			.binding
			.as_deref()
			.map(|text| {
				hex::decode(text.trim_start_matches("0x"))
					.ok()
					.and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
					.ok_or_else(|| Refused::new(400, "BadBinding", "binding is not 64 bytes of hex"))
			})
			.transpose()?;
		return Ok(Json(api.vault.release_for_research(reader, record, participant, binding).await?));
	}
	let purpose = query.purpose.as_deref().unwrap_or("Treatment");
	Ok(Json(api.vault.release(reader, record, purpose).await?))
}
