//! # {{title}} Pallet
//!
//! (Say what this pallet records, for whom, and why it belongs on chain: only what the chain
//! must check, no clinical content in the clear.)
//!
//! ## Overview
//!
//! - **Entries**: a licensed practitioner records, for a registered patient, the hash of an
//!   off-chain document (kept by a custodian); the latest entry per patient stands.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`record_entry`](Pallet::record_entry) | a licensed practitioner |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds.
//!
//! ## For other pallets
//!
//! The pallet asks the identity pallet who is who through [`{{Identity}}`], a trait of its own
//! that the runtime implements (`runtime/src/configs/{{module_name}}.rs`).

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use traits::{{Identity}};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	/// The storage layout's version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the {{title_lower}} pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Who is a patient and who is a practitioner.
		type Identity: {{Identity}}<Self::AccountId>;

		/// The chain's clock.
		type Time: Time<Moment = Moment>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up the identities the benchmarks need.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The latest entry for each patient.
	#[pallet::storage]
	pub type Entries<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EntryOf<T>>;

	/// An entry of this runtime.
	pub type EntryOf<T> = Entry<<T as frame_system::Config>::AccountId>;

	/// An event for the audit trail of every change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A practitioner recorded an entry for a patient.
		EntryRecorded {
			/// The patient.
			patient: T::AccountId,
			/// The practitioner.
			practitioner: T::AccountId,
			/// The hash of the off-chain document.
			document_hash: H256,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a practitioner with a licence in force.
		NotPractitioner,
		/// The account is not a registered patient.
		NotAPatient,
		/// A hash of all zeroes names no document.
		EmptyDocumentHash,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Records the hash of an off-chain document for `patient`, replacing its latest entry.
		///
		/// Origin: a licensed practitioner.
		#[pallet::call_index(0)]
		pub fn record_entry(origin: OriginFor<T>, patient: T::AccountId, document_hash: H256) -> DispatchResult {
			let practitioner = ensure_signed(origin)?;
			ensure!(T::Identity::is_practitioner(&practitioner), Error::<T>::NotPractitioner);
			ensure!(T::Identity::is_patient(&patient), Error::<T>::NotAPatient);
			ensure!(!document_hash.is_zero(), Error::<T>::EmptyDocumentHash);
			Entries::<T>::insert(
				&patient,
				Entry { document_hash, recorded_by: practitioner.clone(), recorded_at: T::Time::now() },
			);
			Self::deposit_event(Event::EntryRecorded { patient, practitioner, document_hash });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks what the storage must always satisfy: the pallet's `try_state`, also run by
		/// its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (patient, entry) in Entries::<T>::iter() {
				ensure!(!entry.document_hash.is_zero(), "an entry without a document hash");
				ensure!(entry.recorded_by != patient, "a patient's entry recorded by the patient");
			}
			Ok(())
		}
	}
}
