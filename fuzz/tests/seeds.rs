//! The seeds are what they claim: lives of the chain in which every transaction succeeds, and
//! the harness refuses nothing it should submit.

use healthchain_runtime_fuzzer::{run, seeds, Outcome};


#[test]
fn every_seed_runs_its_flow_to_the_end() {
	for (name, input) in seeds::all() {
		let outcome = run(&input);
		assert!(outcome.submitted > 2, "{name}: {outcome:?}");
		assert!(outcome.failures.is_empty(), "{name}: {outcome:?}");
		assert_eq!(
			(outcome.included, outcome.succeeded),
			(outcome.submitted, outcome.submitted),
			"{name}: every transaction is included and succeeds"
		);
	}
}

#[test]
fn an_unfunded_account_is_refused_before_its_call_runs() {
	let input = seeds::Input::default()
		.call(
			sp_keyring::Sr25519Keyring::One,
			healthchain_runtime::RuntimeCall::System(frame_system::Call::remark { remark: vec![1] }),
		)
		.into_bytes();
	assert_eq!(run(&input), Outcome { blocks: 1, submitted: 1, ..Default::default() });
}

#[test]
fn sudo_and_set_code_are_not_submitted_even_in_a_batch() {
	use healthchain_runtime::RuntimeCall;
	let set_code = RuntimeCall::System(frame_system::Call::set_code { code: vec![0] });
	let batch = RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![set_code.clone()] });
	assert!(!healthchain_runtime_fuzzer::is_submitted(&set_code));
	assert!(!healthchain_runtime_fuzzer::is_submitted(&batch));
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	assert!(healthchain_runtime_fuzzer::is_submitted(&RuntimeCall::Utility(
		pallet_utility::Call::batch { calls: vec![remark] }
	)));
}
