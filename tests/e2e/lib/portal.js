// The portal as the e2e tests drive it: Debian's Chromium, its built bundle, axe-core and
// the screenshots the README shows.

import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { waitFor } from './node.js';

/** Debian's Chromium (`hc_ensure_chromium` installs it). */
export const CHROMIUM = process.env.HEALTHCHAIN_CHROMIUM ?? '/usr/lib/chromium/chromium';
/** The portal's bundle (`hc_ensure_portal` builds it). */
export const PORTAL = path.resolve(import.meta.dirname, '..', '..', '..', 'portal', 'dist');
const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', '..', 'portal', 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The passphrase the tests keep keys in the browser under. */
export const PASSPHRASE = 'correct horse battery staple';

/** An account as the portal shortens it. */
export const short = (address) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** Violations of WCAG 2.0/2.1 A and AA that axe-core rates serious or critical on `page`. */
export async function seriousViolations(page) {
  // DevTools evaluation is not bound by the page's content security policy, which lets the
  // page run only its own script.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Writes a full-page screenshot of `page` for the README as `<name>.png`. */
export async function shoot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in on the sign-in page `page` with the secret `phrase`, kept under the passphrase. */
export async function signInWithPhrase(page, phrase) {
  await page.getByLabel('Or your secret phrase').fill(phrase);
  await page.getByLabel('A passphrase to keep your keys').fill(PASSPHRASE);
  await page.getByLabel('The passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A copy of the portal in `dir` that an organisation serves for light clients: the bundle and
 * the raw chain spec `spec` with `bootNode` as its only boot node. Answers the directory.
 */
export function portalForLightClients(dir, spec, bootNode) {
  cpSync(PORTAL, dir, { recursive: true });
  writeFileSync(path.join(dir, 'chain-spec.json'), JSON.stringify({ ...spec, bootNodes: [bootNode] }));
  return dir;
}

/**
 * What the light-client tests have the page verify: the patient (`ferdie`) and the clinician
 * (`charlie`) publish their keys, the patient grants the clinician Observation access and files
 * a heart rate of `bpm` with `custodian`'s vault, and the clinician reads it, asked again while
 * the vault's finalized view catches up with the grant; the vault logs the read on the
 * patient's access log. `cli`/`cliOk` are `cliFor`'s. Answers the record's id.
 */
export async function aClinicianReadsAHeartRate({ cli, cliOk, accounts, dir, custodian, bpm }) {
  cliOk('ferdie', ['key', 'publish', 'patient']);
  cliOk('charlie', ['key', 'publish', 'staff']);
  cliOk('ferdie', ['grant', accounts.charlie, '--types', 'Observation', '--days', '30']);
  const file = path.join(dir, 'observation.json');
  writeFileSync(file, JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' }, valueQuantity: { value: bpm, unit: '/min' } }));
  const { record } = cliOk('ferdie', ['record', 'put', file, '--custodian', String(custodian), '--under', 'patient']);
  await waitFor('the vault to release the record to the clinician', async () =>
    cli('charlie', ['record', 'get', String(record), '--out', path.join(dir, 'read.json')]).status === 0,
  { timeout: 60_000, interval: 2_000 });
  return record;
}
