//! `healthchain`: what a patient, a practitioner and an organisation's admin do day to day,
//! on the client library. Every failure exits non-zero with one line naming its cause:
//! 1 when the chain or a vault refused, 2 for bad input, 3 when a node or vault is unreachable.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};
use healthchain_client::{
	chain::{self, runtime, AccountId, Authority, Chain, ChainError},
	claims,
	keys::{parse_account, ss58, KeyFile, Keys},
	records::{self, RecordError},
	research,
};
use runtime::runtime_types::pallet_health_records::types::{AccessLevel, EmergencyReason, Grantee};
use serde_json::json;

/// HealthChain from the command line.
#[derive(Parser, Debug)]
#[command(name = "healthchain", version)]
struct Cli {
	/// The node to talk to (WebSocket JSON-RPC); `HEALTHCHAIN_NODE` if not given.
	#[arg(long, global = true)]
	node: Option<String>,
	/// Your key file (from `healthchain key new`); `HEALTHCHAIN_KEY_FILE` if not given.
	#[arg(long, global = true)]
	key_file: Option<PathBuf>,
	/// `text` for people, `json` (one object) for scripts.
	#[arg(long, global = true, value_enum, default_value_t = Output::Text)]
	output: Output,
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Output {
	Text,
	Json,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Keys: your account and encryption key, from one secret phrase.
	#[command(subcommand)]
	Key(KeyCommand),
	/// Health records, through the custodians' vaults.
	#[command(subcommand)]
	Record(RecordCommand),
	/// As a patient, grant a practitioner (or an organisation) access to record types.
	Grant {
		/// The practitioner (SS58), or `org:<id>` for an organisation.
		grantee: String,
		/// Record types, comma-separated (`Observation,DiagnosticReport`).
		#[arg(long, value_delimiter = ',', required = true)]
		types: Vec<String>,
		/// `read`, or `write` (read, add and amend).
		#[arg(long, default_value = "read")]
		access: String,
		/// How many days the grant lasts.
		#[arg(long, default_value_t = 30, conflicts_with = "minutes")]
		days: u64,
		/// How many minutes the grant lasts, instead of days (a single visit).
		#[arg(long)]
		minutes: Option<u64>,
		/// The patient, if you act as a guardian; yourself by default.
		#[arg(long)]
		patient: Option<String>,
	},
	/// As a patient, revoke a grant.
	Revoke {
		/// The practitioner (SS58), or `org:<id>`.
		grantee: String,
		/// The patient, if you act as a guardian; yourself by default.
		#[arg(long)]
		patient: Option<String>,
	},
	/// As a patient, erase a record (every version); its vault deletes it and confirms.
	Erase {
		/// The record.
		record: u64,
	},
	/// A patient's access log: who read what, when, why, and which vault released it.
	Log {
		/// The patient; yourself by default.
		#[arg(long)]
		patient: Option<String>,
	},
	/// As a patient (or a guardian), consent to research: give, withdraw, list.
	#[command(subcommand)]
	Consent(ConsentCommand),
	/// A patient's insurance claims and where each stands.
	Claims {
		/// The patient; yourself by default.
		#[arg(long)]
		patient: Option<String>,
	},
	/// The keyed duplicate fingerprint of a claim, as `submit_claim` carries it: a provider's
	/// claims officer computes it before submitting; an insurer checks a claim's against what
	/// its document bills. Needs no node and no key file.
	ClaimFingerprint {
		/// The coverage's secret, 32 bytes in hex (issued by the insurer with the policy).
		#[arg(long)]
		coverage_secret: String,
		/// The patient (SS58).
		#[arg(long)]
		patient: String,
		/// The provider organisation.
		#[arg(long)]
		provider: u32,
		/// When the service was given, ms since the Unix epoch (only its UTC day counts).
		#[arg(long)]
		service_date: u64,
		/// The procedure codes billed, comma-separated, in any order.
		#[arg(long, value_delimiter = ',', required = true)]
		procedures: Vec<String>,
		/// The amount billed, in the plan currency's smallest unit.
		#[arg(long)]
		billed: u128,
	},
	/// As an emergency practitioner, break the glass to read a patient's records (reviewed).
	BreakGlass {
		/// The patient (SS58).
		patient: String,
		/// The organisation you practise emergency care at.
		#[arg(long)]
		organisation: u32,
		/// `unresponsive`, `life-threatening`, `unable-to-consent` or `urgent-care`.
		#[arg(long)]
		reason: String,
	},
	/// As a pharmacist (or anyone), check a pack's serial before dispensing: exits 0 only if it
	/// is genuine and may be dispensed now, 1 with the reason otherwise.
	VerifySerial {
		/// The GS1 GTIN on the pack (up to 14 digits, check digit included).
		#[arg(long)]
		gtin: u64,
		/// The serial number on the pack.
		#[arg(long)]
		serial: String,
		/// The lot number on the pack, checked against the unit's if given.
		#[arg(long)]
		lot: Option<String>,
	},
	/// Send tokens (whole HCT, 10^12 base units each), keeping the sender alive.
	Transfer {
		/// The recipient (SS58).
		to: String,
		/// How many HCT.
		units: u64,
	},
	/// As an organisation's admin, make a vault its custodian: its profile's key becomes the
	/// vault's organisation key and the vault's account and endpoint are registered.
	RegisterVault {
		/// The organisation.
		#[arg(long)]
		organisation: u32,
		/// The vault's key file.
		#[arg(long)]
		vault_key_file: PathBuf,
		/// The vault's endpoint (`https://...`, or `http://` on a private network).
		#[arg(long)]
		endpoint: String,
		/// The organisation's encryption key the vault opens records with (a key file, or a
		/// PEM X25519 private key such as a consortium member's `secrets/encryption.pem`);
		/// the vault's key file if not given. The organisation's key on chain is set to it.
		#[arg(long)]
		organisation_key_file: Option<PathBuf>,
	},
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
	/// Make a new key file (0600); refuses to overwrite one.
	New {
		/// Where to write it.
		#[arg(long)]
		out: PathBuf,
		/// Derive from this secret phrase (or `//Dev` path) instead of a new one.
		#[arg(long)]
		phrase: Option<String>,
	},
	/// Show the account and encryption key of your key file.
	Show,
	/// Put your encryption key on chain: `patient` (rotate_patient_key) or `staff` (set_staff_key).
	Publish {
		/// As whom.
		#[arg(value_parser = ["patient", "staff"])]
		role: String,
	},
}

#[derive(Subcommand, Debug)]
enum ConsentCommand {
	/// Your participant for a study (an account derived from your phrase that names no one
	/// on chain) and your binding of it: give both to the study team, which funds the
	/// participant's fees and presents the binding to your records' custodians.
	Participant {
		/// The study.
		#[arg(long)]
		study: u32,
	},
	/// Consent, under your participant for the study, to its use of record types.
	Give {
		/// The study.
		#[arg(long)]
		study: u32,
		/// Record types it may use, comma-separated (`Observation,DiagnosticReport`).
		#[arg(long, value_delimiter = ',', required = true)]
		types: Vec<String>,
		/// Days until it lapses; it stands until withdrawn if not given.
		#[arg(long)]
		days: Option<u64>,
	},
	/// Withdraw a consent given under your participant for a study: no study uses the records
	/// under it from the next block.
	Withdraw {
		/// The consent.
		consent: u64,
		/// The study it was given for.
		#[arg(long)]
		study: u32,
	},
	/// List the consents of your participants, one per registered study, withdrawn ones
	/// included.
	List,
}

#[derive(Subcommand, Debug)]
enum RecordCommand {
	/// Seal a FHIR resource (JSON file), upload it to the custodian's vault and anchor it.
	Put {
		/// The FHIR resource, JSON.
		file: PathBuf,
		/// The patient (SS58); yourself by default.
		#[arg(long)]
		patient: Option<String>,
		/// The organisation whose vault holds it.
		#[arg(long)]
		custodian: u32,
		/// Under what authority: `patient` (as the patient or a guardian), `grant` (your own
		/// grant), `org:<id>` (your organisation's grant), or `billing:<id>` (a claim document,
		/// as a claims officer of that care provider).
		#[arg(long, default_value = "grant")]
		under: String,
	},
	/// Seal a new version of a record (a FHIR resource of the same type), upload it to the
	/// vault that holds the record and link it on chain; the earlier version stays readable.
	Amend {
		/// The record to amend (its latest version).
		record: u64,
		/// The new version, a FHIR resource, JSON.
		file: PathBuf,
		/// Under what authority: `patient`, `grant` or `org:<id>`, as for `put`.
		#[arg(long, default_value = "grant")]
		under: String,
	},
	/// Read a record from its custodian's vault and write the exact bytes put.
	Get {
		/// The record.
		record: u64,
		/// Why (`Treatment`, `CareCoordination`, `Emergency`, ...).
		#[arg(long, default_value = "Treatment")]
		purpose: String,
		/// As a researcher: the participant (SS58) whose research access the read is made
		/// under (the purpose is then `Research`).
		#[arg(long, requires = "binding")]
		participant: Option<String>,
		/// As a researcher: the patient's binding of the participant, hex.
		#[arg(long, requires = "participant")]
		binding: Option<String>,
		/// Where to write it; standard output by default.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// List a patient's records.
	List {
		/// The patient; yourself by default.
		#[arg(long)]
		patient: Option<String>,
	},
}

/// A failure: an exit code and one line.
struct Failure(u8, String);

impl From<ChainError> for Failure {
	fn from(e: ChainError) -> Self {
		match e {
			ChainError::Unreachable { .. } => Failure(3, e.to_string()),
			_ => Failure(1, e.to_string()),
		}
	}
}

impl From<RecordError> for Failure {
	fn from(e: RecordError) -> Self {
		match e {
			RecordError::Chain(e) => e.into(),
			RecordError::VaultUnreachable { .. } => Failure(3, e.to_string()),
			RecordError::NotARecord(_) => Failure(2, e.to_string()),
			_ => Failure(1, e.to_string()),
		}
	}
}

/// A listing: one line per item (`none` when there is none), and the items under `key` in JSON.
fn listing(key: &str, listed: Vec<serde_json::Value>, none: &str, line: impl Fn(&serde_json::Value) -> String) -> Done {
	let text = listed.iter().map(line).collect::<Vec<_>>().join("\n");
	(if text.is_empty() { none.into() } else { text }, json!({ key: listed }))
}

fn bad(message: impl Into<String>) -> Failure {
	Failure(2, message.into())
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let output = cli.output;
	match run(cli).await {
		Ok((text, value)) => {
			match output {
				Output::Text => println!("{text}"),
				Output::Json => println!("{value}"),
			}
			ExitCode::SUCCESS
		},
		Err(Failure(code, message)) => {
			let line = message.replace('\n', " ");
			match output {
				Output::Text => eprintln!("healthchain: {line}"),
				Output::Json => eprintln!("{}", json!({ "error": line })),
			}
			ExitCode::from(code)
		},
	}
}

fn keys(cli: &Cli) -> Result<Keys, Failure> {
	let path = cli
		.key_file
		.clone()
		.or_else(|| std::env::var_os("HEALTHCHAIN_KEY_FILE").map(PathBuf::from))
		.ok_or_else(|| bad("--key-file (or HEALTHCHAIN_KEY_FILE) is needed"))?;
	KeyFile::load(&path).map_err(|e| bad(format!("{}: {e}", path.display())))
}

fn account(text: &str) -> Result<[u8; 32], Failure> {
	parse_account(text).ok_or_else(|| bad(format!("{text} is not an SS58 account")))
}

fn grantee(text: &str) -> Result<Grantee<AccountId, u32>, Failure> {
	match text.strip_prefix("org:") {
		Some(id) => Ok(Grantee::Organisation(id.parse().map_err(|_| bad(format!("{text}: org:<number>")))?)),
		None => Ok(Grantee::Account(AccountId::from(account(text)?))),
	}
}

/// The authority a write is made under, from `--under`.
fn authority_under(under: &str, me: [u8; 32]) -> Result<Authority<AccountId, u32>, Failure> {
	Ok(match under {
		"patient" => Authority::PatientOrGuardian,
		"grant" => Authority::Grant(Grantee::Account(AccountId::from(me))),
		other => match other.strip_prefix("billing:") {
			// A claim document, filed for a care provider by one of its claims officers.
			Some(id) => Authority::Billing(id.parse().map_err(|_| bad(format!("--under {other}: billing:<organisation number>")))?),
			None => Authority::Grant(
				grantee(other).map_err(|_| bad(format!("--under {other}: patient, grant, org:<id> or billing:<id>")))?,
			),
		},
	})
}

type Done = (String, serde_json::Value);

async fn run(cli: Cli) -> Result<Done, Failure> {
	if let Command::Key(KeyCommand::New { out, phrase }) = &cli.command {
		let new = match phrase {
			Some(phrase) => Keys::from_phrase(phrase).map_err(|e| bad(e.to_string()))?,
			None => Keys::generate(),
		};
		KeyFile::save(&new, out).map_err(|e| bad(format!("{}: {e}", out.display())))?;
		return Ok(describe_keys(&new, &format!("wrote {}", out.display())));
	}
	if let Command::ClaimFingerprint { coverage_secret, patient, provider, service_date, procedures, billed } = &cli.command {
		let secret: [u8; 32] = hex::decode(coverage_secret.trim_start_matches("0x"))
			.ok()
			.and_then(|bytes| bytes.try_into().ok())
			.ok_or_else(|| bad("--coverage-secret: 32 bytes in hex".to_string()))?;
		if procedures.iter().any(|code| code.is_empty()) {
			return Err(bad("--procedures: no empty code".to_string()));
		}
		let codes: Vec<&str> = procedures.iter().map(String::as_str).collect();
		let service = claims::BilledService {
			patient: account(patient)?,
			provider: *provider,
			service_date_ms: *service_date,
			procedure_codes: &codes,
			billed: *billed,
		};
		let fingerprint = format!("0x{}", hex::encode(claims::fingerprint(&secret, &service)));
		return Ok((format!("fingerprint {fingerprint}"), json!({ "fingerprint": fingerprint })));
	}
	let me = keys(&cli)?;
	if let Command::Key(KeyCommand::Show) = &cli.command {
		return Ok(describe_keys(&me, "key file"));
	}
	let node = cli
		.node
		.clone()
		.or_else(|| std::env::var("HEALTHCHAIN_NODE").ok())
		.unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let chain = Chain::connect(&node).await?;
	let me_id = me.account_id();
	let patient_or_me = |p: &Option<String>| p.as_deref().map(account).transpose().map(|p| p.unwrap_or(me_id));
	match cli.command {
		Command::Key(KeyCommand::Publish { role }) => {
			let key = me.encryption_public();
			if role == "patient" {
				chain.submit(&runtime::tx().health_identity().rotate_patient_key(key), &me).await?;
			} else {
				chain.submit(&runtime::tx().health_identity().set_staff_key(key), &me).await?;
			}
			Ok((format!("published {} as your {role} key", hex::encode(key)), json!({ "encryptionKey": hex::encode(key), "as": role })))
		},
		Command::Record(RecordCommand::Put { file, patient, custodian, under }) => {
			let document = std::fs::read(&file).map_err(|e| bad(format!("{}: {e}", file.display())))?;
			let patient = patient_or_me(&patient)?;
			let authority = authority_under(&under, me_id)?;
			let put = records::put(&chain, &me, patient, custodian, authority, &document).await?;
			Ok((
				format!("record {} ({}) held by organisation {}'s vault, content hash {}", put.record, put.record_type, put.custodian, put.content_hash),
				serde_json::to_value(&put).expect("serialisable"),
			))
		},
		Command::Record(RecordCommand::Amend { record, file, under }) => {
			let document = std::fs::read(&file).map_err(|e| bad(format!("{}: {e}", file.display())))?;
			let authority = authority_under(&under, me_id)?;
			let put = records::amend(&chain, &me, record, authority, &document).await?;
			Ok((
				format!("record {} amends record {record} ({}), held by organisation {}'s vault, content hash {}", put.record, put.record_type, put.custodian, put.content_hash),
				json!({ "amends": record, "record": put.record, "contentHash": put.content_hash, "custodian": put.custodian, "recordType": put.record_type }),
			))
		},
		Command::Record(RecordCommand::Get { record, purpose, participant, binding, out }) => {
			if chain::access_purpose(&purpose).is_none() {
				return Err(bad(format!("--purpose {purpose} is not an access purpose")));
			}
			let document = match (participant, binding) {
				(Some(participant), Some(binding)) => {
					let participant = account(&participant)?;
					let binding: [u8; 64] = hex::decode(binding.trim_start_matches("0x"))
						.ok()
						.and_then(|b| b.try_into().ok())
						.ok_or_else(|| bad("--binding: 64 bytes of hex"))?;
					records::get_for_research(&chain, &me, record, participant, binding).await?
				},
				_ => records::get(&chain, &me, record, &purpose).await?,
			};
			match out {
				Some(path) => {
					std::fs::write(&path, &document).map_err(|e| bad(format!("{}: {e}", path.display())))?;
					Ok((
						format!("wrote record {record} ({} bytes) to {}", document.len(), path.display()),
						json!({ "record": record, "bytes": document.len(), "out": path }),
					))
				},
				None => Ok((
					String::from_utf8_lossy(&document).into_owned(),
					serde_json::from_slice(&document).unwrap_or(json!(String::from_utf8_lossy(&document))),
				)),
			}
		},
		Command::Record(RecordCommand::List { patient }) => {
			let listed: Vec<_> = chain
				.patient_records(patient_or_me(&patient)?)
				.await?
				.into_iter()
				.map(|(id, record)| {
					json!({
						"record": id,
						"type": format!("{:?}", record.record_type),
						"author": ss58(&record.author.0),
						"custodian": record.custodian,
						"createdAt": record.created_at,
						"version": record.version,
						"contentHash": hex::encode(record.content_hash.0),
						"erased": record.erased_at.is_some(),
						"erasureConfirmed": record.erasure_confirmed_at.is_some(),
					})
				})
				.collect();
			Ok(listing("records", listed, "no records", |r| {
				format!("{} {} v{} by {} held by {} {}", r["record"], r["type"].as_str().unwrap_or_default(), r["version"], r["author"].as_str().unwrap_or_default(), r["custodian"], if r["erased"] == true { "(erased)" } else { "" })
			}))
		},
		Command::Grant { grantee: to, types, access, days, minutes, patient } => {
			let patient = patient_or_me(&patient)?;
			let record_types = types
				.iter()
				.map(|t| chain::record_type(t).ok_or_else(|| bad(format!("{t} is not a record type"))))
				.collect::<Result<Vec<_>, _>>()?;
			let level = match access.as_str() {
				"read" => AccessLevel::Read,
				"write" => AccessLevel::Write,
				other => return Err(bad(format!("--access {other}: read or write"))),
			};
			let lasts_ms = match minutes {
				Some(0) => return Err(bad("--minutes 0: a grant must last")),
				Some(minutes) => minutes.saturating_mul(60_000),
				None if days == 0 => return Err(bad("--days 0: a grant must last")),
				None => days.saturating_mul(24 * 3600 * 1000),
			};
			let expires_at = chain.now().await?.saturating_add(lasts_ms);
			let call = runtime::tx().health_records().grant_access(AccountId::from(patient), grantee(&to)?, level, record_types, expires_at);
			chain.submit(&call, &me).await?;
			Ok((
				format!("granted {to} {access} access to {} until {expires_at} (chain time, ms)", types.join(",")),
				json!({ "grantee": to, "access": access, "types": types, "expiresAt": expires_at }),
			))
		},
		Command::Revoke { grantee: to, patient } => {
			let patient = patient_or_me(&patient)?;
			chain.submit(&runtime::tx().health_records().revoke_access(AccountId::from(patient), grantee(&to)?), &me).await?;
			Ok((format!("revoked {to}'s access"), json!({ "revoked": to })))
		},
		Command::Erase { record } => {
			let events = chain.submit(&runtime::tx().health_records().erase_record(record), &me).await?;
			let versions: Vec<u64> = events
				.find::<runtime::health_records::events::RecordErased>()
				.filter_map(|e| e.ok().map(|e| e.record))
				.collect();
			Ok((
				format!("erased record {record} (versions {versions:?}); each custodian's vault confirms on chain once it has deleted them"),
				json!({ "erased": versions }),
			))
		},
		Command::Log { patient } => {
			let patient = patient_or_me(&patient)?;
			let listed: Vec<_> = chain
				.access_log(patient)
				.await?
				.into_iter()
				.map(|(index, read)| {
					json!({
						"index": index,
						"record": read.record,
						"reader": ss58(&read.accessor.0),
						"authority": format!("{:?}", read.authority),
						"emergency": read.emergency,
						"purpose": format!("{:?}", read.purpose),
						"at": read.at,
						"releasedBy": read.released_by,
					})
				})
				.collect();
			Ok(listing("reads", listed, "no reads logged", |r| format!("{} record {} read by {} for {}{} (released by {})", r["at"], r["record"], r["reader"].as_str().unwrap_or_default(), r["purpose"].as_str().unwrap_or_default(), if r["emergency"].is_null() { String::new() } else { format!(", EMERGENCY access {}", r["emergency"]) }, r["releasedBy"])))
		},
		Command::Consent(ConsentCommand::Participant { study }) => {
			let participant = research::participant(&me, &research::study_label(study)).map_err(|e| bad(e.to_string()))?;
			let binding = research::bind(&me, &participant.account_id());
			Ok((
				format!("participant {} for study {study}; binding {}", participant.ss58(), hex::encode(binding)),
				json!({ "study": study, "participant": participant.ss58(), "binding": hex::encode(binding) }),
			))
		},
		Command::Consent(ConsentCommand::Give { study, types, days }) => {
			use runtime::runtime_types::pallet_research_consent::types::ConsentScope;
			let participant = research::participant(&me, &research::study_label(study)).map_err(|e| bad(e.to_string()))?;
			let record_types = types
				.iter()
				.map(|t| chain::record_type(t).ok_or_else(|| bad(format!("{t} is not a record type"))))
				.collect::<Result<Vec<_>, _>>()?;
			let expires_at = match days {
				Some(0) => return Err(bad("--days 0: a consent must last")),
				Some(days) => Some(chain.now().await?.saturating_add(days.saturating_mul(24 * 3600 * 1000))),
				None => None,
			};
			let call = runtime::tx().research_consent().give_consent(ConsentScope::Study(study), record_types, expires_at);
			let events = chain.submit(&call, &participant).await?;
			let given = events
				.find_first::<runtime::research_consent::events::ConsentGiven>()
				.ok_or_else(|| Failure(1, "give_consent emitted no ConsentGiven".into()))?
				.map_err(|e| Failure(1, e.to_string()))?;
			Ok((
				format!("consent {} to study {study} for {} under participant {}{}", given.consent, types.join(","), participant.ss58(), expires_at.map_or(String::new(), |t| format!(" until {t} (chain time, ms)"))),
				json!({ "consent": given.consent, "study": study, "participant": participant.ss58(), "types": types, "expiresAt": expires_at }),
			))
		},
		Command::Consent(ConsentCommand::Withdraw { consent, study }) => {
			let participant = research::participant(&me, &research::study_label(study)).map_err(|e| bad(e.to_string()))?;
			chain.submit(&runtime::tx().research_consent().withdraw_consent(consent), &participant).await?;
			Ok((format!("withdrew consent {consent}"), json!({ "withdrawn": consent })))
		},
		Command::Consent(ConsentCommand::List) => {
			use runtime::runtime_types::pallet_research_consent::types::ConsentScope;
			let mut consents = Vec::new();
			for study in 0..chain.study_count().await? {
				let participant = research::participant(&me, &research::study_label(study)).map_err(|e| bad(e.to_string()))?;
				if let Some(found) = chain.study_consent(participant.account_id(), study).await? {
					consents.push(found);
				}
			}
			let listed: Vec<_> = consents
				.into_iter()
				.map(|(id, consent)| {
					let scope = match &consent.terms.scope {
						ConsentScope::Study(study) => format!("study {study}"),
						ConsentScope::Standing(terms) => format!("standing: {terms:?}"),
					};
					json!({
						"consent": id,
						"participant": ss58(&consent.participant.0),
						"scope": scope,
						"types": consent.terms.record_types.0.iter().map(|t| format!("{t:?}")).collect::<Vec<_>>(),
						"expiresAt": consent.terms.expires_at,
						"version": consent.version,
						"withdrawnIn": consent.withdrawn_in,
					})
				})
				.collect();
			Ok(listing("consents", listed, "no consents", |c| format!("consent {}: {} for {}{}", c["consent"], c["scope"].as_str().unwrap_or_default(), c["types"], if c["withdrawnIn"].is_null() { String::new() } else { format!(", withdrawn in block {}", c["withdrawnIn"]) })))
		},
		Command::Claims { patient } => {
			let patient = patient_or_me(&patient)?;
			let listed: Vec<_> = chain
				.patient_claims(patient)
				.await?
				.into_iter()
				.map(|(id, claim)| {
					json!({
						"claim": id,
						"provider": claim.provider,
						"insurer": claim.insurer,
						"billed": claim.billed.to_string(),
						"allowed": claim.allowed.map(|a| a.to_string()),
						"status": format!("{:?}", claim.status),
						"submittedAt": claim.submitted_at,
						"decidedAt": claim.decided_at,
					})
				})
				.collect();
			Ok(listing("claims", listed, "no claims", |c| format!("claim {}: {} (provider {}, insurer {}, billed {}, allowed {})", c["claim"], c["status"].as_str().unwrap_or_default(), c["provider"], c["insurer"], c["billed"].as_str().unwrap_or_default(), c["allowed"].as_str().unwrap_or("-"))))
		},
		Command::BreakGlass { patient, organisation, reason } => {
			let reason = match reason.as_str() {
				"unresponsive" => EmergencyReason::Unresponsive,
				"life-threatening" => EmergencyReason::LifeThreatening,
				"unable-to-consent" => EmergencyReason::UnableToConsent,
				"urgent-care" => EmergencyReason::UrgentCare,
				other => return Err(bad(format!("--reason {other}: unresponsive, life-threatening, unable-to-consent or urgent-care"))),
			};
			let call = runtime::tx().health_records().break_glass(AccountId::from(account(&patient)?), organisation, reason);
			chain.submit(&call, &me).await?;
			Ok((
				format!("broke the glass for {patient}: every read is logged as an emergency read and reviewed by an auditor"),
				json!({ "patient": patient, "organisation": organisation }),
			))
		},
		Command::RegisterVault { organisation, vault_key_file, endpoint, organisation_key_file } => {
			let vault = KeyFile::load(&vault_key_file).map_err(|e| bad(format!("{}: {e}", vault_key_file.display())))?;
			let organisation_key_file = organisation_key_file.as_ref().unwrap_or(&vault_key_file);
			let organisation_key = healthchain_client::keys::load_encryption_secret(organisation_key_file)
				.map_err(|e| bad(format!("{}: {e}", organisation_key_file.display())))?
				.public();
			let at = chain.api().at_current_block().await.map_err(|e| Failure(3, e.to_string()))?;
			let profile = at
				.storage()
				.entry(runtime::storage().health_identity().organisations())
				.map_err(|e| Failure(1, e.to_string()))?
				.try_fetch((organisation,))
				.await
				.map_err(|e| Failure(3, e.to_string()))?
				.ok_or_else(|| Failure(1, format!("organisation {organisation} is not on chain")))?
				.decode()
				.map_err(|e| Failure(1, e.to_string()))?;
			if profile.encryption_key != organisation_key {
				let call = runtime::tx().health_identity().update_organisation(organisation, profile.metadata_hash, organisation_key);
				chain.submit(&call, &me).await?;
			}
			let call = runtime::tx().health_identity().register_vault(organisation, AccountId::from(vault.account_id()), endpoint.clone().into_bytes());
			chain.submit(&call, &me).await?;
			Ok((
				format!("organisation {organisation}'s vault is {} at {endpoint}", vault.ss58()),
				json!({ "organisation": organisation, "vault": vault.ss58(), "endpoint": endpoint }),
			))
		},
		Command::VerifySerial { gtin, serial, lot } => {
			use runtime::runtime_types::{bounded_collections::bounded_vec::BoundedVec, pallet_drug_provenance::types::ProductCode};
			let at = chain.api().at_current_block().await.map_err(|e| Failure(3, e.to_string()))?;
			let call = runtime::runtime_apis().drug_provenance_api().verify_unit(
				ProductCode::Gtin(gtin),
				BoundedVec(serial.clone().into_bytes()),
				lot.clone().map(|l| BoundedVec(l.into_bytes())),
				None,
			);
			let found = at.runtime_apis().call(call).await.map_err(|e| Failure(3, e.to_string()))?;
			let value = json!({
				"gtin": gtin, "serial": serial, "genuine": found.genuine, "commissioned": found.commissioned,
				"status": found.status.as_ref().map(|s| format!("{s:?}")), "quarantined": found.quarantined,
				"recalled": found.recalled, "expired": found.expired, "dispensable": found.dispensable,
			});
			if found.dispensable {
				return Ok((format!("{gtin} {serial}: genuine, may be dispensed"), value));
			}
			let why = if !found.commissioned {
				"no such unit was ever commissioned: suspect, quarantine the pack"
			} else if !found.genuine {
				"the lot does not match the unit's: suspect, quarantine the pack"
			} else if found.recalled {
				"its lot is recalled"
			} else if found.quarantined {
				"it is quarantined as suspect"
			} else if found.expired {
				"it is past its expiry"
			} else {
				"it is not in stock at a dispenser (already dispensed, or in transit)"
			};
			Err(Failure(1, format!("{gtin} {serial}: do not dispense: {why}")))
		},
		Command::Transfer { to, units } => {
			let planck = u128::from(units) * 1_000_000_000_000;
			let call = runtime::tx().balances().transfer_keep_alive(subxt::utils::MultiAddress::Id(AccountId::from(account(&to)?)), planck);
			chain.submit(&call, &me).await?;
			Ok((format!("sent {units} units to {to}"), json!({ "to": to, "units": units })))
		},
		Command::Key(_) | Command::ClaimFingerprint { .. } => unreachable!("handled above"),
	}
}

fn describe_keys(keys: &Keys, what: &str) -> Done {
	(
		format!("{what}\naccount         {}\nencryption key  {}", keys.ss58(), hex::encode(keys.encryption_public())),
		json!({ "account": keys.ss58(), "encryptionKey": hex::encode(keys.encryption_public()) }),
	)
}
