//! The HealthChain runtime as the next release: the same code with `spec_version` one higher,
//! for the end-to-end test in which the council upgrades a running network to it
//! (`tests/e2e/consortium.test.js`). Its wasm is at [`WASM_BINARY_PATH`] (in
//! `$CARGO_TARGET_DIR/release/wbuild/healthchain-upgrade-rehearsal/`).
//!
//! The feature `upgrade-rehearsal` is enabled only in the wasm build of this crate, never in
//! the native build that the node links, so the node's own runtime keeps its version.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// The runtime's exported entry points come from here.
pub use healthchain_runtime::*;
