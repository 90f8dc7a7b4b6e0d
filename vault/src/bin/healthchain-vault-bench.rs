//! `healthchain-vault-bench`: the vault's write and read paths under load, as
//! `scripts/vault-benchmark` runs it against a dev node and a real vault.
//!
//! Writes: records of the given size put by the patient (seal, upload, `add_record` until
//! finalized), one after another. Reads: signed `GET /v1/records/{id}` by a practitioner with a
//! grant, from `--concurrency` tasks at once, each answer checked and its key unwrapped; the
//! vault checks the chain's permit, journals and logs each read. Prints one JSON line.

use std::{path::PathBuf, sync::Arc, time::Instant};

use clap::Parser;
use healthchain_client::{
	chain::{Authority, Chain},
	keys::KeyFile,
	records,
};

#[derive(Parser, Debug)]
struct Args {
	/// The dev node.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// The patient's key file (writes its own records).
	#[arg(long)]
	patient_key_file: PathBuf,
	/// The reader's key file (a practitioner with a read grant).
	#[arg(long)]
	reader_key_file: PathBuf,
	/// The custodian organisation.
	#[arg(long)]
	custodian: u32,
	/// Each record's size in bytes (of the FHIR document).
	#[arg(long)]
	size: usize,
	/// How many records to write.
	#[arg(long, default_value_t = 20)]
	records: usize,
	/// How many reads in all.
	#[arg(long, default_value_t = 1000)]
	reads: usize,
	/// How many readers at once: one run per value (`1,10,100`).
	#[arg(long, value_delimiter = ',', default_value = "10")]
	concurrency: Vec<usize>,
}

fn document(size: usize, n: usize) -> Vec<u8> {
	let head = format!(r#"{{"resourceType":"Observation","status":"final","id":"bench-{n}","note":[{{"text":""#);
	let tail = r#""}]}"#;
	let filler = size.saturating_sub(head.len() + tail.len());
	let mut doc = head.into_bytes();
	doc.extend(std::iter::repeat_n(b'x', filler));
	doc.extend_from_slice(tail.as_bytes());
	doc
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	if sorted.is_empty() {
		return 0.0;
	}
	let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
	sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> Result<(), String> {
	let args = Args::parse();
	let patient = KeyFile::load(&args.patient_key_file).map_err(|e| e.to_string())?;
	let reader = Arc::new(KeyFile::load(&args.reader_key_file).map_err(|e| e.to_string())?);
	let chain = Chain::connect(&args.node).await.map_err(|e| e.to_string())?;

	let started = Instant::now();
	let mut ids = Vec::new();
	for n in 0..args.records {
		let put = records::put(&chain, &patient, patient.account_id(), args.custodian, Authority::PatientOrGuardian, &document(args.size, n))
			.await
			.map_err(|e| e.to_string())?;
		ids.push(put.record);
	}
	let write_seconds = started.elapsed().as_secs_f64();

	let (vault, endpoint) = chain.vault(args.custodian).await.map_err(|e| e.to_string())?.ok_or("no vault")?;
	let ids = Arc::new(ids);
	for &concurrency in &args.concurrency {
	let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
	let started = Instant::now();
	let mut tasks = Vec::new();
	for _ in 0..concurrency {
		let (reader, ids, next, endpoint) = (reader.clone(), ids.clone(), next.clone(), endpoint.clone());
		let total = args.reads;
		tasks.push(tokio::spawn(async move {
			let mut latencies = Vec::new();
			loop {
				let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
				if n >= total {
					return Ok::<_, String>(latencies);
				}
				let record = ids[n % ids.len()];
				let begun = Instant::now();
				let answer = records::vault_request(
					&reader,
					&vault,
					&endpoint,
					records::Method::GET,
					&format!("/v1/records/{record}?purpose=Treatment"),
					Vec::new(),
				)
				.await
				.map_err(|e| e.to_string())?;
				latencies.push(begun.elapsed().as_secs_f64() * 1000.0);
				if answer.get("ciphertext").and_then(|c| c.as_str()).is_none_or(str::is_empty) {
					return Err(format!("record {record}: no ciphertext in the answer"));
				}
			}
		}));
	}
	let mut latencies = Vec::new();
	for task in tasks {
		latencies.extend(task.await.map_err(|e| e.to_string())??);
	}
	let read_seconds = started.elapsed().as_secs_f64();
	latencies.sort_by(|a, b| a.total_cmp(b));
	println!(
		"{}",
		serde_json::json!({
			"size": args.size,
			"concurrency": concurrency,
			"writes": args.records,
			"writesPerSecond": args.records as f64 / write_seconds,
			"reads": latencies.len(),
			"readsPerSecond": latencies.len() as f64 / read_seconds,
			"p50Ms": percentile(&latencies, 50.0),
			"p99Ms": percentile(&latencies, 99.0),
		})
	);
	}
	Ok(())
}
