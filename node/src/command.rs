//! Dispatches the command line to the node or to one of its subcommands.

use crate::{
	chain_spec,
	cli::{BenchmarkSubcommand, ChainOpsCmd, Cli, Subcommand},
	consensus::Consensus,
	service::ChainOps,
};
use healthchain_runtime::opaque::Block;
use sc_cli::{CliConfiguration, SubstrateCli};
use sc_service::Configuration;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"HealthChain Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/healthchain/healthchain/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id)
	}
}

/// The engine a chain operation uses: the one given, or the chain's default.
fn engine_for(chosen: Option<Consensus>, config: &Configuration) -> Consensus {
	chosen.unwrap_or_else(|| Consensus::default_for(&*config.chain_spec))
}

/// Runs a chain operation that imports or reverts blocks with the engine's import queue.
fn run_chain_ops<'a, C, F, Fut>(cli: &Cli, ops: &'a ChainOpsCmd<C>, run: F) -> sc_cli::Result<()>
where
	C: clap::Args + CliConfiguration,
	F: FnOnce(&'a C, ChainOps) -> Fut,
	Fut: std::future::Future<Output = sc_cli::Result<()>>,
{
	let runner = cli.create_runner(&ops.cmd)?;
	runner.async_run(|config| {
		let (chain_ops, task_manager) = engine_for(ops.consensus, &config).chain_ops(&config)?;
		Ok((run(&ops.cmd, chain_ops), task_manager))
	})
}

/// Parses the command line as [`SubstrateCli::from_args`] does, with one default of HealthChain's
/// own: the single-state transaction pool unless `--pool-type` is given. Measured here
/// (`scripts/bench-throughput`, a burst of 16,000 transfers) sc-cli's fork-aware default
/// included 13,096 and dropped the rest without a word to their senders, the single-state pool
/// included all 16,000 at the same rate. A custodian's log of reads must not vanish from a pool.
fn parse_command_line() -> Cli {
	use clap::{parser::ValueSource, CommandFactory, FromArgMatches};
	let command = Cli::setup_command(Cli::command());
	let matches = command.try_get_matches_from(std::env::args_os()).unwrap_or_else(|e| e.exit());
	let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
	if matches.value_source("pool_type") != Some(ValueSource::CommandLine) {
		cli.run.base.pool_config.pool_type = sc_cli::TransactionPoolType::SingleState;
	}
	cli
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let cli = parse_command_line();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let spec = cli.load_spec(&cmd.chain)?;
			cmd.run(spec)
		},
		Some(Subcommand::ConsortiumSpec(cmd)) => Ok(cmd.run()?),
		Some(Subcommand::CheckBlock(ops)) => run_chain_ops(&cli, ops, |cmd, parts| async move {
			cmd.run(parts.client, parts.import_queue).await
		}),
		Some(Subcommand::ImportBlocks(ops)) => run_chain_ops(&cli, ops, |cmd, parts| async move {
			cmd.run(parts.client, parts.import_queue).await
		}),
		Some(Subcommand::Revert(ops)) => run_chain_ops(&cli, ops, |cmd, parts| async move {
			let revert_aux = parts.revert_aux;
			cmd.run(
				parts.client,
				parts.backend,
				Some(Box::new(move |client, _, blocks| Ok(revert_aux(client, blocks)?))),
			)
			.await
		}),
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let (ChainOps { client, .. }, task_manager) =
					engine_for(None, &config).chain_ops(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let (ChainOps { client, .. }, task_manager) =
					engine_for(None, &config).chain_ops(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		Some(Subcommand::Benchmark(BenchmarkSubcommand::Pallet(cmd))) => {
			let runner = cli.create_runner(cmd)?;
			// The runtime needs no host functions beyond Substrate's own.
			runner.sync_run(|config| {
				cmd.run_with_spec::<sp_runtime::traits::BlakeTwo256, ()>(Some(config.chain_spec))
			})
		},
		Some(Subcommand::Benchmark(BenchmarkSubcommand::Overhead(cmd))) => {
			let runner = cli.create_runner(cmd)?;
			// The extrinsic it times is `System::remark`, built from the runtime's metadata.
			runner.sync_run(|config| {
				cmd.run_with_default_builder_and_spec::<Block, ()>(Some(config.chain_spec))
			})
		},
		Some(Subcommand::Benchmark(BenchmarkSubcommand::Machine(cmd))) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				cmd.run(&config, frame_benchmarking_cli::SUBSTRATE_REFERENCE_HARDWARE.clone())
			})
		},
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(BenchmarkSubcommand::Storage(cmd))) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let (ChainOps { client, backend, .. }, _tasks) =
					engine_for(None, &config).chain_ops(&config)?;
				let db = backend.expose_db();
				let storage = backend.expose_storage();
				let trie_cache = backend.expose_shared_trie_cache();
				cmd.run(config, client, db, storage, trie_cache)
			})
		},
		#[cfg(not(feature = "runtime-benchmarks"))]
		Some(Subcommand::Benchmark(BenchmarkSubcommand::Storage(_))) =>
			Err("benchmark storage: this node was built without runtime-benchmarks; \
			     build it with `cargo build --release -p healthchain-node --features \
			     runtime-benchmarks` (in its own target directory), or run `scripts/benchmark \
			     --database`, which does and fills a chain to measure"
				.into()),
		None => {
			let runner = cli.create_runner(&cli.run.base)?;
			let chosen = cli.run.consensus;
			let strangers = if cli.run.serve_light_clients {
				crate::permissioning::Strangers::LightClients
			} else {
				crate::permissioning::Strangers::Refused
			};
			// The chain's allow-list is the node's own task (`permissioning`), whatever
			// `--offchain-worker` says.
			runner.run_node_until_exit(|config| async move {
				let engine = engine_for(chosen, &config);
				log::info!("⚙️  Consensus engine: {engine}");
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p =>
						engine.run::<sc_network::NetworkWorker<Block, <Block as sp_runtime::traits::Block>::Hash>>(config, strangers),
					sc_network::config::NetworkBackendType::Litep2p =>
						engine.run::<sc_network::Litep2pNetworkBackend>(config, strangers),
				}
				.map_err(sc_cli::Error::Service)
			})
		},
	}
}
