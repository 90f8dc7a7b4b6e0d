//! # HealthChain runtime
//!
//! The FRAME runtime of HealthChain, a permissioned blockchain for healthcare consortia.
//!
//! This file composes the runtime from its pallets; [`configs`] holds each pallet's `Config`,
//! [`apis`] the runtime APIs that the node and clients call, and [`genesis_config_presets`] the
//! `development` and `local_testnet` genesis presets.
//!
//! Block production is Aura with GRANDPA finality on consortium networks; the node can also
//! drive this same runtime with instant-seal or manual-seal for development (the runtime does
//! not know the difference: every engine writes an Aura slot into the block header).

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` expands to a lot of code.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
mod token;
pub mod weights;

#[cfg(test)]
mod governance_tests;
#[cfg(test)]
mod patient_bound;
#[cfg(test)]
mod role_matrix;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;
pub use token::{TOKEN_DECIMALS, TOKEN_SYMBOL};

/// Opaque types, for the parts of the node that must not depend on the runtime's concrete
/// extrinsic format (so that they keep syncing across runtime upgrades that change it).
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator holds for its session: Aura to author, GRANDPA to finalize.
	pub struct SessionKeys {
		/// Block authoring key.
		pub aura: Aura,
		/// Finality voting key.
		pub grandpa: Grandpa,
	}
}

/// Declares [`VERSION`] with spec version `$spec` (a literal: the attribute reads it as one).
macro_rules! runtime_version {
	($spec:tt) => {
		/// The runtime's version. `spec_version` must go up with every runtime upgrade.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("healthchain"),
			impl_name: alloc::borrow::Cow::Borrowed("healthchain"),
			authoring_version: 1,
			spec_version: $spec,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			// 2: `register_patient` gave way to `enrol_patient`. 3: health records name their
			// custodian, and keys, locators and `share_keys`/`log_access` left the chain.
			transaction_version: 3,
			system_version: 1,
		};
	};
}

#[cfg(not(feature = "upgrade-rehearsal"))]
runtime_version!(100);
// The next release, for the end-to-end test of an upgrade (`tests/upgrade-rehearsal`).
#[cfg(feature = "upgrade-rehearsal")]
runtime_version!(101);

/// Block time, in milliseconds: one Aura slot. Two seconds suit a consortium of a few dozen
/// well-connected validators; the node's instant-seal and manual-seal engines also advance the
/// chain's clock by at least one slot per block, since Aura requires every block to have a
/// later slot than its parent.
///
/// This cannot change on a live chain: Aura derives slots from it, so a different value would
/// stop block production. It is read by `pallet_timestamp` (as twice its minimum period) and
/// from there by `pallet_aura::Config::SlotDuration` and the `AuraApi`.
pub const SLOT_DURATION: u64 = 2_000;

/// Block numbers per minute, hour and day at one block per slot.
pub const MINUTES: BlockNumber = 60_000 / (SLOT_DURATION as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// One HCT, in base units (see [`TOKEN_DECIMALS`]).
pub const UNIT: Balance = 10u128.pow(TOKEN_DECIMALS as u32);
/// A thousandth of an HCT.
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// A millionth of an HCT.
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;

/// The minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// The signature type of transactions: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// An account: the public key of the transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// A balance of HCT base units.
pub type Balance = u128;

/// The count of transactions an account has sent.
pub type Nonce = u32;

/// A block or state hash.
pub type Hash = sp_core::H256;

/// A block number.
pub type BlockNumber = u32;

/// The address format of a transaction's sender and of call arguments.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions: what every signed transaction carries beside its call.
///
/// `CheckMetadataHash` lets a signer commit to the hash of the metadata it used to display the
/// transaction, so that a hardware wallet or polkadot-api can prove what the user approved.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	// A patient's sponsored calls pay nothing within its daily allowance; everything else pays.
	pallet_health_identity::SponsorPatients<
		Runtime,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The extensions of a transaction as a wallet builds it: immortal, with `nonce`, no tip, no
/// metadata hash. Runtime tests and the fuzzer sign transactions with them.
pub fn wallet_tx_extension(nonce: Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0).into(),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// A transaction as it arrives from outside, before its signature is checked.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload that a transaction's signature covers.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run at the next runtime upgrade, each versioned: it runs only while
/// its pallet's stored version is the one it migrates from.
type Migrations = (
	pallet_health_identity::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_health_records::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_research_consent::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_health_records::migrations::v4::MigrateV3ToV4<Runtime>,
	pallet_health_records::migrations::v5::MigrateV4ToV5<Runtime>,
	pallet_research_consent::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_prescriptions::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_prescriptions::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_prescriptions::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_insurance_claims::migrations::v2::MigrateToV2<Runtime>,
	pallet_remote_monitoring::migrations::v1::MigrateV0ToV1<Runtime>,
);

/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	/// The HealthChain runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Accounts, blocks, events and runtime upgrades.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// The chain's clock, set by the block author and checked by every node.
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Aura block authoring: the authority set and the current slot.
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	/// GRANDPA finality: the voter set.
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	/// Balances of the chain's token.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Batches of calls, dispatched together or not at all.
	#[runtime::pallet_index(6)]
	pub type Utility = pallet_utility;

	/// A single privileged key, for development chains only: the `local_testnet` preset and
	/// consortium chain specs leave it without a key, and the council governs.
	#[runtime::pallet_index(7)]
	pub type Sudo = pallet_sudo;

	/// The validator set and the authorised peer ids, changed by governance. Declared before
	/// `Session`, whose genesis takes the first validators from it.
	#[runtime::pallet_index(8)]
	pub type ConsortiumNetwork = pallet_consortium_network;

	/// Sessions: at each boundary, a changed validator set goes to Aura and GRANDPA.
	#[runtime::pallet_index(9)]
	pub type Session = pallet_session;

	/// Organisations, members and roles, professional credentials, patients and guardians.
	#[runtime::pallet_index(10)]
	pub type HealthIdentity = pallet_health_identity;

	/// Patients' records: an index of encrypted records, grants, access log, break-glass.
	#[runtime::pallet_index(11)]
	pub type HealthRecords = pallet_health_records;

	/// Serialised drugs and devices: commissioning, custody, recall, verification.
	#[runtime::pallet_index(12)]
	pub type DrugProvenance = pallet_drug_provenance;

	/// Prescriptions, dispensed against serialised units.
	#[runtime::pallet_index(13)]
	pub type Prescriptions = pallet_prescriptions;

	/// Insurance coverage and claims: submission, adjudication, payment, appeal.
	#[runtime::pallet_index(14)]
	pub type InsuranceClaims = pallet_insurance_claims;

	/// Monitoring devices bound to patients, anchored readings, alerts to the care team.
	#[runtime::pallet_index(15)]
	pub type RemoteMonitoring = pallet_remote_monitoring;

	/// Studies approved by ethics boards, dynamic research consent, consent-checked access.
	#[runtime::pallet_index(16)]
	pub type ResearchConsent = pallet_research_consent;

	/// The council of member organisations: motions, votes, and the governance origin.
	#[runtime::pallet_index(20)]
	pub type Council = pallet_collective<Instance1>;

	/// Who sits on the council, changed by governance.
	#[runtime::pallet_index(21)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	/// Calls stored by hash, for the whitelist.
	#[runtime::pallet_index(22)]
	pub type Preimage = pallet_preimage;

	/// Calls that a council supermajority lets run as Root, such as a runtime upgrade.
	#[runtime::pallet_index(23)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(24)]
	pub type SafeMode = pallet_safe_mode;
	#[runtime::pallet_index(25)]
	pub type TxPause = pallet_tx_pause;
	/// Voting keys that act for a council seat whose own key stays offline.
	#[runtime::pallet_index(26)]
	pub type Proxy = pallet_proxy;
}
