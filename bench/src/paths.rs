//! The hot paths: what each prepares through the chain's own calls, and the call each sender
//! signs.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	rpcs::{rpc_params, RpcClient},
	dynamic::Value,
	transactions::DynamicPayload,
	utils::AccountId32,
	OnlineClient, SubstrateConfig,
};
use codec::{Decode, Encode};
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::Failure;

/// A hot path of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HotPath {
	/// `balances.transferKeepAlive` of the existential deposit to the next sender: the same on
	/// any Substrate node, for the comparison with another chain.
	Transfer,
	/// `healthRecords.logReleases` of `--batch` reads a call: a custodian logging the reads
	/// its vault released. One sender, which the hospital's admin (`--hospital-admin`)
	/// registers as the hospital's vault (a hospital has one vault, and only its account logs
	/// for it); the patient (`--patient`) adds the record it releases. On a chain whose hospital
	/// already has a vault of another account the run refuses, rather than take its log over.
	LogReleases,
	/// `healthRecords.addRecord`: each sender a nurse of the hospital adding Observations for
	/// the patient under the patient's grant to the hospital, held by the hospital's vault. The
	/// hospital's admin puts the senders on its nursing staff (and registers a vault of the
	/// bench's if the hospital has none); the patient grants the hospital write access to
	/// Observations for two years (replacing a grant it held).
	AddRecord,
	/// `remoteMonitoring.anchorBatch`: each sender a monitoring device anchoring its batches of
	/// readings, one period after the other. The hospital's care staff (`--care-staff`)
	/// registers each sender as a device and proposes it for the patient (`--patient`), who
	/// consents to each binding.
	AnchorBatch,
	/// `drugProvenance.commissionSerials` of `--batch` new serials a call, each sender
	/// commissioning its own lot for the development chain's manufacturer: first the
	/// regulator's admin (`--regulator-admin`) authorises every sender as a trading partner,
	/// and the manufacturer's admin (`--manufacturer-admin`) registers a product and adds every
	/// sender to the organisation as logistics staff. HealthChain's development chain only.
	Commission,
	/// `drugProvenance.shipUnits` of `--batch` units a call (a case), from the manufacturer's
	/// stock to the distributor (`--distributor`): each sender on the manufacturer's logistics
	/// staff, as for commissioning, shipping its own share of a stock the manufacturer's admin
	/// commissions first.
	Ship,
	/// `drugProvenance.receiveUnits` of `--batch` units a call: each sender on the
	/// distributor's logistics staff (added by `--distributor-admin`, authorised by the
	/// regulator), receiving its share of a stock the manufacturer's admin commissions and
	/// ships to the distributor first.
	Receive,
	/// `prescriptions.dispensePrescription` of `--batch` units a fill: each sender a pharmacist
	/// of the pharmacy (`--pharmacy`, licensed by the regulator), each call one prescription the
	/// prescriber (`--prescriber`) issued for the patient, filled from a stock the manufacturer
	/// ships to the pharmacy and its admin receives.
	Dispense,
	/// `insuranceClaims.submitClaim`: each sender a claims officer of the hospital, each call a
	/// claim under the patient's coverage (which the insurer's admin `--insurer-admin`
	/// registers) for its own claim document (which the hospital's claims officer
	/// `--claims-officer` files).
	SubmitClaim,
}

/// An organisation of HealthChain's development chain and its admin's key.
pub struct Organisation {
	/// Its organisation id.
	pub id: u32,
	/// Its admin's key.
	pub admin: Keypair,
}

/// Who sets a run up: for commissioning, the manufacturer the senders commission for and the
/// regulator that authorises them as trading partners; for logging reads, the hospital whose
/// vault the sender becomes and the patient whose record it releases; and so on for each path.
pub struct Parties {
	/// The manufacturer, which commissions every unit a run moves.
	pub manufacturer: Organisation,
	/// The regulator, accredited to issue trading-partner authorisations and pharmacy licences.
	pub regulator: Organisation,
	/// The distributor, to which units are shipped.
	pub distributor: Organisation,
	/// The pharmacy, which dispenses.
	pub pharmacy: Organisation,
	/// The insurer, which covers the patient.
	pub insurer: Organisation,
	/// A licensed practitioner, who prescribes.
	pub prescriber: Keypair,
	/// A claims officer of the hospital, who files the claim documents.
	pub claims_officer: Keypair,
	/// The hospital, custodian of the record.
	pub hospital: Organisation,
	/// The patient, who adds the record and wears the devices.
	pub patient: Keypair,
	/// A practitioner or nurse of the hospital, who registers the devices.
	pub care_staff: Keypair,
}

/// The product every commissioning run registers: a GTIN-13 with a valid check digit.
const BENCH_GTIN: u128 = 9_506_000_134_352;

impl std::fmt::Display for HotPath {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(match self {
			HotPath::Transfer => "transfer",
			HotPath::LogReleases => "log-releases",
			HotPath::AnchorBatch => "anchor-batch",
			HotPath::AddRecord => "add-record",
			HotPath::Commission => "commission",
			HotPath::Ship => "ship",
			HotPath::Receive => "receive",
			HotPath::Dispense => "dispense",
			HotPath::SubmitClaim => "submit-claim",
		})
	}
}

/// A call, its fields as dynamic values encoded with the chain's own metadata.
type Call = DynamicPayload<Vec<Value>>;

fn account(key: &Keypair) -> AccountId32 {
	key.public_key().into()
}

/// What a path prepared: what its calls need.
pub struct Prepared {
	/// The amount each transfer moves: the existential deposit.
	amount: u128,
	/// Units a call: serials for commissioning, reads for a log.
	batch: usize,
	/// The organisation that commissions.
	manufacturer: u32,
	/// When commissioned units expire (ms since the epoch): two years on.
	expires_at: u64,
	/// What tells this run's lots and serials from an earlier run's on the same chain: the
	/// block it was prepared at.
	run: u64,
	/// The most transactions a sender signs.
	per_sender: usize,
	/// The record whose reads are logged, and who read it.
	record: u64,
	reader: AccountId32,
	/// The hospital, the record's custodian and the readers' organisation.
	hospital: u32,
	/// The patient.
	patient: AccountId32,
	/// A moment (ms) after every device's binding: round `r` of a device anchors the readings
	/// of `[since + 2r, since + 2r + 1)`.
	since: u64,
	/// Where units are shipped, and the pharmacy that dispenses them.
	distributor: u32,
	pharmacy: u32,
	/// The first of the prescriptions (dispensing) or claim documents (claims) the
	/// preparation made, one for each transaction: sender `i`'s `round`-th takes
	/// `first + i * per_sender + round`.
	first: u64,
	/// The salt of every prescription's commitments.
	salt: [u8; 32],
	/// The patient's coverage, and the date of every claimed service (ms).
	coverage: u64,
	service_date: u64,
}

fn transfer(to: &Keypair, amount: u128) -> Call {
	let to = Value::unnamed_variant("Id", [Value::from_bytes(account(to).0)]);
	subxt::dynamic::tx("Balances", "transfer_keep_alive", vec![to, Value::u128(amount)])
}

fn gtin() -> Value {
	Value::unnamed_variant("Gtin", [Value::u128(BENCH_GTIN)])
}

/// 32 bytes marked `mark` and unique to a run and `parts` (at most three): the run's first
/// block, then each part, little-endian, the rest `mark`.
fn run_unique(mark: u8, run: u64, parts: &[u64]) -> [u8; 32] {
	let mut bytes = [mark; 32];
	for (k, part) in std::iter::once(run).chain(parts.iter().copied()).enumerate().take(4) {
		bytes[8 * k..8 * k + 8].copy_from_slice(&part.to_le_bytes());
	}
	bytes
}

/// Serial `n` of a run: unique over every run on the chain (within GS1's 20 characters: the run
/// and the serial's place in it, in hex).
fn serial(run: u64, n: usize) -> Value {
	Value::from_bytes(format!("{run:X}S{n:X}"))
}

/// The place of sender `i`'s `round`-th transaction among all of the run's.
fn slot(prepared: &Prepared, i: usize, round: usize) -> usize {
	i * prepared.per_sender + round
}

/// The `--batch` serials of sender `i`'s `round`-th transaction.
fn serials(prepared: &Prepared, i: usize, round: usize) -> Value {
	let first = slot(prepared, i, round) * prepared.batch;
	Value::unnamed_composite((first..first + prepared.batch).map(|n| serial(prepared.run, n)))
}

/// `drugProvenance.commissionSerials` of `serials` into `lot`, for `manufacturer`.
fn commission_serials(manufacturer: u32, lot: String, expires_at: u64, serials: Value) -> Call {
	subxt::dynamic::tx(
		"DrugProvenance",
		"commission_serials",
		vec![Value::u128(manufacturer.into()), gtin(), Value::from_bytes(lot), Value::u128(expires_at.into()), serials],
	)
}

/// `drugProvenance.shipUnits` of `serials` from `from`'s stock to `to`.
fn ship_units(from: u32, serials: Value, to: u32) -> Call {
	subxt::dynamic::tx("DrugProvenance", "ship_units", vec![Value::u128(from.into()), gtin(), serials, Value::u128(to.into())])
}

/// `drugProvenance.receiveUnits` of `serials` at `at`.
fn receive_units(at: u32, serials: Value) -> Call {
	subxt::dynamic::tx("DrugProvenance", "receive_units", vec![Value::u128(at.into()), gtin(), serials])
}

/// Sender `i`'s `round`-th commissioning: its own lot, serials unique over every run.
fn commission(prepared: &Prepared, i: usize, round: usize) -> Call {
	let Prepared { run, manufacturer, expires_at, .. } = *prepared;
	commission_serials(manufacturer, format!("BENCH-{run:X}-{i}"), expires_at, serials(prepared, i, round))
}

/// Sender `i`'s `round`-th case shipped from the manufacturer's stock to the distributor.
fn ship(prepared: &Prepared, i: usize, round: usize) -> Call {
	ship_units(prepared.manufacturer, serials(prepared, i, round), prepared.distributor)
}

/// Sender `i`'s `round`-th case received at the distributor.
fn receive(prepared: &Prepared, i: usize, round: usize) -> Call {
	receive_units(prepared.distributor, serials(prepared, i, round))
}

/// Sender `i`'s `round`-th fill: its own prescription, its own units of the pharmacy's stock.
fn dispense(prepared: &Prepared, i: usize, round: usize) -> Call {
	let prescription = prepared.first + slot(prepared, i, round) as u64;
	subxt::dynamic::tx(
		"Prescriptions",
		"dispense_prescription",
		vec![
			Value::u128(prescription.into()),
			Value::u128(prepared.pharmacy.into()),
			gtin(),
			Value::from_bytes(prepared.salt),
			serials(prepared, i, round),
		],
	)
}

/// Sender `i`'s `round`-th claim: its own claim document, a fingerprint unique over every run.
fn submit_claim(prepared: &Prepared, i: usize, round: usize) -> Call {
	let k = slot(prepared, i, round) as u64;
	let fingerprint = run_unique(0xc1, prepared.run, &[k]);
	subxt::dynamic::tx(
		"InsuranceClaims",
		"submit_claim",
		vec![
			Value::u128(prepared.hospital.into()),
			Value::u128(prepared.coverage.into()),
			Value::u128((prepared.first + k).into()),
			Value::u128(prepared.service_date.into()),
			Value::u128(100),
			Value::from_bytes(fingerprint),
			Value::unnamed_variant("None", []),
		],
	)
}

/// A batch of reads of the prepared record by its reader, under the hospital's grant, for
/// treatment: what a hospital's vault logs after it released them.
fn log_releases(prepared: &Prepared) -> Call {
	let release = || {
		Value::named_composite([
			("record", Value::u128(prepared.record.into())),
			("reader", Value::from_bytes(prepared.reader.0)),
			("authority", hospital_grant(prepared.hospital)),
			("emergency", Value::unnamed_variant("None", [])),
			("purpose", Value::unnamed_variant("Treatment", [])),
		])
	};
	subxt::dynamic::tx("HealthRecords", "log_releases", vec![Value::unnamed_composite((0..prepared.batch).map(|_| release()))])
}

/// The patient's grant to the hospital, as the authority a nurse writes under.
fn hospital_grant(hospital: u32) -> Value {
	Value::unnamed_variant("Grant", [Value::unnamed_variant("Organisation", [Value::u128(hospital.into())])])
}

/// `healthRecords.addRecord`: `patient`'s record of `record_type`, held by `custodian`,
/// written under `authority`.
fn add_record_call(patient: &AccountId32, record_type: &str, content_hash: [u8; 32], custodian: u32, authority: Value) -> Call {
	subxt::dynamic::tx(
		"HealthRecords",
		"add_record",
		vec![
			Value::from_bytes(patient.0),
			Value::unnamed_variant(record_type, []),
			Value::from_bytes(content_hash),
			Value::u128(custodian.into()),
			authority,
		],
	)
}

/// Nurse `i`'s `round`-th Observation for the patient: a content hash unique over every run.
fn add_record(prepared: &Prepared, i: usize, round: usize) -> Call {
	let content_hash = run_unique(0x0b, prepared.run, &[i as u64, round as u64]);
	add_record_call(&prepared.patient, "Observation", content_hash, prepared.hospital, hospital_grant(prepared.hospital))
}

/// Device `device`'s `round`-th batch: a millisecond's readings, periods one after the other.
fn anchor_batch(prepared: &Prepared, device: &Keypair, round: usize) -> Call {
	let starts_at = prepared.since + 2 * round as u64;
	let mut root = [0x5a; 32];
	root[..8].copy_from_slice(&starts_at.to_le_bytes());
	subxt::dynamic::tx(
		"RemoteMonitoring",
		"anchor_batch",
		vec![
			Value::from_bytes(account(device).0),
			Value::u128(starts_at.into()),
			Value::u128((starts_at + 1).into()),
			Value::u128(60),
			Value::from_bytes(root),
		],
	)
}

/// A plain `u64` storage value, `pallet.item`, at the current block.
async fn stored_u64(api: &OnlineClient<SubstrateConfig>, pallet: &str, item: &str) -> Result<u64, Failure> {
	let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
	let value = at
		.storage()
		.fetch(subxt::dynamic::storage::<(), Value>(pallet, item), ())
		.await
		.map_err(|e| Failure::Chain(format!("{pallet}.{item}: {e}")))?;
	u64::decode(&mut value.bytes()).map_err(|e| Failure::Chain(format!("{pallet}.{item}: {e}")))
}

/// The chain's clock (ms) at its current block.
async fn chain_time(api: &OnlineClient<SubstrateConfig>) -> Result<u64, Failure> {
	stored_u64(api, "Timestamp", "Now").await
}

impl HotPath {
	/// What one transaction of the path carries: serials for commissioning, reads for a log.
	pub fn units(&self, batch: usize) -> usize {
		match self {
			HotPath::Transfer | HotPath::AddRecord | HotPath::AnchorBatch | HotPath::SubmitClaim => 1,
			HotPath::LogReleases | HotPath::Commission | HotPath::Ship | HotPath::Receive | HotPath::Dispense => batch,
		}
	}

	/// How many senders the path can have: one custodian's vault logs its reads.
	pub fn most_senders(&self) -> Option<usize> {
		(*self == HotPath::LogReleases).then_some(1)
	}

	/// The call sender `i` signs in round `round`.
	pub fn call(&self, prepared: &Prepared, senders: &[Keypair], i: usize, round: usize) -> Call {
		match self {
			HotPath::Transfer => transfer(&senders[(i + 1) % senders.len()], prepared.amount),
			HotPath::Commission => commission(prepared, i, round),
			HotPath::LogReleases => log_releases(prepared),
			HotPath::AnchorBatch => anchor_batch(prepared, &senders[i], round),
			HotPath::AddRecord => add_record(prepared, i, round),
			HotPath::Ship => ship(prepared, i, round),
			HotPath::Receive => receive(prepared, i, round),
			HotPath::Dispense => dispense(prepared, i, round),
			HotPath::SubmitClaim => submit_claim(prepared, i, round),
		}
	}

	/// Funds each sender for `per_sender` transactions and their fees, from `funder`, gives
	/// the senders what the path needs of the chain (each path's documentation says what),
	/// and waits until all of it is finalized.
	pub async fn prepare(
		&self,
		api: &OnlineClient<SubstrateConfig>,
		rpc: &RpcClient,
		funder: &Keypair,
		senders: &[Keypair],
		per_sender: usize,
		batch: usize,
		chain: &Parties,
	) -> Result<Prepared, Failure> {
		let manufacturer = &chain.manufacturer;
		let reader: SecretUri = "//healthchain-bench//reader".parse().expect("a valid URI");
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		let ed = at
			.constants()
			.entry(subxt::dynamic::constant::<u128>("Balances", "ExistentialDeposit"))
			.map_err(|e| Failure::Chain(format!("Balances.ExistentialDeposit: {e}")))?;
		let two_years = Duration::from_secs(2 * 365 * 24 * 3600);
		let expires_at = (SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default() + two_years).as_millis() as u64;
		let mut prepared = Prepared {
			amount: ed,
			batch,
			manufacturer: manufacturer.id,
			expires_at,
			run: at.block_number(),
			per_sender,
			record: 0,
			reader: account(&Keypair::from_uri(&reader).expect("a valid key")),
			hospital: chain.hospital.id,
			patient: account(&chain.patient),
			since: 0,
			distributor: chain.distributor.id,
			pharmacy: chain.pharmacy.id,
			first: 0,
			salt: [0; 32],
			coverage: 0,
			service_date: 0,
		};
		prepared.salt = run_unique(0x5a, prepared.run, &[]);
		// The hospital's vault, if it has one (its account first, then its endpoint): read only
		// by the paths that need one, so that the transfer path runs on any Substrate node.
		let vault = if matches!(self, HotPath::LogReleases | HotPath::AddRecord | HotPath::SubmitClaim) {
			at.storage()
				.try_fetch(subxt::dynamic::storage::<Vec<Value>, Value>("HealthIdentity", "RecordVaults"), vec![Value::u128(
					chain.hospital.id.into(),
				)])
				.await
				.map_err(|e| Failure::Chain(format!("the hospital's vault: {e}")))?
				.map(|vault| AccountId32(vault.bytes().get(..32).and_then(|b| b.try_into().ok()).unwrap_or_default()))
		} else {
			None
		};
		// Which account the run registers as the hospital's vault: for the log, its sender
		// (and no other may hold the vault, whose log it would take over); for new records, a
		// vault of the bench's own when the hospital has none.
		let register_vault = match (*self, vault) {
			(HotPath::LogReleases, Some(holder)) if holder != account(&senders[0]) =>
				return Err(Failure::Chain(format!(
					"organisation {} already has a vault ({holder}): logging as another would take its log over; run against a development chain of its own",
					chain.hospital.id
				))),
			(HotPath::LogReleases, _) => Some(account(&senders[0])),
			(HotPath::AddRecord | HotPath::SubmitClaim, None) => {
				let vault: SecretUri = "//healthchain-bench//vault".parse().expect("a valid URI");
				Some(account(&Keypair::from_uri(&vault).expect("a valid key")))
			},
			_ => None,
		};
		// A sender's fee, estimated by the chain for one signed sample, doubled for safety.
		let sample = at
			.transactions()
			.create_signable_offline(&self.call(&prepared, senders, 0, 0), DefaultExtrinsicParamsBuilder::new().build())
			.and_then(|mut s| s.sign(&senders[0]))
			.map_err(|e| Failure::Chain(format!("signing a sample {self}: {e}")))?;
		let fee = sample
			.partial_fee_estimate()
			.await
			.map_err(|e| Failure::Chain(format!("the fee of a {self}: {e}")))?;
		let need = (per_sender as u128) * (ed + 2 * fee) + 10 * ed;
		let funding = senders.iter().map(|sender| transfer(sender, need)).collect();
		submit_finalized(api, rpc, funder, funding, "the senders' funding").await?;
		let hospital = || Value::u128(chain.hospital.id.into());
		if let Some(vault) = register_vault {
			let register = subxt::dynamic::tx(
				"HealthIdentity",
				"register_vault",
				vec![hospital(), Value::from_bytes(vault.0), Value::from_bytes("http://127.0.0.1:9/healthchain-bench")],
			);
			submit_finalized(api, rpc, &chain.hospital.admin, vec![register], "the hospital's vault").await?;
		}
		if *self == HotPath::AddRecord {
			let nurses = members(chain.hospital.id, senders, "Nurse");
			submit_finalized(api, rpc, &chain.hospital.admin, nurses, "the hospital's nurses").await?;
			let grant = subxt::dynamic::tx(
				"HealthRecords",
				"grant_access",
				vec![
					Value::from_bytes(prepared.patient.0),
					Value::unnamed_variant("Organisation", [hospital()]),
					Value::unnamed_variant("Write", []),
					Value::unnamed_composite([Value::unnamed_variant("Observation", [])]),
					Value::u128(expires_at.into()),
				],
			);
			submit_finalized(api, rpc, &chain.patient, vec![grant], "the patient's grant to the hospital").await?;
		}
		if *self == HotPath::LogReleases {
			let patient = account(&chain.patient);
			prepared.record = stored_u64(api, "HealthRecords", "NextRecordId").await?;
			// What the vault would hold under this hash is of no matter here: nothing is read.
			let content_hash = run_unique(0x4c, prepared.run, &[]);
			let add = add_record_call(&patient, "Observation", content_hash, chain.hospital.id, Value::unnamed_variant("PatientOrGuardian", []));
			submit_finalized(api, rpc, &chain.patient, vec![add], "the patient's record").await?;
			let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
			let added = at
				.storage()
				.try_fetch(subxt::dynamic::storage::<Vec<Value>, Value>("HealthRecords", "Records"), vec![Value::u128(
					prepared.record.into(),
				)])
				.await
				.map_err(|e| Failure::Chain(format!("the patient's record: {e}")))?;
			// A record is stored with its patient first.
			if added.as_ref().and_then(|r| r.bytes().get(..32)) != Some(&patient.0[..]) {
				return Err(Failure::Chain(format!(
					"record {} is not {patient}'s: the patient could not add it (a patient, with room for a record of its own?)",
					prepared.record
				)));
			}
		}
		if *self == HotPath::AnchorBatch {
			let organisation = hospital();
			let patient = account(&chain.patient);
			let mut staff_calls = Vec::with_capacity(2 * senders.len());
			for device in senders {
				let device = account(device);
				// A device registered by an earlier run stays registered, bound to the patient:
				// then these fail in their blocks and change nothing.
				staff_calls.push(subxt::dynamic::tx(
					"RemoteMonitoring",
					"register_device",
					vec![
						organisation.clone(),
						Value::from_bytes(device.0),
						Value::from_bytes("HEALTHCHAIN-BENCH"),
						Value::from_bytes(hex::encode(&device.0[..8])),
						Value::unnamed_variant("PulseOximeter", []),
						Value::unnamed_variant("None", []),
					],
				));
				staff_calls.push(subxt::dynamic::tx(
					"RemoteMonitoring",
					"propose_binding",
					vec![Value::from_bytes(device.0), Value::from_bytes(patient.0)],
				));
			}
			submit_finalized(api, rpc, &chain.care_staff, staff_calls, "the devices' registration").await?;
			let consents = senders
				.iter()
				.map(|device| subxt::dynamic::tx("RemoteMonitoring", "confirm_binding", vec![Value::from_bytes(account(device).0)]))
				.collect();
			submit_finalized(api, rpc, &chain.patient, consents, "the patient's consent to each device").await?;
			// Every binding is in a block before this one: its readings start after.
			prepared.since = chain_time(api).await? + 1;
			// The last period must be over by the time its batch is dispatched: a block's
			// timestamp is at least its parent's and at least the wall clock (a development
			// chain's clock runs ahead of the wall clock when blocks come faster than a slot).
			let last = prepared.since + 2 * per_sender as u64;
			loop {
				let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
				if wall >= last || chain_time(api).await? >= last {
					break;
				}
				tokio::time::sleep(Duration::from_millis(100)).await;
			}
		}
		let transactions = senders.len() * per_sender;
		match *self {
			HotPath::Commission | HotPath::Ship => {
				// Only an authorised trading partner acts for a manufacturer: until the units expire.
				enlist(api, rpc, chain, senders, "TradingPartnerAuthorisation", expires_at, manufacturer, "Logistics").await?;
				match *self {
					HotPath::Ship => stock(api, rpc, chain, &prepared, transactions * batch, None).await?,
					// The product may be there from an earlier run on the same chain: a second
					// registration fails in its block and changes nothing.
					_ => submit_finalized(api, rpc, &manufacturer.admin, vec![register_product(manufacturer.id)], "the product").await?,
				}
			},
			HotPath::Receive => {
				enlist(api, rpc, chain, senders, "TradingPartnerAuthorisation", expires_at, &chain.distributor, "Logistics").await?;
				stock(api, rpc, chain, &prepared, transactions * batch, Some((&chain.distributor, false))).await?;
			},
			HotPath::Dispense => {
				enlist(api, rpc, chain, senders, "PharmacyLicence", expires_at, &chain.pharmacy, "Pharmacist").await?;
				stock(api, rpc, chain, &prepared, transactions * batch, Some((&chain.pharmacy, true))).await?;
				// One prescription for each fill: the patient's, for `--batch` units of the
				// product, committed to as the prescriptions pallet hashes them (SCALE, Blake2-256;
				// `ProductCode::Gtin` is the enum's first variant).
				let patient_commitment = sp_crypto_hashing::blake2_256(&(prepared.patient.0, prepared.salt).encode());
				let product = (0u8, BENCH_GTIN as u64);
				let item_commitment = sp_crypto_hashing::blake2_256(&(product, batch as u32, prepared.salt).encode());
				let issue = subxt::dynamic::tx(
					"Prescriptions",
					"issue_prescription",
					vec![
						Value::from_bytes(patient_commitment),
						Value::from_bytes([0x3e; 32]),
						Value::from_bytes(item_commitment),
						Value::bool(false),
						Value::u128(0),
						Value::u128(0),
						Value::u128(0),
						Value::u128(expires_at.into()),
					],
				);
				prepared.first =
					made(api, rpc, &chain.prescriber, vec![issue; transactions], "Prescriptions", "NextPrescriptionId", "prescriptions (is --prescriber a licensed practitioner?)")
						.await?;
			},
			HotPath::SubmitClaim => {
				let staff = members(chain.hospital.id, senders, "ClaimsOfficer");
				submit_finalized(api, rpc, &chain.hospital.admin, staff, "the hospital's claims officers").await?;
				let coverage = subxt::dynamic::tx(
					"InsuranceClaims",
					"register_coverage",
					vec![
						Value::u128(chain.insurer.id.into()),
						Value::from_bytes(prepared.patient.0),
						Value::from_bytes([0xc0; 32]),
						Value::from_bytes("HEALTHCHAIN-BENCH"),
						Value::u128(0),
						Value::u128(expires_at.into()),
					],
				);
				prepared.coverage =
					made(api, rpc, &chain.insurer.admin, vec![coverage], "InsuranceClaims", "NextCoverageId", "the patient's coverage (is --insurer-admin a claims officer of --insurer?)")
						.await?;
				// One claim document for each claim, each its own content.
				let documents = (0..transactions as u64)
					.map(|k| {
						let billing = Value::unnamed_variant("Billing", [hospital()]);
						add_record_call(&prepared.patient, "Claim", run_unique(0xd0, prepared.run, &[k]), chain.hospital.id, billing)
					})
					.collect();
				prepared.first =
					made(api, rpc, &chain.claims_officer, documents, "HealthRecords", "NextRecordId", "claim documents (is --claims-officer a claims officer of the hospital?)")
						.await?;
				// Every claim is for a service given before its block.
				prepared.service_date = chain_time(api).await?;
			},
			_ => {},
		}
		Ok(prepared)
	}
}

/// The regulator's credential of `kind` for each sender, valid until `until`.
fn credentials(chain: &Parties, senders: &[Keypair], kind: &str, until: u64) -> Vec<Call> {
	senders
		.iter()
		.map(|sender| {
			subxt::dynamic::tx(
				"HealthIdentity",
				"issue_credential",
				vec![
					Value::u128(chain.regulator.id.into()),
					Value::from_bytes(account(sender).0),
					Value::unnamed_variant(kind, []),
					Value::from_bytes([0x0c; 32]),
					Value::u128(0),
					Value::u128(until.into()),
				],
			)
		})
		.collect()
}

/// Each sender added to `organisation`'s staff with `role`, by its admin.
fn members(organisation: u32, senders: &[Keypair], role: &str) -> Vec<Call> {
	senders
		.iter()
		.map(|sender| {
			let roles = Value::unnamed_composite([Value::unnamed_variant(role, [])]);
			subxt::dynamic::tx(
				"HealthIdentity",
				"add_member",
				vec![Value::u128(organisation.into()), Value::from_bytes(account(sender).0), roles],
			)
		})
		.collect()
}

/// The regulator's `credential` for each sender, then `organisation`'s admin adds each to its
/// staff with `role`.
#[allow(clippy::too_many_arguments)]
async fn enlist(
	api: &OnlineClient<SubstrateConfig>,
	rpc: &RpcClient,
	chain: &Parties,
	senders: &[Keypair],
	credential: &str,
	until: u64,
	organisation: &Organisation,
	role: &str,
) -> Result<(), Failure> {
	let credentials = credentials(chain, senders, credential, until);
	submit_finalized(api, rpc, &chain.regulator.admin, credentials, &format!("the senders' {credential}")).await?;
	let staff = members(organisation.id, senders, role);
	submit_finalized(api, rpc, &organisation.admin, staff, &format!("organisation {}'s {role} staff", organisation.id)).await
}

/// The bench's product, registered by the manufacturer's admin: a drug, not controlled.
fn register_product(manufacturer: u32) -> Call {
	subxt::dynamic::tx(
		"DrugProvenance",
		"register_product",
		vec![
			Value::u128(manufacturer.into()),
			gtin(),
			Value::unnamed_variant("Drug", []),
			Value::from_bytes([0x0d; 32]),
			Value::bool(false),
		],
	)
}

/// A `u32` constant of the chain's.
fn constant_u32(at: &subxt::client::OnlineClientAtBlock<SubstrateConfig>, pallet: &str, name: &str) -> Result<usize, Failure> {
	at.constants()
		.entry(subxt::dynamic::constant::<u32>(pallet, name))
		.map(|n| n as usize)
		.map_err(|e| Failure::Chain(format!("{pallet}.{name}: {e}")))
}

/// The run's stock, serials `0..units`: the manufacturer's admin registers the product and
/// commissions them in one lot of the run's; given a destination, ships them there, and its
/// admin receives them when asked. Refuses when the last unit is not where it should be.
async fn stock(
	api: &OnlineClient<SubstrateConfig>,
	rpc: &RpcClient,
	chain: &Parties,
	prepared: &Prepared,
	units: usize,
	destination: Option<(&Organisation, bool)>,
) -> Result<(), Failure> {
	let manufacturer = &chain.manufacturer;
	let run = prepared.run;
	let serial_range = |from: usize, len: usize| Value::unnamed_composite((from..(from + len).min(units)).map(|n| serial(run, n)));
	let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
	let commission_batch = constant_u32(&at, "DrugProvenance", "MaxCommissionBatch")?;
	let case = constant_u32(&at, "DrugProvenance", "MaxUnitsPerCall")?;
	let mut calls = vec![register_product(manufacturer.id)];
	let lot = || format!("BENCH-{run:X}-STOCK");
	calls.extend(
		(0..units)
			.step_by(commission_batch)
			.map(|from| commission_serials(manufacturer.id, lot(), prepared.expires_at, serial_range(from, commission_batch))),
	);
	submit_finalized(api, rpc, &manufacturer.admin, calls, "the manufacturer's stock").await?;
	if let Some((to, receive)) = destination {
		let shipments = (0..units).step_by(case).map(|from| ship_units(manufacturer.id, serial_range(from, case), to.id)).collect();
		submit_finalized(api, rpc, &manufacturer.admin, shipments, "the stock's shipment").await?;
		if receive {
			let receipts = (0..units).step_by(case).map(|from| receive_units(to.id, serial_range(from, case))).collect();
			submit_finalized(api, rpc, &to.admin, receipts, "the stock's receipt").await?;
		}
	}
	// A unit is stored with its lot, then its custodian: the organisation whose stock it is,
	// or which shipped it.
	let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
	let last = at
		.storage()
		.try_fetch(subxt::dynamic::storage::<Vec<Value>, Value>("DrugProvenance", "Units"), vec![gtin(), serial(run, units - 1)])
		.await
		.map_err(|e| Failure::Chain(format!("the stock's last unit: {e}")))?;
	let custodian = last.as_ref().and_then(|unit| {
		let mut bytes = unit.bytes();
		Vec::<u8>::decode(&mut bytes).ok()?;
		u32::decode(&mut bytes).ok()
	});
	let expected = match destination {
		Some((to, true)) => to.id,
		_ => manufacturer.id,
	};
	if custodian != Some(expected) {
		return Err(Failure::Chain(format!(
			"the stock's last unit is {}, not in organisation {expected}'s custody: could --manufacturer-admin commission and ship, and the destination's admin receive?",
			custodian.map_or("not commissioned".to_string(), |c| format!("in organisation {c}'s custody"))
		)));
	}
	Ok(())
}

/// Submits `calls` (each of which makes one numbered thing) and returns the first number they
/// took, from the counter `pallet.next`, refusing unless every call made its thing.
async fn made(
	api: &OnlineClient<SubstrateConfig>,
	rpc: &RpcClient,
	signer: &Keypair,
	calls: Vec<Call>,
	pallet: &str,
	next: &str,
	what: &str,
) -> Result<u64, Failure> {
	let first = stored_u64(api, pallet, next).await?;
	let wanted = calls.len() as u64;
	submit_finalized(api, rpc, signer, calls, what).await?;
	let now = stored_u64(api, pallet, next).await?;
	if now != first + wanted {
		return Err(Failure::Chain(format!(
			"{what}: {} of {wanted} made (or others made meanwhile; run against a development chain of its own)",
			now - first
		)));
	}
	Ok(first)
}

/// Submits `calls` signed by `signer` with consecutive nonces, and waits until its finalized
/// nonce has passed them all (each is in a finalized block, whatever its outcome).
async fn submit_finalized(
	api: &OnlineClient<SubstrateConfig>,
	rpc: &RpcClient,
	signer: &Keypair,
	calls: Vec<Call>,
	what: &str,
) -> Result<(), Failure> {
	let nonce = async || -> Result<u64, Failure> {
		let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
		at.transactions().account_nonce(&account(signer)).await.map_err(|e| Failure::Chain(format!("{}'s nonce: {e}", account(signer))))
	};
	// One block for the first nonce and for signing: the calls are built on the state they count from.
	let at = api.at_current_block().await.map_err(|e| Failure::Chain(format!("the current block: {e}")))?;
	let first = at.transactions().account_nonce(&account(signer)).await.map_err(|e| Failure::Chain(format!("{}'s nonce: {e}", account(signer))))?;
	for (k, call) in calls.iter().enumerate() {
		let params = DefaultExtrinsicParamsBuilder::new().nonce(first + k as u64).build();
		let tx = at
			.transactions()
			.create_signable_offline(call, params)
			.and_then(|mut s| s.sign(signer))
			.map_err(|e| Failure::Chain(format!("signing {what}: {e}")))?;
		let _: String = rpc
			.request("author_submitExtrinsic", rpc_params![format!("0x{}", hex::encode(tx.encoded()))])
			.await
			.map_err(|e| Failure::Chain(format!("{what}: refused (is {} funded?): {e}", account(signer))))?;
	}
	// Two minutes, and a second a call: the heaviest (a full commissioning batch) fit eight a
	// block.
	let allowed = 120 + calls.len() as u64;
	let deadline = Instant::now() + Duration::from_secs(allowed);
	loop {
		let now = nonce().await?;
		if now >= first + calls.len() as u64 {
			return Ok(());
		}
		if Instant::now() > deadline {
			return Err(Failure::Chain(format!("{what} was not finalized within {allowed} s ({} of {})", now - first, calls.len())));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}
