//! The store against a real PostgreSQL server (started here in a scratch directory): a fork
//! the chain leaves, finality, resuming, storing twice, and the audit view. The follower
//! against a real node is tested end to end in `tests/e2e/indexer.test.js`.

use healthchain_indexer::store::{IndexedBlock, IndexedEvent, Store, StoredBlock};
use serde_json::json;
use std::{
	path::{Path, PathBuf},
	process::Command,
};

/// A PostgreSQL server of its own, stopped and removed when dropped.
struct Postgres {
	dir: PathBuf,
	bin: PathBuf,
	port: u16,
}

/// Runs a PostgreSQL tool, as the `postgres` user when this runs as root (initdb refuses root).
fn pg_tool(bin: &Path, tool: &str, args: &[&str]) -> std::process::Output {
	let program = bin.join(tool);
	let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
	let mut command = if root {
		let mut c = Command::new("runuser");
		c.args(["-u", "postgres", "--"]).arg(&program);
		c
	} else {
		Command::new(&program)
	};
	command.args(args).output().unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

impl Postgres {
	fn start() -> Self {
		let bin = std::env::var_os("HEALTHCHAIN_PG_BIN").map(PathBuf::from).unwrap_or_else(|| {
			let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
				.expect("PostgreSQL is installed (scripts/test installs it)")
				.map(|e| e.unwrap().path().join("bin"))
				.collect();
			versions.sort();
			versions.pop().expect("a PostgreSQL version")
		});
		let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
		let dir = std::env::temp_dir().join(format!("hc-indexer-pg-{}-{port}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		if Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false) {
			assert!(Command::new("chown").args(["postgres:postgres"]).arg(&dir).status().unwrap().success());
		}
		let data = dir.join("data");
		let out = pg_tool(&bin, "initdb", &["-D", data.to_str().unwrap(), "-U", "healthchain", "--auth=trust"]);
		assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
		let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", dir.display());
		let out = pg_tool(&bin, "pg_ctl", &["-D", data.to_str().unwrap(), "-o", &options, "-w", "-l", dir.join("log").to_str().unwrap(), "start"]);
		assert!(out.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&out.stderr));
		Self { dir, bin, port }
	}

	fn url(&self) -> String {
		format!("host=127.0.0.1 port={} user=healthchain dbname=postgres", self.port)
	}
}

impl Drop for Postgres {
	fn drop(&mut self) {
		let data = self.dir.join("data");
		pg_tool(&self.bin, "pg_ctl", &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"]);
		let _ = std::fs::remove_dir_all(&self.dir);
	}
}

fn block(tag: u8, number: u64, parent: [u8; 32], events: Vec<IndexedEvent>) -> IndexedBlock {
	IndexedBlock { hash: [tag; 32], number, parent, time_ms: Some(1_700_000_000_000 + number * 2000), events }
}

fn access(index: u32, patient: &str, record: u64) -> IndexedEvent {
	IndexedEvent {
		index,
		extrinsic: Some(1),
		pallet: "HealthRecords".into(),
		name: "RecordAccessed".into(),
		fields: json!({ "patient": patient, "record": record, "accessor": "5Accessor", "authority": { "Grant": null },
			"purpose": "Treatment", "emergency": null, "entry": 0, "released_by": "5Vault" }),
	}
}

async fn accesses(store: &Store, patient: &str) -> Vec<(i64, bool)> {
	store
		.client()
		.query("SELECT record, finalized FROM record_accesses WHERE patient = $1 ORDER BY block_number", &[&patient])
		.await
		.unwrap()
		.iter()
		.map(|row| (row.get(0), row.get(1)))
		.collect()
}

#[tokio::test]
async fn forks_finality_resuming_and_the_audit_view() {
	let postgres = Postgres::start();
	let mut store = Store::connect(&postgres.url()).await.unwrap();
	assert_eq!(store.last_finalized().await.unwrap(), None, "an empty history");

	// #0 finalized; #1 and #2 on the best fork, each with a read of the patient's records.
	let genesis = block(0, 0, [0xff; 32], vec![]);
	store.insert(&genesis, true).await.unwrap();
	let a1 = block(0xa1, 1, genesis.hash, vec![access(0, "5Patient", 10)]);
	let a2 = block(0xa2, 2, a1.hash, vec![access(0, "5Patient", 20)]);
	store.insert(&a1, false).await.unwrap();
	store.insert(&a2, false).await.unwrap();
	store.set_best(&[a1.hash, a2.hash], 0).await.unwrap();
	assert_eq!(accesses(&store, "5Patient").await, vec![(10, false), (20, false)]);

	// The node reorganises: #2 is now b2 (with another read), on top of a1.
	let b2 = block(0xb2, 2, a1.hash, vec![access(0, "5Patient", 30)]);
	store.insert(&b2, false).await.unwrap();
	store.set_best(&[b2.hash], 1).await.unwrap();
	assert_eq!(accesses(&store, "5Patient").await, vec![(10, false), (30, false)], "a2 left the chain");
	assert_eq!(store.stored(&a2.hash).await.unwrap(), Some(StoredBlock { canonical: false, parent: a1.hash }));

	// Finality reaches b2: a2 and its events go.
	assert!(store.mark_finalized(&a1.hash).await.unwrap());
	assert!(store.mark_finalized(&b2.hash).await.unwrap());
	assert_eq!(store.prune_forks(2).await.unwrap(), 1);
	assert_eq!(store.stored(&a2.hash).await.unwrap(), None);
	assert_eq!(accesses(&store, "5Patient").await, vec![(10, true), (30, true)]);
	let events: i64 = store.client().query_one("SELECT count(*) FROM events", &[]).await.unwrap().get(0);
	assert_eq!(events, 2, "a2's event was deleted with it");

	// Resuming: a new connection (after a crash) starts after the last finalized block, and a
	// block stored twice keeps one copy of its events.
	drop(store);
	let mut store = Store::connect(&postgres.url()).await.unwrap();
	assert_eq!(store.last_finalized().await.unwrap(), Some((2, b2.hash)));
	store.insert(&b2, true).await.unwrap();
	assert_eq!(accesses(&store, "5Patient").await, vec![(10, true), (30, true)]);

	// A shorter best fork above finality: everything above it leaves the chain.
	let c3 = block(0xc3, 3, b2.hash, vec![access(0, "5Patient", 40)]);
	let c4 = block(0xc4, 4, c3.hash, vec![access(0, "5Other", 50)]);
	store.insert(&c3, false).await.unwrap();
	store.insert(&c4, false).await.unwrap();
	store.set_best(&[c3.hash, c4.hash], 2).await.unwrap();
	let d3 = block(0xd3, 3, b2.hash, vec![]);
	store.insert(&d3, false).await.unwrap();
	store.set_best(&[d3.hash], 2).await.unwrap();
	assert_eq!(accesses(&store, "5Patient").await, vec![(10, true), (30, true)]);
	assert_eq!(accesses(&store, "5Other").await, vec![]);

	// The time of each read, from its block.
	let time: f64 = store
		.client()
		.query_one("SELECT extract(epoch FROM time)::float8 FROM record_accesses WHERE record = 30", &[])
		.await
		.unwrap()
		.get(0);
	assert_eq!(time, 1_700_000_004.0);
	// By party, through the JSON index's operator.
	let named: i64 = store
		.client()
		.query_one("SELECT count(*) FROM chain_events WHERE fields @> '{\"patient\": \"5Patient\"}'", &[])
		.await
		.unwrap()
		.get(0);
	assert_eq!(named, 2);
}

#[tokio::test]
async fn an_unreachable_database_is_an_error_not_a_panic() {
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let result = Store::connect(&format!("host=127.0.0.1 port={port} user=nobody dbname=none connect_timeout=2")).await;
	assert!(result.is_err());
}
