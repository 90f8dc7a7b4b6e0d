//! The HealthChain node: a permissioned blockchain for healthcare consortia on polkadot-sdk.
//!
//! The `healthchain-node` binary is [`command::run`]. The node is a library so that its tests
//! (`tests/`) reach its logic without compiling the crate a second time as a test harness.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
pub mod command;
pub mod consensus;
mod consortium;
pub mod permissioning;
mod rpc;
mod service;
