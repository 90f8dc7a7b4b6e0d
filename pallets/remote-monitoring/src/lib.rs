//! # Remote Monitoring Pallet
//!
//! Remote patient monitoring: devices bound to consenting patients, batches of readings
//! anchored on chain (never the values), threshold alerts raised to the care team, and Merkle
//! proofs that a reading belonged to an anchored batch.
//!
//! ## Overview
//!
//! - **Devices**: care staff of a care provider register a device (UDI-DI + serial, kind, its
//!   own signing account, optionally a gateway account that submits for it) and propose it
//!   for a patient; the patient or a guardian confirms the binding. Staff or the patient
//!   unbind it; staff retire it for good. Only a bound device (or its gateway) submits.
//! - **Readings**: a device anchors batches: the period covered, how many readings and the
//!   Merkle root of the readings ([`merkle`]). The encrypted batch stays with the device's
//!   organisation, which finds it by device and batch number: no locator goes on chain.
//!   A device's batches are numbered and ordered: one may not start before the previous one
//!   ended, nor before the patient consented to the binding (earlier readings may be another
//!   patient's), and a gap between them is reported in the event.
//! - **Alerts**: the patient's care team at an organisation (its care staff, while the
//!   patient's grant of access to observations in the health-records pallet is in force) sets
//!   threshold rules: what the rule watches and where it trips (observation code, bound,
//!   direction) is sealed off chain for the care team and the organisation's devices, and the
//!   chain keeps the sealed rule's hash; a bound device raises an alert
//!   naming the rule it tripped (and the batch, which must be this patient's), only while the
//!   patient's grant to the rule's organisation, or to the member who set it, stands; the
//!   event goes to the patient's and the organisation's
//!   topics; a member of the care team acknowledges it. The runtime API
//!   [`RemoteMonitoringApi`](runtime_api::RemoteMonitoringApi) lists alerts nobody
//!   acknowledged.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`register_device`](Pallet::register_device), [`propose_binding`](Pallet::propose_binding), [`retire_device`](Pallet::retire_device) | care staff of the organisation |
//! | [`confirm_binding`](Pallet::confirm_binding) | the patient or a guardian |
//! | [`unbind_device`](Pallet::unbind_device) | care staff, the patient or a guardian |
//! | [`anchor_batch`](Pallet::anchor_batch), [`raise_alert`](Pallet::raise_alert) | the device or its gateway |
//! | [`set_alert_rule`](Pallet::set_alert_rule), [`acknowledge_alert`](Pallet::acknowledge_alert) | the patient's care team |
//! | [`remove_alert_rule`](Pallet::remove_alert_rule) | the care team, the patient or a guardian |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod merkle;
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
pub use traits::MonitoringIdentity;
pub use types::*;
pub use weights::WeightInfo;

/// The prefix of a patient's event topic (the same as the health-records pallet's).
pub const PATIENT_TOPIC: [u8; 19] = *b"healthchain/patient";
/// The prefix of an organisation's event topic.
pub const ORGANISATION_TOPIC: [u8; 24] = *b"healthchain/organisation";

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The storage layout's version: 1 keeps no rule content and no batch locator.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{traits::Hash, ArithmeticError};

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the monitoring pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Identifies an organisation in the identity pallet.
		type OrganisationId: Parameter + Member + Copy + MaxEncodedLen;

		/// Who is a patient, care staff, in a care team.
		type Identity: MonitoringIdentity<Self::AccountId, Self::OrganisationId>;

		/// The chain's clock.
		type Time: Time<Moment = Moment>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up patients and care teams in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OrganisationId>;
	}

	/// A device of this runtime.
	pub type DeviceOf<T> = Device<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;
	/// A batch of this runtime.
	pub type BatchOf<T> = Batch<<T as frame_system::Config>::AccountId>;
	/// An alert rule of this runtime.
	pub type RuleOf<T> = AlertRule<<T as frame_system::Config>::AccountId, <T as Config>::OrganisationId>;

	/// Devices, by their signing account.
	#[pallet::storage]
	pub type Devices<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, DeviceOf<T>>;

	/// The device account of each UDI-DI and serial: a physical device is registered once.
	#[pallet::storage]
	pub type DeviceAccounts<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, UdiDi, Blake2_128Concat, DeviceSerial, T::AccountId>;

	/// Each device's batches, numbered from 0.
	#[pallet::storage]
	pub type Batches<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u32, BatchOf<T>>;

	/// The id the next alert rule gets.
	#[pallet::storage]
	pub type NextRuleId<T> = StorageValue<_, RuleId, ValueQuery>;

	/// Alert rules, by id.
	#[pallet::storage]
	pub type Rules<T: Config> = StorageMap<_, Blake2_128Concat, RuleId, RuleOf<T>>;

	/// The id the next alert gets.
	#[pallet::storage]
	pub type NextAlertId<T> = StorageValue<_, AlertId, ValueQuery>;

	/// Alerts, by id.
	#[pallet::storage]
	pub type Alerts<T: Config> =
		StorageMap<_, Blake2_128Concat, AlertId, Alert<T::AccountId, T::OrganisationId>>;

	/// Each patient's alerts that nobody has acknowledged.
	#[pallet::storage]
	pub type OpenAlerts<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, AlertId, ()>;

	/// An event for the audit trail of every change; those about a patient carry the patient's
	/// topic, alerts also the organisation's.
	#[pallet::event]
	pub enum Event<T: Config> {
		/// Care staff registered a device.
		DeviceRegistered {
			/// The device's account.
			device: T::AccountId,
			/// The organisation.
			organisation: T::OrganisationId,
			/// What it measures.
			kind: DeviceKind,
		},
		/// Care staff proposed a device for a patient.
		BindingProposed {
			/// The device.
			device: T::AccountId,
			/// The patient.
			patient: T::AccountId,
		},
		/// The patient or a guardian consented: the device is bound.
		DeviceBound {
			/// The device.
			device: T::AccountId,
			/// The patient.
			patient: T::AccountId,
		},
		/// A device was unbound from its patient, or its proposal withdrawn.
		DeviceUnbound {
			/// The device.
			device: T::AccountId,
			/// The former patient.
			patient: T::AccountId,
		},
		/// A device was retired for good.
		DeviceRetired {
			/// The device.
			device: T::AccountId,
		},
		/// A device anchored a batch of readings.
		BatchAnchored {
			/// The device.
			device: T::AccountId,
			/// The patient.
			patient: T::AccountId,
			/// The batch's number.
			batch: u32,
			/// First moment covered.
			starts_at: Moment,
			/// End of the period covered.
			ends_at: Moment,
			/// How many readings.
			readings: u32,
			/// How long nothing was anchored before it, if there was a gap.
			gap: Option<Moment>,
		},
		/// The care team set an alert rule.
		AlertRuleSet {
			/// Its id.
			rule: RuleId,
			/// The patient.
			patient: T::AccountId,
			/// The organisation.
			organisation: T::OrganisationId,
		},
		/// An alert rule was removed.
		AlertRuleRemoved {
			/// Its id.
			rule: RuleId,
			/// The patient.
			patient: T::AccountId,
		},
		/// A device raised an alert.
		AlertRaised {
			/// Its id.
			alert: AlertId,
			/// The patient.
			patient: T::AccountId,
			/// The organisation whose care team it goes to.
			organisation: T::OrganisationId,
			/// The rule tripped.
			rule: RuleId,
			/// The device.
			device: T::AccountId,
		},
		/// A member of the care team acknowledged an alert.
		AlertAcknowledged {
			/// The alert.
			alert: AlertId,
			/// The patient.
			patient: T::AccountId,
			/// Who acknowledged it.
			by: T::AccountId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not care staff of the organisation.
		NotCareStaff,
		/// The caller is not in the patient's care team at the organisation.
		NotCareTeam,
		/// Only the patient or a guardian may do this.
		NotPatientOrGuardian,
		/// The account is not a registered patient.
		NotAPatient,
		/// The UDI-DI or serial is empty, too long or not printable ASCII.
		InvalidDeviceIdentifier,
		/// The account is a device already.
		DeviceExists,
		/// A device with this UDI-DI and serial is registered already.
		DeviceIdentifierTaken,
		/// No such device.
		UnknownDevice,
		/// The device is retired.
		DeviceRetired,
		/// The device is bound or proposed already: unbind it first.
		DeviceInUse,
		/// No binding is waiting for consent.
		NoProposedBinding,
		/// The device is not bound to a patient.
		DeviceNotBound,
		/// The caller is neither the device nor its gateway.
		NotDeviceOrGateway,
		/// The period is empty.
		InvalidPeriod,
		/// The period ends in the future.
		PeriodInFuture,
		/// The batch starts before the previous one ended.
		OverlappingBatch,
		/// A batch holds at least one reading.
		NoReadings,
		/// The root is zero.
		EmptyRoot,
		/// The sealed rule's hash is zero.
		EmptyRuleHash,
		/// No such rule.
		UnknownRule,
		/// The rule is for another patient than the device's.
		RuleNotForPatient,
		/// No such batch of this device.
		UnknownBatch,
		/// The batch holds another patient's readings (the device was bound to someone else
		/// when it took them).
		BatchOfAnotherPatient,
		/// The batch's period starts before the patient consented to the device's binding: its
		/// readings are not this patient's.
		BeforeBinding,
		/// The rule's organisation no longer holds the patient's grant of access, nor does the
		/// care-team member who set it: the rule raises no more alerts.
		RuleLapsed,
		/// No such alert.
		UnknownAlert,
		/// The alert is acknowledged already.
		AlreadyAcknowledged,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers `device`, a device of `kind` identified by `udi_di` and `serial` that signs
		/// with its own account, for `organisation`; `gateway` may submit for it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_device())]
		pub fn register_device(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			device: T::AccountId,
			udi_di: Vec<u8>,
			serial: Vec<u8>,
			kind: DeviceKind,
			gateway: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_care_staff(&who, organisation), Error::<T>::NotCareStaff);
			let udi_di = Self::identifier::<ConstU32<MAX_UDI_LENGTH>>(udi_di)?;
			let serial = Self::identifier::<ConstU32<MAX_SERIAL_LENGTH>>(serial)?;
			ensure!(!Devices::<T>::contains_key(&device), Error::<T>::DeviceExists);
			ensure!(!DeviceAccounts::<T>::contains_key(&udi_di, &serial), Error::<T>::DeviceIdentifierTaken);
			DeviceAccounts::<T>::insert(&udi_di, &serial, &device);
			Devices::<T>::insert(
				&device,
				Device {
					organisation,
					udi_di,
					serial,
					kind,
					gateway,
					status: DeviceStatus::Unbound,
					batches: 0,
					covered_until: None,
				},
			);
			Self::deposit(&[], Event::DeviceRegistered { device, organisation, kind });
			Ok(())
		}

		/// Proposes `device`, unbound, for `patient`, whose consent binds it.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::propose_binding())]
		pub fn propose_binding(origin: OriginFor<T>, device: T::AccountId, patient: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut proposed = Self::staffed_device(&who, &device)?;
			ensure!(proposed.status == DeviceStatus::Unbound, Error::<T>::DeviceInUse);
			ensure!(T::Identity::is_patient(&patient), Error::<T>::NotAPatient);
			proposed.status = DeviceStatus::Proposed { patient: patient.clone() };
			Devices::<T>::insert(&device, proposed);
			Self::deposit(&[Self::patient_topic(&patient)], Event::BindingProposed { device, patient });
			Ok(())
		}

		/// Consents, as the patient or a guardian, to the device proposed for the patient.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::confirm_binding())]
		pub fn confirm_binding(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut bound = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
			let DeviceStatus::Proposed { patient } = bound.status else {
				return Err(Error::<T>::NoProposedBinding.into());
			};
			ensure!(T::Identity::may_consent_for(&who, &patient), Error::<T>::NotPatientOrGuardian);
			bound.status = DeviceStatus::Bound { patient: patient.clone(), since: T::Time::now() };
			Devices::<T>::insert(&device, bound);
			Self::deposit(&[Self::patient_topic(&patient)], Event::DeviceBound { device, patient });
			Ok(())
		}

		/// Unbinds `device` from its patient (or withdraws its proposal): care staff of its
		/// organisation, the patient or a guardian.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbind_device())]
		pub fn unbind_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut unbound = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
			let patient = match &unbound.status {
				DeviceStatus::Proposed { patient } | DeviceStatus::Bound { patient, .. } => patient.clone(),
				DeviceStatus::Retired => return Err(Error::<T>::DeviceRetired.into()),
				DeviceStatus::Unbound => return Err(Error::<T>::DeviceNotBound.into()),
			};
			ensure!(
				T::Identity::is_care_staff(&who, unbound.organisation) || T::Identity::may_consent_for(&who, &patient),
				Error::<T>::NotPatientOrGuardian
			);
			unbound.status = DeviceStatus::Unbound;
			Devices::<T>::insert(&device, unbound);
			Self::deposit(&[Self::patient_topic(&patient)], Event::DeviceUnbound { device, patient });
			Ok(())
		}

		/// Retires `device` for good.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::retire_device())]
		pub fn retire_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut retired = Self::staffed_device(&who, &device)?;
			retired.status = DeviceStatus::Retired;
			Devices::<T>::insert(&device, retired);
			Self::deposit(&[], Event::DeviceRetired { device });
			Ok(())
		}

		/// Anchors a batch of `readings` readings that `device` took from `starts_at` until
		/// `ends_at`: their Merkle `root` and the encrypted batch's encrypted `locator`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::anchor_batch())]
		pub fn anchor_batch(
			origin: OriginFor<T>,
			device: T::AccountId,
			starts_at: Moment,
			ends_at: Moment,
			readings: u32,
			root: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut anchoring, patient, since) = Self::submitting_device(&who, &device)?;
			ensure!(starts_at < ends_at, Error::<T>::InvalidPeriod);
			// Readings taken before the patient consented may be someone else's.
			ensure!(starts_at >= since, Error::<T>::BeforeBinding);
			let now = T::Time::now();
			ensure!(ends_at <= now, Error::<T>::PeriodInFuture);
			ensure!(anchoring.covered_until.map_or(true, |end| starts_at >= end), Error::<T>::OverlappingBatch);
			ensure!(readings > 0, Error::<T>::NoReadings);
			ensure!(!root.is_zero(), Error::<T>::EmptyRoot);
			let gap = anchoring.covered_until.filter(|end| starts_at > *end).map(|end| starts_at - end);
			let batch = anchoring.batches;
			anchoring.batches = batch.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			anchoring.covered_until = Some(ends_at);
			Batches::<T>::insert(
				&device,
				batch,
				Batch { patient: patient.clone(), starts_at, ends_at, readings, root, anchored_at: now },
			);
			Devices::<T>::insert(&device, anchoring);
			Self::deposit(
				&[Self::patient_topic(&patient)],
				Event::BatchAnchored { device, patient, batch, starts_at, ends_at, readings, gap },
			);
			Ok(())
		}

		/// Sets a threshold for `patient`, sealed off chain (what it watches, its bound and
		/// direction, for the care team and the organisation's devices): the chain keeps
		/// `sealed_hash`, the sealed rule's Blake2-256. The caller is in the patient's care team
		/// at `organisation`, where the alerts go.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_alert_rule())]
		pub fn set_alert_rule(
			origin: OriginFor<T>,
			patient: T::AccountId,
			organisation: T::OrganisationId,
			sealed_hash: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Identity::is_care_team(&who, organisation, &patient), Error::<T>::NotCareTeam);
			ensure!(!sealed_hash.is_zero(), Error::<T>::EmptyRuleHash);
			let id = NextRuleId::<T>::get();
			NextRuleId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Rules::<T>::insert(
				id,
				AlertRule { patient: patient.clone(), organisation, sealed_hash: Some(sealed_hash), set_by: who },
			);
			Self::deposit(
				&[Self::patient_topic(&patient), Self::organisation_topic(organisation)],
				Event::AlertRuleSet { rule: id, patient, organisation },
			);
			Ok(())
		}

		/// Removes alert rule `rule`: the care team at its organisation, the patient or a
		/// guardian.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::remove_alert_rule())]
		pub fn remove_alert_rule(origin: OriginFor<T>, rule: RuleId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let removed = Rules::<T>::get(rule).ok_or(Error::<T>::UnknownRule)?;
			ensure!(
				T::Identity::is_care_team(&who, removed.organisation, &removed.patient) ||
					T::Identity::may_consent_for(&who, &removed.patient),
				Error::<T>::NotCareTeam
			);
			Rules::<T>::remove(rule);
			Self::deposit(
				&[Self::patient_topic(&removed.patient), Self::organisation_topic(removed.organisation)],
				Event::AlertRuleRemoved { rule, patient: removed.patient },
			);
			Ok(())
		}

		/// Raises an alert: a reading of `device`'s patient tripped `rule`; `batch` is the
		/// anchored batch that holds it, if it is anchored yet.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::raise_alert())]
		pub fn raise_alert(
			origin: OriginFor<T>,
			device: T::AccountId,
			rule: RuleId,
			batch: Option<u32>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (_, patient, _) = Self::submitting_device(&who, &device)?;
			let tripped = Rules::<T>::get(rule).ok_or(Error::<T>::UnknownRule)?;
			ensure!(tripped.patient == patient, Error::<T>::RuleNotForPatient);
			if let Some(batch) = batch {
				let held = Batches::<T>::get(&device, batch).ok_or(Error::<T>::UnknownBatch)?;
				ensure!(held.patient == patient, Error::<T>::BatchOfAnotherPatient);
			}
			// Alerts go only where the patient's grant still stands.
			ensure!(
				T::Identity::has_access(tripped.organisation, &patient) ||
					T::Identity::is_care_team(&tripped.set_by, tripped.organisation, &patient),
				Error::<T>::RuleLapsed
			);
			let id = NextAlertId::<T>::get();
			NextAlertId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			Alerts::<T>::insert(
				id,
				Alert {
					patient: patient.clone(),
					organisation: tripped.organisation,
					device: device.clone(),
					rule,
					batch,
					raised_at: T::Time::now(),
					acknowledged: None,
				},
			);
			OpenAlerts::<T>::insert(&patient, id, ());
			Self::deposit(
				&[Self::patient_topic(&patient), Self::organisation_topic(tripped.organisation)],
				Event::AlertRaised { alert: id, patient, organisation: tripped.organisation, rule, device },
			);
			Ok(())
		}

		/// Acknowledges `alert`, as a member of the care team its rule sends alerts to.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::acknowledge_alert())]
		pub fn acknowledge_alert(origin: OriginFor<T>, alert: AlertId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut acknowledged = Alerts::<T>::get(alert).ok_or(Error::<T>::UnknownAlert)?;
			ensure!(acknowledged.acknowledged.is_none(), Error::<T>::AlreadyAcknowledged);
			let organisation = acknowledged.organisation;
			ensure!(T::Identity::is_care_team(&who, organisation, &acknowledged.patient), Error::<T>::NotCareTeam);
			acknowledged.acknowledged = Some((who.clone(), T::Time::now()));
			let patient = acknowledged.patient.clone();
			Alerts::<T>::insert(alert, acknowledged);
			OpenAlerts::<T>::remove(&patient, alert);
			Self::deposit(
				&[Self::patient_topic(&patient), Self::organisation_topic(organisation)],
				Event::AlertAcknowledged { alert, patient, by: who },
			);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The topic of events about `patient`: Blake2-256 of [`PATIENT_TOPIC`] and the account.
		pub fn patient_topic(patient: &T::AccountId) -> T::Hash {
			T::Hashing::hash_of(&(PATIENT_TOPIC, patient))
		}

		/// The topic of events for `organisation`'s care team.
		pub fn organisation_topic(organisation: T::OrganisationId) -> T::Hash {
			T::Hashing::hash_of(&(ORGANISATION_TOPIC, organisation))
		}

		/// The ids of `patient`'s alerts that nobody has acknowledged, oldest first.
		pub fn unacknowledged_alerts(patient: &T::AccountId) -> Vec<AlertId> {
			let mut ids: Vec<AlertId> = OpenAlerts::<T>::iter_key_prefix(patient).collect();
			ids.sort();
			ids
		}

		fn deposit(topics: &[T::Hash], event: Event<T>) {
			let event: <T as Config>::RuntimeEvent = event.into();
			frame_system::Pallet::<T>::deposit_event_indexed(topics, event.into());
		}

		/// A device that `who`, care staff of its organisation, manages; not retired.
		fn staffed_device(who: &T::AccountId, device: &T::AccountId) -> Result<DeviceOf<T>, DispatchError> {
			let found = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			ensure!(T::Identity::is_care_staff(who, found.organisation), Error::<T>::NotCareStaff);
			ensure!(found.status != DeviceStatus::Retired, Error::<T>::DeviceRetired);
			Ok(found)
		}

		/// A bound device that `who` (the device or its gateway) submits for, its patient, and
		/// since when the patient consented to the binding.
		fn submitting_device(
			who: &T::AccountId,
			device: &T::AccountId,
		) -> Result<(DeviceOf<T>, T::AccountId, Moment), DispatchError> {
			let found = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			ensure!(who == device || found.gateway.as_ref() == Some(who), Error::<T>::NotDeviceOrGateway);
			let (patient, since) = match &found.status {
				DeviceStatus::Bound { patient, since } => (patient.clone(), *since),
				DeviceStatus::Retired => return Err(Error::<T>::DeviceRetired.into()),
				_ => return Err(Error::<T>::DeviceNotBound.into()),
			};
			Ok((found, patient, since))
		}

		/// A device identifier, checked: 1 to `S` printable ASCII bytes.
		fn identifier<S: Get<u32>>(id: Vec<u8>) -> Result<BoundedVec<u8, S>, DispatchError> {
			ensure!(!id.is_empty() && id.iter().all(u8::is_ascii_graphic), Error::<T>::InvalidDeviceIdentifier);
			Ok(BoundedVec::try_from(id).map_err(|_| Error::<T>::InvalidDeviceIdentifier)?)
		}

		/// Checks that devices and their identifiers, batches and alerts agree: the pallet's
		/// `try_state`, also run by its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut devices = 0usize;
			for (account, device) in Devices::<T>::iter() {
				ensure!(
					DeviceAccounts::<T>::get(&device.udi_di, &device.serial).as_ref() == Some(&account),
					"a device missing from DeviceAccounts"
				);
				let batches = Batches::<T>::iter_key_prefix(&account).count() as u32;
				ensure!(batches == device.batches, "a device's batch count disagrees with its batches");
				let mut previous_end = None;
				for index in 0..device.batches {
					let batch = Batches::<T>::get(&account, index).ok_or("a device's batches are not numbered from 0")?;
					ensure!(previous_end.map_or(true, |end| batch.starts_at >= end), "overlapping batches");
					previous_end = Some(batch.ends_at);
				}
				ensure!(previous_end == device.covered_until, "covered_until is not the last batch's end");
				devices += 1;
			}
			ensure!(DeviceAccounts::<T>::iter().count() == devices, "an identifier of no device");
			for (patient, id, ()) in OpenAlerts::<T>::iter() {
				let alert = Alerts::<T>::get(id).ok_or("an open alert that does not exist")?;
				ensure!(alert.patient == patient && alert.acknowledged.is_none(), "OpenAlerts lists a closed alert");
			}
			for (id, alert) in Alerts::<T>::iter() {
				ensure!(id < NextAlertId::<T>::get(), "an alert id is not below NextAlertId");
				ensure!(
					alert.acknowledged.is_some() || OpenAlerts::<T>::contains_key(&alert.patient, id),
					"an open alert missing from OpenAlerts"
				);
			}
			Ok(())
		}
	}
}
