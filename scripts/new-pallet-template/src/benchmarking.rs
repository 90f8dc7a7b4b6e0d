//! Benchmarks of the {{title_lower}} pallet's calls, each in its worst case.

use super::*;
use crate::Pallet as {{Type}};
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use sp_core::H256;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A practitioner replaces a patient's entry.
	#[benchmark]
	fn record_entry() {
		let patient: T::AccountId = account("patient", 0, 0);
		let practitioner: T::AccountId = account("practitioner", 0, 0);
		T::BenchmarkHelper::register_patient(&patient);
		T::BenchmarkHelper::make_practitioner(&practitioner);
		{{Type}}::<T>::record_entry(RawOrigin::Signed(practitioner.clone()).into(), patient.clone(), H256::repeat_byte(1))
			.expect("the first entry is recorded");
		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner), patient.clone(), H256::repeat_byte(2));
		assert_eq!(Entries::<T>::get(&patient).map(|e| e.document_hash), Some(H256::repeat_byte(2)));
	}

	impl_benchmark_test_suite!({{Type}}, crate::mock::new_test_ext(), crate::mock::Test);
}
