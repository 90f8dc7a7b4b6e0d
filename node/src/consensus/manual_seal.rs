//! Manual seal on a timer: a block every `interval_ms` milliseconds, with or without
//! transactions, finalized at once. For development that needs a steady block pace (time-based
//! logic, expiry, subscriptions) without running a validator set.

use super::{sealing, ConsensusEngine, StartParams};
use crate::service::NodeParts;
use healthchain_runtime::opaque::Block;
use sc_consensus::DefaultImportQueue;
use sc_service::{error::Error as ServiceError, Configuration, SpawnEssentialTaskHandle};
use std::time::Duration;

/// Manual seal with a block every `interval_ms` milliseconds.
#[derive(Clone, Copy, Debug)]
pub struct ManualSeal {
	/// Milliseconds between blocks.
	pub interval_ms: u64,
}

impl ConsensusEngine for ManualSeal {
	type Link = ();

	fn import_queue(
		&self,
		parts: &NodeParts,
		spawner: &SpawnEssentialTaskHandle,
		config: &Configuration,
	) -> Result<(DefaultImportQueue<Block>, ()), ServiceError> {
		Ok((sealing::import_queue(parts, spawner, config), ()))
	}

	fn start(self, _link: (), params: StartParams<'_>) -> Result<(), ServiceError> {
		let mut interval = tokio::time::interval(Duration::from_millis(self.interval_ms));
		// A slow block delays the next tick rather than causing a burst to catch up.
		interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		let commands = Box::pin(futures::stream::unfold(interval, |mut interval| async move {
			interval.tick().await;
			Some((sealing::seal_and_finalize(true), interval))
		}));
		sealing::start(
			params.parts,
			params.task_manager,
			params.prometheus_registry.as_ref(),
			commands,
		)
	}
}
