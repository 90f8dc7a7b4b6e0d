//! Tests of the monitoring pallet: every call's success, each of its errors and each refused
//! caller or device, ordered batches, alerts to the care team, and Merkle proofs. Every test
//! ends with the pallet's `try_state` check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchError;

const PATIENT: AccountId = 1;
const OTHER_PATIENT: AccountId = 2;
const GUARDIAN: AccountId = 3;
const NURSE: AccountId = 10;
const OUTSIDER: AccountId = 11;
const METER: AccountId = 50;
const PHONE: AccountId = 51;
const CUFF: AccountId = 52;
const STRANGER: AccountId = 99;

const CLINIC: OrganisationId = 1;
const OTHER_CLINIC: OrganisationId = 2;

const HOUR: Moment = 3_600_000;
const DAY: Moment = 24 * HOUR;
/// The hash of a sealed rule (glucose above 250, sealed for the care team off chain).
const SEALED_RULE: H256 = H256::repeat_byte(0x5e);

type DispatchResult = Result<(), DispatchError>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn run(test: impl FnOnce()) {
	run_test(|| {
		identities(|i| {
			i.patients.extend([PATIENT, OTHER_PATIENT]);
			i.guardians.insert((GUARDIAN, PATIENT));
			i.staff.extend([(NURSE, CLINIC), (OUTSIDER, OTHER_CLINIC)]);
			i.grants.insert((CLINIC, PATIENT));
		});
		test();
	})
}

fn events() -> Vec<frame_system::EventRecord<RuntimeEvent, H256>> {
	System::events()
}

fn last_event() -> Event<Test> {
	events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::RemoteMonitoring(e) = r.event { Some(e) } else { None })
		.expect("a monitoring event")
}

fn register(device: AccountId, serial: &str) -> DispatchResult {
	RemoteMonitoring::register_device(
		signed(NURSE),
		CLINIC,
		device,
		b"+H123GLUCO1".to_vec(),
		serial.as_bytes().to_vec(),
		DeviceKind::GlucoseMeter,
		Some(PHONE),
	)
}

/// The meter, registered and bound to the patient with the patient's consent.
/// The meter, bound to the patient since a day ago (so that the last day's readings are the
/// patient's).
fn bound_meter() {
	pallet_timestamp::Now::<Test>::put(NOW - DAY);
	assert_ok!(register(METER, "SN1"));
	assert_ok!(RemoteMonitoring::propose_binding(signed(NURSE), METER, PATIENT));
	assert_ok!(RemoteMonitoring::confirm_binding(signed(PATIENT), METER));
	pallet_timestamp::Now::<Test>::put(NOW);
}

fn anchor(who: AccountId, start: Moment, end: Moment) -> DispatchResult {
	RemoteMonitoring::anchor_batch(signed(who), METER, start, end, 12, H256::repeat_byte(7))
}

fn rule() -> RuleId {
	assert_ok!(RemoteMonitoring::set_alert_rule(signed(NURSE), PATIENT, CLINIC, SEALED_RULE));
	NextRuleId::<Test>::get() - 1
}

mod devices {
	use super::*;

	#[test]
	fn staff_register_and_the_patient_consents_to_the_binding() {
		run(|| {
			assert_ok!(register(METER, "SN1"));
			let device = Devices::<Test>::get(METER).unwrap();
			assert_eq!((device.organisation, device.kind, device.gateway, device.status), (CLINIC, DeviceKind::GlucoseMeter, Some(PHONE), DeviceStatus::Unbound));
			assert_eq!(last_event(), Event::DeviceRegistered { device: METER, organisation: CLINIC, kind: DeviceKind::GlucoseMeter });
			assert_ok!(RemoteMonitoring::propose_binding(signed(NURSE), METER, PATIENT));
			assert_eq!(Devices::<Test>::get(METER).unwrap().status, DeviceStatus::Proposed { patient: PATIENT });
			assert_ok!(RemoteMonitoring::confirm_binding(signed(GUARDIAN), METER));
			assert_eq!(Devices::<Test>::get(METER).unwrap().status, DeviceStatus::Bound { patient: PATIENT, since: NOW });
			assert_eq!(last_event(), Event::DeviceBound { device: METER, patient: PATIENT });
			let topic = RemoteMonitoring::patient_topic(&PATIENT);
			assert_eq!(events().last().unwrap().topics, vec![topic]);
		});
	}

	#[test]
	fn registering_refuses_others_bad_identifiers_and_duplicates() {
		run(|| {
			let try_register = |who, org, device, udi: &[u8], serial: &[u8]| {
				RemoteMonitoring::register_device(signed(who), org, device, udi.to_vec(), serial.to_vec(), DeviceKind::PulseOximeter, None)
			};
			assert_noop!(try_register(STRANGER, CLINIC, METER, b"UDI", b"SN"), Error::<Test>::NotCareStaff);
			assert_noop!(try_register(OUTSIDER, CLINIC, METER, b"UDI", b"SN"), Error::<Test>::NotCareStaff);
			assert_noop!(try_register(NURSE, CLINIC, METER, b"", b"SN"), Error::<Test>::InvalidDeviceIdentifier);
			assert_noop!(try_register(NURSE, CLINIC, METER, b"UDI", b"S N"), Error::<Test>::InvalidDeviceIdentifier);
			assert_noop!(try_register(NURSE, CLINIC, METER, b"UDI", &[b'S'; 21]), Error::<Test>::InvalidDeviceIdentifier);
			assert_ok!(try_register(NURSE, CLINIC, METER, b"UDI", b"SN"));
			assert_noop!(try_register(NURSE, CLINIC, METER, b"UDI", b"SN2"), Error::<Test>::DeviceExists);
			assert_noop!(try_register(NURSE, CLINIC, CUFF, b"UDI", b"SN"), Error::<Test>::DeviceIdentifierTaken);
		});
	}

	#[test]
	fn binding_needs_staff_a_patient_consent_and_a_free_device() {
		run(|| {
			assert_ok!(register(METER, "SN1"));
			assert_noop!(RemoteMonitoring::propose_binding(signed(OUTSIDER), METER, PATIENT), Error::<Test>::NotCareStaff);
			assert_noop!(RemoteMonitoring::propose_binding(signed(NURSE), CUFF, PATIENT), Error::<Test>::UnknownDevice);
			assert_noop!(RemoteMonitoring::propose_binding(signed(NURSE), METER, STRANGER), Error::<Test>::NotAPatient);
			assert_noop!(RemoteMonitoring::confirm_binding(signed(PATIENT), METER), Error::<Test>::NoProposedBinding);
			assert_ok!(RemoteMonitoring::propose_binding(signed(NURSE), METER, PATIENT));
			assert_noop!(RemoteMonitoring::propose_binding(signed(NURSE), METER, OTHER_PATIENT), Error::<Test>::DeviceInUse);
			for who in [OTHER_PATIENT, NURSE, STRANGER] {
				assert_noop!(RemoteMonitoring::confirm_binding(signed(who), METER), Error::<Test>::NotPatientOrGuardian);
			}
			assert_noop!(RemoteMonitoring::confirm_binding(signed(PATIENT), CUFF), Error::<Test>::UnknownDevice);
		});
	}

	#[test]
	fn unbinding_and_retiring() {
		run(|| {
			bound_meter();
			assert_noop!(RemoteMonitoring::unbind_device(signed(OUTSIDER), METER), Error::<Test>::NotPatientOrGuardian);
			assert_ok!(RemoteMonitoring::unbind_device(signed(PATIENT), METER));
			assert_eq!(last_event(), Event::DeviceUnbound { device: METER, patient: PATIENT });
			assert_noop!(RemoteMonitoring::unbind_device(signed(NURSE), METER), Error::<Test>::DeviceNotBound);
			assert_noop!(anchor(METER, NOW - HOUR, NOW), Error::<Test>::DeviceNotBound);
			assert_ok!(RemoteMonitoring::propose_binding(signed(NURSE), METER, PATIENT));
			assert_ok!(RemoteMonitoring::unbind_device(signed(NURSE), METER));
			assert_noop!(RemoteMonitoring::retire_device(signed(OUTSIDER), METER), Error::<Test>::NotCareStaff);
			assert_ok!(RemoteMonitoring::retire_device(signed(NURSE), METER));
			assert_eq!(last_event(), Event::DeviceRetired { device: METER });
			assert_noop!(RemoteMonitoring::retire_device(signed(NURSE), METER), Error::<Test>::DeviceRetired);
			assert_noop!(RemoteMonitoring::propose_binding(signed(NURSE), METER, PATIENT), Error::<Test>::DeviceRetired);
			assert_noop!(RemoteMonitoring::unbind_device(signed(NURSE), METER), Error::<Test>::DeviceRetired);
			assert_noop!(anchor(METER, NOW - HOUR, NOW), Error::<Test>::DeviceRetired);
			assert_noop!(RemoteMonitoring::unbind_device(signed(NURSE), CUFF), Error::<Test>::UnknownDevice);
		});
	}
}

mod batches {
	use super::*;

	#[test]
	fn the_device_or_its_gateway_anchors_ordered_batches_and_gaps_show() {
		run(|| {
			bound_meter();
			assert_ok!(anchor(METER, NOW - 3 * HOUR, NOW - 2 * HOUR));
			let first = Batches::<Test>::get(METER, 0).unwrap();
			assert_eq!((first.patient, first.readings, first.root), (PATIENT, 12, H256::repeat_byte(7)));
			assert!(matches!(last_event(), Event::BatchAnchored { batch: 0, gap: None, .. }));
			assert_ok!(anchor(PHONE, NOW - 2 * HOUR, NOW - HOUR));
			assert!(matches!(last_event(), Event::BatchAnchored { batch: 1, gap: None, .. }));
			assert_ok!(anchor(METER, NOW - HOUR / 2, NOW));
			assert!(matches!(last_event(), Event::BatchAnchored { batch: 2, gap: Some(g), .. } if g == HOUR / 2));
			let device = Devices::<Test>::get(METER).unwrap();
			assert_eq!((device.batches, device.covered_until), (3, Some(NOW)));
		});
	}

	#[test]
	fn refuses_others_overlaps_and_bad_batches() {
		run(|| {
			bound_meter();
			assert_ok!(register(CUFF, "SN2"));
			assert_noop!(anchor(STRANGER, NOW - HOUR, NOW), Error::<Test>::NotDeviceOrGateway);
			assert_noop!(anchor(CUFF, NOW - HOUR, NOW), Error::<Test>::NotDeviceOrGateway);
			assert_noop!(
				RemoteMonitoring::anchor_batch(signed(CUFF), CUFF, NOW - HOUR, NOW, 1, H256::repeat_byte(1)),
				Error::<Test>::DeviceNotBound
			);
			assert_noop!(
				RemoteMonitoring::anchor_batch(signed(STRANGER), STRANGER, NOW - HOUR, NOW, 1, H256::repeat_byte(1)),
				Error::<Test>::UnknownDevice
			);
			assert_noop!(anchor(METER, NOW, NOW), Error::<Test>::InvalidPeriod);
			assert_noop!(anchor(METER, NOW - HOUR, NOW + 1), Error::<Test>::PeriodInFuture);
			let batch = |readings, root: H256| {
				RemoteMonitoring::anchor_batch(signed(METER), METER, NOW - HOUR, NOW, readings, root)
			};
			assert_noop!(batch(0, H256::repeat_byte(1)), Error::<Test>::NoReadings);
			assert_noop!(batch(1, H256::zero()), Error::<Test>::EmptyRoot);
			assert_ok!(anchor(METER, NOW - 2 * HOUR, NOW - HOUR));
			assert_noop!(anchor(METER, NOW - HOUR - 1, NOW), Error::<Test>::OverlappingBatch);
			assert_ok!(anchor(METER, NOW - HOUR, NOW));
		});
	}

	#[test]
	fn readings_from_before_the_patients_consent_are_not_the_patients() {
		run(|| {
			bound_meter();
			// Bound a day ago: a batch that starts a moment earlier is refused, whole.
			assert_noop!(anchor(METER, NOW - DAY - 1, NOW - HOUR), Error::<Test>::BeforeBinding);
			assert_ok!(anchor(METER, NOW - DAY, NOW - HOUR));
			// Rebound to another patient now: the last hour was taken before that consent.
			assert_ok!(RemoteMonitoring::unbind_device(signed(NURSE), METER));
			assert_ok!(RemoteMonitoring::propose_binding(signed(NURSE), METER, OTHER_PATIENT));
			assert_ok!(RemoteMonitoring::confirm_binding(signed(OTHER_PATIENT), METER));
			assert_noop!(anchor(METER, NOW - HOUR, NOW), Error::<Test>::BeforeBinding);
			pallet_timestamp::Now::<Test>::put(NOW + HOUR);
			assert_ok!(anchor(METER, NOW, NOW + HOUR));
			assert_eq!(Batches::<Test>::get(METER, 1).unwrap().patient, OTHER_PATIENT);
			// The new patient's rule cannot name the previous patient's batch.
			identities(|i| i.grants.insert((CLINIC, OTHER_PATIENT)));
			assert_ok!(RemoteMonitoring::set_alert_rule(signed(NURSE), OTHER_PATIENT, CLINIC, SEALED_RULE));
			let rule = NextRuleId::<Test>::get() - 1;
			assert_noop!(
				RemoteMonitoring::raise_alert(signed(METER), METER, rule, Some(0)),
				Error::<Test>::BatchOfAnotherPatient
			);
			assert_ok!(RemoteMonitoring::raise_alert(signed(METER), METER, rule, Some(1)));
		});
	}
}

mod alerts {
	use super::*;

	#[test]
	fn the_care_team_sets_a_rule_the_device_trips_it_and_a_nurse_acknowledges() {
		run(|| {
			bound_meter();
			assert_ok!(anchor(METER, NOW - HOUR, NOW));
			let id = rule();
			let set = Rules::<Test>::get(id).unwrap();
			assert_eq!((set.patient, set.organisation, set.sealed_hash, set.set_by), (PATIENT, CLINIC, Some(SEALED_RULE), NURSE));
			assert_ok!(RemoteMonitoring::raise_alert(signed(PHONE), METER, id, Some(0)));
			let alert = Alerts::<Test>::get(0).unwrap();
			assert_eq!((alert.patient, alert.organisation, alert.rule, alert.batch), (PATIENT, CLINIC, id, Some(0)));
			assert_eq!(last_event(), Event::AlertRaised { alert: 0, patient: PATIENT, organisation: CLINIC, rule: id, device: METER });
			// Addressed to the patient and to the clinic's care team.
			assert_eq!(
				events().last().unwrap().topics,
				vec![RemoteMonitoring::patient_topic(&PATIENT), RemoteMonitoring::organisation_topic(CLINIC)]
			);
			assert_eq!(RemoteMonitoring::unacknowledged_alerts(&PATIENT), vec![0]);
			assert_ok!(RemoteMonitoring::acknowledge_alert(signed(NURSE), 0));
			assert_eq!(Alerts::<Test>::get(0).unwrap().acknowledged, Some((NURSE, NOW)));
			assert!(RemoteMonitoring::unacknowledged_alerts(&PATIENT).is_empty());
			assert_eq!(last_event(), Event::AlertAcknowledged { alert: 0, patient: PATIENT, by: NURSE });
			assert_noop!(RemoteMonitoring::acknowledge_alert(signed(NURSE), 0), Error::<Test>::AlreadyAcknowledged);
		});
	}

	#[test]
	fn only_the_care_team_with_a_grant_sets_rules_and_acknowledges() {
		run(|| {
			bound_meter();
			let set = |who, patient, org, sealed: H256| RemoteMonitoring::set_alert_rule(signed(who), patient, org, sealed);
			assert_noop!(set(OUTSIDER, PATIENT, CLINIC, SEALED_RULE), Error::<Test>::NotCareTeam);
			assert_noop!(set(OUTSIDER, PATIENT, OTHER_CLINIC, SEALED_RULE), Error::<Test>::NotCareTeam);
			assert_noop!(set(NURSE, OTHER_PATIENT, CLINIC, SEALED_RULE), Error::<Test>::NotCareTeam);
			assert_noop!(set(NURSE, PATIENT, CLINIC, H256::zero()), Error::<Test>::EmptyRuleHash);
			let id = rule();
			assert_ok!(RemoteMonitoring::raise_alert(signed(METER), METER, id, None));
			assert_noop!(RemoteMonitoring::acknowledge_alert(signed(OUTSIDER), 0), Error::<Test>::NotCareTeam);
			assert_noop!(RemoteMonitoring::acknowledge_alert(signed(PATIENT), 0), Error::<Test>::NotCareTeam);
			assert_noop!(RemoteMonitoring::acknowledge_alert(signed(NURSE), 1), Error::<Test>::UnknownAlert);
			// The patient revokes the clinic's grant: its staff are no longer the care team.
			identities(|i| {
				i.grants.remove(&(CLINIC, PATIENT));
			});
			assert_noop!(RemoteMonitoring::acknowledge_alert(signed(NURSE), 0), Error::<Test>::NotCareTeam);
		});
	}

	#[test]
	fn only_a_bound_device_raises_alerts_of_its_patients_rules() {
		run(|| {
			bound_meter();
			let id = rule();
			identities(|i| {
				i.grants.insert((CLINIC, OTHER_PATIENT));
			});
			assert_ok!(RemoteMonitoring::set_alert_rule(signed(NURSE), OTHER_PATIENT, CLINIC, SEALED_RULE));
			assert_noop!(RemoteMonitoring::raise_alert(signed(STRANGER), METER, id, None), Error::<Test>::NotDeviceOrGateway);
			assert_noop!(RemoteMonitoring::raise_alert(signed(METER), METER, id + 1, None), Error::<Test>::RuleNotForPatient);
			assert_noop!(RemoteMonitoring::raise_alert(signed(METER), METER, id + 2, None), Error::<Test>::UnknownRule);
			assert_noop!(RemoteMonitoring::raise_alert(signed(METER), METER, id, Some(0)), Error::<Test>::UnknownBatch);
			// The patient revokes the clinic's grant: the clinic's rules raise nothing more.
			identities(|i| i.grants.remove(&(CLINIC, PATIENT)));
			assert_noop!(RemoteMonitoring::raise_alert(signed(METER), METER, id, None), Error::<Test>::RuleLapsed);
			identities(|i| i.grants.insert((CLINIC, PATIENT)));
			assert_ok!(RemoteMonitoring::retire_device(signed(NURSE), METER));
			assert_noop!(RemoteMonitoring::raise_alert(signed(METER), METER, id, None), Error::<Test>::DeviceRetired);
		});
	}

	#[test]
	fn rules_are_removed_by_the_care_team_or_the_patient() {
		run(|| {
			let first = rule();
			let second = rule();
			assert_noop!(RemoteMonitoring::remove_alert_rule(signed(OUTSIDER), first), Error::<Test>::NotCareTeam);
			assert_noop!(RemoteMonitoring::remove_alert_rule(signed(OTHER_PATIENT), first), Error::<Test>::NotCareTeam);
			assert_noop!(RemoteMonitoring::remove_alert_rule(signed(NURSE), second + 1), Error::<Test>::UnknownRule);
			assert_ok!(RemoteMonitoring::remove_alert_rule(signed(NURSE), first));
			assert_eq!(last_event(), Event::AlertRuleRemoved { rule: first, patient: PATIENT });
			assert_ok!(RemoteMonitoring::remove_alert_rule(signed(GUARDIAN), second));
			assert!(Rules::<Test>::iter().next().is_none());
		});
	}
}

#[test]
fn a_reading_is_proved_against_the_anchored_root() {
	let readings: Vec<Vec<u8>> = (0..7).map(|i| format!("glucose,{},mg/dL", 90 + i).into_bytes()).collect();
	let leaves: Vec<H256> = readings.iter().map(|r| merkle::leaf(r)).collect();
	let root = merkle::root(&leaves);
	for (index, reading) in readings.iter().enumerate() {
		let proof = merkle::proof(&leaves, index).unwrap();
		assert!(merkle::verify(root, merkle::leaf(reading), index, 7, &proof), "reading {index}");
		// A changed reading, or the right one at another place, does not verify.
		assert!(!merkle::verify(root, merkle::leaf(b"glucose,400,mg/dL"), index, 7, &proof));
		assert!(!merkle::verify(root, merkle::leaf(reading), (index + 1) % 7, 7, &proof));
		// Nor against a batch of another shape than the chain recorded.
		assert!(!merkle::verify(root, merkle::leaf(reading), index, 3, &proof));
	}
	// With an eighth reading, the seventh would have had a sibling.
	let last = merkle::proof(&leaves, 6).unwrap();
	assert!(!merkle::verify(root, leaves[6], 6, 8, &last));
	assert!(merkle::proof(&leaves, 7).is_none());
	assert!(!merkle::verify(root, leaves[0], 7, 7, &merkle::proof(&leaves, 0).unwrap()));
	assert_eq!(merkle::root(&leaves[..1]), leaves[0]);
	assert_eq!(merkle::root(&[]), H256::zero());
}

#[test]
fn an_inner_node_cannot_pass_for_a_reading() {
	let readings: Vec<Vec<u8>> = (0..4).map(|i| format!("spo2,{}", 95 + i).into_bytes()).collect();
	let leaves: Vec<H256> = readings.iter().map(|r| merkle::leaf(r)).collect();
	let root = merkle::root(&leaves);
	let proof = merkle::proof(&leaves, 0).unwrap();
	// The parent of the first two readings, offered as a "reading" one level up, with the rest
	// of the proof: the shape is wrong for a batch of four.
	let inner = merkle::root(&leaves[..2]);
	assert!(!merkle::verify(root, inner, 0, 4, &proof[1..]));
	// Nor does any reading hash to it: the bytes of two leaves, as one reading, hash to
	// something else than their parent.
	let joined = [leaves[0].as_bytes(), leaves[1].as_bytes()].concat();
	assert_ne!(merkle::leaf(&joined), inner);
	// Extra or missing levels are refused.
	let mut longer = proof.clone();
	longer.push(None);
	assert!(!merkle::verify(root, leaves[0], 0, 4, &longer));
	assert!(!merkle::verify(root, leaves[0], 0, 4, &proof[..1]));
	// A lone leaf at the end of an odd level has no sibling there, and says so.
	let five: Vec<H256> = (0..5u8).map(|i| merkle::leaf(&[i])).collect();
	let last = merkle::proof(&five, 4).unwrap();
	assert_eq!(last, vec![None, None, Some(merkle::root(&five[..4]))]);
	assert!(merkle::verify(merkle::root(&five), five[4], 4, 5, &last));
	let mut claimed = last.clone();
	claimed[0] = Some(five[3]);
	assert!(!merkle::verify(merkle::root(&five), five[4], 4, 5, &claimed));
}

#[test]
fn try_state_finds_a_batch_count_that_disagrees() {
	new_test_ext().execute_with(|| {
		identities(|i| {
			i.patients.insert(PATIENT);
			i.staff.insert((NURSE, CLINIC));
		});
		bound_meter();
		assert_ok!(anchor(METER, NOW - HOUR, NOW));
		assert_ok!(RemoteMonitoring::do_try_state());
		Devices::<Test>::mutate(METER, |d| d.as_mut().unwrap().batches = 2);
		assert!(RemoteMonitoring::do_try_state().is_err());
	});
}

#[test]
fn the_configured_bounds_pass_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<RemoteMonitoring as Hooks<u64>>::integrity_test();
	});
}

mod migrations {
	use super::*;
	use crate::migrations::v1::{MigrateV0ToV1, OldAlertRule, OldBatch, OldDirection};
	use codec::Encode;
	use frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};

	#[test]
	fn v1_drops_rule_content_and_batch_locators_and_keeps_the_rest() {
		run(|| {
			bound_meter();
			// A rule and a batch as version 0 stored them, and an alert raised on the rule.
			let old_rule = OldAlertRule {
				patient: PATIENT,
				organisation: CLINIC,
				code: b"2339-0".to_vec(),
				bound: 250,
				direction: OldDirection::Above,
				set_by: NURSE,
			};
			unhashed::put_raw(&Rules::<Test>::hashed_key_for(0), &old_rule.encode());
			NextRuleId::<Test>::put(1);
			let old_batch = OldBatch {
				patient: PATIENT,
				starts_at: NOW - HOUR,
				ends_at: NOW,
				readings: 12,
				root: H256::repeat_byte(7),
				locator: b"enc:locator".to_vec(),
				anchored_at: NOW,
			};
			unhashed::put_raw(&Batches::<Test>::hashed_key_for(METER, 0), &old_batch.encode());
			Devices::<Test>::mutate(METER, |d| {
				let d = d.as_mut().unwrap();
				d.batches = 1;
				d.covered_until = Some(NOW);
			});
			StorageVersion::new(0).put::<RemoteMonitoring>();

			MigrateV0ToV1::<Test>::on_runtime_upgrade();

			assert_eq!(RemoteMonitoring::on_chain_storage_version(), 1);
			let migrated = Rules::<Test>::get(0).expect("the rule decodes in the new layout");
			assert_eq!((migrated.patient, migrated.organisation, migrated.sealed_hash, migrated.set_by), (PATIENT, CLINIC, None, NURSE));
			let batch = Batches::<Test>::get(METER, 0).expect("the batch decodes in the new layout");
			assert_eq!((batch.readings, batch.root, batch.ends_at), (12, H256::repeat_byte(7), NOW));
			for (what, bytes) in [("rule", migrated.encode()), ("batch", batch.encode())] {
				for secret in [&b"2339-0"[..], &b"enc:locator"[..]] {
					assert!(!bytes.windows(secret.len()).any(|w| w == secret), "the {what} kept what it should not");
				}
			}
			// The migrated rule still raises alerts; new rules and batches work as before.
			assert_ok!(RemoteMonitoring::raise_alert(signed(METER), METER, 0, Some(0)));
			assert_eq!(rule(), 1);
			assert_ok!(RemoteMonitoring::do_try_state());
			// A second run finds version 1 and does nothing.
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Rules::<Test>::get(0).unwrap().sealed_hash, None);
		});
	}

	#[test]
	fn a_new_chain_starts_at_version_1() {
		run(|| {
			assert_eq!(RemoteMonitoring::in_code_storage_version(), 1);
		});
	}
}
