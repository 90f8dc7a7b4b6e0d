//! The libFuzzer entry point of the runtime harness: libFuzzer's own `main`, with the target
//! that the harness library defines. `scripts/fuzz` builds it with coverage instrumentation.
#![no_main]

use healthchain_runtime_fuzzer as _;
