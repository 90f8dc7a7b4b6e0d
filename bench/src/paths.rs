//! The hot paths: what each prepares through the chain's own calls, and the call each sender
//! signs.

use std::time::{Duration, Instant};

use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	rpcs::{rpc_params, RpcClient},
	transactions::DynamicPayload,
	utils::{AccountId32, MultiAddress},
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
}

impl std::fmt::Display for HotPath {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(match self {
			HotPath::Transfer => "transfer",
		})
	}
}

/// A transfer's call data: destination and amount.
type TransferCall = DynamicPayload<(MultiAddress<AccountId32, ()>, u128)>;

fn account(key: &Keypair) -> AccountId32 {
	key.public_key().into()
}

/// What a path prepared: what its calls need.
pub struct Prepared {
	/// The amount each transfer moves: the existential deposit.
	amount: u128,
}

fn transfer(to: &Keypair, amount: u128) -> TransferCall {
	subxt::dynamic::tx("Balances", "transfer_keep_alive", (MultiAddress::Id(account(to)), amount))
}

impl HotPath {
	/// The call sender `i` signs in round `round`.
	pub fn call(&self, prepared: &Prepared, senders: &[Keypair], i: usize, _round: usize) -> TransferCall {
		match self {
			HotPath::Transfer => transfer(&senders[(i + 1) % senders.len()], prepared.amount),
		}
	}

	/// Funds each sender for `per_sender` transactions and their fees, from `funder`, and
	/// waits until the funding is finalized.
	pub async fn prepare(
		&self,
		api: &OnlineClient<SubstrateConfig>,
		rpc: &RpcClient,
		funder: &Keypair,
		senders: &[Keypair],
		per_sender: usize,
	) -> Result<Prepared, Failure> {
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		let ed = at
			.constants()
			.entry(subxt::dynamic::constant::<u128>("Balances", "ExistentialDeposit"))
			.map_err(|e| Failure::Chain(format!("Balances.ExistentialDeposit: {e}")))?;
		// A sender's fee, estimated by the chain for one signed sample, doubled for safety.
		let sample = at
			.transactions()
			.create_signable_offline(&transfer(&senders[0], ed), DefaultExtrinsicParamsBuilder::new().build())
			.and_then(|mut s| s.sign(&senders[0]))
			.map_err(|e| Failure::Chain(format!("signing a sample transfer: {e}")))?;
		let fee = sample
			.partial_fee_estimate()
			.await
			.map_err(|e| Failure::Chain(format!("the fee of a transfer: {e}")))?;
		let need = (per_sender as u128) * (ed + 2 * fee) + 10 * ed;
		let first = at
			.transactions()
			.account_nonce(&account(funder))
			.await
			.map_err(|e| Failure::Chain(format!("the funder's nonce: {e}")))?;
		for (k, sender) in senders.iter().enumerate() {
			let params = DefaultExtrinsicParamsBuilder::new().nonce(first + k as u64).build();
			let tx = at
				.transactions()
				.create_signable_offline(&transfer(sender, need), params)
				.and_then(|mut s| s.sign(funder))
				.map_err(|e| Failure::Chain(format!("signing a funding transfer: {e}")))?;
			let _: String = rpc
				.request("author_submitExtrinsic", rpc_params![format!("0x{}", hex::encode(tx.encoded()))])
				.await
				.map_err(|e| Failure::Chain(format!("the funder's transfer was refused (is {} funded?): {e}", account(funder))))?;
		}
		// Funded when the funder's finalized nonce has passed every funding transfer.
		let deadline = Instant::now() + Duration::from_secs(120);
		loop {
			let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
			let nonce = at
				.transactions()
				.account_nonce(&account(funder))
				.await
				.map_err(|e| Failure::Chain(format!("the funder's nonce: {e}")))?;
			if nonce >= first + senders.len() as u64 {
				return Ok(Prepared { amount: ed });
			}
			if Instant::now() > deadline {
				return Err(Failure::Chain(format!("the senders' funding was not finalized within 120 s ({} of {})", nonce - first, senders.len())));
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
}
