//! What an account with nothing but its registration can make the chain store.
//!
//! A hospital enrols a new, unfunded account as a patient. The account then does, through
//! real signed transactions applied by `Executive` (fee payment, nonce and sponsorship
//! included), everything a patient may do to grow storage, each as large as it may be and as
//! often as it may, a day's allowance at a time, until every per-patient bound refuses it.
//! The state it grew is measured byte for byte (every key and value, beside the per-block
//! bookkeeping of `System` and `Timestamp`) and must stay within [`patient_storage_bound`],
//! the bound computed from the configured limits and the storage items' maximum encoded
//! sizes, which the README states.

use crate::{
	configs, tests::native_genesis, AccountId, Executive, Header, Runtime, RuntimeCall, RuntimeOrigin,
	SignedPayload, UncheckedExtrinsic, SLOT_DURATION,
};
use codec::Encode;
use frame_support::{
	assert_ok,
	storage::StoragePrefixedMap,
	traits::{Get, StorageInfoTrait},
};
use pallet_health_identity::{CareScope, GuardianKind};
use pallet_health_records::{AccessLevel, Authority, Grantee, RecordType};
use pallet_research_consent::{ConsentScope, DataUse, Purpose};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, Pair, H256};
use sp_io::hashing::twox_128;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::{Dispatchable, Header as _, IdentifyAccount, Verify},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	MultiSignature, MultiSigner,
};

type Records = pallet_health_records::Call<Runtime>;
type Research = pallet_research_consent::Call<Runtime>;
type Identity = pallet_health_identity::Call<Runtime>;

/// The genesis hospital of the development preset, whose admin is Bob.
const HOSPITAL: u32 = 1;
/// The genesis regulator, which issues medical licences; its admin is Alice.
const REGULATOR: u32 = 0;
const DAY: u64 = 24 * 60 * 60 * 1000;

/// One storage item's entries: (pallet, item, how many entries at most per patient).
type Entries = (&'static str, &'static str, u64);

/// The most entries of each storage item that one patient's sponsored calls can create: the
/// configured per-patient limits. Global counters are counted once.
fn patient_entries() -> Vec<Entries> {
	type Id = <Runtime as pallet_health_identity::Config>::MaxGuardiansPerPatient;
	type Rec = <Runtime as pallet_health_records::Config>::MaxRecordsWrittenByPatient;
	type Grants = <Runtime as pallet_health_records::Config>::MaxGrantsPerPatient;
	let get = |n: u32| n as u64;
	let (guardians, records, grants) = (get(Id::get()), get(Rec::get()), get(Grants::get()));
	vec![
		("System", "Account", 1),
		("HealthIdentity", "Patients", 1),
		("HealthIdentity", "SponsoredTransactions", 1),
		("HealthIdentity", "Guardians", guardians),
		("HealthIdentity", "GuardianCount", 1),
		("HealthRecords", "NextRecordId", 1),
		("HealthRecords", "Records", records),
		("HealthRecords", "PatientRecords", records),
		("HealthRecords", "RecordCount", 1),
		("HealthRecords", "RecordsWrittenByPatient", 1),
		("HealthRecords", "Grants", grants),
		("HealthRecords", "GrantsByGrantee", grants),
		("HealthRecords", "PatientGrantCount", 1),
	]
}

/// The most bytes (keys and values) one patient's sponsored calls can make the chain store:
/// [`patient_entries`], each entry at its storage item's maximum encoded size plus its
/// 32-byte prefix.
pub fn patient_storage_bound() -> u64 {
	item_bounds().into_iter().map(|(_, _, bound)| bound).sum()
}

/// Each storage item's share of [`patient_storage_bound`]: (pallet, item, bytes).
fn item_bounds() -> Vec<(&'static str, &'static str, u64)> {
	let info: Vec<_> = [
		frame_system::Pallet::<Runtime>::storage_info(),
		pallet_health_identity::Pallet::<Runtime>::storage_info(),
		pallet_health_records::Pallet::<Runtime>::storage_info(),
		pallet_research_consent::Pallet::<Runtime>::storage_info(),
	]
	.concat();
	patient_entries()
		.into_iter()
		.map(|(pallet, item, entries)| {
			let found = info
				.iter()
				.find(|i| i.pallet_name == pallet.as_bytes() && i.storage_name == item.as_bytes())
				.unwrap_or_else(|| panic!("{pallet}::{item} is a storage item"));
			let size = found.max_size.unwrap_or_else(|| panic!("{pallet}::{item} has a maximum size"));
			(pallet, item, entries * (32 + size as u64))
		})
		.collect()
}

/// Bytes of every key and value in state, beside `System`'s per-block bookkeeping (its
/// accounts are counted) and the clock.
fn state_bytes() -> u64 {
	let system = twox_128(b"System");
	let accounts = frame_system::Account::<Runtime>::final_prefix();
	let clock = twox_128(b"Timestamp");
	let mut total = 0;
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		let per_block = (next.starts_with(&system) && !next.starts_with(&accounts)) || next.starts_with(&clock);
		if !per_block {
			total += (next.len() + sp_io::storage::get(&next).map_or(0, |v| v.len())) as u64;
		}
		key = next;
	}
	total
}

/// The keys of one storage item, and the bytes of its keys and values.
fn item_usage(pallet: &str, item: &str) -> (u64, u64) {
	let prefix = [twox_128(pallet.as_bytes()), twox_128(item.as_bytes())].concat();
	let (mut entries, mut bytes) = (0, 0);
	let mut next = sp_io::storage::get(&prefix).map(|_| prefix.clone()).or_else(|| sp_io::storage::next_key(&prefix));
	while let Some(key) = next.filter(|k| k.starts_with(&prefix)) {
		entries += 1;
		bytes += (key.len() + sp_io::storage::get(&key).map_or(0, |v| v.len())) as u64;
		next = sp_io::storage::next_key(&key);
	}
	(entries, bytes)
}

/// A chain whose blocks are built as an Aura author builds them.
struct Chain {
	number: u32,
	now: u64,
}

impl Chain {
	fn open_block(&self) {
		let slot = self.now / SLOT_DURATION;
		let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())] };
		let parent = frame_system::Pallet::<Runtime>::block_hash(self.number - 1);
		Executive::initialize_block(&Header::new(self.number, Default::default(), Default::default(), parent, digest));
		let timestamp = UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: self.now }));
		Executive::apply_extrinsic(timestamp).expect("the timestamp inherent is valid").expect("it dispatches");
		Executive::inherents_applied();
	}

	/// Closes the block, checks the pallets' invariants, and opens the next `lapse` later.
	fn next_block(&mut self, lapse: u64) {
		Executive::finalize_block();
		pallet_health_identity::Pallet::<Runtime>::do_try_state().expect("identity's invariants hold");
		pallet_health_records::Pallet::<Runtime>::do_try_state().expect("health records' invariants hold");
		pallet_research_consent::Pallet::<Runtime>::do_try_state().expect("research consent's invariants hold");
		self.number += 1;
		self.now += lapse;
		self.open_block();
	}
}

/// A transaction from `signer`, as a wallet builds it: immortal, no tip.
fn signed(signer: &sr25519::Pair, call: RuntimeCall) -> UncheckedExtrinsic {
	let account: AccountId = MultiSigner::from(signer.public()).into_account();
	let extension = crate::wallet_tx_extension(frame_system::Pallet::<Runtime>::account_nonce(&account));
	let payload = SignedPayload::new(call, extension).expect("the implicit data is readable");
	let signature = MultiSignature::from(payload.using_encoded(|bytes| signer.sign(bytes)));
	assert!(payload.using_encoded(|bytes| signature.verify(bytes, &account)));
	let (call, extension, _) = payload.deconstruct();
	UncheckedExtrinsic::new_signed(call, account.into(), signature, extension)
}

/// The patient: sends `call` through the chain, a new day's block when the day's allowance
/// is spent. Returns how the call fared.
struct Patient {
	pair: sr25519::Pair,
	chain: Chain,
	sent: u32,
}

impl Patient {
	fn account(&self) -> AccountId {
		MultiSigner::from(self.pair.public()).into_account()
	}

	fn send(&mut self, call: RuntimeCall) -> sp_runtime::DispatchResult {
		loop {
			match Executive::apply_extrinsic(signed(&self.pair, call.clone())) {
				Ok(result) => {
					self.sent += 1;
					return result;
				},
				// The day's allowance is spent; the patient has no funds for a fee.
				Err(TransactionValidityError::Invalid(InvalidTransaction::Payment)) => {
					let today = pallet_health_identity::SponsoredTransactions::<Runtime>::get(self.account())
						.expect("the patient sent today");
					assert_eq!(
						today.count,
						configs::SPONSORED_TRANSACTIONS_PER_DAY,
						"refused only once it is spent: {today:?} at {} after {}: {call:?}",
						self.chain.now,
						self.sent
					);
					self.chain.next_block(DAY);
				},
				// The block is full: the next one.
				Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) =>
					self.chain.next_block(SLOT_DURATION),
				Err(other) => panic!("a patient's transaction refused with {other:?} after {} sent: {call:?}", self.sent),
			}
		}
	}

	/// Sends `call` until it fails, and returns the error.
	fn until_refused(&mut self, mut call: impl FnMut(u32) -> RuntimeCall) -> sp_runtime::DispatchError {
		for i in 0.. {
			if let Err(error) = self.send(call(i)) {
				return error;
			}
		}
		unreachable!()
	}
}

fn error<E: Into<sp_runtime::DispatchError>>(e: E) -> sp_runtime::DispatchError {
	e.into()
}

/// Consent terms as long as they may be: the longest disease code and every modifier, each
/// with its longest parameter.
fn widest_terms() -> DataUse {
	use pallet_research_consent::{
		duo::{MAX_DISEASE_CODE_LENGTH, MAX_REGION_CODE_LENGTH, MAX_RESEARCH_TYPE_LENGTH},
		Modifier::*,
	};
	fn code<S: Get<u32>>(first: u8, len: u32) -> frame_support::BoundedVec<u8, S> {
		let mut code = vec![first];
		code.resize(len as usize, b'9');
		code.try_into().unwrap()
	}
	let modifiers = vec![
		NotForProfitUse,
		NonCommercialUse,
		PublicationRequired,
		CollaborationRequired,
		EthicsApprovalRequired,
		GeographicalRestriction(code(b'C', MAX_REGION_CODE_LENGTH)),
		PublicationMoratorium(u64::MAX),
		TimeLimitOnUse(u64::MAX),
		UserSpecificRestriction,
		ResearchSpecificRestriction(code(b'r', MAX_RESEARCH_TYPE_LENGTH)),
	];
	DataUse::new(Purpose::DiseaseSpecific(code(b'C', MAX_DISEASE_CODE_LENGTH)), modifiers).unwrap()
}

#[test]
fn an_account_with_nothing_but_its_registration_stores_no_more_than_the_documented_bytes() {
	let mut externalities = sp_io::TestExternalities::new(native_genesis(sp_genesis_builder::DEV_RUNTIME_PRESET));
	externalities.execute_with(|| {
		let start = 1_798_761_600_000;
		let mut chain = Chain { number: 1, now: start };
		chain.open_block();
		// Bob, the hospital's admin, enrols a new account that holds nothing.
		let pair = sr25519::Pair::from_string("//an unfunded patient", None).unwrap();
		let patient: AccountId = MultiSigner::from(pair.public()).into_account();
		let bob = Sr25519Keyring::Bob.pair();
		let enrol = Identity::enrol_patient { organisation: HOSPITAL, patient: patient.clone(), encryption_key: [7; 32] };
		assert_eq!(Executive::apply_extrinsic(signed(&bob, RuntimeCall::HealthIdentity(enrol))), Ok(Ok(())));
		// The hospital takes on enough licensed practitioners for the patient to grant as many
		// as it may (members are the hospital's storage, not the patient's).
		let grants: u32 = <Runtime as pallet_health_records::Config>::MaxGrantsPerPatient::get();
		let mut practitioners = Vec::new();
		for i in 0..grants {
			let practitioner: AccountId =
				MultiSigner::from(sr25519::Pair::from_string(&format!("//practitioner {i}"), None).unwrap().public())
					.into_account();
			let add = Identity::add_member {
				organisation: HOSPITAL,
				member: practitioner.clone(),
				roles: vec![pallet_health_identity::Role::Practitioner],
			};
			let licence = Identity::issue_credential {
				issuer: REGULATOR,
				holder: practitioner.clone(),
				kind: pallet_health_identity::CredentialKind::MedicalLicence,
				licence_hash: H256::repeat_byte(9),
				valid_from: start,
				valid_until: start + 10 * 365 * DAY,
			};
			assert_ok!(RuntimeCall::HealthIdentity(add).dispatch(RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id())));
			assert_ok!(RuntimeCall::HealthIdentity(licence).dispatch(RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id())));
			practitioners.push(practitioner);
		}
		let vault = Identity::register_vault {
			organisation: HOSPITAL,
			account: AccountId::from([0x7a; 32]),
			endpoint: b"https://vault.hospital.example".to_vec(),
		};
		assert_ok!(RuntimeCall::HealthIdentity(vault).dispatch(RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id())));
		chain.next_block(DAY);
		let before = state_bytes();
		let entries_before: Vec<u64> = patient_entries().iter().map(|(p, i, _)| item_usage(p, i).0).collect();
		let mut p = Patient { pair, chain, sent: 0 };

		// Guardians, as many as may be, for every scope.
		let scopes = vec![
			CareScope::HealthRecords,
			CareScope::Prescriptions,
			CareScope::InsuranceClaims,
			CareScope::ResearchConsent,
			CareScope::RemoteMonitoring,
		];
		let refused = p.until_refused(|i| {
			RuntimeCall::HealthIdentity(Identity::appoint_guardian {
				guardian: MultiSigner::from(sr25519::Pair::from_string(&format!("//guardian {i}"), None).unwrap().public())
					.into_account(),
				kind: GuardianKind::Delegate,
				scope: scopes.clone(),
				expires_at: Some(u64::MAX),
			})
		});
		assert_eq!(refused, error(pallet_health_identity::Error::<Runtime>::TooManyGuardians));

		// Grants of every record type to every practitioner and care provider there is.
		let mut grantees: Vec<Grantee<AccountId, u32>> = (0..pallet_health_identity::NextOrganisationId::<Runtime>::get())
			.filter(|org| configs::is_care_provider(*org))
			.map(Grantee::Organisation)
			.collect();
		grantees.extend(
			Sr25519Keyring::iter()
				.map(|k| k.to_account_id())
				.chain(practitioners)
				.filter(|who| configs::is_licensed_practitioner(who, None))
				.map(Grantee::Account),
		);
		assert!(grantees.len() > grants as usize, "more practitioners and care providers than grants");
		let refused = p.until_refused(|i| {
			RuntimeCall::HealthRecords(Records::grant_access {
				patient: patient.clone(),
				grantee: grantees[i as usize].clone(),
				access: AccessLevel::Read,
				record_types: RecordType::ALL.to_vec(),
				expires_at: u64::MAX,
			})
		});
		assert_eq!(refused, error(pallet_health_records::Error::<Runtime>::TooManyGrants));
		grantees.truncate(grants as usize);

		// Records, held by the hospital's vault, until no more may be written.
		let refused = p.until_refused(|_| {
			RuntimeCall::HealthRecords(Records::add_record {
				patient: patient.clone(),
				record_type: RecordType::Observation,
				content_hash: H256::repeat_byte(1),
				custodian: HOSPITAL,
				authority: Authority::PatientOrGuardian,
			})
		});
		assert_eq!(refused, error(pallet_health_records::Error::<Runtime>::TooManyRecordsWrittenByPatient));
		// Logging a release is the custodian's, not sponsored, and the patient has nothing to
		// pay for it with.
		let release = Records::log_releases {
			releases: vec![pallet_health_records::Release {
				record: 0,
				reader: patient.clone(),
				authority: Authority::PatientOrGuardian,
				emergency: None,
				purpose: pallet_health_records::AccessPurpose::PatientRequest,
			}],
		};
		assert_eq!(
			Executive::apply_extrinsic(signed(&p.pair, RuntimeCall::HealthRecords(release))),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);

		// Research consent is given under participants, never under the patient's own
		// account (it would name the patient next to the study): not sponsored, and the
		// patient has nothing to pay for it with. Nothing to grow here.
		let give = Research::give_consent {
			scope: ConsentScope::Standing(widest_terms()),
			record_types: RecordType::ALL.to_vec(),
			expires_at: Some(u64::MAX),
		};
		assert_eq!(
			Executive::apply_extrinsic(signed(&p.pair, RuntimeCall::ResearchConsent(give))),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);

		// Beyond its sponsored calls the patient pays, and it has nothing.
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		assert_eq!(
			Executive::apply_extrinsic(signed(&p.pair, remark)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		p.chain.next_block(DAY);
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);

		let grown = state_bytes() - before;
		let bound = patient_storage_bound();
		println!(
			"{} transactions in {} blocks over {} days: the patient's state grew by {grown} bytes; the bound is {bound} bytes",
			p.sent,
			p.chain.number,
			(p.chain.now - start) / DAY
		);
		assert!(grown <= bound, "grew by {grown} bytes, beyond the bound of {bound}");
		// The run reached every per-patient limit: each item gained as many entries as the
		// bound counts. (The bound is looser than the run in bytes: a list's maximum encoded
		// size counts every element at its largest variant.)
		for ((pallet, item, limit), before) in patient_entries().into_iter().zip(entries_before) {
			let (entries, bytes) = item_usage(pallet, item);
			println!("{pallet}::{item}: {entries} entries, {bytes} bytes");
			// Single values and the patient's own entries predate the run.
			if limit > 1 {
				assert_eq!(entries - before, limit, "{pallet}::{item}: the run missed its limit");
			}
		}
		let readme = include_str!("../../README.md");
		assert!(
			readme.contains(&format!("{} bytes", group_thousands(bound))),
			"the README states the bound: {} bytes",
			group_thousands(bound)
		);
	});
}

/// `n` with a comma between thousands, as the README writes numbers.
fn group_thousands(n: u64) -> String {
	let digits = n.to_string();
	let mut out = String::new();
	for (i, c) in digits.chars().enumerate() {
		if i > 0 && (digits.len() - i) % 3 == 0 {
			out.push(',');
		}
		out.push(c);
	}
	out
}
