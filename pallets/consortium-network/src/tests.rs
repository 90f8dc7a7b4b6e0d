//! Tests of the consortium network pallet: every call's success, each of its errors and a
//! refused origin, the session manager's hand-over of a changed set, the rotation at each
//! session boundary and its weight, the allow-list the node is told, and genesis checks. Every test ends with the pallet's `try_state` check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::{Get, Hooks}};
use pallet_session::SessionManager;
use sp_core::Bytes;
use sp_runtime::{BuildStorage, DispatchError};

const NEWCOMER: AccountId = 4;
const KEYLESS: AccountId = 9;

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::ConsortiumNetwork(e) = r.event { Some(e) } else { None })
		.expect("a consortium network event")
}

fn validators() -> Vec<AccountId> {
	Validators::<Test>::get().into_inner()
}

fn bounded(set: &[AccountId]) -> ValidatorSetOf<Test> {
	ValidatorSetOf::<Test>::try_from(set.to_vec()).unwrap()
}

#[test]
fn genesis_sets_validators_session_length_and_nodes() {
	run_test(|| {
		assert_eq!(validators(), vec![1, 2, 3]);
		assert!(!ValidatorsChanged::<Test>::get());
		assert_eq!(SessionLengthOf::<Test>::get(), GENESIS_SESSION_LENGTH);
		assert_eq!(AuthorisedNodes::<Test>::count(), 2);
		assert_eq!(AuthorisedNodes::<Test>::get(PeerId::truncate_from(peer(1))), Some(1));
		assert_eq!(AuthorisedNodes::<Test>::get(PeerId::truncate_from(peer(2))), Some(2));
		// The session pallet's genesis takes the set from here.
		assert_eq!(ConsortiumNetwork::new_session_genesis(0), Some(vec![1, 2, 3]));
		assert_eq!(ValidatorFloor::<Test>::get(), 2);
	});
}

#[test]
fn governance_adds_a_validator_with_session_keys() {
	run_test(|| {
		give_keys(NEWCOMER);
		assert_ok!(ConsortiumNetwork::add_validator(root(), NEWCOMER));
		assert_eq!(validators(), vec![1, 2, 3, NEWCOMER]);
		assert!(ValidatorsChanged::<Test>::get());
		assert_eq!(last_event(), Event::ValidatorAdded { who: NEWCOMER });
		// Kept sorted whatever the order of additions.
		give_keys(0);
		assert_ok!(ConsortiumNetwork::add_validator(root(), 0));
		assert_eq!(validators(), vec![0, 1, 2, 3, NEWCOMER]);
	});
}

#[test]
fn add_validator_refuses_bad_origin_missing_keys_duplicates_and_overflow() {
	run_test(|| {
		give_keys(NEWCOMER);
		assert_noop!(ConsortiumNetwork::add_validator(signed(1), NEWCOMER), DispatchError::BadOrigin);
		assert_noop!(ConsortiumNetwork::add_validator(root(), KEYLESS), Error::<Test>::NoSessionKeys);
		assert_noop!(ConsortiumNetwork::add_validator(root(), 2), Error::<Test>::AlreadyValidator);
		for who in [NEWCOMER, 5] {
			give_keys(who);
			assert_ok!(ConsortiumNetwork::add_validator(root(), who));
		}
		assert_eq!(validators().len() as u32, MAX_VALIDATORS);
		give_keys(6);
		assert_noop!(ConsortiumNetwork::add_validator(root(), 6), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn governance_removes_a_validator_down_to_the_minimum() {
	run_test(|| {
		assert_ok!(ConsortiumNetwork::remove_validator(root(), 2));
		assert_eq!(validators(), vec![1, 3]);
		assert!(ValidatorsChanged::<Test>::get());
		assert_eq!(last_event(), Event::ValidatorRemoved { who: 2 });
		// MinValidators is 2 in the mock.
		assert_noop!(ConsortiumNetwork::remove_validator(root(), 1), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn the_consortiums_floor_keeps_the_set_above_the_minimum() {
	run_test(|| {
		// A consortium whose spec sets a floor of three: no removal from three validators.
		ValidatorFloor::<Test>::put(3);
		assert_eq!(ConsortiumNetwork::validator_floor(), 3);
		assert_noop!(ConsortiumNetwork::remove_validator(root(), 2), Error::<Test>::TooFewValidators);
		give_keys(NEWCOMER);
		assert_ok!(ConsortiumNetwork::add_validator(root(), NEWCOMER));
		assert_ok!(ConsortiumNetwork::remove_validator(root(), 2));
		assert_noop!(ConsortiumNetwork::remove_validator(root(), 1), Error::<Test>::TooFewValidators);
		// A floor below MinValidators counts as MinValidators.
		ValidatorFloor::<Test>::put(1);
		assert_eq!(ConsortiumNetwork::validator_floor(), 2);
	});
}

#[test]
fn remove_validator_refuses_bad_origin_and_strangers() {
	run_test(|| {
		assert_noop!(ConsortiumNetwork::remove_validator(signed(1), 2), DispatchError::BadOrigin);
		assert_noop!(ConsortiumNetwork::remove_validator(root(), NEWCOMER), Error::<Test>::NotValidator);
	});
}

#[test]
fn the_session_pallet_takes_a_changed_set_once() {
	run_test(|| {
		assert_eq!(ConsortiumNetwork::new_session(1), None, "no change, no new set");
		give_keys(NEWCOMER);
		assert_ok!(ConsortiumNetwork::add_validator(root(), NEWCOMER));
		assert_ok!(ConsortiumNetwork::remove_validator(root(), 1));
		assert_eq!(ConsortiumNetwork::new_session(2), Some(vec![2, 3, NEWCOMER]));
		assert_eq!(last_event(), Event::ValidatorSetPlanned { session: 2, validators: bounded(&[2, 3, NEWCOMER]) });
		assert!(!ValidatorsChanged::<Test>::get());
		assert_eq!(ConsortiumNetwork::new_session(3), None, "taken already");
	});
}

/// Runs `on_initialize` for blocks `from..=to`; the weight each declared.
fn initialize_blocks(from: u64, to: u64) -> Vec<(u64, frame_support::weights::Weight)> {
	(from..=to)
		.map(|n| {
			System::set_block_number(n);
			(n, ConsortiumNetwork::on_initialize(n))
		})
		.collect()
}

fn rotations() -> Vec<Option<Vec<AccountId>>> {
	ROTATIONS.with(|r| r.borrow().clone())
}

#[test]
fn a_session_starts_at_each_multiple_of_the_session_length_with_its_benchmarked_weight() {
	run_test(|| {
		let weights = initialize_blocks(2, 3 * GENESIS_SESSION_LENGTH);
		assert_eq!(rotations(), vec![None, None, None], "three boundaries, no change of set");
		for (n, weight) in weights {
			if n % GENESIS_SESSION_LENGTH == 0 {
				assert_eq!(weight, <() as WeightInfo>::rotate_session(), "block {n} rotates");
			} else {
				let read = <<Test as frame_system::Config>::DbWeight as Get<frame_support::weights::RuntimeDbWeight>>::get().reads(1);
				assert_eq!(weight, read, "block {n} only reads the session length");
			}
		}
		assert!(!ConsortiumNetwork::session_ends_at(0), "genesis starts the first session");
	});
}

#[test]
fn a_changed_set_goes_to_the_session_pallet_at_the_next_boundary() {
	run_test(|| {
		give_keys(NEWCOMER);
		assert_ok!(ConsortiumNetwork::add_validator(root(), NEWCOMER));
		initialize_blocks(2, GENESIS_SESSION_LENGTH - 1);
		assert!(rotations().is_empty());
		initialize_blocks(GENESIS_SESSION_LENGTH, GENESIS_SESSION_LENGTH);
		assert_eq!(rotations(), vec![Some(vec![1, 2, 3, NEWCOMER])]);
		assert!(!ValidatorsChanged::<Test>::get());
	});
}

#[test]
fn sessions_follow_a_session_length_that_governance_changed() {
	run_test(|| {
		assert_ok!(ConsortiumNetwork::set_session_length(root(), 7));
		initialize_blocks(2, 30);
		// Boundaries at 7, 14, 21 and 28, as `pallet_session::PeriodicSessions` estimates them.
		assert_eq!(rotations().len(), 4);
		assert!((1..=30).filter(|n| ConsortiumNetwork::session_ends_at(*n)).eq([7, 14, 21, 28]));
	});
}

#[test]
fn governance_sets_the_session_length() {
	run_test(|| {
		assert_ok!(ConsortiumNetwork::set_session_length(root(), 600));
		assert_eq!(SessionLengthOf::<Test>::get(), 600);
		assert_eq!(last_event(), Event::SessionLengthSet { blocks: 600 });
		assert_noop!(
			ConsortiumNetwork::set_session_length(root(), MIN_SESSION_LENGTH - 1),
			Error::<Test>::SessionTooShort
		);
		assert_noop!(ConsortiumNetwork::set_session_length(signed(1), 600), DispatchError::BadOrigin);
	});
}

#[test]
fn session_length_is_never_zero() {
	run_test(|| {
		SessionLength::<Test>::kill();
		assert_eq!(SessionLengthOf::<Test>::get(), MIN_SESSION_LENGTH);
		SessionLength::<Test>::put(MIN_SESSION_LENGTH);
	});
}

#[test]
fn governance_authorises_a_node() {
	run_test(|| {
		assert_ok!(ConsortiumNetwork::authorise_node(root(), peer(3), 3));
		let id = PeerId::truncate_from(peer(3));
		assert_eq!(AuthorisedNodes::<Test>::get(&id), Some(3));
		assert_eq!(AuthorisedNodes::<Test>::count(), 3);
		assert_eq!(last_event(), Event::NodeAuthorised { peer_id: id, owner: 3 });
	});
}

#[test]
fn authorise_node_refuses_bad_origin_malformed_ids_duplicates_and_overflow() {
	run_test(|| {
		assert_noop!(ConsortiumNetwork::authorise_node(signed(1), peer(3), 3), DispatchError::BadOrigin);
		let mut short = peer(3);
		short.pop();
		assert_noop!(ConsortiumNetwork::authorise_node(root(), short, 3), Error::<Test>::MalformedPeerId);
		let mut long = peer(3);
		long.push(0);
		assert_noop!(ConsortiumNetwork::authorise_node(root(), long, 3), Error::<Test>::MalformedPeerId);
		// A secp256k1 key's peer id (key type 0x02) is not an ed25519 one.
		let mut secp = peer(3);
		secp[3] = 0x02;
		assert_noop!(ConsortiumNetwork::authorise_node(root(), secp, 3), Error::<Test>::MalformedPeerId);
		assert_noop!(ConsortiumNetwork::authorise_node(root(), peer(1), 3), Error::<Test>::NodeAlreadyAuthorised);
		for n in 3..=MAX_NODES as u8 {
			assert_ok!(ConsortiumNetwork::authorise_node(root(), peer(n), n.into()));
		}
		assert_noop!(ConsortiumNetwork::authorise_node(root(), peer(9), 9), Error::<Test>::TooManyNodes);
	});
}

#[test]
fn governance_revokes_a_node_but_not_the_last() {
	run_test(|| {
		assert_ok!(ConsortiumNetwork::revoke_node(root(), peer(2)));
		assert_eq!(AuthorisedNodes::<Test>::count(), 1);
		assert_eq!(last_event(), Event::NodeRevoked { peer_id: PeerId::truncate_from(peer(2)), owner: 2 });
		assert_noop!(ConsortiumNetwork::revoke_node(root(), peer(1)), Error::<Test>::LastNode);
	});
}

#[test]
fn revoke_node_refuses_bad_origin_malformed_ids_and_unknown_nodes() {
	run_test(|| {
		assert_noop!(ConsortiumNetwork::revoke_node(signed(1), peer(2)), DispatchError::BadOrigin);
		assert_noop!(ConsortiumNetwork::revoke_node(root(), vec![0; 38]), Error::<Test>::MalformedPeerId);
		assert_noop!(ConsortiumNetwork::revoke_node(root(), peer(3)), Error::<Test>::NodeNotAuthorised);
	});
}

#[test]
fn the_node_is_told_the_authorised_nodes_and_none_it_revoked() {
	run_test(|| {
		let sorted = || {
			let mut nodes = ConsortiumNetwork::authorised_nodes();
			nodes.sort();
			nodes
		};
		assert_eq!(sorted(), vec![peer(1), peer(2)]);
		assert_ok!(ConsortiumNetwork::authorise_node(root(), peer(3), 3));
		assert_eq!(sorted(), vec![peer(1), peer(2), peer(3)]);
		assert_ok!(ConsortiumNetwork::revoke_node(root(), peer(2)));
		assert_eq!(sorted(), vec![peer(1), peer(3)]);
	});
}

#[test]
fn with_no_authorised_nodes_the_node_is_told_an_empty_list() {
	run_test(|| {
		let _ = AuthorisedNodes::<Test>::clear(u32::MAX, None);
		assert!(ConsortiumNetwork::authorised_nodes().is_empty());
	});
}

#[test]
fn peer_ids_are_those_of_ed25519_node_keys() {
	let id = peer_id_of(&[7; 32]);
	assert_eq!(id.len() as u32, PEER_ID_LENGTH);
	assert_eq!(&id[..6], &ED25519_PEER_ID_PREFIX);
	assert_eq!(&id[6..], &[7; 32]);
	assert_eq!(parse_peer_id(&id), Some(id.clone()));
	assert_eq!(parse_peer_id(&id[1..]), None);
}

#[test]
fn try_state_finds_disagreements() {
	new_test_ext().execute_with(|| {
		assert_ok!(ConsortiumNetwork::do_try_state());
		Validators::<Test>::put(bounded(&[3, 1]));
		assert!(ConsortiumNetwork::do_try_state().is_err(), "unsorted validators");
		Validators::<Test>::put(bounded(&[1]));
		assert!(ConsortiumNetwork::do_try_state().is_err(), "fewer than the minimum");
		Validators::<Test>::put(bounded(&[1, 2]));
		assert_ok!(ConsortiumNetwork::do_try_state());
		SessionLength::<Test>::put(1);
		assert!(ConsortiumNetwork::do_try_state().is_err(), "a session too short");
	});
}

fn genesis(validators: Vec<AccountId>, session_length: u64, nodes: Vec<(Vec<u8>, AccountId)>) {
	genesis_with_floor(validators, session_length, nodes, 2);
}

fn genesis_with_floor(
	validators: Vec<AccountId>,
	session_length: u64,
	nodes: Vec<(Vec<u8>, AccountId)>,
	min_validators: u32,
) {
	let _ = RuntimeGenesisConfig {
		system: Default::default(),
		consortium_network: crate::GenesisConfig {
			validators,
			session_length,
			nodes: nodes.into_iter().map(|(p, o)| (Bytes(p), o)).collect(),
			min_validators,
		},
	}
	.build_storage();
}

#[test]
#[should_panic(expected = "fewer genesis validators than the validator floor")]
fn genesis_refuses_fewer_validators_than_its_floor() {
	genesis_with_floor(vec![1, 2, 3], GENESIS_SESSION_LENGTH, vec![], 4);
}

#[test]
#[should_panic(expected = "the genesis validator floor is above MaxValidators")]
fn genesis_refuses_a_floor_above_the_maximum() {
	genesis_with_floor(vec![], GENESIS_SESSION_LENGTH, vec![], MAX_VALIDATORS + 1);
}

#[test]
#[should_panic(expected = "a genesis validator is listed twice")]
fn genesis_refuses_a_validator_twice() {
	genesis(vec![1, 2, 1], GENESIS_SESSION_LENGTH, vec![]);
}

#[test]
#[should_panic(expected = "shorter than MinSessionLength")]
fn genesis_refuses_a_short_session() {
	genesis(vec![1, 2], MIN_SESSION_LENGTH - 1, vec![]);
}

#[test]
#[should_panic(expected = "not an ed25519 peer id")]
fn genesis_refuses_a_malformed_peer_id() {
	genesis(vec![1, 2], GENESIS_SESSION_LENGTH, vec![(vec![1, 2, 3], 1)]);
}

#[test]
#[should_panic(expected = "a genesis node is listed twice")]
fn genesis_refuses_a_node_twice() {
	genesis(vec![1, 2], GENESIS_SESSION_LENGTH, vec![(peer(1), 1), (peer(1), 2)]);
}

#[test]
fn the_configured_bounds_are_consistent() {
	new_test_ext().execute_with(|| ConsortiumNetwork::integrity_test());
}
