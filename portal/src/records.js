// Writing a record from the page, as client/src/records.rs does: seal the FHIR resource, wrap
// its data key to the custodian's and the patient's keys on chain, upload it to the custodian's
// vault, then anchor its hash with add_record. The resource and its key never leave the page
// in the clear.

import { u8aToHex } from '@polkadot/util';
import * as chain from './chain.js';
import * as reader from './reader.js';
import { seal, wrapKey } from './envelope.js';
import { base64Encode as b64 } from '@polkadot/util-crypto';
import { VaultError, vaultRequest } from './vault.js';

/** The record type of a FHIR resource (parsed JSON), or a ChainError saying why it has none. */
export function recordTypeOf(resource) {
  const kind = resource?.resourceType;
  if (typeof kind !== 'string') throw new chain.ChainError('That is not a FHIR resource: it has no resourceType.');
  if (!chain.RECORD_TYPES.includes(kind)) throw new chain.ChainError(`The chain keeps no records of type ${kind}.`);
  return kind;
}

/**
 * Seals `bytes` (a FHIR resource, JSON) for `patient`, uploads it to `custodian`'s vault and
 * anchors it under `authority`; resolves with the new record's id.
 */
export async function putRecord(api, follower, keys, { patient, custodian, authority, bytes }) {
  let resource;
  try {
    resource = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new chain.ChainError('That is not a FHIR resource: it is not JSON.');
  }
  const recordType = recordTypeOf(resource);
  const { at } = await reader.finalized(follower);
  const vault = await reader.vaultOf(at, custodian);
  if (!vault) throw new VaultError(`Organisation ${custodian} has no vault on the chain.`);
  const custodianKey = await reader.organisationKey(at, custodian);
  const patientKey = await reader.patientKey(at, patient);
  if (!patientKey) throw new chain.ChainError('That account is not an enrolled patient.');
  const { ciphertext, contentHash, dataKey } = seal(bytes);
  const body = new TextEncoder().encode(JSON.stringify({
    patient,
    recordType,
    authority: chain.encodeAuthority(api, authority).slice(2),
    ciphertext: b64(ciphertext),
    custodianKey: b64(await wrapKey(dataKey, custodianKey, contentHash)),
    patientKey: b64(await wrapKey(dataKey, patientKey, contentHash)),
  }));
  dataKey.fill(0);
  const hash = u8aToHex(contentHash);
  await vaultRequest(keys.pair, vault.account, vault.endpoint, 'PUT', `/v1/uploads/${hash.slice(2)}`, body);
  const { events } = await chain.submit(api, api.tx.healthRecords.addRecord(patient, recordType, hash, custodian, authority), keys.pair);
  const added = events.find(({ event }) => api.events.healthRecords.RecordAdded.is(event));
  if (!added) throw new chain.ChainError('The chain anchored nothing (no RecordAdded event).');
  return added.event.data.record.toNumber();
}
