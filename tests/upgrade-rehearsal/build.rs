//! Builds the HealthChain runtime to wasm with the `upgrade-rehearsal` feature: the same code,
//! its spec_version one higher, as the next release of a runtime would be.
fn main() {
	#[cfg(feature = "std")]
	{
		share_the_runtimes_wasm_target();
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-rehearsal")
			.build();
	}
}

/// The wasm builder gives each runtime a cargo target directory of its own
/// (`<profile>/wbuild/<crate>/target`). This one differs from the runtime's only in the
/// rehearsal crate and the runtime crate itself, so it builds in the runtime's target and
/// reuses every dependency: on a cold machine that is one wasm build of the whole dependency
/// tree instead of two (cargo's lock makes the two builds take turns). A target directory that
/// an earlier build left in place is kept as it is.
#[cfg(all(feature = "std", unix))]
fn share_the_runtimes_wasm_target() {
	use std::{env, fs, os::unix::fs::symlink, path::PathBuf};
	let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
	// OUT_DIR is <profile>/build/<crate>-<hash>/out; the wasm builder works in <profile>/wbuild.
	let Some(profile_dir) = out_dir.ancestors().find(|dir| dir.ends_with("build")).and_then(|dir| dir.parent())
	else {
		return;
	};
	let wbuild = profile_dir.join("wbuild");
	let shared = wbuild.join("healthchain-runtime").join("target");
	let own = wbuild.join(env::var("CARGO_PKG_NAME").expect("cargo sets CARGO_PKG_NAME")).join("target");
	if fs::symlink_metadata(&own).is_ok() {
		return;
	}
	fs::create_dir_all(&shared).expect("creates the runtime's wasm target directory");
	fs::create_dir_all(own.parent().expect("a project directory")).expect("creates the rehearsal's wasm project directory");
	symlink(&shared, &own).expect("links the rehearsal's wasm target to the runtime's");
}

#[cfg(all(feature = "std", not(unix)))]
fn share_the_runtimes_wasm_target() {}
