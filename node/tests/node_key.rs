//! The `healthchain-node` binary's key subcommand gives the development node key 1 the peer id
//! the README and `scripts/local-network` name as Alice's boot node. Building this test also
//! builds the node the end-to-end tests run, with the workspace's features (`scripts/test`).

use std::process::Command;

#[test]
fn development_node_key_1_is_alices_documented_peer_id() {
	let file = std::env::temp_dir().join(format!("hc-node-key-{}", std::process::id()));
	std::fs::write(&file, format!("{:064x}", 1)).unwrap();
	let out = Command::new(env!("CARGO_BIN_EXE_healthchain-node"))
		.args(["key", "inspect-node-key", "--file", file.to_str().unwrap()])
		.output()
		.unwrap();
	std::fs::remove_file(&file).unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp");
}
