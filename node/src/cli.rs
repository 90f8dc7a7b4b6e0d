//! The command line.

use crate::consensus::Consensus;

/// The HealthChain node.
#[derive(Debug, clap::Parser)]
#[command(propagate_version = true, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Cli {
	/// A command other than running the node.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Running the node.
	#[clap(flatten)]
	pub run: RunCmd,
}

/// Running the node: Substrate's flags plus the choice of consensus engine.
#[derive(Debug, clap::Args)]
pub struct RunCmd {
	/// The standard Substrate node flags.
	#[clap(flatten)]
	pub base: sc_cli::RunCmd,

	/// Consensus engine: `aura` (Aura with GRANDPA finality; the default for every chain but
	/// dev), `instant-seal` (a block per transaction, finalized at once; the default with
	/// `--dev`) or `manual-seal-<ms>` (a block every <ms> milliseconds, finalized at once).
	#[arg(long, value_name = "ENGINE", value_parser = clap::value_parser!(Consensus))]
	pub consensus: Option<Consensus>,

	/// Serve light clients (patients' portals) beside the consortium's nodes: a designated
	/// public node. Peers off the chain's allow-list may connect and have block headers and
	/// finality justifications (and state proofs), never block bodies. Give it a WebSocket
	/// listen address (`--listen-addr /ip4/0.0.0.0/tcp/30334/ws`) for browsers.
	#[arg(long)]
	pub serve_light_clients: bool,
}

/// Commands other than running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys, and node keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated: use `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification, to edit it or to start other nodes with it.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Build a consortium's chain specification from its founding members' public files.
	ConsortiumSpec(crate::consortium::ConsortiumSpecCmd),

	/// Validate blocks.
	CheckBlock(ChainOpsCmd<sc_cli::CheckBlockCmd>),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(ChainOpsCmd<sc_cli::ImportBlocksCmd>),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(ChainOpsCmd<sc_cli::RevertCmd>),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Benchmark the runtime, with the node's own copy of polkadot-sdk's benchmarking CLI (no
	/// separate tool to install).
	#[command(subcommand)]
	Benchmark(BenchmarkSubcommand),
}

/// What to benchmark.
#[derive(Debug, clap::Subcommand)]
pub enum BenchmarkSubcommand {
	/// Each call of a pallet, in a runtime built with `runtime-benchmarks`: give it with
	/// `--runtime <wasm>` and `--genesis-builder-preset development` (`scripts/benchmark` does).
	Pallet(frame_benchmarking_cli::PalletCmd),
	/// The weight of an empty block and of an extrinsic's base, measured on this machine:
	/// writes `block_weights.rs` and `extrinsic_weights.rs` (`scripts/benchmark --machine`).
	Overhead(frame_benchmarking_cli::OverheadCmd),
	/// How this machine compares with Substrate's reference hardware (CPU, memory, disk).
	Machine(frame_benchmarking_cli::MachineCmd),
	/// The cost of a storage read and write on this machine's ParityDB, over the state of a
	/// chain in `--base-path`: writes `DbWeight`. Needs the node built with
	/// `--features runtime-benchmarks` (the database is opened only in such a build).
	#[cfg(feature = "runtime-benchmarks")]
	Storage(frame_benchmarking_cli::StorageCmd),
	/// Refuses: this node was built without `runtime-benchmarks`, so it cannot open the
	/// database for the storage benchmark.
	#[cfg(not(feature = "runtime-benchmarks"))]
	#[command(disable_help_flag = true)]
	Storage(StorageUnavailable),
}

/// Whatever `benchmark storage` was given, in a node that cannot run it.
#[cfg(not(feature = "runtime-benchmarks"))]
#[derive(Debug, clap::Args)]
pub struct StorageUnavailable {
	/// Ignored.
	#[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
	pub ignored: Vec<String>,
}

/// A chain operation that imports or reverts blocks, which needs to know the chain's engine.
#[derive(Debug, clap::Args)]
pub struct ChainOpsCmd<C: clap::Args> {
	/// The command itself.
	#[clap(flatten)]
	pub cmd: C,

	/// The chain's consensus engine, when not its default (see `--consensus` of the node).
	#[arg(long, value_name = "ENGINE", value_parser = clap::value_parser!(Consensus))]
	pub consensus: Option<Consensus>,
}
