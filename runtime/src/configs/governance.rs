//! The consortium's governance: a council of member organisations, each seated by one
//! account, whose motions are the governance origin of every privileged call; and the
//! whitelist through which a council supermajority lets a call run as Root, such as the
//! authorisation of a runtime upgrade.
//!
//! - `councilMembership` (`pallet_membership`) holds the seats; governance changes them.
//! - `council` (`pallet_collective`) runs motions: a member proposes a call with a threshold,
//!   members vote, anyone closes the motion once the threshold is met (or its time is up).
//!   A motion approved by more than half of the council dispatches its call with
//!   [`GovernanceOrigin`].
//! - `whitelist` (`pallet_whitelist`): two thirds of the council whitelist the hash of a call;
//!   any council member then dispatches that exact call as Root. Upgrades go this way:
//!   whitelist `system.authorize_upgrade(code_hash)`, dispatch it, then anyone submits
//!   `system.apply_authorized_upgrade(code)`.

use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, EitherOfDiverse, LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::RuntimeBlockWeights;
use crate::{
	AccountId, Balance, Balances, BlockNumber, Council, Preimage, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, RuntimeOrigin, System, DAYS, MILLI_UNIT, UNIT,
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
	/// Members who do not vote by the end of a motion follow the prime member, if any.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Seats change through `councilMembership`, not directly.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Members are organisations known to each other: proposing needs no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = GovernanceOrigin;
	type SwapOrigin = GovernanceOrigin;
	type ResetOrigin = GovernanceOrigin;
	type PrimeOrigin = GovernanceOrigin;
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
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
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
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}
