//! # Health Identity Pallet
//!
//! Who is who in a HealthChain consortium: organisations and their members, the professional
//! credentials that license them, patients, and the guardians who may act for patients. Every
//! other domain pallet asks this one, through [`IdentityQuery`], whether an account may do what
//! it asks to do.
//!
//! No personal data is stored: organisations and credentials are described by hashes of
//! off-chain documents, patients are pseudonymous accounts with an X25519 public key.
//!
//! ## Overview
//!
//! - **Organisations** of a [`OrganisationKind`] (hospital, pharmacy, regulator, ...) are
//!   admitted, suspended and reinstated by the configured governance origin. Each has an admin
//!   account, a metadata hash and an encryption key. While suspended, its members hold no role
//!   through it.
//! - **Members**: an organisation's admin (its admin account, or a member with the
//!   [`Role::Admin`] role) adds and removes member accounts with [`Role`]s. An account may be a
//!   member of several organisations. Each role belongs at some kinds of organisation only
//!   ([`Role::allowed_at`]: a pharmacist at a pharmacy or a hospital, a researcher at a research
//!   institute, ...). The roles that check others' work, auditor and ethics reviewer, count
//!   only while the member holds an accreditation from *another* organisation
//!   ([`Role::oversight_credential`]), and an admin cannot give one to itself.
//! - **Record vaults**: an organisation's admin registers the record vault the organisation
//!   runs beside its node ([`RecordVault`]: the account it signs with, the endpoint of its HTTP
//!   API). Records name an organisation as their custodian; its vault holds their ciphertext
//!   and wrapped keys off chain and releases them only as the chain allows. A vault account
//!   serves one organisation and is never a patient's. Members set their own X25519 keys
//!   ([`StaffKeys`]), to which patients wrap the data keys of records they share with them.
//! - **Credentials**: governance accredits organisations to issue credentials of a
//!   [`CredentialKind`]; an admin of an accredited, active organisation issues a credential to
//!   an account (hash of the licence number, validity period) and may suspend, reinstate or
//!   revoke it. Validity is judged by the chain's clock when a credential is used, so nothing
//!   has to run for a credential to expire; a suspended issuer's credentials count for nothing
//!   and its admins change none of them until it is reinstated.
//! - **Patients** are enrolled by a hospital or clinic (its admin, a practitioner or a nurse),
//!   with the encryption key from the patient's own application, at most
//!   [`Config::MaxEnrolmentsPerDay`] a day per organisation; they may rotate the key. A
//!   patient appoints guardians or delegates with a [`CareScope`] and an optional expiry, and
//!   removes them; a guardian may also resign.
//! - **Sponsorship**: a patient needs no tokens. Its account exists by a provider reference
//!   from its enrolment, and [`SponsorPatients`], a transaction extension around the fee
//!   payment, lets it send [`Config::SponsoredCalls`] without fees, up to
//!   [`Config::SponsoredTransactionsPerDay`] a day, counted before dispatch so that failed
//!   calls count too. Every other transaction, and any beyond the allowance, pays as usual.
//!
//! ## Calls
//!
//! | call | origin |
//! | --- | --- |
//! | [`admit_organisation`](Pallet::admit_organisation), [`suspend_organisation`](Pallet::suspend_organisation), [`reinstate_organisation`](Pallet::reinstate_organisation) | governance |
//! | [`change_organisation_admin`](Pallet::change_organisation_admin) | governance |
//! | [`update_organisation`](Pallet::update_organisation) | the organisation's admin |
//! | [`add_member`](Pallet::add_member), [`remove_member`](Pallet::remove_member) | the organisation's admin |
//! | [`register_vault`](Pallet::register_vault), [`retire_vault`](Pallet::retire_vault) | the organisation's admin |
//! | [`set_staff_key`](Pallet::set_staff_key) | a member of an organisation |
//! | [`accredit_issuer`](Pallet::accredit_issuer), [`withdraw_accreditation`](Pallet::withdraw_accreditation) | governance |
//! | [`issue_credential`](Pallet::issue_credential) | an admin of an accredited issuer |
//! | [`suspend_credential`](Pallet::suspend_credential), [`reinstate_credential`](Pallet::reinstate_credential), [`revoke_credential`](Pallet::revoke_credential) | an admin of the issuing organisation |
//! | [`enrol_patient`](Pallet::enrol_patient) | an admin, practitioner or nurse of an active hospital or clinic |
//! | [`rotate_patient_key`](Pallet::rotate_patient_key), [`appoint_guardian`](Pallet::appoint_guardian), [`remove_guardian`](Pallet::remove_guardian) | the patient |
//! | [`resign_guardianship`](Pallet::resign_guardianship) | the guardian |
//!
//! Every call checks its origin, validates its input with a named [`Error`], changes nothing
//! when it fails, and emits an [`Event`] when it succeeds.
//!
//! ## For other pallets
//!
//! [`IdentityQuery`] answers "is A a patient", "does A hold role R (in organisation O)", "does A
//! hold a valid credential of kind K", "may D act for patient P in scope S" and "what is the
//! encryption key of A or O". Each answer is bounded: an account's memberships, a member's roles
//! and a patient's guardians are all bounded lists.

#![deny(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
pub mod sponsorship;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use sponsorship::SponsorPatients;
pub use traits::IdentityQuery;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{Contains, Time},
	};
	use frame_system::pallet_prelude::*;
	use serde::{Deserialize, Serialize};
	use sp_core::H256;

	/// The storage layout's version: 1 gives every patient a provider reference, so that a
	/// patient's account exists without a balance.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the identity pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Who admits and suspends organisations and accredits issuers: the consortium's
		/// governance.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The chain's clock, against which credentials and guardianships expire.
		type Time: Time<Moment = Moment>;

		/// The most members an organisation may have.
		#[pallet::constant]
		type MaxMembersPerOrganisation: Get<u32>;

		/// The most organisations an account may be a member of.
		#[pallet::constant]
		type MaxMembershipsPerAccount: Get<u32>;

		/// The most guardians a patient may have at once.
		#[pallet::constant]
		type MaxGuardiansPerPatient: Get<u32>;

		/// The most patients one organisation may enrol in a day: how fast a careless or
		/// compromised member can create accounts that send transactions without fees.
		#[pallet::constant]
		type MaxEnrolmentsPerDay: Get<u32>;

		/// How many transactions a day a patient sends without fees (see [`SponsorPatients`]).
		#[pallet::constant]
		type SponsoredTransactionsPerDay: Get<u32>;

		/// The calls a patient sends without fees, within its daily allowance: calls whose
		/// every effect on storage is bounded per patient.
		type SponsoredCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next admitted organisation gets.
	#[pallet::storage]
	pub type NextOrganisationId<T> = StorageValue<_, OrganisationId, ValueQuery>;

	/// Organisations, by id.
	#[pallet::storage]
	pub type Organisations<T: Config> =
		StorageMap<_, Blake2_128Concat, OrganisationId, Organisation<T::AccountId>>;

	/// The roles of each member of each organisation.
	#[pallet::storage]
	pub type Members<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		OrganisationId,
		Blake2_128Concat,
		T::AccountId,
		Roles,
	>;

	/// How many members each organisation has (the number of its entries in [`Members`]).
	#[pallet::storage]
	pub type MemberCount<T> = StorageMap<_, Blake2_128Concat, OrganisationId, u32, ValueQuery>;

	/// The organisations each account is a member of, in order of joining: the index that
	/// lets [`IdentityQuery::has_role`] answer without scanning all organisations.
	#[pallet::storage]
	pub type Memberships<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<OrganisationId, T::MaxMembershipsPerAccount>,
		ValueQuery,
	>;

	/// The organisations accredited to issue each kind of credential.
	#[pallet::storage]
	pub type Accreditations<T> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		OrganisationId,
		Blake2_128Concat,
		CredentialKind,
		(),
	>;

	/// The credentials each account holds, at most one of each kind.
	#[pallet::storage]
	pub type Credentials<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		CredentialKind,
		Credential<T::AccountId>,
	>;

	/// Registered patients.
	#[pallet::storage]
	pub type Patients<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Patient>;

	/// Each patient's guardians and delegates.
	#[pallet::storage]
	pub type Guardians<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		Guardianship,
	>;

	/// How many guardians each patient has (the number of its entries in [`Guardians`]).
	#[pallet::storage]
	pub type GuardianCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many patients each care provider enrolled on the last day it enrolled any.
	#[pallet::storage]
	pub type Enrolments<T: Config> = StorageMap<_, Blake2_128Concat, OrganisationId, DailyTally>;

	/// How many transactions each patient sent without fees on the last day it sent any.
	#[pallet::storage]
	pub type SponsoredTransactions<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DailyTally>;

	/// The record vault each organisation runs, if it runs one.
	#[pallet::storage]
	pub type RecordVaults<T: Config> =
		StorageMap<_, Blake2_128Concat, OrganisationId, RecordVault<T::AccountId>>;

	/// The organisation whose vault signs with each account: a vault account serves one
	/// organisation.
	#[pallet::storage]
	pub type VaultOrganisations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrganisationId>;

	/// Members' X25519 public keys, to which a record's data key is wrapped for a practitioner
	/// a patient grants access to.
	#[pallet::storage]
	pub type StaffKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EncryptionKey>;

	/// An event for the audit trail of every change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance admitted an organisation.
		OrganisationAdmitted {
			/// Its id.
			organisation: OrganisationId,
			/// What it is.
			kind: OrganisationKind,
			/// Its admin account.
			admin: T::AccountId,
		},
		/// Governance suspended an organisation.
		OrganisationSuspended {
			/// The organisation.
			organisation: OrganisationId,
		},
		/// Governance reinstated a suspended organisation.
		OrganisationReinstated {
			/// The organisation.
			organisation: OrganisationId,
		},
		/// Governance gave an organisation a new admin account.
		OrganisationAdminChanged {
			/// The organisation.
			organisation: OrganisationId,
			/// Its new admin account.
			admin: T::AccountId,
		},
		/// An organisation's admin changed its metadata hash or encryption key.
		OrganisationUpdated {
			/// The organisation.
			organisation: OrganisationId,
			/// Its new metadata hash.
			metadata_hash: H256,
			/// Its new encryption key.
			encryption_key: EncryptionKey,
		},
		/// An admin added a member to an organisation.
		MemberAdded {
			/// The organisation.
			organisation: OrganisationId,
			/// The new member.
			member: T::AccountId,
			/// The member's roles.
			roles: Roles,
		},
		/// An admin removed a member from an organisation.
		MemberRemoved {
			/// The organisation.
			organisation: OrganisationId,
			/// The former member.
			member: T::AccountId,
		},
		/// Governance accredited an organisation to issue a kind of credential.
		IssuerAccredited {
			/// The organisation.
			organisation: OrganisationId,
			/// The kind of credential it may issue.
			kind: CredentialKind,
		},
		/// Governance withdrew an organisation's accreditation for a kind of credential.
		AccreditationWithdrawn {
			/// The organisation.
			organisation: OrganisationId,
			/// The kind of credential it may no longer issue.
			kind: CredentialKind,
		},
		/// An accredited issuer issued a credential.
		CredentialIssued {
			/// The account that holds it.
			holder: T::AccountId,
			/// Its kind.
			kind: CredentialKind,
			/// The issuing organisation.
			issuer: OrganisationId,
			/// First moment of validity.
			valid_from: Moment,
			/// End of validity (exclusive).
			valid_until: Moment,
		},
		/// The issuer suspended a credential.
		CredentialSuspended {
			/// The holder.
			holder: T::AccountId,
			/// The kind of credential.
			kind: CredentialKind,
		},
		/// The issuer reinstated a suspended credential.
		CredentialReinstated {
			/// The holder.
			holder: T::AccountId,
			/// The kind of credential.
			kind: CredentialKind,
		},
		/// The issuer revoked a credential.
		CredentialRevoked {
			/// The holder.
			holder: T::AccountId,
			/// The kind of credential.
			kind: CredentialKind,
		},
		/// A care provider enrolled an account as a patient.
		PatientEnrolled {
			/// The patient.
			patient: T::AccountId,
			/// The hospital or clinic that enrolled it.
			organisation: OrganisationId,
			/// The member of staff who enrolled it.
			enrolled_by: T::AccountId,
		},
		/// An organisation's admin registered (or replaced) the record vault it runs.
		VaultRegistered {
			/// The organisation.
			organisation: OrganisationId,
			/// The account the vault signs with.
			account: T::AccountId,
			/// Where its HTTP API is.
			endpoint: VaultEndpoint,
		},
		/// An organisation's admin retired its record vault.
		VaultRetired {
			/// The organisation.
			organisation: OrganisationId,
		},
		/// A member of staff set its encryption key.
		StaffKeySet {
			/// The member.
			member: T::AccountId,
		},
		/// A patient replaced its encryption key.
		PatientKeyRotated {
			/// The patient.
			patient: T::AccountId,
		},
		/// A patient appointed, or changed the terms of, a guardian.
		GuardianAppointed {
			/// The patient.
			patient: T::AccountId,
			/// The guardian.
			guardian: T::AccountId,
			/// Why the guardian acts.
			kind: GuardianKind,
			/// What the guardian may do.
			scope: Scopes,
			/// When the guardianship ends, if it does.
			expires_at: Option<Moment>,
		},
		/// A guardianship ended: the patient removed the guardian, or the guardian resigned.
		GuardianRemoved {
			/// The patient.
			patient: T::AccountId,
			/// The former guardian.
			guardian: T::AccountId,
		},
	}

	/// Why a call was refused.
	#[pallet::error]
	pub enum Error<T> {
		/// No organisation has this id.
		OrganisationNotFound,
		/// The organisation is suspended.
		OrganisationSuspended,
		/// The organisation is already active.
		OrganisationNotSuspended,
		/// Every organisation id has been used.
		OrganisationIdsExhausted,
		/// The caller is not an admin of the organisation.
		NotOrganisationAdmin,
		/// The account is already the organisation's admin account.
		AdminUnchanged,
		/// An encryption key of all zeroes is not a key.
		InvalidEncryptionKey,
		/// A member needs at least one role.
		NoRoles,
		/// A role was given twice.
		DuplicateRole,
		/// The account is already a member of the organisation.
		AlreadyMember,
		/// The account is not a member of the organisation.
		NotMember,
		/// The organisation has as many members as it may have.
		TooManyMembers,
		/// The account is a member of as many organisations as it may be.
		TooManyMemberships,
		/// The organisation is already accredited for this kind of credential.
		AlreadyAccredited,
		/// The organisation is not accredited for this kind of credential.
		NotAccredited,
		/// A credential's validity must start before it ends.
		InvalidValidityPeriod,
		/// The credential's validity would already have ended.
		ValidityAlreadyEnded,
		/// The holder already holds a credential of this kind that has not ended; revoke it
		/// first.
		CredentialAlreadyHeld,
		/// The account holds no credential of this kind.
		CredentialNotFound,
		/// The caller is not an admin of the organisation that issued the credential.
		NotCredentialIssuer,
		/// The credential is revoked, which is final.
		CredentialRevoked,
		/// The credential is already suspended.
		CredentialAlreadySuspended,
		/// The credential is not suspended.
		CredentialNotSuspended,
		/// The account is already a registered patient.
		AlreadyRegistered,
		/// The account is not a registered patient.
		NotPatient,
		/// The new key is the key already registered.
		KeyUnchanged,
		/// A patient cannot be its own guardian.
		CannotBeOwnGuardian,
		/// A guardianship needs at least one scope.
		NoScope,
		/// A scope was given twice.
		DuplicateScope,
		/// The guardianship would already have expired.
		ExpiryInPast,
		/// The patient has as many guardians as it may have.
		TooManyGuardians,
		/// The account is not a guardian of the patient.
		NotGuardian,
		/// The role does not belong at an organisation of this kind (see [`Role::allowed_at`]).
		RoleNotForOrganisationKind,
		/// An admin cannot give itself a role that checks its own organisation's work.
		SelfAppointedOverseer,
		/// Only hospitals and clinics enrol patients.
		NotCareProvider,
		/// The caller is not an admin, practitioner or nurse of the organisation.
		NotEnrolmentStaff,
		/// The organisation has enrolled as many patients today as it may in a day.
		EnrolmentAllowanceSpent,
		/// A vault endpoint is an `https://` or `http://` URL of at most
		/// [`MAX_VAULT_ENDPOINT_LENGTH`] bytes, with no spaces or control characters.
		InvalidVaultEndpoint,
		/// The account already signs for another organisation's vault.
		VaultAccountInUse,
		/// A patient's account cannot sign for a vault, nor a vault's be enrolled as a patient.
		VaultAccountIsPatient,
		/// The organisation runs no record vault.
		NoVault,
		/// Only a member of an organisation sets a staff key.
		NotStaff,
	}

	/// An organisation at genesis, with its members.
	#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
	#[serde(rename_all = "camelCase", deny_unknown_fields)]
	pub struct GenesisOrganisation<AccountId> {
		/// What it is.
		pub kind: OrganisationKind,
		/// Its admin account.
		pub admin: AccountId,
		/// Hash of its off-chain description.
		pub metadata_hash: H256,
		/// Its X25519 public key.
		pub encryption_key: EncryptionKey,
		/// Its members and their roles.
		pub members: Vec<(AccountId, Vec<Role>)>,
		/// The kinds of credential it is accredited to issue.
		pub accredited_for: Vec<CredentialKind>,
	}

	/// A credential at genesis.
	#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
	#[serde(rename_all = "camelCase", deny_unknown_fields)]
	pub struct GenesisCredential<AccountId> {
		/// Who holds it.
		pub holder: AccountId,
		/// Its kind.
		pub kind: CredentialKind,
		/// The index in `organisations` of the issuer, which must be accredited for `kind`.
		pub issuer: OrganisationId,
		/// Hash of the licence number.
		pub licence_hash: H256,
		/// First moment of validity.
		pub valid_from: Moment,
		/// End of validity (exclusive).
		pub valid_until: Moment,
	}

	/// The consortium at genesis: organisations (ids 0, 1, ... in this order), credentials and
	/// patients.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The founding organisations.
		pub organisations: Vec<GenesisOrganisation<T::AccountId>>,
		/// Credentials issued at genesis.
		pub credentials: Vec<GenesisCredential<T::AccountId>>,
		/// Registered patients and their encryption keys.
		pub patients: Vec<(T::AccountId, EncryptionKey)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for org in &self.organisations {
				let id = Pallet::<T>::do_admit_organisation(
					org.kind,
					org.admin.clone(),
					org.metadata_hash,
					org.encryption_key,
				)
				.expect("genesis organisation is valid");
				for (member, roles) in &org.members {
					let roles = Pallet::<T>::validated_roles(roles.clone())
						.expect("genesis member roles are valid");
					Pallet::<T>::ensure_roles_belong(org.kind, &roles)
						.expect("genesis member roles belong at their organisation's kind");
					Pallet::<T>::do_add_member(id, member, roles)
						.expect("genesis member can be added");
				}
				for kind in &org.accredited_for {
					Accreditations::<T>::insert(id, kind, ());
				}
			}
			for c in &self.credentials {
				assert!(
					Accreditations::<T>::contains_key(c.issuer, c.kind),
					"genesis credential's issuer is accredited for its kind"
				);
				assert!(c.valid_from < c.valid_until, "genesis credential's period is valid");
				let issued_by = Organisations::<T>::get(c.issuer)
					.expect("genesis credential's issuer exists")
					.admin;
				Credentials::<T>::insert(
					&c.holder,
					c.kind,
					Credential {
						issuer: c.issuer,
						issued_by,
						licence_hash: c.licence_hash,
						valid_from: c.valid_from,
						valid_until: c.valid_until,
						status: CredentialStatus::Active,
					},
				);
			}
			for (patient, key) in &self.patients {
				assert!(*key != [0u8; 32], "genesis patient's key is valid");
				assert!(!Patients::<T>::contains_key(patient), "genesis patient is listed once");
				Pallet::<T>::do_register_patient(patient, *key, 0);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxMembersPerOrganisation::get() > 0, "organisations need room for members");
			assert!(T::MaxMembershipsPerAccount::get() > 0, "accounts need room for memberships");
			assert!(T::MaxGuardiansPerPatient::get() > 0, "patients need room for a guardian");
			assert!(T::MaxEnrolmentsPerDay::get() > 0, "care providers need to enrol patients");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Admit an organisation to the consortium, with its admin account, the hash of its
		/// off-chain description and its encryption key. It gets the next organisation id.
		///
		/// Origin: governance.
		#[pallet::call_index(0)]
		pub fn admit_organisation(
			origin: OriginFor<T>,
			kind: OrganisationKind,
			admin: T::AccountId,
			metadata_hash: H256,
			encryption_key: EncryptionKey,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_admit_organisation(kind, admin, metadata_hash, encryption_key)?;
			Ok(())
		}

		/// Suspend an organisation: until it is reinstated, its members hold no role through
		/// it and it issues no credentials.
		///
		/// Origin: governance.
		#[pallet::call_index(1)]
		pub fn suspend_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Organisations::<T>::try_mutate(organisation, |org| {
				let org = org.as_mut().ok_or(Error::<T>::OrganisationNotFound)?;
				ensure!(org.status == OrganisationStatus::Active, Error::<T>::OrganisationSuspended);
				org.status = OrganisationStatus::Suspended;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::OrganisationSuspended { organisation });
			Ok(())
		}

		/// Reinstate a suspended organisation.
		///
		/// Origin: governance.
		#[pallet::call_index(2)]
		pub fn reinstate_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Organisations::<T>::try_mutate(organisation, |org| {
				let org = org.as_mut().ok_or(Error::<T>::OrganisationNotFound)?;
				ensure!(
					org.status == OrganisationStatus::Suspended,
					Error::<T>::OrganisationNotSuspended
				);
				org.status = OrganisationStatus::Active;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::OrganisationReinstated { organisation });
			Ok(())
		}

		/// Replace an organisation's metadata hash and encryption key (for a new description,
		/// or a key rotation).
		///
		/// Origin: an admin of the organisation, which must be active.
		#[pallet::call_index(3)]
		pub fn update_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			metadata_hash: H256,
			encryption_key: EncryptionKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_valid_key(&encryption_key)?;
			let mut org = Self::active_organisation(organisation)?;
			Self::ensure_admin(&who, organisation, &org)?;
			org.metadata_hash = metadata_hash;
			org.encryption_key = encryption_key;
			Organisations::<T>::insert(organisation, org);
			Self::deposit_event(Event::OrganisationUpdated {
				organisation,
				metadata_hash,
				encryption_key,
			});
			Ok(())
		}

		/// Add `member` to an organisation with `roles` (at least one, each once).
		///
		/// Origin: an admin of the organisation, which must be active.
		#[pallet::call_index(4)]
		pub fn add_member(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			member: T::AccountId,
			roles: Vec<Role>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::active_organisation(organisation)?;
			Self::ensure_admin(&who, organisation, &org)?;
			let roles = Self::validated_roles(roles)?;
			Self::ensure_roles_belong(org.kind, &roles)?;
			ensure!(
				who != member || roles.iter().all(|role| role.oversight_credential().is_none()),
				Error::<T>::SelfAppointedOverseer
			);
			Self::do_add_member(organisation, &member, roles)
		}

		/// Remove `member` from an organisation.
		///
		/// Origin: an admin of the organisation, which must be active.
		#[pallet::call_index(5)]
		pub fn remove_member(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			member: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::active_organisation(organisation)?;
			Self::ensure_admin(&who, organisation, &org)?;
			ensure!(Members::<T>::contains_key(organisation, &member), Error::<T>::NotMember);
			Members::<T>::remove(organisation, &member);
			MemberCount::<T>::mutate_exists(organisation, |count| {
				*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0)
			});
			Memberships::<T>::mutate_exists(&member, |orgs| {
				if let Some(list) = orgs {
					list.retain(|o| *o != organisation);
				}
				if orgs.as_ref().is_some_and(|list| list.is_empty()) {
					*orgs = None;
				}
			});
			Self::deposit_event(Event::MemberRemoved { organisation, member });
			Ok(())
		}

		/// Accredit an organisation to issue credentials of `kind`.
		///
		/// Origin: governance.
		#[pallet::call_index(6)]
		pub fn accredit_issuer(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			kind: CredentialKind,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				Organisations::<T>::contains_key(organisation),
				Error::<T>::OrganisationNotFound
			);
			ensure!(
				!Accreditations::<T>::contains_key(organisation, kind),
				Error::<T>::AlreadyAccredited
			);
			Accreditations::<T>::insert(organisation, kind, ());
			Self::deposit_event(Event::IssuerAccredited { organisation, kind });
			Ok(())
		}

		/// Withdraw an organisation's accreditation for `kind`. Credentials it issued stay as
		/// they are; it issues no more of that kind.
		///
		/// Origin: governance.
		#[pallet::call_index(7)]
		pub fn withdraw_accreditation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			kind: CredentialKind,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				Accreditations::<T>::contains_key(organisation, kind),
				Error::<T>::NotAccredited
			);
			Accreditations::<T>::remove(organisation, kind);
			Self::deposit_event(Event::AccreditationWithdrawn { organisation, kind });
			Ok(())
		}

		/// Issue `holder` a credential of `kind` for `issuer`, valid from `valid_from`
		/// (inclusive) until `valid_until` (exclusive), both in milliseconds of the chain's
		/// clock. A holder has at most one credential of each kind: one that has not ended must
		/// be revoked before another is issued.
		///
		/// Origin: an admin of `issuer`, which must be active and accredited for `kind`.
		#[pallet::call_index(8)]
		pub fn issue_credential(
			origin: OriginFor<T>,
			issuer: OrganisationId,
			holder: T::AccountId,
			kind: CredentialKind,
			licence_hash: H256,
			valid_from: Moment,
			valid_until: Moment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::active_organisation(issuer)?;
			Self::ensure_admin(&who, issuer, &org)?;
			ensure!(Accreditations::<T>::contains_key(issuer, kind), Error::<T>::NotAccredited);
			ensure!(valid_from < valid_until, Error::<T>::InvalidValidityPeriod);
			let now = T::Time::now();
			ensure!(now < valid_until, Error::<T>::ValidityAlreadyEnded);
			if let Some(existing) = Credentials::<T>::get(&holder, kind) {
				ensure!(
					existing.status == CredentialStatus::Revoked || existing.valid_until <= now,
					Error::<T>::CredentialAlreadyHeld
				);
			}
			Credentials::<T>::insert(
				&holder,
				kind,
				Credential {
					issuer,
					issued_by: who,
					licence_hash,
					valid_from,
					valid_until,
					status: CredentialStatus::Active,
				},
			);
			Self::deposit_event(Event::CredentialIssued {
				holder,
				kind,
				issuer,
				valid_from,
				valid_until,
			});
			Ok(())
		}

		/// Suspend `holder`'s credential of `kind`: it is not in force until reinstated.
		///
		/// Origin: an admin of the organisation that issued it.
		#[pallet::call_index(9)]
		pub fn suspend_credential(
			origin: OriginFor<T>,
			holder: T::AccountId,
			kind: CredentialKind,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::change_credential_status(&who, &holder, kind, |status| match status {
				CredentialStatus::Active => Ok(CredentialStatus::Suspended),
				CredentialStatus::Suspended => Err(Error::<T>::CredentialAlreadySuspended),
				CredentialStatus::Revoked => Err(Error::<T>::CredentialRevoked),
			})?;
			Self::deposit_event(Event::CredentialSuspended { holder, kind });
			Ok(())
		}

		/// Reinstate `holder`'s suspended credential of `kind`.
		///
		/// Origin: an admin of the organisation that issued it.
		#[pallet::call_index(10)]
		pub fn reinstate_credential(
			origin: OriginFor<T>,
			holder: T::AccountId,
			kind: CredentialKind,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::change_credential_status(&who, &holder, kind, |status| match status {
				CredentialStatus::Suspended => Ok(CredentialStatus::Active),
				CredentialStatus::Active => Err(Error::<T>::CredentialNotSuspended),
				CredentialStatus::Revoked => Err(Error::<T>::CredentialRevoked),
			})?;
			Self::deposit_event(Event::CredentialReinstated { holder, kind });
			Ok(())
		}

		/// Revoke `holder`'s credential of `kind`, for good. The record stays, marked revoked,
		/// until the issuer issues a new one.
		///
		/// Origin: an admin of the organisation that issued it.
		#[pallet::call_index(11)]
		pub fn revoke_credential(
			origin: OriginFor<T>,
			holder: T::AccountId,
			kind: CredentialKind,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::change_credential_status(&who, &holder, kind, |status| match status {
				CredentialStatus::Active | CredentialStatus::Suspended =>
					Ok(CredentialStatus::Revoked),
				CredentialStatus::Revoked => Err(Error::<T>::CredentialRevoked),
			})?;
			Self::deposit_event(Event::CredentialRevoked { holder, kind });
			Ok(())
		}

		/// Replace the caller's encryption key, for example after a device is lost. Data keys
		/// wrapped to the old key must be re-wrapped off chain.
		///
		/// Origin: the patient.
		#[pallet::call_index(13)]
		pub fn rotate_patient_key(
			origin: OriginFor<T>,
			encryption_key: EncryptionKey,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::ensure_valid_key(&encryption_key)?;
			Patients::<T>::try_mutate(&patient, |record| {
				let record = record.as_mut().ok_or(Error::<T>::NotPatient)?;
				ensure!(record.encryption_key != encryption_key, Error::<T>::KeyUnchanged);
				record.encryption_key = encryption_key;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::PatientKeyRotated { patient });
			Ok(())
		}

		/// Appoint `guardian` to act for the caller in `scope` (at least one, each once) until
		/// `expires_at` (exclusive; `None` for no end). Appointing an existing guardian again
		/// replaces the terms.
		///
		/// Origin: the patient.
		#[pallet::call_index(14)]
		pub fn appoint_guardian(
			origin: OriginFor<T>,
			guardian: T::AccountId,
			kind: GuardianKind,
			scope: Vec<CareScope>,
			expires_at: Option<Moment>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			ensure!(Patients::<T>::contains_key(&patient), Error::<T>::NotPatient);
			ensure!(guardian != patient, Error::<T>::CannotBeOwnGuardian);
			let scope = Self::validated_scope(scope)?;
			if let Some(end) = expires_at {
				ensure!(T::Time::now() < end, Error::<T>::ExpiryInPast);
			}
			if !Guardians::<T>::contains_key(&patient, &guardian) {
				let count = GuardianCount::<T>::get(&patient);
				ensure!(count < T::MaxGuardiansPerPatient::get(), Error::<T>::TooManyGuardians);
				GuardianCount::<T>::insert(&patient, count + 1);
			}
			Guardians::<T>::insert(
				&patient,
				&guardian,
				Guardianship { kind, scope: scope.clone(), expires_at },
			);
			Self::deposit_event(Event::GuardianAppointed {
				patient,
				guardian,
				kind,
				scope,
				expires_at,
			});
			Ok(())
		}

		/// End `guardian`'s guardianship of the caller.
		///
		/// Origin: the patient.
		#[pallet::call_index(15)]
		pub fn remove_guardian(origin: OriginFor<T>, guardian: T::AccountId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_end_guardianship(patient, guardian)
		}

		/// End the caller's guardianship of `patient`.
		///
		/// Origin: the guardian.
		#[pallet::call_index(16)]
		pub fn resign_guardianship(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let guardian = ensure_signed(origin)?;
			Self::do_end_guardianship(patient, guardian)
		}

		/// Enrol `patient` at `organisation`, a hospital or clinic, with the X25519 public key to
		/// which its records' data keys will be wrapped: the registration desk's step, done
		/// with the patient's account and key from the patient's own application. The account
		/// should be pseudonymous; the enrolling provider (which knows its patient anyway) is
		/// named in the event. The patient needs no tokens: it is a provider-referenced
		/// account, and its calls are sponsored within a daily allowance. Each organisation
		/// enrols at most [`Config::MaxEnrolmentsPerDay`] patients a day.
		///
		/// Origin: an admin, practitioner or nurse of an active hospital or clinic.
		#[pallet::call_index(18)]
		pub fn enrol_patient(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			patient: T::AccountId,
			encryption_key: EncryptionKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::active_organisation(organisation)?;
			ensure!(
				matches!(org.kind, OrganisationKind::Hospital | OrganisationKind::Clinic),
				Error::<T>::NotCareProvider
			);
			ensure!(
				Self::is_admin(&who, organisation, &org) ||
					[Role::Practitioner, Role::Nurse]
						.into_iter()
						.any(|role| Self::has_role_in(&who, organisation, role)),
				Error::<T>::NotEnrolmentStaff
			);
			Self::ensure_valid_key(&encryption_key)?;
			ensure!(!Patients::<T>::contains_key(&patient), Error::<T>::AlreadyRegistered);
			ensure!(!VaultOrganisations::<T>::contains_key(&patient), Error::<T>::VaultAccountIsPatient);
			let now = T::Time::now();
			let day = DailyTally::day_of(now);
			let enrolled = DailyTally::count_on(Enrolments::<T>::get(organisation), day);
			ensure!(enrolled < T::MaxEnrolmentsPerDay::get(), Error::<T>::EnrolmentAllowanceSpent);
			Enrolments::<T>::insert(organisation, DailyTally { day, count: enrolled + 1 });
			Self::do_register_patient(&patient, encryption_key, now);
			Self::deposit_event(Event::PatientEnrolled { patient, organisation, enrolled_by: who });
			Ok(())
		}

		/// Register the record vault the organisation runs: the `account` it signs with and the
		/// `endpoint` of its HTTP API. Records name the organisation as their custodian; readers
		/// find the vault here. Registering again replaces the vault (a new endpoint, or a new
		/// signing key).
		///
		/// Origin: an admin of the organisation, which must be active.
		#[pallet::call_index(19)]
		pub fn register_vault(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			account: T::AccountId,
			endpoint: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::active_organisation(organisation)?;
			Self::ensure_admin(&who, organisation, &org)?;
			let endpoint = Self::validated_endpoint(endpoint)?;
			ensure!(!Patients::<T>::contains_key(&account), Error::<T>::VaultAccountIsPatient);
			ensure!(
				VaultOrganisations::<T>::get(&account).map_or(true, |serves| serves == organisation),
				Error::<T>::VaultAccountInUse
			);
			if let Some(previous) = RecordVaults::<T>::get(organisation) {
				VaultOrganisations::<T>::remove(&previous.account);
			}
			VaultOrganisations::<T>::insert(&account, organisation);
			RecordVaults::<T>::insert(organisation, RecordVault { account: account.clone(), endpoint: endpoint.clone() });
			Self::deposit_event(Event::VaultRegistered { organisation, account, endpoint });
			Ok(())
		}

		/// Retire the organisation's record vault: the records it holds cannot be read through
		/// it until a vault is registered again.
		///
		/// Origin: an admin of the organisation, which must be active.
		#[pallet::call_index(20)]
		pub fn retire_vault(origin: OriginFor<T>, organisation: OrganisationId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::active_organisation(organisation)?;
			Self::ensure_admin(&who, organisation, &org)?;
			let vault = RecordVaults::<T>::take(organisation).ok_or(Error::<T>::NoVault)?;
			VaultOrganisations::<T>::remove(&vault.account);
			Self::deposit_event(Event::VaultRetired { organisation });
			Ok(())
		}

		/// Set the caller's X25519 public key, to which the data keys of the records a patient
		/// shares with it are wrapped.
		///
		/// Origin: a member of an organisation.
		#[pallet::call_index(21)]
		pub fn set_staff_key(origin: OriginFor<T>, encryption_key: EncryptionKey) -> DispatchResult {
			let member = ensure_signed(origin)?;
			ensure!(!Memberships::<T>::get(&member).is_empty(), Error::<T>::NotStaff);
			Self::ensure_valid_key(&encryption_key)?;
			ensure!(StaffKeys::<T>::get(&member) != Some(encryption_key), Error::<T>::KeyUnchanged);
			StaffKeys::<T>::insert(&member, encryption_key);
			Self::deposit_event(Event::StaffKeySet { member });
			Ok(())
		}

		/// Make `admin` the admin account of an organisation, for example when the previous
		/// admin leaves or loses its key. Works whether the organisation is active or not.
		///
		/// Origin: governance.
		#[pallet::call_index(17)]
		pub fn change_organisation_admin(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			admin: T::AccountId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Organisations::<T>::try_mutate(organisation, |org| {
				let org = org.as_mut().ok_or(Error::<T>::OrganisationNotFound)?;
				ensure!(org.admin != admin, Error::<T>::AdminUnchanged);
				org.admin = admin.clone();
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::OrganisationAdminChanged { organisation, admin });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn do_admit_organisation(
			kind: OrganisationKind,
			admin: T::AccountId,
			metadata_hash: H256,
			encryption_key: EncryptionKey,
		) -> Result<OrganisationId, DispatchError> {
			Self::ensure_valid_key(&encryption_key)?;
			let organisation = NextOrganisationId::<T>::get();
			let next = organisation.checked_add(1).ok_or(Error::<T>::OrganisationIdsExhausted)?;
			NextOrganisationId::<T>::put(next);
			Organisations::<T>::insert(
				organisation,
				Organisation {
					kind,
					admin: admin.clone(),
					metadata_hash,
					encryption_key,
					status: OrganisationStatus::Active,
				},
			);
			Self::deposit_event(Event::OrganisationAdmitted { organisation, kind, admin });
			Ok(organisation)
		}

		pub(crate) fn do_add_member(
			organisation: OrganisationId,
			member: &T::AccountId,
			roles: Roles,
		) -> DispatchResult {
			ensure!(!Members::<T>::contains_key(organisation, member), Error::<T>::AlreadyMember);
			let count = MemberCount::<T>::get(organisation);
			ensure!(count < T::MaxMembersPerOrganisation::get(), Error::<T>::TooManyMembers);
			Memberships::<T>::try_mutate(member, |orgs| orgs.try_push(organisation))
				.map_err(|_| Error::<T>::TooManyMemberships)?;
			MemberCount::<T>::insert(organisation, count + 1);
			Members::<T>::insert(organisation, member, roles.clone());
			Self::deposit_event(Event::MemberAdded {
				organisation,
				member: member.clone(),
				roles,
			});
			Ok(())
		}

		fn do_end_guardianship(patient: T::AccountId, guardian: T::AccountId) -> DispatchResult {
			ensure!(Guardians::<T>::contains_key(&patient, &guardian), Error::<T>::NotGuardian);
			Guardians::<T>::remove(&patient, &guardian);
			GuardianCount::<T>::mutate_exists(&patient, |count| {
				*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0)
			});
			Self::deposit_event(Event::GuardianRemoved { patient, guardian });
			Ok(())
		}

		/// Applies `change` to the status of `holder`'s credential of `kind`, if `who` is an
		/// admin of its issuer.
		fn change_credential_status(
			who: &T::AccountId,
			holder: &T::AccountId,
			kind: CredentialKind,
			change: impl FnOnce(CredentialStatus) -> Result<CredentialStatus, Error<T>>,
		) -> DispatchResult {
			Credentials::<T>::try_mutate(holder, kind, |credential| {
				let credential = credential.as_mut().ok_or(Error::<T>::CredentialNotFound)?;
				let issuer = Organisations::<T>::get(credential.issuer)
					.ok_or(Error::<T>::OrganisationNotFound)?;
				ensure!(
					Self::is_admin(who, credential.issuer, &issuer),
					Error::<T>::NotCredentialIssuer
				);
				// A suspended issuer's admins act for it in nothing, credentials included.
				ensure!(issuer.status == OrganisationStatus::Active, Error::<T>::OrganisationSuspended);
				credential.status = change(credential.status)?;
				Ok(())
			})
		}

		fn active_organisation(
			organisation: OrganisationId,
		) -> Result<Organisation<T::AccountId>, DispatchError> {
			let org = Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.status == OrganisationStatus::Active, Error::<T>::OrganisationSuspended);
			Ok(org)
		}

		/// Whether `who` is an admin of `organisation`: its admin account, or a member with the
		/// `Admin` role.
		fn is_admin(
			who: &T::AccountId,
			organisation: OrganisationId,
			org: &Organisation<T::AccountId>,
		) -> bool {
			org.admin == *who ||
				Members::<T>::get(organisation, who).is_some_and(|roles| roles.contains(&Role::Admin))
		}

		fn ensure_admin(
			who: &T::AccountId,
			organisation: OrganisationId,
			org: &Organisation<T::AccountId>,
		) -> DispatchResult {
			ensure!(Self::is_admin(who, organisation, org), Error::<T>::NotOrganisationAdmin);
			Ok(())
		}

		/// Registers `patient` with `encryption_key`, and makes its account exist without a
		/// balance (a provider reference that is never given back: patients are not removed),
		/// so that it can send sponsored transactions.
		pub(crate) fn do_register_patient(patient: &T::AccountId, encryption_key: EncryptionKey, now: Moment) {
			Patients::<T>::insert(patient, Patient { encryption_key, registered_at: now });
			frame_system::Pallet::<T>::inc_providers(patient);
		}

		/// A vault endpoint, checked: an `https://` or `http://` URL with a host, printable
		/// ASCII with no spaces, within the bound.
		fn validated_endpoint(endpoint: Vec<u8>) -> Result<VaultEndpoint, DispatchError> {
			let host = endpoint
				.strip_prefix(b"https://")
				.or_else(|| endpoint.strip_prefix(b"http://"))
				.ok_or(Error::<T>::InvalidVaultEndpoint)?;
			ensure!(
				!host.is_empty() && !host.starts_with(b"/") && endpoint.iter().all(|b| b.is_ascii_graphic()),
				Error::<T>::InvalidVaultEndpoint
			);
			Ok(VaultEndpoint::try_from(endpoint).map_err(|_| Error::<T>::InvalidVaultEndpoint)?)
		}

		fn ensure_valid_key(key: &EncryptionKey) -> DispatchResult {
			ensure!(*key != [0u8; 32], Error::<T>::InvalidEncryptionKey);
			Ok(())
		}

		/// `items` sorted, if there is at least one (else `empty`) and none twice (else
		/// `duplicate`). The bound is the number of distinct values, so a list that passes fits.
		fn sorted_distinct<I: Ord, S: Get<u32>>(
			mut items: Vec<I>,
			empty: Error<T>,
			duplicate: Error<T>,
		) -> Result<BoundedVec<I, S>, DispatchError> {
			ensure!(!items.is_empty(), empty);
			items.sort();
			let before = items.len();
			items.dedup();
			ensure!(items.len() == before, duplicate);
			Ok(BoundedVec::try_from(items).map_err(|_| duplicate)?)
		}

		/// Every one of `roles` belongs at an organisation of `kind`.
		pub(crate) fn ensure_roles_belong(kind: OrganisationKind, roles: &Roles) -> DispatchResult {
			ensure!(roles.iter().all(|role| role.allowed_at(kind)), Error::<T>::RoleNotForOrganisationKind);
			Ok(())
		}

		/// `who`'s credential of `kind`, if it is in force now and its issuer is active: a
		/// suspended issuer's credentials count for nothing until it is reinstated.
		pub(crate) fn credential_in_force(who: &T::AccountId, kind: CredentialKind) -> Option<Credential<T::AccountId>> {
			use frame_support::traits::Time;
			Credentials::<T>::get(who, kind).filter(|c| {
				c.is_valid_at(T::Time::now()) &&
					Organisations::<T>::get(c.issuer)
						.is_some_and(|issuer| issuer.status == OrganisationStatus::Active)
			})
		}

		/// Roles sorted and checked: at least one, none twice.
		pub(crate) fn validated_roles(roles: Vec<Role>) -> Result<Roles, DispatchError> {
			Self::sorted_distinct(roles, Error::<T>::NoRoles, Error::<T>::DuplicateRole)
		}

		/// Scopes sorted and checked: at least one, none twice.
		fn validated_scope(scope: Vec<CareScope>) -> Result<Scopes, DispatchError> {
			Self::sorted_distinct(scope, Error::<T>::NoScope, Error::<T>::DuplicateScope)
		}

		/// Checks that the indexes and counters agree with the maps they summarise: the
		/// pallet's `try_state`, also run by its tests and the runtime's.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let next = NextOrganisationId::<T>::get();
			for (id, _) in Organisations::<T>::iter() {
				ensure!(id < next, "an organisation id is not below NextOrganisationId");
			}
			let mut counts = BTreeMap::<OrganisationId, u32>::new();
			for (org, member, roles) in Members::<T>::iter() {
				let kind = Organisations::<T>::get(org).ok_or("a member of no organisation")?.kind;
				ensure!(roles.iter().all(|r| r.allowed_at(kind)), "a role where it does not belong");
				ensure!(!roles.is_empty(), "a member without roles");
				ensure!(roles.windows(2).all(|w| w[0] < w[1]), "roles not sorted and distinct");
				ensure!(
					Memberships::<T>::get(&member).contains(&org),
					"a member missing from Memberships"
				);
				*counts.entry(org).or_default() += 1;
			}
			for (org, count) in MemberCount::<T>::iter() {
				ensure!(counts.get(&org) == Some(&count), "MemberCount disagrees with Members");
			}
			ensure!(
				counts.iter().all(|(org, _)| MemberCount::<T>::contains_key(org)),
				"Members of an organisation without a MemberCount"
			);
			for (member, orgs) in Memberships::<T>::iter() {
				for org in orgs.iter() {
					ensure!(
						Members::<T>::contains_key(org, &member),
						"Memberships lists an organisation the account is not a member of"
					);
				}
			}
			for (org, _, _) in Accreditations::<T>::iter() {
				ensure!(Organisations::<T>::contains_key(org), "an accredited unknown organisation");
			}
			for (_, _, credential) in Credentials::<T>::iter() {
				ensure!(
					Organisations::<T>::contains_key(credential.issuer),
					"a credential from an unknown issuer"
				);
				ensure!(credential.valid_from < credential.valid_until, "an empty validity period");
			}
			let mut guardians = BTreeMap::<T::AccountId, u32>::new();
			for (patient, guardian, guardianship) in Guardians::<T>::iter() {
				ensure!(Patients::<T>::contains_key(&patient), "a guardian of a non-patient");
				ensure!(patient != guardian, "a patient who is its own guardian");
				ensure!(!guardianship.scope.is_empty(), "a guardianship without scope");
				*guardians.entry(patient).or_default() += 1;
			}
			for (patient, count) in GuardianCount::<T>::iter() {
				ensure!(
					guardians.get(&patient) == Some(&count),
					"GuardianCount disagrees with Guardians"
				);
			}
			ensure!(
				guardians.keys().all(|p| GuardianCount::<T>::contains_key(p)),
				"Guardians of a patient without a GuardianCount"
			);
			for patient in Patients::<T>::iter_keys() {
				ensure!(
					frame_system::Pallet::<T>::providers(&patient) > 0,
					"a patient whose account does not exist"
				);
			}
			for (org, tally) in Enrolments::<T>::iter() {
				ensure!(Organisations::<T>::contains_key(org), "enrolments by an unknown organisation");
				ensure!(tally.count <= T::MaxEnrolmentsPerDay::get(), "more enrolments than a day allows");
			}
			for (org, vault) in RecordVaults::<T>::iter() {
				ensure!(Organisations::<T>::contains_key(org), "a vault of an unknown organisation");
				ensure!(
					VaultOrganisations::<T>::get(&vault.account) == Some(org),
					"a vault account missing from VaultOrganisations"
				);
				ensure!(!Patients::<T>::contains_key(&vault.account), "a patient signs for a vault");
			}
			for (account, org) in VaultOrganisations::<T>::iter() {
				ensure!(
					RecordVaults::<T>::get(org).is_some_and(|vault| vault.account == account),
					"VaultOrganisations names a vault the organisation does not run"
				);
			}
			for (patient, tally) in SponsoredTransactions::<T>::iter() {
				ensure!(Patients::<T>::contains_key(&patient), "sponsored transactions of a non-patient");
				ensure!(
					tally.count <= T::SponsoredTransactionsPerDay::get(),
					"more sponsored transactions than a day allows"
				);
			}
			Ok(())
		}
	}
}

impl<T: Config> IdentityQuery<T::AccountId> for Pallet<T> {
	fn is_patient(who: &T::AccountId) -> bool {
		Patients::<T>::contains_key(who)
	}

	fn has_role_in(who: &T::AccountId, organisation: OrganisationId, role: Role) -> bool {
		let Some(kind) = Self::active_organisation_kind(organisation) else { return false };
		// A role checks others only with a credential from outside the organisation.
		let independent = || match role.oversight_credential() {
			None => true,
			Some(kind) => Self::credential_in_force(who, kind)
				.is_some_and(|credential| credential.issuer != organisation),
		};
		role.allowed_at(kind) &&
			Members::<T>::get(organisation, who).is_some_and(|roles| roles.contains(&role)) &&
			independent()
	}

	fn has_role(who: &T::AccountId, role: Role) -> bool {
		Memberships::<T>::get(who).iter().any(|org| Self::has_role_in(who, *org, role))
	}

	fn organisation_with_role(who: &T::AccountId, role: Role, kind: OrganisationKind) -> Option<OrganisationId> {
		Memberships::<T>::get(who).into_iter().find(|org| {
			Self::active_organisation_kind(*org) == Some(kind) && Self::has_role_in(who, *org, role)
		})
	}

	fn active_organisation_kind(organisation: OrganisationId) -> Option<OrganisationKind> {
		Organisations::<T>::get(organisation)
			.filter(|org| org.status == OrganisationStatus::Active)
			.map(|org| org.kind)
	}

	fn has_valid_credential(who: &T::AccountId, kind: CredentialKind) -> bool {
		Self::credential_in_force(who, kind).is_some()
	}

	fn may_act_for(who: &T::AccountId, patient: &T::AccountId, scope: CareScope) -> bool {
		use frame_support::traits::Time;
		if !Patients::<T>::contains_key(patient) {
			return false;
		}
		who == patient ||
			Guardians::<T>::get(patient, who).is_some_and(|g| g.covers(scope, T::Time::now()))
	}

	fn patient_key(patient: &T::AccountId) -> Option<EncryptionKey> {
		Patients::<T>::get(patient).map(|p| p.encryption_key)
	}

	fn staff_key(who: &T::AccountId) -> Option<EncryptionKey> {
		StaffKeys::<T>::get(who)
	}

	fn organisation_key(organisation: OrganisationId) -> Option<EncryptionKey> {
		Organisations::<T>::get(organisation).map(|o| o.encryption_key)
	}

	fn vault_account(organisation: OrganisationId) -> Option<T::AccountId> {
		Self::active_organisation_kind(organisation)?;
		RecordVaults::<T>::get(organisation).map(|vault| vault.account)
	}

	fn vault_organisation(who: &T::AccountId) -> Option<OrganisationId> {
		let organisation = VaultOrganisations::<T>::get(who)?;
		Self::active_organisation_kind(organisation)?;
		Some(organisation)
	}

	fn is_identified(who: &T::AccountId) -> bool {
		Patients::<T>::contains_key(who) ||
			!Memberships::<T>::get(who).is_empty() ||
			VaultOrganisations::<T>::contains_key(who) ||
			StaffKeys::<T>::contains_key(who)
	}
}
