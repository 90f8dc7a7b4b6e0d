//! The node's CPU and memory, sampled once a second from `/proc/<pid>` on a thread of its own.

use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	thread,
	time::{Duration, Instant},
};

/// Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture it runs on.
const TICKS_PER_SECOND: f64 = 100.0;

/// A running sampler.
pub struct Sampler {
	stop: Arc<AtomicBool>,
	thread: thread::JoinHandle<Usage>,
}

/// What the node used while the sampler ran.
pub struct Usage {
	/// CPU time over the run, as a share of one core (100 = one core busy).
	cpu_average_percent: f64,
	/// The busiest second's share of one core.
	cpu_peak_percent: f64,
	/// The largest resident set seen, in MiB.
	rss_peak_mib: u64,
	/// Whether the process could be read at all.
	readable: bool,
}

impl Usage {
	/// The figures as JSON.
	pub fn to_json(&self) -> serde_json::Value {
		if !self.readable {
			return serde_json::json!({ "error": "the node's /proc entry could not be read" });
		}
		serde_json::json!({
			"cpu_average_percent": self.cpu_average_percent,
			"cpu_peak_percent": self.cpu_peak_percent,
			"rss_peak_mib": self.rss_peak_mib,
		})
	}
}

/// CPU ticks (user and system) and resident memory (KiB) of `pid` now.
fn read(pid: u32) -> Option<(u64, u64)> {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	// The command name, in parentheses, may hold spaces: count fields after its closing one.
	let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
	// utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
	let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	let rss = status
		.lines()
		.find_map(|line| line.strip_prefix("VmRSS:"))
		.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())?;
	Some((ticks, rss))
}

impl Sampler {
	/// Starts sampling `pid`.
	pub fn start(pid: u32) -> Self {
		let stop = Arc::new(AtomicBool::new(false));
		let flag = stop.clone();
		let thread = thread::spawn(move || {
			let started = Instant::now();
			let Some((first, mut rss_peak)) = read(pid) else {
				return Usage { cpu_average_percent: 0.0, cpu_peak_percent: 0.0, rss_peak_mib: 0, readable: false };
			};
			let (mut last, mut last_at, mut peak) = (first, Instant::now(), 0.0f64);
			while !flag.load(Ordering::Relaxed) {
				thread::sleep(Duration::from_secs(1));
				let Some((ticks, rss)) = read(pid) else { break };
				let now = Instant::now();
				let share = (ticks - last) as f64 / TICKS_PER_SECOND / now.duration_since(last_at).as_secs_f64();
				peak = peak.max(share * 100.0);
				rss_peak = rss_peak.max(rss);
				(last, last_at) = (ticks, now);
			}
			let elapsed = last_at.duration_since(started).as_secs_f64().max(1e-3);
			Usage {
				cpu_average_percent: (last - first) as f64 / TICKS_PER_SECOND / elapsed * 100.0,
				cpu_peak_percent: peak,
				rss_peak_mib: rss_peak / 1024,
				readable: true,
			}
		});
		Self { stop, thread }
	}

	/// Stops sampling; what the node used meanwhile.
	pub fn stop(self) -> Usage {
		self.stop.store(true, Ordering::Relaxed);
		self.thread.join().unwrap_or(Usage {
			cpu_average_percent: 0.0,
			cpu_peak_percent: 0.0,
			rss_peak_mib: 0,
			readable: false,
		})
	}
}
