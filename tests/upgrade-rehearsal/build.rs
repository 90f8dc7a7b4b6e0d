//! Builds the HealthChain runtime to wasm with the `upgrade-rehearsal` feature: the same code,
//! its spec_version one higher, as the next release of a runtime would be.
fn main() {
	#[cfg(feature = "std")]
	substrate_wasm_builder::WasmBuilder::init_with_defaults().enable_feature("upgrade-rehearsal").build();
}
