//! The patient and clinician portal (`portal/`), served by the vault as a static bundle at
//! `/portal/`, with `/portal/config.json` telling the page which node to follow and, if the
//! operator put a chain spec beside the bundle, which its light client starts from. The page
//! holds its user's keys: it is served with a content security policy that lets it run only
//! its own script, so that nothing injected into a record's text can run in it.

use std::path::{Path, PathBuf};

use axum::{
	extract::{Path as UrlPath, State},
	http::{header, HeaderValue, StatusCode},
	response::{IntoResponse, Redirect, Response},
	routing::get,
	Json, Router,
};

use crate::custody::Refused;

/// What the page may load and connect to: its own files, WebAssembly (the sr25519 signer),
/// the node's WebSocket and any organisation's vault.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
	connect-src 'self' ws: wss: http: https:; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The built portal and what its page is told.
#[derive(Clone)]
pub struct Portal {
	/// The built bundle (`portal/dist`).
	pub dir: PathBuf,
	/// The node the page follows (WebSocket JSON-RPC, as the browser reaches it).
	pub node: String,
	/// This vault's organisation.
	pub organisation: u32,
}

impl Portal {
	/// Checks that `dir` holds a built portal.
	pub fn new(dir: &Path, node: String, organisation: u32) -> Result<Self, String> {
		if !dir.join("index.html").is_file() {
			return Err(format!("{}: no index.html (build the portal: npm run build in portal/)", dir.display()));
		}
		Ok(Self { dir: dir.to_path_buf(), node, organisation })
	}
}

/// The portal's routes, merged into the API's router (whatever its state).
pub fn routes<S: Clone + Send + Sync + 'static>(portal: Portal) -> Router<S> {
	Router::new()
		.route("/", get(|| async { Redirect::to("/portal/") }))
		.route("/portal", get(|| async { Redirect::to("/portal/") }))
		.route("/portal/", get(index))
		.route("/portal/config.json", get(config))
		.route("/portal/{file}", get(file))
		.with_state(portal)
}

async fn index(State(portal): State<Portal>) -> Response {
	serve(&portal, "index.html").await
}

/// The chain spec a light client in the page starts from, when the operator put one beside the
/// portal: the page then verifies what it shows instead of trusting the node.
const CHAIN_SPEC: &str = "chain-spec.json";

async fn config(State(portal): State<Portal>) -> Json<serde_json::Value> {
	let chain_spec = tokio::fs::try_exists(portal.dir.join(CHAIN_SPEC)).await.unwrap_or(false).then_some(CHAIN_SPEC);
	Json(serde_json::json!({ "node": portal.node, "organisation": portal.organisation, "chainSpec": chain_spec }))
}

async fn file(State(portal): State<Portal>, UrlPath(name): UrlPath<String>) -> Response {
	serve(&portal, &name).await
}

fn content_type(name: &str) -> Option<&'static str> {
	Some(match name.rsplit_once('.')?.1 {
		"html" => "text/html; charset=utf-8",
		"js" => "text/javascript; charset=utf-8",
		"css" => "text/css; charset=utf-8",
		"map" | "json" => "application/json",
		"txt" => "text/plain; charset=utf-8",
		"png" => "image/png",
		"svg" => "image/svg+xml",
		_ => return None,
	})
}

async fn serve(portal: &Portal, name: &str) -> Response {
	// The bundle is flat: a name with a separator or a leading dot is never one of its files.
	let plain = !name.is_empty() &&
		!name.starts_with('.') &&
		name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
	let (Some(kind), true) = (content_type(name), plain) else {
		return Refused::new(404, "NoSuchPath", format!("/portal/{name} is not part of the portal")).into_response();
	};
	match tokio::fs::read(portal.dir.join(name)).await {
		Ok(body) => (
			StatusCode::OK,
			[
				(header::CONTENT_TYPE, HeaderValue::from_static(kind)),
				(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
				(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
				(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
				(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
			],
			body,
		)
			.into_response(),
		Err(e) if e.kind() == std::io::ErrorKind::NotFound =>
			Refused::new(404, "NoSuchPath", format!("/portal/{name} is not part of the portal")).into_response(),
		Err(e) => Refused::new(500, "PortalUnreadable", format!("the portal's {name} cannot be read: {e}")).into_response(),
	}
}

/// Lets a portal served by another organisation's vault call this one: requests are
/// authenticated by their signatures, never by cookies, so any origin may send them.
pub async fn cors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
	let preflight = request.method() == axum::http::Method::OPTIONS;
	let mut response = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(request).await };
	let headers = response.headers_mut();
	headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
	if preflight {
		headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, PUT"));
		headers.insert(
			header::ACCESS_CONTROL_ALLOW_HEADERS,
			HeaderValue::from_static(
				"content-type, x-healthchain-account, x-healthchain-time, x-healthchain-nonce, x-healthchain-signature",
			),
		);
		headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
	}
	response
}
