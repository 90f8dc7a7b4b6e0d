//! `healthchain-node consortium-spec`: a consortium's own chain spec, built from the public
//! files of its founding members (written by `scripts/consortium-member`).
//!
//! Every founding member gets a council seat, an organisation of its kind in the identity
//! registry with its account as admin, an authorised node, an endowment to pay fees, and,
//! if its file names session keys, a place in the validator set. No sudo key.

use crate::chain_spec;
use healthchain_runtime::{
	genesis_config_presets::{healthchain_genesis, GenesisParams, GenesisValidator},
	AccountId, Balance, BlockNumber, UNIT,
};
use pallet_health_identity::{CredentialKind, GenesisOrganisation, OrganisationKind, Role};
use frame_support::traits::Get;
use sc_network::config::MultiaddrWithPeerId;
use serde::Deserialize;
use sp_core::{crypto::Ss58Codec, ed25519, sr25519};
use sp_runtime::traits::{BlakeTwo256, Hash};
use std::{collections::BTreeSet, path::PathBuf, str::FromStr};

/// Build a consortium's chain spec from its founding members' public files.
#[derive(Debug, clap::Args)]
pub struct ConsortiumSpecCmd {
	/// A founding member's public file (`member.json` from `scripts/consortium-member`); give
	/// one `--member` per organisation.
	#[arg(long = "member", value_name = "FILE", required = true)]
	pub members: Vec<PathBuf>,

	/// The network's name, as wallets show it.
	#[arg(long, default_value = "HealthChain Consortium")]
	pub name: String,

	/// The chain's id: nodes keep its data under `chains/<id>`.
	#[arg(long, default_value = "healthchain_consortium")]
	pub id: String,

	/// Blocks per session. A validator added or removed by governance takes effect from the
	/// second session boundary after the motion.
	#[arg(long, value_name = "BLOCKS", default_value_t = 600)]
	pub session_length: BlockNumber,

	/// The fewest validators governance may leave the network with. Below four, one
	/// organisation's validator can stall finality; lower it only knowingly.
	#[arg(long, value_name = "COUNT", default_value_t = healthchain_runtime::genesis_config_presets::CONSORTIUM_VALIDATOR_FLOOR)]
	pub min_validators: u32,

	/// Whole HCT that each member's account starts with, to pay transaction fees.
	#[arg(long, value_name = "HCT", default_value_t = 10_000)]
	pub endowment: u64,

	/// A boot node for the spec, as `/ip4/.../tcp/.../p2p/<peer id>`; may be repeated.
	#[arg(long = "bootnode", value_name = "MULTIADDR")]
	pub bootnodes: Vec<MultiaddrWithPeerId>,

	/// Write the raw spec (genesis storage as key-value pairs), which every node of the
	/// network should start from, so that they all agree on genesis whatever their version.
	#[arg(long)]
	pub raw: bool,

	/// Where to write the spec; standard output if not given.
	#[arg(long, value_name = "FILE")]
	pub output: Option<PathBuf>,
}

/// A founding member's public file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberFile {
	/// The organisation's name (only its hash goes on chain).
	pub organisation: String,
	/// Its kind: Hospital, Clinic, Pharmacy, Manufacturer, Distributor, Insurer,
	/// ResearchInstitute, EthicsBoard, Regulator or Laboratory.
	pub kind: OrganisationKind,
	/// Its account (SS58): council seat, organisation admin, validator and node owner.
	pub account: String,
	/// Its validator's Aura key (SS58, sr25519), if it runs a validator.
	#[serde(default)]
	pub aura: Option<String>,
	/// Its validator's GRANDPA key (SS58, ed25519), if it runs a validator.
	#[serde(default)]
	pub grandpa: Option<String>,
	/// Its node's peer id (`12D3KooW...`).
	pub peer_id: String,
	/// Its X25519 encryption public key, hex.
	pub encryption_key: String,
	/// Credential kinds it is accredited to issue (a regulator's, say).
	#[serde(default)]
	pub accredited_for: Vec<CredentialKind>,
}

/// A member, checked.
struct Member {
	organisation: String,
	kind: OrganisationKind,
	account: AccountId,
	session_keys: Option<(sr25519::Public, ed25519::Public)>,
	peer_id: Vec<u8>,
	encryption_key: [u8; 32],
	accredited_for: Vec<CredentialKind>,
}

fn parse_hex32(text: &str) -> Option<[u8; 32]> {
	let text = text.strip_prefix("0x").unwrap_or(text);
	if text.len() != 64 {
		return None;
	}
	let mut out = [0u8; 32];
	for (i, byte) in out.iter_mut().enumerate() {
		*byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
	}
	Some(out)
}

impl MemberFile {
	fn check(self) -> Result<Member, String> {
		let account = AccountId::from_ss58check(&self.account)
			.map_err(|e| format!("`account` '{}' is not an SS58 address: {e:?}", self.account))?;
		let session_keys = match (&self.aura, &self.grandpa) {
			(Some(aura), Some(grandpa)) => Some((
				sr25519::Public::from_ss58check(aura)
					.map_err(|e| format!("`aura` '{aura}' is not an SS58 sr25519 key: {e:?}"))?,
				ed25519::Public::from_ss58check(grandpa)
					.map_err(|e| format!("`grandpa` '{grandpa}' is not an SS58 ed25519 key: {e:?}"))?,
			)),
			(None, None) => None,
			_ => return Err("a validator needs both `aura` and `grandpa` keys (or neither for a member without one)".into()),
		};
		let peer_id = sc_network::PeerId::from_str(&self.peer_id)
			.map_err(|e| format!("`peerId` '{}' is not a peer id: {e}", self.peer_id))?
			.to_bytes();
		if pallet_consortium_network::parse_peer_id(&peer_id).is_none() {
			return Err(format!("`peerId` '{}' is not the peer id of an ed25519 node key", self.peer_id));
		}
		let encryption_key = parse_hex32(&self.encryption_key)
			.ok_or_else(|| format!("`encryptionKey` '{}' is not 32 bytes of hex", self.encryption_key))?;
		Ok(Member {
			organisation: self.organisation,
			kind: self.kind,
			account,
			session_keys,
			peer_id,
			encryption_key,
			accredited_for: self.accredited_for,
		})
	}
}

fn read_member(path: &PathBuf) -> Result<Member, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("member file '{}': {e}", path.display()))?;
	let file: MemberFile =
		serde_json::from_str(&text).map_err(|e| format!("member file '{}': {e}", path.display()))?;
	file.check().map_err(|e| format!("member file '{}': {e}", path.display()))
}

/// The genesis of a consortium of `members`.
fn genesis(members: &[Member], session_length: BlockNumber, min_validators: u32, endowment: Balance) -> serde_json::Value {
	let validators: Vec<GenesisValidator> = members
		.iter()
		.filter_map(|m| {
			m.session_keys.map(|(aura, grandpa)| (m.account.clone(), aura.into(), grandpa.into()))
		})
		.collect();
	let organisations = members
		.iter()
		.map(|m| GenesisOrganisation {
			kind: m.kind,
			admin: m.account.clone(),
			metadata_hash: BlakeTwo256::hash(m.organisation.as_bytes()),
			encryption_key: m.encryption_key,
			members: vec![(m.account.clone(), vec![Role::Admin])],
			accredited_for: m.accredited_for.clone(),
		})
		.collect();
	healthchain_genesis(GenesisParams {
		validators,
		session_length,
		min_validators,
		nodes: members.iter().map(|m| (m.peer_id.clone(), m.account.clone())).collect(),
		council: members.iter().map(|m| m.account.clone()).collect(),
		endowed: members.iter().map(|m| (m.account.clone(), endowment)).collect(),
		sudo: None,
		identity: pallet_health_identity::GenesisConfig {
			organisations,
			credentials: Vec::new(),
			patients: Vec::new(),
		},
	})
}

impl ConsortiumSpecCmd {
	/// Reads and checks the member files, builds the spec and writes it.
	pub fn run(&self) -> Result<(), String> {
		let members = self.members.iter().map(read_member).collect::<Result<Vec<_>, _>>()?;
		let distinct = |what: &str, keys: Vec<Vec<u8>>| {
			let count = keys.len();
			(keys.into_iter().collect::<BTreeSet<_>>().len() == count)
				.then_some(())
				.ok_or_else(|| format!("two members have the same {what}"))
		};
		distinct("account", members.iter().map(|m| AsRef::<[u8]>::as_ref(&m.account).to_vec()).collect())?;
		distinct("peer id", members.iter().map(|m| m.peer_id.clone()).collect())?;
		distinct(
			"Aura key",
			members.iter().filter_map(|m| m.session_keys.map(|(aura, _)| aura.0.to_vec())).collect(),
		)?;
		distinct(
			"GRANDPA key",
			members.iter().filter_map(|m| m.session_keys.map(|(_, grandpa)| grandpa.0.to_vec())).collect(),
		)?;
		if !members.iter().any(|m| m.session_keys.is_some()) {
			return Err("no member runs a validator (give `aura` and `grandpa` keys in at least one member file)".into());
		}
		let minimum = <healthchain_runtime::Runtime as pallet_consortium_network::Config>::MinSessionLength::get();
		if self.session_length < minimum {
			return Err(format!("--session-length must be at least {minimum} blocks"));
		}
		let validators = members.iter().filter(|m| m.session_keys.is_some()).count() as u32;
		let max = <healthchain_runtime::Runtime as pallet_consortium_network::Config>::MaxValidators::get();
		if self.min_validators < 1 || self.min_validators > max {
			return Err(format!("--min-validators must be between 1 and {max}"));
		}
		if validators < self.min_validators {
			return Err(format!(
				"{validators} members run a validator, fewer than the floor of {} (--min-validators): with \
				 fewer than four validators one organisation can stall finality; add validators or lower \
				 the floor knowingly",
				self.min_validators
			));
		}
		let endowment = Balance::from(self.endowment) * UNIT;
		let spec = chain_spec::consortium(
			&self.name,
			&self.id,
			genesis(&members, self.session_length, self.min_validators, endowment),
			self.bootnodes.clone(),
		)?;
		let json = sc_service::ChainSpec::as_json(&spec, self.raw)?;
		match &self.output {
			Some(path) => std::fs::write(path, json).map_err(|e| format!("cannot write '{}': {e}", path.display())),
			None => {
				println!("{json}");
				Ok(())
			},
		}
	}
}
