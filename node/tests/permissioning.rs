//! The node's permissioning logic (`permissioning`): the peer set a node takes under the chain's
//! allow-list, and whom its request gates admit. The running node is tested end to end in
//! `tests/e2e/local-network.test.js` (a hand-written client is refused; a public node serves a
//! light client).

use healthchain_node::permissioning::{
	asks_only_for_headers, light_client_slots, parse, peer_setting, public_node_slots, AllowList, PeerSetting,
	Strangers,
};
use prost::Message as _;
use sc_network::PeerId;
use sc_network_common::sync::message::BlockAttributes;
use std::collections::HashSet;

#[test]
fn an_authorised_node_takes_the_other_authorised_nodes_only() {
	let [a, b, c] = [PeerId::random(), PeerId::random(), PeerId::random()];
	let list: HashSet<_> = [a, b, c].into();
	assert_eq!(peer_setting(&list, &a, Strangers::Refused), PeerSetting::Only([b, c].into()));
}

#[test]
fn a_node_not_on_the_list_keeps_to_the_listed_nodes_and_an_empty_list_opens_the_network() {
	let [a, b, stranger] = [PeerId::random(), PeerId::random(), PeerId::random()];
	let list: HashSet<_> = [a, b].into();
	assert_eq!(peer_setting(&list, &stranger, Strangers::Refused), PeerSetting::Only([a, b].into()));
	assert_eq!(peer_setting(&HashSet::new(), &stranger, Strangers::Refused), PeerSetting::Open);
}

#[test]
fn a_public_node_keeps_the_listed_nodes_first_and_takes_others_beside_them() {
	let [a, b, c] = [PeerId::random(), PeerId::random(), PeerId::random()];
	let list: HashSet<_> = [a, b, c].into();
	assert_eq!(peer_setting(&list, &a, Strangers::LightClients), PeerSetting::First([b, c].into()));
	assert_eq!(peer_setting(&HashSet::new(), &a, Strangers::LightClients), PeerSetting::Open);
}

#[test]
fn a_public_node_has_no_slot_for_a_full_node_off_the_list_and_keeps_its_light_slots() {
	// sc-cli's defaults: 32 in, 8 out, 100 light; it counts the light slots into `in_peers`.
	assert_eq!(light_client_slots(132, 8, 40), 100);
	assert_eq!(light_client_slots(10, 8, 40), 0, "never below zero");
	let mut network = sc_network::config::NetworkConfiguration::new_local();
	network.default_peers_set.in_peers = 132;
	network.default_peers_set.out_peers = 8;
	network.default_peers_set_num_full = 40;
	public_node_slots(&mut network);
	assert_eq!(
		(network.default_peers_set.in_peers, network.default_peers_set.out_peers, network.default_peers_set_num_full),
		(100, 0, 0)
	);
}

/// A block request as sc-network-sync encodes it (`schema/api.v1.proto`), for `attributes`
/// of 16 blocks from block 1.
#[derive(Clone, PartialEq, prost::Message)]
struct BlockRequest {
	#[prost(uint32, tag = "1")]
	fields: u32,
	#[prost(bytes = "vec", tag = "3")]
	number: Vec<u8>,
	#[prost(uint32, tag = "6")]
	max_blocks: u32,
	#[prost(bool, tag = "7")]
	support_multiple_justifications: bool,
}

fn block_request(attributes: BlockAttributes) -> Vec<u8> {
	BlockRequest {
		fields: attributes.to_be_u32(),
		number: 1u32.to_le_bytes().to_vec(),
		max_blocks: 16,
		support_multiple_justifications: true,
	}
	.encode_to_vec()
}

#[test]
fn a_light_client_may_ask_for_headers_and_justifications_and_nothing_else() {
	use BlockAttributes as A;
	for asked in [A::HEADER, A::HEADER | A::JUSTIFICATION, A::JUSTIFICATION] {
		assert!(asks_only_for_headers(&block_request(asked)), "{asked:?} is what a light client verifies with");
	}
	for asked in [A::BODY, A::HEADER | A::BODY, A::HEADER | A::JUSTIFICATION | A::INDEXED_BODY, A::HEADER | A::RECEIPT, A::MESSAGE_QUEUE] {
		assert!(!asks_only_for_headers(&block_request(asked)), "{asked:?} asks for more than headers");
	}
	// Not a block request, or attributes sc-network-sync does not know: refused.
	assert!(!asks_only_for_headers(&[0x0a, 0x09, 0x00]));
	assert!(!asks_only_for_headers(&[0x08, 0x80, 0x80, 0x80, 0x80, 0x08]), "an unknown attribute bit");
}

#[test]
fn the_allow_list_admits_its_peers_only_and_everyone_while_empty() {
	let [a, b, stranger] = [PeerId::random(), PeerId::random(), PeerId::random()];
	let allow_list = AllowList::default();
	assert!(allow_list.admits(&stranger), "an empty list admits anyone");
	assert!(allow_list.replace(Some([a, b].into())).is_empty());
	assert!(allow_list.admits(&a));
	assert!(!allow_list.admits(&stranger));
	assert_eq!(allow_list.replace(Some([a].into())), vec![b], "b was revoked");
	assert!(!allow_list.admits(&b));
	assert_eq!(allow_list.replace(None), vec![a], "an emptied list revokes the rest");
	assert!(allow_list.admits(&stranger), "and opens the network");
}

#[test]
fn malformed_peer_ids_are_left_out() {
	let a = PeerId::random();
	assert_eq!(parse(vec![a.to_bytes(), vec![0; 38], vec![]]), [a].into());
}
