//! The consortium's governance: a council of member organisations, each seated by one
//! account, whose motions are the governance origin of every privileged call; and the
//! whitelist through which a council supermajority lets a call run as Root, such as the
//! authorisation of a runtime upgrade.
//!
//! - `councilMembership` (`pallet_membership`) holds the seats; two thirds of the council
//!   change them ([`SeatOrigin`]), the same supermajority that whitelists a call as Root, so
//!   that a bare majority cannot reseat the council to reach that supermajority. There is no
//!   prime member: a member who does not vote counts as voting nay.
//! - `council` (`pallet_collective`) runs motions: a member proposes a call with a threshold,
//!   members vote, anyone closes the motion once the threshold is met (or its time is up).
//!   A motion approved by more than half of the council dispatches its call with
//!   [`GovernanceOrigin`]. A council majority disapproves or kills a motion.
//! - `whitelist` (`pallet_whitelist`): two thirds of the council whitelist the hash of a call;
//!   any council member then dispatches that exact call as Root. Upgrades go this way:
//!   whitelist `system.authorize_upgrade(code_hash)`, dispatch it, then anyone submits
//!   `system.apply_authorized_upgrade(code)`.
//! - The emergency brakes, for an incident: `safeMode` (`pallet_safe_mode`) stops every call
//!   but those of governance and of the chain's own machinery ([`UNSTOPPABLE_PALLETS`]). A
//!   third of the council enters it for [`EMERGENCY_SAFE_MODE`] (two hours), which a majority
//!   extends or replaces by [`COUNCIL_SAFE_MODE`] (a day) at a time; it ends by itself, or when
//!   a majority exits it. Nobody enters it by deposit. `txPause` (`pallet_tx_pause`) stops the
//!   calls a council majority names, one pallet's or one call, until a majority lifts it.
//! - A seat's key kept offline: `proxy` (`pallet_proxy`) lets the seat's account name a
//!   voting key with [`ProxyType::Governance`], which proposes, votes, closes and dispatches
//!   whitelisted calls for the seat and can do nothing else: no transfer, no change of seat, no
//!   proxy of its own, no call of the care pallets. The seat's own key is needed only to name
//!   or revoke voting keys (and to move the seat); if a voting key is lost, the seat revokes it.
//!   The proxied call is checked as the seat's, at the moment of use: a seat that lost its
//!   place on the council votes no more, whoever holds its voting key.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, Contains, EitherOf, EitherOfDiverse, GetCallMetadata,
		InstanceFilter, LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::{EnsureNever, EnsureRoot};
use scale_info::TypeInfo;
use sp_runtime::{traits::BlakeTwo256, Perbill};

use super::RuntimeBlockWeights;
use crate::{
	AccountId, Balance, Balances, BlockNumber, Council, Preimage, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, RuntimeOrigin, System, DAYS, HOURS, MILLI_UNIT, UNIT,
};

/// The council's instance of `pallet_collective` and `pallet_membership`.
pub type CouncilInstance = pallet_collective::Instance1;

/// More than half of the council, by a motion.
pub type CouncilMajority = pallet_collective::EnsureProportionMoreThan<AccountId, CouncilInstance, 1, 2>;

/// At least two thirds of the council, by a motion.
pub type CouncilSupermajority = pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>;

/// The consortium's governance: a council majority, or Root (which only a whitelisted call
/// dispatched by the council, or sudo on a development chain, has).
pub type GovernanceOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilMajority>;

/// Who changes the council's seats: two thirds of the council (the supermajority that also
/// whitelists calls as Root), or Root.
pub type SeatOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilSupermajority>;

/// Members who do not vote on a motion count as voting nay: no member's vote (a prime's)
/// stands in for the silent, so a motion passes only on the ayes it was given.
pub struct AbstentionIsNay;

impl pallet_collective::DefaultVote for AbstentionIsNay {
	fn default_vote(_prime: Option<bool>, _yes: u32, _no: u32, _len: u32) -> bool {
		false
	}
}

/// The most seats on the council: one per member organisation.
pub const MAX_COUNCIL_MEMBERS: u32 = 100;

parameter_types! {
	/// How long a motion stays open before anyone may close it with the votes it has.
	pub const CouncilMotionDuration: BlockNumber = 7 * DAYS;
	/// The heaviest call a motion may carry: half a block.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	/// Members who do not vote by the end of a motion count as nays.
	type DefaultVote = AbstentionIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Seats change through `councilMembership`, not directly.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	/// The council stops its own motions, by a majority.
	type DisapproveOrigin = GovernanceOrigin;
	type KillOrigin = GovernanceOrigin;
	/// Members are organisations known to each other: proposing needs no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = SeatOrigin;
	type RemoveOrigin = SeatOrigin;
	type SwapOrigin = SeatOrigin;
	type ResetOrigin = SeatOrigin;
	/// No prime member: abstentions are nays whoever is prime.
	type PrimeOrigin = EnsureNever<AccountId>;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// What noting a preimage holds: 1 HCT plus 1 HCT per kilobyte.
	pub const PreimageBaseDeposit: Balance = UNIT;
	/// See [`PreimageBaseDeposit`].
	pub const PreimageByteDeposit: Balance = MILLI_UNIT;
	/// The reason preimage deposits are held for.
	pub const PreimageHoldReason: RuntimeHoldReason = RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = GovernanceOrigin;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilSupermajority>;
	/// One council member dispatches what two thirds whitelisted: the hash pins the call.
	type DispatchWhitelistedOrigin =
		EitherOfDiverse<EnsureRoot<AccountId>, pallet_collective::EnsureMember<AccountId, CouncilInstance>>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = ConstU32<{ 7 * DAYS }>;
	type BlockNumberProvider = System;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
}

/// At least a third of the council, by a motion: the emergency quorum.
pub type CouncilThird = pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 1, 3>;

/// How long safe mode lasts when a third of the council enters it: long enough to convene the
/// council, short enough that a minority cannot hold the chain.
pub const EMERGENCY_SAFE_MODE: BlockNumber = 2 * HOURS;

/// How long safe mode lasts, or is extended, when a council majority enters or extends it.
pub const COUNCIL_SAFE_MODE: BlockNumber = DAYS;

/// The pallets whose calls no brake stops: the chain's own machinery (the timestamp inherent,
/// upgrades, sessions and finality) and governance (the council, its seats, the whitelist,
/// preimages, the network, the brakes themselves, batches of these, voting through a seat's
/// proxy, and sudo on development chains). A batch or a proxy is no way around a brake: each
/// call in it is filtered on its own.
pub const UNSTOPPABLE_PALLETS: [&str; 14] = [
	"System",
	"Timestamp",
	"Grandpa",
	"Session",
	"Utility",
	"Sudo",
	"ConsortiumNetwork",
	"Council",
	"CouncilMembership",
	"Preimage",
	"Whitelist",
	"SafeMode",
	"TxPause",
	"Proxy",
];

/// Whether `pallet` is one of the [`UNSTOPPABLE_PALLETS`].
fn unstoppable(pallet: &[u8]) -> bool {
	UNSTOPPABLE_PALLETS.iter().any(|name| name.as_bytes() == pallet)
}

/// The calls safe mode lets through.
pub struct GovernanceAndMachinery;

impl Contains<RuntimeCall> for GovernanceAndMachinery {
	fn contains(call: &RuntimeCall) -> bool {
		unstoppable(call.get_call_metadata().pallet_name.as_bytes())
	}
}

impl Contains<pallet_tx_pause::RuntimeCallNameOf<Runtime>> for GovernanceAndMachinery {
	fn contains((pallet, _call): &pallet_tx_pause::RuntimeCallNameOf<Runtime>) -> bool {
		unstoppable(pallet)
	}
}

/// A council majority enters (or extends) safe mode for a day; a third, for two hours.
pub type SafeModeEnterOrigin = EitherOf<
	frame_system::EnsureWithSuccess<CouncilMajority, AccountId, ConstU32<COUNCIL_SAFE_MODE>>,
	frame_system::EnsureWithSuccess<CouncilThird, AccountId, ConstU32<EMERGENCY_SAFE_MODE>>,
>;

impl pallet_safe_mode::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type WhitelistedCalls = GovernanceAndMachinery;
	/// Unused: nobody enters or extends by deposit.
	type EnterDuration = ConstU32<EMERGENCY_SAFE_MODE>;
	type ExtendDuration = ConstU32<EMERGENCY_SAFE_MODE>;
	type EnterDepositAmount = ();
	type ExtendDepositAmount = ();
	type ForceEnterOrigin = SafeModeEnterOrigin;
	/// Extending needs a majority: a third cannot keep the chain stopped.
	type ForceExtendOrigin =
		frame_system::EnsureWithSuccess<CouncilMajority, AccountId, ConstU32<COUNCIL_SAFE_MODE>>;
	type ForceExitOrigin = GovernanceOrigin;
	type ForceDepositOrigin = EnsureNever<()>;
	type Notify = ();
	type ReleaseDelay = ();
	type WeightInfo = crate::weights::pallet_safe_mode::WeightInfo<Runtime>;
}

impl pallet_tx_pause::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PauseOrigin = GovernanceOrigin;
	type UnpauseOrigin = GovernanceOrigin;
	type WhitelistedCalls = GovernanceAndMachinery;
	/// The longest pallet or call name of the runtime, with room to spare.
	type MaxNameLen = ConstU32<64>;
	type WeightInfo = crate::weights::pallet_tx_pause::WeightInfo<Runtime>;
}

/// What a proxy may do for the account that named it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// A council seat's voting key: the council's motions and votes, the whitelisted calls a
	/// member dispatches, preimages of motions, and batches of these (each call in a batch is
	/// checked on its own). Nothing else: no transfer, no change of seat, no proxy of its own,
	/// no call of the care pallets.
	#[default]
	Governance,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Governance => matches!(
				call,
				RuntimeCall::Council(..) |
					RuntimeCall::Whitelist(..) |
					RuntimeCall::Preimage(..) |
					RuntimeCall::Utility(
						pallet_utility::Call::batch { .. } |
							pallet_utility::Call::batch_all { .. } |
							pallet_utility::Call::force_batch { .. }
					)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		self == other
	}
}

parameter_types! {
	/// What an account's first proxy holds: 1 HCT for the storage item of its proxies...
	pub const ProxyDepositBase: Balance = UNIT;
	/// ...and 37 milli-HCT a proxy (an account, a proxy type and a delay: 37 bytes).
	pub const ProxyDepositFactor: Balance = 37 * MILLI_UNIT;
	/// What an account's first announcement of a delayed proxy call holds: 1 HCT...
	pub const AnnouncementDepositBase: Balance = UNIT;
	/// ...and 68 milli-HCT an announcement (an account, a call hash and a block: 68 bytes).
	pub const AnnouncementDepositFactor: Balance = 68 * MILLI_UNIT;
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	/// A seat names a few voting keys (say one per officer), not a crowd.
	type MaxProxies = ConstU32<8>;
	type MaxPending = ConstU32<8>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
}
