// What the portal shows, read through polkadot-api at the latest finalized block, over either
// transport:
// - the light client (smoldot in the page): it follows the chain from the chain spec's genesis
//   over p2p, verifies each finalized header's GRANDPA justification and every storage value
//   against its block's state root by Merkle proof. A node that lies is caught, not believed.
// - a node's JSON-RPC (the new chainHead API): the fallback for development chains a light
//   client cannot verify (instant and manual seal carry no Aura or GRANDPA proofs); the page
//   then trusts that node, and says so.

import { createClient } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { getSmProvider } from 'polkadot-api/sm-provider';
import { hexToString, hexToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

/** Why the chain could not be read: `message` is for people. */
export class ReadError extends Error {}

/**
 * Connects a reader: with `chainSpec` (a raw chain spec with boot nodes a browser can reach)
 * through the light client, otherwise through the node at `nodeUrl`. `{ client, api, mode,
 * close }`.
 */
export async function connectReader({ chainSpec, nodeUrl }) {
  try {
    return await connect(chainSpec, nodeUrl);
  } catch (e) {
    throw new ReadError(`The chain cannot be followed (${e?.message ?? e}).`);
  }
}

async function connect(chainSpec, nodeUrl) {
  if (chainSpec) {
    const { start } = await import('smoldot');
    const smoldot = start({ maxLogLevel: 2 });
    const chain = await smoldot.addChain({ chainSpec: typeof chainSpec === 'string' ? chainSpec : JSON.stringify(chainSpec) });
    const client = createClient(getSmProvider(() => chain));
    return { client, api: client.getUnsafeApi(), mode: 'light', close: () => { client.destroy(); smoldot.terminate(); } };
  }
  const client = createClient(getWsProvider(nodeUrl));
  return { client, api: client.getUnsafeApi(), mode: 'rpc', close: () => client.destroy() };
}

/** The latest finalized block: `{ at: { query, hash }, number, hash }`. */
export async function finalized(reader) {
  const block = await reader.client.getFinalizedBlock();
  return { at: { query: reader.api.query, hash: block.hash }, number: block.number, hash: block.hash };
}

const bytes = (hex) => hexToU8a(hex);
// Byte strings arrive as hex (fixed length) or as bytes (variable length) from polkadot-api.
const utf8 = (x) => {
  if (typeof x === 'string') return x.startsWith('0x') ? hexToString(x) : x;
  if (x instanceof Uint8Array) return new TextDecoder().decode(x);
  return x.asText();
};
const num = (x) => Number(x);
const opt = (x, f = (v) => v) => (x === undefined || x === null ? null : f(x));
const variant = (e) => (typeof e === 'string' ? e : e.type);
const value = (q, pallet, item, ...keys) => q.query[pallet][item].getValue(...keys, { at: q.hash });
const entries = (q, pallet, item, ...keys) => q.query[pallet][item].getEntries(...keys, { at: q.hash });

/** A record as the portal shows it, from its id and its storage value. */
const recordOf = (id, r) => ({
  id,
  patient: r.patient,
  type: variant(r.record_type),
  author: r.author,
  createdAt: num(r.created_at),
  custodian: opt(r.custodian),
  contentHash: bytes(r.content_hash),
  version: r.version,
  amendedBy: opt(r.amended_by, num),
  erasedAt: opt(r.erased_at, num),
  erasureConfirmedAt: opt(r.erasure_confirmed_at, num),
});

/**
 * What one of the chain's indexes lists under `prefix`: each second key of `pallet`'s `index`
 * with the value of `item` at the keys `keysOf` makes of it; entries no longer there are left out.
 */
async function throughIndex(at, pallet, index, prefix, item, keysOf = (key) => [key]) {
  const listed = (await entries(at, pallet, index, prefix)).map(({ keyArgs }) => keyArgs[1]);
  const found = await Promise.all(listed.map(async (key) => ({ key, v: await value(at, pallet, item, ...keysOf(key)) })));
  return found.filter(({ v }) => v);
}

/** A patient's records, newest first. */
export async function recordsOf(at, patient) {
  return (await throughIndex(at, 'HealthRecords', 'PatientRecords', patient, 'Records'))
    .map(({ key, v }) => recordOf(num(key), v)).sort((a, b) => b.id - a.id);
}

/** One record, or null. */
export async function record(at, id) {
  const r = await value(at, 'HealthRecords', 'Records', BigInt(id));
  return r ? recordOf(id, r) : null;
}

const granteeOf = (g) => (g.type === 'Account' ? { account: g.value } : { organisation: g.value });
const grantOf = (g) => ({
  access: variant(g.access),
  recordTypes: g.record_types.map(variant),
  expiresAt: num(g.expires_at),
  grantedAt: num(g.granted_at),
  basis: variant(g.basis),
});

/** The grants a patient has made. */
export async function grantsOf(at, patient) {
  return (await entries(at, 'HealthRecords', 'Grants', patient)).map(({ keyArgs, value: g }) => ({ grantee: granteeOf(keyArgs[1]), ...grantOf(g) }));
}

/** The patients who granted `practitioner` access directly, found by the chain's index of grants by grantee. */
export async function grantsTo(at, practitioner) {
  const grantee = { type: 'Account', value: practitioner };
  return (await throughIndex(at, 'HealthRecords', 'GrantsByGrantee', grantee, 'Grants', (patient) => [patient, grantee]))
    .map(({ key: patient, v: g }) => ({ patient, ...grantOf(g) }));
}

/** A patient's access log, newest first. */
export async function accessLogOf(at, patient) {
  return (await entries(at, 'HealthRecords', 'AccessLog', patient)).map(({ keyArgs, value: e }) => ({
    index: keyArgs[1],
    record: num(e.record),
    accessor: e.accessor,
    emergency: opt(e.emergency, num),
    purpose: variant(e.purpose),
    at: num(e.at),
    releasedBy: opt(e.released_by),
  })).sort((a, b) => b.index - a.index);
}

/** Break-glass accesses to `patient`'s records, newest first, with their review's state: the chain indexes them by patient. */
export async function emergenciesOf(at, patient) {
  return (await throughIndex(at, 'HealthRecords', 'EmergenciesByPatient', patient, 'EmergencyAccesses'))
    .filter(({ v: e }) => e.patient === patient)
    .map(({ key, v: e }) => ({
      id: num(key),
      practitioner: e.practitioner,
      organisation: opt(e.organisation),
      reason: variant(e.reason),
      openedAt: num(e.opened_at),
      expiresAt: num(e.expires_at),
      review: e.review.type === 'Pending' ? 'Pending' : variant(e.review.value.outcome),
    }))
    .sort((a, b) => b.id - a.id);
}

/** Who `account` is on chain: patient (with its key), and its organisations with their roles. */
export async function profileOf(at, account) {
  const [patient, memberships, staffKey] = await Promise.all([
    value(at, 'HealthIdentity', 'Patients', account),
    value(at, 'HealthIdentity', 'Memberships', account),
    value(at, 'HealthIdentity', 'StaffKeys', account),
  ]);
  const organisations = await Promise.all(memberships.map(async (organisation) => {
    const roles = await value(at, 'HealthIdentity', 'Members', organisation, account);
    return { organisation, roles: (roles ?? []).map(variant) };
  }));
  return {
    patient: Boolean(patient),
    patientKey: patient ? bytes(patient.encryption_key) : null,
    staffKey: opt(staffKey, bytes),
    organisations,
  };
}

/** An organisation's vault: `{ account (32 bytes), endpoint }`, or null. */
export async function vaultOf(at, organisation) {
  const v = await value(at, 'HealthIdentity', 'RecordVaults', organisation);
  return v ? { account: decodeAddress(v.account), endpoint: utf8(v.endpoint) } : null;
}

/** The X25519 key on `organisation`'s profile, or null. */
export async function organisationKey(at, organisation) {
  const o = await value(at, 'HealthIdentity', 'Organisations', organisation);
  return o ? bytes(o.encryption_key) : null;
}

/** An enrolled patient's X25519 key, or null. */
export async function patientKey(at, patient) {
  const p = await value(at, 'HealthIdentity', 'Patients', patient);
  return p ? bytes(p.encryption_key) : null;
}

/** The chain's clock (ms). */
export async function now(at) {
  return num(await value(at, 'Timestamp', 'Now'));
}

/** A patient's guardians. */
export async function guardiansOf(at, patient) {
  return (await entries(at, 'HealthIdentity', 'Guardians', patient)).map(({ keyArgs, value: g }) => ({
    guardian: keyArgs[1],
    kind: variant(g.kind),
    scope: g.scope.map(variant),
    expiresAt: opt(g.expires_at, num),
  }));
}

/** A patient's insurance claims, newest first. */
export async function claimsOf(at, patient) {
  const ids = (await entries(at, 'InsuranceClaims', 'PatientClaims', patient)).map(({ keyArgs }) => keyArgs[1]);
  const found = await Promise.all(ids.map(async (id) => ({ id: num(id), c: await value(at, 'InsuranceClaims', 'Claims', id) })));
  return found.filter(({ c }) => c).map(({ id, c }) => ({
    id,
    provider: c.provider,
    insurer: c.insurer,
    billed: BigInt(c.billed),
    allowed: opt(c.allowed, BigInt),
    status: variant(c.status),
    submittedAt: num(c.submitted_at),
  })).sort((a, b) => b.id - a.id);
}

/**
 * The prescriptions issued with the MedicationRequest whose encrypted document hashes to `hash`
 * (its record's content hash), as the prescriptions pallet indexes them; usually one.
 */
export async function prescriptionsByRequest(at, hash) {
  return (await throughIndex(at, 'Prescriptions', 'PrescriptionsByRequest', u8aToHex(hash), 'Prescriptions')).map(({ key, v: p }) => ({
    id: num(key),
    patientCommitment: bytes(p.patient_commitment),
    prescriber: p.prescriber,
    controlled: p.controlled,
    refills: num(p.refills),
    fills: num(p.fills),
    lastFilledAt: opt(p.last_filled_at, num),
    validFrom: num(p.valid_from),
    validUntil: num(p.valid_until),
    status: variant(p.status),
    cancelledBy: variant(p.status) === 'Cancelled' ? p.status.value.by : null,
  })).sort((a, b) => b.id - a.id);
}

/** A DUO data use as research.js reads it: purpose and modifiers as `{ name: value }`. */
function dataUse(d) {
  const term = (e) => {
    const name = e.type[0].toLowerCase() + e.type.slice(1);
    if (e.value === undefined) return name;
    return { [name]: typeof e.value === 'string' || e.value instanceof Uint8Array || e.value?.asText ? utf8(e.value) : e.value };
  };
  return { purpose: term(d.purpose), modifiers: d.modifiers.map(term) };
}

/** Every registered study. */
export async function studies(at) {
  return (await entries(at, 'ResearchConsent', 'Studies')).map(({ keyArgs, value: s }) => ({
    id: keyArgs[0],
    institute: s.institute,
    dataUse: dataUse(s.data_use),
    recordTypes: s.record_types.map(variant),
    startsAt: num(s.starts_at),
    endsAt: num(s.ends_at),
  })).sort((a, b) => a.id - b.id);
}

/** `participant`'s latest consent to `study`, withdrawn or not, or null. */
export async function studyConsent(at, participant, study) {
  const id = await value(at, 'ResearchConsent', 'StudyConsents', participant, study);
  if (id === undefined) return null;
  const c = await value(at, 'ResearchConsent', 'Consents', id);
  if (!c) return null;
  return {
    id: num(id),
    recordTypes: c.terms.record_types.map(variant),
    expiresAt: opt(c.terms.expires_at, num),
    version: c.version,
    withdrawnIn: opt(c.withdrawn_in, num),
  };
}

/** An account's free balance (base units). */
export async function freeBalance(at, account) {
  return BigInt((await value(at, 'System', 'Account', account)).data.free);
}
