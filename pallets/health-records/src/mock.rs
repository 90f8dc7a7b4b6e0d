//! A test runtime with the health-records pallet, a timestamp clock, and a mock of the
//! identity pallet whose answers each test sets.

use crate as pallet_health_records;
use crate::{ClaimDocumentParties, Moment, RecordId, RecordsIdentity};
use core::cell::RefCell;
use frame_support::{derive_impl, traits::ConstU32};
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

/// Accounts are plain numbers in tests.
pub type AccountId = u64;
/// So are organisations.
pub type OrganisationId = u32;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type HealthRecords = pallet_health_records;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// How long a break-glass access lasts in tests: four hours.
pub const EMERGENCY_PERIOD: Moment = 4 * 3_600_000;

impl pallet_health_records::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = MockIdentity;
	type ClaimParties = MockIdentity;
	type Time = Timestamp;
	type MaxVersions = ConstU32<3>;
	type MaxReleasesPerLog = ConstU32<3>;
	type MaxGrantsPerPatient = ConstU32<4>;
	type MaxRecordsWrittenByPatient = ConstU32<6>;
	type EmergencyAccessPeriod = frame_support::traits::ConstU64<EMERGENCY_PERIOD>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockIdentity;
}

/// Who is what, as the identity pallet would answer.
#[derive(Default)]
pub struct Identities {
	/// Registered patients.
	pub patients: BTreeSet<AccountId>,
	/// (guardian, patient) pairs with the health-records scope.
	pub guardians: BTreeSet<(AccountId, AccountId)>,
	/// (practitioner, organisation) pairs of licensed practitioners.
	pub practitioners: BTreeSet<(AccountId, OrganisationId)>,
	/// (member, organisation) pairs of other clinical staff: nurses, pharmacists, laboratory
	/// scientists.
	pub clinical_staff: BTreeSet<(AccountId, OrganisationId)>,
	/// Active care providers.
	pub care_providers: BTreeSet<OrganisationId>,
	/// (practitioner, organisation) pairs of licensed practitioners with the emergency-care
	/// role.
	pub emergency: BTreeSet<(AccountId, OrganisationId)>,
	/// (auditor, organisation) pairs of accredited auditors.
	pub auditors: BTreeSet<(AccountId, OrganisationId)>,
	/// Accredited auditors at a regulator.
	pub regulatory_auditors: BTreeSet<AccountId>,
	/// The vault account of each organisation that is an active custodian.
	pub vaults: BTreeMap<OrganisationId, AccountId>,
	/// Encryption keys, by account.
	pub keys: BTreeMap<AccountId, [u8; 32]>,
	/// (claims officer, care provider) pairs: who files claims for whom.
	pub claims_filers: BTreeSet<(AccountId, OrganisationId)>,
	/// (reader, claim document, organisation) triples: who reads which claim document for
	/// which party of its claim, as the claims pallet would answer.
	pub claim_readers: BTreeSet<(AccountId, RecordId, OrganisationId)>,
}

thread_local! {
	/// The identities of the running test.
	pub static IDENTITIES: RefCell<Identities> = RefCell::new(Identities::default());
}

/// Changes the identities of the running test.
pub fn identities<R>(change: impl FnOnce(&mut Identities) -> R) -> R {
	IDENTITIES.with(|i| change(&mut i.borrow_mut()))
}

fn ask(question: impl FnOnce(&Identities) -> bool) -> bool {
	IDENTITIES.with(|i| question(&i.borrow()))
}

/// The identity pallet, as this pallet sees it.
pub struct MockIdentity;

impl RecordsIdentity<AccountId, OrganisationId> for MockIdentity {
	fn is_patient(who: &AccountId) -> bool {
		ask(|i| i.patients.contains(who))
	}
	fn may_manage_records(who: &AccountId, patient: &AccountId) -> bool {
		ask(|i| i.patients.contains(patient) && (who == patient || i.guardians.contains(&(*who, *patient))))
	}
	fn is_practitioner(who: &AccountId) -> bool {
		ask(|i| i.practitioners.iter().any(|(p, _)| p == who))
	}
	fn is_clinical_staff_at(who: &AccountId, organisation: OrganisationId) -> bool {
		ask(|i| {
			i.care_providers.contains(&organisation) &&
				(i.practitioners.contains(&(*who, organisation)) ||
					i.clinical_staff.contains(&(*who, organisation)))
		})
	}
	fn is_care_provider(organisation: OrganisationId) -> bool {
		ask(|i| i.care_providers.contains(&organisation))
	}
	fn is_emergency_practitioner_at(who: &AccountId, organisation: OrganisationId) -> bool {
		ask(|i| i.emergency.contains(&(*who, organisation)))
	}
	fn is_auditor_at(who: &AccountId, organisation: OrganisationId) -> bool {
		ask(|i| i.auditors.contains(&(*who, organisation)))
	}
	fn is_regulatory_auditor(who: &AccountId) -> bool {
		ask(|i| i.regulatory_auditors.contains(who))
	}
	fn vault_account(organisation: OrganisationId) -> Option<AccountId> {
		IDENTITIES.with(|i| i.borrow().vaults.get(&organisation).copied())
	}
	fn encryption_key(who: &AccountId) -> Option<[u8; 32]> {
		IDENTITIES.with(|i| i.borrow().keys.get(who).copied())
	}
}

impl ClaimDocumentParties<AccountId, OrganisationId> for MockIdentity {
	fn files_claims_for(who: &AccountId, organisation: OrganisationId) -> bool {
		ask(|i| i.claims_filers.contains(&(*who, organisation)))
	}
	fn reads_claim_document_for(who: &AccountId, record: RecordId) -> Option<OrganisationId> {
		IDENTITIES.with(|i| {
			i.borrow().claim_readers.iter().find(|(r, d, _)| r == who && *d == record).map(|(_, _, o)| *o)
		})
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, OrganisationId> for MockIdentity {
	fn register_patient(who: &AccountId) {
		identities(|i| {
			i.patients.insert(*who);
		});
	}
	fn make_guardian(guardian: &AccountId, patient: &AccountId) {
		identities(|i| {
			i.guardians.insert((*guardian, *patient));
		});
	}
	fn make_practitioner(who: &AccountId) -> OrganisationId {
		identities(|i| {
			let organisation = i.care_providers.len() as OrganisationId + 100;
			i.care_providers.insert(organisation);
			i.practitioners.insert((*who, organisation));
			organisation
		})
	}
	fn make_emergency_practitioner(who: &AccountId) -> OrganisationId {
		let organisation = Self::make_practitioner(who);
		identities(|i| {
			i.emergency.insert((*who, organisation));
		});
		organisation
	}
	fn make_auditor(who: &AccountId, organisation: OrganisationId) {
		identities(|i| {
			i.auditors.insert((*who, organisation));
		});
	}
	fn make_custodian(vault: &AccountId) -> OrganisationId {
		identities(|i| {
			let organisation = i.vaults.len() as OrganisationId + 500;
			i.vaults.insert(organisation, *vault);
			organisation
		})
	}
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: Moment = 1_798_761_600_000;

/// A test externality with no records and no identities, at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	IDENTITIES.with(|i| *i.borrow_mut() = Identities::default());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
		// As a new chain's genesis does: its state is of the code's storage version.
		crate::STORAGE_VERSION.put::<HealthRecords>();
	});
	ext
}

/// Runs `test`, then checks that the pallet's indexes and counters still agree.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		HealthRecords::do_try_state().expect("the health-records pallet's state is consistent");
	})
}

/// Moves the chain's clock to `moment`.
pub fn set_now(moment: Moment) {
	pallet_timestamp::Now::<Test>::put(moment);
}
