//! What the chain did with the transactions: a watcher of best and finalized blocks on a
//! connection of its own, matching block bodies to the transactions sent by hash.

use std::{
	collections::{HashMap, HashSet},
	sync::{Arc, Mutex},
	time::Instant,
};

use codec::Decode;
use subxt::{
	client::OnlineClientAtBlock,
	events::Phase,
	rpcs::{rpc_params, RpcClient},
	Metadata, OnlineClient, SubstrateConfig,
};

use crate::Failure;

/// A weight as the runtime encodes it.
#[derive(Decode, Clone, Copy, Debug, Default)]
struct Weight {
	#[codec(compact)]
	ref_time: u64,
	#[codec(compact)]
	_proof_size: u64,
}

/// A value for each dispatch class, as frame-system keeps them.
#[derive(Decode, Clone, Copy, Debug, Default)]
struct PerClass<T> {
	normal: T,
	_operational: T,
	_mandatory: T,
}

/// The part of a class's weight limits this needs.
#[derive(Decode)]
struct ClassWeights {
	_base_extrinsic: Weight,
	_max_extrinsic: Option<Weight>,
	max_total: Option<Weight>,
	_reserved: Option<Weight>,
}

/// `frame_system::limits::BlockWeights`, as far as this reads it.
#[derive(Decode)]
struct BlockWeights {
	_base_block: Weight,
	max_block: Weight,
	per_class: PerClass<ClassWeights>,
}

/// How full a block may be with normal transactions: ref time and length.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	normal_ref_time: u64,
	normal_length: u32,
}

impl Limits {
	/// The limits in the chain's metadata (`System.BlockWeights`, `System.BlockLength`).
	pub async fn read(api: &OnlineClient<SubstrateConfig>) -> Result<Self, Failure> {
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		let metadata = at.metadata();
		let constant = |name: &str| -> Result<Vec<u8>, Failure> {
			metadata
				.pallet_by_name("System")
				.and_then(|p| p.constant_by_name(name))
				.map(|c| c.value().to_vec())
				.ok_or_else(|| Failure::Chain(format!("the metadata has no System.{name}")))
		};
		let weights = BlockWeights::decode(&mut &constant("BlockWeights")?[..])
			.map_err(|e| Failure::Chain(format!("System.BlockWeights: {e}")))?;
		let length = PerClass::<u32>::decode(&mut &constant("BlockLength")?[..])
			.map_err(|e| Failure::Chain(format!("System.BlockLength: {e}")))?;
		Ok(Self {
			normal_ref_time: weights.per_class.normal.max_total.unwrap_or(weights.max_block).ref_time,
			normal_length: length.normal,
		})
	}
}

/// One best block as the watcher saw it.
#[derive(Clone, Debug)]
struct BlockSeen {
	number: u64,
	/// The chain's clock at this block, in milliseconds.
	timestamp: u64,
	extrinsics: usize,
	ours: usize,
	/// Normal-class ref time used, and the body's length in bytes.
	normal_ref_time: u64,
	length: usize,
}

/// Everything the watcher saw.
#[derive(Default)]
pub struct Seen {
	/// For each transaction sent: when it was first seen in a best block, and that block.
	pub included: HashMap<[u8; 32], (Instant, u64)>,
	/// For each transaction sent: when it was first seen in a finalized block.
	pub finalized: HashMap<[u8; 32], Instant>,
	/// For each transaction sent that its block included but whose dispatch failed
	/// (`System::ExtrinsicFailed`): why, as `Pallet::Error` or the dispatch error's kind. Included
	/// is not done: a failed call paid its fee and changed nothing else.
	pub failed: HashMap<[u8; 32], String>,
	blocks: Vec<BlockSeen>,
	limits: Option<Limits>,
	/// The most blocks by which the finalized head trailed a new best head, over the watch.
	pub finality_lag_max: u64,
}

impl Seen {
	/// The blocks from the first holding one of ours to the last (with the empty ones between).
	fn span(&self) -> &[BlockSeen] {
		let first = self.blocks.iter().position(|b| b.ours > 0);
		let last = self.blocks.iter().rposition(|b| b.ours > 0);
		match (first, last) {
			(Some(first), Some(last)) => &self.blocks[first..=last],
			_ => &[],
		}
	}

	/// Ours included, over the chain's clock from the block before the first that held one (or
	/// the first, if that is all there is) to the last.
	pub fn included_per_second(&self) -> f64 {
		let first = self.blocks.iter().position(|b| b.ours > 0);
		let last = self.blocks.iter().rposition(|b| b.ours > 0);
		let (Some(first), Some(last)) = (first, last) else { return 0.0 };
		let from = self.blocks[first.saturating_sub(1)].timestamp;
		let seconds = (self.blocks[last].timestamp.saturating_sub(from)) as f64 / 1e3;
		let ours: usize = self.blocks[first..=last].iter().map(|b| b.ours).sum();
		if seconds > 0.0 {
			ours as f64 / seconds
		} else {
			f64::NAN
		}
	}

	fn fullness(&self, block: &BlockSeen) -> (f64, f64) {
		let limits = self.limits.expect("the limits are set at the start");
		(
			block.normal_ref_time as f64 * 100.0 / limits.normal_ref_time.max(1) as f64,
			block.length as f64 * 100.0 / limits.normal_length.max(1) as f64,
		)
	}

	/// The blocks of the run, as JSON.
	pub fn blocks_json(&self) -> serde_json::Value {
		self.span()
			.iter()
			.map(|b| {
				let (weight, length) = self.fullness(b);
				serde_json::json!({
					"number": b.number, "ours": b.ours, "extrinsics": b.extrinsics, "timestamp": b.timestamp,
					"normal_weight_percent": weight, "length_percent": length,
				})
			})
			.collect()
	}

	/// The blocks of the run, a line each.
	pub fn block_lines(&self) -> Vec<String> {
		self.span()
			.iter()
			.map(|b| {
				let (weight, length) = self.fullness(b);
				format!(
					"#{}: {} of ours in {} extrinsics, normal weight {weight:.1} %, length {length:.1} % of the normal class's limits",
					b.number, b.ours, b.extrinsics
				)
			})
			.collect()
	}
}

/// The watcher of best and finalized blocks.
pub struct BlockWatcher {
	seen: Arc<Mutex<Seen>>,
	task: tokio::task::JoinHandle<()>,
}

#[derive(serde::Deserialize)]
struct Header {
	number: String,
}

#[derive(serde::Deserialize)]
struct SignedBlock {
	block: Body,
}

#[derive(serde::Deserialize)]
struct Body {
	extrinsics: Vec<String>,
}

fn number_of(header: &Header) -> u64 {
	u64::from_str_radix(header.number.trim_start_matches("0x"), 16).unwrap_or_default()
}

fn unhex(s: &str) -> Vec<u8> {
	hex::decode(s.trim_start_matches("0x")).unwrap_or_default()
}

/// The storage key of a plain value: twox128 of the pallet's name and of the item's.
fn plain_key(pallet: &str, item: &str) -> String {
	let mut key = sp_crypto_hashing::twox_128(pallet.as_bytes()).to_vec();
	key.extend(sp_crypto_hashing::twox_128(item.as_bytes()));
	format!("0x{}", hex::encode(key))
}

/// Why a dispatch failed, from the SCALE bytes of a `sp_runtime::DispatchError`: a module's
/// error by its pallet's and its own name, any other kind by the variant's name.
fn dispatch_error(metadata: &Metadata, bytes: &[u8]) -> String {
	const KINDS: [&str; 15] = [
		"Other", "CannotLookup", "BadOrigin", "Module", "ConsumerRemaining", "NoProviders", "TooManyConsumers", "Token",
		"Arithmetic", "Transactional", "Exhausted", "Corruption", "Unavailable", "RootNotAllowed", "Trie",
	];
	match bytes {
		// `Module(ModuleError { index, error: [u8; 4] })`: the pallet, then its error's variant.
		[3, pallet, error, ..] => metadata
			.pallet_by_error_index(*pallet)
			.and_then(|p| p.error_variant_by_index(*error).map(|v| format!("{}::{}", p.name(), v.name)))
			.unwrap_or_else(|| format!("Module {{ index: {pallet}, error: {error} }}")),
		[kind, ..] => KINDS.get(*kind as usize).map_or_else(|| format!("DispatchError #{kind}"), |k| k.to_string()),
		[] => "an undecodable DispatchError".into(),
	}
}

/// The dispatch failures in a block's events (`System::Events` as stored) of the extrinsics at
/// `positions` (their indices in the body): for each, why.
fn failures(at: &ChainAt, events: Vec<u8>, positions: &HashMap<u32, [u8; 32]>) -> Vec<([u8; 32], String)> {
	let events = at.events().from_bytes(events);
	events
		.iter()
		.filter_map(Result::ok)
		.filter(|e| e.pallet_name() == "System" && e.event_name() == "ExtrinsicFailed")
		.filter_map(|e| match e.phase() {
			Phase::ApplyExtrinsic(i) => positions.get(&i).map(|tx| (*tx, dispatch_error(at.metadata_ref(), e.field_bytes()))),
			_ => None,
		})
		.collect()
}

/// The chain as of the watch's start: its metadata decodes every block's events.
type ChainAt = OnlineClientAtBlock<SubstrateConfig>;

/// Reads block `number` of the best chain: its hash, what it holds of `wanted`, and which of
/// those failed in dispatch, with why.
async fn read_block(
	rpc: &RpcClient,
	at: &ChainAt,
	number: u64,
	wanted: &HashSet<[u8; 32]>,
) -> Result<(String, BlockSeen, Vec<[u8; 32]>, Vec<([u8; 32], String)>), subxt::rpcs::Error> {
	let hash: String = rpc.request("chain_getBlockHash", rpc_params![number]).await?;
	let block: SignedBlock = rpc.request("chain_getBlock", rpc_params![&hash]).await?;
	let mut ours = Vec::new();
	// Ours by their index in the body, the phase of their events.
	let mut positions = HashMap::new();
	let mut length = 0;
	for (i, extrinsic) in block.block.extrinsics.iter().enumerate() {
		let bytes = unhex(extrinsic);
		length += bytes.len();
		let hash = sp_crypto_hashing::blake2_256(&bytes);
		if wanted.contains(&hash) {
			ours.push(hash);
			positions.insert(i as u32, hash);
		}
	}
	let read = |item: (&'static str, &'static str)| {
		let hash = hash.clone();
		async move {
			let value: Option<String> = rpc.request("state_getStorage", rpc_params![plain_key(item.0, item.1), hash]).await?;
			Ok::<_, subxt::rpcs::Error>(value.map(|v| unhex(&v)).unwrap_or_default())
		}
	};
	let timestamp = u64::decode(&mut &read(("Timestamp", "Now")).await?[..]).unwrap_or_default();
	let weight = PerClass::<Weight>::decode(&mut &read(("System", "BlockWeight")).await?[..]).unwrap_or_default();
	let failed = if positions.is_empty() { Vec::new() } else { failures(at, read(("System", "Events")).await?, &positions) };
	let seen = BlockSeen {
		number,
		timestamp,
		extrinsics: block.block.extrinsics.len(),
		ours: ours.len(),
		normal_ref_time: weight.normal.ref_time,
		length,
	};
	Ok((hash, seen, ours, failed))
}

impl BlockWatcher {
	/// Starts watching the node at `url` for the transactions `wanted` (by hash).
	pub async fn start(
		api: &OnlineClient<SubstrateConfig>,
		url: &str,
		wanted: HashSet<[u8; 32]>,
		limits: Limits,
	) -> Result<Self, Failure> {
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		let rpc = crate::connect(url).await?;
		let seen = Arc::new(Mutex::new(Seen { limits: Some(limits), ..Default::default() }));
		let mut best = rpc
			.subscribe::<Header>("chain_subscribeNewHeads", rpc_params![], "chain_unsubscribeNewHeads")
			.await
			.map_err(|e| Failure::Chain(format!("following best blocks: {e}")))?;
		let mut finalized = rpc
			.subscribe::<Header>("chain_subscribeFinalizedHeads", rpc_params![], "chain_unsubscribeFinalizedHeads")
			.await
			.map_err(|e| Failure::Chain(format!("following finalized blocks: {e}")))?;
		let state = seen.clone();
		let task = tokio::spawn(async move {
			// Ours in each block read so far, by hash, for marking them finalized.
			let mut bodies: HashMap<String, Vec<[u8; 32]>> = HashMap::new();
			let (mut best_read, mut finalized_read): (Option<u64>, Option<u64>) = (None, None);
			loop {
				tokio::select! {
					Some(Ok(header)) = best.next() => {
						let to = number_of(&header);
						// Every block from the last one read: a subscription may skip some.
						let from = best_read.map(|n| n + 1).unwrap_or(to);
						for number in from..=to {
							let Ok((hash, block, ours, failed)) = read_block(&rpc, &at, number, &wanted).await else { continue };
							let now = Instant::now();
							let mut seen = state.lock().expect("the watcher's lock");
							for tx in &ours {
								seen.included.entry(*tx).or_insert((now, number));
							}
							// A block seen again at this height (a re-org) says again how they fared.
							for tx in &ours {
								seen.failed.remove(tx);
							}
							seen.failed.extend(failed);
							seen.blocks.retain(|b| b.number != number);
							seen.blocks.push(block);
							drop(seen);
							bodies.insert(hash, ours);
						}
						best_read = Some(best_read.map_or(to, |n| n.max(to)));
						if let Some(finalized) = finalized_read {
							let mut seen = state.lock().expect("the watcher's lock");
							seen.finality_lag_max = seen.finality_lag_max.max(to.saturating_sub(finalized));
						}
					},
					Some(Ok(header)) = finalized.next() => {
						let to = number_of(&header);
						let from = finalized_read.map(|n| n + 1).unwrap_or(to);
						for number in from..=to {
							// Asked again, not taken from the best pass: under Aura the block
							// finalized at this height may not be the one first seen there.
							let Ok(hash) = rpc.request::<String>("chain_getBlockHash", rpc_params![number]).await else { continue };
							let ours = match bodies.get(&hash) {
								Some(ours) => ours.clone(),
								None => match read_block(&rpc, &at, number, &wanted).await {
									Ok((_, _, ours, _)) => ours,
									Err(_) => continue,
								},
							};
							let now = Instant::now();
							let mut seen = state.lock().expect("the watcher's lock");
							for tx in ours {
								seen.finalized.entry(tx).or_insert(now);
							}
						}
						finalized_read = Some(finalized_read.map_or(to, |n| n.max(to)));
					},
					else => break,
				}
			}
		});
		Ok(Self { seen, task })
	}

	/// Waits until `count` of ours are finalized, or `deadline`; what was seen by then.
	pub async fn wait_for(self, count: usize, deadline: Instant) -> Seen {
		loop {
			let done = self.seen.lock().expect("the watcher's lock").finalized.len() >= count;
			if done || Instant::now() >= deadline {
				break;
			}
			tokio::time::sleep(std::time::Duration::from_millis(200)).await;
		}
		self.task.abort();
		let mut seen = self.seen.lock().expect("the watcher's lock");
		let mut taken = std::mem::take(&mut *seen);
		taken.blocks.sort_by_key(|b| b.number);
		taken
	}
}

/// The `p`th percentile of `values` (nearest rank); NaN when there are none.
pub fn percentile(values: &[f64], p: f64) -> f64 {
	if values.is_empty() {
		return f64::NAN;
	}
	let mut sorted = values.to_vec();
	sorted.sort_by(|a, b| a.partial_cmp(b).expect("no NaN among durations"));
	let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
	sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentiles_by_nearest_rank() {
		let values: Vec<f64> = (1..=100).map(f64::from).collect();
		assert_eq!(percentile(&values, 50.0), 50.0);
		assert_eq!(percentile(&values, 99.0), 99.0);
		assert_eq!(percentile(&[7.0], 99.0), 7.0);
		assert!(percentile(&[], 50.0).is_nan());
	}

	#[test]
	fn plain_storage_keys_are_twox128_of_pallet_and_item() {
		// The well-known key of `System::Number`.
		assert_eq!(plain_key("System", "Number"), "0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac");
	}

	#[test]
	fn rate_over_the_chain_clock_from_the_block_before_the_first_of_ours() {
		let block = |number, timestamp, ours| BlockSeen { number, timestamp, extrinsics: ours + 1, ours, normal_ref_time: 0, length: 0 };
		let seen = Seen { blocks: vec![block(1, 0, 0), block(2, 2_000, 3_000), block(3, 4_000, 1_000), block(4, 6_000, 0)], ..Default::default() };
		assert_eq!(seen.included_per_second(), 1_000.0);
		assert_eq!(seen.span().len(), 2);
	}
}
