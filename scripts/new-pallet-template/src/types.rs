//! The types this pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// Milliseconds since the Unix epoch, as the chain's clock counts.
pub type Moment = u64;

/// A patient's entry: which document, by whom, when.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Entry<AccountId> {
	/// The hash of the off-chain document.
	pub document_hash: H256,
	/// The practitioner who recorded it.
	pub recorded_by: AccountId,
	/// When.
	pub recorded_at: Moment,
}
