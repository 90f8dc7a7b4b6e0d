//! Benchmarks of the monitoring pallet's calls, each in its worst case: identifiers as long
//! as allowed, submissions by the gateway (one comparison more than by the
//! device), removals by the patient (asked after the care team).

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use sp_core::H256;

const HOUR: Moment = 3_600_000;

struct Setup<T: Config> {
	staff: T::AccountId,
	patient: T::AccountId,
	device: T::AccountId,
	gateway: T::AccountId,
	organisation: T::OrganisationId,
}

/// A patient, a care-team member at a care provider, and a device of theirs with a gateway,
/// registered (and bound if `bind`).
fn setup<T: Config>(bind: bool) -> Setup<T> {
	let staff: T::AccountId = account("nurse", 0, 0);
	let patient: T::AccountId = account("patient", 0, 0);
	let device: T::AccountId = account("device", 0, 0);
	let gateway: T::AccountId = account("gateway", 0, 0);
	T::BenchmarkHelper::register_patient(&patient);
	let organisation = T::BenchmarkHelper::care_team(&staff, &patient);
	Pallet::<T>::register_device(
		RawOrigin::Signed(staff.clone()).into(),
		organisation,
		device.clone(),
		vec![b'U'; MAX_UDI_LENGTH as usize],
		vec![b'S'; MAX_SERIAL_LENGTH as usize],
		DeviceKind::EcgPatch,
		Some(gateway.clone()),
	)
	.expect("staff register devices");
	if bind {
		Pallet::<T>::propose_binding(RawOrigin::Signed(staff.clone()).into(), device.clone(), patient.clone()).unwrap();
		Pallet::<T>::confirm_binding(RawOrigin::Signed(patient.clone()).into(), device.clone()).unwrap();
	}
	Setup { staff, patient, device, gateway, organisation }
}

fn set_rule<T: Config>(s: &Setup<T>) -> RuleId {
	Pallet::<T>::set_alert_rule(
		RawOrigin::Signed(s.staff.clone()).into(),
		s.patient.clone(),
		s.organisation,
		H256::repeat_byte(0x5e),
	)
	.unwrap();
	NextRuleId::<T>::get() - 1
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_device() {
		let s = setup::<T>(false);
		let device: T::AccountId = account("device", 1, 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.staff),
			s.organisation,
			device.clone(),
			vec![b'V'; MAX_UDI_LENGTH as usize],
			vec![b'S'; MAX_SERIAL_LENGTH as usize],
			DeviceKind::GlucoseMeter,
			Some(s.gateway),
		);
		assert!(Devices::<T>::contains_key(&device));
	}

	#[benchmark]
	fn propose_binding() {
		let s = setup::<T>(false);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.staff), s.device.clone(), s.patient.clone());
		assert_eq!(Devices::<T>::get(&s.device).unwrap().status, DeviceStatus::Proposed { patient: s.patient });
	}

	#[benchmark]
	fn confirm_binding() {
		let s = setup::<T>(false);
		Pallet::<T>::propose_binding(RawOrigin::Signed(s.staff).into(), s.device.clone(), s.patient.clone()).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient), s.device.clone());
		assert!(matches!(Devices::<T>::get(&s.device).unwrap().status, DeviceStatus::Bound { .. }));
	}

	#[benchmark]
	fn unbind_device() {
		let s = setup::<T>(true);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient), s.device.clone());
		assert_eq!(Devices::<T>::get(&s.device).unwrap().status, DeviceStatus::Unbound);
	}

	#[benchmark]
	fn retire_device() {
		let s = setup::<T>(true);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.staff), s.device.clone());
		assert_eq!(Devices::<T>::get(&s.device).unwrap().status, DeviceStatus::Retired);
	}

	/// A batch after an earlier one, with a gap, by the gateway.
	#[benchmark]
	fn anchor_batch() {
		// Bound at the clock's start, so that the batch falls after the patient's consent.
		T::BenchmarkHelper::set_clock(0);
		let s = setup::<T>(true);
		T::BenchmarkHelper::set_clock(4 * HOUR);
		let device = s.device.clone();
		Devices::<T>::mutate(&device, |d| d.as_mut().unwrap().covered_until = Some(HOUR));
		#[extrinsic_call]
		_(RawOrigin::Signed(s.gateway), s.device, 2 * HOUR, 3 * HOUR, 1_000, H256::repeat_byte(1));
		assert_eq!(Devices::<T>::get(&device).unwrap().covered_until, Some(3 * HOUR));
	}

	#[benchmark]
	fn set_alert_rule() {
		let s = setup::<T>(true);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.staff),
			s.patient,
			s.organisation,
			H256::repeat_byte(0x5e),
		);
		assert!(Rules::<T>::contains_key(0));
	}

	#[benchmark]
	fn remove_alert_rule() {
		let s = setup::<T>(true);
		let rule = set_rule::<T>(&s);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient), rule);
		assert!(!Rules::<T>::contains_key(rule));
	}

	/// An alert naming an anchored batch, by the gateway.
	#[benchmark]
	fn raise_alert() {
		let s = setup::<T>(true);
		let rule = set_rule::<T>(&s);
		let device = s.device.clone();
		Batches::<T>::insert(
			&device,
			0,
			Batch {
				patient: s.patient.clone(),
				starts_at: 0,
				ends_at: 1,
				readings: 1,
				root: H256::repeat_byte(1),
				anchored_at: 0,
			},
		);
		Devices::<T>::mutate(&device, |d| {
			let d = d.as_mut().unwrap();
			d.batches = 1;
			d.covered_until = Some(1);
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(s.gateway), s.device, rule, Some(0));
		assert!(Alerts::<T>::contains_key(0));
	}

	#[benchmark]
	fn acknowledge_alert() {
		let s = setup::<T>(true);
		let rule = set_rule::<T>(&s);
		Pallet::<T>::raise_alert(RawOrigin::Signed(s.device.clone()).into(), s.device.clone(), rule, None).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.staff), 0);
		assert!(Alerts::<T>::get(0).unwrap().acknowledged.is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
