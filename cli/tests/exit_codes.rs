//! The `healthchain` binary as scripts meet it: one line and exit 2 on bad input, exit 3 when
//! the node cannot be reached, key files made for their owner only. Building these tests also
//! builds the binary the end-to-end tests run, with the workspace's features (`scripts/test`).

use std::{os::unix::fs::PermissionsExt, path::PathBuf, process::Command};

const CLI: &str = env!("CARGO_BIN_EXE_healthchain");

fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("hc-cli-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

fn run(args: &[&str]) -> (i32, String, String) {
	let out = Command::new(CLI).args(args).env_remove("HEALTHCHAIN_NODE").env_remove("HEALTHCHAIN_KEY_FILE").output().unwrap();
	(
		out.status.code().expect("exited"),
		String::from_utf8(out.stdout).unwrap(),
		String::from_utf8(out.stderr).unwrap(),
	)
}

#[test]
fn a_new_key_file_is_its_owners_and_shows_the_well_known_account() {
	let dir = scratch("keys");
	let file = dir.join("alice.key");
	let (code, stdout, stderr) = run(&["--output", "json", "key", "new", "--phrase", "//Alice", "--out", file.to_str().unwrap()]);
	assert_eq!(code, 0, "{stderr}");
	let made: serde_json::Value = serde_json::from_str(&stdout).unwrap();
	assert_eq!(made["account"], "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
	assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
	// Never overwritten: exit 2, one line.
	let (code, _, stderr) = run(&["key", "new", "--phrase", "//Bob", "--out", file.to_str().unwrap()]);
	assert_eq!(code, 2);
	assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
	let (code, stdout, _) = run(&["--key-file", file.to_str().unwrap(), "--output", "json", "key", "show"]);
	assert_eq!(code, 0);
	assert_eq!(serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["account"], made["account"]);
	std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_exits_2_and_an_unreachable_node_3_each_with_one_line() {
	let dir = scratch("exits");
	let file = dir.join("ferdie.key");
	assert_eq!(run(&["key", "new", "--phrase", "//Ferdie", "--out", file.to_str().unwrap()]).0, 0);
	let key = file.to_str().unwrap();
	// No key file where one is named.
	let (code, stdout, stderr) = run(&["--key-file", "/nonexistent/key.json", "log"]);
	assert_eq!((code, stdout.as_str()), (2, ""));
	assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
	// Flags clap refuses: exit 2 as well.
	assert_eq!(run(&["grant", "org:1", "--types", "Observation", "--days", "1", "--minutes", "5"]).0, 2);
	// Nothing listens on port 1.
	let (code, stdout, stderr) = run(&["--node", "ws://127.0.0.1:1", "--key-file", key, "log"]);
	assert_eq!((code, stdout.as_str()), (3, ""), "{stderr}");
	assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
	std::fs::remove_dir_all(&dir).unwrap();
}
