//! A fuzz harness for the HealthChain runtime.
//!
//! One input is a short life of the development chain. Starting from the `development`
//! preset (the demo consortium: a regulator, hospitals, a pharmacy, an insurer, patients, a
//! council), it builds blocks as the node does: Aura's pre-digest, the timestamp inherent, then
//! signed transactions from the genesis identities and from fresh, unfunded accounts, each
//! signed, nonced and charged through the runtime's real transaction extensions and applied by
//! `Executive`. Time moves between blocks by a slot up to weeks, so grants, consents,
//! prescriptions and reviews expire mid-run. After every block, every pallet's `try_state`
//! must hold; a panic anywhere or a broken invariant is a finding.
//!
//! # Input format
//!
//! A sequence of steps, read until the input ends:
//! - a byte below [`NEW_BLOCK_BELOW`] closes the block and opens the next; the byte after it
//!   says how much time passes ([`lapse_in_slots`]);
//! - any other byte picks the caller (modulo the [`callers`]), and a SCALE-encoded
//!   [`RuntimeCall`] follows. Decoding the call as SCALE lets libFuzzer's mutations reach
//!   every call of every pallet, with every argument, without a hand-written grammar.
//!
//! Calls that only Root may make outside governance (`Sudo`, `System` other than remarks, the
//! timestamp inherent) are left out: they can set the chain's code or storage to anything, so
//! what follows them is not a finding about HealthChain.

use std::sync::OnceLock;

use codec::{DecodeLimit, Encode};
use frame_support::traits::{TryState, TryStateSelect};
use healthchain_runtime::{
	AllPalletsWithSystem, Executive, Header, Runtime, RuntimeCall, RuntimeGenesisConfig,
	SignedPayload, UncheckedExtrinsic, SLOT_DURATION,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, storage::Storage, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{Header as _, IdentifyAccount},
	BuildStorage, Digest, DigestItem, MultiSignature, MultiSigner,
};

/// Step bytes below this close the current block.
pub const NEW_BLOCK_BELOW: u8 = 24;
/// At most this many blocks per input, so that one execution stays in milliseconds.
pub const MAX_BLOCKS: u32 = 24;
/// At most this many transactions per input.
pub const MAX_TRANSACTIONS: u32 = 96;
/// How deep a call may nest (batches of proposals of batches).
const CALL_DEPTH_LIMIT: u32 = 8;
/// Slots per day at two-second slots.
const SLOTS_PER_DAY: u64 = 86_400_000 / SLOT_DURATION;

/// The time a lapse byte lets pass, in slots: one to 200 slots for most values, otherwise
/// whole days (up to 56), so that expiries of hours, days and weeks are all reached.
pub fn lapse_in_slots(byte: u8) -> u64 {
	if byte < 200 {
		u64::from(byte) + 1
	} else {
		u64::from(byte - 199) * SLOTS_PER_DAY
	}
}

/// The accounts that sign: every development keyring account (the demo consortium's members,
/// patients and council; `One` and `Two` hold no tokens), and two fresh accounts that exist
/// nowhere in genesis.
pub fn callers() -> &'static [sr25519::Pair] {
	static CALLERS: OnceLock<Vec<sr25519::Pair>> = OnceLock::new();
	CALLERS.get_or_init(|| {
		Sr25519Keyring::iter()
			.map(|k| k.pair())
			.chain([sr25519::Pair::from_seed(&[0xf1; 32]), sr25519::Pair::from_seed(&[0xf2; 32])])
			.collect()
	})
}

/// The genesis storage of the `development` preset, built once: the runtime's default
/// config with the preset's patch merged in, as the node's chain-spec builder does.
pub fn genesis() -> &'static Storage {
	static GENESIS: OnceLock<Storage> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let patch = healthchain_runtime::genesis_config_presets::get_preset(
			&sp_genesis_builder::DEV_RUNTIME_PRESET.into(),
		)
		.expect("the development preset exists");
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default())
			.expect("the default config serialises");
		merge(&mut config, serde_json::from_slice(&patch).expect("the preset is JSON"));
		serde_json::from_value::<RuntimeGenesisConfig>(config)
			.expect("the patched preset is a valid RuntimeGenesisConfig")
			.build_storage()
			.expect("genesis storage builds")
	})
}

/// Merges a genesis patch into a full config: objects key by key, anything else replaced.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) =>
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			},
		(base, patch) => *base = patch,
	}
}

/// Whether the harness submits `call`: everything but what only Root may do outside
/// governance, looked for inside batches, proposals and whitelisted dispatches too.
pub fn is_submitted(call: &RuntimeCall) -> bool {
	use pallet_utility::Call as utility;
	use pallet_whitelist::Call as whitelist;
	match call {
		RuntimeCall::Sudo(_) | RuntimeCall::Timestamp(_) => false,
		RuntimeCall::System(call) => matches!(
			call,
			frame_system::Call::remark { .. } | frame_system::Call::remark_with_event { .. }
		),
		RuntimeCall::Utility(call) => match call {
			utility::batch { calls } |
			utility::batch_all { calls } |
			utility::force_batch { calls } => calls.iter().all(is_submitted),
			utility::as_derivative { call, .. } | utility::with_weight { call, .. } =>
				is_submitted(call),
			utility::if_else { main, fallback } => is_submitted(main) && is_submitted(fallback),
			// Only Root may dispatch as another origin.
			_ => false,
		},
		RuntimeCall::Council(CouncilCall::execute { proposal, .. }) |
		RuntimeCall::Council(CouncilCall::propose { proposal, .. }) =>
			is_submitted(proposal),
		RuntimeCall::Whitelist(call) => match call {
			whitelist::dispatch_whitelisted_call_with_preimage { call } =>
				is_submitted(call),
			// The call behind a hash cannot be looked at.
			whitelist::dispatch_whitelisted_call { .. } => false,
			_ => true,
		},
		_ => true,
	}
}

/// The council's calls.
type CouncilCall = pallet_collective::Call<Runtime, pallet_collective::Instance1>;

/// A transaction from `signer`, signed over the runtime's own extensions at its next nonce,
/// immortal and with no tip, as a wallet builds one.
fn signed(signer: &sr25519::Pair, call: RuntimeCall) -> UncheckedExtrinsic {
	let account = MultiSigner::from(signer.public()).into_account();
	let nonce = frame_system::Pallet::<Runtime>::account_nonce(&account);
	let extension = healthchain_runtime::wallet_tx_extension(nonce);
	let payload = SignedPayload::new(call, extension).expect("the extensions' implicit data is readable");
	let signature = MultiSignature::from(payload.using_encoded(|bytes| signer.sign(bytes)));
	let (call, extension, _) = payload.deconstruct();
	UncheckedExtrinsic::new_signed(call, account.into(), signature, extension)
}

/// A chain being driven: the block being built and its clock.
struct Chain {
	number: u32,
	slot: u64,
	parent_hash: sp_core::H256,
}

impl Chain {
	/// Opens block `number` at `slot`, as an Aura author would, and applies the timestamp.
	fn open_block(&self) {
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(self.slot).encode())],
		};
		let header =
			Header::new(self.number, Default::default(), Default::default(), self.parent_hash, digest);
		Executive::initialize_block(&header);
		let timestamp = UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(
			pallet_timestamp::Call::set { now: self.slot * SLOT_DURATION },
		));
		Executive::apply_extrinsic(timestamp)
			.expect("the timestamp inherent is valid")
			.expect("the timestamp inherent dispatches");
		Executive::inherents_applied();
	}

	/// Finalizes the block and checks every pallet's invariants.
	fn close_block(&mut self) {
		let header = Executive::finalize_block();
		<AllPalletsWithSystem as TryState<u32>>::try_state(self.number, TryStateSelect::All)
			.unwrap_or_else(|error| panic!("an invariant broke after block {}: {error:?}", self.number));
		self.parent_hash = header.hash();
		self.number += 1;
	}
}

/// What became of one input's transactions.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
	/// Why included calls failed, in order.
	pub failures: Vec<sp_runtime::DispatchError>,
	/// Blocks built.
	pub blocks: u32,
	/// Transactions submitted.
	pub submitted: u32,
	/// Transactions included in a block (valid, paid for).
	pub included: u32,
	/// Included transactions whose call succeeded.
	pub succeeded: u32,
}

/// Runs one input: blocks of transactions from the development genesis (see the crate doc).
/// Panics on a finding.
pub fn run(mut data: &[u8]) -> Outcome {
	let mut outcome = Outcome::default();
	let mut externalities = sp_io::TestExternalities::new(genesis().clone());
	externalities.execute_with(|| {
		let mut chain = Chain { number: 1, slot: 1, parent_hash: Default::default() };
		// Genesis is block 0 at slot 0; the first block comes one slot later.
		chain.parent_hash = frame_system::Pallet::<Runtime>::block_hash(0);
		chain.open_block();
		while let Some((&step, rest)) = data.split_first() {
			data = rest;
			if step < NEW_BLOCK_BELOW {
				let Some((&lapse, rest)) = data.split_first() else { break };
				data = rest;
				chain.close_block();
				outcome.blocks += 1;
				if chain.number > MAX_BLOCKS {
					return;
				}
				chain.slot += lapse_in_slots(lapse);
				chain.open_block();
				continue;
			}
			let Ok(call) = RuntimeCall::decode_with_depth_limit(CALL_DEPTH_LIMIT, &mut data) else {
				break;
			};
			if !is_submitted(&call) {
				continue;
			}
			let signer = &callers()[usize::from(step) % callers().len()];
			// Refusals (no funds, a full block, a filtered call) and failed dispatches are
			// answers, not findings; only panics and broken invariants are.
			outcome.submitted += 1;
			if let Ok(dispatched) = Executive::apply_extrinsic(signed(signer, call)) {
				outcome.included += 1;
				match dispatched {
					Ok(()) => outcome.succeeded += 1,
					Err(error) => outcome.failures.push(error),
				}
			}
			if outcome.submitted >= MAX_TRANSACTIONS {
				break;
			}
		}
		chain.close_block();
		outcome.blocks += 1;
	});
	outcome
}

// The fuzz target lives with the harness, so that every binary linking the harness (the fuzzer,
// its tests, the seed writer) links libFuzzer too: an instrumented build needs libFuzzer's
// coverage callbacks in each. Only the fuzzer's binary, which has no `main` of its own, takes
// libFuzzer's `main`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	run(data);
});

/// Inputs that walk the flows of the end-to-end tests, for libFuzzer to start from: each is a
/// valid life of the chain whose transactions succeed, so mutations begin deep in the pallets.
pub mod seeds {
	use super::*;
	use healthchain_runtime::AccountId;
	use sp_runtime::traits::Hash as _;
	use pallet_health_records::{AccessLevel, AccessPurpose, Authority, EmergencyReason, Grantee, RecordType, ReviewOutcome};

	/// An input being written.
	#[derive(Default)]
	pub struct Input(Vec<u8>);

	impl Input {
		/// `who` sends `call`.
		pub fn call(mut self, who: Sr25519Keyring, call: RuntimeCall) -> Self {
			let index = Sr25519Keyring::iter().position(|k| k == who).expect("a keyring account");
			self.0.push(32 + index as u8);
			call.encode_to(&mut self.0);
			self
		}

		/// The block closes and `lapse` (see [`lapse_in_slots`]) passes.
		pub fn next_block(mut self, lapse: u8) -> Self {
			self.0.extend([0, lapse]);
			self
		}

		/// The bytes.
		pub fn into_bytes(self) -> Vec<u8> {
			self.0
		}
	}

	fn account(who: Sr25519Keyring) -> AccountId {
		who.to_account_id()
	}

	/// A week from genesis, in milliseconds: later than any block of a seed.
	const A_WEEK: u64 = 7 * 86_400_000;

	type Records = pallet_health_records::Call<Runtime>;
	type Identity = pallet_health_identity::Call<Runtime>;

	/// The named seeds.
	pub fn all() -> Vec<(&'static str, Vec<u8>)> {
		use Sr25519Keyring::*;
		let hospital = 1;
		let charlie = Grantee::Account(account(Charlie));
		let records = Input::default()
			.call(
				Bob,
				RuntimeCall::HealthIdentity(Identity::register_vault {
					organisation: hospital,
					account: account(Dave),
					endpoint: b"https://vault.hospital.example".to_vec(),
				}),
			)
			.call(
				Ferdie,
				RuntimeCall::HealthRecords(Records::grant_access {
					patient: account(Ferdie),
					grantee: charlie.clone(),
					access: AccessLevel::Write,
					record_types: vec![RecordType::Observation],
					expires_at: A_WEEK,
				}),
			)
			.next_block(1)
			.call(
				Charlie,
				RuntimeCall::HealthRecords(Records::add_record {
					patient: account(Ferdie),
					record_type: RecordType::Observation,
					content_hash: sp_core::H256::repeat_byte(7),
					custodian: hospital,
					authority: Authority::Grant(charlie.clone()),
				}),
			)
			.next_block(1)
			.call(
				Dave,
				RuntimeCall::HealthRecords(Records::log_releases {
					releases: vec![pallet_health_records::Release {
						record: 0,
						reader: account(Charlie),
						authority: Authority::Grant(charlie.clone()),
						emergency: None,
						purpose: AccessPurpose::Treatment,
					}],
				}),
			)
			.call(
				Charlie,
				RuntimeCall::HealthRecords(Records::break_glass {
					patient: account(FerdieStash),
					organisation: hospital,
					reason: EmergencyReason::Unresponsive,
				}),
			)
			.next_block(30)
			.call(
				Bob,
				RuntimeCall::HealthRecords(Records::close_emergency_review {
					emergency: 0,
					outcome: ReviewOutcome::Justified,
				}),
			)
			.call(
				Ferdie,
				RuntimeCall::HealthRecords(Records::revoke_access { patient: account(Ferdie), grantee: charlie }),
			)
			.call(Ferdie, RuntimeCall::HealthRecords(Records::erase_record { record: 0 }))
			.next_block(1)
			.call(Dave, RuntimeCall::HealthRecords(Records::confirm_erasure { record: 0 }))
			.next_block(205)
			.into_bytes();
		let identity = Input::default()
			.call(
				Bob,
				RuntimeCall::HealthIdentity(Identity::enrol_patient {
					organisation: 1,
					patient: account(Dave),
					encryption_key: [9; 32],
				}),
			)
			.call(
				Ferdie,
				RuntimeCall::HealthIdentity(Identity::appoint_guardian {
					guardian: account(Dave),
					kind: pallet_health_identity::GuardianKind::Delegate,
					scope: vec![pallet_health_identity::CareScope::HealthRecords],
					expires_at: Some(A_WEEK),
				}),
			)
			.next_block(3)
			.call(
				Bob,
				RuntimeCall::HealthIdentity(Identity::add_member {
					organisation: hospital,
					member: account(One),
					roles: vec![pallet_health_identity::Role::Nurse],
				}),
			)
			.call(Alice, RuntimeCall::HealthIdentity(Identity::suspend_credential {
				holder: account(Charlie),
				kind: pallet_health_identity::CredentialKind::MedicalLicence,
			}))
			.next_block(210)
			.into_bytes();
		// The council suspends the distributor: three of four seats, then the motion closes.
		let suspend = RuntimeCall::HealthIdentity(Identity::suspend_organisation { organisation: 4 });
		let motion = <Runtime as frame_system::Config>::Hashing::hash_of(&suspend);
		let vote = |who| {
			(who, RuntimeCall::Council(CouncilCall::vote { proposal: motion, index: 0, approve: true }))
		};
		let (alice_votes, bob_votes, eve_votes) = (vote(Alice), vote(Bob), vote(Eve));
		let governance = Input::default()
			.call(
				Alice,
				RuntimeCall::Council(CouncilCall::propose {
					threshold: 3,
					proposal: Box::new(suspend.clone()),
					length_bound: suspend.encoded_size() as u32,
				}),
			)
			.next_block(1)
			.call(alice_votes.0, alice_votes.1)
			.call(bob_votes.0, bob_votes.1)
			.call(eve_votes.0, eve_votes.1)
			.next_block(1)
			.call(
				Alice,
				RuntimeCall::Council(CouncilCall::close {
					proposal_hash: motion,
					index: 0,
					proposal_weight_bound: frame_support::weights::Weight::from_parts(10_000_000_000, 100_000),
					length_bound: suspend.encoded_size() as u32,
				}),
			)
			.next_block(1)
			.into_bytes();
		vec![("records", records), ("identity", identity), ("governance", governance)]
	}
}
