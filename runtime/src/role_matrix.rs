//! The role matrix: who may call what, as a table, checked against the runtime cell by cell.
//!
//! Every row is one call with fixed arguments, aimed at the reference patient (Ferdie), the
//! hospital (organisation 1) and the records, grants and reviews of one world built on the
//! development preset. Every column is one kind of caller, each a separate account holding
//! exactly that standing. A cell is the call dispatched by that caller inside a storage
//! transaction that is rolled back, so every cell starts from the same world; it must succeed
//! exactly when the table says so.
//!
//! The table is the policy. `README.md` shows it (the `role_matrix_is_in_the_readme` test keeps
//! the two equal); a change to who may call what changes the table, the README and this test
//! together.

use alloc::vec::Vec;
use crate::{AccountId, HealthIdentity, HealthRecords, Prescriptions, Runtime, RuntimeCall, RuntimeOrigin};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::UnfilteredDispatchable,
};
use pallet_health_identity::{CareScope, CredentialKind, GuardianKind, OrganisationKind, Role};
use pallet_health_records::{
	AccessLevel, AccessPurpose, Authority, EmergencyReason, Grantee, RecordType, Release, ReviewOutcome,
};
use pallet_drug_provenance::{ProductCode, ProductKind, SuspectReason};
use pallet_insurance_claims::Decision;
use pallet_prescriptions::ControlledLimits;
use pallet_remote_monitoring::DeviceKind;
use pallet_research_consent::{ConsentScope, DataUse, Purpose, SuspensionReason};
use sp_core::H256;
use sp_keyring::Sr25519Keyring as K;
use sp_runtime::{traits::Dispatchable, DispatchError};

/// The chain's clock when the world is built (milliseconds).
const BUILT_AT: u64 = 1_800_000_000_000;
/// The clock when the cells run: later than the lapsed licence and the expired guardianship.
const CELLS_AT: u64 = BUILT_AT + 60_000;
/// A year after the world is built: grants and credentials that must not lapse.
const A_YEAR_ON: u64 = BUILT_AT + 365 * 86_400_000;

const REGULATOR: u32 = 0;
const HOSPITAL: u32 = 1;
const PHARMACY: u32 = 2;
const ETHICS_BOARD: u32 = 7;
/// Admitted by the world: a laboratory and a clinic (suspended before the cells run).
const LABORATORY: u32 = 8;
const SUSPENDED_CLINIC: u32 = 9;

/// Declares the callers once: the enum, every column in the table's order, and each column's
/// heading in the README.
macro_rules! callers {
	($($(#[doc = $doc:literal])* $caller:ident => $heading:literal,)*) => {
		/// A kind of caller; each is its own account.
		#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
		pub enum Caller {
			$($(#[doc = $doc])* $caller,)*
		}

		/// Every column, in the table's order.
		pub const CALLERS: &[Caller] = &[$(Caller::$caller),*];

		impl Caller {
			/// The column's heading in the README.
			fn heading(self) -> &'static str {
				match self {
					$(Caller::$caller => $heading,)*
				}
			}
		}
	};
}

callers! {
	/// An account with no identity at all.
	Stranger => "no identity",
	/// The reference patient.
	Patient => "patient",
	/// Another registered patient.
	OtherPatient => "another patient",
	/// The patient's delegate for every scope.
	GuardianInScope => "guardian in scope",
	/// The patient's delegate for remote monitoring only.
	GuardianForMonitoringOnly => "guardian for remote monitoring only",
	/// The patient's delegate for every scope, whose appointment has expired.
	GuardianExpired => "guardian, expired",
	/// The hospital's admin account.
	HospitalAdmin => "hospital admin",
	/// A licensed practitioner of the hospital.
	Practitioner => "practitioner",
	/// A licensed emergency practitioner of the hospital, whose break-glass access is under
	/// review.
	EmergencyPractitioner => "emergency practitioner under review",
	/// A nurse of the hospital.
	Nurse => "nurse",
	/// An auditor of the hospital, accredited by the regulator.
	Auditor => "auditor",
	/// A claims officer of the hospital.
	HospitalClaimsOfficer => "hospital claims officer",
	/// A licensed pharmacist of the pharmacy.
	Pharmacist => "pharmacist",
	/// A laboratory scientist of the laboratory.
	LaboratoryScientist => "laboratory scientist",
	/// A claims officer of the insurer.
	InsurerClaimsOfficer => "insurer claims officer",
	/// A certified researcher of the research institute.
	Researcher => "researcher",
	/// An accredited ethics reviewer of the ethics board.
	EthicsReviewer => "ethics reviewer",
	/// The regulator's admin.
	RegulatorAdmin => "regulator admin",
	/// The manufacturer's logistics member.
	ManufacturerLogistics => "manufacturer logistics",
	/// The distributor's logistics member.
	DistributorLogistics => "distributor logistics",
	/// A licensed practitioner of a clinic that governance suspended.
	SuspendedClinicPractitioner => "practitioner of a suspended clinic",
	/// A practitioner of the hospital whose licence has expired.
	LapsedLicencePractitioner => "practitioner, licence expired",
	/// A practitioner of the hospital whose licence is suspended.
	SuspendedLicencePractitioner => "practitioner, licence suspended",
	/// A practitioner of the hospital whose licence is revoked.
	RevokedLicencePractitioner => "practitioner, licence revoked",
	/// A glucose meter of the hospital, bound to the patient.
	Device => "the patient's bound device",
	/// The account the hospital's record vault signs with: the custodian of its records.
	HospitalVault => "the hospital's vault",
	/// The patient's participant in research: an account of its own that names no one.
	Participant => "the patient's participant",
}

use Caller::*;

impl Caller {
	/// The caller's account: the demo consortium's where it has one of exactly this standing,
	/// otherwise one made for the matrix.
	pub fn account(self) -> AccountId {
		match self {
			Patient => K::Ferdie.to_account_id(),
			OtherPatient => K::FerdieStash.to_account_id(),
			InsurerClaimsOfficer => K::CharlieStash.to_account_id(),
			Researcher => K::DaveStash.to_account_id(),
			RegulatorAdmin => K::Alice.to_account_id(),
			ManufacturerLogistics => K::AliceStash.to_account_id(),
			DistributorLogistics => K::BobStash.to_account_id(),
			made => AccountId::from([0x40 + made as u8; 32]),
		}
	}
}

fn ok(result: frame_support::dispatch::DispatchResultWithPostInfo, what: &str) {
	if let Err(error) = result {
		panic!("building the world: {what}: {:?}", error.error);
	}
}

fn signed(caller: Caller) -> RuntimeOrigin {
	RuntimeOrigin::signed(caller.account())
}

fn root(call: RuntimeCall, what: &str) {
	ok(call.dispatch_bypass_filter(RuntimeOrigin::root()), what);
}

fn as_caller(caller: Caller, call: RuntimeCall, what: &str) {
	ok(call.dispatch(signed(caller)), what);
}

type IdentityCall = pallet_health_identity::Call<Runtime>;
type RecordsCall = pallet_health_records::Call<Runtime>;

fn licence(holder: Caller, kind: CredentialKind, valid_until: u64) -> RuntimeCall {
	RuntimeCall::HealthIdentity(IdentityCall::issue_credential {
		issuer: REGULATOR,
		holder: holder.account(),
		kind,
		licence_hash: H256::repeat_byte(holder as u8 + 1),
		valid_from: 0,
		valid_until,
	})
}

fn member(organisation: u32, who: Caller, roles: Vec<Role>) -> RuntimeCall {
	RuntimeCall::HealthIdentity(IdentityCall::add_member { organisation, member: who.account(), roles })
}

fn guardian(who: Caller, scope: Vec<CareScope>, expires_at: Option<u64>) -> RuntimeCall {
	RuntimeCall::HealthIdentity(IdentityCall::appoint_guardian {
		guardian: who.account(),
		kind: GuardianKind::Delegate,
		scope,
		expires_at,
	})
}

/// The reference record: an Observation of the patient, added by the hospital's practitioner
/// under the patient's grant to the hospital.
const RECORD: u64 = 0;
/// A record of the patient that the patient erased, whose erasure the hospital's vault has
/// yet to confirm.
const ERASED_RECORD: u64 = 1;
/// The claim documents of claims 0, 1 and 2, which the hospital's claims officer filed; then
/// one filed for no claim yet (for `submit_claim`) and one for the appeal of claim 2.
const CLAIM_DOCUMENTS: core::ops::Range<u64> = 2..7;
const UNFILED_CLAIM_DOCUMENT: u64 = 5;
const APPEAL_DOCUMENT: u64 = 6;
/// The salts in the reference prescription's MedicationRequest.
const PATIENT_SALT: [u8; 32] = [0xa5; 32];
const ITEM_SALT: [u8; 32] = [0x5a; 32];
/// The emergency practitioner's break-glass access to the patient, pending review.
const EMERGENCY: u64 = 0;

/// Builds the world on the development preset (see the module doc).
fn build_world() {
	pallet_timestamp::Now::<Runtime>::put(BUILT_AT);
	frame_system::Pallet::<Runtime>::set_block_number(1);
	use CredentialKind::*;
	let admit = |kind, admin: Caller| {
		RuntimeCall::HealthIdentity(IdentityCall::admit_organisation {
			kind,
			admin: admin.account(),
			metadata_hash: H256::repeat_byte(0xaa),
			encryption_key: [0xbb; 32],
		})
	};
	// The laboratory's and the clinic's admins are the scientist and the practitioner: their
	// admin standing is not what the matrix looks at, their roles are.
	root(admit(OrganisationKind::Laboratory, LaboratoryScientist), "admit a laboratory");
	root(admit(OrganisationKind::Clinic, SuspendedClinicPractitioner), "admit a clinic");
	as_caller(
		LaboratoryScientist,
		member(LABORATORY, LaboratoryScientist, vec![Role::LaboratoryScientist]),
		"the laboratory's scientist",
	);
	as_caller(
		SuspendedClinicPractitioner,
		member(SUSPENDED_CLINIC, SuspendedClinicPractitioner, vec![Role::Practitioner]),
		"the clinic's practitioner",
	);

	let bob = || RuntimeOrigin::signed(K::Bob.to_account_id());
	for (who, roles) in [
		(Practitioner, vec![Role::Practitioner]),
		(EmergencyPractitioner, vec![Role::Practitioner, Role::EmergencyCare]),
		(Nurse, vec![Role::Nurse]),
		(Auditor, vec![Role::Auditor]),
		(HospitalClaimsOfficer, vec![Role::ClaimsOfficer]),
		(LapsedLicencePractitioner, vec![Role::Practitioner]),
		(SuspendedLicencePractitioner, vec![Role::Practitioner]),
		(RevokedLicencePractitioner, vec![Role::Practitioner]),
	] {
		ok(member(HOSPITAL, who, roles).dispatch(bob()), "a hospital member");
	}
	ok(
		member(PHARMACY, Pharmacist, vec![Role::Pharmacist]).dispatch(RuntimeOrigin::signed(K::Eve.to_account_id())),
		"the pharmacist",
	);
	ok(
		member(ETHICS_BOARD, EthicsReviewer, vec![Role::EthicsReviewer])
			.dispatch(RuntimeOrigin::signed(K::EveStash.to_account_id())),
		"the ethics reviewer",
	);
	for (who, kind, until) in [
		(Practitioner, MedicalLicence, A_YEAR_ON),
		(Practitioner, ControlledSubstanceAuthorisation, A_YEAR_ON),
		(EmergencyPractitioner, MedicalLicence, A_YEAR_ON),
		(SuspendedClinicPractitioner, MedicalLicence, A_YEAR_ON),
		(LapsedLicencePractitioner, MedicalLicence, BUILT_AT + 1_000),
		(SuspendedLicencePractitioner, MedicalLicence, A_YEAR_ON),
		(RevokedLicencePractitioner, MedicalLicence, A_YEAR_ON),
		(Auditor, AuditAccreditation, A_YEAR_ON),
		(Pharmacist, PharmacyLicence, A_YEAR_ON),
		(Pharmacist, ControlledSubstanceAuthorisation, A_YEAR_ON),
		(EthicsReviewer, EthicsReviewAccreditation, A_YEAR_ON),
		(Pharmacist, TradingPartnerAuthorisation, A_YEAR_ON),
	] {
		as_caller(RegulatorAdmin, licence(who, kind, until), "a credential");
	}
	as_caller(
		RegulatorAdmin,
		RuntimeCall::HealthIdentity(IdentityCall::suspend_credential {
			holder: SuspendedLicencePractitioner.account(),
			kind: MedicalLicence,
		}),
		"suspend a licence",
	);
	as_caller(
		RegulatorAdmin,
		RuntimeCall::HealthIdentity(IdentityCall::revoke_credential {
			holder: RevokedLicencePractitioner.account(),
			kind: MedicalLicence,
		}),
		"revoke a licence",
	);
	root(
		RuntimeCall::HealthIdentity(IdentityCall::change_organisation_admin {
			organisation: HOSPITAL,
			admin: HospitalAdmin.account(),
		}),
		"the hospital's admin",
	);

	let every_scope = vec![
		CareScope::HealthRecords,
		CareScope::Prescriptions,
		CareScope::ResearchConsent,
		CareScope::InsuranceClaims,
		CareScope::RemoteMonitoring,
	];
	as_caller(Patient, guardian(GuardianInScope, every_scope.clone(), None), "a guardian");
	as_caller(Patient, guardian(GuardianForMonitoringOnly, vec![CareScope::RemoteMonitoring], None), "a guardian");
	as_caller(Patient, guardian(GuardianExpired, every_scope, Some(BUILT_AT + 1_000)), "a guardian");

	let grant = |grantee, access, record_types| {
		RuntimeCall::HealthRecords(RecordsCall::grant_access {
			patient: Patient.account(),
			grantee,
			access,
			record_types,
			expires_at: A_YEAR_ON,
		})
	};
	use RecordType::*;
	as_caller(Patient, grant(Grantee::Organisation(HOSPITAL), AccessLevel::Write, vec![Observation, Condition]), "grant the hospital");
	as_caller(Patient, grant(Grantee::Organisation(PHARMACY), AccessLevel::Read, vec![MedicationStatement]), "grant the pharmacy");
	as_caller(Patient, grant(Grantee::Organisation(LABORATORY), AccessLevel::Write, vec![Observation, DiagnosticReport]), "grant the laboratory");
	as_caller(
		HospitalAdmin,
		RuntimeCall::HealthIdentity(IdentityCall::register_vault {
			organisation: HOSPITAL,
			account: HospitalVault.account(),
			endpoint: b"https://vault.hospital.example".to_vec(),
		}),
		"the hospital's vault",
	);
	as_caller(
		Practitioner,
		RuntimeCall::HealthRecords(RecordsCall::add_record {
			patient: Patient.account(),
			record_type: Observation,
			content_hash: H256::repeat_byte(1),
			custodian: HOSPITAL,
			authority: Authority::Grant(Grantee::Organisation(HOSPITAL)),
		}),
		"the reference record",
	);
	as_caller(
		Patient,
		RuntimeCall::HealthRecords(RecordsCall::add_record {
			patient: Patient.account(),
			record_type: Observation,
			content_hash: H256::repeat_byte(2),
			custodian: HOSPITAL,
			authority: Authority::PatientOrGuardian,
		}),
		"a record to erase",
	);
	as_caller(Patient, RuntimeCall::HealthRecords(RecordsCall::erase_record { record: ERASED_RECORD }), "an erasure");
	as_caller(
		EmergencyPractitioner,
		RuntimeCall::HealthRecords(RecordsCall::break_glass {
			patient: Patient.account(),
			organisation: HOSPITAL,
			reason: EmergencyReason::Unresponsive,
		}),
		"a break-glass access",
	);
	build_network();
	build_supply_chain();
	build_prescriptions_and_claims();
	build_monitoring();
	build_research();
	root(
		RuntimeCall::HealthIdentity(IdentityCall::suspend_organisation { organisation: SUSPENDED_CLINIC }),
		"suspend the clinic",
	);
	HealthIdentity::do_try_state().expect("the world's identities are consistent");
	HealthRecords::do_try_state().expect("the world's records are consistent");
	crate::DrugProvenance::do_try_state().expect("the world's supply chain is consistent");
	crate::Prescriptions::do_try_state().expect("the world's prescriptions are consistent");
	crate::InsuranceClaims::do_try_state().expect("the world's claims are consistent");
	crate::RemoteMonitoring::do_try_state().expect("the world's devices are consistent");
	crate::ResearchConsent::do_try_state().expect("the world's consents are consistent");
	pallet_timestamp::Now::<Runtime>::put(CELLS_AT);
	frame_system::Pallet::<Runtime>::set_block_number(2);
}

/// Bob and Charlie hold session keys; Bob is a validator besides Alice; two nodes are authorised.
fn build_network() {
	use codec::Encode;
	for who in [K::Bob, K::Charlie] {
		let generated = crate::SessionKeys::generate(&who.to_account_id().encode(), None);
		ok(
			RuntimeCall::Session(pallet_session::Call::set_keys { keys: generated.keys, proof: generated.proof.encode() })
				.dispatch(RuntimeOrigin::signed(who.to_account_id())),
			"session keys",
		);
	}
	root(RuntimeCall::ConsortiumNetwork(NetworkCall::add_validator { who: K::Bob.to_account_id() }), "a validator");
	for node in [8, 9] {
		root(
			RuntimeCall::ConsortiumNetwork(NetworkCall::authorise_node {
				peer_id: pallet_consortium_network::peer_id_of(&[node; 32]).to_vec(),
				owner: K::Bob.to_account_id(),
			}),
			"a node",
		);
	}
}

const MANUFACTURER: u32 = 3;
const DISTRIBUTOR: u32 = 4;
const INSURER: u32 = 5;
const INSTITUTE: u32 = 6;
/// The world's product, its lot and its serials.
const PRODUCT: ProductCode = ProductCode::Gtin(9_506_000_134_352);
const LOT: &[u8] = b"LOT-A";
fn serial(n: u8) -> Vec<u8> {
	alloc::format!("SN-{n}").into_bytes()
}
/// Devices: bound to the patient (the `Device` column), proposed to it, registered only.
fn device(which: u8) -> AccountId {
	if which == 0 { Device.account() } else { AccountId::from([0x90 + which; 32]) }
}
/// A day, in milliseconds.
const DAY: u64 = 86_400_000;

type ProvenanceCall = pallet_drug_provenance::Call<Runtime>;
type PrescriptionsCall = pallet_prescriptions::Call<Runtime>;
type ClaimsCall = pallet_insurance_claims::Call<Runtime>;
type MonitoringCall = pallet_remote_monitoring::Call<Runtime>;
type ResearchCall = pallet_research_consent::Call<Runtime>;
type NetworkCall = pallet_consortium_network::Call<Runtime>;

/// Serials 1 to 7 of the product: 1 in the pharmacy's stock, 2 in transit to the distributor,
/// 3 in the manufacturer's stock, 4 flagged suspect at the manufacturer, 5 in the pharmacy's
/// stock, 6 returned by the distributor to the manufacturer, 7 in the distributor's stock.
fn build_supply_chain() {
	let provenance = |call| RuntimeCall::DrugProvenance(call);
	let serials = |ns: &[u8]| ns.iter().map(|n| serial(*n)).collect::<Vec<_>>();
	as_caller(
		ManufacturerLogistics,
		provenance(ProvenanceCall::register_product {
			organisation: MANUFACTURER,
			product: PRODUCT,
			kind: ProductKind::Drug,
			metadata_hash: H256::repeat_byte(0x0d),
			controlled: false,
		}),
		"register the product",
	);
	as_caller(
		ManufacturerLogistics,
		provenance(ProvenanceCall::commission_serials {
			organisation: MANUFACTURER,
			product: PRODUCT,
			lot: LOT.to_vec(),
			expires_at: A_YEAR_ON,
			serials: serials(&[1, 2, 3, 4, 5, 6, 7]),
		}),
		"commission serials",
	);
	let ship = |from, ns: &[u8], to| provenance(ProvenanceCall::ship_units { organisation: from, product: PRODUCT, serials: serials(ns), to });
	let receive = |at, ns: &[u8]| provenance(ProvenanceCall::receive_units { organisation: at, product: PRODUCT, serials: serials(ns) });
	as_caller(ManufacturerLogistics, ship(MANUFACTURER, &[1, 2, 5, 6, 7], DISTRIBUTOR), "ship to the distributor");
	as_caller(DistributorLogistics, receive(DISTRIBUTOR, &[1, 5, 6, 7]), "the distributor receives");
	as_caller(DistributorLogistics, ship(DISTRIBUTOR, &[1, 5], PHARMACY), "ship to the pharmacy");
	as_caller(Pharmacist, receive(PHARMACY, &[1, 5]), "the pharmacy receives");
	as_caller(
		DistributorLogistics,
		provenance(ProvenanceCall::return_units {
			organisation: DISTRIBUTOR,
			product: PRODUCT,
			serials: serials(&[6]),
			to: MANUFACTURER,
		}),
		"return to the manufacturer",
	);
	as_caller(
		ManufacturerLogistics,
		provenance(ProvenanceCall::flag_suspect {
			organisation: MANUFACTURER,
			product: PRODUCT,
			serial: serial(4),
			reason: SuspectReason::Counterfeit,
		}),
		"flag a unit suspect",
	);
}

/// The reference prescription (0) of the product; coverage 0 of the patient at the insurer;
/// claims 0 (submitted), 1 (approved) and 2 (denied) of the hospital under it.
fn build_prescriptions_and_claims() {
	as_caller(
		Practitioner,
		RuntimeCall::Prescriptions(PrescriptionsCall::issue_prescription {
			patient_commitment: Prescriptions::patient_commitment(&Patient.account(), &PATIENT_SALT),
			medication_request_hash: H256::repeat_byte(0xa1),
			item_commitment: Prescriptions::item_commitment(&PRODUCT, 1, &ITEM_SALT),
			controlled: false,
			refills: 0,
			refill_interval: 0,
			valid_from: BUILT_AT,
			valid_until: A_YEAR_ON,
		}),
		"the reference prescription",
	);
	as_caller(
		InsurerClaimsOfficer,
		RuntimeCall::InsuranceClaims(ClaimsCall::register_coverage {
			insurer: INSURER,
			patient: Patient.account(),
			policy_hash: H256::repeat_byte(0xc0),
			plan: b"GOLD-PPO".to_vec(),
			starts_at: BUILT_AT - 30 * DAY,
			ends_at: A_YEAR_ON,
		}),
		"the patient's coverage",
	);
	for document in CLAIM_DOCUMENTS {
		assert_eq!(HealthRecords::next_record_id(), document, "the claim documents' ids");
		as_caller(HospitalClaimsOfficer, file_claim_document(document as u8), "a claim document");
	}
	for (n, decision) in [(0u8, None), (1, Some(Decision::Approve)), (2, Some(Decision::Deny { reason: b"CO-50".to_vec() }))] {
		as_caller(HospitalClaimsOfficer, submit_claim(n), "a claim");
		if let Some(decision) = decision {
			as_caller(
				InsurerClaimsOfficer,
				RuntimeCall::InsuranceClaims(ClaimsCall::adjudicate_claim { claim: n.into(), decision }),
				"adjudicate a claim",
			);
		}
	}
}

/// A claim document about the patient, held by the hospital's vault, filed for the hospital.
fn file_claim_document(n: u8) -> RuntimeCall {
	RuntimeCall::HealthRecords(RecordsCall::add_record {
		patient: Patient.account(),
		record_type: RecordType::Claim,
		content_hash: H256::repeat_byte(0xd0 + n),
		custodian: HOSPITAL,
		authority: Authority::Billing(HOSPITAL),
	})
}

/// The hospital's claim `n` under the patient's coverage, for a service `n + 1` days ago; its
/// document is the `n`th claim document.
fn submit_claim(n: u8) -> RuntimeCall {
	RuntimeCall::InsuranceClaims(ClaimsCall::submit_claim {
		provider: HOSPITAL,
		coverage: 0,
		document: CLAIM_DOCUMENTS.start + u64::from(n),
		service_date: BUILT_AT - (u64::from(n) + 1) * DAY,
		billed: 12_000,
		fingerprint: H256::repeat_byte(0xc1 + n),
		reference: None,
	})
}

/// Device 0 bound to the patient with one batch anchored and alert 0 raised on rule 0;
/// device 1 proposed to the patient; device 2 registered only.
fn build_monitoring() {
	let monitoring = |call| RuntimeCall::RemoteMonitoring(call);
	for which in 0..3u8 {
		as_caller(
			Nurse,
			monitoring(MonitoringCall::register_device {
				organisation: HOSPITAL,
				device: device(which),
				udi_di: b"+H123GLUCO1".to_vec(),
				serial: serial(40 + which),
				kind: DeviceKind::GlucoseMeter,
				gateway: None,
			}),
			"register a device",
		);
	}
	for which in 0..2u8 {
		as_caller(
			Nurse,
			monitoring(MonitoringCall::propose_binding { device: device(which), patient: Patient.account() }),
			"propose a device",
		);
	}
	as_caller(Patient, monitoring(MonitoringCall::confirm_binding { device: device(0) }), "bind the device");
	pallet_timestamp::Now::<Runtime>::put(BUILT_AT + 30_000);
	as_caller(Device, anchor(BUILT_AT + 1, BUILT_AT + 20_000), "anchor a batch");
	as_caller(
		Nurse,
		monitoring(MonitoringCall::set_alert_rule {
			patient: Patient.account(),
			organisation: HOSPITAL,
			sealed_hash: H256::repeat_byte(0x5e),
		}),
		"an alert rule",
	);
	as_caller(Device, monitoring(MonitoringCall::raise_alert { device: device(0), rule: 0, batch: Some(0) }), "an alert");
}

fn anchor(starts_at: u64, ends_at: u64) -> RuntimeCall {
	RuntimeCall::RemoteMonitoring(MonitoringCall::anchor_batch {
		device: device(0),
		starts_at,
		ends_at,
		readings: 10,
		root: H256::repeat_byte(0xb0),
	})
}

fn health_research() -> DataUse {
	DataUse::new(Purpose::HealthMedicalBiomedical, vec![]).expect("plain health research is valid")
}

fn study(n: u8) -> RuntimeCall {
	RuntimeCall::ResearchConsent(ResearchCall::register_study {
		institute: INSTITUTE,
		protocol_hash: H256::repeat_byte(0xe0 + n),
		sponsor: b"Sponsor".to_vec(),
		data_use: health_research(),
		record_types: vec![RecordType::Observation],
		starts_at: 0,
		ends_at: A_YEAR_ON,
		approved_researchers: vec![],
	})
}

/// Study 0 approved by the ethics board, study 1 awaiting approval; the standing consent 0 to
/// health research under the patient's participant, and the researcher's access under it.
fn build_research() {
	as_caller(Researcher, study(0), "a study");
	as_caller(Researcher, study(1), "another study");
	as_caller(
		EthicsReviewer,
		RuntimeCall::ResearchConsent(ResearchCall::approve_study { study: 0, board: ETHICS_BOARD }),
		"approve the study",
	);
	as_caller(
		Participant,
		RuntimeCall::ResearchConsent(ResearchCall::give_consent {
			scope: ConsentScope::Standing(health_research()),
			record_types: vec![RecordType::Observation, RecordType::Condition],
			expires_at: None,
		}),
		"a standing consent",
	);
	as_caller(
		Researcher,
		RuntimeCall::ResearchConsent(ResearchCall::request_access { study: 0, participant: Participant.account() }),
		"a research access",
	);
}

/// One row: a call, who may make it, and why (the README's words).
pub struct Row {
	/// The call as the README names it.
	pub name: &'static str,
	/// The call, with the world's arguments.
	pub call: RuntimeCall,
	/// Who may make it.
	pub allowed: Vec<Caller>,
}

/// The hospital's clinical staff acting under its grant: roles, not licences, decide (a nurse
/// holds none); a practitioner whose licence lapsed keeps no standing.
const HOSPITAL_CLINICAL_STAFF: [Caller; 3] = [Practitioner, EmergencyPractitioner, Nurse];
/// Accounts the identity pallet knows as no one (no patient, member or vault): they may consent
/// to research, as a participant does.
/// (An organisation's admin who is no member of it is not indexed as anyone either.)
const UNIDENTIFIED: [Caller; 7] =
	[Stranger, GuardianInScope, GuardianForMonitoringOnly, GuardianExpired, HospitalAdmin, Device, Participant];

/// The policy, row by row.
pub fn rows() -> Vec<Row> {
	use CredentialKind::*;
	let identity = |call| RuntimeCall::HealthIdentity(call);
	let records = |call| RuntimeCall::HealthRecords(call);
	let provenance = |call| RuntimeCall::DrugProvenance(call);
	let claims = |call| RuntimeCall::InsuranceClaims(call);
	let monitoring = |call| RuntimeCall::RemoteMonitoring(call);
	let research = |call| RuntimeCall::ResearchConsent(call);
	let network = |call| RuntimeCall::ConsortiumNetwork(call);
	let patient = Patient.account();
	let row = |name, call, allowed: &[Caller]| Row { name, call, allowed: allowed.to_vec() };
	let hospital_grant = Authority::Grant(Grantee::Organisation(HOSPITAL));
	vec![
		row(
			"identity: admit_organisation",
			identity(IdentityCall::admit_organisation {
				kind: OrganisationKind::Clinic,
				admin: Stranger.account(),
				metadata_hash: H256::repeat_byte(3),
				encryption_key: [3; 32],
			}),
			&[],
		),
		row("identity: suspend_organisation", identity(IdentityCall::suspend_organisation { organisation: HOSPITAL }), &[]),
		row(
			"identity: reinstate_organisation",
			identity(IdentityCall::reinstate_organisation { organisation: SUSPENDED_CLINIC }),
			&[],
		),
		row(
			"identity: update_organisation",
			identity(IdentityCall::update_organisation {
				organisation: HOSPITAL,
				metadata_hash: H256::repeat_byte(4),
				encryption_key: [4; 32],
			}),
			&[HospitalAdmin],
		),
		row("identity: add_member", member(HOSPITAL, Stranger, vec![Role::Nurse]), &[HospitalAdmin]),
		row(
			"identity: remove_member",
			identity(IdentityCall::remove_member { organisation: HOSPITAL, member: Nurse.account() }),
			&[HospitalAdmin],
		),
		row(
			"identity: accredit_issuer",
			identity(IdentityCall::accredit_issuer { organisation: HOSPITAL, kind: MedicalLicence }),
			&[],
		),
		row(
			"identity: withdraw_accreditation",
			identity(IdentityCall::withdraw_accreditation { organisation: REGULATOR, kind: MedicalLicence }),
			&[],
		),
		row("identity: issue_credential", licence(Stranger, MedicalLicence, A_YEAR_ON), &[RegulatorAdmin]),
		row(
			"identity: suspend_credential",
			identity(IdentityCall::suspend_credential { holder: Practitioner.account(), kind: MedicalLicence }),
			&[RegulatorAdmin],
		),
		row(
			"identity: reinstate_credential",
			identity(IdentityCall::reinstate_credential {
				holder: SuspendedLicencePractitioner.account(),
				kind: MedicalLicence,
			}),
			&[RegulatorAdmin],
		),
		row(
			"identity: revoke_credential",
			identity(IdentityCall::revoke_credential { holder: Practitioner.account(), kind: MedicalLicence }),
			&[RegulatorAdmin],
		),
		// The registration desk's staff enrol: no licence is needed for it, a clinical or
		// admin role at the hospital is.
		row(
			"identity: enrol_patient",
			identity(IdentityCall::enrol_patient {
				organisation: HOSPITAL,
				patient: Stranger.account(),
				encryption_key: [5; 32],
			}),
			&[
				HospitalAdmin,
				Practitioner,
				EmergencyPractitioner,
				Nurse,
				LapsedLicencePractitioner,
				SuspendedLicencePractitioner,
				RevokedLicencePractitioner,
			],
		),
		row(
			"identity: rotate_patient_key",
			identity(IdentityCall::rotate_patient_key { encryption_key: [6; 32] }),
			&[Patient, OtherPatient],
		),
		row(
			"identity: appoint_guardian",
			guardian(Stranger, vec![CareScope::HealthRecords], None),
			&[Patient, OtherPatient],
		),
		row(
			"identity: remove_guardian",
			identity(IdentityCall::remove_guardian { guardian: GuardianInScope.account() }),
			&[Patient],
		),
		row(
			"identity: resign_guardianship",
			identity(IdentityCall::resign_guardianship { patient: patient.clone() }),
			&[GuardianInScope, GuardianForMonitoringOnly, GuardianExpired],
		),
		row(
			"identity: change_organisation_admin",
			identity(IdentityCall::change_organisation_admin { organisation: HOSPITAL, admin: Stranger.account() }),
			&[],
		),
		row(
			"identity: register_vault",
			identity(IdentityCall::register_vault {
				organisation: HOSPITAL,
				account: Stranger.account(),
				endpoint: b"https://vault2.hospital.example".to_vec(),
			}),
			&[HospitalAdmin],
		),
		row("identity: retire_vault", identity(IdentityCall::retire_vault { organisation: HOSPITAL }), &[HospitalAdmin]),
		row(
			"identity: set_staff_key",
			identity(IdentityCall::set_staff_key { encryption_key: [7; 32] }),
			&[
				Practitioner,
				EmergencyPractitioner,
				Nurse,
				Auditor,
				HospitalClaimsOfficer,
				Pharmacist,
				LaboratoryScientist,
				InsurerClaimsOfficer,
				Researcher,
				EthicsReviewer,
				ManufacturerLogistics,
				DistributorLogistics,
				SuspendedClinicPractitioner,
				LapsedLicencePractitioner,
				SuspendedLicencePractitioner,
				RevokedLicencePractitioner,
				// Alice, the regulator's admin, is also one of its members in the preset.
				RegulatorAdmin,
			],
		),
		row(
			"records: add_record under the hospital's grant",
			records(RecordsCall::add_record {
				patient: patient.clone(),
				record_type: RecordType::Condition,
				content_hash: H256::repeat_byte(7),
				custodian: HOSPITAL,
				authority: hospital_grant.clone(),
			}),
			&HOSPITAL_CLINICAL_STAFF,
		),
		row(
			"records: add_record as the patient or a guardian",
			records(RecordsCall::add_record {
				patient: patient.clone(),
				record_type: RecordType::Observation,
				content_hash: H256::repeat_byte(9),
				custodian: HOSPITAL,
				authority: Authority::PatientOrGuardian,
			}),
			&[Patient, GuardianInScope],
		),
		row("records: add_record of a claim document for the hospital", file_claim_document(9), &[HospitalClaimsOfficer]),
		row(
			"records: add_record under the laboratory's grant",
			records(RecordsCall::add_record {
				patient: patient.clone(),
				record_type: RecordType::DiagnosticReport,
				content_hash: H256::repeat_byte(10),
				custodian: HOSPITAL,
				authority: Authority::Grant(Grantee::Organisation(LABORATORY)),
			}),
			&[LaboratoryScientist],
		),
		row(
			"records: amend_record",
			records(RecordsCall::amend_record {
				record: RECORD,
				content_hash: H256::repeat_byte(12),
				authority: hospital_grant.clone(),
			}),
			&HOSPITAL_CLINICAL_STAFF,
		),
		row(
			"records: grant_access",
			records(RecordsCall::grant_access {
				patient: patient.clone(),
				grantee: Grantee::Account(Practitioner.account()),
				access: AccessLevel::Read,
				record_types: vec![RecordType::Observation],
				expires_at: A_YEAR_ON,
			}),
			&[Patient, GuardianInScope],
		),
		row(
			"records: revoke_access",
			records(RecordsCall::revoke_access { patient: patient.clone(), grantee: Grantee::Organisation(PHARMACY) }),
			&[Patient, GuardianInScope],
		),
		row(
			"records: log_releases",
			records(RecordsCall::log_releases {
				releases: vec![Release {
					record: RECORD,
					reader: Practitioner.account(),
					authority: hospital_grant.clone(),
					emergency: None,
					purpose: AccessPurpose::Treatment,
				}],
			}),
			// The custodian logs what its vault released; readers do not report themselves.
			&[HospitalVault],
		),
		row(
			"records: break_glass",
			records(RecordsCall::break_glass {
				patient: OtherPatient.account(),
				organisation: HOSPITAL,
				reason: EmergencyReason::LifeThreatening,
			}),
			&[EmergencyPractitioner],
		),
		row(
			"records: close_emergency_review",
			records(RecordsCall::close_emergency_review { emergency: EMERGENCY, outcome: ReviewOutcome::Justified }),
			&[Auditor],
		),
		row("records: erase_record", records(RecordsCall::erase_record { record: RECORD }), &[Patient, GuardianInScope]),
		row(
			"records: confirm_erasure",
			records(RecordsCall::confirm_erasure { record: ERASED_RECORD }),
			&[HospitalVault],
		),
		row(
			"provenance: register_product",
			provenance(ProvenanceCall::register_product {
				organisation: MANUFACTURER,
				product: ProductCode::Gtin(9_506_000_134_369),
				kind: ProductKind::Drug,
				metadata_hash: H256::repeat_byte(0x0e),
				controlled: false,
			}),
			&[ManufacturerLogistics],
		),
		row(
			"provenance: commission_serials",
			provenance(ProvenanceCall::commission_serials {
				organisation: MANUFACTURER,
				product: PRODUCT,
				lot: b"LOT-B".to_vec(),
				expires_at: A_YEAR_ON,
				serials: vec![serial(90)],
			}),
			&[ManufacturerLogistics],
		),
		row(
			"provenance: ship_units",
			provenance(ProvenanceCall::ship_units {
				organisation: MANUFACTURER,
				product: PRODUCT,
				serials: vec![serial(3)],
				to: DISTRIBUTOR,
			}),
			&[ManufacturerLogistics],
		),
		row(
			"provenance: receive_units",
			provenance(ProvenanceCall::receive_units { organisation: DISTRIBUTOR, product: PRODUCT, serials: vec![serial(2)] }),
			&[DistributorLogistics],
		),
		row(
			"provenance: recall_lot as the manufacturer",
			provenance(ProvenanceCall::recall_lot { organisation: MANUFACTURER, product: PRODUCT, lot: LOT.to_vec() }),
			&[ManufacturerLogistics],
		),
		row(
			"provenance: recall_lot as the regulator",
			provenance(ProvenanceCall::recall_lot { organisation: REGULATOR, product: PRODUCT, lot: LOT.to_vec() }),
			&[RegulatorAdmin],
		),
		row(
			"provenance: flag_suspect as the holder",
			provenance(ProvenanceCall::flag_suspect {
				organisation: DISTRIBUTOR,
				product: PRODUCT,
				serial: serial(7),
				reason: SuspectReason::Diverted,
			}),
			&[DistributorLogistics],
		),
		row(
			"provenance: flag_suspect as the regulator",
			provenance(ProvenanceCall::flag_suspect {
				organisation: REGULATOR,
				product: PRODUCT,
				serial: serial(7),
				reason: SuspectReason::Stolen,
			}),
			&[RegulatorAdmin],
		),
		row(
			"provenance: clear_suspect",
			provenance(ProvenanceCall::clear_suspect { organisation: MANUFACTURER, product: PRODUCT, serial: serial(4) }),
			&[ManufacturerLogistics],
		),
		row(
			"provenance: confirm_illegitimate",
			provenance(ProvenanceCall::confirm_illegitimate { organisation: REGULATOR, product: PRODUCT, serial: serial(4) }),
			&[RegulatorAdmin],
		),
		row(
			"provenance: return_units",
			provenance(ProvenanceCall::return_units {
				organisation: PHARMACY,
				product: PRODUCT,
				serials: vec![serial(5)],
				to: DISTRIBUTOR,
			}),
			&[Pharmacist],
		),
		row(
			"provenance: accept_return",
			provenance(ProvenanceCall::accept_return {
				organisation: MANUFACTURER,
				product: PRODUCT,
				serial: serial(6),
				lot: LOT.to_vec(),
				expires_at: A_YEAR_ON,
			}),
			&[ManufacturerLogistics],
		),
		row(
			"provenance: destroy_units",
			provenance(ProvenanceCall::destroy_units { organisation: MANUFACTURER, product: PRODUCT, serials: vec![serial(3)] }),
			&[ManufacturerLogistics],
		),
		row(
			"prescriptions: issue_prescription",
			RuntimeCall::Prescriptions(PrescriptionsCall::issue_prescription {
				patient_commitment: Prescriptions::patient_commitment(&patient, &PATIENT_SALT),
				medication_request_hash: H256::repeat_byte(0xa2),
				item_commitment: Prescriptions::item_commitment(&PRODUCT, 2, &ITEM_SALT),
				controlled: false,
				refills: 1,
				refill_interval: 7 * DAY,
				valid_from: BUILT_AT,
				valid_until: A_YEAR_ON,
			}),
			&[Practitioner, EmergencyPractitioner],
		),
		row(
			"prescriptions: dispense_prescription",
			RuntimeCall::Prescriptions(PrescriptionsCall::dispense_prescription {
				prescription: 0,
				pharmacy: PHARMACY,
				product: PRODUCT,
				item_salt: ITEM_SALT,
				serials: vec![serial(1).try_into().expect("a short serial")],
			}),
			&[Pharmacist],
		),
		row(
			"prescriptions: cancel_prescription",
			RuntimeCall::Prescriptions(PrescriptionsCall::cancel_prescription {
				prescription: 0,
				opening: Some((patient.clone(), PATIENT_SALT)),
			}),
			&[Patient, GuardianInScope, Practitioner],
		),
		row(
			"prescriptions: set_controlled_limits",
			RuntimeCall::Prescriptions(PrescriptionsCall::set_controlled_limits {
				limits: ControlledLimits { max_refills: 2, max_units_per_fill: 30, min_refill_interval: 20 * DAY },
			}),
			&[RegulatorAdmin],
		),
		row(
			"claims: register_coverage",
			claims(ClaimsCall::register_coverage {
				insurer: INSURER,
				patient: OtherPatient.account(),
				policy_hash: H256::repeat_byte(0xc9),
				plan: b"SILVER".to_vec(),
				starts_at: BUILT_AT,
				ends_at: A_YEAR_ON,
			}),
			&[InsurerClaimsOfficer],
		),
		row("claims: end_coverage", claims(ClaimsCall::end_coverage { coverage: 0 }), &[InsurerClaimsOfficer]),
		row("claims: submit_claim", submit_claim((UNFILED_CLAIM_DOCUMENT - CLAIM_DOCUMENTS.start) as u8), &[HospitalClaimsOfficer]),
		row(
			"claims: adjudicate_claim",
			claims(ClaimsCall::adjudicate_claim { claim: 0, decision: Decision::Approve }),
			&[InsurerClaimsOfficer],
		),
		row(
			"claims: mark_paid",
			claims(ClaimsCall::mark_paid { claim: 1, payment_reference: H256::repeat_byte(0xc4) }),
			&[InsurerClaimsOfficer],
		),
		row(
			"claims: appeal_claim",
			claims(ClaimsCall::appeal_claim { claim: 2, appeal: APPEAL_DOCUMENT }),
			&[HospitalClaimsOfficer],
		),
		row(
			"monitoring: register_device",
			monitoring(MonitoringCall::register_device {
				organisation: HOSPITAL,
				device: device(9),
				udi_di: b"+H123GLUCO1".to_vec(),
				serial: serial(49),
				kind: DeviceKind::PulseOximeter,
				gateway: None,
			}),
			&HOSPITAL_CLINICAL_STAFF,
		),
		row(
			"monitoring: propose_binding",
			monitoring(MonitoringCall::propose_binding { device: device(2), patient: patient.clone() }),
			&HOSPITAL_CLINICAL_STAFF,
		),
		row(
			"monitoring: confirm_binding",
			monitoring(MonitoringCall::confirm_binding { device: device(1) }),
			&[Patient, GuardianInScope, GuardianForMonitoringOnly],
		),
		row(
			"monitoring: unbind_device",
			monitoring(MonitoringCall::unbind_device { device: device(0) }),
			&[Patient, GuardianInScope, GuardianForMonitoringOnly, Practitioner, EmergencyPractitioner, Nurse],
		),
		row(
			"monitoring: retire_device",
			monitoring(MonitoringCall::retire_device { device: device(2) }),
			&HOSPITAL_CLINICAL_STAFF,
		),
		row("monitoring: anchor_batch", anchor(BUILT_AT + 30_001, BUILT_AT + 50_000), &[Device]),
		row(
			"monitoring: set_alert_rule",
			monitoring(MonitoringCall::set_alert_rule {
				patient: patient.clone(),
				organisation: HOSPITAL,
				sealed_hash: H256::repeat_byte(0x5f),
			}),
			&HOSPITAL_CLINICAL_STAFF,
		),
		row(
			"monitoring: remove_alert_rule",
			monitoring(MonitoringCall::remove_alert_rule { rule: 0 }),
			&[Patient, GuardianInScope, GuardianForMonitoringOnly, Practitioner, EmergencyPractitioner, Nurse],
		),
		row(
			"monitoring: raise_alert",
			monitoring(MonitoringCall::raise_alert { device: device(0), rule: 0, batch: Some(0) }),
			&[Device],
		),
		row("monitoring: acknowledge_alert", monitoring(MonitoringCall::acknowledge_alert { alert: 0 }), &HOSPITAL_CLINICAL_STAFF),
		row("research: register_study", study(2), &[Researcher]),
		row(
			"research: approve_study",
			research(ResearchCall::approve_study { study: 1, board: ETHICS_BOARD }),
			&[EthicsReviewer],
		),
		row(
			"research: suspend_study",
			research(ResearchCall::suspend_study { study: 0, reason: SuspensionReason::ParticipantSafety }),
			&[EthicsReviewer],
		),
		row(
			"research: give_consent",
			research(ResearchCall::give_consent {
				scope: ConsentScope::Study(0),
				record_types: vec![RecordType::Observation],
				expires_at: None,
			}),
			&UNIDENTIFIED,
		),
		row(
			"research: narrow_consent",
			research(ResearchCall::narrow_consent {
				consent: 0,
				terms: None,
				record_types: vec![RecordType::Observation],
				expires_at: Some(A_YEAR_ON),
			}),
			&[Participant],
		),
		row("research: withdraw_consent", research(ResearchCall::withdraw_consent { consent: 0 }), &[Participant]),
		row(
			"research: request_access",
			research(ResearchCall::request_access { study: 0, participant: Participant.account() }),
			&[Researcher],
		),
		row("network: add_validator", network(NetworkCall::add_validator { who: K::Charlie.to_account_id() }), &[]),
		row("network: remove_validator", network(NetworkCall::remove_validator { who: K::Bob.to_account_id() }), &[]),
		row("network: set_session_length", network(NetworkCall::set_session_length { blocks: 20 }), &[]),
		row(
			"network: authorise_node",
			network(NetworkCall::authorise_node {
				peer_id: pallet_consortium_network::peer_id_of(&[7; 32]).to_vec(),
				owner: Stranger.account(),
			}),
			&[],
		),
		row(
			"network: revoke_node",
			network(NetworkCall::revoke_node { peer_id: pallet_consortium_network::peer_id_of(&[8; 32]).to_vec() }),
			&[],
		),
		row(
			"research: end_access",
			research(ResearchCall::end_access { participant: Participant.account(), researcher: Researcher.account() }),
			&[Participant, Researcher],
		),
		row(
			"research: log_releases",
			research(ResearchCall::log_releases {
				releases: vec![pallet_research_consent::Release {
					participant: Participant.account(),
					researcher: Researcher.account(),
					study: 0,
					records: 2,
					digest: H256::repeat_byte(0xd1),
				}],
			}),
			&[HospitalVault],
		),
	]
}

/// The table as the README shows it: a row per call, the callers that may make it.
pub fn policy_markdown() -> String {
	let mut table = String::from("| call | who may call it (every other kind of caller is refused) |\n| --- | --- |\n");
	for row in rows() {
		let who = if row.allowed.is_empty() {
			"governance only".to_string()
		} else {
			row.allowed.iter().map(|c| c.heading()).collect::<Vec<_>>().join(", ")
		};
		table.push_str(&format!("| `{}` | {} |\n", row.name, who));
	}
	table
}

/// Dispatches `call` as `caller` and rolls everything back: did it succeed?
fn cell(caller: Caller, call: &RuntimeCall) -> Result<(), DispatchError> {
	with_transaction(|| {
		let result = call.clone().dispatch(signed(caller)).map(|_| ()).map_err(|e| e.error);
		TransactionOutcome::Rollback(Ok::<_, DispatchError>(result))
	})
	.expect("the transaction layer is not exhausted")
}

#[test]
fn the_runtime_agrees_with_the_role_matrix_cell_by_cell() {
	let genesis = crate::tests::native_genesis(sp_genesis_builder::DEV_RUNTIME_PRESET);
	let mut externalities = sp_io::TestExternalities::new(genesis);
	// Session keys are generated in a keystore, as a node's `author_rotateKeys` does.
	externalities.register_extension(sp_keystore::KeystoreExt::new(sp_keystore::testing::MemoryKeystore::new()));
	externalities.execute_with(|| {
		build_world();
		let mut disagreements = Vec::new();
		let mut cells = 0;
		for row in rows() {
			// What no signed caller may do, governance does: the refusals are of the caller,
			// not of the arguments.
			if row.allowed.is_empty() {
				let by_governance = with_transaction(|| {
					let result = row.call.clone().dispatch_bypass_filter(RuntimeOrigin::root()).map(|_| ());
					TransactionOutcome::Rollback(Ok::<_, DispatchError>(result))
				})
				.expect("the transaction layer is not exhausted");
				if let Err(error) = by_governance {
					disagreements.push(format!("{} by governance: expected success, got {:?}", row.name, error.error));
				}
			}
			for &caller in CALLERS {
				cells += 1;
				let result = cell(caller, &row.call);
				let expected = row.allowed.contains(&caller);
				if result.is_ok() != expected {
					disagreements.push(format!(
						"{} by {:?}: expected {}, got {result:?}",
						row.name,
						caller,
						if expected { "success" } else { "refusal" }
					));
				}
			}
		}
		assert!(disagreements.is_empty(), "{} of {cells} cells disagree:\n{}", disagreements.len(), disagreements.join("\n"));
		// Every column is a distinct account, so no cell borrowed another's standing.
		let mut accounts: Vec<_> = CALLERS.iter().map(|c| c.account()).collect();
		accounts.sort();
		accounts.dedup();
		assert_eq!(accounts.len(), CALLERS.len());
	});
}

#[test]
fn role_matrix_is_in_the_readme() {
	let readme = include_str!("../../README.md");
	let table = policy_markdown();
	assert!(
		readme.contains(&table),
		"README.md's role matrix differs from the runtime's; the table is:\n{table}"
	);
}
