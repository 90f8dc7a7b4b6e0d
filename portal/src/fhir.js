// A FHIR resource, shown for people: an Observation as its name, value with unit and
// reference range; a MedicationRequest as what, how and how much (not the salts it keeps for
// the chain's commitments); anything else as its fields. Built with DOM nodes, never HTML
// strings: a record's text is data, not markup.

import { h } from './dom.js';
import { u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

const text = (codeable) => codeable?.text ?? codeable?.coding?.[0]?.display ?? codeable?.coding?.[0]?.code ?? '';

function quantity(q) {
  if (!q || q.value === undefined) return '';
  return `${q.value}${q.unit ? ` ${q.unit}` : q.code ? ` ${q.code}` : ''}`;
}

function range(r) {
  if (!r) return '';
  const low = r.low?.value;
  const high = r.high?.value;
  const unit = r.low?.unit ?? r.high?.unit ?? '';
  if (low !== undefined && high !== undefined) return `${low}–${high}${unit ? ` ${unit}` : ''}`;
  if (low !== undefined) return `at least ${low}${unit ? ` ${unit}` : ''}`;
  if (high !== undefined) return `at most ${high}${unit ? ` ${unit}` : ''}`;
  return r.text ?? '';
}

/** The value of an Observation as people say it, or ''. */
export function observationValue(o) {
  if (o.valueQuantity) return quantity(o.valueQuantity);
  if (o.valueCodeableConcept) return text(o.valueCodeableConcept);
  if (o.valueString !== undefined) return String(o.valueString);
  if (o.valueBoolean !== undefined) return o.valueBoolean ? 'yes' : 'no';
  if (o.valueInteger !== undefined) return String(o.valueInteger);
  if (o.component) return o.component.map((c) => `${text(c.code)} ${observationValue(c)}`).join(', ');
  return '';
}

/** Whether a quantity lies outside the first reference range. */
function outOfRange(o) {
  const value = o.valueQuantity?.value;
  const r = o.referenceRange?.[0];
  if (value === undefined || !r) return null;
  return (r.low?.value !== undefined && value < r.low.value) || (r.high?.value !== undefined && value > r.high.value);
}

/** What a MedicationRequest prescribes, as people say it: `{ medication, dosage, perFill, repeats }`. */
export function prescribed(r) {
  const perFill = r.dispenseRequest?.quantity;
  return {
    medication: text(r.medicationCodeableConcept) || r.medicationReference?.display || 'a medication',
    dosage: (r.dosageInstruction ?? []).map((d) => d.text).filter(Boolean).join('; '),
    perFill: perFill ? quantity(perFill) : '',
    repeats: r.dispenseRequest?.numberOfRepeatsAllowed,
  };
}

/** Where a MedicationRequest keeps the salt of the prescription's patient commitment. */
export const PATIENT_SALT_EXTENSION = 'urn:healthchain:fhir:prescription-patient-salt';

/**
 * The `medicationRequestHash` a prescription carries for the MedicationRequest record whose
 * content hash is `contentHash`, salted with `salt` (both bytes): Blake2-256 of the two. Not
 * the record's content hash itself, which the chain shows beside the patient: with it, anyone
 * could join a prescription to its patient. Only readers of the document know the salt.
 */
export function requestHash(contentHash, salt) {
  return blake2AsU8a(u8aConcat(contentHash, salt), 256);
}

/** The patient commitment's salt in a MedicationRequest (32 bytes, hex), or null. */
export function patientSalt(r) {
  const hex = r.extension?.find((e) => e.url === PATIENT_SALT_EXTENSION)?.valueString;
  return typeof hex === 'string' && /^0x[0-9a-fA-F]{64}$/.test(hex) ? hex : null;
}

function field(name, value) {
  return value ? [h('dt', {}, name), h('dd', {}, value)] : [];
}

/** A DOM node showing `resource` (parsed FHIR JSON). */
export function renderResource(resource) {
  if (resource.resourceType === 'Observation') {
    const out = outOfRange(resource);
    return h('div', { class: 'fhir observation' },
      h('p', { class: 'observation-name' }, text(resource.code) || 'Observation'),
      h('p', { class: `observation-value${out ? ' out-of-range' : ''}`, 'data-testid': 'observation-value' },
        observationValue(resource) || 'no value'),
      out ? h('p', { class: 'flag', role: 'note' }, 'Outside the reference range') : null,
      h('dl', {},
        ...field('Reference range', range(resource.referenceRange?.[0])),
        ...field('Status', resource.status),
        ...field('When', resource.effectiveDateTime ?? resource.issued ?? ''),
        ...field('Interpretation', text(resource.interpretation?.[0])),
        ...field('Note', resource.note?.map((n) => n.text).join(' ') ?? '')));
  }
  if (resource.resourceType === 'MedicationRequest') {
    const p = prescribed(resource);
    return h('div', { class: 'fhir medication-request' },
      h('p', { class: 'observation-name' }, p.medication),
      h('dl', {},
        ...field('How to take it', p.dosage),
        ...field('Each fill', p.perFill),
        ...field('Refills', p.repeats === undefined ? '' : String(p.repeats)),
        ...field('Status', resource.status),
        ...field('Written', resource.authoredOn ?? ''),
        ...field('Note', resource.note?.map((n) => n.text).join(' ') ?? '')));
  }
  const fields = Object.entries(resource)
    .filter(([k]) => k !== 'resourceType')
    .flatMap(([k, v]) => field(k, typeof v === 'object' ? (text(v) || JSON.stringify(v)) : String(v)));
  return h('div', { class: 'fhir' }, h('p', { class: 'observation-name' }, resource.resourceType ?? 'Resource'), h('dl', {}, ...fields));
}
