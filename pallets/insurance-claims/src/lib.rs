//! # Insurance Claims Pallet
//!
//! Insurance reimbursement with a full audit trail, after the lifecycle of FHIR Claim /
//! ClaimResponse and X12 837 / 835.
//!
//! ## Overview
//!
//! - **Coverage**: an insurer's claims officer registers a patient's coverage (hash of the
//!   policy, plan, period) and may end it early.
//! - **Claims**: a provider's claims officer submits a claim for a service given during a
//!   coverage: its claim document, service date, billed amount, duplicate fingerprint and an
//!   optional reference to a prescription or record. What was done and why (the procedure and
//!   diagnosis codes) is only in the claim document: a health record of type `Claim`,
//!   encrypted, that the provider's claims officer wrote about the patient and the provider's
//!   custodian holds; the claim's parties (provider and insurer, their claims officers and
//!   auditors) and regulators' auditors read it through that custodian's vault, and each read
//!   goes on the patient's access log. Nothing on chain names a code.
//! - **Duplicates**: the fingerprint is Blake2b-256 keyed with the coverage's secret (32
//!   bytes the insurer issues with the policy and the patient presents to the provider, as
//!   with an insurance card; never on chain) over the SCALE encoding of (patient, provider,
//!   day of service since the epoch (UTC, `u64`), procedure codes sorted (`Vec<Vec<u8>>`),
//!   billed amount (`u128`)). The chain refuses a fingerprint it has seen, so the same service
//!   billed twice, at whatever time of its day or in whatever order of codes, is refused
//!   whatever happened to the first claim; a non-party, without the secret, cannot test codes
//!   against it. The chain cannot check a fingerprint it cannot compute: the insurer
//!   recomputes it from the document at adjudication and denies a claim whose fingerprint is
//!   not its document's.
//! - **Adjudication, payment, appeal**: the insurer approves, partially approves (allowed
//!   amount and CARC-style adjustments that account for the rest) or denies with a reason; pays
//!   an approved claim, recording the payment reference; the provider may appeal a partial
//!   approval or a denial once, within [`Config::AppealWindow`] of the decision, and the
//!   insurer decides the appeal. The transitions are those of [`ClaimStatus`]; any other is
//!   refused with a named error.
//! - **Audit**: every step is an event, claims stay in storage, the documents stay with their
//!   custodians (readable by the parties and regulators while the patient has not erased
//!   them), and the runtime API
//!   [`InsuranceClaimsApi`](runtime_api::InsuranceClaimsApi) lists a patient's or a
//!   provider's claims by status.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`register_coverage`](Pallet::register_coverage), [`end_coverage`](Pallet::end_coverage) | a claims officer of the insurer |
//! | [`submit_claim`](Pallet::submit_claim), [`appeal_claim`](Pallet::appeal_claim) | a claims officer of the provider, naming a claim document written by one |
//! | [`adjudicate_claim`](Pallet::adjudicate_claim), [`mark_paid`](Pallet::mark_paid) | a claims officer of the insurer |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
pub mod runtime_api;
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
pub use traits::{ClaimDocuments, ClaimsIdentity};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::ArithmeticError;

	/// The storage layout's version: 2 keeps no procedure or diagnosis code and names each
	/// claim's documents by record; fingerprints are keyed.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the claims pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Identifies an organisation in the identity pallet.
		type OrganisationId: Parameter + Member + Copy + MaxEncodedLen;

		/// Who is a patient, an insurer, a provider, a claims officer.
		type Identity: ClaimsIdentity<Self::AccountId, Self::OrganisationId>;

		/// The claim documents custodians hold.
		type Documents: ClaimDocuments<Self::AccountId>;

		/// The chain's clock.
		type Time: Time<Moment = Moment>;

		/// The most adjustments a partial approval carries.
		#[pallet::constant]
		type MaxAdjustments: Get<u32>;

		/// How long after a decision the provider may appeal it, in milliseconds.
		#[pallet::constant]
		type AppealWindow: Get<Moment>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up insurers, providers and patients in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OrganisationId>;
	}

	/// A coverage of this runtime.
	pub type CoverageOf<T> = Coverage<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A claim of this runtime.
	pub type ClaimOf<T> =
		Claim<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId, <T as Config>::MaxAdjustments>;

	/// The id the next coverage gets.
	#[pallet::storage]
	pub type NextCoverageId<T> = StorageValue<_, CoverageId, ValueQuery>;

	/// Coverages, by id.
	#[pallet::storage]
	pub type Coverages<T: Config> = StorageMap<_, Blake2_128Concat, CoverageId, CoverageOf<T>>;

	/// The id the next claim gets.
	#[pallet::storage]
	pub type NextClaimId<T> = StorageValue<_, ClaimId, ValueQuery>;

	/// Claims, by id.
	#[pallet::storage]
	pub type Claims<T: Config> = StorageMap<_, Blake2_128Concat, ClaimId, ClaimOf<T>>;

	/// Each patient's claims.
	#[pallet::storage]
	pub type PatientClaims<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, ClaimId, ()>;

	/// Each provider's claims.
	#[pallet::storage]
	pub type ProviderClaims<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::OrganisationId, Twox64Concat, ClaimId, ()>;

	/// The claim each duplicate fingerprint belongs to.
	#[pallet::storage]
	pub type Fingerprints<T> = StorageMap<_, Identity, H256, ClaimId>;

	/// The claim each claim document (a claim's or an appeal's) belongs to: whose parties may
	/// read it.
	#[pallet::storage]
	pub type DocumentClaims<T> = StorageMap<_, Twox64Concat, RecordId, ClaimId>;

	/// An event for the audit trail of every change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An insurer registered a patient's coverage.
		CoverageRegistered {
			/// Its id.
			coverage: CoverageId,
			/// The insurer.
			insurer: T::OrganisationId,
			/// The patient.
			patient: T::AccountId,
			/// First moment covered.
			starts_at: Moment,
			/// End of the coverage.
			ends_at: Moment,
		},
		/// An insurer ended a coverage early.
		CoverageEnded {
			/// The coverage.
			coverage: CoverageId,
			/// Its new end.
			ends_at: Moment,
		},
		/// A provider submitted a claim.
		ClaimSubmitted {
			/// Its id.
			claim: ClaimId,
			/// The coverage.
			coverage: CoverageId,
			/// The patient.
			patient: T::AccountId,
			/// The provider.
			provider: T::OrganisationId,
			/// The amount billed.
			billed: Amount,
			/// Its duplicate fingerprint.
			fingerprint: H256,
		},
		/// An insurer decided a claim or its appeal.
		ClaimAdjudicated {
			/// The claim.
			claim: ClaimId,
			/// Approved, partially approved or denied.
			status: ClaimStatus,
			/// The amount allowed.
			allowed: Amount,
			/// Whether this decided an appeal.
			on_appeal: bool,
		},
		/// An insurer paid a claim.
		ClaimPaid {
			/// The claim.
			claim: ClaimId,
			/// The amount paid.
			amount: Amount,
			/// The payment's reference (an X12 835 trace number's hash, a transfer id).
			payment_reference: H256,
		},
		/// A provider appealed a decision.
		ClaimAppealed {
			/// The claim.
			claim: ClaimId,
			/// The appeal document.
			appeal: RecordId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a claims officer of that organisation.
		NotClaimsOfficer,
		/// The organisation is not an active insurer.
		NotInsurer,
		/// The organisation is not an active care provider.
		NotProvider,
		/// The account is not a registered patient.
		NotAPatient,
		/// A hash is zero.
		EmptyHash,
		/// The plan is empty, too long or not printable ASCII.
		InvalidPlan,
		/// The period is empty.
		InvalidPeriod,
		/// The period is over already.
		PeriodInPast,
		/// No such coverage.
		UnknownCoverage,
		/// The coverage has ended already.
		CoverageAlreadyEnded,
		/// The service date is outside the coverage's period.
		OutsideCoverage,
		/// The service date is in the future.
		ServiceInFuture,
		/// The document is not a claim document: no such record, or a record of another type.
		NotAClaimDocument,
		/// The patient has erased the document.
		DocumentErased,
		/// The document is about another patient than the coverage's.
		DocumentOfAnotherPatient,
		/// The document was not written by a claims officer of the provider.
		DocumentNotProviders,
		/// The document is another claim's, or another appeal's, already.
		DocumentAlreadyFiled,
		/// The amount is zero.
		ZeroAmount,
		/// The same service was claimed before.
		DuplicateClaim,
		/// No such claim.
		UnknownClaim,
		/// The claim is not waiting for a decision.
		NotAwaitingDecision,
		/// The claim is not approved, or is paid already.
		NotPayable,
		/// Only a partial approval or a denial is appealed.
		NotAppealable,
		/// The claim has been appealed once already.
		AlreadyAppealed,
		/// The appeal window has closed.
		AppealWindowClosed,
		/// A partial approval allows more than nothing and less than billed.
		InvalidAllowedAmount,
		/// A partial approval names at least one adjustment.
		NoAdjustments,
		/// More adjustments than `MaxAdjustments`.
		TooManyAdjustments,
		/// A reason code is empty, too long, or not letters, digits and dashes.
		InvalidReasonCode,
		/// The adjustments do not add up to the billed amount less the allowed amount.
		AdjustmentsDoNotBalance,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxAdjustments::get() > 0, "a partial approval carries an adjustment");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers `insurer`'s coverage of `patient` under `plan` from `starts_at` until
		/// `ends_at`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_coverage())]
		pub fn register_coverage(
			origin: OriginFor<T>,
			insurer: T::OrganisationId,
			patient: T::AccountId,
			policy_hash: H256,
			plan: Vec<u8>,
			starts_at: Moment,
			ends_at: Moment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_insurer_officer(&who, insurer)?;
			ensure!(T::Identity::is_patient(&patient), Error::<T>::NotAPatient);
			ensure!(!policy_hash.is_zero(), Error::<T>::EmptyHash);
			ensure!(!plan.is_empty() && plan.iter().all(u8::is_ascii_graphic), Error::<T>::InvalidPlan);
			let plan = Plan::try_from(plan).map_err(|_| Error::<T>::InvalidPlan)?;
			ensure!(starts_at < ends_at, Error::<T>::InvalidPeriod);
			ensure!(ends_at > T::Time::now(), Error::<T>::PeriodInPast);
			let id = NextCoverageId::<T>::get();
			NextCoverageId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Coverages::<T>::insert(
				id,
				Coverage { insurer, patient: patient.clone(), policy_hash, plan, starts_at, ends_at },
			);
			Self::deposit_event(Event::CoverageRegistered { coverage: id, insurer, patient, starts_at, ends_at });
			Ok(())
		}

		/// Ends `coverage` now: services from now on are not covered.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::end_coverage())]
		pub fn end_coverage(origin: OriginFor<T>, coverage: CoverageId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut ended = Coverages::<T>::get(coverage).ok_or(Error::<T>::UnknownCoverage)?;
			Self::ensure_insurer_officer(&who, ended.insurer)?;
			let now = T::Time::now();
			ensure!(now < ended.ends_at, Error::<T>::CoverageAlreadyEnded);
			// A coverage that has not started yet ends before it starts: nothing is covered.
			ended.ends_at = now.max(ended.starts_at);
			let ends_at = ended.ends_at;
			Coverages::<T>::insert(coverage, ended);
			Self::deposit_event(Event::CoverageEnded { coverage, ends_at });
			Ok(())
		}

		/// Submits `provider`'s claim under `coverage` for a service given on `service_date`,
		/// billed in `document` (a claim document about the coverage's patient, written by a
		/// claims officer of `provider`) with the keyed duplicate `fingerprint`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit_claim())]
		pub fn submit_claim(
			origin: OriginFor<T>,
			provider: T::OrganisationId,
			coverage: CoverageId,
			document: RecordId,
			service_date: Moment,
			billed: Amount,
			fingerprint: H256,
			reference: Option<H256>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_provider(provider), Error::<T>::NotProvider);
			ensure!(T::Identity::is_claims_officer(&who, provider), Error::<T>::NotClaimsOfficer);
			let covered = Coverages::<T>::get(coverage).ok_or(Error::<T>::UnknownCoverage)?;
			Self::ensure_fileable(document, &covered.patient, provider)?;
			let now = T::Time::now();
			ensure!(service_date <= now, Error::<T>::ServiceInFuture);
			ensure!(covered.covers(service_date), Error::<T>::OutsideCoverage);
			ensure!(billed > 0, Error::<T>::ZeroAmount);
			ensure!(!fingerprint.is_zero(), Error::<T>::EmptyHash);
			ensure!(!Fingerprints::<T>::contains_key(fingerprint), Error::<T>::DuplicateClaim);
			let id = NextClaimId::<T>::get();
			NextClaimId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Fingerprints::<T>::insert(fingerprint, id);
			DocumentClaims::<T>::insert(document, id);
			PatientClaims::<T>::insert(&covered.patient, id, ());
			ProviderClaims::<T>::insert(provider, id, ());
			Claims::<T>::insert(
				id,
				Claim {
					coverage,
					patient: covered.patient.clone(),
					provider,
					insurer: covered.insurer,
					submitted_by: who,
					document: ClaimDocument::Record(document),
					service_date,
					billed,
					reference,
					fingerprint: Some(fingerprint),
					status: ClaimStatus::Submitted,
					allowed: None,
					adjustments: BoundedVec::new(),
					submitted_at: now,
					decided_at: None,
					appeal: None,
					payment_reference: None,
				},
			);
			Self::deposit_event(Event::ClaimSubmitted {
				claim: id,
				coverage,
				patient: covered.patient,
				provider,
				billed,
				fingerprint,
			});
			Ok(())
		}

		/// Decides `claim`, submitted or appealed: approves it, approves part of it, or
		/// denies it.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::adjudicate_claim())]
		pub fn adjudicate_claim(origin: OriginFor<T>, claim: ClaimId, decision: Decision) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut decided = Claims::<T>::get(claim).ok_or(Error::<T>::UnknownClaim)?;
			Self::ensure_insurer_officer(&who, decided.insurer)?;
			ensure!(decided.status.awaits_decision(), Error::<T>::NotAwaitingDecision);
			let on_appeal = decided.status == ClaimStatus::Appealed;
			let (status, allowed, adjustments) = match decision {
				Decision::Approve => (ClaimStatus::Approved, decided.billed, BoundedVec::new()),
				Decision::PartiallyApprove { allowed, adjustments } => {
					ensure!(allowed > 0 && allowed < decided.billed, Error::<T>::InvalidAllowedAmount);
					ensure!(!adjustments.is_empty(), Error::<T>::NoAdjustments);
					ensure!(
						adjustments.len() as u32 <= T::MaxAdjustments::get(),
						Error::<T>::TooManyAdjustments
					);
					let mut total: Amount = 0;
					let mut checked = Vec::with_capacity(adjustments.len());
					for (reason, amount) in adjustments {
						total = total.checked_add(amount).ok_or(Error::<T>::AdjustmentsDoNotBalance)?;
						checked.push((Self::validated_reason(reason)?, amount));
					}
					ensure!(total == decided.billed - allowed, Error::<T>::AdjustmentsDoNotBalance);
					let checked = BoundedVec::try_from(checked).map_err(|_| Error::<T>::TooManyAdjustments)?;
					(ClaimStatus::PartiallyApproved, allowed, checked)
				},
				Decision::Deny { reason } => {
					let reason = Self::validated_reason(reason)?;
					let denial = BoundedVec::try_from(alloc::vec![(reason, decided.billed)])
						.map_err(|_| Error::<T>::TooManyAdjustments)?;
					(ClaimStatus::Denied, 0, denial)
				},
			};
			decided.status = status;
			decided.allowed = Some(allowed);
			decided.adjustments = adjustments;
			decided.decided_at = Some(T::Time::now());
			Claims::<T>::insert(claim, decided);
			Self::deposit_event(Event::ClaimAdjudicated { claim, status, allowed, on_appeal });
			Ok(())
		}

		/// Records that `claim`, approved in full or in part, has been paid.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::mark_paid())]
		pub fn mark_paid(origin: OriginFor<T>, claim: ClaimId, payment_reference: H256) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut paid = Claims::<T>::get(claim).ok_or(Error::<T>::UnknownClaim)?;
			Self::ensure_insurer_officer(&who, paid.insurer)?;
			ensure!(paid.status.is_payable(), Error::<T>::NotPayable);
			ensure!(!payment_reference.is_zero(), Error::<T>::EmptyHash);
			let amount = paid.allowed.unwrap_or_default();
			paid.status = ClaimStatus::Paid;
			paid.payment_reference = Some(payment_reference);
			Claims::<T>::insert(claim, paid);
			Self::deposit_event(Event::ClaimPaid { claim, amount, payment_reference });
			Ok(())
		}

		/// Appeals the decision on `claim` (a partial approval or a denial), once, within the
		/// appeal window, with the appeal set out in `appeal` (a claim document, as for
		/// [`submit_claim`](Pallet::submit_claim)).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::appeal_claim())]
		pub fn appeal_claim(origin: OriginFor<T>, claim: ClaimId, appeal: RecordId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut appealed = Claims::<T>::get(claim).ok_or(Error::<T>::UnknownClaim)?;
			ensure!(T::Identity::is_claims_officer(&who, appealed.provider), Error::<T>::NotClaimsOfficer);
			ensure!(appealed.status.is_appealable(), Error::<T>::NotAppealable);
			ensure!(appealed.appeal.is_none(), Error::<T>::AlreadyAppealed);
			let decided_at = appealed.decided_at.unwrap_or_default();
			ensure!(
				T::Time::now() < decided_at.saturating_add(T::AppealWindow::get()),
				Error::<T>::AppealWindowClosed
			);
			Self::ensure_fileable(appeal, &appealed.patient, appealed.provider)?;
			appealed.status = ClaimStatus::Appealed;
			appealed.appeal = Some(ClaimDocument::Record(appeal));
			DocumentClaims::<T>::insert(appeal, claim);
			Claims::<T>::insert(claim, appealed);
			Self::deposit_event(Event::ClaimAppealed { claim, appeal });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The provider and the insurer of the claim whose document (or appeal) is `record`, if
		/// a claim names it: the parties who may read it.
		pub fn document_parties(record: RecordId) -> Option<(T::OrganisationId, T::OrganisationId)> {
			let claim = Claims::<T>::get(DocumentClaims::<T>::get(record)?)?;
			Some((claim.provider, claim.insurer))
		}

		/// Refuses `document` unless it is a claim document about `patient`, written by a
		/// claims officer of `provider`, not erased and not filed before.
		fn ensure_fileable(document: RecordId, patient: &T::AccountId, provider: T::OrganisationId) -> DispatchResult {
			let record = T::Documents::claim_record(document).ok_or(Error::<T>::NotAClaimDocument)?;
			ensure!(!record.erased, Error::<T>::DocumentErased);
			ensure!(&record.patient == patient, Error::<T>::DocumentOfAnotherPatient);
			ensure!(T::Identity::is_claims_officer(&record.author, provider), Error::<T>::DocumentNotProviders);
			ensure!(!DocumentClaims::<T>::contains_key(document), Error::<T>::DocumentAlreadyFiled);
			Ok(())
		}

		/// The ids of `patient`'s claims, in `status` if given, oldest first.
		pub fn patient_claims(patient: &T::AccountId, status: Option<ClaimStatus>) -> Vec<ClaimId> {
			Self::with_status(PatientClaims::<T>::iter_key_prefix(patient), status)
		}

		/// The ids of `provider`'s claims, in `status` if given, oldest first.
		pub fn provider_claims(provider: T::OrganisationId, status: Option<ClaimStatus>) -> Vec<ClaimId> {
			Self::with_status(ProviderClaims::<T>::iter_key_prefix(provider), status)
		}

		fn with_status(ids: impl Iterator<Item = ClaimId>, status: Option<ClaimStatus>) -> Vec<ClaimId> {
			let mut ids: Vec<ClaimId> = ids
				.filter(|id| {
					status.map_or(true, |status| Claims::<T>::get(id).is_some_and(|c| c.status == status))
				})
				.collect();
			ids.sort();
			ids
		}

		fn ensure_insurer_officer(who: &T::AccountId, insurer: T::OrganisationId) -> DispatchResult {
			ensure!(T::Identity::is_insurer(insurer), Error::<T>::NotInsurer);
			ensure!(T::Identity::is_claims_officer(who, insurer), Error::<T>::NotClaimsOfficer);
			Ok(())
		}

		fn validated_reason(reason: Vec<u8>) -> Result<ReasonCode, DispatchError> {
			let valid = !reason.is_empty() && reason.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-');
			ensure!(valid, Error::<T>::InvalidReasonCode);
			Ok(ReasonCode::try_from(reason).map_err(|_| Error::<T>::InvalidReasonCode)?)
		}

		/// Checks that the indexes and the fingerprints agree with the claims: the pallet's
		/// `try_state`, also run by its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let next = NextClaimId::<T>::get();
			let (mut count, mut fingerprints, mut documents) = (0usize, 0usize, 0usize);
			for (id, claim) in Claims::<T>::iter() {
				ensure!(id < next, "a claim id is not below NextClaimId");
				ensure!(Coverages::<T>::contains_key(claim.coverage), "a claim under no coverage");
				ensure!(PatientClaims::<T>::contains_key(&claim.patient, id), "a claim missing from PatientClaims");
				ensure!(ProviderClaims::<T>::contains_key(claim.provider, id), "a claim missing from ProviderClaims");
				if let Some(fingerprint) = claim.fingerprint {
					ensure!(Fingerprints::<T>::get(fingerprint) == Some(id), "a claim's fingerprint is not its own");
					fingerprints += 1;
				}
				for document in [Some(claim.document), claim.appeal].into_iter().flatten() {
					if let ClaimDocument::Record(record) = document {
						ensure!(DocumentClaims::<T>::get(record) == Some(id), "a claim's document is not its own");
						documents += 1;
					}
				}
				ensure!(
					claim.status == ClaimStatus::Submitted || claim.decided_at.is_some(),
					"a decided claim without a decision time"
				);
				ensure!(
					claim.status != ClaimStatus::Appealed || claim.appeal.is_some(),
					"an appealed claim without an appeal"
				);
				count += 1;
			}
			ensure!(PatientClaims::<T>::iter().count() == count, "PatientClaims lists a missing claim");
			ensure!(ProviderClaims::<T>::iter().count() == count, "ProviderClaims lists a missing claim");
			ensure!(Fingerprints::<T>::iter().count() == fingerprints, "a fingerprint of no claim");
			ensure!(DocumentClaims::<T>::iter().count() == documents, "a document of no claim");
			let next = NextCoverageId::<T>::get();
			for (id, _) in Coverages::<T>::iter() {
				ensure!(id < next, "a coverage id is not below NextCoverageId");
			}
			Ok(())
		}
	}
}
