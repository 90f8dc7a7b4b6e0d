//! Genesis presets: named starting states that `chain-spec-builder`, the node's `dev` and
//! `local` chains, and an operator's own chain spec are built from.
//!
//! - `development`: one authority (Alice), for a single dev node.
//! - `local_testnet`: four authorities (Alice, Bob, Charlie, Dave), for a loopback network.
//!
//! Both endow the well-known development accounts, make Alice the sudo key, and seed the demo
//! consortium of [`demo_consortium`].

use crate::{AccountId, BalancesConfig, HealthIdentityConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
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
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Hash as _};
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
		health_identity: demo_consortium(),
	})
}

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
/// EveStash an ethics-review accreditation.
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
		],
		patients: vec![
			(K::Ferdie.to_account_id(), demo_key("patient/ferdie")),
			(K::FerdieStash.to_account_id(), demo_key("patient/ferdie-stash")),
		],
	}
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
