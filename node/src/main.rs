//! `healthchain-node`: the HealthChain node binary.

fn main() {
	// Errors are for the operator to read: print them plainly, not as a debug dump.
	if let Err(error) = healthchain_node::command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
