//! The `healthchain-vault` binary refuses to start, with one line and a non-zero exit, when
//! its key file or its node is not there. Building these tests also builds the binaries the
//! end-to-end tests and `scripts/vault-benchmark` run, with the workspace's features.

use std::process::Command;

const VAULT: &str = env!("CARGO_BIN_EXE_healthchain-vault");

fn scratch(name: &str) -> std::path::PathBuf {
	let dir = std::env::temp_dir().join(format!("hc-vault-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

/// Runs the vault with `args`, expects exit code 1 and one line on stderr, and returns it.
fn refused(args: &[&str]) -> String {
	let out = Command::new(VAULT).args(args).output().unwrap();
	assert_eq!(out.status.code(), Some(1));
	let stderr = String::from_utf8(out.stderr).unwrap();
	assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
	stderr
}

#[test]
fn a_missing_key_file_and_an_unreachable_node_stop_it_with_one_line() {
	let dir = scratch("startup");
	let data = dir.join("data");
	let stderr = refused(&["--key-file", "/nonexistent/vault.json", "--data-dir", data.to_str().unwrap()]);
	assert!(stderr.starts_with("healthchain-vault: /nonexistent/vault.json"), "{stderr}");

	let key = dir.join("vault.json");
	healthchain_client::keys::KeyFile::save(&healthchain_client::keys::Keys::generate(), &key).unwrap();
	let stderr = refused(&[
		"--key-file",
		key.to_str().unwrap(),
		"--data-dir",
		data.to_str().unwrap(),
		"--node",
		"ws://127.0.0.1:1",
	]);
	assert!(stderr.contains("127.0.0.1:1"), "the node it could not reach: {stderr}");
	std::fs::remove_dir_all(&dir).unwrap();
}
