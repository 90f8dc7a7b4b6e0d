//! The pallets whose weights HealthChain measures on its own machine, its own and the
//! polkadot-sdk ones it uses: `scripts/benchmark` runs them and writes each one's weights
//! (HealthChain's pallets into their crates, polkadot-sdk's into `runtime/src/weights/`).

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_utility, Utility]
	[pallet_sudo, Sudo]
	[pallet_preimage, Preimage]
	[pallet_whitelist, Whitelist]
	[pallet_safe_mode, SafeMode]
	[pallet_tx_pause, TxPause]
	// One sr25519 signature checked: the floor of an extrinsic's base weight.
	[frame_benchmarking_baseline, Baseline::<Runtime>]
	// HealthChain's own pallets (scripts/new-pallet adds a new one after the last).
	[pallet_health_identity, HealthIdentity]
	[pallet_health_records, HealthRecords]
	[pallet_drug_provenance, DrugProvenance]
	[pallet_prescriptions, Prescriptions]
	[pallet_insurance_claims, InsuranceClaims]
	[pallet_remote_monitoring, RemoteMonitoring]
	[pallet_research_consent, ResearchConsent]
	[pallet_consortium_network, ConsortiumNetwork]
);

// Three governance pallets are not measured here, because their benchmarks assume what this
// runtime refuses; they keep the weights polkadot-sdk measured (none is on a hot path):
// - `pallet_collective`: `close_approved` counts on the prime member's vote standing for
//   abstentions (`PrimeDefaultVote`); the Council counts an abstention as a nay
//   (`AbstentionIsNay`), so that benchmark's motion is disapproved and it fails;
// - `pallet_membership`: every benchmark first sets a prime member, and the Council has none
//   (`PrimeOrigin` is never satisfied);
// - `pallet_proxy`: `proxy` and `proxy_announced` dispatch `System::remark` through the
//   default proxy type, and HealthChain's only proxy type (`Governance`) lets through
//   governance calls alone, so the call is filtered and those benchmarks fail.

// The runtime needs nothing set up before these pallets' benchmarks: no author takes the
// fees, and `set_code` is measured with polkadot-sdk's sample runtime.
impl frame_system_benchmarking::Config for crate::Runtime {}
impl frame_benchmarking::baseline::Config for crate::Runtime {}
impl pallet_transaction_payment::BenchmarkConfig for crate::Runtime {}
