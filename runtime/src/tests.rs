//! Tests of the runtime as a whole: its genesis presets and its metadata.

use super::*;
use frame_support::traits::Get;
use genesis_config_presets::ENDOWMENT;
use sp_core::storage::Storage;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::BuildStorage;

/// The genesis storage of a preset, built natively: the default config with the preset's
/// patch merged in, as the node's chain-spec builder does.
pub(crate) fn native_genesis(preset: &str) -> Storage {
	let patch = genesis_config_presets::get_preset(&PresetId::from(preset))
		.unwrap_or_else(|| panic!("preset {preset} exists"));
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	sc_chain_spec::json_merge(&mut config, serde_json::from_slice(&patch).unwrap());
	serde_json::from_value::<RuntimeGenesisConfig>(config)
		.expect("the patched preset is a valid RuntimeGenesisConfig")
		.build_storage()
		.expect("genesis storage builds")
}

fn with_preset(preset: &str, test: impl FnOnce()) {
	sp_io::TestExternalities::new(native_genesis(preset)).execute_with(test)
}

fn expected_endowed() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| !matches!(k, Sr25519Keyring::One | Sr25519Keyring::Two))
		.map(|k| k.to_account_id())
		.collect()
}

#[test]
fn presets_are_listed_and_unknown_names_have_none() {
	assert_eq!(
		genesis_config_presets::preset_names(),
		vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
	);
	assert!(genesis_config_presets::get_preset(&PresetId::from("production")).is_none());
}

#[test]
fn development_preset_has_one_authority_and_endowed_dev_accounts() {
	with_preset(DEV_RUNTIME_PRESET, || {
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		assert_eq!(aura, vec![Sr25519Keyring::Alice.public().into()]);
		assert_eq!(
			Grandpa::grandpa_authorities(),
			vec![(Ed25519Keyring::Alice.public().into(), 1)]
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_consortium_network::Validators::<Runtime>::get().into_inner(), vec![alice.clone()]);
		assert_eq!(Session::validators(), vec![alice]);
		assert_eq!(pallet_consortium_network::AuthorisedNodes::<Runtime>::count(), 0, "a single open node");
		assert_eq!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(), demo_council());
		let endowed = expected_endowed();
		for who in &endowed {
			assert_eq!(Balances::free_balance(who), ENDOWMENT, "{who} is endowed");
		}
		assert_eq!(Balances::free_balance(Sr25519Keyring::One.to_account_id()), 0);
		assert_eq!(Balances::total_issuance(), ENDOWMENT * endowed.len() as Balance);
	});
}

#[test]
fn local_testnet_preset_has_alice_bob_charlie_and_dave_as_authorities() {
	with_preset(LOCAL_TESTNET_RUNTIME_PRESET, || {
		let mut names = [
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		];
		// The validator set is kept sorted by account, and so are the authorities it gives.
		names.sort_by_key(|(s, _)| s.to_account_id());
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		assert_eq!(aura, names.iter().map(|(s, _)| s.public().into()).collect::<Vec<_>>());
		assert_eq!(
			Grandpa::grandpa_authorities(),
			names.iter().map(|(_, e)| (e.public().into(), 1)).collect::<Vec<_>>()
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "the council governs, not a sudo key");
		let accounts: Vec<AccountId> = names.iter().map(|(s, _)| s.to_account_id()).collect();
		assert_eq!(pallet_consortium_network::Validators::<Runtime>::get().into_inner(), accounts);
		assert_eq!(Session::validators(), accounts);
		let nodes = [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
		for (n, owner) in (1..=4u8).zip(nodes.iter().map(|k| k.to_account_id())) {
			let peer_id = pallet_consortium_network::PeerId::truncate_from(genesis_config_presets::dev_node_peer_id(n));
			assert_eq!(pallet_consortium_network::AuthorisedNodes::<Runtime>::get(peer_id), Some(owner));
		}
		assert_eq!(pallet_consortium_network::AuthorisedNodes::<Runtime>::count(), 4);
		assert_eq!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(), demo_council());
		assert_eq!(Balances::total_issuance(), ENDOWMENT * expected_endowed().len() as Balance);
		ConsortiumNetwork::do_try_state().expect("the local network is consistent");
	});
}

fn demo_council() -> Vec<AccountId> {
	let mut council: Vec<AccountId> =
		genesis_config_presets::DEMO_COUNCIL.iter().map(|k| k.to_account_id()).collect();
	council.sort();
	council
}

#[test]
fn development_node_keys_have_the_peer_ids_the_local_preset_authorises() {
	use sp_core::Pair;
	for n in 1..=6u8 {
		let pair = sp_core::ed25519::Pair::from_seed(&genesis_config_presets::dev_node_key(n));
		assert_eq!(
			genesis_config_presets::dev_node_peer_id(n),
			pallet_consortium_network::peer_id_of(&pair.public().0).into_inner(),
			"node key {n}"
		);
	}
}

/// The node builds genesis by calling the wasm runtime's `GenesisBuilder` API; that path must
/// give the same state as the native one (plus the runtime code itself).
#[test]
fn presets_build_through_the_wasm_runtime_as_the_node_builds_them() {
	let wasm = WASM_BINARY.expect(
		"the runtime wasm was not built (is SKIP_WASM_BUILD set?); this test needs it",
	);
	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		let spec = sc_chain_spec::GenericChainSpec::<sc_chain_spec::NoExtension>::builder(
			wasm,
			Default::default(),
		)
		.with_genesis_config_preset_name(preset)
		.build();
		let mut from_wasm = spec.build_storage().expect("the wasm runtime builds the preset");
		let code = from_wasm.top.remove(sp_core::storage::well_known_keys::CODE);
		assert_eq!(code.as_deref(), Some(wasm), "{preset}: genesis holds the runtime code");
		assert_eq!(from_wasm.top, native_genesis(preset).top, "{preset}: wasm and native agree");
	}
}

#[test]
fn metadata_lists_every_pallet() {
	let pallets: Vec<_> = Runtime::metadata_ir().pallets.iter().map(|p| p.name).collect();
	assert_eq!(
		pallets,
		vec![
			"System",
			"Timestamp",
			"Aura",
			"Grandpa",
			"Balances",
			"TransactionPayment",
			"Utility",
			"Sudo",
			"ConsortiumNetwork",
			"Session",
			"HealthIdentity",
			"HealthRecords",
			"DrugProvenance",
			"Prescriptions",
			"InsuranceClaims",
			"RemoteMonitoring",
			"ResearchConsent",
			"Council",
			"CouncilMembership",
			"Preimage",
			"Whitelist",
			"SafeMode",
			"TxPause",
			"Proxy"
		]
	);
}

#[test]
fn metadata_is_served_at_v14_v15_and_v16() {
	let versions = Runtime::metadata_versions();
	for version in [14, 15, 16] {
		assert!(versions.contains(&version), "metadata V{version} is listed");
		let metadata = Runtime::metadata_at_version(version)
			.unwrap_or_else(|| panic!("metadata V{version} is served"));
		// The prefix is the magic "meta" followed by the version byte.
		assert_eq!(&metadata[..5], &[b'm', b'e', b't', b'a', version as u8]);
	}
	assert!(Runtime::metadata_at_version(99).is_none());
}

/// The client library generates its types from `client/metadata/healthchain.scale`, without
/// linking the runtime: a change to the runtime's calls, events, storage or APIs fails here
/// until that file is regenerated, by running this test with `HEALTHCHAIN_UPDATE_METADATA=1`.
#[test]
fn client_metadata_is_this_runtimes() {
	let metadata = Runtime::metadata_at_version(16).expect("metadata V16 is served");
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../client/metadata/healthchain.scale");
	if std::env::var_os("HEALTHCHAIN_UPDATE_METADATA").is_some() {
		std::fs::write(path, &metadata[..]).expect("client/metadata is writable");
	}
	let committed = std::fs::read(path).expect("client/metadata/healthchain.scale exists");
	assert!(
		committed == metadata[..],
		"client/metadata/healthchain.scale is not this runtime's metadata: regenerate it with \
		 HEALTHCHAIN_UPDATE_METADATA=1 SKIP_WASM_BUILD=1 cargo test --release -p healthchain-runtime \
		 client_metadata_is_this_runtimes"
	);
}

#[test]
fn transactions_carry_the_metadata_hash_extension() {
	let extensions: Vec<_> = Runtime::metadata_ir()
		.extrinsic
		.extensions_in_versions
		.iter()
		.map(|e| e.identifier)
		.collect();
	assert!(extensions.contains(&"CheckMetadataHash"), "extensions: {extensions:?}");
	assert!(extensions.contains(&"ChargeTransactionPayment"), "extensions: {extensions:?}");
}

#[test]
fn a_slot_and_a_block_last_two_seconds() {
	assert_eq!(SLOT_DURATION, 2_000);
	assert_eq!(<Runtime as pallet_aura::Config>::SlotDuration::get(), SLOT_DURATION);
	with_preset(DEV_RUNTIME_PRESET, || assert_eq!(Aura::slot_duration(), SLOT_DURATION));
	assert_eq!(MINUTES, 30);
}

#[test]
fn an_extrinsic_pays_for_each_extension_once_and_for_its_signature_check_always() {
	use crate::weights::{ExtrinsicBaseWeight, SignatureCheck};
	use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
	use sp_runtime::traits::TransactionExtension;
	let base = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(DispatchClass::Normal)
		.base_extrinsic;
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	let extensions = wallet_tx_extension(0).weight(&remark);
	// The remark that `benchmark overhead` timed already ran its extensions: they are not in
	// the base a second time, and the signature check, which no extension covers, is.
	assert_eq!(base, ExtrinsicBaseWeight::get().saturating_sub(extensions).max(SignatureCheck::get()));
	assert!(base.all_gte(SignatureCheck::get()));
	assert!(base.ref_time() < ExtrinsicBaseWeight::get().ref_time());
	// Charged whole, the remark still costs at least what the benchmark measured.
	let charged = base + extensions + remark.get_dispatch_info().call_weight;
	assert!(charged.ref_time() >= ExtrinsicBaseWeight::get().ref_time(), "{charged} < the measured remark");
	// Every class carries the same base: an operational call's signature is checked as well.
	for class in [DispatchClass::Operational, DispatchClass::Mandatory] {
		assert_eq!(<Runtime as frame_system::Config>::BlockWeights::get().get(class).base_extrinsic, base);
	}
}

#[test]
fn the_token_has_a_symbol_and_twelve_decimals() {
	assert_eq!(TOKEN_SYMBOL, "HCT");
	assert_eq!(UNIT, 1_000_000_000_000);
	assert!(EXISTENTIAL_DEPOSIT > 0 && EXISTENTIAL_DEPOSIT < UNIT);
}

#[test]
fn the_runtime_is_called_healthchain() {
	assert_eq!(VERSION.spec_name, "healthchain");
	assert!(VERSION.spec_version >= 100);
}

#[test]
fn presets_seed_the_demo_consortium() {
	use pallet_health_identity::{
		CareScope, CredentialKind, IdentityQuery, OrganisationKind, Role,
	};
	type Identity = HealthIdentity;
	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		with_preset(preset, || {
			pallet_timestamp::Now::<Runtime>::put(1_800_000_000_000);
			let kinds: Vec<_> =
				(0..8).map(|id| Identity::active_organisation_kind(id).expect("active")).collect();
			assert_eq!(
				kinds,
				vec![
					OrganisationKind::Regulator,
					OrganisationKind::Hospital,
					OrganisationKind::Pharmacy,
					OrganisationKind::Manufacturer,
					OrganisationKind::Distributor,
					OrganisationKind::Insurer,
					OrganisationKind::ResearchInstitute,
					OrganisationKind::EthicsBoard,
				]
			);
			let who = |k: Sr25519Keyring| k.to_account_id();
			assert!(Identity::has_role_in(&who(Sr25519Keyring::Charlie), 1, Role::Practitioner));
			assert!(Identity::has_role_in(&who(Sr25519Keyring::Dave), 1, Role::Nurse));
			assert!(Identity::has_role_in(&who(Sr25519Keyring::Eve), 2, Role::Pharmacist));
			assert!(Identity::has_role(&who(Sr25519Keyring::CharlieStash), Role::ClaimsOfficer));
			assert!(Identity::has_role(&who(Sr25519Keyring::DaveStash), Role::Researcher));
			for (holder, kind) in [
				(Sr25519Keyring::Charlie, CredentialKind::MedicalLicence),
				(Sr25519Keyring::Charlie, CredentialKind::ControlledSubstanceAuthorisation),
				(Sr25519Keyring::Eve, CredentialKind::PharmacyLicence),
				(Sr25519Keyring::AliceStash, CredentialKind::TradingPartnerAuthorisation),
				(Sr25519Keyring::BobStash, CredentialKind::TradingPartnerAuthorisation),
				(Sr25519Keyring::DaveStash, CredentialKind::ResearchCertification),
			] {
				assert!(Identity::has_valid_credential(&who(holder), kind), "{holder:?} {kind:?}");
			}
			assert!(!Identity::has_valid_credential(&who(Sr25519Keyring::Dave), CredentialKind::MedicalLicence));
			for patient in [Sr25519Keyring::Ferdie, Sr25519Keyring::FerdieStash] {
				assert!(Identity::is_patient(&who(patient)));
				assert!(Identity::may_act_for(&who(patient), &who(patient), CareScope::HealthRecords));
			}
			HealthIdentity::do_try_state().expect("the demo consortium is consistent");
		});
	}
}

#[test]
fn the_records_pallet_sees_the_demo_consortium_through_the_identity_pallet() {
	use crate::configs::health_records::RecordsIdentityOfHealthIdentity as Records;
	use pallet_health_records::RecordsIdentity;
	with_preset(DEV_RUNTIME_PRESET, || {
		pallet_timestamp::Now::<Runtime>::put(1_800_000_000_000);
		let who = |k: Sr25519Keyring| k.to_account_id();
		let (charlie, dave, bob, ferdie) = (
			who(Sr25519Keyring::Charlie),
			who(Sr25519Keyring::Dave),
			who(Sr25519Keyring::Bob),
			who(Sr25519Keyring::Ferdie),
		);
		assert!(Records::is_practitioner(&charlie) && Records::is_clinical_staff_at(&charlie, 1));
		assert!(!Records::is_clinical_staff_at(&charlie, 2));
		assert!(Records::is_emergency_practitioner_at(&charlie, 1));
		assert!(!Records::is_emergency_practitioner_at(&charlie, 2));
		// A nurse holds no medical licence, yet acts under the hospital's grants; so does the
		// pharmacist under the pharmacy's. The auditor is no practitioner.
		assert!(!Records::is_practitioner(&dave) && !Records::is_emergency_practitioner_at(&dave, 1));
		assert!(Records::is_clinical_staff_at(&dave, 1));
		assert!(Records::is_clinical_staff_at(&who(Sr25519Keyring::Eve), 2));
		assert!(!Records::is_clinical_staff_at(&bob, 1));
		// Bob audits the hospital with the regulator's accreditation; nobody audits the regulator.
		assert!(Records::is_auditor_at(&bob, 1) && !Records::is_practitioner(&bob));
		assert!(!Records::is_auditor_at(&bob, 2) && !Records::is_regulatory_auditor(&bob));
		assert!(Records::is_patient(&ferdie) && Records::may_manage_records(&ferdie, &ferdie));
		assert!(!Records::may_manage_records(&charlie, &ferdie));
		let providers: Vec<u32> = (0..9).filter(|id| Records::is_care_provider(*id)).collect();
		assert_eq!(providers, vec![1, 2], "the hospital and the pharmacy");
	});
}

#[test]
fn the_supply_chain_pallets_see_the_demo_consortium_through_the_identity_pallet() {
	use crate::configs::{
		drug_provenance::TradingPartnersOfHealthIdentity as Partners,
		prescriptions::PrescribingIdentityOfHealthIdentity as Prescribing,
	};
	use pallet_drug_provenance::{TradeRole, TradingPartners};
	use pallet_prescriptions::PrescribingIdentity;
	with_preset(DEV_RUNTIME_PRESET, || {
		pallet_timestamp::Now::<Runtime>::put(1_800_000_000_000);
		let who = |k: Sr25519Keyring| k.to_account_id();
		assert_eq!(Partners::acts_for(&who(Sr25519Keyring::Alice), 0), Some(TradeRole::Regulator));
		assert_eq!(Partners::acts_for(&who(Sr25519Keyring::AliceStash), 3), Some(TradeRole::Manufacturer));
		assert_eq!(Partners::acts_for(&who(Sr25519Keyring::BobStash), 4), Some(TradeRole::Distributor));
		assert_eq!(Partners::acts_for(&who(Sr25519Keyring::Eve), 2), Some(TradeRole::Dispenser));
		// Acting for another organisation, or for one that does not trade, gives nothing.
		assert_eq!(Partners::acts_for(&who(Sr25519Keyring::AliceStash), 4), None);
		assert_eq!(Partners::acts_for(&who(Sr25519Keyring::CharlieStash), 5), None);
		assert_eq!(Partners::role_of(1), Some(TradeRole::Dispenser), "the hospital dispenses");
		assert_eq!(Partners::role_of(5), None, "the insurer does not trade");

		let charlie = who(Sr25519Keyring::Charlie);
		assert!(Prescribing::is_prescriber(&charlie) && Prescribing::may_handle_controlled(&charlie));
		assert!(!Prescribing::is_prescriber(&who(Sr25519Keyring::Dave)));
		assert!(Prescribing::is_pharmacist_at(&who(Sr25519Keyring::Eve), 2));
		assert!(!Prescribing::is_pharmacist_at(&who(Sr25519Keyring::Eve), 1));
		assert!(Prescribing::may_manage_prescriptions(&who(Sr25519Keyring::Ferdie), &who(Sr25519Keyring::Ferdie)));
	});
}

#[test]
fn the_claims_pallet_sees_the_demo_consortium_through_the_identity_pallet() {
	use crate::configs::insurance_claims::ClaimsIdentityOfHealthIdentity as Claims;
	use pallet_insurance_claims::ClaimsIdentity;
	with_preset(DEV_RUNTIME_PRESET, || {
		let who = |k: Sr25519Keyring| k.to_account_id();
		assert!(Claims::is_insurer(5) && !Claims::is_insurer(1));
		assert!(Claims::is_provider(1) && Claims::is_provider(2) && !Claims::is_provider(5));
		assert!(Claims::is_claims_officer(&who(Sr25519Keyring::CharlieStash), 5));
		assert!(Claims::is_claims_officer(&who(Sr25519Keyring::Bob), 1), "the hospital bills through Bob");
		assert!(!Claims::is_claims_officer(&who(Sr25519Keyring::Bob), 5));
		assert!(Claims::is_patient(&who(Sr25519Keyring::Ferdie)));
	});
}

#[test]
fn the_monitoring_pallet_sees_care_teams_through_identity_and_health_records() {
	use crate::configs::remote_monitoring::MonitoringIdentityOfHealthIdentity as Monitoring;
	use pallet_health_records::{AccessLevel, Grantee, RecordType};
	use pallet_remote_monitoring::MonitoringIdentity;
	with_preset(DEV_RUNTIME_PRESET, || {
		pallet_timestamp::Now::<Runtime>::put(1_800_000_000_000);
		frame_system::Pallet::<Runtime>::set_block_number(1);
		let who = |k: Sr25519Keyring| k.to_account_id();
		let (dave, ferdie) = (who(Sr25519Keyring::Dave), who(Sr25519Keyring::Ferdie));
		assert!(Monitoring::is_care_staff(&dave, 1), "the hospital's nurse");
		assert!(!Monitoring::is_care_staff(&who(Sr25519Keyring::Eve), 2), "a pharmacy is not a care team");
		assert!(!Monitoring::is_care_team(&dave, 1, &ferdie), "not without the patient's grant");
		assert!(crate::HealthRecords::grant_access(
			crate::RuntimeOrigin::signed(ferdie.clone()),
			ferdie.clone(),
			Grantee::Organisation(1),
			AccessLevel::Read,
			vec![RecordType::Observation],
			1_900_000_000_000,
		)
		.is_ok());
		assert!(Monitoring::is_care_team(&dave, 1, &ferdie));
		assert!(Monitoring::may_consent_for(&ferdie, &ferdie));
	});
}

#[test]
fn research_consent_under_a_participant_opens_a_permit_the_custodian_checks() {
	use crate::configs::research_consent::ResearchIdentityOfHealthIdentity as Research;
	use crate::{HealthRecords, ResearchConsent, RuntimeOrigin};
	use pallet_health_records::RecordType;
	use pallet_research_consent::{ConsentScope, DataUse, Purpose, ReadRefusal, Refusal, ResearchIdentity};
	with_preset(DEV_RUNTIME_PRESET, || {
		pallet_timestamp::Now::<Runtime>::put(1_800_000_000_000);
		frame_system::Pallet::<Runtime>::set_block_number(1);
		let who = |k: Sr25519Keyring| k.to_account_id();
		let (researcher, reviewer, ferdie) =
			(who(Sr25519Keyring::DaveStash), who(Sr25519Keyring::EveStash), who(Sr25519Keyring::Ferdie));
		// Ferdie's participant for research: an account that names no one.
		let participant: AccountId = sp_core::crypto::AccountId32::new([0x5a; 32]);
		assert!(Research::is_researcher_at(&researcher, 6), "the institute's certified researcher");
		assert!(!Research::is_researcher_at(&who(Sr25519Keyring::Charlie), 6));
		assert!(!Research::is_researcher_at(&researcher, 1), "the hospital is no research institute");
		assert!(Research::is_ethics_reviewer_at(&reviewer, 7), "the board's accredited reviewer");
		assert!(!Research::is_ethics_reviewer_at(&researcher, 7));
		assert!(Research::is_identified(&ferdie) && Research::is_identified(&researcher));
		assert!(!Research::is_identified(&participant));

		let health_research = DataUse::new(Purpose::HealthMedicalBiomedical, vec![]).unwrap();
		assert!(ResearchConsent::register_study(
			RuntimeOrigin::signed(researcher.clone()),
			6,
			sp_core::H256::repeat_byte(1),
			b"Sponsor".to_vec(),
			health_research.clone(),
			vec![RecordType::Observation],
			0,
			1_900_000_000_000,
			vec![],
		)
		.is_ok());
		assert!(ResearchConsent::approve_study(RuntimeOrigin::signed(reviewer), 0, 7).is_ok());
		let consent = |who: &AccountId| {
			ResearchConsent::give_consent(
				RuntimeOrigin::signed(who.clone()),
				ConsentScope::Standing(health_research.clone()),
				vec![RecordType::Observation, RecordType::Condition],
				None,
			)
		};
		assert!(consent(&ferdie).is_err(), "the patient's own account would name the patient");
		assert!(consent(&participant).is_ok());
		assert!(ResearchConsent::request_access(RuntimeOrigin::signed(researcher.clone()), 0, participant.clone()).is_ok());
		assert_eq!(ResearchConsent::research_permit(&participant, &researcher, RecordType::Observation).map(|(study, _)| study), Ok(0));
		assert_eq!(
			ResearchConsent::research_permit(&participant, &researcher, RecordType::Condition),
			Err(ReadRefusal::RecordTypeNotGranted),
			"the study needs observations only"
		);

		assert!(ResearchConsent::withdraw_consent(RuntimeOrigin::signed(participant.clone()), 0).is_ok());
		assert_eq!(ResearchConsent::research_permit(&participant, &researcher, RecordType::Observation), Err(ReadRefusal::NoAccess));
		assert_eq!(ResearchConsent::may_use(0, &participant), Err(Refusal::NoConsent));
		ResearchConsent::do_try_state().unwrap();
		HealthRecords::do_try_state().unwrap();
	});
}

#[test]
fn every_research_consent_call_fits_in_a_block_at_its_worst() {
	use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
	use pallet_health_records::RecordType;
	use pallet_research_consent::{Call, ConsentScope, DataUse, Purpose};
	let limit = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(DispatchClass::Normal)
		.max_extrinsic
		.expect("normal extrinsics have a limit");
	let someone = Sr25519Keyring::Ferdie.to_account_id();
	let terms = DataUse::new(Purpose::GeneralResearchUse, vec![]).unwrap();
	let calls: Vec<Call<Runtime>> = vec![
		Call::register_study {
			institute: 6,
			protocol_hash: sp_core::H256::repeat_byte(1),
			sponsor: vec![],
			data_use: terms.clone(),
			record_types: vec![],
			starts_at: 0,
			ends_at: 1,
			approved_researchers: vec![],
		},
		Call::give_consent {
			scope: ConsentScope::Standing(terms.clone()),
			record_types: vec![RecordType::Observation],
			expires_at: None,
		},
		Call::narrow_consent { consent: 0, terms: Some(terms), record_types: vec![], expires_at: None },
		Call::withdraw_consent { consent: 0 },
		Call::request_access { study: 0, participant: someone.clone() },
		Call::end_access { participant: someone.clone(), researcher: someone.clone() },
		Call::log_releases { releases: vec![] },
	];
	for call in calls {
		let weight = call.get_dispatch_info().total_weight();
		assert!(weight.all_lte(limit), "{call:?} weighs {weight:?}, more than a block allows ({limit:?})");
	}
}
