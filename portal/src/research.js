// Research under participants, as client/src/research.rs defines it: the patient's
// participant for study N is the account of the phrase with the hard junctions
// `//healthchain-research//study-N`, and the patient binds it by signing
// "healthchain/research-participant/v1:" ‖ the participant's account. DUO terms in words.

import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

const BINDING_CONTEXT = new TextEncoder().encode('healthchain/research-participant/v1:');

/** The patient's participant key pair for `study`. */
export function participant(phrase, study) {
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`${phrase}//healthchain-research//study-${study}`);
}

/** The patient's binding of `participantAddress`, hex, for the study team. */
export function binding(patientPair, participantAddress) {
  return u8aToHex(patientPair.sign(u8aConcat(BINDING_CONTEXT, decodeAddress(participantAddress)))).slice(2);
}

const PURPOSES = {
  generalResearchUse: () => 'any research purpose (general research use)',
  healthMedicalBiomedical: () => 'health, medical or biomedical research, not the study of population origins or ancestry',
  diseaseSpecific: (code) => `research on the disease ${code} (ICD-10) and its subtypes only`,
  populationOriginsAncestry: () => 'the study of population origins or ancestry only',
};

const text = (hex) => (typeof hex === 'string' && hex.startsWith('0x')
  ? new TextDecoder().decode(Uint8Array.from(hex.slice(2).match(/../g) ?? [], (b) => parseInt(b, 16))) : String(hex));
const day = (ms) => new Date(Number(ms)).toLocaleDateString('en-GB', { dateStyle: 'medium' });

const MODIFIERS = {
  notForProfitUse: () => 'not-for-profit use only',
  nonCommercialUse: () => 'no commercial use',
  publicationRequired: () => 'the results are published',
  collaborationRequired: () => 'in collaboration with the investigators who collected the data',
  ethicsApprovalRequired: () => 'approved by an ethics board',
  geographicalRestriction: (region) => `used only in ${text(region)}`,
  publicationMoratorium: (ms) => `nothing published before ${day(ms)}`,
  timeLimitOnUse: (ms) => `used only until ${day(ms)}`,
  userSpecificRestriction: () => 'used only by named, approved researchers',
  researchSpecificRestriction: (kind) => `only for ${text(kind)} research`,
};

function words(table, term) {
  if (typeof term === 'string') {
    const key = term[0].toLowerCase() + term.slice(1);
    return table[key]?.() ?? term;
  }
  const [name, value] = Object.entries(term)[0];
  const key = name[0].toLowerCase() + name.slice(1);
  return table[key]?.(key === 'diseaseSpecific' ? text(value) : value) ?? name;
}

/** A study's data use (DUO purpose and modifiers, as @polkadot/api's JSON) in plain words. */
export function dataUseInWords(dataUse) {
  const purpose = words(PURPOSES, dataUse.purpose);
  const modifiers = (dataUse.modifiers ?? []).map((m) => words(MODIFIERS, m));
  return modifiers.length ? `${purpose}; ${modifiers.join('; ')}` : purpose;
}
