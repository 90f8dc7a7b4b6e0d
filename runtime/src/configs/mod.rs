//! The `Config` of every pallet in the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::WEIGHT_REF_TIME_PER_SECOND,
		IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

pub use governance::GovernanceOrigin;

use crate::weights::{BlockExecutionWeight, ExtrinsicBaseWeight, SignatureCheck};

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, System, Timestamp, EXISTENTIAL_DEPOSIT, SLOT_DURATION, VERSION,
};

/// Share of a block that ordinary transactions may fill; the rest is kept for operational
/// calls (such as a governance fix) so that they get in even when the chain is busy.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Execution time a block may use: half of the slot. Under Aura the author has two thirds of
/// the slot to propose, and every other validator must import the block before the next slot
/// begins, so that its author builds on it: a block that takes at most half the slot to build
/// leaves the other half to import it (import costs about what building did). Weights, priced
/// on this machine by `scripts/benchmark`, run about 15 % above the real time of a validator on
/// a machine of its own (a full block of transfers: 750 ms of weight, built in 663 ms); the
/// README's *Throughput* section gives the measured build and import times, and why four
/// validators sharing one 2-core machine cannot keep up with full blocks.
const MAXIMUM_BLOCK_REF_TIME: u64 = WEIGHT_REF_TIME_PER_SECOND * SLOT_DURATION / 2_000;

/// A day of the chain's clock (`pallet_timestamp`, milliseconds), for periods that the pallets
/// measure by the clock rather than by blocks.
pub const MILLISECONDS_PER_DAY: u64 = 24 * 60 * 60 * 1000;

/// How many authorities Aura and GRANDPA accept: a consortium of up to 32 validators.
pub const MAX_AUTHORITIES: u32 = 32;

/// A block's whole weight: its execution time, with no limit on proof size (a solochain has no
/// relay chain to prove blocks to).
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(MAXIMUM_BLOCK_REF_TIME, u64::MAX);

/// What every extrinsic is charged beyond its call and its transaction extensions.
///
/// `benchmark overhead` times a whole signed `System::remark` (`ExtrinsicBaseWeight`): its
/// signature check and every extension it runs. Each extension is also charged its own
/// benchmarked weight, so the remark's extensions come off that figure, or they would be paid
/// twice (polkadot-sdk#9981). What no extension covers is the signature check, which stays
/// as the floor, measured on its own (`SignatureCheck`).
pub fn extrinsic_base_weight() -> Weight {
	use sp_runtime::traits::TransactionExtension;
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: Default::default() });
	let extensions = crate::wallet_tx_extension(0).weight(&remark);
	ExtrinsicBaseWeight::get().saturating_sub(extensions).max(SignatureCheck::get())
}

parameter_types! {
	/// Number of recent block hashes kept in state (for mortal transactions).
	pub const BlockHashCount: BlockNumber = 2400;
	/// The runtime's version, as frame-system reports it.
	pub const Version: RuntimeVersion = VERSION;
	/// Execution time a block may use, by class of call,
	/// with the base weights of a block and of an extrinsic measured on this machine.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = extrinsic_base_weight();
		})
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			// Operational calls get in even when ordinary ones have filled their share.
			class.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	/// Encoded size a block may have: 5 MiB.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	/// The generic Substrate SS58 address prefix (addresses start with 5).
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB: reads and writes priced as measured on HealthChain's
	/// node over a million-serial state (`scripts/benchmark --database`), not Parity's figures.
	type DbWeight = crate::weights::ParityDbWeight;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// The emergency brakes: safe mode stops every call but governance's, the pause stops
	/// the calls governance named.
	type BaseCallFilter = frame_support::traits::InsideBoth<super::SafeMode, super::TxPause>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Half a slot, so that Aura's slot duration (twice this) is [`SLOT_DURATION`].
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// No staking, so equivocations are not provable on chain yet: the consortium handles a
	// misbehaving validator by governance.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fees do not rise with congestion: a consortium chain has no fee market.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

impl pallet_health_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = GovernanceOrigin;
	type Time = Timestamp;
	/// A large hospital's staff.
	type MaxMembersPerOrganisation = ConstU32<10_000>;
	/// A practitioner working at a few hospitals, a clinic and a research institute.
	type MaxMembershipsPerAccount = ConstU32<8>;
	type MaxGuardiansPerPatient = ConstU32<8>;
	/// A large hospital's registration desks on a busy day.
	type MaxEnrolmentsPerDay = ConstU32<SPONSORSHIP_ENROLMENTS_PER_DAY>;
	/// Enough for a patient's own care decisions on a busy day.
	type SponsoredTransactionsPerDay = ConstU32<SPONSORED_TRANSACTIONS_PER_DAY>;
	type SponsoredCalls = PatientCalls;
	type WeightInfo = pallet_health_identity::weights::SubstrateWeight<Runtime>;
}

/// The most patients one hospital or clinic enrols in a day.
pub const SPONSORSHIP_ENROLMENTS_PER_DAY: u32 = 1_000;

/// How many transactions a day a patient sends without fees.
pub const SPONSORED_TRANSACTIONS_PER_DAY: u32 = 50;

/// The calls a patient (or a patient acting as a guardian) sends without fees, within its
/// daily allowance: the patient's own decisions about its care, each of whose effect on
/// storage is bounded per patient in its pallet (guardians, grants, records written,
/// consents and their versions) or changes an entry in place. Not sponsored: batches, and
/// everything of the other roles (a custodian's log of releases among them).
pub struct PatientCalls;

impl frame_support::traits::Contains<RuntimeCall> for PatientCalls {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_health_identity::Call as Identity;
		use pallet_health_records::Call as Records;
		use pallet_remote_monitoring::Call as Monitoring;
		use pallet_research_consent::Call as Research;
		matches!(
			call,
			RuntimeCall::HealthIdentity(
				Identity::rotate_patient_key { .. } |
					Identity::appoint_guardian { .. } |
					Identity::remove_guardian { .. } |
					Identity::resign_guardianship { .. }
			) | RuntimeCall::HealthRecords(
				Records::add_record { .. } |
					Records::amend_record { .. } |
					Records::grant_access { .. } |
					Records::revoke_access { .. } |
					Records::erase_record { .. }
			) | RuntimeCall::ResearchConsent(
				// Consents under the patient's own account, given before participants existed:
				// a patient may not give one any more (its participants pay their own way).
				Research::narrow_consent { .. } |
					Research::withdraw_consent { .. } |
					Research::end_access { .. }
			) | RuntimeCall::RemoteMonitoring(
				Monitoring::confirm_binding { .. } | Monitoring::unbind_device { .. }
			)
		)
	}
}

/// Whether `organisation` is an active care provider (hospital, clinic, laboratory or
/// pharmacy): the organisations that may be granted records and that bill insurers.
pub fn is_care_provider(organisation: pallet_health_identity::OrganisationId) -> bool {
	use pallet_health_identity::{IdentityQuery, OrganisationKind::*};
	matches!(
		super::HealthIdentity::active_organisation_kind(organisation),
		Some(Hospital | Clinic | Laboratory | Pharmacy)
	)
}

/// Whether `who` holds the practitioner role (at `organisation`, or anywhere if `None`) with a
/// medical licence in force: a practitioner's standing, the same for records, prescriptions and
/// monitoring.
pub fn is_licensed_practitioner(
	who: &AccountId,
	organisation: Option<pallet_health_identity::OrganisationId>,
) -> bool {
	use pallet_health_identity::{CredentialKind, IdentityQuery, Role};
	let practitioner = match organisation {
		Some(organisation) => super::HealthIdentity::has_role_in(who, organisation, Role::Practitioner),
		None => super::HealthIdentity::has_role(who, Role::Practitioner),
	};
	practitioner && super::HealthIdentity::has_valid_credential(who, CredentialKind::MedicalLicence)
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_identities;
pub mod consortium_network;
pub mod drug_provenance;
pub mod governance;
pub mod health_records;
pub mod insurance_claims;
pub mod prescriptions;
pub mod remote_monitoring;
pub mod research_consent;
