//! The node's own logic that needs no running node: the names of the consensus engines
//! (`--consensus`) and the development engines' clock. Integration tests, so that `cargo test`
//! compiles the node crate once, for the binary the other tests run, not a second time as a
//! test harness.

use healthchain_node::consensus::{sealing::DevClock, Consensus};
use sp_consensus_aura::{Slot, SlotDuration};
use std::time::{SystemTime, UNIX_EPOCH};

#[test]
fn parses_every_engine_name() {
	assert_eq!("aura".parse(), Ok(Consensus::Aura));
	assert_eq!("instant-seal".parse(), Ok(Consensus::InstantSeal));
	assert_eq!("manual-seal-500".parse(), Ok(Consensus::ManualSeal { interval_ms: 500 }));
}

#[test]
fn names_round_trip_through_display() {
	for engine in
		[Consensus::Aura, Consensus::InstantSeal, Consensus::ManualSeal { interval_ms: 6000 }]
	{
		assert_eq!(engine.to_string().parse(), Ok(engine));
	}
}

#[test]
fn unknown_names_list_the_valid_engines() {
	for bad in ["babe", "", "Aura", "manual-seal", "instant"] {
		let err = bad.parse::<Consensus>().unwrap_err();
		assert!(err.contains(Consensus::NAMES), "{bad}: {err}");
		assert!(err.contains("unknown consensus engine"), "{bad}: {err}");
	}
}

#[test]
fn manual_seal_needs_a_positive_whole_interval() {
	for bad in ["manual-seal-0", "manual-seal-", "manual-seal-1.5", "manual-seal--3"] {
		let err = bad.parse::<Consensus>().unwrap_err();
		assert!(err.contains("invalid block interval"), "{bad}: {err}");
		assert!(err.contains(Consensus::NAMES), "{bad}: {err}");
	}
}

const SLOT: u64 = 2_000;

fn slot_of(ms: u64) -> u64 {
	ms / SLOT
}

#[test]
fn every_timestamp_is_in_a_later_slot_and_a_full_slot_later() {
	let clock = DevClock::after_slot(Slot::from(0), SlotDuration::from_millis(SLOT));
	let mut previous = clock.next_timestamp();
	for _ in 0..100 {
		let next = clock.next_timestamp();
		assert!(slot_of(next) > slot_of(previous), "{previous} -> {next}");
		assert!(next >= previous + SLOT, "{previous} -> {next}");
		previous = next;
	}
}

#[test]
fn follows_the_wall_clock_when_blocks_are_slow() {
	let clock = DevClock::after_slot(Slot::from(0), SlotDuration::from_millis(SLOT));
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
	let first = clock.next_timestamp();
	assert!(first >= now && first < now + 60_000, "{first} is about {now}");
}

#[test]
fn resumes_after_the_best_block_of_a_chain_that_ran_ahead() {
	// A chain whose clock ran a day ahead of the wall clock before a restart.
	let ahead = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64 +
		86_400_000;
	let best_slot = slot_of(ahead);
	let clock = DevClock::after_slot(Slot::from(best_slot), SlotDuration::from_millis(SLOT));
	assert_eq!(slot_of(clock.next_timestamp()), best_slot + 1);
}
