// Measured on a HealthChain node by `scripts/benchmark`; do not edit by hand, run it again.

//! The price of a storage read and write on HealthChain's database, measured by
//! `benchmark storage` (frame-benchmarking-cli 64.0.0) over the state of a chain that
//! holds a million commissioned serials (`scripts/benchmark --database`).
//!
//! DATE: 2026-12-05 (Y/M/D), HOST: `vm`, CPU: `AMD EPYC`
//! DATABASE: `ParityDb`, RUNTIME: `HealthChain Development`, BLOCK: Number(476)
//! STATE-VERSION: `V1`, WARMUPS: 1, BATCH: 100000
//! METRIC: `Average`, MULTIPLIED BY 1.1, PLUS 0 ns

// Executed command:
//   /root/.cache/healthchain/target-bench/release/healthchain-node
//   benchmark
//   storage
//   --chain
//   /tmp/rb/dev-raw.json
//   --base-path
//   /tmp/dbchain
//   --state-version
//   1
//   --weight-path
//   runtime/src/weights
//   --header
//   scripts/benchmark-templates/header.txt
//   --template-path
//   scripts/benchmark-templates/db-weights.hbs
//   --mul
//   1.1

/// The database weights of HealthChain's runtime.
pub mod constants {
	use frame_support::weights::constants;
	use sp_core::parameter_types;
	use sp_weights::RuntimeDbWeight;

	parameter_types! {
		/// ParityDB, the node's only database.
		pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
			// Reading one value: the *Average* of every key of the
			// state, multiplied by 1.1, plus 0 ns.
			//
			// Nanoseconds: min 2_814, max 17_385_153,
			// average 8_606, median 7_711, std-dev 66380.88;
			// 75th 8_523, 95th 10_546, 99th 13_060.
			read: 9_467 * constants::WEIGHT_REF_TIME_PER_NANOS,

			// Writing one value, its share of the state root and of the commit included: the
			// *Average*, multiplied by 1.1, plus 0 ns.
			//
			// Nanoseconds: min 14_416, max 20_385,
			// average 17_042, median 15_925, std-dev 2041.43;
			// 75th 18_670, 95th 20_385, 99th 20_385.
			write: 18_747 * constants::WEIGHT_REF_TIME_PER_NANOS,
		};
	}

	#[cfg(test)]
	mod measured {
		use super::constants::ParityDbWeight as W;
		use sp_weights::constants;

		/// A measurement between 1 µs and 1 ms an access: anything else is a broken run.
		#[test]
		fn within_bounds() {
			for weight in [W::get().reads(1), W::get().writes(1)] {
				assert!(weight.ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS);
				assert!(weight.ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS);
			}
		}
	}
}
