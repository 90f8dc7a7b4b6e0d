//! `healthchain-node`: the HealthChain node binary.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod consensus;
mod consortium;
mod rpc;
mod service;

fn main() {
	// Errors are for the operator to read: print them plainly, not as a debug dump.
	if let Err(error) = command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
