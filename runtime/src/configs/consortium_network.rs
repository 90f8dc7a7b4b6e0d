//! Sessions and the consortium network: the session pallet hands the validator set that
//! governance keeps in the consortium network pallet to Aura and GRANDPA at session
//! boundaries; the same pallet keeps the authorised peer ids.

use frame_support::traits::{ConstU128, ConstU32};
use pallet_consortium_network::{SessionKeysRegistry, SessionLengthOf, SessionRotation};
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

use super::{governance::GovernanceOrigin, MAX_AUTHORITIES};
use crate::{AccountId, Balances, BlockNumber, ConsortiumNetwork, Runtime, RuntimeEvent, Session, SessionKeys, UNIT};

/// Sessions rotate every `SessionLength` blocks, counted from genesis: the estimate that
/// `pallet_session` gives of the next rotation.
type Sessions = pallet_session::PeriodicSessions<SessionLengthOf<Runtime>, ConstU32<0>>;

/// `pallet_session` never ends a session on its own: it would declare the whole block's weight
/// for it and so leave that block empty. The consortium network pallet starts each session at
/// the same boundaries instead, charging the rotation's benchmarked weight.
pub struct RotatedByConsortiumNetwork;

impl pallet_session::ShouldEndSession<BlockNumber> for RotatedByConsortiumNetwork {
	fn should_end_session(_now: BlockNumber) -> bool {
		false
	}
}

/// The rotation the consortium network pallet asks for at a session boundary.
pub struct SessionRotationOfSession;

impl SessionRotation for SessionRotationOfSession {
	fn rotate_session() {
		Session::rotate_session();
	}
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is known by its account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = RotatedByConsortiumNetwork;
	type NextSessionRotation = Sessions;
	type SessionManager = ConsortiumNetwork;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// No offences are reported on chain (no staking): governance removes a validator instead.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Held while an account's session keys are registered, so that keys are not free to store.
	type KeyDeposit = ConstU128<UNIT>;
}

/// Whether an account has registered session keys, from the session pallet.
pub struct SessionKeysOfSession;

impl SessionKeysRegistry<AccountId> for SessionKeysOfSession {
	fn has_session_keys(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_session_keys(who: &AccountId) {
		use codec::Encode;
		use sp_core::{ed25519, sr25519};
		// Keys distinct per account; benchmarks never author with them.
		let raw = <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(&who.encode()).0;
		let keys = SessionKeys {
			aura: sr25519::Public::from_raw(raw).into(),
			grandpa: ed25519::Public::from_raw(raw).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

impl pallet_consortium_network::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = GovernanceOrigin;
	type SessionKeys = SessionKeysOfSession;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	/// GRANDPA needs more than two thirds of the validators online: a consortium should run
	/// at least four, but a development chain runs one.
	type MinValidators = ConstU32<1>;
	/// A few nodes (validators, RPC and archive nodes) for each of dozens of organisations.
	type MaxNodes = ConstU32<128>;
	/// Ten seconds.
	type MinSessionLength = ConstU32<5>;
	type SessionRotation = SessionRotationOfSession;
	type WeightInfo = pallet_consortium_network::weights::SubstrateWeight<Runtime>;
}
