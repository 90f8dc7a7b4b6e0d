//! Tests of the provenance pallet: every call's success, each of its errors and each refused
//! trade role, expiry and recall at the boundary, and verification. Every test ends with the
//! pallet's `try_state` check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchError;

const MAKER: AccountId = 10;
const WHOLESALER: AccountId = 20;
const PHARMACIST: AccountId = 30;
const OTHER_PHARMACIST: AccountId = 40;
const RIVAL: AccountId = 50;
const INSPECTOR: AccountId = 90;
const STRANGER: AccountId = 99;

const MANUFACTURER: OrganisationId = 1;
const DISTRIBUTOR: OrganisationId = 2;
const PHARMACY: OrganisationId = 3;
const OTHER_PHARMACY: OrganisationId = 4;
const RIVAL_MANUFACTURER: OrganisationId = 5;
const UNKNOWN_ORGANISATION: OrganisationId = 8;
const REGULATOR: OrganisationId = 9;

const GTIN: ProductCode = ProductCode::Gtin(9_506_000_134_352);
const OTHER_GTIN: ProductCode = ProductCode::Gtin(4_006_381_333_931);
const YEAR: Moment = 365 * 24 * 3_600_000;
const EXPIRY: Moment = NOW + YEAR;

type DispatchResult = Result<(), DispatchError>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn s(id: &str) -> Vec<u8> {
	id.as_bytes().to_vec()
}

fn serials(ids: &[&str]) -> Vec<Vec<u8>> {
	ids.iter().map(|id| s(id)).collect()
}

fn serial(id: &str) -> SerialNumber {
	SerialNumber::try_from(s(id)).unwrap()
}

fn lot(id: &str) -> LotNumber {
	LotNumber::try_from(s(id)).unwrap()
}

fn supply_chain() {
	partners(|p| {
		p.organisations.extend([
			(MANUFACTURER, TradeRole::Manufacturer),
			(DISTRIBUTOR, TradeRole::Distributor),
			(PHARMACY, TradeRole::Dispenser),
			(OTHER_PHARMACY, TradeRole::Dispenser),
			(RIVAL_MANUFACTURER, TradeRole::Manufacturer),
			(REGULATOR, TradeRole::Regulator),
		]);
		p.agents.extend([
			(MAKER, vec![MANUFACTURER]),
			(WHOLESALER, vec![DISTRIBUTOR]),
			(PHARMACIST, vec![PHARMACY]),
			(OTHER_PHARMACIST, vec![OTHER_PHARMACY]),
			(RIVAL, vec![RIVAL_MANUFACTURER]),
			(INSPECTOR, vec![REGULATOR]),
		]);
	});
}

fn run(test: impl FnOnce()) {
	run_test(|| {
		supply_chain();
		assert_ok!(Provenance::register_product(
			signed(MAKER),
			MANUFACTURER,
			GTIN,
			ProductKind::Drug,
			H256::repeat_byte(1),
			false
		));
		test();
	})
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::Provenance(e) = r.event { Some(e) } else { None })
		.expect("a provenance event")
}

fn commission(lot_id: &str, ids: &[&str]) {
	assert_ok!(Provenance::commission_serials(signed(MAKER), MANUFACTURER, GTIN, s(lot_id), EXPIRY, serials(ids)));
}

fn ship(who: AccountId, from: OrganisationId, ids: &[&str], to: OrganisationId) -> DispatchResult {
	Provenance::ship_units(signed(who), from, GTIN, serials(ids), to)
}

fn receive(who: AccountId, at: OrganisationId, ids: &[&str]) -> DispatchResult {
	Provenance::receive_units(signed(who), at, GTIN, serials(ids))
}

/// Units `ids` of lot L1, moved from the manufacturer through the distributor to the pharmacy.
fn at_pharmacy(ids: &[&str]) {
	commission("L1", ids);
	assert_ok!(ship(MAKER, MANUFACTURER, ids, DISTRIBUTOR));
	assert_ok!(receive(WHOLESALER, DISTRIBUTOR, ids));
	assert_ok!(ship(WHOLESALER, DISTRIBUTOR, ids, PHARMACY));
	assert_ok!(receive(PHARMACIST, PHARMACY, ids));
}

fn unit(id: &str) -> UnitOf<Test> {
	Units::<Test>::get(GTIN, serial(id)).expect("a unit")
}

fn dispense(at: OrganisationId, ids: &[&str]) -> DispatchResult {
	let ids: Vec<SerialNumber> = ids.iter().map(|id| serial(id)).collect();
	Provenance::dispense_units(at, &GTIN, &ids)
}

#[test]
fn gtins_are_checked_with_their_gs1_check_digit() {
	for gtin in [9_506_000_134_352, 4_006_381_333_931, 614_141_000_036, 96_385_074, 12_345_678_901_231] {
		assert!(gtin_is_valid(gtin), "{gtin}");
	}
	for gtin in [0, 9_506_000_134_353, 100_000_000_000_000, 96_385_075] {
		assert!(!gtin_is_valid(gtin), "{gtin}");
	}
	assert!(ProductCode::UdiDi(s("+H123PARTNO1").try_into().unwrap()).is_valid());
	assert!(!ProductCode::UdiDi(Default::default()).is_valid());
	assert!(!ProductCode::UdiDi(s("A B").try_into().unwrap()).is_valid());
}

mod register_product {
	use super::*;

	fn register(who: AccountId, organisation: OrganisationId, product: ProductCode) -> DispatchResult {
		Provenance::register_product(signed(who), organisation, product, ProductKind::Device, H256::repeat_byte(2), true)
	}

	#[test]
	fn a_manufacturer_registers_a_product() {
		run(|| {
			let udi = ProductCode::UdiDi(s("+H123PARTNO1").try_into().unwrap());
			assert_ok!(register(MAKER, MANUFACTURER, udi.clone()));
			assert_eq!(
				Products::<Test>::get(&udi).unwrap(),
				Product {
					manufacturer: MANUFACTURER,
					kind: ProductKind::Device,
					metadata_hash: H256::repeat_byte(2),
					controlled: true
				}
			);
			assert_eq!(
				last_event(),
				Event::ProductRegistered {
					product: udi,
					manufacturer: MANUFACTURER,
					kind: ProductKind::Device,
					controlled: true
				}
			);
		});
	}

	#[test]
	fn refuses_others_bad_codes_and_duplicates() {
		run(|| {
			assert_noop!(register(STRANGER, MANUFACTURER, OTHER_GTIN), Error::<Test>::NotTradingPartner);
			assert_noop!(register(MAKER, DISTRIBUTOR, OTHER_GTIN), Error::<Test>::NotTradingPartner);
			assert_noop!(register(WHOLESALER, DISTRIBUTOR, OTHER_GTIN), Error::<Test>::NotManufacturer);
			assert_noop!(register(INSPECTOR, REGULATOR, OTHER_GTIN), Error::<Test>::NotManufacturer);
			assert_noop!(
				register(MAKER, MANUFACTURER, ProductCode::Gtin(9_506_000_134_353)),
				Error::<Test>::InvalidProductCode
			);
			assert_noop!(register(MAKER, MANUFACTURER, GTIN), Error::<Test>::ProductExists);
		});
	}
}

mod commission_serials {
	use super::*;

	fn try_commission(who: AccountId, product: ProductCode, lot_id: Vec<u8>, expiry: Moment, ids: Vec<Vec<u8>>) -> DispatchResult {
		Provenance::commission_serials(signed(who), MANUFACTURER, product, lot_id, expiry, ids)
	}

	#[test]
	fn commissions_a_thousand_serials_in_one_call() {
		run(|| {
			let ids: Vec<Vec<u8>> = (0..1_000).map(|i| format!("SN{i:06}").into_bytes()).collect();
			assert_ok!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, ids.clone()));
			assert_eq!(Lots::<Test>::get(GTIN, lot("L1")).unwrap(), Lot { expires_at: EXPIRY, recalled_at: None, units: 1_000 });
			let first = unit("SN000000");
			assert_eq!((first.lot, first.custodian, first.status, first.quarantined), (lot("L1"), MANUFACTURER, UnitStatus::InStock, false));
			assert_eq!(first.steps, 1);
			assert_eq!(first.history.to_vec(), vec![Step { step: BusinessStep::Commissioned, by: MANUFACTURER, at: NOW }]);
			assert!(matches!(last_event(), Event::SerialsCommissioned { serials, .. } if serials.len() == 1_000));
			// The same lot again, with its own expiry, adds to it.
			assert_ok!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, serials(&["X1"])));
			assert_eq!(Lots::<Test>::get(GTIN, lot("L1")).unwrap().units, 1_001);
		});
	}

	#[test]
	fn refuses_others_and_products_of_other_manufacturers() {
		run(|| {
			assert_ok!(Provenance::register_product(
				signed(RIVAL),
				RIVAL_MANUFACTURER,
				OTHER_GTIN,
				ProductKind::Drug,
				H256::zero(),
				false
			));
			assert_noop!(try_commission(WHOLESALER, GTIN, s("L1"), EXPIRY, serials(&["A"])), Error::<Test>::NotTradingPartner);
			assert_noop!(
				Provenance::commission_serials(signed(WHOLESALER), DISTRIBUTOR, GTIN, s("L1"), EXPIRY, serials(&["A"])),
				Error::<Test>::NotManufacturer
			);
			assert_noop!(try_commission(MAKER, OTHER_GTIN, s("L1"), EXPIRY, serials(&["A"])), Error::<Test>::NotProductManufacturer);
			assert_noop!(
				try_commission(MAKER, ProductCode::Gtin(96_385_074), s("L1"), EXPIRY, serials(&["A"])),
				Error::<Test>::UnknownProduct
			);
		});
	}

	#[test]
	fn validates_the_lot_the_expiry_and_the_serials() {
		run(|| {
			assert_noop!(try_commission(MAKER, GTIN, vec![], EXPIRY, serials(&["A"])), Error::<Test>::InvalidLot);
			assert_noop!(try_commission(MAKER, GTIN, vec![b'L'; 21], EXPIRY, serials(&["A"])), Error::<Test>::InvalidLot);
			assert_noop!(try_commission(MAKER, GTIN, s("L 1"), EXPIRY, serials(&["A"])), Error::<Test>::InvalidLot);
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), NOW, serials(&["A"])), Error::<Test>::ExpiryInPast);
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, vec![]), Error::<Test>::EmptyBatch);
			let too_many: Vec<Vec<u8>> = (0..1_001).map(|i| format!("{i}").into_bytes()).collect();
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, too_many), Error::<Test>::BatchTooLarge);
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, vec![vec![b'S'; 21]]), Error::<Test>::InvalidSerial);
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, serials(&["A", "bad\n"])), Error::<Test>::InvalidSerial);
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, serials(&["A", "A"])), Error::<Test>::SerialExists);
			assert_ok!(try_commission(MAKER, GTIN, s("L1"), NOW + 1, serials(&["A"])));
			assert_noop!(try_commission(MAKER, GTIN, s("L2"), EXPIRY, serials(&["A"])), Error::<Test>::SerialExists);
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), EXPIRY, serials(&["B"])), Error::<Test>::LotExpiryMismatch);
			assert_ok!(Provenance::recall_lot(signed(MAKER), MANUFACTURER, GTIN, s("L1")));
			assert_noop!(try_commission(MAKER, GTIN, s("L1"), NOW + 1, serials(&["B"])), Error::<Test>::LotRecalled);
		});
	}
}

mod custody {
	use super::*;

	#[test]
	fn units_move_from_manufacturer_to_pharmacy() {
		run(|| {
			commission("L1", &["A", "B"]);
			assert_ok!(ship(MAKER, MANUFACTURER, &["A", "B"], DISTRIBUTOR));
			assert_eq!(unit("A").status, UnitStatus::InTransit { to: DISTRIBUTOR, returning: false });
			assert_eq!(unit("A").custodian, MANUFACTURER);
			assert_eq!(
				last_event(),
				Event::UnitsShipped { product: GTIN, serials: vec![serial("A"), serial("B")], from: MANUFACTURER, to: DISTRIBUTOR }
			);
			assert_ok!(receive(WHOLESALER, DISTRIBUTOR, &["A", "B"]));
			let a = unit("A");
			assert_eq!((a.custodian, a.status, a.steps), (DISTRIBUTOR, UnitStatus::InStock, 3));
			assert_eq!(
				a.history.iter().map(|s| s.step).collect::<Vec<_>>(),
				vec![BusinessStep::Commissioned, BusinessStep::Shipped, BusinessStep::Received]
			);
			assert_eq!(last_event(), Event::UnitsReceived { product: GTIN, serials: vec![serial("A"), serial("B")], by: DISTRIBUTOR });
		});
	}

	#[test]
	fn a_unit_keeps_its_latest_steps() {
		run(|| {
			at_pharmacy(&["A"]);
			assert_ok!(Provenance::flag_suspect(signed(PHARMACIST), PHARMACY, GTIN, s("A"), SuspectReason::Counterfeit));
			let a = unit("A");
			assert_eq!(a.steps, 6);
			assert_eq!(
				a.history.iter().map(|s| (s.step, s.by)).collect::<Vec<_>>(),
				vec![
					(BusinessStep::Received, DISTRIBUTOR),
					(BusinessStep::Shipped, DISTRIBUTOR),
					(BusinessStep::Received, PHARMACY),
					(BusinessStep::Quarantined, PHARMACY)
				]
			);
		});
	}

	#[test]
	fn shipping_refuses_others_bad_recipients_and_units_not_in_stock() {
		run(|| {
			commission("L1", &["A", "B", "C", "D", "E"]);
			assert_noop!(ship(STRANGER, MANUFACTURER, &["A"], DISTRIBUTOR), Error::<Test>::NotTradingPartner);
			assert_noop!(ship(INSPECTOR, REGULATOR, &["A"], DISTRIBUTOR), Error::<Test>::NotTradingPartner);
			assert_noop!(ship(MAKER, MANUFACTURER, &["A"], UNKNOWN_ORGANISATION), Error::<Test>::RecipientNotTradingPartner);
			assert_noop!(ship(MAKER, MANUFACTURER, &["A"], REGULATOR), Error::<Test>::RecipientNotTradingPartner);
			assert_noop!(ship(MAKER, MANUFACTURER, &["A"], MANUFACTURER), Error::<Test>::ShipToSelf);
			assert_noop!(ship(MAKER, MANUFACTURER, &[], DISTRIBUTOR), Error::<Test>::EmptyBatch);
			assert_noop!(ship(MAKER, MANUFACTURER, &["A", "B", "C", "D", "E"], DISTRIBUTOR), Error::<Test>::BatchTooLarge);
			assert_noop!(ship(MAKER, MANUFACTURER, &["A", "Z"], DISTRIBUTOR), Error::<Test>::UnknownUnit);
			assert_noop!(ship(WHOLESALER, DISTRIBUTOR, &["A"], PHARMACY), Error::<Test>::NotCustodian);
			assert_ok!(ship(MAKER, MANUFACTURER, &["A"], DISTRIBUTOR));
			assert_noop!(ship(MAKER, MANUFACTURER, &["A"], PHARMACY), Error::<Test>::NotInStock);
			assert_ok!(Provenance::flag_suspect(signed(INSPECTOR), REGULATOR, GTIN, s("B"), SuspectReason::Counterfeit));
			assert_noop!(ship(MAKER, MANUFACTURER, &["B"], DISTRIBUTOR), Error::<Test>::UnitQuarantined);
			assert_ok!(Provenance::recall_lot(signed(INSPECTOR), REGULATOR, GTIN, s("L1")));
			assert_noop!(ship(MAKER, MANUFACTURER, &["C"], DISTRIBUTOR), Error::<Test>::LotRecalled);
		});
	}

	#[test]
	fn receiving_refuses_what_was_not_shipped_to_you() {
		run(|| {
			commission("L1", &["A", "B", "C"]);
			assert_ok!(ship(MAKER, MANUFACTURER, &["A", "B"], DISTRIBUTOR));
			assert_noop!(receive(STRANGER, DISTRIBUTOR, &["A"]), Error::<Test>::NotTradingPartner);
			assert_noop!(receive(PHARMACIST, PHARMACY, &["A"]), Error::<Test>::NotInTransitToYou);
			assert_noop!(receive(WHOLESALER, DISTRIBUTOR, &["C"]), Error::<Test>::NotInTransitToYou);
			assert_noop!(receive(WHOLESALER, DISTRIBUTOR, &["Z"]), Error::<Test>::UnknownUnit);
			assert_noop!(receive(WHOLESALER, DISTRIBUTOR, &["A", "bad serial"]), Error::<Test>::InvalidSerial);
			assert_ok!(Provenance::flag_suspect(signed(WHOLESALER), DISTRIBUTOR, GTIN, s("B"), SuspectReason::Counterfeit));
			assert_noop!(receive(WHOLESALER, DISTRIBUTOR, &["B"]), Error::<Test>::UnitQuarantined);
		});
	}
}

mod recall_lot {
	use super::*;

	#[test]
	fn the_manufacturer_or_a_regulator_recalls_a_lot() {
		run(|| {
			commission("L1", &["A"]);
			commission("L2", &["B"]);
			set_now(NOW + 5);
			assert_ok!(Provenance::recall_lot(signed(MAKER), MANUFACTURER, GTIN, s("L1")));
			assert_eq!(Lots::<Test>::get(GTIN, lot("L1")).unwrap().recalled_at, Some(NOW + 5));
			assert_eq!(last_event(), Event::LotRecalled { product: GTIN, lot: lot("L1"), by: MANUFACTURER });
			assert_ok!(Provenance::recall_lot(signed(INSPECTOR), REGULATOR, GTIN, s("L2")));
		});
	}

	#[test]
	fn refuses_others_unknown_and_recalled_lots() {
		run(|| {
			commission("L1", &["A"]);
			for (who, organisation) in [(WHOLESALER, DISTRIBUTOR), (PHARMACIST, PHARMACY), (RIVAL, RIVAL_MANUFACTURER)] {
				assert_noop!(
					Provenance::recall_lot(signed(who), organisation, GTIN, s("L1")),
					Error::<Test>::NotManufacturerOrRegulator
				);
			}
			assert_noop!(Provenance::recall_lot(signed(STRANGER), REGULATOR, GTIN, s("L1")), Error::<Test>::NotTradingPartner);
			assert_noop!(Provenance::recall_lot(signed(INSPECTOR), REGULATOR, OTHER_GTIN, s("L1")), Error::<Test>::UnknownProduct);
			assert_noop!(Provenance::recall_lot(signed(INSPECTOR), REGULATOR, GTIN, s("L9")), Error::<Test>::UnknownLot);
			assert_noop!(Provenance::recall_lot(signed(INSPECTOR), REGULATOR, GTIN, vec![]), Error::<Test>::InvalidLot);
			assert_ok!(Provenance::recall_lot(signed(INSPECTOR), REGULATOR, GTIN, s("L1")));
			assert_noop!(Provenance::recall_lot(signed(MAKER), MANUFACTURER, GTIN, s("L1")), Error::<Test>::LotAlreadyRecalled);
		});
	}
}

mod suspect_units {
	use super::*;

	fn flag(who: AccountId, organisation: OrganisationId, id: &str) -> DispatchResult {
		Provenance::flag_suspect(signed(who), organisation, GTIN, s(id), SuspectReason::Diverted)
	}

	#[test]
	fn a_partner_that_handled_the_unit_flags_and_the_manufacturer_clears() {
		run(|| {
			at_pharmacy(&["A"]);
			assert_ok!(flag(PHARMACIST, PHARMACY, "A"));
			assert!(unit("A").quarantined);
			assert_eq!(
				last_event(),
				Event::UnitQuarantined { product: GTIN, serial: serial("A"), by: PHARMACY, reason: SuspectReason::Diverted }
			);
			assert_ok!(Provenance::clear_suspect(signed(MAKER), MANUFACTURER, GTIN, s("A")));
			assert!(!unit("A").quarantined);
			assert_eq!(unit("A").status, UnitStatus::InStock);
			assert_eq!(last_event(), Event::UnitCleared { product: GTIN, serial: serial("A"), by: MANUFACTURER });
			// The distributor handled it on its way, so it may flag it too.
			assert_ok!(flag(WHOLESALER, DISTRIBUTOR, "A"));
		});
	}

	#[test]
	fn a_partner_that_never_handled_the_unit_cannot_quarantine_it() {
		run(|| {
			commission("L1", &["A", "B"]);
			// The pharmacy has never seen either unit: a competitor cannot freeze stock.
			assert_noop!(flag(PHARMACIST, PHARMACY, "A"), Error::<Test>::NotHandler);
			assert_noop!(flag(RIVAL, RIVAL_MANUFACTURER, "A"), Error::<Test>::NotHandler);
			// The recipient of a shipment may, while it is on its way.
			assert_ok!(ship(MAKER, MANUFACTURER, &["A"], DISTRIBUTOR));
			assert_ok!(flag(WHOLESALER, DISTRIBUTOR, "A"));
			// A regulator may flag any unit.
			assert_ok!(flag(INSPECTOR, REGULATOR, "B"));
		});
	}

	#[test]
	fn a_regulator_confirms_a_unit_illegitimate() {
		run(|| {
			commission("L1", &["A"]);
			assert_ok!(flag(INSPECTOR, REGULATOR, "A"));
			assert_ok!(Provenance::confirm_illegitimate(signed(INSPECTOR), REGULATOR, GTIN, s("A")));
			let a = unit("A");
			assert_eq!((a.status, a.quarantined), (UnitStatus::Illegitimate, false));
			assert_eq!(last_event(), Event::UnitConfirmedIllegitimate { product: GTIN, serial: serial("A"), by: REGULATOR });
			assert_noop!(flag(PHARMACIST, PHARMACY, "A"), Error::<Test>::UnitDecommissioned);
			assert_noop!(ship(MAKER, MANUFACTURER, &["A"], DISTRIBUTOR), Error::<Test>::UnitDecommissioned);
		});
	}

	#[test]
	fn refuses_others_and_units_in_the_wrong_state() {
		run(|| {
			at_pharmacy(&["A", "B"]);
			assert_noop!(flag(STRANGER, PHARMACY, "A"), Error::<Test>::NotTradingPartner);
			assert_noop!(flag(PHARMACIST, PHARMACY, "Z"), Error::<Test>::UnknownUnit);
			assert_noop!(flag(PHARMACIST, PHARMACY, ""), Error::<Test>::InvalidSerial);
			assert_noop!(
				Provenance::clear_suspect(signed(MAKER), MANUFACTURER, GTIN, s("A")),
				Error::<Test>::NotQuarantined
			);
			assert_noop!(
				Provenance::confirm_illegitimate(signed(MAKER), MANUFACTURER, GTIN, s("A")),
				Error::<Test>::NotQuarantined
			);
			assert_ok!(flag(PHARMACIST, PHARMACY, "A"));
			assert_noop!(flag(WHOLESALER, DISTRIBUTOR, "A"), Error::<Test>::AlreadyQuarantined);
			for (who, organisation) in [(PHARMACIST, PHARMACY), (WHOLESALER, DISTRIBUTOR), (RIVAL, RIVAL_MANUFACTURER)] {
				assert_noop!(
					Provenance::clear_suspect(signed(who), organisation, GTIN, s("A")),
					Error::<Test>::NotManufacturerOrRegulator
				);
				assert_noop!(
					Provenance::confirm_illegitimate(signed(who), organisation, GTIN, s("A")),
					Error::<Test>::NotManufacturerOrRegulator
				);
			}
			assert_ok!(dispense(PHARMACY, &["B"]));
			assert_noop!(flag(PHARMACIST, PHARMACY, "B"), Error::<Test>::AlreadyDispensed);
		});
	}
}

mod returns {
	use super::*;

	fn send_back(ids: &[&str]) -> DispatchResult {
		Provenance::return_units(signed(PHARMACIST), PHARMACY, GTIN, serials(ids), DISTRIBUTOR)
	}

	fn accept(id: &str, lot_id: &str, expiry: Moment) -> DispatchResult {
		Provenance::accept_return(signed(WHOLESALER), DISTRIBUTOR, GTIN, s(id), s(lot_id), expiry)
	}

	#[test]
	fn a_saleable_return_is_verified_before_it_reenters_stock() {
		run(|| {
			at_pharmacy(&["A"]);
			assert_ok!(send_back(&["A"]));
			assert_eq!(unit("A").status, UnitStatus::InTransit { to: DISTRIBUTOR, returning: true });
			assert_eq!(last_event(), Event::UnitsReturned { product: GTIN, serials: vec![serial("A")], from: PHARMACY, to: DISTRIBUTOR });
			assert_noop!(receive(WHOLESALER, DISTRIBUTOR, &["A"]), Error::<Test>::ReturnNeedsVerification);
			assert_noop!(accept("A", "L2", EXPIRY), Error::<Test>::IdentifiersMismatch);
			assert_noop!(accept("A", "L1", EXPIRY + 1), Error::<Test>::IdentifiersMismatch);
			assert_ok!(accept("A", "L1", EXPIRY));
			let a = unit("A");
			assert_eq!((a.custodian, a.status), (DISTRIBUTOR, UnitStatus::InStock));
			assert_eq!(a.history.last().unwrap().step, BusinessStep::ReturnAccepted);
			assert_eq!(last_event(), Event::ReturnAccepted { product: GTIN, serial: serial("A"), by: DISTRIBUTOR, saleable: true });
		});
	}

	#[test]
	fn recalled_units_go_back_but_are_not_saleable() {
		run(|| {
			at_pharmacy(&["A"]);
			assert_ok!(Provenance::recall_lot(signed(MAKER), MANUFACTURER, GTIN, s("L1")));
			assert_noop!(ship(PHARMACIST, PHARMACY, &["A"], DISTRIBUTOR), Error::<Test>::LotRecalled);
			assert_ok!(send_back(&["A"]));
			assert_ok!(accept("A", "L1", EXPIRY));
			assert!(matches!(last_event(), Event::ReturnAccepted { saleable: false, .. }));
		});
	}

	#[test]
	fn refuses_what_is_not_a_return_to_you() {
		run(|| {
			at_pharmacy(&["A", "B"]);
			assert_ok!(ship(PHARMACIST, PHARMACY, &["B"], DISTRIBUTOR));
			assert_noop!(accept("B", "L1", EXPIRY), Error::<Test>::NotAReturn);
			assert_noop!(accept("A", "L1", EXPIRY), Error::<Test>::NotAReturn);
			assert_noop!(accept("Z", "L1", EXPIRY), Error::<Test>::UnknownUnit);
			assert_noop!(
				Provenance::accept_return(signed(STRANGER), DISTRIBUTOR, GTIN, s("A"), s("L1"), EXPIRY),
				Error::<Test>::NotTradingPartner
			);
			assert_noop!(
				Provenance::accept_return(signed(WHOLESALER), DISTRIBUTOR, GTIN, s("A"), vec![], EXPIRY),
				Error::<Test>::InvalidLot
			);
			assert_ok!(send_back(&["A"]));
			assert_ok!(Provenance::flag_suspect(signed(WHOLESALER), DISTRIBUTOR, GTIN, s("A"), SuspectReason::Counterfeit));
			assert_noop!(accept("A", "L1", EXPIRY), Error::<Test>::UnitQuarantined);
		});
	}
}

mod decommissioning {
	use super::*;

	#[test]
	fn the_custodian_destroys_units() {
		run(|| {
			commission("L1", &["A", "B"]);
			assert_ok!(Provenance::destroy_units(signed(MAKER), MANUFACTURER, GTIN, serials(&["A"])));
			assert_eq!(unit("A").status, UnitStatus::Destroyed);
			assert_eq!(last_event(), Event::UnitsDestroyed { product: GTIN, serials: vec![serial("A")], by: MANUFACTURER });
			assert_noop!(
				Provenance::destroy_units(signed(MAKER), MANUFACTURER, GTIN, serials(&["A"])),
				Error::<Test>::UnitDecommissioned
			);
			assert_noop!(
				Provenance::destroy_units(signed(WHOLESALER), DISTRIBUTOR, GTIN, serials(&["B"])),
				Error::<Test>::NotCustodian
			);
			assert_noop!(
				Provenance::destroy_units(signed(INSPECTOR), REGULATOR, GTIN, serials(&["B"])),
				Error::<Test>::NotTradingPartner
			);
			assert_ok!(ship(MAKER, MANUFACTURER, &["B"], DISTRIBUTOR));
			assert_noop!(
				Provenance::destroy_units(signed(MAKER), MANUFACTURER, GTIN, serials(&["B"])),
				Error::<Test>::NotInStock
			);
		});
	}

	#[test]
	fn the_custodian_pharmacy_dispenses_a_unit_once() {
		run(|| {
			at_pharmacy(&["A", "B"]);
			assert_ok!(dispense(PHARMACY, &["A"]));
			assert_eq!(unit("A").status, UnitStatus::Dispensed);
			assert_eq!(last_event(), Event::UnitsDispensed { product: GTIN, serials: vec![serial("A")], by: PHARMACY });
			assert_noop!(dispense(PHARMACY, &["A"]), Error::<Test>::AlreadyDispensed);
			// All or nothing: B is not dispensed when A cannot be.
			assert_noop!(dispense(PHARMACY, &["B", "A"]), Error::<Test>::AlreadyDispensed);
			assert_eq!(unit("B").status, UnitStatus::InStock);
			assert_noop!(dispense(OTHER_PHARMACY, &["B"]), Error::<Test>::NotCustodian);
			assert_noop!(dispense(DISTRIBUTOR, &["B"]), Error::<Test>::NotDispenser);
			assert_noop!(dispense(PHARMACY, &["Z"]), Error::<Test>::UnknownUnit);
			assert_noop!(dispense(PHARMACY, &[]), Error::<Test>::EmptyBatch);
			assert_noop!(dispense(PHARMACY, &["B", "C", "D", "E", "F"]), Error::<Test>::BatchTooLarge);
		});
	}

	#[test]
	fn nothing_is_dispensed_at_or_after_expiry_while_recalled_quarantined_or_in_transit() {
		run(|| {
			at_pharmacy(&["A", "B", "C"]);
			set_now(EXPIRY - 1);
			assert_ok!(dispense(PHARMACY, &["A"]));
			set_now(EXPIRY);
			assert_noop!(dispense(PHARMACY, &["B"]), Error::<Test>::UnitExpired);
			set_now(NOW);
			assert_ok!(Provenance::flag_suspect(signed(PHARMACIST), PHARMACY, GTIN, s("B"), SuspectReason::Counterfeit));
			assert_noop!(dispense(PHARMACY, &["B"]), Error::<Test>::UnitQuarantined);
			assert_ok!(ship(PHARMACIST, PHARMACY, &["C"], OTHER_PHARMACY));
			assert_noop!(dispense(PHARMACY, &["C"]), Error::<Test>::NotInStock);
			assert_ok!(receive(OTHER_PHARMACIST, OTHER_PHARMACY, &["C"]));
			assert_ok!(Provenance::recall_lot(signed(MAKER), MANUFACTURER, GTIN, s("L1")));
			assert_noop!(dispense(OTHER_PHARMACY, &["C"]), Error::<Test>::LotRecalled);
		});
	}
}

#[test]
fn verification_answers_genuine_custodian_status_and_dispensability() {
	run(|| {
		at_pharmacy(&["A", "B"]);
		let verify = |id: &str, lot_id: Option<&str>, expiry| Provenance::verify(&GTIN, &serial(id), lot_id.map(lot), expiry);
		let a = verify("A", Some("L1"), Some(EXPIRY));
		assert!(a.genuine && a.commissioned && a.dispensable);
		assert_eq!((a.custodian, a.status, a.lot, a.expires_at), (Some(PHARMACY), Some(UnitStatus::InStock), Some(lot("L1")), Some(EXPIRY)));
		assert!(verify("A", None, None).genuine);
		// A pack printed with another lot or expiry is not genuine.
		assert!(!verify("A", Some("L2"), None).genuine);
		assert!(!verify("A", None, Some(EXPIRY - 1)).dispensable);
		let unknown = verify("Z", None, None);
		assert!(!unknown.genuine && !unknown.commissioned && unknown.custodian.is_none());
		assert_ok!(dispense(PHARMACY, &["A"]));
		let dispensed = verify("A", None, None);
		assert!(dispensed.genuine && !dispensed.dispensable);
		assert_eq!(dispensed.status, Some(UnitStatus::Dispensed));
		assert_ok!(Provenance::flag_suspect(signed(PHARMACIST), PHARMACY, GTIN, s("B"), SuspectReason::Counterfeit));
		assert!(verify("B", None, None).quarantined);
		assert_ok!(Provenance::recall_lot(signed(MAKER), MANUFACTURER, GTIN, s("L1")));
		assert!(verify("B", None, None).recalled);
		set_now(EXPIRY);
		assert!(verify("B", None, None).expired);
	});
}

#[test]
fn try_state_finds_a_lot_count_that_disagrees() {
	new_test_ext().execute_with(|| {
		supply_chain();
		assert_ok!(Provenance::register_product(signed(MAKER), MANUFACTURER, GTIN, ProductKind::Drug, H256::zero(), false));
		commission("L1", &["A"]);
		assert_ok!(Provenance::do_try_state());
		Lots::<Test>::mutate(GTIN, lot("L1"), |l| l.as_mut().unwrap().units = 2);
		assert!(Provenance::do_try_state().is_err());
	});
}

#[test]
fn the_configured_bounds_pass_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<Provenance as Hooks<u64>>::integrity_test();
	});
}
