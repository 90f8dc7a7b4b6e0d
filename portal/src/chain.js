// The chain, through @polkadot/api over a node's JSON-RPC: everything the portal shows is read
// at the latest finalized block, and every change is a transaction signed in the browser.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { decodeAddress } from '@polkadot/util-crypto';
import { u8aToString } from '@polkadot/util';

/** The record types the chain keeps (pallet-health-records' RecordType), in its order. */
export const RECORD_TYPES = ['Observation', 'Condition', 'DiagnosticReport', 'MedicationStatement', 'Immunization',
  'DocumentReference', 'ImagingStudy', 'AllergyIntolerance', 'Procedure', 'Encounter', 'CarePlan'];

/** Why the chain refused or could not be reached: `message` is for people. */
export class ChainError extends Error {}

/** Connects to the node at `url` (ws:// or wss://); rejects after `timeoutMs`. */
export async function connect(url, timeoutMs = 15_000) {
  const provider = new WsProvider(url, false);
  let timer;
  try {
    await Promise.race([
      provider.connect(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), timeoutMs); }),
    ]);
    const api = await Promise.race([
      ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), timeoutMs); }),
    ]);
    return api;
  } catch (e) {
    await provider.disconnect().catch(() => {});
    throw new ChainError(`The chain node at ${url} cannot be reached (${e.message}).`);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `text` is an account address (SS58). */
export function isAddress(text) {
  try {
    return decodeAddress(text).length === 32;
  } catch {
    return false;
  }
}

/** The state at the latest finalized block, and that block's number. */
export async function finalized(api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  const header = await api.rpc.chain.getHeader(hash);
  return { at: await api.at(hash), number: header.number.toNumber(), hash: hash.toHex() };
}

const plain = (codec) => codec.toJSON();

/** A patient's records, newest first: `{ id, type, author, createdAt, custodian, erased, ... }`. */
export async function recordsOf(at, patient) {
  const keys = await at.query.healthRecords.patientRecords.keys(patient);
  const ids = keys.map((k) => k.args[1].toNumber());
  const records = await Promise.all(ids.map(async (id) => ({ id, record: await at.query.healthRecords.records(id) })));
  return records
    .filter(({ record }) => record.isSome)
    .map(({ id, record }) => {
      const r = record.unwrap();
      return {
        id,
        type: r.recordType.toString(),
        author: r.author.toString(),
        createdAt: r.createdAt.toNumber(),
        custodian: r.custodian.isSome ? r.custodian.unwrap().toNumber() : null,
        contentHash: r.contentHash.toU8a(),
        version: r.version.toNumber(),
        amendedBy: r.amendedBy.isSome ? r.amendedBy.unwrap().toNumber() : null,
        erasedAt: r.erasedAt.isSome ? r.erasedAt.unwrap().toNumber() : null,
        erasureConfirmedAt: r.erasureConfirmedAt.isSome ? r.erasureConfirmedAt.unwrap().toNumber() : null,
      };
    })
    .sort((a, b) => b.id - a.id);
}

/** One record, or null. */
export async function record(at, id) {
  const found = await at.query.healthRecords.records(id);
  if (found.isNone) return null;
  const r = found.unwrap();
  return {
    id,
    patient: r.patient.toString(),
    type: r.recordType.toString(),
    contentHash: r.contentHash.toU8a(),
    custodian: r.custodian.isSome ? r.custodian.unwrap().toNumber() : null,
    erasedAt: r.erasedAt.isSome ? r.erasedAt.unwrap().toNumber() : null,
  };
}

function grantee(key) {
  return key.isAccount ? { account: key.asAccount.toString() } : { organisation: key.asOrganisation.toNumber() };
}

function grantOf(value) {
  const g = value.unwrap ? value.unwrap() : value;
  return {
    access: g.access.toString(),
    recordTypes: g.recordTypes.map((t) => t.toString()),
    expiresAt: g.expiresAt.toNumber(),
    grantedAt: g.grantedAt.toNumber(),
    basis: g.basis.toString(),
  };
}

/** The grants a patient has made: `{ grantee: {account}|{organisation}, access, recordTypes, expiresAt }`. */
export async function grantsOf(at, patient) {
  const entries = await at.query.healthRecords.grants.entries(patient);
  return entries.map(([key, value]) => ({ grantee: grantee(key.args[1]), ...grantOf(value) }));
}

/**
 * The patients who granted `practitioner` access, directly: a scan of every grant, which a
 * consortium's indexer would answer from an index at scale.
 */
export async function grantsTo(at, practitioner) {
  const entries = await at.query.healthRecords.grants.entries();
  return entries
    .filter(([key]) => key.args[1].isAccount && key.args[1].asAccount.toString() === practitioner)
    .map(([key, value]) => ({ patient: key.args[0].toString(), ...grantOf(value) }));
}

/** A patient's access log, newest first. */
export async function accessLogOf(at, patient) {
  const entries = await at.query.healthRecords.accessLog.entries(patient);
  return entries
    .map(([key, value]) => {
      const e = value.unwrap();
      return {
        index: key.args[1].toNumber(),
        record: e.record.toNumber(),
        accessor: e.accessor.toString(),
        authority: plain(e.authority),
        emergency: e.emergency.isSome ? e.emergency.unwrap().toNumber() : null,
        purpose: e.purpose.toString(),
        at: e.at.toNumber(),
        releasedBy: e.releasedBy.isSome ? e.releasedBy.unwrap().toNumber() : null,
      };
    })
    .sort((a, b) => b.index - a.index);
}

/** Break-glass accesses to `patient`'s records, newest first, with their review's state. */
export async function emergenciesOf(at, patient) {
  const entries = await at.query.healthRecords.emergencyAccesses.entries();
  return entries
    .map(([key, value]) => ({ id: key.args[0].toNumber(), e: value.unwrap() }))
    .filter(({ e }) => e.patient.toString() === patient)
    .map(({ id, e }) => ({
      id,
      practitioner: e.practitioner.toString(),
      organisation: e.organisation.isSome ? e.organisation.unwrap().toNumber() : null,
      reason: e.reason.toString(),
      openedAt: e.openedAt.toNumber(),
      expiresAt: e.expiresAt.toNumber(),
      review: e.review.isPending ? 'Pending' : `${e.review.asClosed.outcome.toString()}`,
    }))
    .sort((a, b) => b.id - a.id);
}

/** Who `account` is on chain: patient (with its key), and its organisations with their roles. */
export async function profileOf(at, account) {
  const [patient, memberships, staffKey] = await Promise.all([
    at.query.healthIdentity.patients(account),
    at.query.healthIdentity.memberships(account),
    at.query.healthIdentity.staffKeys(account),
  ]);
  const organisations = await Promise.all(memberships.map(async (org) => {
    const roles = await at.query.healthIdentity.members(org, account);
    return { organisation: org.toNumber(), roles: roles.isSome ? roles.unwrap().map((r) => r.toString()) : [] };
  }));
  return {
    patient: patient.isSome,
    patientKey: patient.isSome ? patient.unwrap().encryptionKey.toU8a() : null,
    staffKey: staffKey.isSome ? staffKey.unwrap().toU8a() : null,
    organisations,
  };
}

/** An organisation's vault: `{ account (32 bytes), endpoint }`, or null. */
export async function vaultOf(at, organisation) {
  const found = await at.query.healthIdentity.recordVaults(organisation);
  if (found.isNone) return null;
  const v = found.unwrap();
  return { account: decodeAddress(v.account.toString()), endpoint: u8aToString(v.endpoint.toU8a(true)) };
}

/** The chain's clock (ms) at `at`. */
export async function now(at) {
  return (await at.query.timestamp.now()).toNumber();
}

/**
 * Signs `tx` with `pair`, submits it and resolves once it is in a finalized block; a dispatch
 * error rejects with the pallet's own words for it.
 */
export function submit(api, tx, pair) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(pair, ({ status, dispatchError, events }) => {
      if (dispatchError) {
        unsubscribe();
        let message = dispatchError.toString();
        if (dispatchError.isModule) {
          const { name, docs } = api.registry.findMetaError(dispatchError.asModule);
          message = `${docs.join(' ').trim() || name} (${name})`;
        } else if (dispatchError.isToken) {
          message = `The account cannot pay for this (${dispatchError.asToken.toString()}).`;
        }
        reject(Object.assign(new ChainError(message), { error: dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule).name : 'Dispatch' }));
      } else if (status.isFinalized) {
        unsubscribe();
        resolve({ events, block: status.asFinalized.toHex() });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        unsubscribe();
        reject(new ChainError(`The transaction was not included (${status.type}).`));
      }
    }).then((u) => { unsubscribe = u; }, (e) => reject(new ChainError(`The node refused the transaction: ${e.message}`)));
  });
}

/** The X25519 key on `organisation`'s profile (its custodian's copy of data keys), or null. */
export async function organisationKey(at, organisation) {
  const found = await at.query.healthIdentity.organisations(organisation);
  return found.isSome ? found.unwrap().encryptionKey.toU8a() : null;
}

/** An enrolled patient's X25519 key, or null. */
export async function patientKey(at, patient) {
  const found = await at.query.healthIdentity.patients(patient);
  return found.isSome ? found.unwrap().encryptionKey.toU8a() : null;
}

/** `authority` (`{ Grant: { Account } }`, ...) SCALE-encoded as `add_record` carries it, hex. */
export function encodeAuthority(api, authority) {
  const type = api.tx.healthRecords.addRecord.meta.args[4].type.toString();
  return api.createType(type, authority).toHex();
}

/** A patient's guardians: `{ guardian, kind, scope: [..], expiresAt|null }`. */
export async function guardiansOf(at, patient) {
  const entries = await at.query.healthIdentity.guardians.entries(patient);
  return entries.map(([key, value]) => {
    const g = value.unwrap();
    return {
      guardian: key.args[1].toString(),
      kind: g.kind.toString(),
      scope: g.scope.map((s) => s.toString()),
      expiresAt: g.expiresAt.isSome ? g.expiresAt.unwrap().toNumber() : null,
    };
  });
}

/** A patient's insurance claims, newest first. */
export async function claimsOf(at, patient) {
  const keys = await at.query.insuranceClaims.patientClaims.keys(patient);
  const ids = keys.map((k) => k.args[1].toNumber());
  const claims = await Promise.all(ids.map(async (id) => ({ id, claim: await at.query.insuranceClaims.claims(id) })));
  return claims.filter(({ claim }) => claim.isSome).map(({ id, claim }) => {
    const c = claim.unwrap();
    return {
      id,
      provider: c.provider.toNumber(),
      insurer: c.insurer.toNumber(),
      billed: c.billed.toBigInt(),
      allowed: c.allowed.isSome ? c.allowed.unwrap().toBigInt() : null,
      status: c.status.toString(),
      submittedAt: c.submittedAt.toNumber(),
    };
  }).sort((a, b) => b.id - a.id);
}

/** Every registered study: `{ id, institute, dataUse (JSON), recordTypes, startsAt, endsAt }`. */
export async function studies(at) {
  const entries = await at.query.researchConsent.studies.entries();
  return entries.map(([key, value]) => {
    const s = value.unwrap();
    return {
      id: key.args[0].toNumber(),
      institute: s.institute.toNumber(),
      dataUse: s.dataUse.toJSON(),
      recordTypes: s.recordTypes.map((t) => t.toString()),
      startsAt: s.startsAt.toNumber(),
      endsAt: s.endsAt.toNumber(),
    };
  }).sort((a, b) => a.id - b.id);
}

/** `participant`'s latest consent to `study`, withdrawn or not, or null. */
export async function studyConsent(at, participant, study) {
  const id = await at.query.researchConsent.studyConsents(participant, study);
  if (id.isNone) return null;
  const found = await at.query.researchConsent.consents(id.unwrap());
  if (found.isNone) return null;
  const c = found.unwrap();
  return {
    id: id.unwrap().toNumber(),
    recordTypes: c.terms.recordTypes.map((t) => t.toString()),
    expiresAt: c.terms.expiresAt.isSome ? c.terms.expiresAt.unwrap().toNumber() : null,
    version: c.version.toNumber(),
    withdrawnIn: c.withdrawnIn.isSome ? c.withdrawnIn.unwrap().toNumber() : null,
  };
}

/** An account's free balance (base units). */
export async function freeBalance(at, account) {
  return (await at.query.system.account(account)).data.free.toBigInt();
}
