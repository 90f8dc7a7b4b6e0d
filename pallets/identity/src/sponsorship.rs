//! Patients send transactions without tokens: [`SponsorPatients`], a transaction extension
//! around the fee payment.
//!
//! A patient's account exists without a balance (its enrolment gives it a provider
//! reference), so that its nonce is checked as any account's. A registered patient's
//! transaction whose call is one of [`Config::SponsoredCalls`] pays no fee, up to
//! [`Config::SponsoredTransactionsPerDay`] a day; any other transaction, and any beyond the
//! allowance, goes to the wrapped fee extension and pays as usual, so a patient without funds
//! is refused at the pool. The allowance is spent in `prepare`, before dispatch and outside
//! the call's own storage layer, so a call that fails spends it too: failures are not free.
//!
//! Why no fee and no deposit for patients: a fee or a deposit needs a funding transfer, which
//! links the pseudonymous patient account to whoever funded it. What bounds a patient's
//! storage instead is that every sponsored call's effect on storage has a per-patient cap in
//! its pallet, and that only care providers enrol patients, at most
//! [`Config::MaxEnrolmentsPerDay`] each a day.
//!
//! The extension keeps the wrapped extension's identifier, encoding and metadata, so wallets
//! and client libraries (polkadot.js, subxt, polkadot-api) build transactions as before.

use crate::{pallet::*, types::DailyTally, weights::WeightInfo, IdentityQuery};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	traits::{Contains, Get, Time},
};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{
		DispatchInfoOf, DispatchOriginOf, Dispatchable, Implication, PostDispatchInfoOf,
		TransactionExtension, ValidateResult,
	},
	transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError, ValidTransaction,
	},
	DispatchResult, Weight,
};

/// Wraps the fee extension `S` (normally `ChargeTransactionPayment`): a registered patient's
/// [`Config::SponsoredCalls`] pay no fee within the patient's daily allowance.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct SponsorPatients<T, S>(pub S, PhantomData<T>);

impl<T, S: Clone> Clone for SponsorPatients<T, S> {
	fn clone(&self) -> Self {
		Self(self.0.clone(), PhantomData)
	}
}

impl<T, S: PartialEq> PartialEq for SponsorPatients<T, S> {
	fn eq(&self, other: &Self) -> bool {
		self.0 == other.0
	}
}

impl<T, S: Eq> Eq for SponsorPatients<T, S> {}

impl<T, S: core::fmt::Debug> core::fmt::Debug for SponsorPatients<T, S> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "SponsorPatients({:?})", self.0)
	}
}

impl<T, S> From<S> for SponsorPatients<T, S> {
	fn from(inner: S) -> Self {
		Self(inner, PhantomData)
	}
}

/// What `validate` passes to `prepare`.
pub enum Val<T: Config, V> {
	/// A sponsored transaction of `patient`, on `day`.
	Sponsored {
		/// The patient.
		patient: T::AccountId,
		/// The day whose allowance it spends.
		day: u32,
	},
	/// A transaction that pays: the wrapped extension's value.
	Paid(V),
}

/// What `prepare` passes to `post_dispatch`.
pub enum Pre<P> {
	/// A sponsored transaction: the wrapped extension's weight is not used.
	Sponsored {
		/// The weight to refund.
		refund: Weight,
	},
	/// A transaction that pays: the wrapped extension's value.
	Paid(P),
}

impl<T: Config> Pallet<T> {
	/// The day of the allowance a patient's transaction spends now, if `who` is a patient and
	/// has some of it left.
	pub fn sponsorship_available(who: &T::AccountId) -> Option<u32> {
		if !<Self as IdentityQuery<T::AccountId>>::is_patient(who) {
			return None;
		}
		let day = DailyTally::day_of(T::Time::now());
		let sent = DailyTally::count_on(SponsoredTransactions::<T>::get(who), day);
		(sent < T::SponsoredTransactionsPerDay::get()).then_some(day)
	}

	/// Spends one transaction of `patient`'s allowance of `day`, if any is left.
	pub fn spend_sponsorship(patient: &T::AccountId, day: u32) -> Result<(), TransactionValidityError> {
		let sent = DailyTally::count_on(SponsoredTransactions::<T>::get(patient), day);
		if sent >= T::SponsoredTransactionsPerDay::get() {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		SponsoredTransactions::<T>::insert(patient, DailyTally { day, count: sent + 1 });
		Ok(())
	}
}

impl<T, S> TransactionExtension<T::RuntimeCall> for SponsorPatients<T, S>
where
	T: Config + Send + Sync,
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	S: TransactionExtension<T::RuntimeCall>,
{
	// The wrapped extension's name and encoding: clients need not know this one.
	const IDENTIFIER: &'static str = S::IDENTIFIER;
	type Implicit = S::Implicit;

	fn implicit(&self) -> Result<Self::Implicit, TransactionValidityError> {
		self.0.implicit()
	}

	fn metadata() -> alloc::vec::Vec<sp_runtime::traits::TransactionExtensionMetadata> {
		S::metadata()
	}

	type Val = Val<T, S::Val>;
	type Pre = Pre<S::Pre>;

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		// `validate` asks about the patient only for a call that may be sponsored: any other
		// call (a transfer, a custodian's log, commissioning) costs the fee payment alone.
		let payment = self.0.weight(call);
		if T::SponsoredCalls::contains(call) {
			T::WeightInfo::sponsor_patient_transaction().saturating_add(payment)
		} else {
			payment
		}
	}

	fn validate(
		&self,
		origin: DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
		self_implicit: Self::Implicit,
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let sponsored = frame_system::ensure_signed(origin.clone())
			.ok()
			.filter(|_| T::SponsoredCalls::contains(call))
			.and_then(|who| Pallet::<T>::sponsorship_available(&who).map(|day| (who, day)));
		if let Some((patient, day)) = sponsored {
			return Ok((ValidTransaction::default(), Val::Sponsored { patient, day }, origin));
		}
		let (valid, val, origin) =
			self.0.validate(origin, call, info, len, self_implicit, inherited_implication, source)?;
		Ok((valid, Val::Paid(val), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		match val {
			Val::Sponsored { patient, day } => {
				Pallet::<T>::spend_sponsorship(&patient, day)?;
				Ok(Pre::Sponsored { refund: self.0.weight(call) })
			},
			Val::Paid(val) => Ok(Pre::Paid(self.0.prepare(val, origin, call, info, len)?)),
		}
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		match pre {
			Pre::Sponsored { refund } => Ok(refund),
			Pre::Paid(pre) => S::post_dispatch_details(pre, info, post_info, len, result),
		}
	}

	fn bare_validate(
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> sp_runtime::transaction_validity::TransactionValidity {
		S::bare_validate(call, info, len)
	}

	fn bare_validate_and_prepare(
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> Result<(), TransactionValidityError> {
		S::bare_validate_and_prepare(call, info, len)
	}

	fn bare_post_dispatch(
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &mut PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<(), TransactionValidityError> {
		S::bare_post_dispatch(info, post_info, len, result)
	}
}
