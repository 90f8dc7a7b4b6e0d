// Remote patient monitoring on a dev node, through @polkadot/api, with the demo consortium:
// the patient grants the hospital access to observations, a nurse registers a glucose meter
// and proposes it for the patient, who consents; the meter anchors two batches of readings
// (Merkle roots, never values, no locator), the nurse sets an alert rule sealed off chain
// (the chain holds its hash), the meter raises an alert, the runtime API lists it, and a
// practitioner of the care team acknowledges it. Neither the rule's code nor its sealed
// content is anywhere on chain.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { findEvent, findOnChain, submitOk, submitRefused, UNIT } from './lib/chain.js';
import { dataKey, encrypt } from './lib/envelope.js';
import { startDevNode } from './lib/node.js';

const HOSPITAL = 1;
const HOUR = 3600 * 1000;

describe('remote monitoring on a dev node', () => {
  let dev;
  let api;
  let keyring;
  const ok = (tx, signer) => submitOk(api, tx, signer);
  const refused = (tx, signer) => submitRefused(api, tx, signer);

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('remote-monitoring');
    ({ api } = dev);
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  });

  after(async () => {
    await dev?.stop();
  });

  it('binds a device, anchors two batches, raises and acknowledges an alert', async () => {
    const [alice, patient, nurse, doctor] = ['//Alice', '//Ferdie', '//Dave', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    const meter = keyring.addFromMnemonic(mnemonicGenerate());
    await ok(api.tx.balances.transferKeepAlive(meter.address, 10n * UNIT), alice);

    await ok(api.tx.healthRecords.grantAccess(patient.address, { Organisation: HOSPITAL }, 'Read', ['Observation'], Date.now() + 24 * HOUR), patient);
    await ok(api.tx.remoteMonitoring.registerDevice(HOSPITAL, meter.address, '+H123GLUCO1', 'SN-0042', 'GlucoseMeter', null), nurse);
    await ok(api.tx.remoteMonitoring.proposeBinding(meter.address, patient.address), nurse);
    const bound = await ok(api.tx.remoteMonitoring.confirmBinding(meter.address), patient);
    assert.ok(findEvent(bound.events, 'remoteMonitoring', 'DeviceBound'));

    // Readings count from the patient's consent on (the binding's `since`, the chain's clock):
    // earlier ones may be another patient's.
    const since = (await api.query.remoteMonitoring.devices(meter.address)).unwrap().status.asBound.since.toNumber();
    const anchor = (start, end, root) => api.tx.remoteMonitoring.anchorBatch(meter.address, start, end, 60, root);
    assert.equal(await refused(anchor(since - 1, since + 500, `0x${'a0'.repeat(32)}`), meter), 'remoteMonitoring.BeforeBinding');
    // Each block is at least a 2 s slot after the last: these periods have ended by the next.
    await ok(anchor(since, since + 500, `0x${'a1'.repeat(32)}`), meter);
    const second = await ok(anchor(since + 1_000, since + 1_500, `0x${'a2'.repeat(32)}`), meter);
    const anchored = findEvent(second.events, 'remoteMonitoring', 'BatchAnchored').data;
    assert.equal(anchored.batch.toNumber(), 1);
    assert.equal(anchored.gap.unwrap().toNumber(), 500, 'the half second without readings shows');
    const device = (await api.query.remoteMonitoring.devices(meter.address)).unwrap();
    assert.equal(device.batches.toNumber(), 2);

    // The rule, sealed for the care team and the hospital's devices: only its hash goes on chain.
    const ruleText = JSON.stringify({ code: { system: 'http://loinc.org', code: '2339-0' }, above: 250, note: `monitoring-e2e-${Date.now()}` });
    const sealed = encrypt(dataKey(), Buffer.from(ruleText));
    const sealedHash = u8aToHex(blake2AsU8a(sealed, 256));
    assert.equal(await refused(api.tx.remoteMonitoring.setAlertRule(patient.address, HOSPITAL, `0x${'00'.repeat(32)}`), nurse), 'remoteMonitoring.EmptyRuleHash');
    const set = await ok(api.tx.remoteMonitoring.setAlertRule(patient.address, HOSPITAL, sealedHash), nurse);
    const rule = findEvent(set.events, 'remoteMonitoring', 'AlertRuleSet').data.rule.toNumber();
    const raised = await ok(api.tx.remoteMonitoring.raiseAlert(meter.address, rule, 1), meter);
    const alert = findEvent(raised.events, 'remoteMonitoring', 'AlertRaised').data.alert.toNumber();
    assert.deepEqual((await api.call.remoteMonitoringApi.unacknowledgedAlerts(patient.address)).map((a) => a.toNumber()), [alert]);

    await ok(api.tx.remoteMonitoring.acknowledgeAlert(alert), doctor);
    const acknowledged = (await api.query.remoteMonitoring.alerts(alert)).unwrap().acknowledged.unwrap();
    assert.equal(acknowledged[0].toString(), doctor.address);
    assert.equal((await api.call.remoteMonitoringApi.unacknowledgedAlerts(patient.address)).length, 0);

    // The rule's code and content are nowhere on chain; its hash is (the scan's control).
    const { leaks } = await findOnChain(api, {
      'the LOINC code': Buffer.from('2339-0'), 'the rule': Buffer.from(ruleText), 'the sealed rule': sealed, control: Buffer.from(sealedHash.slice(2), 'hex'),
    });
    assert.ok(leaks.some(([, name]) => name === 'control'), 'the scan finds the rule\'s hash');
    assert.deepEqual(leaks.filter(([, name]) => name !== 'control'), []);
  });
});
