//! Genesis presets: named starting states that `chain-spec-builder`, the node's `dev` and
//! `local` chains, and an operator's own chain spec are built from.
//!
//! - `development`: one validator (Alice), for a single dev node; Alice holds the sudo key.
//! - `local_testnet`: four validators (Alice, Bob, Charlie, Dave) whose nodes run the well-known
//!   development node keys (see [`dev_node_peer_id`]), for a loopback network; no sudo key.
//!
//! Both endow the well-known development accounts, seat the council of [`DEMO_COUNCIL`] and
//! seed the demo consortium of [`demo_consortium`]. A consortium's own genesis comes from
//! [`healthchain_genesis`] with its members' keys (the node's `consortium-spec` command).

use crate::{
	AccountId, BalancesConfig, BlockNumber, ConsortiumNetworkConfig, CouncilMembershipConfig, HealthIdentityConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use pallet_health_identity::{
	CredentialKind::{self, *},
	GenesisCredential, GenesisOrganisation,
	OrganisationKind::{self, *},
	Role::{self, *},
};
use sp_core::{Bytes, H256};
use sp_runtime::traits::{BlakeTwo256, Hash as _};
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed development account starts with: one million HCT.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// Sessions of the development and local chains: ten blocks (20 s), so that a validator
/// change shows within a minute.
pub const DEV_SESSION_LENGTH: BlockNumber = 10;

/// The fewest validators a consortium keeps unless its spec says otherwise: with three or fewer,
/// one organisation's validator is more than a third of GRANDPA's voters and can stall finality.
pub const CONSORTIUM_VALIDATOR_FLOOR: u32 = 4;

/// A validator at genesis: its account, and its Aura and GRANDPA session keys.
pub type GenesisValidator = (AccountId, AuraId, GrandpaId);

/// What a HealthChain genesis is made of.
pub struct GenesisParams {
	/// The validators, each with its session keys.
	pub validators: Vec<GenesisValidator>,
	/// How many blocks a session lasts.
	pub session_length: BlockNumber,
	/// The fewest validators governance may leave the set with.
	pub min_validators: u32,
	/// The authorised nodes: peer id bytes and the account that runs each. Empty leaves the
	/// network open (development only).
	pub nodes: Vec<(Vec<u8>, AccountId)>,
	/// The council's seats.
	pub council: Vec<AccountId>,
	/// Accounts and what they start with.
	pub endowed: Vec<(AccountId, crate::Balance)>,
	/// The sudo key, on development chains only.
	pub sudo: Option<AccountId>,
	/// The organisations, credentials and patients of the identity pallet.
	pub identity: pallet_health_identity::GenesisConfig<crate::Runtime>,
}

/// The genesis state of `params`, as a JSON patch of the runtime's genesis config.
pub fn healthchain_genesis(params: GenesisParams) -> Value {
	let GenesisParams { validators, session_length, min_validators, nodes, council, endowed, sudo, identity } =
		params;
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		consortium_network: ConsortiumNetworkConfig {
			validators: validators.iter().map(|(account, _, _)| account.clone()).collect::<Vec<_>>(),
			session_length,
			nodes: nodes.into_iter().map(|(peer_id, owner)| (Bytes(peer_id), owner)).collect::<Vec<_>>(),
			min_validators,
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(account, aura, grandpa)| (account.clone(), account, SessionKeys { aura, grandpa }))
				.collect::<Vec<_>>(),
		},
		council_membership: CouncilMembershipConfig {
			members: council.try_into().expect("more council members than MAX_COUNCIL_MEMBERS"),
		},
		sudo: SudoConfig { key: sudo },
		health_identity: identity,
	})
}

/// The secret of the well-known development node key of validator `n` (1 for Alice, 2 for
/// Bob, ...): 31 zero bytes and `n`. Known to everyone: for loopback networks only.
pub fn dev_node_key(n: u8) -> [u8; 32] {
	let mut secret = [0u8; 32];
	secret[31] = n;
	secret
}

/// The ed25519 public keys of [`dev_node_key`] 1 to 6 (`runtime/src/tests.rs` checks them).
const DEV_NODE_PUBLIC_KEYS: [[u8; 32]; 6] = [
	sp_core::hex2array!("4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29"),
	sp_core::hex2array!("7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674"),
	sp_core::hex2array!("f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b"),
	sp_core::hex2array!("fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b"),
	sp_core::hex2array!("fde4fba030ad002f7c2f7d4c331f49d13fb0ec747eceebec634f1ff4cbca9def"),
	sp_core::hex2array!("b4c92afb3ba57f3ab959ffe6d319c98484a2155a0f4c65b2c37011ffd197b075"),
];

/// The peer id of the node that runs [`dev_node_key`] `n`, for `n` from 1 to 6 (Alice's node
/// is `12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp`).
pub fn dev_node_peer_id(n: u8) -> Vec<u8> {
	pallet_consortium_network::peer_id_of(&DEV_NODE_PUBLIC_KEYS[usize::from(n) - 1]).into_inner()
}

/// The demo council: the admins of the regulator (Alice), the hospital (Bob), the pharmacy
/// (Eve) and the manufacturer (AliceStash). Three of the four make a majority and two thirds.
pub const DEMO_COUNCIL: [Sr25519Keyring; 4] =
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Eve, Sr25519Keyring::AliceStash];

/// Credentials of the demo consortium are valid until 1 January 2100 (milliseconds).
pub const DEMO_CREDENTIALS_VALID_UNTIL: u64 = 4_102_444_800_000;

/// A stand-in X25519 public key for a demo account or organisation. Demo keys have no known
/// private half: an application rotates them (`rotate_patient_key`, `update_organisation`)
/// to keys it holds before it encrypts anything real.
fn demo_key(name: &str) -> [u8; 32] {
	BlakeTwo256::hash(&[b"healthchain-demo-key/", name.as_bytes()].concat()).0
}

fn demo_hash(what: &str) -> H256 {
	BlakeTwo256::hash(&[b"healthchain-demo/", what.as_bytes()].concat())
}

fn organisation(
	kind: OrganisationKind,
	name: &str,
	admin: Sr25519Keyring,
	members: &[(Sr25519Keyring, &[Role])],
	accredited_for: &[CredentialKind],
) -> GenesisOrganisation<AccountId> {
	GenesisOrganisation {
		kind,
		admin: admin.to_account_id(),
		metadata_hash: demo_hash(name),
		encryption_key: demo_key(name),
		members: members.iter().map(|(who, roles)| (who.to_account_id(), roles.to_vec())).collect(),
		accredited_for: accredited_for.to_vec(),
	}
}

/// The demo consortium, every account a well-known development account (listed in the README):
///
/// | id | organisation | admin | members |
/// | --- | --- | --- | --- |
/// | 0 | regulator, issues every credential | Alice | Alice (admin) |
/// | 1 | hospital | Bob | Bob (auditor, claims officer), Charlie (practitioner, emergency care), Dave (nurse) |
/// | 2 | pharmacy | Eve | Eve (pharmacist) |
/// | 3 | manufacturer | AliceStash | AliceStash (logistics) |
/// | 4 | distributor | BobStash | BobStash (logistics) |
/// | 5 | insurer | CharlieStash | CharlieStash (claims officer) |
/// | 6 | research institute | DaveStash | DaveStash (researcher) |
/// | 7 | ethics board | EveStash | EveStash (admin, ethics reviewer) |
///
/// Credentials, issued by the regulator: Charlie a medical licence and a controlled-substance
/// authorisation; Eve a pharmacy licence and a controlled-substance authorisation; AliceStash,
/// BobStash and Eve trading-partner authorisations; DaveStash a research certification;
/// EveStash an ethics-review accreditation; Bob an audit accreditation (an auditor's role counts
/// only with an accreditation from outside its organisation).
/// Patients: Ferdie and FerdieStash.
pub fn demo_consortium() -> pallet_health_identity::GenesisConfig<crate::Runtime> {
	use Sr25519Keyring as K;
	let credential = |holder: K, kind: CredentialKind| GenesisCredential {
		holder: holder.to_account_id(),
		kind,
		issuer: 0,
		licence_hash: demo_hash(&alloc::format!("licence/{holder:?}/{kind:?}")),
		valid_from: 0,
		valid_until: DEMO_CREDENTIALS_VALID_UNTIL,
	};
	HealthIdentityConfig {
		organisations: vec![
			organisation(
				Regulator,
				"regulator",
				K::Alice,
				&[(K::Alice, &[Admin])],
				&[
					MedicalLicence,
					PharmacyLicence,
					ControlledSubstanceAuthorisation,
					ResearchCertification,
					TradingPartnerAuthorisation,
					EthicsReviewAccreditation,
					AuditAccreditation,
				],
			),
			organisation(
				Hospital,
				"hospital",
				K::Bob,
				&[(K::Bob, &[Auditor, ClaimsOfficer]), (K::Charlie, &[Practitioner, EmergencyCare]), (K::Dave, &[Nurse])],
				&[],
			),
			organisation(Pharmacy, "pharmacy", K::Eve, &[(K::Eve, &[Pharmacist])], &[]),
			organisation(Manufacturer, "manufacturer", K::AliceStash, &[(K::AliceStash, &[Logistics])], &[]),
			organisation(Distributor, "distributor", K::BobStash, &[(K::BobStash, &[Logistics])], &[]),
			organisation(Insurer, "insurer", K::CharlieStash, &[(K::CharlieStash, &[ClaimsOfficer])], &[]),
			organisation(
				ResearchInstitute,
				"research-institute",
				K::DaveStash,
				&[(K::DaveStash, &[Researcher])],
				&[],
			),
			organisation(
				EthicsBoard,
				"ethics-board",
				K::EveStash,
				&[(K::EveStash, &[Admin, EthicsReviewer])],
				&[],
			),
		],
		credentials: vec![
			credential(K::Charlie, MedicalLicence),
			credential(K::Charlie, ControlledSubstanceAuthorisation),
			credential(K::Eve, PharmacyLicence),
			credential(K::Eve, ControlledSubstanceAuthorisation),
			credential(K::Eve, TradingPartnerAuthorisation),
			credential(K::AliceStash, TradingPartnerAuthorisation),
			credential(K::BobStash, TradingPartnerAuthorisation),
			credential(K::DaveStash, ResearchCertification),
			credential(K::EveStash, EthicsReviewAccreditation),
			credential(K::Bob, AuditAccreditation),
		],
		patients: vec![
			(K::Ferdie.to_account_id(), demo_key("patient/ferdie")),
			(K::FerdieStash.to_account_id(), demo_key("patient/ferdie-stash")),
		],
	}
}

/// A well-known development account as a validator, with its Aura (sr25519) and GRANDPA
/// (ed25519) keys, the ones `--alice` (`--bob`, ...) puts in a node's keystore.
fn dev_validator((aura, grandpa): (Sr25519Keyring, Ed25519Keyring)) -> GenesisValidator {
	(aura.to_account_id(), aura.public().into(), grandpa.public().into())
}

/// The well-known development accounts that presets endow (not `One` and `Two`, which are
/// kept as accounts known to be empty).
fn endowed_dev_accounts() -> Vec<(AccountId, crate::Balance)> {
	Sr25519Keyring::iter()
		.filter(|k| !matches!(k, Sr25519Keyring::One | Sr25519Keyring::Two))
		.map(|k| (k.to_account_id(), ENDOWMENT))
		.collect()
}

fn demo_council() -> Vec<AccountId> {
	DEMO_COUNCIL.iter().map(|k| k.to_account_id()).collect()
}

/// The `development` preset: one validator, Alice, who also holds the sudo key; the network
/// is open (a single node).
pub fn development_config_genesis() -> Value {
	healthchain_genesis(GenesisParams {
		validators: vec![dev_validator((Sr25519Keyring::Alice, Ed25519Keyring::Alice))],
		session_length: DEV_SESSION_LENGTH,
		// One node: the development chain cannot be protected by a floor.
		min_validators: 1,
		nodes: Vec::new(),
		council: demo_council(),
		endowed: endowed_dev_accounts(),
		sudo: Some(Sr25519Keyring::Alice.to_account_id()),
		identity: demo_consortium(),
	})
}

/// The `local_testnet` preset: four validators, Alice, Bob, Charlie and Dave, whose nodes run
/// development node keys 1 to 4 and are the only nodes authorised; no sudo key.
pub fn local_config_genesis() -> Value {
	let validators = [
		(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	];
	healthchain_genesis(GenesisParams {
		nodes: (1..=4u8)
			.zip(validators.iter())
			.map(|(n, (account, _))| (dev_node_peer_id(n), account.to_account_id()))
			.collect(),
		validators: validators.into_iter().map(dev_validator).collect(),
		session_length: DEV_SESSION_LENGTH,
		min_validators: CONSORTIUM_VALIDATOR_FLOOR,
		council: demo_council(),
		endowed: endowed_dev_accounts(),
		sudo: None,
		identity: demo_consortium(),
	})
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
