//! Tests of consortium governance in the runtime: council motions as the governance origin,
//! validator changes through sessions to Aura and GRANDPA, and a runtime upgrade authorised
//! through the whitelist, all on the `local_testnet` preset.

use crate::{tests::native_genesis, *};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{Get, OnFinalize, OnInitialize},
};
use pallet_collective::Instance1;
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, *};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{
	traits::{BlakeTwo256, Dispatchable, Hash as _},
	DispatchError,
};

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

/// The `local_testnet` genesis at block 1, with a keystore for session keys.
fn local_testnet(test: impl FnOnce()) {
	let mut ext = sp_io::TestExternalities::new(native_genesis(LOCAL_TESTNET_RUNTIME_PRESET));
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| {
		System::set_block_number(1);
		test();
		ConsortiumNetwork::do_try_state().expect("the consortium network is consistent");
	});
}

/// The result of the council's last executed motion.
fn last_motion_result() -> Result<(), DispatchError> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
			_ => None,
		})
		.expect("a motion was executed")
}

/// Puts `call` to the council with `threshold`; the first of `ayes` proposes, each of `ayes`
/// votes aye (proposing is not voting); the motion is closed and the dispatch result of its
/// call returned.
fn motion(call: RuntimeCall, threshold: u32, ayes: &[Sr25519Keyring]) -> Result<(), DispatchError> {
	let length = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = BlakeTwo256::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, Instance1>::get();
	assert_ok!(Council::propose(signed(ayes[0]), threshold, Box::new(call), length));
	for voter in ayes {
		assert_ok!(Council::vote(signed(*voter), hash, index, true));
	}
	assert_ok!(Council::close(signed(ayes[0]), hash, index, weight, length));
	last_motion_result()
}

fn admit_clinic() -> RuntimeCall {
	RuntimeCall::HealthIdentity(pallet_health_identity::Call::admit_organisation {
		kind: pallet_health_identity::OrganisationKind::Clinic,
		admin: Ferdie.to_account_id(),
		metadata_hash: sp_core::H256::repeat_byte(7),
		encryption_key: [7; 32],
	})
}

#[test]
fn a_council_majority_is_the_governance_origin() {
	local_testnet(|| {
		let next = pallet_health_identity::NextOrganisationId::<Runtime>::get();
		assert_eq!(motion(admit_clinic(), 3, &[Alice, Bob, Eve]), Ok(()));
		assert_eq!(pallet_health_identity::NextOrganisationId::<Runtime>::get(), next + 1);
	});
}

#[test]
fn half_the_council_or_one_member_is_not_governance() {
	local_testnet(|| {
		let next = pallet_health_identity::NextOrganisationId::<Runtime>::get();
		// Two of four approve: the call runs with too weak an origin.
		assert_eq!(motion(admit_clinic(), 2, &[Alice, Bob]), Err(DispatchError::BadOrigin));
		// A member alone, directly or by executing through the council.
		let call = admit_clinic();
		assert_noop!(call.clone().dispatch(signed(Alice)), DispatchError::BadOrigin);
		let length = call.encoded_size() as u32;
		assert_ok!(Council::execute(signed(Alice), Box::new(call), length));
		assert_eq!(pallet_health_identity::NextOrganisationId::<Runtime>::get(), next);
		// No sudo key on this chain.
		assert_noop!(Sudo::sudo(signed(Alice), Box::new(admit_clinic())), pallet_sudo::Error::<Runtime>::RequireSudo);
	});
}

#[test]
fn governance_changes_the_council() {
	local_testnet(|| {
		let ferdie = Ferdie.to_account_id();
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member { who: ferdie.clone().into() });
		assert_noop!(add.clone().dispatch(signed(Alice)), DispatchError::BadOrigin);
		assert_eq!(motion(add, 3, &[Alice, Bob, Eve]), Ok(()));
		assert!(pallet_collective::Members::<Runtime, Instance1>::get().contains(&ferdie));
	});
}

fn seat(call: pallet_membership::Call<Runtime, pallet_membership::Instance1>) -> RuntimeCall {
	RuntimeCall::CouncilMembership(call)
}

fn council_seats() -> Vec<AccountId> {
	pallet_collective::Members::<Runtime, Instance1>::get()
}

/// Seven seats, so that a bare majority (four) falls short of two thirds (five).
const SEVEN_SEATS: [Sr25519Keyring; 7] = [Alice, Bob, Eve, AliceStash, BobStash, CharlieStash, DaveStash];
const BARE_MAJORITY: [Sr25519Keyring; 4] = [Alice, Bob, Eve, AliceStash];

fn seven_seats() {
	let seats = SEVEN_SEATS.iter().map(|k| k.to_account_id()).collect();
	assert_ok!(CouncilMembership::reset_members(RuntimeOrigin::root(), seats));
}

/// The escalation path of a council majority towards Root, refused at every step: reseat the
/// council (add an ally, remove or swap an opponent, reset the seats), make a prime member whose
/// vote the silent would follow, whitelist a call as Root, or shrink the validators until one
/// organisation controls finality.
#[test]
fn a_council_majority_cannot_make_itself_root() {
	local_testnet(|| {
		seven_seats();
		let before = council_seats();
		let ferdie = Ferdie.to_account_id();
		let opponent = DaveStash.to_account_id();
		let mut packed: Vec<AccountId> = BARE_MAJORITY.iter().map(|k| k.to_account_id()).collect();
		packed.push(ferdie.clone());
		let reseat = [
			seat(pallet_membership::Call::add_member { who: ferdie.clone().into() }),
			seat(pallet_membership::Call::remove_member { who: opponent.clone().into() }),
			seat(pallet_membership::Call::swap_member { remove: opponent.clone().into(), add: ferdie.clone().into() }),
			seat(pallet_membership::Call::reset_members { members: packed }),
		];
		for call in reseat {
			assert_eq!(motion(call, 4, &BARE_MAJORITY), Err(DispatchError::BadOrigin));
		}
		// No prime member, not even by two thirds.
		let prime = seat(pallet_membership::Call::set_prime { who: Alice.to_account_id().into() });
		assert_eq!(motion(prime, 5, &SEVEN_SEATS[..5]), Err(DispatchError::BadOrigin));
		// Whitelisting a call as Root needs two thirds.
		let call_hash = BlakeTwo256::hash_of(&admit_clinic());
		let whitelist = RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash });
		assert_eq!(motion(whitelist, 4, &BARE_MAJORITY), Err(DispatchError::BadOrigin));
		// The four validators are the consortium's floor: none can be removed.
		assert_eq!(pallet_consortium_network::ValidatorFloor::<Runtime>::get(), 4);
		let shrink = RuntimeCall::ConsortiumNetwork(pallet_consortium_network::Call::remove_validator {
			who: Dave.to_account_id(),
		});
		assert_eq!(
			motion(shrink, 4, &BARE_MAJORITY),
			Err(pallet_consortium_network::Error::<Runtime>::TooFewValidators.into())
		);
		assert_eq!(council_seats(), before, "the seats are unchanged");
		assert_eq!(pallet_collective::Prime::<Runtime, Instance1>::get(), None);
		assert_eq!(Session::validators().len(), 4);

		// Two thirds of the council do change its seats.
		let add = seat(pallet_membership::Call::add_member { who: ferdie.clone().into() });
		assert_eq!(motion(add, 5, &SEVEN_SEATS[..5]), Ok(()));
		assert!(council_seats().contains(&ferdie));
	});
}

#[test]
fn a_member_who_does_not_vote_counts_as_a_nay() {
	local_testnet(|| {
		seven_seats();
		let call = admit_clinic();
		let (length, weight, hash) =
			(call.encoded_size() as u32, call.get_dispatch_info().call_weight, BlakeTwo256::hash_of(&call));
		let next = pallet_health_identity::NextOrganisationId::<Runtime>::get();
		assert_ok!(Council::propose(signed(Alice), 4, Box::new(call), length));
		for voter in [Alice, Bob, Eve] {
			assert_ok!(Council::vote(signed(voter), hash, 0, true));
		}
		// Its time is up with three ayes and four silent: it fails.
		System::set_block_number(System::block_number() + configs::governance::CouncilMotionDuration::get() + 1);
		assert_ok!(Council::close(signed(Bob), hash, 0, weight, length));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Council(pallet_collective::Event::Disapproved { .. })
		)));
		assert_eq!(pallet_health_identity::NextOrganisationId::<Runtime>::get(), next);
	});
}

#[test]
fn a_council_majority_disapproves_a_motion() {
	local_testnet(|| {
		let call = admit_clinic();
		let hash = BlakeTwo256::hash_of(&call);
		assert_ok!(Council::propose(signed(Alice), 4, Box::new(call), 200));
		let disapprove = RuntimeCall::Council(pallet_collective::Call::disapprove_proposal { proposal_hash: hash });
		// A lone member cannot; a majority can.
		assert_noop!(disapprove.clone().dispatch(signed(Bob)), DispatchError::BadOrigin);
		assert_eq!(motion(disapprove, 3, &[Bob, Eve, AliceStash]), Ok(()));
		assert!(pallet_collective::ProposalOf::<Runtime, Instance1>::get(hash).is_none());
	});
}

/// Runs blocks up to `n`: session rotation at the start of each (by the consortium network
/// pallet; the session pallet's own hook must not rotate), GRANDPA's enactment of a scheduled
/// authority change at the end.
fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		assert_eq!(Session::on_initialize(next), frame_support::weights::Weight::zero(), "the session pallet must not rotate by itself");
		ConsortiumNetwork::on_initialize(next);
		Grandpa::on_finalize(next);
	}
}

/// Runs to the end of the second session boundary from now, when a change made now applies.
fn run_two_sessions() {
	let length = pallet_consortium_network::SessionLengthOf::<Runtime>::get();
	let now = System::block_number();
	run_to_block((now / length + 2) * length);
}

/// Registers `who`'s session keys, generated in the keystore, with their ownership proof.
fn register_session_keys(who: Sr25519Keyring) -> SessionKeys {
	let generated = SessionKeys::generate(&who.to_account_id().encode(), None);
	assert_ok!(Session::set_keys(signed(who), generated.keys.clone(), generated.proof.encode()));
	generated.keys
}

fn aura_authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> Vec<sp_consensus_grandpa::AuthorityId> {
	Grandpa::grandpa_authorities().into_iter().map(|(id, _)| id).collect()
}

#[test]
fn governance_adds_and_removes_validators_at_session_boundaries() {
	local_testnet(|| {
		let eve = Eve.to_account_id();
		let add = || RuntimeCall::ConsortiumNetwork(pallet_consortium_network::Call::add_validator { who: eve.clone() });
		// Without session keys, refused.
		assert_eq!(
			motion(add(), 3, &[Alice, Bob, AliceStash]),
			Err(pallet_consortium_network::Error::<Runtime>::NoSessionKeys.into())
		);
		let keys = register_session_keys(Eve);
		assert_eq!(motion(add(), 3, &[Alice, Bob, AliceStash]), Ok(()));
		assert!(!aura_authorities().contains(&keys.aura), "not before the session boundaries");
		run_two_sessions();
		assert!(Session::validators().contains(&eve));
		assert_eq!(aura_authorities().len(), 5);
		assert!(aura_authorities().contains(&keys.aura));
		assert!(grandpa_authorities().contains(&keys.grandpa));

		let dave_aura: sp_consensus_aura::sr25519::AuthorityId = Dave.public().into();
		let remove = RuntimeCall::ConsortiumNetwork(pallet_consortium_network::Call::remove_validator {
			who: Dave.to_account_id(),
		});
		assert_eq!(motion(remove, 3, &[Bob, Eve, AliceStash]), Ok(()));
		run_two_sessions();
		assert!(!Session::validators().contains(&Dave.to_account_id()));
		assert!(!aura_authorities().contains(&dave_aura));
		assert_eq!(grandpa_authorities().len(), 4);
	});
}

#[test]
fn governance_authorises_nodes() {
	local_testnet(|| {
		let peer_id = genesis_config_presets::dev_node_peer_id(5);
		let call = RuntimeCall::ConsortiumNetwork(pallet_consortium_network::Call::authorise_node {
			peer_id: peer_id.clone(),
			owner: Eve.to_account_id(),
		});
		assert_noop!(call.clone().dispatch(signed(Alice)), DispatchError::BadOrigin);
		assert_eq!(motion(call, 3, &[Alice, Bob, Eve]), Ok(()));
		assert_eq!(pallet_consortium_network::AuthorisedNodes::<Runtime>::count(), 5);
	});
}

/// The code hash of the last upgrade authorised, if any.
fn authorised_upgrade() -> Option<Hash> {
	System::events().into_iter().rev().find_map(|r| match r.event {
		RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { code_hash, .. }) => Some(code_hash),
		_ => None,
	})
}

#[test]
fn two_thirds_of_the_council_authorise_a_runtime_upgrade_through_the_whitelist() {
	local_testnet(|| {
		let code_hash = BlakeTwo256::hash(b"the next runtime");
		let authorise = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
		let call_hash = BlakeTwo256::hash_of(&authorise);
		let whitelist = RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash });
		let dispatch = RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
			call: Box::new(authorise.clone()),
		});
		let length = dispatch.encoded_size() as u32;

		// Half the council cannot whitelist; a member's dispatch of a call nobody whitelisted
		// runs nothing.
		assert_eq!(motion(whitelist.clone(), 2, &[Alice, Bob]), Err(DispatchError::BadOrigin));
		assert_ok!(Council::execute(signed(Bob), Box::new(dispatch.clone()), length));
		assert_eq!(authorised_upgrade(), None);
		assert_noop!(authorise.clone().dispatch(signed(Alice)), DispatchError::BadOrigin);

		assert_eq!(motion(whitelist, 3, &[Alice, Bob, Eve]), Ok(()));
		// Any single member now dispatches exactly that call, as Root.
		assert_ok!(Council::execute(signed(AliceStash), Box::new(dispatch), length));
		assert_eq!(authorised_upgrade(), Some(code_hash));
	});
}

#[test]
fn sessions_rotate_every_session_length_blocks() {
	local_testnet(|| {
		let length = genesis_config_presets::DEV_SESSION_LENGTH;
		assert_eq!(pallet_consortium_network::SessionLengthOf::<Runtime>::get(), length);
		run_to_block(length - 1);
		assert_eq!(Session::current_index(), 0);
		run_to_block(length);
		assert_eq!(Session::current_index(), 1);
		// The rotation's block keeps room for transactions: it declares the rotation's
		// benchmarked weight, not the whole block's as `pallet_session` alone would.
		let rotation = <<Runtime as pallet_consortium_network::Config>::WeightInfo as pallet_consortium_network::WeightInfo>::rotate_session();
		let block = <Runtime as frame_system::Config>::BlockWeights::get();
		assert!(rotation.all_lt(block.max_block / 10), "rotation {rotation} of {}", block.max_block);
		run_to_block(3 * length);
		assert_eq!(Session::current_index(), 3);
		// Unchanged validators: Aura and GRANDPA keep the genesis set.
		assert_eq!(aura_authorities().len(), 4);
		assert_eq!(Grandpa::current_set_id(), 0);
	});
}

/// A patient's call, which Ferdie (a patient at genesis) may make.
fn patient_call() -> RuntimeCall {
	RuntimeCall::HealthIdentity(pallet_health_identity::Call::rotate_patient_key { encryption_key: [9; 32] })
}

fn filtered() -> Result<(), DispatchError> {
	Err(frame_system::Error::<Runtime>::CallFiltered.into())
}

#[test]
fn a_third_of_the_council_enters_safe_mode_for_two_hours_and_a_majority_ends_it() {
	local_testnet(|| {
		let enter = RuntimeCall::SafeMode(pallet_safe_mode::Call::force_enter {});
		// A lone member is no quorum.
		assert_noop!(enter.clone().dispatch(signed(Alice)), DispatchError::BadOrigin);
		assert_eq!(motion(enter, 2, &[Alice, Bob]), Ok(()));
		let until = pallet_safe_mode::EnteredUntil::<Runtime>::get().expect("entered");
		assert_eq!(until, System::block_number() + configs::governance::EMERGENCY_SAFE_MODE);
		// Everything but governance and the chain's machinery stops.
		assert_eq!(patient_call().dispatch(signed(Ferdie)).map(|_| ()).map_err(|e| e.error), filtered());
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: Bob.to_account_id().into(), value: 1 });
		assert_eq!(transfer.dispatch(signed(Alice)).map(|_| ()).map_err(|e| e.error), filtered());
		// The quorum cannot extend it; a majority can, by a day.
		let extend = RuntimeCall::SafeMode(pallet_safe_mode::Call::force_extend {});
		assert_eq!(motion(extend.clone(), 2, &[Alice, Bob]), Err(DispatchError::BadOrigin));
		assert_eq!(motion(extend, 3, &[Alice, Bob, Eve]), Ok(()));
		assert_eq!(
			pallet_safe_mode::EnteredUntil::<Runtime>::get(),
			Some(until + configs::governance::COUNCIL_SAFE_MODE)
		);
		// A majority ends it, and calls run again.
		let exit = RuntimeCall::SafeMode(pallet_safe_mode::Call::force_exit {});
		assert_eq!(motion(exit, 3, &[Alice, Bob, Eve]), Ok(()));
		assert_ok!(patient_call().dispatch(signed(Ferdie)));
	});
}

#[test]
fn safe_mode_ends_by_itself_when_its_time_is_up() {
	local_testnet(|| {
		assert_eq!(motion(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_enter {}), 2, &[Alice, Bob]), Ok(()));
		let until = pallet_safe_mode::EnteredUntil::<Runtime>::get().expect("entered");
		System::set_block_number(until + 1);
		SafeMode::on_initialize(until + 1);
		assert!(pallet_safe_mode::EnteredUntil::<Runtime>::get().is_none());
		assert_ok!(patient_call().dispatch(signed(Ferdie)));
	});
}

#[test]
fn a_council_majority_pauses_and_unpauses_calls_but_never_governance() {
	local_testnet(|| {
		let name = |pallet: &str, call: &str| -> pallet_tx_pause::RuntimeCallNameOf<Runtime> {
			(pallet.as_bytes().to_vec().try_into().unwrap(), call.as_bytes().to_vec().try_into().unwrap())
		};
		let pause = |pallet, call| RuntimeCall::TxPause(pallet_tx_pause::Call::pause { full_name: name(pallet, call) });
		assert_eq!(motion(pause("HealthIdentity", "rotate_patient_key"), 2, &[Alice, Bob]), Err(DispatchError::BadOrigin));
		assert_eq!(motion(pause("HealthIdentity", "rotate_patient_key"), 3, &[Alice, Bob, Eve]), Ok(()));
		assert_eq!(patient_call().dispatch(signed(Ferdie)).map(|_| ()).map_err(|e| e.error), filtered());
		// Only that call: the rest of the pallet runs.
		let guardian = RuntimeCall::HealthIdentity(pallet_health_identity::Call::appoint_guardian {
			guardian: Bob.to_account_id(),
			kind: pallet_health_identity::GuardianKind::Delegate,
			scope: vec![pallet_health_identity::CareScope::HealthRecords],
			expires_at: None,
		});
		assert_ok!(guardian.dispatch(signed(Ferdie)));
		// Governance and the chain's machinery cannot be paused.
		for (pallet, call) in [("Council", "vote"), ("CouncilMembership", "add_member"), ("Timestamp", "set"), ("SafeMode", "force_exit")] {
			assert_eq!(
				motion(pause(pallet, call), 3, &[Alice, Bob, Eve]),
				Err(pallet_tx_pause::Error::<Runtime>::Unpausable.into()),
				"{pallet}.{call}"
			);
		}
		let unpause = RuntimeCall::TxPause(pallet_tx_pause::Call::unpause { ident: name("HealthIdentity", "rotate_patient_key") });
		assert_eq!(motion(unpause, 3, &[Alice, Bob, Eve]), Ok(()));
		assert_ok!(patient_call().dispatch(signed(Ferdie)));
	});
}

/// `call` dispatched by `voting_key` for the seat `seat` through its proxy: the result of the
/// call itself (`proxy.proxy` succeeds whenever the proxy exists; the call's own result is in
/// its `ProxyExecuted` event).
fn through_proxy(voting_key: Sr25519Keyring, seat: Sr25519Keyring, call: RuntimeCall) -> Result<(), DispatchError> {
	System::reset_events();
	assert_ok!(Proxy::proxy(signed(voting_key), seat.to_account_id().into(), None, Box::new(call)));
	System::events()
		.into_iter()
		.find_map(|r| match r.event {
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => Some(result),
			_ => None,
		})
		.expect("the proxied call ran")
}

/// Eve's seat names Charlie's key, which is not on the council, as its voting key.
fn name_voting_key() {
	assert_ok!(Proxy::add_proxy(signed(Eve), Charlie.to_account_id().into(), configs::governance::ProxyType::Governance, 0));
}

#[test]
fn a_seat_votes_through_its_voting_key_while_its_own_key_stays_offline() {
	local_testnet(|| {
		let free = Balances::free_balance(Eve.to_account_id());
		name_voting_key();
		// The seat pays for the proxy it keeps.
		let held = configs::governance::ProxyDepositBase::get() + configs::governance::ProxyDepositFactor::get();
		assert_eq!(Balances::reserved_balance(Eve.to_account_id()), held);
		assert!(Balances::free_balance(Eve.to_account_id()) <= free - held);
		// The voting key proposes for the seat, and votes for it; two other seats vote.
		let call = admit_clinic();
		let (length, weight, hash) = (call.encoded_size() as u32, call.get_dispatch_info().call_weight, BlakeTwo256::hash_of(&call));
		let index = pallet_collective::ProposalCount::<Runtime, Instance1>::get();
		let propose = RuntimeCall::Council(pallet_collective::Call::propose { threshold: 3, proposal: Box::new(call), length_bound: length });
		assert_eq!(through_proxy(Charlie, Eve, propose), Ok(()));
		let vote = RuntimeCall::Council(pallet_collective::Call::vote { proposal: hash, index, approve: true });
		assert_eq!(through_proxy(Charlie, Eve, vote), Ok(()));
		let voter = System::events().into_iter().find_map(|r| match r.event {
			RuntimeEvent::Council(pallet_collective::Event::Voted { account, voted: true, .. }) => Some(account),
			_ => None,
		});
		assert_eq!(voter, Some(Eve.to_account_id()), "the seat's vote, not the voting key's");
		assert_ok!(Council::vote(signed(Alice), hash, index, true));
		assert_ok!(Council::vote(signed(Bob), hash, index, true));
		let next = pallet_health_identity::NextOrganisationId::<Runtime>::get();
		let close = RuntimeCall::Council(pallet_collective::Call::close { proposal_hash: hash, index, proposal_weight_bound: weight, length_bound: length });
		assert_eq!(through_proxy(Charlie, Eve, close), Ok(()));
		assert_eq!(last_motion_result(), Ok(()));
		assert_eq!(pallet_health_identity::NextOrganisationId::<Runtime>::get(), next + 1);
		// Revoking the voting key gives the deposit back.
		assert_ok!(Proxy::remove_proxy(signed(Eve), Charlie.to_account_id().into(), configs::governance::ProxyType::Governance, 0));
		assert_eq!(Balances::reserved_balance(Eve.to_account_id()), 0);
	});
}

#[test]
fn a_voting_key_does_nothing_but_governance() {
	local_testnet(|| {
		name_voting_key();
		let eve = Eve.to_account_id();
		let (free, seats) = (Balances::free_balance(&eve), council_seats());
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: Charlie.to_account_id().into(), value: UNIT });
		let refused: [(&str, RuntimeCall); 6] = [
			("a transfer of the seat's funds", transfer.clone()),
			// Moving the seat to itself would make the voting key the seat.
			("a change of seat", seat(pallet_membership::Call::change_key { new: Charlie.to_account_id().into() })),
			("a proxy of its own", RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
				delegate: Ferdie.to_account_id().into(),
				proxy_type: configs::governance::ProxyType::Governance,
				delay: 0,
			})),
			("revoking the seat's proxies", RuntimeCall::Proxy(pallet_proxy::Call::remove_proxies {})),
			("a call of the care pallets", patient_call()),
			("acting as a derived account", RuntimeCall::Utility(pallet_utility::Call::as_derivative { index: 0, call: Box::new(transfer.clone()) })),
		];
		for (what, call) in refused {
			assert_eq!(through_proxy(Charlie, Eve, call), filtered(), "{what}");
		}
		// A batch is no way around the filter: each call in it is checked on its own.
		System::reset_events();
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![transfer] });
		assert_ok!(Proxy::proxy(signed(Charlie), eve.clone().into(), None, Box::new(batch)));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(_) })
		)));
		assert_eq!((Balances::free_balance(&eve), council_seats()), (free, seats), "nothing moved");
		assert!(pallet_proxy::Proxies::<Runtime>::get(&eve).0.len() == 1, "the seat's proxy is still the only one");
	});
}

#[test]
fn a_voting_key_stops_when_revoked_or_when_its_seat_is_lost() {
	local_testnet(|| {
		name_voting_key();
		// A key that was never named is no proxy.
		let vote_on = |hash, index| RuntimeCall::Council(pallet_collective::Call::vote { proposal: hash, index, approve: true });
		assert_noop!(
			Proxy::proxy(signed(Dave), Eve.to_account_id().into(), None, Box::new(vote_on(sp_core::H256::zero(), 0))),
			pallet_proxy::Error::<Runtime>::NotProxy
		);
		// Only the seat revokes it; then the voting key is refused.
		assert_ok!(Proxy::remove_proxy(signed(Eve), Charlie.to_account_id().into(), configs::governance::ProxyType::Governance, 0));
		assert_noop!(
			Proxy::proxy(signed(Charlie), Eve.to_account_id().into(), None, Box::new(vote_on(sp_core::H256::zero(), 0))),
			pallet_proxy::Error::<Runtime>::NotProxy
		);
		// Standing is checked when the key is used: a seat removed from the council votes no
		// more through the voting key it still names.
		name_voting_key();
		let remove = seat(pallet_membership::Call::remove_member { who: Eve.to_account_id().into() });
		assert_eq!(motion(remove, 3, &[Alice, Bob, AliceStash]), Ok(()));
		let call = admit_clinic();
		let (length, hash) = (call.encoded_size() as u32, BlakeTwo256::hash_of(&call));
		let index = pallet_collective::ProposalCount::<Runtime, Instance1>::get();
		assert_ok!(Council::propose(signed(Alice), 2, Box::new(call), length));
		assert_eq!(through_proxy(Charlie, Eve, vote_on(hash, index)), Err(pallet_collective::Error::<Runtime, Instance1>::NotMember.into()));
	});
}

#[test]
fn a_voting_key_votes_in_safe_mode() {
	local_testnet(|| {
		name_voting_key();
		assert_eq!(motion(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_enter {}), 2, &[Alice, Bob]), Ok(()));
		let exit = RuntimeCall::SafeMode(pallet_safe_mode::Call::force_exit {});
		let (length, weight, hash) = (exit.encoded_size() as u32, exit.get_dispatch_info().call_weight, BlakeTwo256::hash_of(&exit));
		let index = pallet_collective::ProposalCount::<Runtime, Instance1>::get();
		assert_ok!(Council::propose(signed(Alice), 3, Box::new(exit), length));
		assert_ok!(Council::vote(signed(Alice), hash, index, true));
		assert_ok!(Council::vote(signed(Bob), hash, index, true));
		let vote = RuntimeCall::Council(pallet_collective::Call::vote { proposal: hash, index, approve: true });
		assert_eq!(through_proxy(Charlie, Eve, vote), Ok(()));
		assert_ok!(Council::close(signed(Alice), hash, index, weight, length));
		assert_eq!(last_motion_result(), Ok(()));
		assert!(pallet_safe_mode::EnteredUntil::<Runtime>::get().is_none(), "the council ended safe mode");
	});
}
