//! `healthchain-vault`: the custodian an organisation runs beside its node.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use clap::Parser;
use healthchain_client::{chain::Chain, keys::KeyFile, request::Verifier};
use healthchain_vault::{api, custody::Vault, ledger::Ledger, store::Store};

/// Holds an organisation's health records off chain and releases them under the chain's permits.
#[derive(Parser, Debug)]
#[command(name = "healthchain-vault", version)]
struct Args {
	/// The organisation's node (WebSocket JSON-RPC).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// The vault's key file (`healthchain key new`): its account, registered on chain with
	/// `register_vault`, signs the access log and erasure confirmations.
	#[arg(long)]
	key_file: PathBuf,
	/// The organisation's encryption key, whose public half is its profile's `encryption_key`
	/// on chain: a key file, or a PEM X25519 private key (a consortium member's
	/// `secrets/encryption.pem`); the vault's own key file if not given.
	#[arg(long)]
	organisation_key_file: Option<PathBuf>,
	/// Where ciphertext and keys go: a `file://` directory, or `s3://bucket[/prefix]`.
	/// Default: `file://<data-dir>/objects`.
	#[arg(long)]
	store: Option<String>,
	/// An option of the object store, `key=value` (for S3: `aws_endpoint`,
	/// `aws_access_key_id`, `aws_secret_access_key`, `aws_region`, `aws_allow_http`).
	#[arg(long = "store-option", value_parser = parse_option)]
	store_options: Vec<(String, String)>,
	/// The vault's own database and default object directory.
	#[arg(long)]
	data_dir: PathBuf,
	/// Where the HTTP API listens.
	#[arg(long, default_value = "127.0.0.1:8700")]
	listen: SocketAddr,
	/// How long (seconds of chain time) an upload waits for its record on chain.
	#[arg(long, default_value_t = 3600)]
	pending_ttl: u64,
	/// The largest upload body, in bytes.
	#[arg(long, default_value_t = 16 * 1024 * 1024)]
	max_upload: usize,
	/// Serve the patient and clinician portal built in this directory (`portal/dist`) at
	/// `/portal/`.
	#[arg(long)]
	portal: Option<std::path::PathBuf>,
	/// The node the portal's page follows, as browsers reach it; `--node` if not given.
	#[arg(long)]
	portal_node: Option<String>,
}

fn parse_option(text: &str) -> Result<(String, String), String> {
	text.split_once('=')
		.map(|(k, v)| (k.to_string(), v.to_string()))
		.ok_or_else(|| format!("{text} is not key=value"))
}

#[tokio::main]
async fn main() -> ExitCode {
	match run(Args::parse()).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(reason) => {
			eprintln!("healthchain-vault: {reason}");
			ExitCode::FAILURE
		},
	}
}

async fn run(args: Args) -> Result<(), String> {
	let account = KeyFile::load(&args.key_file).map_err(|e| format!("{}: {e}", args.key_file.display()))?;
	let organisation_key_file = args.organisation_key_file.as_ref().unwrap_or(&args.key_file);
	let organisation_key = healthchain_client::keys::load_encryption_secret(organisation_key_file)
		.map_err(|e| format!("{}: {e}", organisation_key_file.display()))?;
	std::fs::create_dir_all(&args.data_dir).map_err(|e| format!("{}: {e}", args.data_dir.display()))?;
	let store_url = match args.store {
		Some(url) => url,
		None => {
			let dir = args.data_dir.canonicalize().map_err(|e| e.to_string())?.join("objects");
			url::Url::from_directory_path(&dir).map_err(|()| format!("{} is not a path", dir.display()))?.to_string()
		},
	};
	let store = Store::open(&store_url, &args.store_options).map_err(|e| e.to_string())?;
	let ledger = Ledger::open(&args.data_dir.join("ledger.redb")).map_err(|e| e.to_string())?;
	let chain = Chain::connect(&args.node).await.map_err(|e| e.to_string())?;
	let organisation = chain
		.vault_organisation(account.account_id())
		.await
		.map_err(|e| e.to_string())?
		.ok_or_else(|| {
			format!("{} is no organisation's vault on chain: its admin registers it with register_vault", account.ss58())
		})?;
	let on_chain = chain.organisation_key(organisation).await.map_err(|e| e.to_string())?;
	if on_chain != Some(organisation_key.public()) {
		return Err(format!(
			"organisation {organisation}'s encryption key on chain is not this vault's organisation key: \
			 set it with update_organisation, or pass --organisation-key-file"
		));
	}
	let started_ms = healthchain_client::request::now_ms();
	let vault = Vault::new(chain, account, organisation_key, organisation, store, ledger, args.pending_ttl * 1000);
	vault.reconcile().await.map_err(|e| format!("catching up with the chain: {}", e.reason))?;

	// The logger: journalled releases go on chain in batches, and again after any failure.
	let logger = vault.clone();
	tokio::spawn(async move {
		loop {
			if let Err(e) = logger.log_journalled().await {
				eprintln!("healthchain-vault: logging releases: {}: {}", e.error, e.reason);
				tokio::time::sleep(Duration::from_secs(2)).await;
				continue;
			}
			let _ = tokio::time::timeout(Duration::from_secs(5), logger.journalled.notified()).await;
		}
	});

	// The block tracker: read permits are asked at the newest finalized block it has heard of.
	// It does nothing else, so that it is never behind while the follower below waits on an
	// erasure's confirmation.
	let tracker = vault.clone();
	tokio::spawn(async move {
		loop {
			match tracker.chain.api().stream_blocks().await {
				Ok(mut blocks) => {
					while let Some(Ok(block)) = blocks.next().await {
						match block.at().await {
							Ok(at) => tracker.finalized_block(at),
							Err(_) => break,
						}
					}
				},
				Err(e) => eprintln!("healthchain-vault: tracking finalized blocks: {e}"),
			}
			tracker.forget_finalized_block();
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
	});

	// The follower: finalized blocks anchor uploads, erase records and move the chain's clock.
	let follower = vault.clone();
	tokio::spawn(async move {
		loop {
			let mut blocks = match follower.chain.api().stream_blocks().await {
				Ok(blocks) => blocks,
				Err(e) => {
					eprintln!("healthchain-vault: following finalized blocks: {e}");
					tokio::time::sleep(Duration::from_secs(2)).await;
					continue;
				},
			};
			while let Some(block) = blocks.next().await {
				let outcome = match block {
					Ok(block) => match block.at().await {
						Ok(at) => follower.follow_block(&at).await.map_err(|e| format!("{}: {}", e.error, e.reason)),
						Err(e) => Err(e.to_string()),
					},
					Err(e) => Err(e.to_string()),
				};
				if let Err(reason) = outcome {
					eprintln!("healthchain-vault: following a finalized block: {reason}");
					// Whatever a missed block carried, the reconciliation finds it.
					if let Err(e) = follower.reconcile().await {
						eprintln!("healthchain-vault: reconciling: {}", e.reason);
					}
				}
			}
		}
	});

	let portal = args
		.portal
		.as_deref()
		.map(|dir| {
			healthchain_vault::portal::Portal::new(dir, args.portal_node.clone().unwrap_or_else(|| args.node.clone()), organisation)
		})
		.transpose()?;
	let api = Arc::new(api::Api { verifier: Verifier::new(vault.account.account_id()), vault: vault.clone(), started_ms });
	let listener = tokio::net::TcpListener::bind(args.listen).await.map_err(|e| format!("{}: {e}", args.listen))?;
	println!(
		"healthchain-vault: organisation {organisation}'s vault {} listening on http://{} (store {})",
		vault.account.ss58(),
		listener.local_addr().map_err(|e| e.to_string())?,
		vault.store.url()
	);
	// Answers go out as soon as they are written: without TCP_NODELAY a response written in two
	// parts waits on the reader's delayed acknowledgement (40 ms on Linux).
	let listener = axum::serve::ListenerExt::tap_io(listener, |connection| {
		let _ = connection.set_nodelay(true);
	});
	axum::serve(listener, api::router(api, args.max_upload, portal))
		.with_graceful_shutdown(async {
			let _ = tokio::signal::ctrl_c().await;
		})
		.await
		.map_err(|e| e.to_string())
}
