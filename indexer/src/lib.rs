//! # HealthChain indexer
//!
//! The chain's event history in PostgreSQL, for audits the chain's own state cannot answer once
//! a node has pruned it ("every access to this patient's records last year"). A follower built
//! on the client library ([`healthchain_client::chain`], subxt): it stores every event of every
//! block, with the block's time, its fields as JSON named as in the runtime's metadata
//! (accounts as SS58 addresses), and follows the chain as it moves.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`follow`] | finalized blocks in order (resuming after the last one stored), the best fork above them as the node reports it, forks left behind dropped |
//! | [`decode`] | an event's fields as JSON, typed by the metadata |
//! | [`store`] | the tables (`schema.sql`): `blocks`, `events`; the views `chain_events` (finalized and best fork) and `record_accesses` |
//!
//! Why a follower of its own rather than Subsquid or SubQuery: both need their own runtime
//! (Node.js services, an archive or their own gateway, code generated per runtime version) and
//! decode with their own type bundles; this reuses the client's metadata-typed decoding, runs as
//! one process beside a member's node, and its store is plain SQL that an auditor can query
//! with `psql`.
//!
//! ```sql
//! -- every access to a patient's records, oldest first
//! SELECT time, record, accessor, purpose, authority, emergency
//! FROM record_accesses WHERE patient = '5F...' ORDER BY block_number;
//! -- every event naming an organisation
//! SELECT time, pallet, name, fields FROM chain_events WHERE fields @> '{"organisation": 3}';
//! ```

#![deny(missing_docs)]

pub mod decode;
pub mod follow;
pub mod store;
