//! The hot paths: what each prepares through the chain's own calls, and the call each sender
//! signs.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	rpcs::{rpc_params, RpcClient},
	dynamic::Value,
	transactions::DynamicPayload,
	utils::AccountId32,
	OnlineClient, SubstrateConfig,
};
use subxt_signer::sr25519::Keypair;

use crate::Failure;

/// A hot path of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HotPath {
	/// `balances.transferKeepAlive` of the existential deposit to the next sender: the same on
	/// any Substrate node, for the comparison with another chain.
	Transfer,
	/// `drugProvenance.commissionSerials` of `--batch` new serials a call, each sender
	/// commissioning its own lot for the development chain's manufacturer: first the
	/// regulator's admin (`--regulator-admin`) authorises every sender as a trading partner,
	/// and the manufacturer's admin (`--manufacturer-admin`) registers a product and adds every
	/// sender to the organisation as logistics staff. HealthChain's development chain only.
	Commission,
}

/// An organisation of HealthChain's development chain and its admin's key.
pub struct Organisation {
	/// Its organisation id.
	pub id: u32,
	/// Its admin's key.
	pub admin: Keypair,
}

/// Who sets a commissioning run up: the manufacturer the senders commission for, and the
/// regulator that authorises them as trading partners.
pub struct SupplyChain {
	/// The manufacturer.
	pub manufacturer: Organisation,
	/// The regulator, accredited to issue trading-partner authorisations.
	pub regulator: Organisation,
}

/// The product every commissioning run registers: a GTIN-13 with a valid check digit.
const BENCH_GTIN: u128 = 9_506_000_134_352;

impl std::fmt::Display for HotPath {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(match self {
			HotPath::Transfer => "transfer",
			HotPath::Commission => "commission",
		})
	}
}

/// A call, its fields as dynamic values encoded with the chain's own metadata.
type Call = DynamicPayload<Vec<Value>>;

fn account(key: &Keypair) -> AccountId32 {
	key.public_key().into()
}

/// What a path prepared: what its calls need.
pub struct Prepared {
	/// The amount each transfer moves: the existential deposit.
	amount: u128,
	/// Serials a commissioning call.
	batch: usize,
	/// The organisation that commissions.
	manufacturer: u32,
	/// When commissioned units expire (ms since the epoch): two years on.
	expires_at: u64,
	/// What tells this run's lots and serials from an earlier run's on the same chain: the
	/// block it was prepared at.
	run: u64,
	/// The most transactions a sender signs.
	per_sender: usize,
}

fn transfer(to: &Keypair, amount: u128) -> Call {
	let to = Value::unnamed_variant("Id", [Value::from_bytes(account(to).0)]);
	subxt::dynamic::tx("Balances", "transfer_keep_alive", vec![to, Value::u128(amount)])
}

fn gtin() -> Value {
	Value::unnamed_variant("Gtin", [Value::u128(BENCH_GTIN)])
}

/// Sender `i`'s `round`-th commissioning: its own lot, serials unique over every run on the
/// chain (within GS1's 20 characters: the run and the serial's place in it, in hex).
fn commission(prepared: &Prepared, i: usize, round: usize) -> Call {
	let Prepared { run, batch, per_sender, .. } = *prepared;
	let first = (i * per_sender + round) * batch;
	let serials = (first..first + batch).map(|n| Value::from_bytes(format!("{run:X}S{n:X}")));
	subxt::dynamic::tx(
		"DrugProvenance",
		"commission_serials",
		vec![
			Value::u128(prepared.manufacturer.into()),
			gtin(),
			Value::from_bytes(format!("BENCH-{run:X}-{i}")),
			Value::u128(prepared.expires_at.into()),
			Value::unnamed_composite(serials),
		],
	)
}

impl HotPath {
	/// What one transaction of the path carries: serials for commissioning.
	pub fn units(&self, batch: usize) -> usize {
		match self {
			HotPath::Transfer => 1,
			HotPath::Commission => batch,
		}
	}

	/// The call sender `i` signs in round `round`.
	pub fn call(&self, prepared: &Prepared, senders: &[Keypair], i: usize, round: usize) -> Call {
		match self {
			HotPath::Transfer => transfer(&senders[(i + 1) % senders.len()], prepared.amount),
			HotPath::Commission => commission(prepared, i, round),
		}
	}

	/// Funds each sender for `per_sender` transactions and their fees, from `funder`, gives
	/// the senders what the path needs of the chain (for commissioning: a product, and a place
	/// on the manufacturer's staff), and waits until all of it is finalized.
	pub async fn prepare(
		&self,
		api: &OnlineClient<SubstrateConfig>,
		rpc: &RpcClient,
		funder: &Keypair,
		senders: &[Keypair],
		per_sender: usize,
		batch: usize,
		chain: &SupplyChain,
	) -> Result<Prepared, Failure> {
		let manufacturer = &chain.manufacturer;
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		let ed = at
			.constants()
			.entry(subxt::dynamic::constant::<u128>("Balances", "ExistentialDeposit"))
			.map_err(|e| Failure::Chain(format!("Balances.ExistentialDeposit: {e}")))?;
		let two_years = Duration::from_secs(2 * 365 * 24 * 3600);
		let expires_at = (SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default() + two_years).as_millis() as u64;
		let prepared =
			Prepared { amount: ed, batch, manufacturer: manufacturer.id, expires_at, run: at.block_number(), per_sender };
		// A sender's fee, estimated by the chain for one signed sample, doubled for safety.
		let sample = at
			.transactions()
			.create_signable_offline(&self.call(&prepared, senders, 0, 0), DefaultExtrinsicParamsBuilder::new().build())
			.and_then(|mut s| s.sign(&senders[0]))
			.map_err(|e| Failure::Chain(format!("signing a sample {self}: {e}")))?;
		let fee = sample
			.partial_fee_estimate()
			.await
			.map_err(|e| Failure::Chain(format!("the fee of a {self}: {e}")))?;
		let need = (per_sender as u128) * (ed + 2 * fee) + 10 * ed;
		let funding = senders.iter().map(|sender| transfer(sender, need)).collect();
		submit_finalized(api, rpc, funder, funding, "the senders' funding").await?;
		if *self == HotPath::Commission {
			// Only an authorised trading partner acts for a manufacturer: until the units expire.
			let authorisations = senders
				.iter()
				.map(|sender| {
					subxt::dynamic::tx(
						"HealthIdentity",
						"issue_credential",
						vec![
							Value::u128(chain.regulator.id.into()),
							Value::from_bytes(account(sender).0),
							Value::unnamed_variant("TradingPartnerAuthorisation", []),
							Value::from_bytes([0x0c; 32]),
							Value::u128(0),
							Value::u128(expires_at.into()),
						],
					)
				})
				.collect();
			submit_finalized(api, rpc, &chain.regulator.admin, authorisations, "the senders' trading-partner authorisations").await?;
			let kind = Value::unnamed_variant("Drug", []);
			let organisation = || Value::u128(manufacturer.id.into());
			// The product may be there from an earlier run on the same chain: a second
			// registration fails in its block and changes nothing.
			let mut calls = vec![subxt::dynamic::tx(
				"DrugProvenance",
				"register_product",
				vec![organisation(), gtin(), kind, Value::from_bytes([0x0d; 32]), Value::bool(false)],
			)];
			calls.extend(senders.iter().map(|sender| {
				let roles = Value::unnamed_composite([Value::unnamed_variant("Logistics", [])]);
				subxt::dynamic::tx("HealthIdentity", "add_member", vec![organisation(), Value::from_bytes(account(sender).0), roles])
			}));
			submit_finalized(api, rpc, &manufacturer.admin, calls, "the manufacturer's product and staff").await?;
		}
		Ok(prepared)
	}
}

/// Submits `calls` signed by `signer` with consecutive nonces, and waits until its finalized
/// nonce has passed them all (each is in a finalized block, whatever its outcome).
async fn submit_finalized(
	api: &OnlineClient<SubstrateConfig>,
	rpc: &RpcClient,
	signer: &Keypair,
	calls: Vec<Call>,
	what: &str,
) -> Result<(), Failure> {
	let nonce = async || -> Result<u64, Failure> {
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		at.transactions().account_nonce(&account(signer)).await.map_err(|e| Failure::Chain(format!("{}'s nonce: {e}", account(signer))))
	};
	// One block for the first nonce and for signing: the calls are built on the state they count from.
	let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
	let first = at.transactions().account_nonce(&account(signer)).await.map_err(|e| Failure::Chain(format!("{}'s nonce: {e}", account(signer))))?;
	for (k, call) in calls.iter().enumerate() {
		let params = DefaultExtrinsicParamsBuilder::new().nonce(first + k as u64).build();
		let tx = at
			.transactions()
			.create_signable_offline(call, params)
			.and_then(|mut s| s.sign(signer))
			.map_err(|e| Failure::Chain(format!("signing {what}: {e}")))?;
		let _: String = rpc
			.request("author_submitExtrinsic", rpc_params![format!("0x{}", hex::encode(tx.encoded()))])
			.await
			.map_err(|e| Failure::Chain(format!("{what}: refused (is {} funded?): {e}", account(signer))))?;
	}
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let now = nonce().await?;
		if now >= first + calls.len() as u64 {
			return Ok(());
		}
		if Instant::now() > deadline {
			return Err(Failure::Chain(format!("{what} was not finalized within 120 s ({} of {})", now - first, calls.len())));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}
