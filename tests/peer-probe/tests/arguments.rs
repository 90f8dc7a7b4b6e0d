//! The probe's boundary: bad arguments are refused with exit code 2 and one line, and a node
//! that is not there is reported as no connection (exit code 1). Building this test also builds
//! the binary the end-to-end tests run.

use std::process::Command;

fn probe(args: &[&str]) -> (i32, String, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_healthchain-peer-probe")).args(args).output().unwrap();
	(out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

const PEER: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const GENESIS: &str = "0x0101010101010101010101010101010101010101010101010101010101010101";

#[test]
fn bad_arguments_are_refused_with_a_reason() {
	for (args, reason) in [
		(vec!["--genesis", GENESIS], "--node is required"),
		(vec!["--node", "/ip4/127.0.0.1/tcp/1", "--genesis", GENESIS], "must end with /p2p/"),
		(vec!["--node", "nonsense", "--genesis", GENESIS], "not a multiaddr"),
		(vec!["--node", &format!("/ip4/127.0.0.1/tcp/1/p2p/{PEER}"), "--genesis", "0x12"], "32-byte hash"),
		(vec!["--frobnicate"], "unknown argument"),
	] {
		let (code, stdout, stderr) = probe(&args);
		assert_eq!(code, 2, "{args:?}: {stderr}");
		assert!(stderr.lines().next().unwrap().contains(reason), "{args:?}: {stderr}");
		assert!(stdout.is_empty());
	}
}

#[test]
fn a_node_that_is_not_there_is_no_connection() {
	// A port nothing listens on: bind one, note it, close it.
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let node = format!("/ip4/127.0.0.1/tcp/{port}/p2p/{PEER}");
	let (code, stdout, _) = probe(&["--node", &node, "--genesis", GENESIS, "--timeout-ms", "3000"]);
	assert_eq!(code, 1, "{stdout}");
	assert!(stdout.starts_with("{\"connected\":false,\"answered\":false,"), "{stdout}");
}
