// The HealthChain portal: patients see their records, grants and access log; clinicians open
// the records patients shared with them. Keys are derived, kept and used in this page only.

import * as chain from './chain.js';
import * as reader from './reader.js';
import { EnvelopeError, open, unwrapKey } from './envelope.js';
import { patientSalt, prescribed, renderResource, requestHash } from './fhir.js';
import { hexToU8a, u8aConcat, u8aEq } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { fill, h } from './dom.js';
import * as keys from './keys.js';
import { putRecord } from './records.js';
import * as research from './research.js';
import { seriesChart } from './chart.js';
import { released, VaultError, vaultRequest } from './vault.js';

// `documents`: the patient's MedicationRequests, opened once per sign-in and kept in memory only,
// with the salt, the hash the chain indexes them by and the patient commitment they open.
const state = { api: null, keys: null, profile: null, finalized: null, view: null, unsubscribe: null, patientShown: null, documents: new Map(),
  refreshing: null, refreshAgain: false };
const $ = (id) => document.getElementById(id);

// ---- messages ---------------------------------------------------------------------------

/** Words for people from any failure: ours carry them; anything else is wrapped. */
function words(e) {
  if (e instanceof VaultError || e instanceof chain.ChainError || e instanceof reader.ReadError || e instanceof EnvelopeError || e instanceof keys.KeyError) {
    return e.message;
  }
  return `Something went wrong: ${e?.message ?? String(e)}`;
}

function say(text) {
  fill($('status'), h('p', {}, text));
  fill($('alert'));
}

function warn(text) {
  fill($('alert'), h('p', {}, text));
  fill($('status'));
}

/** Runs `action` with `button` busy; failures are said, never thrown at the user. */
async function act(button, action) {
  if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
  try {
    await action();
  } catch (e) {
    warn(words(e));
  } finally {
    if (button) { button.disabled = false; button.removeAttribute('aria-busy'); }
  }
}

// ---- formatting -----------------------------------------------------------------------

const when = (ms) => new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const short = (address) => `${address.slice(0, 6)}…${address.slice(-4)}`;
function who(address) {
  if (state.keys && address === state.keys.address) return 'you';
  return h('span', { title: address }, short(address));
}
const count = (n, thing) => `${n} ${thing}${n === 1 ? '' : 's'}`;
const organisation = (id) => (id === null || id === undefined ? '—' : `organisation ${id}`);
const PURPOSES = {
  Treatment: 'treatment', CareCoordination: 'care coordination', Payment: 'payment', Operations: 'operations',
  PatientRequest: 'your own request', Emergency: 'an emergency', Audit: 'an audit', Research: 'research',
};
const REASONS = {
  Unresponsive: 'the patient was unresponsive', LifeThreatening: 'a life-threatening condition',
  UnableToConsent: 'the patient was unable to consent', UrgentCare: 'urgent care',
};

function table(caption, headings, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows));
}

// ---- signing in -------------------------------------------------------------------------

function signInView() {
  const kept = keys.stored();
  const unlock = kept && h('form', { id: 'unlock-form', 'aria-labelledby': 'unlock-heading', onsubmit: (ev) => {
    ev.preventDefault();
    act(ev.submitter, async () => signIn(await keys.unlock($('unlock-passphrase').value), null));
  } },
  h('h2', { id: 'unlock-heading' }, 'Unlock your keys'),
  h('p', {}, 'Keys for ', h('span', { class: 'address' }, kept), ' are kept in this browser, encrypted.'),
  h('label', { for: 'unlock-passphrase' }, 'Passphrase'),
  h('input', { id: 'unlock-passphrase', type: 'password', autocomplete: 'current-password', required: true }),
  h('button', { type: 'submit' }, 'Unlock'),
  h('button', { type: 'button', class: 'secondary', onclick: () => { keys.forget(); render(); } }, 'Forget these keys'));

  const signIn_ = h('form', { id: 'sign-in-form', 'aria-labelledby': 'sign-in-heading', onsubmit: (ev) => {
    ev.preventDefault();
    act(ev.submitter, async () => {
      const file = $('key-file').files[0];
      const phrase = file ? keys.phraseOfKeyFile(await file.text()) : $('phrase').value;
      const passphrase = $('passphrase').value;
      if (passphrase !== $('passphrase-again').value) throw new keys.KeyError('The two passphrases differ.');
      await signIn(phrase, passphrase);
    });
  } },
  h('h2', { id: 'sign-in-heading' }, kept ? 'Or sign in with other keys' : 'Sign in'),
  h('p', {}, 'Use the key file the healthchain CLI made (', h('code', {}, 'healthchain key new'), ') or your secret phrase. ',
    'Your keys stay in this browser: the phrase is kept encrypted under your passphrase, signing and decryption happen here.'),
  h('label', { for: 'key-file' }, 'Key file'),
  h('input', { id: 'key-file', type: 'file', accept: '.key,.json,application/json' }),
  h('label', { for: 'phrase' }, 'Or your secret phrase'),
  h('textarea', { id: 'phrase', rows: 2, autocomplete: 'off', spellcheck: 'false' }),
  h('label', { for: 'passphrase' }, 'A passphrase to keep your keys in this browser (at least 8 characters)'),
  h('input', { id: 'passphrase', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 }),
  h('label', { for: 'passphrase-again' }, 'The passphrase again'),
  h('input', { id: 'passphrase-again', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 }),
  h('button', { type: 'submit' }, 'Sign in'));

  const create = h('section', { 'aria-labelledby': 'new-keys-heading' },
    h('h2', { id: 'new-keys-heading' }, 'New to HealthChain?'),
    h('p', {}, 'Make new keys: write the twelve words down and keep them safe; they are the only way back to your account.'),
    h('button', { type: 'button', class: 'secondary', onclick: (ev) => act(ev.currentTarget, async () => {
      const phrase = await keys.newPhrase();
      $('phrase').value = phrase;
      fill($('new-phrase'), h('p', {}, 'Your secret phrase (now in the form above): '), h('p', { class: 'phrase' }, phrase));
      say('New keys made: write the phrase down, choose a passphrase and sign in.');
    }) }, 'Make new keys'),
    h('div', { id: 'new-phrase', 'aria-live': 'polite' }));

  return h('div', { class: 'sign-in' }, unlock, signIn_, create);
}

async function signIn(phrase, passphrase) {
  const made = await keys.fromPhrase(phrase);
  if (passphrase !== null) await keys.store(made.phrase, passphrase, made.address);
  state.keys = made;
  say('Connecting to the chain…');
  await ensureConnected();
  state.view = null;
  await render();
  say(`Signed in as ${made.address}.`);
}

function signOut() {
  state.keys = null;
  state.documents.clear();
  state.profile = null;
  state.view = null;
  state.patientShown = null;
  render();
  say('Signed out. Your keys stay in this browser, encrypted, until you forget them.');
}

// ---- the chain ----------------------------------------------------------------------------

function nodeUrl() {
  const asked = new URLSearchParams(location.search).get('node');
  return asked ?? state.config?.node ?? 'ws://127.0.0.1:9944';
}

/** The chain spec the light client starts from, served beside the page, or null. */
async function chainSpec() {
  if (new URLSearchParams(location.search).get('mode') === 'rpc' || !state.config?.chainSpec) return null;
  const response = await fetch(state.config.chainSpec, { cache: 'no-store' });
  if (!response.ok) throw new chain.ChainError(`The chain spec for the light client cannot be loaded (${response.status}).`);
  return response.text();
}

async function ensureConnected() {
  if (state.api) return;
  const spec = await chainSpec();
  state.api = await chain.connect(nodeUrl());
  state.reader = await reader.connectReader({ chainSpec: spec, nodeUrl: nodeUrl() });
  const how = state.reader.mode === 'light'
    ? 'verified by this page\'s light client'
    : `as node ${nodeUrl()} reports it (not verified)`;
  fill($('mode'), state.reader.mode === 'light' ? 'Light client' : 'Trusting a node');
  $('mode').dataset.mode = state.reader.mode;
  state.unsubscribe = state.reader.client.finalizedBlock$.subscribe({
    next: (block) => {
      state.finalized = block.number;
      fill($('finalized'), `Finalized block #${block.number}, ${how}`);
      // New log entries, grants and alerts show as their blocks are finalized.
      if (state.keys) refreshSoon();
    },
    error: (e) => warn(`The chain cannot be followed: ${e.message}`),
  });
  await state.reader.client.getFinalizedBlock();
}

// ---- records: opening one -------------------------------------------------------------

async function openRecord(id, purpose) {
  const { at } = await reader.finalized(state.reader);
  const rec = await reader.record(at, id);
  if (!rec) throw new VaultError('There is no such record on the chain.');
  if (rec.erasedAt !== null) throw new VaultError('This record was erased at the patient\'s request: it can no longer be read.');
  if (rec.custodian === null) throw new VaultError('No vault holds this record.');
  const fetched = await fetchRecord(at, rec, purpose);
  if (!fetched) throw new VaultError(`Organisation ${rec.custodian} has no vault on the chain.`);
  const { bytes, logged } = fetched;
  let resource;
  try {
    resource = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new EnvelopeError('The record opened but is not a FHIR resource (not JSON).');
  }
  const viewer = $('viewer');
  const code = resource.resourceType === 'Observation' ? resource.code?.coding?.[0]?.code : null;
  const own = rec.patient === state.keys.address;
  fill(viewer,
    h('h2', { id: 'viewer-heading', tabindex: '-1' }, `Record ${id}: ${rec.type}`),
    renderResource(resource),
    own && code && resource.valueQuantity ? h('button', { type: 'button', onclick: (ev) => act(ev.currentTarget, () => showSeries(code, resource)) },
      'Show this measurement over time') : null,
    h('div', { id: 'series-place' }),
    h('p', { class: 'note' }, logged
      ? `This read is logged on the patient's access log by organisation ${rec.custodian}'s vault.`
      : 'Your own record: your reads are not logged.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { fill(viewer); } }, 'Close'));
  viewer.hidden = false;
  $('viewer-heading').focus();
  say(`Record ${id} opened.`);
}

/**
 * Asks `rec`'s custodian's vault for it, for `purpose`, and opens it with the signed-in user's
 * key, checked against the hash on chain: `{ bytes, logged }`, or null if its custodian has
 * no vault on chain.
 */
async function fetchRecord(at, rec, purpose) {
  const vault = await reader.vaultOf(at, rec.custodian);
  if (!vault) return null;
  const answer = await vaultRequest(state.keys.pair, vault.account, vault.endpoint, 'GET', `/v1/records/${rec.id}?purpose=${purpose}`);
  const { ciphertext, wrappedKey, logged } = released(answer);
  const dataKey = await unwrapKey(wrappedKey, state.keys.encryptionKey, rec.contentHash);
  return { bytes: open(ciphertext, rec.contentHash, dataKey), logged };
}

/** Opens a record of the signed-in patient's own (not logged) and parses it, or null. */
async function openOwn(at, r) {
  const fetched = await fetchRecord(at, r, 'PatientRequest');
  if (!fetched) return null;
  try { return JSON.parse(new TextDecoder().decode(fetched.bytes)); } catch { return null; }
}

/** The patient's Observations of LOINC `code` as a chart and a table, oldest first. */
async function showSeries(code, opened) {
  const { at } = await reader.finalized(state.reader);
  const mine = (await reader.recordsOf(at, state.keys.address))
    .filter((r) => r.type === 'Observation' && r.erasedAt === null && r.amendedBy === null && r.custodian !== null);
  const points = [];
  for (const r of mine) {
    const o = await openOwn(at, r);
    const value = o?.valueQuantity?.value;
    if (o?.code?.coding?.[0]?.code !== code || typeof value !== 'number') continue;
    points.push({ at: new Date(o.effectiveDateTime ?? o.issued ?? r.createdAt), value });
  }
  points.sort((a, b) => a.at - b.at);
  const reference = opened.referenceRange?.[0];
  const range = reference ? { low: reference.low?.value, high: reference.high?.value } : null;
  const name = opened.code?.coding?.[0]?.display ?? opened.code?.text ?? code;
  fill($('series-place'), seriesChart(points, { name, unit: opened.valueQuantity.unit ?? '', range }));
  say(`${points.length} readings of ${name}.`);
}

function openButton(id, purpose, label) {
  return h('button', { type: 'button', 'data-record': id, onclick: (ev) => act(ev.currentTarget, () => openRecord(id, purpose)) }, label);
}

// ---- patient --------------------------------------------------------------------------

async function patientView(at) {
  const me = state.keys.address;
  const [records, grants, log, emergencies, now, guardians, claims, consents] = await Promise.all([
    reader.recordsOf(at, me), reader.grantsOf(at, me), reader.accessLogOf(at, me), reader.emergenciesOf(at, me), reader.now(at),
    reader.guardiansOf(at, me), reader.claimsOf(at, me), consentsOf(at),
  ]);
  const openAlerts = emergencies.filter((e) => e.review === 'Pending');
  const prescriptions = await prescriptionsOf(at, records);
  return [
    openAlerts.length ? h('section', { class: 'alert-box', 'aria-labelledby': 'break-glass-heading', id: 'break-glass' },
      h('h2', { id: 'break-glass-heading' }, 'Emergency access to your records'),
      h('ul', {}, ...openAlerts.map((e) => h('li', { class: 'emergency' },
        h('strong', {}, 'Break-glass: '), who(e.practitioner), ` at ${organisation(e.organisation)} opened emergency access on ${when(e.openedAt)} `,
        `because of ${REASONS[e.reason] ?? e.reason}; it lasts until ${when(e.expiresAt)}. An auditor reviews it (review: pending).`)))) : null,

    h('section', { 'aria-labelledby': 'records-heading' },
      h('h2', { id: 'records-heading' }, 'My records'),
      table('Your health records, newest first', ['Record', 'Type', 'Author', 'Date', 'Custodian', ''], records.map((r) => h('tr', {},
        h('td', {}, String(r.id)), h('td', {}, r.type), h('td', {}, who(r.author)), h('td', {}, when(r.createdAt)),
        h('td', {}, organisation(r.custodian)),
        h('td', {}, ...recordActions(r)))),
      'You have no records yet.')),

    h('section', { 'aria-labelledby': 'grants-heading' },
      h('h2', { id: 'grants-heading' }, 'Who may see my records'),
      table('Your grants', ['Who', 'Access', 'Record types', 'Until', ''], grants.map((g) => {
        const label = g.grantee.account ? g.grantee.account : `org:${g.grantee.organisation}`;
        return h('tr', { class: g.expiresAt <= now ? 'expired' : null },
          h('td', {}, g.grantee.account ? who(g.grantee.account) : organisation(g.grantee.organisation)),
          h('td', {}, g.access === 'Write' ? 'read and write' : 'read'),
          h('td', {}, g.recordTypes.join(', ')),
          h('td', {}, `${when(g.expiresAt)}${g.expiresAt <= now ? ' (expired)' : ''}`),
          h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => editGrant(label, g, now) },
            `Change ${g.grantee.account ? short(g.grantee.account) : label}`), ' ',
          h('button', { type: 'button', class: 'danger', onclick: (ev) => act(ev.currentTarget, () => revoke(label)) },
            `Revoke ${g.grantee.account ? short(g.grantee.account) : label}`)));
      }), 'You have not given anyone access.'),
      grantForm()),

    guardiansSection(guardians),
    consentsSection(consents),
    prescriptionsSection(prescriptions, now),
    claimsSection(claims),

    h('section', { 'aria-labelledby': 'log-heading' },
      h('h2', { id: 'log-heading' }, 'Who read my records'),
      table('Your access log, newest first', ['When', 'Who', 'Record', 'Why', 'Released by'], log.map((e) => h('tr', { class: e.emergency !== null ? 'emergency' : null, 'data-testid': 'log-entry' },
        h('td', {}, when(e.at)), h('td', {}, who(e.accessor)), h('td', {}, String(e.record)),
        h('td', {}, e.emergency !== null
          ? h('strong', {}, `Emergency read (break-glass ${e.emergency}, review ${emergencies.find((x) => x.id === e.emergency)?.review.toLowerCase() ?? 'pending'})`)
          : PURPOSES[e.purpose] ?? e.purpose),
        h('td', {}, organisation(e.releasedBy))),
      ), 'Nobody has read your records.')),
  ];
}

// ---- patient: erasure, guardians, research consents, claims -----------------------------

function recordActions(r) {
  if (r.erasedAt !== null) {
    return [h('span', { class: 'erased' }, r.erasureConfirmedAt !== null
      ? `Erased on ${when(r.erasedAt)}; ${organisation(r.custodian)}'s vault deleted it on ${when(r.erasureConfirmedAt)}.`
      : `Erased on ${when(r.erasedAt)}; waiting for ${organisation(r.custodian)}'s vault to delete it.`)];
  }
  if (r.amendedBy !== null) return [`amended by record ${r.amendedBy}`];
  return [openButton(r.id, 'PatientRequest', `Open record ${r.id}`), ' ',
    ...confirmed(`erase-${r.id}`, `Erase record ${r.id}`, 'Erase every version of this record for good? Its vault deletes it. ', () => erase(r.id))];
}

/**
 * A button for an act that cannot be undone: pressed, it asks `question` and offers `<label>
 * for good` (which runs `action`) or to keep things as they are. `key` names the act: one
 * question is open at a time.
 */
function confirmed(key, label, question, action) {
  const ask = (open) => () => { state.confirming = open ? key : null; refreshSoon(); };
  if (state.confirming !== key) return [h('button', { type: 'button', class: 'secondary', onclick: ask(true) }, label)];
  return [h('span', { class: 'confirm' }, question),
    // The question stays open if the act fails, to be tried again or kept.
    h('button', { type: 'button', class: 'danger', onclick: (ev) => act(ev.currentTarget, async () => { await action(); ask(false)(); }) }, `${label} for good`),
    ' ',
    h('button', { type: 'button', class: 'secondary', onclick: ask(false) }, 'Keep it')];
}

async function erase(id) {
  say('Erasing: signing and waiting for the chain to finalize it…');
  await chain.submit(state.api, state.api.tx.healthRecords.eraseRecord(id), state.keys.pair);
  fill($('viewer'));
  await refresh();
  say(`Record ${id} erased: its vault deletes it and confirms on the chain.`);
}

const GUARDIAN_KINDS = { Parent: 'parent', LegalGuardian: 'legal guardian', Caregiver: 'caregiver', Delegate: 'delegate' };

function guardiansSection(guardians) {
  return h('section', { 'aria-labelledby': 'guardians-heading' },
    h('h2', { id: 'guardians-heading' }, 'My guardians'),
    table('Who may act for you', ['Who', 'As', 'For', 'Until'], guardians.map((g) => h('tr', {},
      h('td', {}, who(g.guardian)), h('td', {}, GUARDIAN_KINDS[g.kind] ?? g.kind), h('td', {}, g.scope.join(', ')),
      h('td', {}, g.expiresAt === null ? 'until revoked' : when(g.expiresAt)))),
    'Nobody acts for you.'));
}

/** Each study with the consent of the patient's participant for it. */
async function consentsOf(at) {
  const all = await reader.studies(at);
  return Promise.all(all.map(async (study) => {
    const pair = research.participant(state.keys.phrase, study.id);
    return { study, participant: pair.address, consent: await reader.studyConsent(at, pair.address, study.id) };
  }));
}

function consentsSection(consents) {
  return h('section', { 'aria-labelledby': 'consents-heading' },
    h('h2', { id: 'consents-heading' }, 'My consents to research'),
    h('p', {}, 'You take part in each study under an account of your own for it (your participant), which names you to nobody. ',
      'Give the study team your participant and your binding of it: they fund its fees, and your records\' vaults check the binding before they release anything.'),
    consents.length === 0 ? h('p', { class: 'empty' }, 'No study is registered.') : h('ul', { class: 'studies' }, ...consents.map(({ study, participant, consent }) => {
      const given = consent && consent.withdrawnIn === null;
      return h('li', { 'data-study': study.id },
        h('h3', {}, `Study ${study.id}, by ${organisation(study.institute)}`),
        h('p', {}, 'It would use records for ', h('strong', {}, research.dataUseInWords(study.dataUse)), '.'),
        h('p', {}, `It asks for: ${study.recordTypes.join(', ')}; it runs until ${when(study.endsAt)}.`),
        h('p', { class: 'consent-state' }, consent === null ? 'You have not consented.'
          : given ? `You consent to its use of ${consent.recordTypes.join(', ')}${consent.expiresAt ? ` until ${when(consent.expiresAt)}` : ' until you withdraw'}.`
            : `You withdrew your consent (in block ${consent.withdrawnIn}).`),
        given
          ? h('div', {},
            consent.recordTypes.length > 1 ? h('form', { class: 'consent-form', onsubmit: (ev) => { ev.preventDefault(); act(ev.submitter, () => narrow(study.id, consent, ev.currentTarget)); } },
              h('fieldset', {}, h('legend', {}, `Record types study ${study.id} may go on using`),
                ...consent.recordTypes.map((t) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent-type', value: t, checked: true }), ` ${t}`))),
              h('button', { type: 'submit', class: 'secondary' }, `Narrow consent to study ${study.id}`)) : null,
            h('button', { type: 'button', class: 'danger', onclick: (ev) => act(ev.currentTarget, () => withdraw(study.id, consent.id)) }, `Withdraw consent to study ${study.id}`))
          : h('form', { class: 'consent-form', onsubmit: (ev) => { ev.preventDefault(); act(ev.submitter, () => consent_(study, ev.currentTarget)); } },
            h('fieldset', {}, h('legend', {}, `Record types study ${study.id} may use`),
              ...study.recordTypes.map((t) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent-type', value: t, checked: true }), ` ${t}`))),
            h('button', { type: 'submit' }, `Consent to study ${study.id}`)),
        h('details', {}, h('summary', {}, 'For the study team: your participant and binding'),
          h('p', {}, 'Participant: ', h('span', { class: 'address' }, participant)),
          h('p', {}, 'Binding: ', h('span', { class: 'address' }, research.binding(state.keys.pair, participant)))));
    })));
}

async function asParticipant(study, call) {
  const pair = research.participant(state.keys.phrase, study);
  const { at } = await reader.finalized(state.reader);
  if (await reader.freeBalance(at, pair.address) === 0n) {
    throw new chain.ChainError(`Your participant for study ${study} has no funds for the fee yet: give the study team your participant and binding, and they fund it.`);
  }
  await chain.submit(state.api, call, pair);
}

async function consent_(study, form) {
  const types = [...form.querySelectorAll('input[name=consent-type]:checked')].map((i) => i.value);
  if (types.length === 0) throw new chain.ChainError('Choose at least one record type.');
  say('Consenting: signing as your participant and waiting for the chain to finalize it…');
  await asParticipant(study.id, state.api.tx.researchConsent.giveConsent({ Study: study.id }, types, null));
  await refresh();
  say(`You consent to study ${study.id}'s use of ${types.join(', ')}.`);
}

async function narrow(study, consent, form) {
  const types = [...form.querySelectorAll('input[name=consent-type]:checked')].map((i) => i.value);
  if (types.length === 0) throw new chain.ChainError('Keep at least one record type, or withdraw the consent.');
  if (types.length === consent.recordTypes.length) throw new chain.ChainError('Untick the record types the study should no longer use.');
  say('Narrowing: signing as your participant and waiting for the chain to finalize it…');
  await asParticipant(study, state.api.tx.researchConsent.narrowConsent(consent.id, null, types, consent.expiresAt));
  await refresh();
  say(`Study ${study} may now use only ${types.join(', ')}; accesses it no longer covers end.`);
}

async function withdraw(study, consent) {
  say('Withdrawing: signing as your participant and waiting for the chain to finalize it…');
  await asParticipant(study, state.api.tx.researchConsent.withdrawConsent(consent));
  await refresh();
  say(`Consent to study ${study} withdrawn: no study uses your records under it from the next block.`);
}

// ---- patient: prescriptions ------------------------------------------------------------

/**
 * The patient's prescriptions: for each of the patient's MedicationRequest records (opened from
 * its vault once per sign-in), the prescriptions the chain indexes under its content hash, each
 * marked `mine` when the document's salt opens its patient commitment with the patient's own
 * account. The chain names no patient; this is how the page knows, and checks, which are theirs.
 * `unopened` counts the documents whose vault cannot be reached now.
 */
async function prescriptionsOf(at, records) {
  const me = decodeAddress(state.keys.address);
  const requests = records.filter((r) => r.type === 'MedicationRequest' && r.erasedAt === null && r.amendedBy === null && r.custodian !== null);
  const found = await Promise.all(requests.map(async (r) => {
    let opened = state.documents.get(r.id);
    if (!opened) {
      // A vault that cannot be reached now is asked again at the next block.
      const document = await openOwn(at, r).catch(() => null);
      if (!document) return null;
      const salt = document.resourceType === 'MedicationRequest' ? patientSalt(document) : null;
      // What every block's lookup needs, worked out once: the chain indexes the salted hash.
      opened = { document, salt, hash: salt && requestHash(r.contentHash, hexToU8a(salt)),
        commitment: salt && blake2AsU8a(u8aConcat(me, hexToU8a(salt)), 256) };
      state.documents.set(r.id, opened);
    }
    if (!opened.salt) return [];
    return (await reader.prescriptionsByRequest(at, opened.hash)).map((p) => ({
      ...p, record: r.id, document: opened.document, mine: u8aEq(opened.commitment, p.patientCommitment),
    }));
  }));
  return {
    prescriptions: found.filter((f) => f !== null).flat().sort((a, b) => b.id - a.id),
    unopened: found.filter((f) => f === null).length,
  };
}

function prescriptionStatus(p, now) {
  if (p.status === 'Cancelled') return ['cancelled by ', who(p.cancelledBy)];
  if (p.status === 'Completed') return ['completed: every fill dispensed'];
  if (now >= p.validUntil) return ['expired'];
  if (now < p.validFrom) return [`valid from ${when(p.validFrom)}`];
  return [p.controlled ? 'active (a controlled substance)' : 'active'];
}

/** A cancel button for a prescription that may still be dispensed, after a confirmation. */
function prescriptionActions(p, now) {
  if (p.status !== 'Active' || now >= p.validUntil) return [];
  return confirmed(`cancel-${p.id}`, `Cancel prescription ${p.id}`,
    'No pharmacy will dispense it again, and your prescriber must write a new one. ', () => cancelPrescription(p));
}

/**
 * Cancels prescription `p` as its patient: opening its patient commitment with the salt from
 * the MedicationRequest names the patient for this prescription on chain, which the chain
 * needs to know that the patient asks.
 */
async function cancelPrescription(p) {
  say(`Cancelling prescription ${p.id}: signing and waiting for the chain to finalize it…`);
  await chain.submit(state.api, state.api.tx.prescriptions.cancelPrescription(p.id, [state.keys.address, patientSalt(p.document)]), state.keys.pair);
  await refresh();
  say(`Prescription ${p.id} cancelled: no pharmacy will dispense it.`);
}

function prescriptionsSection({ prescriptions, unopened }, now) {
  const mine = prescriptions.filter((p) => p.mine);
  const strangers = prescriptions.length - mine.length;
  return h('section', { 'aria-labelledby': 'prescriptions-heading' },
    h('h2', { id: 'prescriptions-heading' }, 'My prescriptions'),
    table('Your prescriptions, newest first', ['Prescription', 'Medication', 'How to take it', 'Fills', 'Valid until', 'Status', 'Prescriber', ''],
      mine.map((p) => {
        const what = prescribed(p.document);
        return h('tr', { 'data-testid': 'prescription' },
          h('td', {}, String(p.id)),
          h('td', {}, `${what.medication}${what.perFill ? `, ${what.perFill} each fill` : ''}`),
          h('td', {}, what.dosage || '—'),
          h('td', {}, `${p.fills} of ${p.refills + 1} dispensed${p.lastFilledAt !== null ? `, the last on ${when(p.lastFilledAt)}` : ''}`),
          h('td', {}, when(p.validUntil)),
          h('td', {}, ...prescriptionStatus(p, now)),
          h('td', {}, who(p.prescriber)),
          h('td', {}, ...prescriptionActions(p, now)));
      }), 'You have no prescriptions.'),
    unopened ? h('p', { class: 'note' }, `${count(unopened, 'prescription document')} cannot be opened yet: the vault that holds ${unopened === 1 ? 'it' : 'them'} cannot be reached.`) : null,
    strangers ? h('p', { class: 'flag', role: 'note' }, `${count(strangers, 'prescription')} on the chain ${strangers === 1 ? 'names' : 'name'} one of your prescription documents but not you. Ask the prescriber.`) : null);
}

const CLAIM_STATUS = { Submitted: 'submitted, awaiting the insurer', Approved: 'approved', PartiallyApproved: 'partly approved',
  Denied: 'denied', Appealed: 'appealed, awaiting the insurer', Paid: 'paid' };

function claimsSection(claims) {
  return h('section', { 'aria-labelledby': 'claims-heading' },
    h('h2', { id: 'claims-heading' }, 'My insurance claims'),
    table('Claims for your care, newest first', ['Claim', 'Provider', 'Insurer', 'Billed', 'Allowed', 'Status', 'Submitted'], claims.map((c) => h('tr', {},
      h('td', {}, String(c.id)), h('td', {}, organisation(c.provider)), h('td', {}, organisation(c.insurer)),
      h('td', {}, c.billed.toString()), h('td', {}, c.allowed === null ? '—' : c.allowed.toString()),
      h('td', {}, CLAIM_STATUS[c.status] ?? c.status), h('td', {}, when(c.submittedAt)))),
    'No claims.'));
}

function grantForm() {
  return h('form', { id: 'grant-form', 'aria-labelledby': 'grant-heading', onsubmit: (ev) => {
    ev.preventDefault();
    act(ev.submitter, grant);
  } },
  h('h3', { id: 'grant-heading' }, 'Give access'),
  h('label', { for: 'grantee' }, 'Practitioner\'s account, or org:<number> for an organisation'),
  h('input', { id: 'grantee', required: true, autocomplete: 'off', spellcheck: 'false' }),
  h('fieldset', {}, h('legend', {}, 'Record types'),
    ...chain.RECORD_TYPES.map((t) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'record-type', value: t }), ` ${t}`))),
  h('fieldset', {}, h('legend', {}, 'Access'),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'access', value: 'Read', checked: true }), ' Read'),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'access', value: 'Write' }), ' Read, add and amend')),
  h('label', { for: 'grant-days' }, 'For how many days'),
  h('input', { id: 'grant-days', type: 'number', min: 1, max: 3650, value: 30, required: true }),
  h('button', { type: 'submit' }, 'Give access'));
}

/** Fills the grant form with a grant's terms, to narrow or extend it (granting again changes them). */
function editGrant(label, grant, now) {
  $('grantee').value = label;
  for (const box of document.querySelectorAll('input[name=record-type]')) box.checked = grant.recordTypes.includes(box.value);
  for (const radio of document.querySelectorAll('input[name=access]')) radio.checked = radio.value === grant.access;
  $('grant-days').value = String(Math.max(1, Math.ceil((grant.expiresAt - now) / 86_400_000)));
  $('grantee').focus();
  say(`Change the terms for ${label} below and give access again: the new terms replace the old.`);
}

function granteeOf(text) {
  const trimmed = text.trim();
  const org = /^org:(\d+)$/.exec(trimmed);
  if (org) return { Organisation: Number(org[1]) };
  if (!chain.isAddress(trimmed)) throw new chain.ChainError('That is neither an account address nor org:<number>.');
  return { Account: trimmed };
}

async function grant() {
  const grantee = granteeOf($('grantee').value);
  const types = [...document.querySelectorAll('input[name=record-type]:checked')].map((i) => i.value);
  if (types.length === 0) throw new chain.ChainError('Choose at least one record type.');
  const days = Number($('grant-days').value);
  if (!Number.isInteger(days) || days < 1) throw new chain.ChainError('The number of days is a whole number, at least 1.');
  const access = document.querySelector('input[name=access]:checked').value;
  const now = await reader.now((await reader.finalized(state.reader)).at);
  say('Giving access: signing and waiting for the chain to finalize it…');
  await chain.submit(state.api, state.api.tx.healthRecords.grantAccess(state.keys.address, grantee, access, types, now + days * 86_400_000), state.keys.pair);
  const given = $('grantee').value.trim();
  $('grantee').value = '';
  await refresh();
  say(`Access given to ${given} for ${types.join(', ')}, for ${days} days.`);
}

async function revoke(label) {
  say('Revoking: signing and waiting for the chain to finalize it…');
  await chain.submit(state.api, state.api.tx.healthRecords.revokeAccess(state.keys.address, granteeOf(label)), state.keys.pair);
  await refresh();
  say(`Access revoked: ${label} can no longer read your records.`);
}

// ---- clinician ------------------------------------------------------------------------

async function clinicianView(at) {
  const me = state.keys.address;
  const [grants, now] = await Promise.all([reader.grantsTo(at, me), reader.now(at)]);
  const emergencyOrgs = state.profile.organisations.filter((o) => o.roles.includes('EmergencyCare'));
  const shown = state.patientShown;
  const all = shown ? await reader.recordsOf(at, shown) : [];
  // The records in scope: the types the patient's grant covers. Without a grant (an
  // organisation's grant, break-glass, or none) every record is listed, and the vault decides.
  const grant = grants.find((g) => g.patient === shown && g.expiresAt > now);
  const records = grant ? all.filter((r) => grant.recordTypes.includes(r.type)) : all;
  const hidden = all.length - records.length;
  return [
    h('section', { 'aria-labelledby': 'patients-heading' },
      h('h2', { id: 'patients-heading' }, 'Patients who gave me access'),
      table('Patients and what they shared with you', ['Patient', 'Record types', 'Access', 'Until', ''], grants.map((g) => h('tr', {},
        h('td', {}, h('span', { class: 'address' }, g.patient)), h('td', {}, g.recordTypes.join(', ')),
        h('td', {}, g.access === 'Write' ? 'read and write' : 'read'),
        h('td', {}, `${when(g.expiresAt)}${g.expiresAt <= now ? ' (expired)' : ''}`),
        h('td', {}, h('button', { type: 'button', onclick: (ev) => act(ev.currentTarget, () => showPatient(g.patient)) }, `Show records of ${short(g.patient)}`)))),
      'No patient has given you access.'),
      h('form', { id: 'patient-form', 'aria-labelledby': 'patient-form-heading', onsubmit: (ev) => {
        ev.preventDefault();
        act(ev.submitter, () => showPatient($('patient').value.trim()));
      } },
      h('h3', { id: 'patient-form-heading' }, 'Find a patient'),
      h('label', { for: 'patient' }, 'Patient\'s account'),
      h('input', { id: 'patient', autocomplete: 'off', spellcheck: 'false', required: true }),
      h('button', { type: 'submit' }, 'Show records'))),

    shown ? h('section', { 'aria-labelledby': 'patient-records-heading' },
      h('h2', { id: 'patient-records-heading' }, `Records of ${short(shown)}`),
      table('The patient\'s records, newest first; opening one is logged on the patient\'s access log',
        ['Record', 'Type', 'Date', 'Custodian', ''], records.map((r) => h('tr', {},
          h('td', {}, String(r.id)), h('td', {}, r.type), h('td', {}, when(r.createdAt)), h('td', {}, organisation(r.custodian)),
          h('td', {}, r.erasedAt !== null ? 'erased' : openButton(r.id, 'Treatment', `Open record ${r.id}`)))),
        'This patient has no records.'),
      hidden ? h('p', { class: 'note', 'data-testid': 'out-of-scope' },
        `${hidden} ${hidden === 1 ? 'record is' : 'records are'} of a type the patient has not shared with you.`) : null,
      addRecordForms(state.profile.organisations)) : null,

    emergencyOrgs.length ? h('section', { 'aria-labelledby': 'glass-heading' },
      h('h2', { id: 'glass-heading' }, 'Break the glass'),
      h('p', { class: 'warning', role: 'note' }, 'Emergency access opens every record of the patient to you for a limited time without their grant. ',
        'The patient is told at once, every read is logged as an emergency read, and an auditor of your organisation reviews it.'),
      h('form', { id: 'glass-form', onsubmit: (ev) => {
        ev.preventDefault();
        act(ev.submitter, breakGlass);
      } },
      h('label', { for: 'glass-patient' }, 'Patient\'s account'),
      h('input', { id: 'glass-patient', autocomplete: 'off', spellcheck: 'false', required: true }),
      h('label', { for: 'glass-organisation' }, 'Where you practise emergency care'),
      h('select', { id: 'glass-organisation' }, ...emergencyOrgs.map((o) => h('option', { value: o.organisation }, organisation(o.organisation)))),
      h('label', { for: 'glass-reason' }, 'Reason'),
      h('select', { id: 'glass-reason' }, ...Object.entries(REASONS).map(([value, text]) => h('option', { value }, text[0].toUpperCase() + text.slice(1)))),
      h('button', { type: 'submit', class: 'danger' }, 'Break the glass'))) : null,
  ];
}

// Common measurements, with their LOINC codes and UCUM units.
const MEASUREMENTS = [
  ['8867-4', 'Heart rate', '/min'], ['8480-6', 'Systolic blood pressure', 'mm[Hg]'],
  ['8462-4', 'Diastolic blood pressure', 'mm[Hg]'], ['8310-5', 'Body temperature', 'Cel'],
  ['29463-7', 'Body weight', 'kg'], ['2339-0', 'Glucose', 'mg/dL'], ['4548-4', 'Hemoglobin A1c', '%'],
  ['59408-5', 'Oxygen saturation', '%'],
];

function custodianSelect(id, organisations) {
  return [h('label', { for: id }, 'Held by the vault of'),
    h('select', { id }, ...organisations.map((o) => h('option', { value: o.organisation }, organisation(o.organisation))))];
}

function addRecordForms(organisations) {
  return h('div', { class: 'add-record' },
    h('form', { id: 'observation-form', 'aria-labelledby': 'observation-form-heading', onsubmit: (ev) => {
      ev.preventDefault();
      act(ev.submitter, addObservation);
    } },
    h('h3', { id: 'observation-form-heading' }, 'Add an Observation'),
    h('label', { for: 'measurement' }, 'Measurement'),
    h('select', { id: 'measurement' }, ...MEASUREMENTS.map(([code, name, unit]) => h('option', { value: code }, `${name} (${unit})`))),
    h('label', { for: 'measurement-value' }, 'Value'),
    h('input', { id: 'measurement-value', type: 'number', step: 'any', required: true }),
    ...custodianSelect('observation-custodian', organisations),
    h('button', { type: 'submit' }, 'Add the Observation')),
    h('form', { id: 'fhir-form', 'aria-labelledby': 'fhir-form-heading', onsubmit: (ev) => {
      ev.preventDefault();
      act(ev.submitter, addFhirFile);
    } },
    h('h3', { id: 'fhir-form-heading' }, 'Add a FHIR resource'),
    h('label', { for: 'fhir-file' }, 'FHIR resource (JSON file)'),
    h('input', { id: 'fhir-file', type: 'file', accept: '.json,application/fhir+json,application/json', required: true }),
    ...custodianSelect('fhir-custodian', organisations),
    h('button', { type: 'submit' }, 'Add the resource')));
}

async function addRecord(bytes, custodian) {
  say('Sealing the record in this page, uploading it to the vault and anchoring it on the chain…');
  const id = await putRecord(state.api, state.reader, state.keys, {
    patient: state.patientShown, custodian, authority: { Grant: { Account: state.keys.address } }, bytes,
  });
  await refresh();
  say(`Record ${id} added to the patient's records.`);
}

async function addObservation() {
  const [code, name, unit] = MEASUREMENTS.find(([c]) => c === $('measurement').value);
  const value = Number($('measurement-value').value);
  if ($('measurement-value').value.trim() === '' || !Number.isFinite(value)) throw new chain.ChainError('Enter the measured value as a number.');
  const observation = {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code, display: name }] },
    subject: { identifier: { system: 'urn:healthchain:account', value: state.patientShown } },
    effectiveDateTime: new Date().toISOString(),
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
  await addRecord(new TextEncoder().encode(JSON.stringify(observation)), Number($('observation-custodian').value));
  $('measurement-value').value = '';
}

async function addFhirFile() {
  const file = $('fhir-file').files[0];
  if (!file) throw new chain.ChainError('Choose a FHIR resource file.');
  await addRecord(new Uint8Array(await file.arrayBuffer()), Number($('fhir-custodian').value));
  $('fhir-file').value = '';
}

async function showPatient(patient) {
  if (!chain.isAddress(patient)) throw new chain.ChainError('That is not an account address.');
  state.patientShown = patient;
  await refresh();
  $('patient-records-heading')?.focus();
}

async function breakGlass() {
  const patient = $('glass-patient').value.trim();
  if (!chain.isAddress(patient)) throw new chain.ChainError('That is not an account address.');
  say('Breaking the glass: signing and waiting for the chain to finalize it…');
  await chain.submit(state.api, state.api.tx.healthRecords.breakGlass(patient, Number($('glass-organisation').value), $('glass-reason').value), state.keys.pair);
  state.patientShown = patient;
  await refresh();
  say('Emergency access open: the patient is told, and your organisation\'s auditor will review it.');
}

// ---- the page ---------------------------------------------------------------------------

/**
 * Refreshes the view for the latest finalized block, one refresh at a time: blocks finalized
 * while one runs (a light client's reads can outlast a block) are caught up by one more, not
 * by a queue of refreshes each reading the whole view.
 */
function refreshSoon() {
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = refresh().catch((e) => warn(words(e))).finally(() => {
    state.refreshing = null;
    if (state.refreshAgain) {
      state.refreshAgain = false;
      refreshSoon();
    }
  });
}

async function refresh() {
  if (!state.keys || !state.api) return;
  const { at, number } = await reader.finalized(state.reader);
  state.profile = await reader.profileOf(at, state.keys.address);
  const clinician = state.profile.organisations.length > 0;
  const views = [state.profile.patient && 'patient', clinician && 'clinician'].filter(Boolean);
  if (!views.includes(state.view)) state.view = views[0] ?? 'none';
  const tabs = views.length > 1 ? h('nav', { 'aria-label': 'Views' }, ...views.map((v) => h('button', {
    type: 'button', class: 'tab', 'aria-pressed': String(v === state.view),
    onclick: (ev) => act(ev.currentTarget, async () => { state.view = v; await refresh(); }),
  }, v === 'patient' ? 'My health' : 'My patients'))) : null;
  const body = state.view === 'patient' ? await patientView(at)
    : state.view === 'clinician' ? await clinicianView(at)
      : [h('p', {}, 'This account is not an enrolled patient nor a member of any organisation yet. ',
        'Ask your hospital to enrol you; your account is ', h('span', { class: 'address' }, state.keys.address), '.')];
  replaceKeeping($('content'), [tabs, ...body]);
  $('content').dataset.block = String(number);
}

/** Where an element is, across a re-render: its id, or its role and name. */
function place(el) {
  if (!el || el === document.body) return null;
  if (el.id) return `#${CSS.escape(el.id)}`;
  if (el.tagName === 'INPUT' && el.name) return `input[name="${CSS.escape(el.name)}"][value="${CSS.escape(el.value)}"]`;
  if (el.tagName === 'BUTTON') return { button: el.textContent };
  return null;
}

function find(container, where) {
  if (!where) return null;
  if (typeof where === 'string') return container.querySelector(where);
  return [...container.querySelectorAll('button')].find((b) => b.textContent === where.button) ?? null;
}

/**
 * Replaces `container`'s children with `nodes` only if they differ, keeping what the user typed
 * or ticked and where the focus was: a finalized block must not wipe a half-filled form.
 */
function replaceKeeping(container, nodes) {
  const next = document.createElement('div');
  fill(next, nodes);
  if (next.innerHTML === container.innerHTML) return;
  const typed = [...container.querySelectorAll('input, textarea, select')]
    .filter((el) => el.type !== 'file')
    .map((el) => [place(el), el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value]);
  const focused = container.contains(document.activeElement) ? place(document.activeElement) : null;
  container.replaceChildren(...next.childNodes);
  for (const [where, value] of typed) {
    const el = find(container, where);
    if (!el) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = value;
    else el.value = value;
  }
  find(container, focused)?.focus();
}

async function render() {
  const account = $('account');
  if (!state.keys) {
    fill(account);
    fill($('content'), signInView());
    fill($('viewer'));
    return;
  }
  fill(account, h('span', {}, 'Signed in as ', h('span', { class: 'address', 'data-testid': 'signed-in' }, state.keys.address)),
    h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'));
  await refresh();
}

async function start() {
  try {
    state.config = await (await fetch('config.json', { cache: 'no-store' })).json();
  } catch {
    state.config = {};
  }
  await render();
}

start().catch((e) => warn(words(e)));
