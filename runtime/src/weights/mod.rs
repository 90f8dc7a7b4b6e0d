//! Weights measured on HealthChain's own node by `scripts/benchmark`, for what polkadot-sdk
//! would otherwise price with figures from Parity's reference machine: the base weight of a
//! block and of an extrinsic (`scripts/benchmark --machine`, `benchmark overhead`), a read and
//! a write of ParityDB over a million-serial state (`scripts/benchmark --database`,
//! `benchmark storage`), the check of one signature (`scripts/benchmark
//! frame_benchmarking_baseline`) and the calls of the polkadot-sdk pallets the runtime uses
//! (`scripts/benchmark <pallet>`).
//! HealthChain's own pallets keep their weights in their crates.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod paritydb_weights;
pub mod signature_weights;

pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_preimage;
pub mod pallet_safe_mode;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_tx_pause;
pub mod pallet_utility;
pub mod pallet_whitelist;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
pub use paritydb_weights::constants::ParityDbWeight;
pub use signature_weights::SignatureCheck;
