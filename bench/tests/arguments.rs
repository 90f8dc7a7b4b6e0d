//! Bad input and an unreachable node are refused with their exit status and one line, before
//! anything is signed. (The generator's runs against a node are end-to-end tests:
//! `tests/e2e/bench.test.js`.)

use std::process::Command;

fn bench(args: &[&str]) -> (i32, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_healthchain-bench")).args(args).output().expect("the binary runs");
	(out.status.code().expect("an exit status"), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn counts_of_zero_and_more_senders_than_transactions_are_bad_input() {
	let (status, stderr) = bench(&["--count", "0"]);
	assert_eq!(status, 2);
	assert_eq!(stderr.trim(), "healthchain-bench: --count, --senders, --connections and --in-flight must be at least 1");
	let (status, stderr) = bench(&["--count", "10", "--senders", "11"]);
	assert_eq!(status, 2);
	assert_eq!(stderr.trim(), "healthchain-bench: --senders (11) is more than --count (10)");
	let (status, stderr) = bench(&["--funder", "not a uri//"]);
	assert_eq!(status, 2);
	assert!(stderr.starts_with("healthchain-bench: --funder: "), "{stderr}");
}

#[test]
fn an_unknown_path_is_refused_by_the_argument_parser() {
	let (status, stderr) = bench(&["--path", "teleport"]);
	assert_eq!(status, 2);
	assert!(stderr.contains("invalid value 'teleport' for '--path"), "{stderr}");
}

#[test]
fn an_unreachable_node_exits_3() {
	// Port 9 (discard) on loopback: nothing listens there.
	let (status, stderr) = bench(&["--url", "ws://127.0.0.1:9"]);
	assert_eq!(status, 3);
	assert!(stderr.starts_with("healthchain-bench: ws://127.0.0.1:9: "), "{stderr}");
	assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}
