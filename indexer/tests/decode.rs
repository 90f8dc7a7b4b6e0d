//! Event fields as JSON, typed by the runtime's metadata (the client's copy, which a runtime test
//! keeps equal to the runtime's): a read of a patient's records, as the vault's `log_releases`
//! emits it, encoded with the client's generated types and decoded as the indexer stores it.

use codec::Encode;
use healthchain_client::chain::{runtime, AccountId};
use healthchain_indexer::decode::{event_fields, DecodeError};
use serde_json::json;
use subxt::Metadata;

fn metadata() -> Metadata {
	let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../client/metadata/healthchain.scale")).unwrap();
	Metadata::decode_from(&bytes[..]).unwrap()
}

#[test]
fn a_record_access_reads_with_the_chains_own_names() {
	use runtime::health_records::events::RecordAccessed;
	use runtime::runtime_types::pallet_health_records::types::{AccessPurpose, Authority, Grantee};
	let metadata = metadata();
	let (patient, reader) = (AccountId::from([1; 32]), AccountId::from([2; 32]));
	let event = RecordAccessed {
		patient: patient.clone(),
		record: 7,
		accessor: reader.clone(),
		authority: Authority::Grant(Grantee::Account(reader.clone())),
		purpose: AccessPurpose::Treatment,
		emergency: None,
		entry: 3,
		released_by: 1,
	};
	let pallet = metadata.pallet_by_name("HealthRecords").unwrap();
	let index = pallet.event_variants().unwrap().iter().find(|v| v.name == "RecordAccessed").unwrap().index;
	let fields = event_fields(&metadata, "HealthRecords", index, &event.encode()).unwrap();
	let ss58 = |a: &AccountId| healthchain_client::keys::ss58(&a.0);
	assert_eq!(
		fields,
		json!({
			"patient": ss58(&patient),
			"record": 7,
			"accessor": ss58(&reader),
			"authority": { "Grant": { "Account": ss58(&reader) } },
			"purpose": "Treatment",
			"emergency": null,
			"entry": 3,
			"released_by": 1,
		})
	);
}

#[test]
fn hashes_are_hex_and_a_truncated_event_or_an_unknown_one_is_an_error() {
	use runtime::health_records::events::RecordAdded;
	use runtime::runtime_types::pallet_health_records::types::RecordType;
	let metadata = metadata();
	let pallet = metadata.pallet_by_name("HealthRecords").unwrap();
	let index = pallet.event_variants().unwrap().iter().find(|v| v.name == "RecordAdded").unwrap().index;
	let event = RecordAdded {
		record: 12,
		patient: AccountId::from([1; 32]),
		author: AccountId::from([2; 32]),
		record_type: RecordType::Observation,
		content_hash: subxt::utils::H256::from([0xab; 32]),
		custodian: 4,
	};
	let fields = event_fields(&metadata, "HealthRecords", index, &event.encode()).unwrap();
	assert_eq!(fields["content_hash"], json!(format!("0x{}", "ab".repeat(32))));
	assert_eq!(fields["record_type"], json!("Observation"));
	assert_eq!(fields["custodian"], json!(4));

	let unknown = event_fields(&metadata, "HealthRecords", 250, &[]).unwrap_err();
	assert!(matches!(unknown, DecodeError::UnknownEvent { index: 250, .. }));
	let truncated = event_fields(&metadata, "HealthRecords", index, &event.encode()[..20]).unwrap_err();
	assert!(matches!(truncated, DecodeError::Malformed { .. }), "{truncated}");
}
