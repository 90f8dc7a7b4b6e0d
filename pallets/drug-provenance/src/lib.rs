//! # Drug Provenance Pallet
//!
//! Serialised drugs and devices from the manufacturer to the patient, after the GS1 standards
//! and the duties of the US DSCSA and the EU Falsified Medicines Directive: every unit carries
//! a product code, a serial number, a lot and an expiry, every change of hands is recorded,
//! anyone can verify a unit, and a unit ends its life exactly once.
//!
//! ## Overview
//!
//! - **Products** are identified by a GTIN (with a valid GS1 check digit) or a device's UDI
//!   device identifier. A manufacturer registers its products (kind, metadata hash, whether
//!   controlled) and **commissions** serialised units in bulk, one lot and expiry per call and
//!   up to [`Config::MaxCommissionBatch`] serials. A serial exists once per product.
//! - **Custody**: the custodian ships units to another trading partner, which receives them.
//!   Each unit keeps its latest [`Config::MaxHistory`] steps (after the GS1 EPCIS business
//!   steps: commissioned, shipped, received, returned, quarantined, cleared, dispensed,
//!   destroyed, ...) and a count of all of them; every step is also in the chain's events.
//! - **Verification**: anyone reads a unit from storage, or asks the runtime API
//!   [`DrugProvenanceApi`](runtime_api::DrugProvenanceApi) (through the node's `state_call`
//!   RPC) whether it is genuine, who holds it and whether it may be dispensed.
//! - **Recall and suspect products**: the manufacturer or a regulator recalls a lot; a trading
//!   partner that holds the unit, has it in transit to it or handled it (in the unit's recorded
//!   history), or a regulator, quarantines a suspect unit with a [`SuspectReason`] (after the
//!   DSCSA's suspect-product categories); the manufacturer or a regulator clears it or
//!   confirms it illegitimate. A return is shipped back and verified (lot and expiry against
//!   the chain) before it re-enters stock.
//! - **Decommissioning**: a unit is dispensed (by its custodian dispenser, through
//!   [`Pallet::dispense_units`], which the prescriptions pallet calls), destroyed or confirmed
//!   illegitimate, once. Nothing dispenses a unit twice, after its expiry, while its lot is
//!   recalled or while it is quarantined.
//!
//! ## Calls
//!
//! Every call names the organisation the caller acts for; the runtime's
//! [`TradingPartners`] says which trade role the caller plays for it.
//!
//! | call | who |
//! | --- | --- |
//! | [`register_product`](Pallet::register_product), [`commission_serials`](Pallet::commission_serials) | a manufacturer |
//! | [`ship_units`](Pallet::ship_units), [`receive_units`](Pallet::receive_units), [`return_units`](Pallet::return_units), [`accept_return`](Pallet::accept_return), [`destroy_units`](Pallet::destroy_units) | a manufacturer, distributor or dispenser (the custodian, or the recipient) |
//! | [`flag_suspect`](Pallet::flag_suspect) | a trading partner that holds, receives or handled the unit, or a regulator |
//! | [`recall_lot`](Pallet::recall_lot), [`clear_suspect`](Pallet::clear_suspect), [`confirm_illegitimate`](Pallet::confirm_illegitimate) | the product's manufacturer or a regulator |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds. Batch calls touch only the units
//! they name, at most [`Config::MaxUnitsPerCall`] (or [`Config::MaxCommissionBatch`]).

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

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
pub use traits::TradingPartners;
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

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the provenance pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Identifies an organisation in the identity pallet.
		type OrganisationId: Parameter + Member + Copy + Ord + MaxEncodedLen;

		/// Which trade role an account plays for an organisation.
		type Partners: TradingPartners<Self::AccountId, Self::OrganisationId>;

		/// The chain's clock, against which lots expire.
		type Time: Time<Moment = Moment>;

		/// The most serials one `commission_serials` call commissions.
		#[pallet::constant]
		type MaxCommissionBatch: Get<u32>;

		/// The most units one shipping, receiving, returning, destroying or dispensing call
		/// names.
		#[pallet::constant]
		type MaxUnitsPerCall: Get<u32>;

		/// How many of its latest steps a unit keeps.
		#[pallet::constant]
		type MaxHistory: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up trading partners in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OrganisationId>;
	}

	/// A unit of this runtime.
	pub type UnitOf<T> = Unit<<T as Config>::OrganisationId, <T as Config>::MaxHistory>;

	/// Registered products.
	#[pallet::storage]
	pub type Products<T: Config> = StorageMap<_, Blake2_128Concat, ProductCode, Product<T::OrganisationId>>;

	/// Each product's lots.
	#[pallet::storage]
	pub type Lots<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ProductCode, Blake2_128Concat, LotNumber, Lot>;

	/// Every commissioned unit, by product and serial.
	#[pallet::storage]
	pub type Units<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ProductCode, Blake2_128Concat, SerialNumber, UnitOf<T>>;

	/// An event for the audit trail of every change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A manufacturer registered a product.
		ProductRegistered {
			/// The product.
			product: ProductCode,
			/// The manufacturer.
			manufacturer: T::OrganisationId,
			/// Drug or device.
			kind: ProductKind,
			/// Whether it is a controlled substance.
			controlled: bool,
		},
		/// A manufacturer commissioned serialised units of one lot.
		SerialsCommissioned {
			/// The product.
			product: ProductCode,
			/// The lot.
			lot: LotNumber,
			/// Its expiry.
			expires_at: Moment,
			/// The manufacturer.
			manufacturer: T::OrganisationId,
			/// The serials commissioned.
			serials: Vec<SerialNumber>,
		},
		/// A custodian shipped units to another trading partner.
		UnitsShipped {
			/// The product.
			product: ProductCode,
			/// The serials.
			serials: Vec<SerialNumber>,
			/// The sender.
			from: T::OrganisationId,
			/// The recipient.
			to: T::OrganisationId,
		},
		/// A trading partner received units shipped to it.
		UnitsReceived {
			/// The product.
			product: ProductCode,
			/// The serials.
			serials: Vec<SerialNumber>,
			/// The new custodian.
			by: T::OrganisationId,
		},
		/// A custodian shipped units back as a return.
		UnitsReturned {
			/// The product.
			product: ProductCode,
			/// The serials.
			serials: Vec<SerialNumber>,
			/// The sender.
			from: T::OrganisationId,
			/// The recipient.
			to: T::OrganisationId,
		},
		/// A returned unit was verified and taken back into stock.
		ReturnAccepted {
			/// The product.
			product: ProductCode,
			/// The serial.
			serial: SerialNumber,
			/// The new custodian.
			by: T::OrganisationId,
			/// Whether it may be sold again: its lot is not recalled and it has not expired.
			saleable: bool,
		},
		/// A lot was recalled.
		LotRecalled {
			/// The product.
			product: ProductCode,
			/// The lot.
			lot: LotNumber,
			/// The manufacturer or regulator.
			by: T::OrganisationId,
		},
		/// A unit was flagged as suspect and quarantined.
		UnitQuarantined {
			/// The product.
			product: ProductCode,
			/// The serial.
			serial: SerialNumber,
			/// The trading partner or regulator that flagged it.
			by: T::OrganisationId,
			/// Why.
			reason: SuspectReason,
		},
		/// A quarantined unit was cleared.
		UnitCleared {
			/// The product.
			product: ProductCode,
			/// The serial.
			serial: SerialNumber,
			/// The manufacturer or regulator.
			by: T::OrganisationId,
		},
		/// A quarantined unit was confirmed illegitimate and decommissioned.
		UnitConfirmedIllegitimate {
			/// The product.
			product: ProductCode,
			/// The serial.
			serial: SerialNumber,
			/// The manufacturer or regulator.
			by: T::OrganisationId,
		},
		/// Units were dispensed to a patient and decommissioned.
		UnitsDispensed {
			/// The product.
			product: ProductCode,
			/// The serials.
			serials: Vec<SerialNumber>,
			/// The dispenser.
			by: T::OrganisationId,
		},
		/// Units were destroyed and decommissioned.
		UnitsDestroyed {
			/// The product.
			product: ProductCode,
			/// The serials.
			serials: Vec<SerialNumber>,
			/// The custodian.
			by: T::OrganisationId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller does not act for this organisation, or it is not an active trading
		/// partner.
		NotTradingPartner,
		/// Only a manufacturer may do this.
		NotManufacturer,
		/// The organisation is not the product's manufacturer.
		NotProductManufacturer,
		/// Only the product's manufacturer or a regulator may do this.
		NotManufacturerOrRegulator,
		/// Only a trading partner that holds, receives or handled the unit, or a regulator,
		/// flags it suspect.
		NotHandler,
		/// Only a dispenser dispenses.
		NotDispenser,
		/// The product code is not a GTIN with a valid check digit or a printable UDI-DI.
		InvalidProductCode,
		/// The product is already registered.
		ProductExists,
		/// No such product is registered.
		UnknownProduct,
		/// The lot number is empty or not printable ASCII.
		InvalidLot,
		/// A serial number is empty, too long or not printable ASCII.
		InvalidSerial,
		/// No serials given.
		EmptyBatch,
		/// More serials than the call allows.
		BatchTooLarge,
		/// A serial is already commissioned for this product.
		SerialExists,
		/// The expiry is not in the future.
		ExpiryInPast,
		/// The lot exists with another expiry.
		LotExpiryMismatch,
		/// No such lot.
		UnknownLot,
		/// The lot is already recalled.
		LotAlreadyRecalled,
		/// The unit's lot is recalled.
		LotRecalled,
		/// No such unit was commissioned.
		UnknownUnit,
		/// The organisation is not the unit's custodian.
		NotCustodian,
		/// The unit is not in its custodian's stock (in transit or decommissioned).
		NotInStock,
		/// The unit is not in transit to this organisation.
		NotInTransitToYou,
		/// The unit is a return: it is verified with `accept_return`.
		ReturnNeedsVerification,
		/// The unit is not a return in transit to this organisation.
		NotAReturn,
		/// The lot or expiry given is not the unit's.
		IdentifiersMismatch,
		/// The recipient is not an active trading partner.
		RecipientNotTradingPartner,
		/// A unit cannot be shipped to its own custodian.
		ShipToSelf,
		/// The unit is quarantined.
		UnitQuarantined,
		/// The unit is not quarantined.
		NotQuarantined,
		/// The unit is already quarantined.
		AlreadyQuarantined,
		/// The unit has been dispensed.
		AlreadyDispensed,
		/// The unit has been destroyed or confirmed illegitimate.
		UnitDecommissioned,
		/// The unit is past its expiry.
		UnitExpired,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxCommissionBatch::get() >= 1_000, "a commissioning call takes at least 1,000 serials");
			assert!(T::MaxUnitsPerCall::get() > 0, "MaxUnitsPerCall must be positive");
			assert!(T::MaxHistory::get() > 0, "a unit keeps at least its latest step");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers `product`, made by `organisation`, a manufacturer the caller acts for.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_product())]
		pub fn register_product(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			kind: ProductKind,
			metadata_hash: H256,
			controlled: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Self::role(&who, organisation)? == TradeRole::Manufacturer, Error::<T>::NotManufacturer);
			ensure!(product.is_valid(), Error::<T>::InvalidProductCode);
			ensure!(!Products::<T>::contains_key(&product), Error::<T>::ProductExists);
			Products::<T>::insert(&product, Product { manufacturer: organisation, kind, metadata_hash, controlled });
			Self::deposit_event(Event::ProductRegistered { product, manufacturer: organisation, kind, controlled });
			Ok(())
		}

		/// Commissions `serials` of `product` in `lot`, which expires at `expires_at`: each
		/// serial becomes a unit in the manufacturer's stock. A lot commissioned again keeps
		/// its expiry.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::commission_serials(serials.len() as u32))]
		pub fn commission_serials(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			lot: Vec<u8>,
			expires_at: Moment,
			serials: Vec<Vec<u8>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Self::role(&who, organisation)? == TradeRole::Manufacturer, Error::<T>::NotManufacturer);
			let registered = Products::<T>::get(&product).ok_or(Error::<T>::UnknownProduct)?;
			ensure!(registered.manufacturer == organisation, Error::<T>::NotProductManufacturer);
			let lot = Self::validated_lot(lot)?;
			let now = T::Time::now();
			ensure!(expires_at > now, Error::<T>::ExpiryInPast);
			let serials = Self::validated_serials(serials, T::MaxCommissionBatch::get())?;
			let count = serials.len() as u32;
			let mut lot_record =
				Lots::<T>::get(&product, &lot).unwrap_or(Lot { expires_at, recalled_at: None, units: 0 });
			ensure!(lot_record.expires_at == expires_at, Error::<T>::LotExpiryMismatch);
			ensure!(lot_record.recalled_at.is_none(), Error::<T>::LotRecalled);
			lot_record.units = lot_record.units.checked_add(count).ok_or(ArithmeticError::Overflow)?;
			let first = Step { step: BusinessStep::Commissioned, by: organisation, at: now };
			for serial in &serials {
				ensure!(!Units::<T>::contains_key(&product, serial), Error::<T>::SerialExists);
				let mut history = BoundedVec::new();
				history.try_push(first.clone()).map_err(|_| Error::<T>::InvalidSerial)?;
				Units::<T>::insert(
					&product,
					serial,
					Unit {
						lot: lot.clone(),
						custodian: organisation,
						status: UnitStatus::InStock,
						quarantined: false,
						steps: 1,
						history,
					},
				);
			}
			Lots::<T>::insert(&product, &lot, lot_record);
			Self::deposit_event(Event::SerialsCommissioned {
				product,
				lot,
				expires_at,
				manufacturer: organisation,
				serials,
			});
			Ok(())
		}

		/// Ships units of `product` in `organisation`'s stock to the trading partner `to`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::ship_units(serials.len() as u32))]
		pub fn ship_units(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serials: Vec<Vec<u8>>,
			to: T::OrganisationId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let serials = Self::dispatch_shipment(&who, organisation, &product, serials, to, false)?;
			Self::deposit_event(Event::UnitsShipped { product, serials, from: organisation, to });
			Ok(())
		}

		/// Receives units of `product` shipped to `organisation`, which becomes their custodian.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::receive_units(serials.len() as u32))]
		pub fn receive_units(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serials: Vec<Vec<u8>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::trader(&who, organisation)?;
			let serials = Self::validated_serials(serials, T::MaxUnitsPerCall::get())?;
			let now = T::Time::now();
			for serial in &serials {
				let mut unit = Units::<T>::get(&product, serial).ok_or(Error::<T>::UnknownUnit)?;
				match unit.status {
					UnitStatus::InTransit { to, returning } if to == organisation =>
						ensure!(!returning, Error::<T>::ReturnNeedsVerification),
					_ => return Err(Error::<T>::NotInTransitToYou.into()),
				}
				ensure!(!unit.quarantined, Error::<T>::UnitQuarantined);
				unit.custodian = organisation;
				unit.status = UnitStatus::InStock;
				Self::record_step(&mut unit, BusinessStep::Received, organisation, now);
				Units::<T>::insert(&product, serial, unit);
			}
			Self::deposit_event(Event::UnitsReceived { product, serials, by: organisation });
			Ok(())
		}

		/// Recalls `lot` of `product`: none of its units may be shipped or dispensed again.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::recall_lot())]
		pub fn recall_lot(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			lot: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_overseer(&who, organisation, &product)?;
			let lot = Self::validated_lot(lot)?;
			let mut record = Lots::<T>::get(&product, &lot).ok_or(Error::<T>::UnknownLot)?;
			ensure!(record.recalled_at.is_none(), Error::<T>::LotAlreadyRecalled);
			record.recalled_at = Some(T::Time::now());
			Lots::<T>::insert(&product, &lot, record);
			Self::deposit_event(Event::LotRecalled { product, lot, by: organisation });
			Ok(())
		}

		/// Flags a unit as suspect for `reason`: it is quarantined, and moves nowhere until it
		/// is cleared or confirmed illegitimate. The caller acts for a regulator, or for a
		/// trading partner that holds the unit, has it in transit to it, or handled it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::flag_suspect())]
		pub fn flag_suspect(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serial: Vec<u8>,
			reason: SuspectReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let regulator = Self::role(&who, organisation)? == TradeRole::Regulator;
			let handled_by_caller = |unit: &UnitOf<T>| {
				let handled = unit.custodian == organisation ||
					matches!(&unit.status, UnitStatus::InTransit { to, .. } if *to == organisation) ||
					unit.history.iter().any(|step| step.by == organisation);
				ensure!(regulator || handled, Error::<T>::NotHandler);
				Ok(())
			};
			let serial =
				Self::rule_on_unit(&product, serial, organisation, BusinessStep::Quarantined, handled_by_caller)?;
			Self::deposit_event(Event::UnitQuarantined { product, serial, by: organisation, reason });
			Ok(())
		}

		/// Clears a quarantined unit: it goes on where it was.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::clear_suspect())]
		pub fn clear_suspect(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serial: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_overseer(&who, organisation, &product)?;
			let serial = Self::rule_on_unit(&product, serial, organisation, BusinessStep::Cleared, |_| Ok(()))?;
			Self::deposit_event(Event::UnitCleared { product, serial, by: organisation });
			Ok(())
		}

		/// Confirms a quarantined unit illegitimate (counterfeit, diverted, stolen): it is
		/// decommissioned.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::confirm_illegitimate())]
		pub fn confirm_illegitimate(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serial: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_overseer(&who, organisation, &product)?;
			let serial = Self::rule_on_unit(&product, serial, organisation, BusinessStep::ConfirmedIllegitimate, |_| Ok(()))?;
			Self::deposit_event(Event::UnitConfirmedIllegitimate { product, serial, by: organisation });
			Ok(())
		}

		/// Ships units of `product` in `organisation`'s stock back to `to` as a return (also
		/// units of a recalled lot, so that they go back).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::return_units(serials.len() as u32))]
		pub fn return_units(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serials: Vec<Vec<u8>>,
			to: T::OrganisationId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let serials = Self::dispatch_shipment(&who, organisation, &product, serials, to, true)?;
			Self::deposit_event(Event::UnitsReturned { product, serials, from: organisation, to });
			Ok(())
		}

		/// Verifies a returned unit against the lot and expiry on its pack and takes it back
		/// into `organisation`'s stock. It is saleable again only if its lot is not recalled
		/// and it has not expired.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::accept_return())]
		pub fn accept_return(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serial: Vec<u8>,
			lot: Vec<u8>,
			expires_at: Moment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::trader(&who, organisation)?;
			let serial = Self::validated_serial(serial)?;
			let lot = Self::validated_lot(lot)?;
			let mut unit = Units::<T>::get(&product, &serial).ok_or(Error::<T>::UnknownUnit)?;
			ensure!(
				unit.status == UnitStatus::InTransit { to: organisation, returning: true },
				Error::<T>::NotAReturn
			);
			ensure!(!unit.quarantined, Error::<T>::UnitQuarantined);
			let record = Lots::<T>::get(&product, &unit.lot).ok_or(Error::<T>::UnknownLot)?;
			ensure!(unit.lot == lot && record.expires_at == expires_at, Error::<T>::IdentifiersMismatch);
			let now = T::Time::now();
			unit.custodian = organisation;
			unit.status = UnitStatus::InStock;
			Self::record_step(&mut unit, BusinessStep::ReturnAccepted, organisation, now);
			Units::<T>::insert(&product, &serial, unit);
			let saleable = record.recalled_at.is_none() && now < record.expires_at;
			Self::deposit_event(Event::ReturnAccepted { product, serial, by: organisation, saleable });
			Ok(())
		}

		/// Destroys units of `product` in `organisation`'s stock: they are decommissioned.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::destroy_units(serials.len() as u32))]
		pub fn destroy_units(
			origin: OriginFor<T>,
			organisation: T::OrganisationId,
			product: ProductCode,
			serials: Vec<Vec<u8>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::trader(&who, organisation)?;
			let serials = Self::validated_serials(serials, T::MaxUnitsPerCall::get())?;
			let now = T::Time::now();
			for serial in &serials {
				let mut unit = Self::stock_unit(&product, serial, organisation)?;
				unit.status = UnitStatus::Destroyed;
				Self::record_step(&mut unit, BusinessStep::Destroyed, organisation, now);
				Units::<T>::insert(&product, serial, unit);
			}
			Self::deposit_event(Event::UnitsDestroyed { product, serials, by: organisation });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Dispenses units of `product` from `dispenser`'s stock, decommissioning them: each
		/// must be in the dispenser's stock, not quarantined, its lot not recalled and not
		/// expired. For the prescriptions pallet, which checks who dispenses and for whom.
		pub fn dispense_units(
			dispenser: T::OrganisationId,
			product: &ProductCode,
			serials: &[SerialNumber],
		) -> DispatchResult {
			// All or nothing, also when called outside a dispatch.
			frame_support::storage::with_storage_layer(|| Self::do_dispense_units(dispenser, product, serials))
		}

		fn do_dispense_units(
			dispenser: T::OrganisationId,
			product: &ProductCode,
			serials: &[SerialNumber],
		) -> DispatchResult {
			ensure!(T::Partners::role_of(dispenser) == Some(TradeRole::Dispenser), Error::<T>::NotDispenser);
			ensure!(!serials.is_empty(), Error::<T>::EmptyBatch);
			ensure!(serials.len() as u32 <= T::MaxUnitsPerCall::get(), Error::<T>::BatchTooLarge);
			let now = T::Time::now();
			for serial in serials {
				let mut unit = Self::stock_unit(product, serial, dispenser)?;
				let lot = Lots::<T>::get(product, &unit.lot).ok_or(Error::<T>::UnknownLot)?;
				ensure!(lot.recalled_at.is_none(), Error::<T>::LotRecalled);
				ensure!(now < lot.expires_at, Error::<T>::UnitExpired);
				unit.status = UnitStatus::Dispensed;
				Self::record_step(&mut unit, BusinessStep::Dispensed, dispenser, now);
				Units::<T>::insert(product, serial, unit);
			}
			Self::deposit_event(Event::UnitsDispensed {
				product: product.clone(),
				serials: serials.to_vec(),
				by: dispenser,
			});
			Ok(())
		}

		/// Whether a unit with `serial` of `product` is genuine, who holds it, and whether it
		/// may be dispensed; `lot` and `expires_at`, if given, are checked against the chain.
		pub fn verify(
			product: &ProductCode,
			serial: &SerialNumber,
			lot: Option<LotNumber>,
			expires_at: Option<Moment>,
		) -> Verification<T::OrganisationId> {
			let unit = Units::<T>::get(product, serial);
			let record = unit.as_ref().and_then(|unit| Lots::<T>::get(product, &unit.lot));
			let (Some(unit), Some(record)) = (unit, record) else {
				return Verification {
					genuine: false,
					commissioned: false,
					custodian: None,
					status: None,
					quarantined: false,
					recalled: false,
					expired: false,
					lot: None,
					expires_at: None,
					dispensable: false,
				};
			};
			let matches = lot.map_or(true, |lot| lot == unit.lot) &&
				expires_at.map_or(true, |expiry| expiry == record.expires_at);
			let recalled = record.recalled_at.is_some();
			let expired = T::Time::now() >= record.expires_at;
			Verification {
				genuine: matches,
				commissioned: true,
				custodian: Some(unit.custodian),
				dispensable: matches &&
					unit.status == UnitStatus::InStock &&
					!unit.quarantined && !recalled && !expired,
				status: Some(unit.status),
				quarantined: unit.quarantined,
				recalled,
				expired,
				lot: Some(unit.lot),
				expires_at: Some(record.expires_at),
			}
		}

		/// The trade role `who` plays for `organisation`.
		fn role(who: &T::AccountId, organisation: T::OrganisationId) -> Result<TradeRole, DispatchError> {
			Ok(T::Partners::acts_for(who, organisation).ok_or(Error::<T>::NotTradingPartner)?)
		}

		/// `who` acts for `organisation`, which trades (a regulator does not hold stock).
		fn trader(who: &T::AccountId, organisation: T::OrganisationId) -> Result<TradeRole, DispatchError> {
			let role = Self::role(who, organisation)?;
			ensure!(role != TradeRole::Regulator, Error::<T>::NotTradingPartner);
			Ok(role)
		}

		/// `who` acts for `product`'s manufacturer or for a regulator.
		fn ensure_overseer(
			who: &T::AccountId,
			organisation: T::OrganisationId,
			product: &ProductCode,
		) -> DispatchResult {
			let role = Self::role(who, organisation)?;
			let registered = Products::<T>::get(product).ok_or(Error::<T>::UnknownProduct)?;
			let oversees = role == TradeRole::Regulator ||
				(role == TradeRole::Manufacturer && registered.manufacturer == organisation);
			ensure!(oversees, Error::<T>::NotManufacturerOrRegulator);
			Ok(())
		}

		/// Ships or returns units from `organisation` to `to`.
		fn dispatch_shipment(
			who: &T::AccountId,
			organisation: T::OrganisationId,
			product: &ProductCode,
			serials: Vec<Vec<u8>>,
			to: T::OrganisationId,
			returning: bool,
		) -> Result<Vec<SerialNumber>, DispatchError> {
			Self::trader(who, organisation)?;
			let recipient = T::Partners::role_of(to);
			ensure!(
				recipient.is_some() && recipient != Some(TradeRole::Regulator),
				Error::<T>::RecipientNotTradingPartner
			);
			ensure!(to != organisation, Error::<T>::ShipToSelf);
			let serials = Self::validated_serials(serials, T::MaxUnitsPerCall::get())?;
			let now = T::Time::now();
			let step = if returning { BusinessStep::Returned } else { BusinessStep::Shipped };
			for serial in &serials {
				let mut unit = Self::stock_unit(product, serial, organisation)?;
				if !returning {
					let recalled = Lots::<T>::get(product, &unit.lot).is_some_and(|l| l.recalled_at.is_some());
					ensure!(!recalled, Error::<T>::LotRecalled);
				}
				unit.status = UnitStatus::InTransit { to, returning };
				Self::record_step(&mut unit, step, organisation, now);
				Units::<T>::insert(product, serial, unit);
			}
			Ok(serials)
		}

		/// A unit in `custodian`'s stock, not quarantined.
		fn stock_unit(
			product: &ProductCode,
			serial: &SerialNumber,
			custodian: T::OrganisationId,
		) -> Result<UnitOf<T>, DispatchError> {
			let unit = Units::<T>::get(product, serial).ok_or(Error::<T>::UnknownUnit)?;
			ensure!(unit.custodian == custodian, Error::<T>::NotCustodian);
			match unit.status {
				UnitStatus::InStock => {},
				UnitStatus::Dispensed => return Err(Error::<T>::AlreadyDispensed.into()),
				UnitStatus::Destroyed | UnitStatus::Illegitimate =>
					return Err(Error::<T>::UnitDecommissioned.into()),
				UnitStatus::InTransit { .. } => return Err(Error::<T>::NotInStock.into()),
			}
			ensure!(!unit.quarantined, Error::<T>::UnitQuarantined);
			Ok(unit)
		}

		/// Quarantines (`Quarantined`), clears (`Cleared`) or decommissions
		/// (`ConfirmedIllegitimate`) a live unit that `may_rule` lets the caller rule on, and records
		/// the step.
		fn rule_on_unit(
			product: &ProductCode,
			serial: Vec<u8>,
			organisation: T::OrganisationId,
			step: BusinessStep,
			may_rule: impl FnOnce(&UnitOf<T>) -> DispatchResult,
		) -> Result<SerialNumber, DispatchError> {
			let serial = Self::validated_serial(serial)?;
			let mut unit = Self::live_unit(product, &serial)?;
			may_rule(&unit)?;
			if step == BusinessStep::Quarantined {
				ensure!(!unit.quarantined, Error::<T>::AlreadyQuarantined);
			} else {
				ensure!(unit.quarantined, Error::<T>::NotQuarantined);
			}
			unit.quarantined = step == BusinessStep::Quarantined;
			if step == BusinessStep::ConfirmedIllegitimate {
				unit.status = UnitStatus::Illegitimate;
			}
			Self::record_step(&mut unit, step, organisation, T::Time::now());
			Units::<T>::insert(product, &serial, unit);
			Ok(serial)
		}

		/// A unit that has not been decommissioned.
		fn live_unit(product: &ProductCode, serial: &SerialNumber) -> Result<UnitOf<T>, DispatchError> {
			let unit = Units::<T>::get(product, serial).ok_or(Error::<T>::UnknownUnit)?;
			match unit.status {
				UnitStatus::Dispensed => Err(Error::<T>::AlreadyDispensed.into()),
				UnitStatus::Destroyed | UnitStatus::Illegitimate => Err(Error::<T>::UnitDecommissioned.into()),
				UnitStatus::InStock | UnitStatus::InTransit { .. } => Ok(unit),
			}
		}

		/// Appends a step to a unit's history, forgetting the oldest once it is full.
		fn record_step(unit: &mut UnitOf<T>, step: BusinessStep, by: T::OrganisationId, at: Moment) {
			if unit.history.is_full() {
				unit.history.remove(0);
			}
			// Room was made above.
			let _ = unit.history.try_push(Step { step, by, at });
			unit.steps = unit.steps.saturating_add(1);
		}

		fn validated_lot(lot: Vec<u8>) -> Result<LotNumber, DispatchError> {
			ensure!(identifier_is_valid(&lot), Error::<T>::InvalidLot);
			Ok(LotNumber::try_from(lot).map_err(|_| Error::<T>::InvalidLot)?)
		}

		fn validated_serial(serial: Vec<u8>) -> Result<SerialNumber, DispatchError> {
			ensure!(identifier_is_valid(&serial), Error::<T>::InvalidSerial);
			Ok(SerialNumber::try_from(serial).map_err(|_| Error::<T>::InvalidSerial)?)
		}

		/// A batch of serials, checked: 1 to `max` of them, each valid.
		fn validated_serials(serials: Vec<Vec<u8>>, max: u32) -> Result<Vec<SerialNumber>, DispatchError> {
			ensure!(!serials.is_empty(), Error::<T>::EmptyBatch);
			ensure!(serials.len() as u32 <= max, Error::<T>::BatchTooLarge);
			serials.into_iter().map(Self::validated_serial).collect()
		}

		/// Checks that the lots' unit counts agree with the units, and that every unit's lot
		/// and product exist: the pallet's `try_state`, also run by its tests.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut per_lot = BTreeMap::<(ProductCode, LotNumber), u32>::new();
			for (product, _, unit) in Units::<T>::iter() {
				ensure!(Products::<T>::contains_key(&product), "a unit of no product");
				ensure!(unit.history.len() as u32 <= unit.steps, "a unit's history is longer than its steps");
				ensure!(!unit.history.is_empty(), "a unit without history");
				if let UnitStatus::InTransit { to, .. } = unit.status {
					ensure!(to != unit.custodian, "a unit in transit to its own custodian");
				}
				*per_lot.entry((product, unit.lot)).or_default() += 1;
			}
			for (product, lot, record) in Lots::<T>::iter() {
				ensure!(Products::<T>::contains_key(&product), "a lot of no product");
				ensure!(
					per_lot.remove(&(product, lot)) == Some(record.units),
					"a lot's unit count disagrees with its units"
				);
			}
			ensure!(per_lot.is_empty(), "units of a lot that does not exist");
			Ok(())
		}
	}
}
