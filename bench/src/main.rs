//! # healthchain-bench
//!
//! A load generator: it prepares its senders through the chain's own calls, pre-signs `--count`
//! transactions of one hot path from `--senders` accounts, submits them over `--connections`
//! WebSocket connections per node, and reports what the chain did with them:
//!
//! | figure | how it is measured |
//! | --- | --- |
//! | pool acceptance | `author_submitExtrinsic` answers: accepted per second, rejections by reason |
//! | included per second | included transactions over the chain's own clock (`Timestamp::now`) from the block before the first that held one to the last |
//! | per-block counts, fullness | each best block's body (its transactions matched by hash), `System::BlockWeight` (normal class) against the normal class's `max_total`, the body's length against `BlockLength`'s normal limit |
//! | time to inclusion, to finality | from each transaction's submission to the first best block, and to the first finalized block, holding it (p50, p99) |
//! | finality lag | at each new best head, how many blocks the last finalized head trails it (the most over the run) |
//! | the node's CPU and memory | `/proc/<--node-pid>`: CPU time over the run as a share of one core (average and peak second), peak resident memory |
//!
//! Without `--rate` the transactions go as a burst, as fast as the pools take them; with
//! `--rate N` they are paced at N a second over every connection together, for a sustained run.
//!
//! The transfer path signs `balances.transferKeepAlive` with the chain's own metadata (dynamic
//! calls), so the same run works against any Substrate node with the standard transaction
//! extensions (`scripts/bench-throughput --template`). The commission path
//! (`drugProvenance.commissionSerials`, `--batch` serials a call) needs HealthChain's
//! development chain: its manufacturer's admin adds the senders to its staff first. So does
//! the custodian's batched log (`healthRecords.logReleases`, `--batch` reads a call): its one
//! sender becomes the hospital's vault, and logs reads of a record the patient adds. The
//! monitoring path (`remoteMonitoring.anchorBatch`) makes each sender a device the hospital's
//! care staff registers and the patient consents to, anchoring its batches period after period.
//! The custody paths (`drugProvenance.shipUnits`, `receiveUnits`) move cases of a stock the
//! manufacturer commissions first; dispensing (`prescriptions.dispensePrescription`) fills one
//! prescription a call from a stock the pharmacy received; claims
//! (`insuranceClaims.submitClaim`) each file a claim document the preparation added. Exit
//! status: 0 when every transaction sent was included, dispatched without error (no
//! `System::ExtrinsicFailed`) and finalized, 1 when some were not (or the preparation could not
//! make what the run needs), 2 for bad arguments, 3 when a node is unreachable.
//!
//! ```text
//! healthchain-bench --url ws://127.0.0.1:9944 --path transfer --count 16000 --senders 100 --node-pid 1234
//! ```

#![deny(missing_docs)]

mod measure;
mod paths;
mod proc_stats;

use std::{
	collections::{HashMap, HashSet},
	process::ExitCode,
	sync::Arc,
	time::{Duration, Instant},
};

use clap::Parser;
use futures::StreamExt;
use serde_json::json;
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	rpcs::{rpc_params, RpcClient},
	OnlineClient, SubstrateConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::{
	measure::{percentile, BlockWatcher, Limits},
	paths::HotPath,
};

/// Pre-signed transactions of one hot path, submitted over several connections, measured.
#[derive(Parser, Debug)]
#[command(name = "healthchain-bench", version)]
struct Args {
	/// A node's WebSocket address; repeat to spread submissions over several nodes (the first
	/// prepares the senders and is watched).
	#[arg(long = "url", default_value = "ws://127.0.0.1:9944")]
	urls: Vec<String>,
	/// The hot path.
	#[arg(long, value_enum, default_value_t = HotPath::Transfer)]
	path: HotPath,
	/// Transactions to pre-sign and submit.
	#[arg(long, default_value_t = 16_000)]
	count: usize,
	/// Distinct senders; each signs its share with consecutive nonces.
	#[arg(long, default_value_t = 100)]
	senders: usize,
	/// Submission connections per node.
	#[arg(long, default_value_t = 4)]
	connections: usize,
	/// Senders submitting at once on each connection (each sender's transactions go one after
	/// the other, in nonce order).
	#[arg(long, default_value_t = 64)]
	in_flight: usize,
	/// Submissions a second over every connection together, for a sustained run of
	/// `--count / --rate` seconds; 0 submits as fast as the pools take them (a burst).
	#[arg(long, default_value_t = 0)]
	rate: u64,
	/// The development account that funds the senders (its secret URI).
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Serials each commissioning call carries (`--path commission`), at most the chain's
	/// `drugProvenance.maxCommissionBatch`; reads each log carries (`--path log-releases`), at
	/// most `healthRecords.maxReleasesPerLog`.
	#[arg(long, default_value_t = 100)]
	batch: usize,
	/// The organisation that commissions (`--path commission`): the development chain's
	/// manufacturer.
	#[arg(long, default_value_t = 3)]
	manufacturer: u32,
	/// Its admin's secret URI, who registers the product and adds the senders to its staff.
	#[arg(long, default_value = "//Alice//stash")]
	manufacturer_admin: String,
	/// The organisation that authorises the senders as trading partners (`--path
	/// commission`): the development chain's regulator.
	#[arg(long, default_value_t = 0)]
	regulator: u32,
	/// Its admin's secret URI.
	#[arg(long, default_value = "//Alice")]
	regulator_admin: String,
	/// The organisation whose vault logs the reads (`--path log-releases`): the development
	/// chain's hospital.
	#[arg(long, default_value_t = 1)]
	hospital: u32,
	/// Its admin's secret URI, who registers the sender as its vault.
	#[arg(long, default_value = "//Bob")]
	hospital_admin: String,
	/// The patient whose record is read (`--path log-releases`) and who wears the devices
	/// (`--path anchor-batch`): its secret URI.
	#[arg(long, default_value = "//Ferdie")]
	patient: String,
	/// A practitioner or nurse of the hospital, who registers the devices (`--path
	/// anchor-batch`): its secret URI.
	#[arg(long, default_value = "//Charlie")]
	care_staff: String,
	/// The organisation units are shipped to (`--path ship`, `--path receive`): the
	/// development chain's distributor.
	#[arg(long, default_value_t = 4)]
	distributor: u32,
	/// Its admin's secret URI, who adds the senders to its logistics staff (`--path receive`).
	#[arg(long, default_value = "//Bob//stash")]
	distributor_admin: String,
	/// The pharmacy that dispenses (`--path dispense`): the development chain's pharmacy.
	#[arg(long, default_value_t = 2)]
	pharmacy: u32,
	/// Its admin's secret URI, who receives the stock and adds the senders as pharmacists.
	#[arg(long, default_value = "//Eve")]
	pharmacy_admin: String,
	/// A licensed practitioner, who issues the prescriptions filled (`--path dispense`).
	#[arg(long, default_value = "//Charlie")]
	prescriber: String,
	/// The insurer that covers the patient (`--path submit-claim`): the development chain's
	/// insurer.
	#[arg(long, default_value_t = 5)]
	insurer: u32,
	/// Its admin's secret URI, a claims officer of it, who registers the patient's coverage.
	#[arg(long, default_value = "//Charlie//stash")]
	insurer_admin: String,
	/// A claims officer of the hospital, who files the claim documents (`--path
	/// submit-claim`).
	#[arg(long, default_value = "//Bob")]
	claims_officer: String,
	/// The node's process id, to sample its CPU and memory.
	#[arg(long)]
	node_pid: Option<u32>,
	/// How long to wait for every transaction to be finalized, in seconds.
	#[arg(long, default_value_t = 600)]
	timeout: u64,
	/// One JSON object instead of the text report.
	#[arg(long)]
	json: bool,
}

/// Why a run stopped early, with its exit status.
#[derive(Debug)]
enum Failure {
	BadInput(String),
	Unreachable(String),
	Chain(String),
}

impl Failure {
	fn status(&self) -> u8 {
		match self {
			Failure::Chain(_) => 1,
			Failure::BadInput(_) => 2,
			Failure::Unreachable(_) => 3,
		}
	}
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Failure::BadInput(why) | Failure::Unreachable(why) | Failure::Chain(why) => f.write_str(why),
		}
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	let args = Args::parse();
	match run(args).await {
		Ok(true) => ExitCode::SUCCESS,
		Ok(false) => ExitCode::from(1),
		Err(failure) => {
			eprintln!("healthchain-bench: {failure}");
			ExitCode::from(failure.status())
		},
	}
}

/// A pre-signed transaction: its hash, its bytes (hex, as `author_submitExtrinsic` takes them).
struct Signed {
	hash: [u8; 32],
	hex: String,
}

/// What the submitters saw of one transaction.
struct Submitted {
	hash: [u8; 32],
	/// When it was sent.
	at: Instant,
	refused: Option<String>,
}

async fn run(args: Args) -> Result<bool, Failure> {
	if args.count > u32::MAX as usize {
		return Err(Failure::BadInput(format!("--count ({}) is more than {}", args.count, u32::MAX)));
	}
	if args.count == 0 || args.senders == 0 || args.connections == 0 || args.in_flight == 0 {
		return Err(Failure::BadInput("--count, --senders, --connections and --in-flight must be at least 1".into()));
	}
	if args.batch == 0 {
		return Err(Failure::BadInput("--batch must be at least 1".into()));
	}
	if let Some(most) = args.path.most_senders().filter(|most| args.senders > *most) {
		return Err(Failure::BadInput(format!("--path {} signs as one custodian's vault: --senders must be at most {most}", args.path)));
	}
	if args.senders > args.count {
		return Err(Failure::BadInput(format!("--senders ({}) is more than --count ({})", args.senders, args.count)));
	}
	let funder_uri: SecretUri = args.funder.parse().map_err(|e| Failure::BadInput(format!("--funder: {e}")))?;
	let funder = Keypair::from_uri(&funder_uri).map_err(|e| Failure::BadInput(format!("--funder: {e}")))?;
	let key = |flag: &str, uri: &str| -> Result<Keypair, Failure> {
		let uri: SecretUri = uri.parse().map_err(|e| Failure::BadInput(format!("{flag}: {e}")))?;
		Keypair::from_uri(&uri).map_err(|e| Failure::BadInput(format!("{flag}: {e}")))
	};
	let parties = paths::Parties {
		manufacturer: paths::Organisation { id: args.manufacturer, admin: key("--manufacturer-admin", &args.manufacturer_admin)? },
		regulator: paths::Organisation { id: args.regulator, admin: key("--regulator-admin", &args.regulator_admin)? },
		hospital: paths::Organisation { id: args.hospital, admin: key("--hospital-admin", &args.hospital_admin)? },
		patient: key("--patient", &args.patient)?,
		care_staff: key("--care-staff", &args.care_staff)?,
		distributor: paths::Organisation { id: args.distributor, admin: key("--distributor-admin", &args.distributor_admin)? },
		pharmacy: paths::Organisation { id: args.pharmacy, admin: key("--pharmacy-admin", &args.pharmacy_admin)? },
		insurer: paths::Organisation { id: args.insurer, admin: key("--insurer-admin", &args.insurer_admin)? },
		prescriber: key("--prescriber", &args.prescriber)?,
		claims_officer: key("--claims-officer", &args.claims_officer)?,
	};

	let url = &args.urls[0];
	let rpc = connect(url).await?;
	let backend = subxt::backend::LegacyBackend::<SubstrateConfig>::builder().build(rpc.clone());
	let api = OnlineClient::<SubstrateConfig>::from_backend(Arc::new(backend))
		.await
		.map_err(|e| Failure::Unreachable(format!("{url}: {e}")))?;
	let limits = Limits::read(&api).await?;

	// The senders, derived from the funder's URI, funded by it for their share and its fees;
	// each domain path's its own, since the role a sender plays for one organisation on one
	// path (a nurse) stands in the way of another (an organisation adds a member once).
	let path = args.path;
	let senders: Vec<Keypair> = (0..args.senders)
		.map(|i| {
			let derivation = if path == HotPath::Transfer { format!("//bench//{i}") } else { format!("//bench//{path}//{i}") };
			let uri: SecretUri = format!("{}{derivation}", args.funder).parse().expect("a derivation of a valid URI");
			Keypair::from_uri(&uri).expect("a derivation of a valid key")
		})
		.collect();
	let per_sender = args.count.div_ceil(args.senders);
	eprintln!("preparing {} senders for {} transactions of {path}", senders.len(), args.count);
	let prepared = path.prepare(&api, &rpc, &funder, &senders, per_sender, args.batch, &parties).await?;

	// Pre-signed, each sender's with consecutive nonces.
	let started_signing = Instant::now();
	let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
	let mut by_sender: Vec<Vec<Signed>> = Vec::with_capacity(senders.len());
	for (i, sender) in senders.iter().enumerate() {
		let nonce = at
			.transactions()
			.account_nonce(&sender.public_key().into())
			.await
			.map_err(|e| Failure::Chain(format!("a sender's nonce: {e}")))?;
		// The first `count % senders` senders sign one more, so that `count` are signed in all.
		let share = args.count / args.senders + usize::from(i < args.count % args.senders);
		let mut txs = Vec::with_capacity(share);
		for round in 0..share {
			let call = path.call(&prepared, &senders, i, round);
			let params = DefaultExtrinsicParamsBuilder::<SubstrateConfig>::new().nonce(nonce + round as u64).build();
			let tx = at
				.transactions()
				.create_signable_offline(&call, params)
				.and_then(|mut signable| signable.sign(sender))
				.map_err(|e| Failure::Chain(format!("signing {path}: {e}")))?;
			txs.push(Signed { hash: tx.hash().0, hex: format!("0x{}", hex::encode(tx.encoded())) });
		}
		by_sender.push(txs);
	}
	let count: usize = by_sender.iter().map(Vec::len).sum();
	eprintln!("signed {count} transactions in {:.1} s", started_signing.elapsed().as_secs_f64());

	// The watcher sees every block from before the first submission.
	let wanted: HashSet<[u8; 32]> = by_sender.iter().flatten().map(|s| s.hash).collect();
	let watcher = BlockWatcher::start(&api, url, wanted, limits).await?;
	let sampler = args.node_pid.map(proc_stats::Sampler::start);

	// Submission: every node, several connections each; on each connection, up to `in_flight`
	// senders at once, each sender's transactions one after the other in nonce order (a
	// transaction that reached the pool before its predecessor would wait in the pool's small
	// future queue, and one dropped there strands every later one of its sender).
	let lane_count = args.urls.len() * args.connections;
	let mut lanes: Vec<Vec<Vec<Signed>>> = (0..lane_count).map(|_| Vec::new()).collect();
	for (i, txs) in by_sender.into_iter().enumerate() {
		lanes[i % lane_count].push(txs);
	}
	let mut clients = Vec::with_capacity(lane_count);
	for lane in 0..lane_count {
		clients.push(connect(&args.urls[lane / args.connections]).await?);
	}
	// Under `--rate`, the k-th submission of the run (whichever lane makes it) waits until
	// k / rate seconds after the start.
	let pace = (args.rate > 0).then(|| Duration::from_secs_f64(1.0 / args.rate as f64));
	let tickets = Arc::new(std::sync::atomic::AtomicU32::new(0));
	let started = Instant::now();
	let mut tasks = Vec::new();
	for (senders_txs, client) in lanes.into_iter().zip(clients) {
		let in_flight = args.in_flight;
		let tickets = tickets.clone();
		tasks.push(tokio::spawn(async move {
			futures::stream::iter(senders_txs)
				.map(|txs| {
					let client = client.clone();
					let tickets = tickets.clone();
					async move {
						let mut done = Vec::with_capacity(txs.len());
						for tx in txs {
							if let Some(pace) = pace {
								let k = tickets.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
								tokio::time::sleep_until((started + pace * k).into()).await;
							}
							let at = Instant::now();
							let answer: Result<String, _> = client.request("author_submitExtrinsic", rpc_params![tx.hex]).await;
							done.push(Submitted { hash: tx.hash, at, refused: answer.err().map(|e| e.to_string()) });
						}
						done
					}
				})
				.buffer_unordered(in_flight)
				.collect::<Vec<_>>()
				.await
				.into_iter()
				.flatten()
				.collect::<Vec<_>>()
		}));
	}
	let mut submitted = Vec::with_capacity(count);
	for task in tasks {
		submitted.extend(task.await.map_err(|e| Failure::Chain(format!("a submitter stopped: {e}")))?);
	}
	let submitting = started.elapsed();
	let mut refusals: HashMap<String, usize> = HashMap::new();
	for s in submitted.iter().filter_map(|s| s.refused.as_ref()) {
		*refusals.entry(s.clone()).or_default() += 1;
	}
	let accepted: Vec<&Submitted> = submitted.iter().filter(|s| s.refused.is_none()).collect();
	eprintln!(
		"submitted {} in {:.1} s: {} accepted, {} refused",
		submitted.len(),
		submitting.as_secs_f64(),
		accepted.len(),
		submitted.len() - accepted.len()
	);

	// Until everything accepted is finalized, or the timeout.
	let deadline = started + Duration::from_secs(args.timeout);
	let seen = watcher.wait_for(accepted.len(), deadline).await;
	let node = sampler.map(|s| s.stop());

	let to_inclusion: Vec<f64> = accepted
		.iter()
		.filter_map(|s| seen.included.get(&s.hash).map(|(at, _)| at.saturating_duration_since(s.at).as_secs_f64() * 1e3))
		.collect();
	let to_finality: Vec<f64> = accepted
		.iter()
		.filter_map(|s| seen.finalized.get(&s.hash).map(|at| at.saturating_duration_since(s.at).as_secs_f64() * 1e3))
		.collect();
	let included = to_inclusion.len();
	let finalized = to_finality.len();
	let mut failures: HashMap<&str, usize> = HashMap::new();
	for why in seen.failed.values() {
		*failures.entry(why).or_default() += 1;
	}
	let failed = seen.failed.len();
	let rate = seen.included_per_second();
	let report = json!({
		"path": path.to_string(),
		"node": url,
		"sent": submitted.len(),
		"accepted": accepted.len(),
		"refused": refusals,
		"accepted_per_second": accepted.len() as f64 / submitting.as_secs_f64(),
		"submission_seconds": submitting.as_secs_f64(),
		"included": included,
		// Included but failed in dispatch: their fee paid, nothing else done.
		"failed": failed,
		"failures": failures,
		"finalized": finalized,
		"included_per_second": rate,
		// What each transaction carries: serials for commissioning, one transfer otherwise.
		"units_per_transaction": path.units(args.batch),
		"included_units_per_second": rate * path.units(args.batch) as f64,
		"rate_asked": args.rate,
		"finality_lag_max_blocks": seen.finality_lag_max,
		"blocks": seen.blocks_json(),
		"inclusion_ms": { "p50": percentile(&to_inclusion, 50.0), "p99": percentile(&to_inclusion, 99.0) },
		"finality_ms": { "p50": percentile(&to_finality, 50.0), "p99": percentile(&to_finality, 99.0) },
		"node_process": node.map(|n| n.to_json()),
	});
	if args.json {
		println!("{report}");
	} else {
		print_text(&report, &seen);
	}
	Ok(included == submitted.len() && finalized == submitted.len() && failed == 0)
}

/// A JSON-RPC connection to a node.
async fn connect(url: &str) -> Result<RpcClient, Failure> {
	RpcClient::from_insecure_url(url).await.map_err(|e| Failure::Unreachable(format!("{url}: {e}")))
}

fn print_text(report: &serde_json::Value, seen: &measure::Seen) {
	let r = report;
	println!("path {} against {}", r["path"].as_str().unwrap_or_default(), r["node"].as_str().unwrap_or_default());
	println!(
		"sent {}, accepted {} in {:.1} s ({:.0}/s), refused {}",
		r["sent"], r["accepted"], r["submission_seconds"].as_f64().unwrap_or_default(),
		r["accepted_per_second"].as_f64().unwrap_or_default(), r["refused"]
	);
	println!(
		"included {}, finalized {}; {:.0} included per second of chain time ({:.0} units, {} a transaction)",
		r["included"], r["finalized"], r["included_per_second"].as_f64().unwrap_or_default(),
		r["included_units_per_second"].as_f64().unwrap_or_default(), r["units_per_transaction"]
	);
	if r["failed"].as_u64().unwrap_or_default() > 0 {
		println!("failed in dispatch {} (included, fee paid, nothing done): {}", r["failed"], r["failures"]);
	}
	println!("finality at most {} blocks behind the best block", r["finality_lag_max_blocks"]);
	for line in seen.block_lines() {
		println!("  {line}");
	}
	println!(
		"time to inclusion p50 {:.0} ms, p99 {:.0} ms; to finality p50 {:.0} ms, p99 {:.0} ms",
		r["inclusion_ms"]["p50"].as_f64().unwrap_or(f64::NAN),
		r["inclusion_ms"]["p99"].as_f64().unwrap_or(f64::NAN),
		r["finality_ms"]["p50"].as_f64().unwrap_or(f64::NAN),
		r["finality_ms"]["p99"].as_f64().unwrap_or(f64::NAN)
	);
	if let Some(node) = r["node_process"].as_object() {
		println!(
			"node: CPU {:.0} % of a core on average, {:.0} % at the busiest second; memory peak {} MiB",
			node["cpu_average_percent"].as_f64().unwrap_or_default(),
			node["cpu_peak_percent"].as_f64().unwrap_or_default(),
			node["rss_peak_mib"]
		);
	}
}
