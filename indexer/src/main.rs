//! `healthchain-indexer`: follows a node into PostgreSQL (see the crate's documentation).

use clap::Parser;
use healthchain_client::chain::Chain;
use healthchain_indexer::{follow, store::Store};
use std::process::ExitCode;

/// Follows a HealthChain node and keeps every event in PostgreSQL.
#[derive(Parser)]
#[command(version)]
struct Args {
	/// The node to follow (its RPC): a member's RPC node, an archive one to index the past.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// The database, as a libpq connection string (`postgres://indexer@127.0.0.1/healthchain`
	/// or `host=/run/postgresql dbname=healthchain`).
	#[arg(long, env = "HEALTHCHAIN_INDEXER_DATABASE")]
	database: String,
}

#[tokio::main]
async fn main() -> ExitCode {
	env_logger_init();
	let args = Args::parse();
	let mut store = match Store::connect(&args.database).await {
		Ok(store) => store,
		Err(error) => {
			eprintln!("healthchain-indexer: cannot open the database: {error}");
			return ExitCode::from(1);
		},
	};
	let chain = match Chain::connect(&args.node).await {
		Ok(chain) => chain,
		Err(error) => {
			eprintln!("healthchain-indexer: {error}");
			return ExitCode::from(1);
		},
	};
	match follow::run(&chain, &mut store).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("healthchain-indexer: {error}");
			ExitCode::from(1)
		},
	}
}

/// Progress lines on standard error, as `RUST_LOG` asks (info by default).
fn env_logger_init() {
	struct Stderr(log::LevelFilter);
	impl log::Log for Stderr {
		fn enabled(&self, metadata: &log::Metadata) -> bool {
			metadata.level() <= self.0
		}
		fn log(&self, record: &log::Record) {
			if self.enabled(record.metadata()) && record.target().starts_with("healthchain") {
				eprintln!("{} {}", record.level(), record.args());
			}
		}
		fn flush(&self) {}
	}
	let level = match std::env::var("RUST_LOG").as_deref() {
		Ok("debug") => log::LevelFilter::Debug,
		Ok("warn") => log::LevelFilter::Warn,
		_ => log::LevelFilter::Info,
	};
	let logger: &'static Stderr = Box::leak(Box::new(Stderr(level)));
	if log::set_logger(logger).is_ok() {
		log::set_max_level(level);
	}
}
