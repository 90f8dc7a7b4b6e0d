//! Writes the harness's seed inputs (the end-to-end flows) into the directory given.
fn main() {
	let Some(directory) = std::env::args().nth(1) else {
		eprintln!("usage: seed-corpus <directory>");
		std::process::exit(2);
	};
	if let Err(error) = std::fs::create_dir_all(&directory) {
		eprintln!("seed-corpus: cannot create {directory}: {error}");
		std::process::exit(1);
	}
	for (name, bytes) in healthchain_runtime_fuzzer::seeds::all() {
		let path = std::path::Path::new(&directory).join(format!("seed-{name}"));
		if let Err(error) = std::fs::write(&path, bytes) {
			eprintln!("seed-corpus: cannot write {}: {error}", path.display());
			std::process::exit(1);
		}
	}
}
