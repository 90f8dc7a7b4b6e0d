//! Storage migrations of the insurance-claims pallet, one module per storage version.

/// Version 2: no procedure or diagnosis code on chain, documents named by record, fingerprints
/// keyed with the coverage's secret.
///
/// Versions 0 and 1 kept each claim's codes in the clear and an unkeyed fingerprint, from
/// which anyone could test codes. The migration drops both from every claim (its document
/// becomes [`ClaimDocument::Hash`] of the document it named), and every fingerprint with them:
/// a claim from before version 2 no longer blocks a duplicate of itself, which the insurer
/// still finds by its documents. (Version 1 only re-keyed those fingerprints, so a chain at
/// version 0 migrates straight to 2.) The codes stay in the blocks that carried them: an
/// archive of the old chain keeps them, which the README's threat model says.
pub mod v2 {
	use crate::pallet::*;
	use crate::types::*;
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use sp_core::H256;

	/// A claim as versions 0 and 1 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldClaim<AccountId, OrganisationId, Adjustments> {
		/// The coverage it is claimed under.
		pub coverage: CoverageId,
		/// The patient.
		pub patient: AccountId,
		/// The provider organisation.
		pub provider: OrganisationId,
		/// The insurer.
		pub insurer: OrganisationId,
		/// The provider's claims officer who submitted it.
		pub submitted_by: AccountId,
		/// Hash of the claim document, kept off chain.
		pub document_hash: H256,
		/// When the service was given.
		pub service_date: Moment,
		/// Procedure codes, in the clear.
		pub procedure_codes: Vec<Vec<u8>>,
		/// Diagnosis codes, in the clear.
		pub diagnosis_codes: Vec<Vec<u8>>,
		/// The amount billed.
		pub billed: Amount,
		/// A prescription or record it refers to.
		pub reference: Option<H256>,
		/// The unkeyed duplicate fingerprint.
		pub fingerprint: H256,
		/// Where it stands.
		pub status: ClaimStatus,
		/// The amount allowed.
		pub allowed: Option<Amount>,
		/// The adjustments.
		pub adjustments: Adjustments,
		/// When it was submitted.
		pub submitted_at: Moment,
		/// When it was last decided.
		pub decided_at: Option<Moment>,
		/// Hash of the appeal document.
		pub appeal_hash: Option<H256>,
		/// The payment reference.
		pub payment_reference: Option<H256>,
	}

	/// A stored claim of versions 0 and 1 in this runtime.
	pub type OldClaimOf<T> = OldClaim<
		<T as frame_system::Config>::AccountId,
		<T as Config>::OrganisationId,
		BoundedVec<(ReasonCode, Amount), <T as Config>::MaxAdjustments>,
	>;

	/// Rewrites every claim without its codes and fingerprint, and drops every fingerprint.
	pub struct InnerMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut claims = 0u64;
			Claims::<T>::translate::<OldClaimOf<T>, _>(|_, old| {
				claims += 1;
				Some(Claim {
					coverage: old.coverage,
					patient: old.patient,
					provider: old.provider,
					insurer: old.insurer,
					submitted_by: old.submitted_by,
					document: ClaimDocument::Hash(old.document_hash),
					service_date: old.service_date,
					billed: old.billed,
					reference: old.reference,
					fingerprint: None,
					status: old.status,
					allowed: old.allowed,
					adjustments: old.adjustments,
					submitted_at: old.submitted_at,
					decided_at: old.decided_at,
					appeal: old.appeal_hash.map(ClaimDocument::Hash),
					payment_reference: old.payment_reference,
				})
			});
			let fingerprints = Fingerprints::<T>::clear(u32::MAX, None).unique as u64;
			T::DbWeight::get().reads_writes(claims + fingerprints, claims + fingerprints)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Claims::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count does not decode")?;
			// Every claim decodes in the new layout, none is lost, none keeps a fingerprint.
			ensure!(Claims::<T>::iter_values().count() as u64 == before, "a claim was lost or does not decode");
			ensure!(Claims::<T>::iter_values().all(|c| c.fingerprint.is_none()), "a migrated claim kept its fingerprint");
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateToV2`] from version 1, which it sets to 2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, InnerMigrateToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

	/// [`InnerMigrateToV2`] from version 0, whose claims have the same layout as version 1's.
	pub type MigrateV0ToV2<T> =
		VersionedMigration<0, 2, InnerMigrateToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

	/// Either, whichever the chain is at; a chain at 2 runs neither.
	pub type MigrateToV2<T> = (MigrateV0ToV2<T>, MigrateV1ToV2<T>);
}
