//! A test runtime with the claims pallet, a timestamp clock, and a mock of the identity
//! pallet's answers, which each test sets.

use crate as pallet_insurance_claims;
use crate::{ClaimDocuments, ClaimRecord, ClaimsIdentity, Moment, RecordId};
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
	pub type InsuranceClaims = pallet_insurance_claims;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// How long a provider has to appeal in tests: 30 days.
pub const APPEAL_WINDOW: Moment = 30 * 24 * 3_600_000;

impl pallet_insurance_claims::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type OrganisationId = OrganisationId;
	type Identity = MockIdentity;
	type Documents = MockIdentity;
	type Time = Timestamp;
	type MaxAdjustments = ConstU32<2>;
	type AppealWindow = frame_support::traits::ConstU64<APPEAL_WINDOW>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockIdentity;
}

/// Who is who, as the identity pallet would answer.
#[derive(Default)]
pub struct Identities {
	/// Registered patients.
	pub patients: BTreeSet<AccountId>,
	/// Active insurers.
	pub insurers: BTreeSet<OrganisationId>,
	/// Active care providers.
	pub providers: BTreeSet<OrganisationId>,
	/// (claims officer, organisation) pairs.
	pub officers: BTreeSet<(AccountId, OrganisationId)>,
	/// Claim documents, as the health-records pallet would answer.
	pub documents: BTreeMap<RecordId, ClaimRecord<AccountId>>,
}

thread_local! {
	/// The identities of the running test.
	pub static IDENTITIES: RefCell<Identities> = RefCell::new(Identities::default());
}

/// Changes the identities of the running test.
pub fn identities<R>(change: impl FnOnce(&mut Identities) -> R) -> R {
	IDENTITIES.with(|i| change(&mut i.borrow_mut()))
}

/// The identity pallet, as this pallet sees it.
pub struct MockIdentity;

impl ClaimsIdentity<AccountId, OrganisationId> for MockIdentity {
	fn is_patient(who: &AccountId) -> bool {
		identities(|i| i.patients.contains(who))
	}
	fn is_insurer(organisation: OrganisationId) -> bool {
		identities(|i| i.insurers.contains(&organisation))
	}
	fn is_provider(organisation: OrganisationId) -> bool {
		identities(|i| i.providers.contains(&organisation))
	}
	fn is_claims_officer(who: &AccountId, organisation: OrganisationId) -> bool {
		identities(|i| i.officers.contains(&(*who, organisation)))
	}
}

impl ClaimDocuments<AccountId> for MockIdentity {
	fn claim_record(record: RecordId) -> Option<ClaimRecord<AccountId>> {
		identities(|i| i.documents.get(&record).cloned())
	}
}

/// Files a claim document about `patient` written by `author`, and returns its record id.
pub fn file_document(patient: AccountId, author: AccountId) -> RecordId {
	identities(|i| {
		let record = i.documents.len() as RecordId + 1_000;
		i.documents.insert(record, ClaimRecord { patient, author, erased: false });
		record
	})
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, OrganisationId> for MockIdentity {
	fn register_patient(who: &AccountId) {
		identities(|i| {
			i.patients.insert(*who);
		});
	}
	fn insurer(who: &AccountId) -> OrganisationId {
		identities(|i| {
			i.insurers.insert(200);
			i.officers.insert((*who, 200));
			200
		})
	}
	fn provider(who: &AccountId) -> OrganisationId {
		identities(|i| {
			i.providers.insert(300);
			i.officers.insert((*who, 300));
			300
		})
	}
	fn claim_document(patient: &AccountId, author: &AccountId, _provider: OrganisationId) -> RecordId {
		file_document(*patient, *author)
	}
}

/// The chain's clock at the start of every test: 1 January 2027, in milliseconds.
pub const NOW: Moment = 1_798_761_600_000;

/// A test externality with no coverage and no identities, at block 1 and time [`NOW`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	IDENTITIES.with(|i| *i.borrow_mut() = Identities::default());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
	});
	ext
}

/// Runs `test`, then checks that the pallet's indexes still agree.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		InsuranceClaims::do_try_state().expect("the claims pallet's state is consistent");
	})
}

/// Moves the chain's clock to `moment`.
pub fn set_now(moment: Moment) {
	pallet_timestamp::Now::<Test>::put(moment);
}
