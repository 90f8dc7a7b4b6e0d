//! Genesis presets: named starting states that `chain-spec-builder`, the node's `dev` and
//! `local` chains, and an operator's own chain spec are built from.
//!
//! - `development`: one authority (Alice), for a single dev node.
//! - `local_testnet`: four authorities (Alice, Bob, Charlie, Dave), for a loopback network.
//!
//! Both endow the well-known development accounts and make Alice the sudo key.

use crate::{AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed development account starts with: one million HCT.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// A genesis state with the given authorities, endowed accounts and sudo key.
pub fn healthchain_genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.into_iter().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a well-known development account.
fn authority_keys((aura, grandpa): (Sr25519Keyring, Ed25519Keyring)) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The well-known development accounts that presets endow (not `One` and `Two`, which are
/// kept as accounts known to be empty).
fn endowed_dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| !matches!(k, Sr25519Keyring::One | Sr25519Keyring::Two))
		.map(|k| k.to_account_id())
		.collect()
}

/// The `development` preset: one authority, Alice.
pub fn development_config_genesis() -> Value {
	healthchain_genesis(
		vec![authority_keys((Sr25519Keyring::Alice, Ed25519Keyring::Alice))],
		endowed_dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset: four authorities, Alice, Bob, Charlie and Dave.
pub fn local_config_genesis() -> Value {
	healthchain_genesis(
		[
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		]
		.into_iter()
			.map(authority_keys)
			.collect(),
		endowed_dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("a serde_json::Value always serializes; qed")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
