#[cfg(feature = "std")]
mod token {
	include!("src/token.rs");
}

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash(token::TOKEN_SYMBOL, token::TOKEN_DECIMALS)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	let _ = (token::TOKEN_SYMBOL, token::TOKEN_DECIMALS);
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

// Building the runtime for wasm itself needs no build script.
#[cfg(not(feature = "std"))]
fn main() {}
