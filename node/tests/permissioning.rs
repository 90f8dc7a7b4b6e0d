//! The node's permissioning logic (`permissioning`): the peer set a node takes under the chain's
//! allow-list, and whom its request gates admit. The running node is tested end to end in
//! `tests/e2e/local-network.test.js` (a hand-written client is refused).

use healthchain_node::permissioning::{parse, peer_setting, AllowList, PeerSetting};
use sc_network::PeerId;
use std::collections::HashSet;

#[test]
fn an_authorised_node_takes_the_other_authorised_nodes_only() {
	let [a, b, c] = [PeerId::random(), PeerId::random(), PeerId::random()];
	let list: HashSet<_> = [a, b, c].into();
	assert_eq!(peer_setting(&list, &a), PeerSetting::Only([b, c].into()));
}

#[test]
fn a_node_not_on_the_list_keeps_to_the_listed_nodes_and_an_empty_list_opens_the_network() {
	let [a, b, stranger] = [PeerId::random(), PeerId::random(), PeerId::random()];
	let list: HashSet<_> = [a, b].into();
	assert_eq!(peer_setting(&list, &stranger), PeerSetting::Only([a, b].into()));
	assert_eq!(peer_setting(&HashSet::new(), &stranger), PeerSetting::Open);
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
