//! # Consortium Network Pallet
//!
//! Who takes part in a HealthChain network, decided by the consortium's governance rather
//! than by a single key: the validators that author and finalize blocks, and the nodes that
//! may connect at all.
//!
//! ## Overview
//!
//! - **Validators**: governance adds and removes validator accounts. The pallet is the
//!   runtime's `pallet_session::SessionManager`: at the next session boundary the session
//!   pallet takes the new set and, one session later, hands its session keys to Aura and
//!   GRANDPA. So a validator added or removed in session `n` authors (or stops authoring)
//!   from session `n + 2` on, without a restart of any node. A validator must have
//!   registered its session keys (`session.set_keys`) before it is added, and the set never
//!   shrinks below the consortium's [`ValidatorFloor`] (set in its genesis, at least
//!   [`Config::MinValidators`]): with fewer than four validators one organisation can stall
//!   GRANDPA finality, so a consortium's floor is four unless its spec says otherwise.
//! - **Session length**: how many blocks a session lasts, set at genesis and changed by
//!   governance. The pallet starts each session itself, in its `on_initialize` at every
//!   multiple of the length ([`Config::SessionRotation`], wired to `pallet_session`), and
//!   charges the rotation's benchmarked weight: `pallet_session` rotating on its own declares
//!   a whole block's weight, which leaves the rotation's block without a transaction however
//!   many wait. [`SessionLengthOf`] gives the length to `pallet_session::PeriodicSessions` for
//!   estimates of the next rotation.
//! - **Authorised nodes**: governance authorises libp2p peer ids (ed25519 node keys, the
//!   `12D3KooW...` ids) and revokes them. The runtime API
//!   [`ConsortiumNetworkApi`](runtime_api::ConsortiumNetworkApi) hands the list to the node,
//!   which reads it at every finalized block (a node task, not an offchain worker, so that no
//!   flag turns it off): a node whose peer id is authorised accepts only the other
//!   authorised nodes as peers (reserved-only networking) and answers block requests from
//!   them alone; a node whose peer id is not authorised is refused by the authorised nodes,
//!   so it cannot sync until governance authorises it. An empty list leaves the network open, which only a
//!   development chain should do: the last authorised node cannot be revoked.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`add_validator`](Pallet::add_validator), [`remove_validator`](Pallet::remove_validator) | governance |
//! | [`set_session_length`](Pallet::set_session_length) | governance |
//! | [`authorise_node`](Pallet::authorise_node), [`revoke_node`](Pallet::revoke_node) | governance |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod runtime_api;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::ConstU32, BoundedVec};

/// How an ed25519 libp2p peer id starts: an identity multihash (`0x00`) of 36 bytes (`0x24`)
/// holding the protobuf `PublicKey { Type: Ed25519 (0x08 0x01), Data: 32 bytes (0x12 0x20) }`.
pub const ED25519_PEER_ID_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];

/// The length of such a peer id, in bytes: the prefix and the 32-byte public key.
pub const PEER_ID_LENGTH: u32 = 38;

/// A node's libp2p peer id as bytes: what the base58 `12D3KooW...` form decodes to.
pub type PeerId = BoundedVec<u8, ConstU32<PEER_ID_LENGTH>>;

/// The peer id of the node whose ed25519 node key has the public key `public`.
pub fn peer_id_of(public: &[u8; 32]) -> PeerId {
	let bytes: Vec<u8> = ED25519_PEER_ID_PREFIX.iter().chain(public.iter()).copied().collect();
	PeerId::truncate_from(bytes)
}

/// `bytes` as a peer id, if they are one of an ed25519 node key (the only kind Substrate
/// nodes use).
pub fn parse_peer_id(bytes: &[u8]) -> Option<PeerId> {
	(bytes.len() == PEER_ID_LENGTH as usize && bytes.starts_with(&ED25519_PEER_ID_PREFIX))
		.then(|| PeerId::truncate_from(bytes.to_vec()))
}

/// What this pallet asks of the runtime's session pallet at a session boundary.
pub trait SessionRotation {
	/// Ends the current session and starts the next, with the validators planned for it.
	fn rotate_session();
}

/// What this pallet asks of the runtime's session keys registry (`pallet_session`).
pub trait SessionKeysRegistry<AccountId> {
	/// Whether `who` has registered session keys, so that it can author and vote once it is
	/// a validator.
	fn has_session_keys(who: &AccountId) -> bool;

	/// Registers session keys for `who`, in benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_session_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_core::Bytes;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the consortium network pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The consortium's governance, which changes validators, session length and nodes.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Whether an account has registered its session keys.
		type SessionKeys: SessionKeysRegistry<Self::AccountId>;

		/// The most validators the set may hold (at most what Aura and GRANDPA accept).
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The fewest validators the set may be left with by a removal.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// The most nodes that may be authorised.
		#[pallet::constant]
		type MaxNodes: Get<u32>;

		/// The shortest session, in blocks.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;

		/// Starts the next session; called at each session boundary.
		type SessionRotation: SessionRotation;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The validator set of this runtime.
	pub type ValidatorSetOf<T> = BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxValidators>;

	/// The validators governance has chosen, sorted. The session pallet takes them at the next
	/// session boundary after a change.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageValue<_, ValidatorSetOf<T>, ValueQuery>;

	/// The fewest validators that governance may leave the set with, from the consortium's
	/// genesis; [`Config::MinValidators`] if it is lower (or unset).
	#[pallet::storage]
	pub type ValidatorFloor<T> = StorageValue<_, u32, ValueQuery>;

	/// Whether [`Validators`] changed since the session pallet last took it.
	#[pallet::storage]
	pub type ValidatorsChanged<T> = StorageValue<_, bool, ValueQuery>;

	/// How many blocks a session lasts.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The authorised nodes, by peer id, with the account of the organisation that runs each.
	#[pallet::storage]
	pub type AuthorisedNodes<T: Config> = CountedStorageMap<_, Blake2_128Concat, PeerId, T::AccountId>;

	/// The network at genesis.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The first validators, each with session keys in the session pallet's genesis.
		pub validators: Vec<T::AccountId>,
		/// How many blocks a session lasts.
		pub session_length: BlockNumberFor<T>,
		/// The authorised nodes: peer id (as bytes) and the account that runs it.
		pub nodes: Vec<(Bytes, T::AccountId)>,
		/// The fewest validators governance may leave the set with (see [`ValidatorFloor`]).
		#[serde(default)]
		pub min_validators: u32,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				validators: Vec::new(),
				session_length: T::MinSessionLength::get(),
				nodes: Vec::new(),
				min_validators: T::MinValidators::get(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut validators = self.validators.clone();
			validators.sort();
			validators.dedup();
			assert_eq!(validators.len(), self.validators.len(), "a genesis validator is listed twice");
			let validators = ValidatorSetOf::<T>::try_from(validators)
				.expect("more genesis validators than MaxValidators");
			assert!(
				self.min_validators <= T::MaxValidators::get(),
				"the genesis validator floor is above MaxValidators"
			);
			assert!(
				validators.is_empty() || validators.len() as u32 >= self.min_validators,
				"fewer genesis validators than the validator floor"
			);
			Validators::<T>::put(validators);
			ValidatorFloor::<T>::put(self.min_validators);
			assert!(
				self.session_length >= T::MinSessionLength::get(),
				"the genesis session length is shorter than MinSessionLength"
			);
			SessionLength::<T>::put(self.session_length);
			assert!(self.nodes.len() as u32 <= T::MaxNodes::get(), "more genesis nodes than MaxNodes");
			for (peer_id, owner) in &self.nodes {
				let peer_id = parse_peer_id(peer_id).expect("a genesis node's peer id is not an ed25519 peer id");
				assert!(!AuthorisedNodes::<T>::contains_key(&peer_id), "a genesis node is listed twice");
				AuthorisedNodes::<T>::insert(peer_id, owner);
			}
		}
	}

	/// An event for the audit trail of every change to the network.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance added a validator; it takes part from the second session boundary on.
		ValidatorAdded {
			/// The validator's account.
			who: T::AccountId,
		},
		/// Governance removed a validator; it stops from the second session boundary on.
		ValidatorRemoved {
			/// The validator's account.
			who: T::AccountId,
		},
		/// The session pallet took a changed validator set, for the session named.
		ValidatorSetPlanned {
			/// The session from which this set authors and finalizes.
			session: u32,
			/// The set.
			validators: ValidatorSetOf<T>,
		},
		/// Governance changed the length of a session.
		SessionLengthSet {
			/// Blocks per session.
			blocks: BlockNumberFor<T>,
		},
		/// Governance authorised a node.
		NodeAuthorised {
			/// Its peer id.
			peer_id: PeerId,
			/// The account that runs it.
			owner: T::AccountId,
		},
		/// Governance revoked a node's authorisation.
		NodeRevoked {
			/// Its peer id.
			peer_id: PeerId,
			/// The account that ran it.
			owner: T::AccountId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// The set holds `MaxValidators` already.
		TooManyValidators,
		/// The removal would leave fewer validators than the floor ([`ValidatorFloor`], at least
		/// `MinValidators`).
		TooFewValidators,
		/// The account has not registered session keys (`session.set_keys`).
		NoSessionKeys,
		/// The session would be shorter than `MinSessionLength`.
		SessionTooShort,
		/// The bytes are not the peer id of an ed25519 node key.
		MalformedPeerId,
		/// The node is authorised already.
		NodeAlreadyAuthorised,
		/// The node is not authorised.
		NodeNotAuthorised,
		/// `MaxNodes` are authorised already.
		TooManyNodes,
		/// The last authorised node cannot be revoked: that would open the network to anyone.
		LastNode,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			if Self::session_ends_at(n) {
				T::SessionRotation::rotate_session();
				T::WeightInfo::rotate_session()
			} else {
				// The session length, read to decide.
				T::DbWeight::get().reads(1)
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "MinValidators must be at least 1");
			assert!(T::MinValidators::get() <= T::MaxValidators::get(), "MinValidators exceeds MaxValidators");
			assert!(T::MaxNodes::get() >= 1, "MaxNodes must be at least 1");
			assert!(!T::MinSessionLength::get().is_zero(), "MinSessionLength must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `who`, which has registered its session keys, to the validator set.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(T::SessionKeys::has_session_keys(&who), Error::<T>::NoSessionKeys);
			// The weight is charged by the size of the set before the change, as benchmarked.
			let size = Validators::<T>::try_mutate(|set| {
				let size = set.len() as u32;
				let at = set.binary_search(&who).err().ok_or(Error::<T>::AlreadyValidator)?;
				set.try_insert(at, who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
				Ok::<_, Error<T>>(size)
			})?;
			ValidatorsChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(Some(T::WeightInfo::add_validator(size)).into())
		}

		/// Removes `who` from the validator set.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let size = Validators::<T>::try_mutate(|set| {
				let size = set.len() as u32;
				let at = set.binary_search(&who).map_err(|_| Error::<T>::NotValidator)?;
				ensure!(size > Self::validator_floor(), Error::<T>::TooFewValidators);
				set.remove(at);
				Ok::<_, Error<T>>(size)
			})?;
			ValidatorsChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(Some(T::WeightInfo::remove_validator(size)).into())
		}

		/// Makes every session from the next boundary on last `blocks` blocks.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_session_length())]
		pub fn set_session_length(origin: OriginFor<T>, blocks: BlockNumberFor<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(blocks >= T::MinSessionLength::get(), Error::<T>::SessionTooShort);
			SessionLength::<T>::put(blocks);
			Self::deposit_event(Event::SessionLengthSet { blocks });
			Ok(())
		}

		/// Authorises the node with peer id `peer_id` (the bytes of its `12D3KooW...` id), run
		/// by `owner`, to connect to the network.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::authorise_node())]
		pub fn authorise_node(origin: OriginFor<T>, peer_id: Vec<u8>, owner: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let peer_id = parse_peer_id(&peer_id).ok_or(Error::<T>::MalformedPeerId)?;
			ensure!(!AuthorisedNodes::<T>::contains_key(&peer_id), Error::<T>::NodeAlreadyAuthorised);
			ensure!(AuthorisedNodes::<T>::count() < T::MaxNodes::get(), Error::<T>::TooManyNodes);
			AuthorisedNodes::<T>::insert(&peer_id, &owner);
			Self::deposit_event(Event::NodeAuthorised { peer_id, owner });
			Ok(())
		}

		/// Revokes the authorisation of the node with peer id `peer_id`; the other nodes drop
		/// it at their next block.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::revoke_node())]
		pub fn revoke_node(origin: OriginFor<T>, peer_id: Vec<u8>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let peer_id = parse_peer_id(&peer_id).ok_or(Error::<T>::MalformedPeerId)?;
			ensure!(AuthorisedNodes::<T>::contains_key(&peer_id), Error::<T>::NodeNotAuthorised);
			ensure!(AuthorisedNodes::<T>::count() > 1, Error::<T>::LastNode);
			let owner = AuthorisedNodes::<T>::take(&peer_id).ok_or(Error::<T>::NodeNotAuthorised)?;
			Self::deposit_event(Event::NodeRevoked { peer_id, owner });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The authorised nodes' peer ids, for the node's permissioning
		/// ([`ConsortiumNetworkApi::authorised_nodes`](runtime_api::ConsortiumNetworkApi)).
		pub fn authorised_nodes() -> Vec<Vec<u8>> {
			AuthorisedNodes::<T>::iter_keys().map(|peer_id| peer_id.into_inner()).collect()
		}

		/// The fewest validators a removal may leave: the consortium's floor, or
		/// `MinValidators` if that is higher.
		pub fn validator_floor() -> u32 {
			ValidatorFloor::<T>::get().max(T::MinValidators::get())
		}

		/// Whether a session ends, and the next starts, at block `n`: every
		/// [`SessionLengthOf`] blocks from genesis, as `pallet_session::PeriodicSessions` counts.
		pub fn session_ends_at(n: BlockNumberFor<T>) -> bool {
			!n.is_zero() && (n % SessionLengthOf::<T>::get()).is_zero()
		}

		/// Checks that the validator set is sorted, distinct and large enough, that the
		/// session length is allowed, and that the count of authorised nodes agrees with the
		/// nodes, each a well-formed peer id: `try_state`, also run by its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let validators = Validators::<T>::get();
			ensure!(validators.windows(2).all(|w| w[0] < w[1]), "validators not sorted and distinct");
			ensure!(
				validators.is_empty() || validators.len() as u32 >= Self::validator_floor(),
				"fewer validators than the validator floor"
			);
			ensure!(SessionLength::<T>::get() >= T::MinSessionLength::get(), "session shorter than MinSessionLength");
			let mut nodes = 0u32;
			for peer_id in AuthorisedNodes::<T>::iter_keys() {
				ensure!(parse_peer_id(&peer_id).is_some(), "a malformed authorised peer id");
				nodes += 1;
			}
			ensure!(nodes == AuthorisedNodes::<T>::count(), "the count of authorised nodes disagrees with them");
			ensure!(nodes <= T::MaxNodes::get(), "more authorised nodes than MaxNodes");
			Ok(())
		}
	}
}

/// The length of a session, for `pallet_session::PeriodicSessions` in the runtime.
pub struct SessionLengthOf<T>(core::marker::PhantomData<T>);

impl<T: Config> frame_support::traits::Get<frame_system::pallet_prelude::BlockNumberFor<T>> for SessionLengthOf<T> {
	fn get() -> frame_system::pallet_prelude::BlockNumberFor<T> {
		// Never zero, even on a chain whose genesis did not set it: sessions divide by it.
		SessionLength::<T>::get().max(T::MinSessionLength::get())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		if !ValidatorsChanged::<T>::take() {
			return None;
		}
		let validators = Validators::<T>::get();
		Self::deposit_event(Event::ValidatorSetPlanned { session: new_index, validators: validators.clone() });
		Some(validators.into_inner())
	}

	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		let validators = Validators::<T>::get();
		(!validators.is_empty()).then(|| validators.into_inner())
	}

	fn end_session(_end_index: u32) {}

	fn start_session(_start_index: u32) {}
}
