//! A binary Merkle tree over the readings of a batch, so that anyone holding the batch can
//! prove, against the root on chain, that one reading belonged to it unchanged.
//!
//! Leaves are `blake2_256(0x00 ++ reading)`; a parent is `blake2_256(0x01 ++ left ++ right)`; a
//! node without a sibling goes up a level unchanged. The two prefixes keep a leaf and an inner
//! node from ever hashing alike, so an inner node cannot pass for a reading; and a proof's shape
//! (its length, and where a level has no sibling) is fixed by the batch's number of readings,
//! which [`verify`] takes from the chain, so a proof cannot claim a reading deeper or shallower
//! than the tree is.

use alloc::vec::Vec;
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Hash};

/// The domain of a leaf's hash.
const LEAF: u8 = 0x00;
/// The domain of an inner node's hash.
const NODE: u8 = 0x01;

/// The hash of a reading (its encoded bytes, encrypted or not, as the batch holds it).
pub fn leaf(reading: &[u8]) -> H256 {
	BlakeTwo256::hash(&[&[LEAF][..], reading].concat())
}

fn parent(left: &H256, right: &H256) -> H256 {
	BlakeTwo256::hash(&[&[NODE][..], left.as_bytes(), right.as_bytes()].concat())
}

fn next_level(level: &[H256]) -> Vec<H256> {
	level
		.chunks(2)
		.map(|pair| if let [left, right] = pair { parent(left, right) } else { pair[0] })
		.collect()
}

/// The root of the tree over `leaves`; zero if there are none.
pub fn root(leaves: &[H256]) -> H256 {
	let mut level = leaves.to_vec();
	if level.is_empty() {
		return H256::zero();
	}
	while level.len() > 1 {
		level = next_level(&level);
	}
	level[0]
}

/// The proof that leaf `index` belongs to the tree over `leaves`: its siblings from the bottom
/// up (`None` where it had none). `None` if `index` is out of range.
pub fn proof(leaves: &[H256], index: usize) -> Option<Vec<Option<H256>>> {
	if index >= leaves.len() {
		return None;
	}
	let (mut level, mut at, mut siblings) = (leaves.to_vec(), index, Vec::new());
	while level.len() > 1 {
		siblings.push(level.get(at ^ 1).copied());
		level = next_level(&level);
		at /= 2;
	}
	Some(siblings)
}

/// Whether `leaf` is leaf `index` of the tree over `leaves` leaves whose root is `root`, by
/// `proof`: exactly one entry per level of that tree, a sibling exactly where it has one.
pub fn verify(root: H256, leaf: H256, index: usize, leaves: u32, proof: &[Option<H256>]) -> bool {
	let mut width = leaves as usize;
	if index >= width {
		return false;
	}
	let (mut node, mut at, mut levels) = (leaf, index, proof.iter());
	while width > 1 {
		let Some(sibling) = levels.next() else { return false };
		match (sibling, (at ^ 1) < width) {
			(Some(sibling), true) =>
				node = if at % 2 == 0 { parent(&node, sibling) } else { parent(sibling, &node) },
			(None, false) => {},
			_ => return false,
		}
		at /= 2;
		width = width.div_ceil(2);
	}
	levels.next().is_none() && node == root
}
