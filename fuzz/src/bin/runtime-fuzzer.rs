//! The libFuzzer entry point of the runtime harness; `scripts/fuzz` builds it with coverage
//! instrumentation and runs it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	healthchain_runtime_fuzzer::run(data);
});
