//! `healthchain-peer-probe`: a peer that is not a HealthChain node asks a node for blocks.
//!
//! It does what a hand-written client would: opens a libp2p connection (TCP, Noise, Yamux)
//! to the node with a fresh identity, sends one request on the block request protocol
//! (`/<genesis hash>/sync/2`, a protobuf `BlockRequest` for headers and bodies from a block
//! number, or for what `--ask` names: a light client asks for `header,justification`), and
//! prints one JSON line with what came back:
//!
//! ```text
//! healthchain-peer-probe --node /ip4/127.0.0.1/tcp/30333/p2p/12D3KooW... --genesis 0x1234...
//! {"connected":true,"answered":true,"blocks":1,"error":null}
//! ```
//!
//! Exit code 0 when the node answered, 3 when it connected and refused (or dropped) the
//! request, 1 when no connection could be made, 2 for bad arguments.

use futures::StreamExt;
use litep2p::{
	config::ConfigBuilder,
	protocol::request_response::{ConfigBuilder as RequestConfig, DialOptions, RequestResponseEvent},
	transport::tcp::config::Config as TcpConfig,
	types::multiaddr::{Multiaddr, Protocol},
	Litep2p, Litep2pEvent, PeerId, ProtocolName,
};
use std::{process::ExitCode, time::Duration};

/// What the probe was asked to do.
struct Args {
	node: Multiaddr,
	peer: PeerId,
	genesis: String,
	block: u32,
	/// The block attributes asked for (sc-network-common's `BlockAttributes` bits).
	ask: u8,
	timeout: Duration,
}

const USAGE: &str = "usage: healthchain-peer-probe --node <multiaddr ending /p2p/<peer id>> --genesis <0x genesis hash> [--block N] [--ask header,body,justification] [--timeout-ms MS]";

/// The block attributes a request can name, with their bits.
const ATTRIBUTES: [(&str, u8); 3] = [("header", 0x01), ("body", 0x02), ("justification", 0x10)];

/// The bits of a comma-separated list of attribute names.
fn attributes(list: &str) -> Result<u8, String> {
	list.split(',').try_fold(0u8, |bits, name| {
		ATTRIBUTES
			.iter()
			.find(|(known, _)| *known == name)
			.map(|(_, bit)| bits | bit)
			.ok_or_else(|| format!("--ask: unknown block attribute '{name}' (header, body, justification)"))
	})
}

fn parse_args() -> Result<Args, String> {
	let mut node = None;
	let mut genesis = None;
	let mut block = 1u32;
	let mut ask = 0x01 | 0x02;
	let mut timeout = Duration::from_secs(15);
	let mut args = std::env::args().skip(1);
	while let Some(flag) = args.next() {
		let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
		match flag.as_str() {
			"--node" => node = Some(value()?),
			"--genesis" => genesis = Some(value()?),
			"--block" => block = value()?.parse().map_err(|_| "--block must be a block number".to_string())?,
			"--ask" => ask = attributes(&value()?)?,
			"--timeout-ms" =>
				timeout = Duration::from_millis(value()?.parse().map_err(|_| "--timeout-ms must be a number".to_string())?),
			other => return Err(format!("unknown argument {other}")),
		}
	}
	let node: Multiaddr = node
		.ok_or("--node is required")?
		.parse()
		.map_err(|error| format!("--node is not a multiaddr: {error}"))?;
	let peer = match node.iter().last() {
		Some(Protocol::P2p(hash)) => PeerId::from_multihash(hash).map_err(|_| "--node ends with a malformed peer id".to_string())?,
		_ => return Err("--node must end with /p2p/<peer id>".into()),
	};
	let genesis = genesis.ok_or("--genesis is required")?;
	let hex = genesis.strip_prefix("0x").unwrap_or(&genesis).to_lowercase();
	if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
		return Err("--genesis must be a 32-byte hash in hex".into());
	}
	Ok(Args { node, peer, genesis: hex, block, ask, timeout })
}

/// Appends `value` as a protobuf varint.
fn varint(out: &mut Vec<u8>, mut value: u64) {
	loop {
		let byte = (value & 0x7f) as u8;
		value >>= 7;
		if value == 0 {
			out.push(byte);
			return;
		}
		out.push(byte | 0x80);
	}
}

/// A `BlockRequest` (sc-network-sync's schema `api.v1`) for the attributes `ask` of `block`
/// and up to 15 blocks after it.
fn block_request(block: u32, ask: u8) -> Vec<u8> {
	let mut request = Vec::new();
	// fields = 1: the attributes in the top byte (header 0x01 | body 0x02 | justification 0x10).
	request.push(0x08);
	varint(&mut request, u64::from(ask) << 24);
	// number = 3: the block number, SCALE-encoded (little-endian u32).
	request.push(0x1a);
	varint(&mut request, 4);
	request.extend_from_slice(&block.to_le_bytes());
	// direction = 5: ascending (0, the default) is left out; max_blocks = 6.
	request.push(0x30);
	varint(&mut request, 16);
	request
}

/// How many `blocks` (field 1) a `BlockResponse` holds, or `None` if it is not one.
fn count_blocks(mut response: &[u8]) -> Option<usize> {
	fn read_varint(input: &mut &[u8]) -> Option<u64> {
		let mut value = 0u64;
		for shift in (0..64).step_by(7) {
			let (&byte, rest) = input.split_first()?;
			*input = rest;
			value |= u64::from(byte & 0x7f) << shift;
			if byte & 0x80 == 0 {
				return Some(value);
			}
		}
		None
	}
	let mut blocks = 0;
	while !response.is_empty() {
		let key = read_varint(&mut response)?;
		match key & 7 {
			0 => {
				read_varint(&mut response)?;
			},
			2 => {
				let length = read_varint(&mut response)? as usize;
				if length > response.len() {
					return None;
				}
				response = &response[length..];
				if key >> 3 == 1 {
					blocks += 1;
				}
			},
			_ => return None,
		}
	}
	Some(blocks)
}

/// Prints the outcome as one JSON line.
fn report(connected: bool, blocks: Option<usize>, error: Option<String>) {
	let error = error.map_or("null".to_string(), |e| format!("\"{}\"", e.replace('\\', "\\\\").replace('"', "'")));
	let count = blocks.map_or("null".to_string(), |n| n.to_string());
	println!("{{\"connected\":{connected},\"answered\":{},\"blocks\":{count},\"error\":{error}}}", blocks.is_some());
}

#[tokio::main]
async fn main() -> ExitCode {
	let args = match parse_args() {
		Ok(args) => args,
		Err(error) => {
			eprintln!("healthchain-peer-probe: {error}\n{USAGE}");
			return ExitCode::from(2);
		},
	};
	let (block_protocol, mut blocks) =
		RequestConfig::new(ProtocolName::from(format!("/{}/sync/2", args.genesis)))
			.with_max_size(16 * 1024 * 1024)
			.with_timeout(args.timeout)
			.build();
	let config = ConfigBuilder::new()
		.with_tcp(TcpConfig { listen_addresses: vec!["/ip4/127.0.0.1/tcp/0".parse().expect("a valid multiaddr")], ..Default::default() })
		.with_request_response_protocol(block_protocol)
		.build();
	let mut litep2p = match Litep2p::new(config) {
		Ok(litep2p) => litep2p,
		Err(error) => {
			report(false, None, Some(format!("cannot start libp2p: {error}")));
			return ExitCode::from(1);
		},
	};
	litep2p.add_known_address(args.peer, std::iter::once(args.node.clone()));
	if let Err(error) = blocks.send_request(args.peer, block_request(args.block, args.ask), DialOptions::Dial).await {
		report(false, None, Some(format!("cannot send the request: {error}")));
		return ExitCode::from(1);
	}

	let mut connected = false;
	let deadline = tokio::time::sleep(args.timeout + Duration::from_secs(5));
	tokio::pin!(deadline);
	loop {
		tokio::select! {
			event = litep2p.next_event() => match event {
				Some(Litep2pEvent::ConnectionEstablished { peer, .. }) if peer == args.peer => connected = true,
				Some(Litep2pEvent::DialFailure { address, error }) => {
					report(connected, None, Some(format!("dial {address} failed: {error:?}")));
					return ExitCode::from(1);
				},
				Some(_) => {},
				None => break,
			},
			event = blocks.next() => match event {
				Some(RequestResponseEvent::ResponseReceived { response, .. }) => {
					return match count_blocks(&response) {
						Some(count) => {
							report(true, Some(count), None);
							ExitCode::SUCCESS
						},
						None => {
							report(true, None, Some("the answer is not a BlockResponse".into()));
							ExitCode::from(3)
						},
					};
				},
				Some(RequestResponseEvent::RequestFailed { error, .. }) => {
					report(connected, None, Some(format!("request failed: {error:?}")));
					return ExitCode::from(if connected { 3 } else { 1 });
				},
				Some(_) => {},
				None => break,
			},
			_ = &mut deadline => break,
		}
	}
	report(connected, None, Some("no answer before the timeout".into()));
	ExitCode::from(if connected { 3 } else { 1 })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_block_request_encodes_as_protobuf() {
		assert_eq!(block_request(1, 0x03), vec![0x08, 0x80, 0x80, 0x80, 0x18, 0x1a, 0x04, 1, 0, 0, 0, 0x30, 0x10]);
		assert_eq!(block_request(1, 0x11)[..6], [0x08, 0x80, 0x80, 0x80, 0x88, 0x01]);
	}

	#[test]
	fn attributes_are_named_and_an_unknown_name_is_refused() {
		assert_eq!(attributes("header,justification"), Ok(0x11));
		assert_eq!(attributes("header,body"), Ok(0x03));
		assert!(attributes("header,receipts").unwrap_err().contains("'receipts'"));
	}

	#[test]
	fn blocks_of_a_response_are_counted_and_garbage_is_not_a_response() {
		// Two BlockData entries (field 1), each with a 2-byte hash (field 1 inside).
		let response = [0x0a, 0x04, 0x0a, 0x02, 0xaa, 0xbb, 0x0a, 0x04, 0x0a, 0x02, 0xcc, 0xdd];
		assert_eq!(count_blocks(&response), Some(2));
		assert_eq!(count_blocks(&[]), Some(0));
		assert_eq!(count_blocks(&[0x0a, 0x09, 0x00]), None, "a length past the end");
		assert_eq!(count_blocks(&[0x0b]), None, "an unknown wire type");
	}
}
