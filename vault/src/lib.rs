//! # HealthChain vault
//!
//! A member organisation's custodian of health records, run beside its node: **the chain
//! decides and records; the vault holds and releases.** It keeps the ciphertext of the records
//! its organisation is custodian of, with their data keys wrapped to the organisation's key
//! and to the patient's, and never lets a record out unless the chain permits the read at the
//! finalized block; every release to anyone but the patient is journalled before it leaves
//! and then logged on the patient's access log by the vault's own account.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`api`] | the HTTP API (JSON, OpenAPI at `/openapi.json`); every request signed by the caller's chain account |
//! | [`custody`] | uploads under the chain's write permit, releases under its read permit (re-wrapping the data key to the reader's key on chain), batched logging, shredding on erasure |
//! | [`store`] | ciphertext and keys in an [`object_store`]: the filesystem by default, S3-compatible by URL |
//! | [`ledger`] | pending uploads and the release journal in redb, crash-safe |
//!
//! | request | who may | what happens |
//! | --- | --- | --- |
//! | `PUT /v1/uploads/{content_hash}` | a writer the chain's `writePermit` allows | the hash, the custodian's key and the ciphertext are checked, then held pending until a finalized `add_record` names it (dropped if none does in time) |
//! | `GET /v1/records/{record}?purpose=P` | a reader the chain's `readPermit` allows now | the ciphertext and the data key wrapped to the reader's key; journalled, then logged on chain unless the reader is the patient |
//! | `GET /v1/status`, `GET /openapi.json` | anyone | the vault's account, organisation and backlog; this API's description |
//!
//! A finalized `erase_record` makes the vault delete the ciphertext and every key of each
//! version it holds, list its store to prove nothing is left, and `confirm_erasure` on chain.

#![deny(missing_docs)]

pub mod api;
pub mod custody;
pub mod ledger;
pub mod portal;
pub mod store;
