// The emergency brakes on a dev node: the council pauses one pallet's calls (txPause) or puts
// the chain in safe mode, where only governance runs; each ends by governance (or by time).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate, randomAsU8a } from '@polkadot/util-crypto';
import { describeDispatchError, submitAndFinalize, UNIT } from './lib/chain.js';
import { passMotion } from './lib/governance.js';
import { startDevNode } from './lib/node.js';

describe('emergency brakes on a dev node', () => {
  let dev;
  let api;
  let keyring;
  let alice; // the council: Alice, Bob, Eve, AliceStash
  let bob;
  let eve;
  let aliceStash;

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('brakes');
    ({ api } = dev);
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob, eve, aliceStash] = ['//Alice', '//Bob', '//Eve', '//Alice//stash'].map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    await dev?.stop();
  });

  /** The dispatch error of `tx` signed by `signer`, as `Section.Name`, or 'Ok'. */
  async function outcome(tx, signer) {
    const { dispatchError } = await submitAndFinalize(api, tx, signer);
    return dispatchError ? describeDispatchError(api, dispatchError) : 'Ok';
  }

  // Bob, the genesis hospital's admin, enrols a new patient account (hospital 1).
  const enrol = () => outcome(
    api.tx.healthIdentity.enrolPatient(1, keyring.addFromMnemonic(mnemonicGenerate()).address, u8aToHex(randomAsU8a(32))),
    bob,
  );

  it('pauses every call of one pallet, keeps governance running, and lifts the pause', async () => {
    const calls = api.runtimeMetadata.asLatest.pallets
      .find((p) => p.name.toString() === 'HealthIdentity').calls.unwrap();
    const names = api.registry.lookup.getSiType(calls.type).def.asVariant.variants.map((v) => v.name.toString());
    const pauseAll = api.tx.utility.batchAll(names.map((name) => api.tx.txPause.pause(['HealthIdentity', name])));
    // A lone member cannot pull the brake.
    assert.equal(await outcome(api.tx.txPause.pause(['HealthIdentity', 'enrol_patient']), alice), 'BadOrigin');
    assert.deepEqual(await passMotion(api, pauseAll, [alice, bob, eve], 3), { approved: true, result: 'Ok' });
    assert.equal((await api.query.txPause.pausedCalls.entries()).length, names.length);

    assert.equal(await enrol(), 'system.CallFiltered');
    // Other pallets and governance run: a transfer, and a motion that lifts the pause.
    assert.equal(await outcome(api.tx.balances.transferKeepAlive(bob.address, UNIT), alice), 'Ok');
    // Governance cannot be paused.
    assert.deepEqual(
      await passMotion(api, api.tx.txPause.pause(['Council', 'vote']), [alice, bob, eve], 3),
      { approved: true, result: 'txPause.Unpausable' },
    );
    const unpauseAll = api.tx.utility.batchAll(names.map((name) => api.tx.txPause.unpause(['HealthIdentity', name])));
    assert.deepEqual(await passMotion(api, unpauseAll, [alice, bob, eve], 3), { approved: true, result: 'Ok' });
    assert.equal(await enrol(), 'Ok');
  });

  it('enters safe mode by a third of the council for two hours, stops all but governance, exits by a majority', async () => {
    // Two of four seats are the emergency quorum: safe mode for 2 hours (3,600 two-second blocks).
    const before = (await api.rpc.chain.getHeader()).number.toNumber();
    assert.deepEqual(await passMotion(api, api.tx.safeMode.forceEnter(), [alice, bob], 2), { approved: true, result: 'Ok' });
    const until = (await api.query.safeMode.enteredUntil()).unwrap().toNumber();
    assert.ok(until > before + 3_500 && until <= before + 3_700, `entered until #${until}, from #${before}`);

    assert.equal(await enrol(), 'system.CallFiltered');
    assert.equal(await outcome(api.tx.balances.transferKeepAlive(bob.address, UNIT), alice), 'system.CallFiltered');
    // The quorum cannot keep it going: extending takes a majority.
    assert.deepEqual(await passMotion(api, api.tx.safeMode.forceExtend(), [alice, bob], 2), { approved: true, result: 'BadOrigin' });
    // Governance still runs, and a majority ends it.
    assert.deepEqual(await passMotion(api, api.tx.safeMode.forceExit(), [alice, eve, aliceStash], 3), { approved: true, result: 'Ok' });
    assert.ok((await api.query.safeMode.enteredUntil()).isNone);
    assert.equal(await enrol(), 'Ok');
  });
});
