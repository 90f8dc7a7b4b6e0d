//! Chain specifications: the built-in `dev` and `local` chains, and any chain-spec JSON file.
//!
//! Both built-in chains are built from the runtime's genesis presets; a consortium's own spec
//! is built from the same genesis builder with its members' keys by `healthchain-node
//! consortium-spec` ([`consortium`]); see the README.

use healthchain_runtime::{TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::{ChainType, Properties};
use std::path::Path;

/// A chain spec of this node: genesis plus no node-side extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Names the chain's p2p protocols, so that HealthChain nodes only talk to each other.
const PROTOCOL_ID: &str = "healthchain";

/// The SS58 address prefix that wallets should display: the generic Substrate one.
const SS58_FORMAT: u16 = 42;

/// Token symbol and decimals, and the address format, for wallets and polkadot.js.
pub fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_FORMAT.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"this node was built without its runtime wasm (SKIP_WASM_BUILD was set); rebuild it \
		 without SKIP_WASM_BUILD"
			.to_string()
	})
}

/// `dev`: one authority (Alice), instant seal by default.
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("HealthChain Development")
		.with_id("dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_protocol_id(PROTOCOL_ID)
		.with_properties(properties())
		.build())
}

/// `local`: four authorities (Alice, Bob, Charlie, Dave) on one machine, Aura and GRANDPA.
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("HealthChain Local Testnet")
		.with_id("local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_protocol_id(PROTOCOL_ID)
		.with_properties(properties())
		.build())
}

/// A consortium's network: `genesis` (a patch of the runtime's genesis config, from
/// `healthchain_genesis`) with a name, an id and boot nodes.
pub fn consortium(
	name: &str,
	id: &str,
	genesis: serde_json::Value,
	boot_nodes: Vec<sc_network::config::MultiaddrWithPeerId>,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(ChainType::Live)
		.with_genesis_config_patch(genesis)
		.with_boot_nodes(boot_nodes)
		.with_protocol_id(PROTOCOL_ID)
		.with_properties(properties())
		.build())
}

/// A chain spec from a JSON file, with an error that says what went wrong and what is
/// accepted instead.
pub fn from_file(path: &Path) -> Result<ChainSpec, String> {
	if !path.is_file() {
		return Err(format!(
			"no chain spec '{}': it is neither a built-in chain (dev, local) nor a chain-spec \
			 JSON file",
			path.display()
		));
	}
	ChainSpec::from_json_file(path.to_path_buf()).map_err(|e| {
		format!(
			"chain-spec file '{}' is not a valid chain spec: {e}; export a valid one with \
			 `healthchain-node export-chain-spec --chain local`",
			path.display()
		)
	})
}

/// Resolves `--chain`: a built-in chain's name or a path to a JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development()?),
		"" | "local" => Box::new(local_testnet()?),
		path => Box::new(from_file(Path::new(path))?),
	})
}
