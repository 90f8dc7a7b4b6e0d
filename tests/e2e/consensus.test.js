// Choosing the consensus engine with --consensus.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { assertInBlockThenFinalized, UNIT, watchStatuses } from './lib/chain.js';
import { runNodeCommand, startDevNode } from './lib/node.js';

const ENGINES = 'aura, instant-seal, manual-seal-<ms>';

describe('--consensus manual-seal-<ms>', () => {
  const INTERVAL_MS = 500;
  let dev;
  let node;
  let api;

  before(async () => {
    dev = await startDevNode('manual-seal', ['--consensus', `manual-seal-${INTERVAL_MS}`]);
    ({ node, api } = dev);
  });

  after(async () => {
    await dev?.stop();
  });

  it('seals a block every <ms> milliseconds without transactions, finalized at once', async () => {
    const arrivals = [];
    await new Promise((resolve, reject) => {
      api.rpc.chain
        .subscribeNewHeads((header) => {
          arrivals.push({ at: Date.now(), number: header.number.toNumber() });
          if (arrivals.length === 13) resolve();
        })
        .then((unsubscribe) => setTimeout(() => { unsubscribe(); reject(new Error('too few blocks')); }, 30_000).unref())
        .catch(reject);
    });
    const gaps = arrivals.slice(1).map((a, i) => a.at - arrivals[i].at).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)];
    assert.ok(median > INTERVAL_MS * 0.6 && median < INTERVAL_MS * 1.6, `median gap ${median} ms (gaps ${gaps})`);
    const numbers = arrivals.map((a) => a.number);
    assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), 'one block after another');
    const finalized = await node.finalizedNumber();
    assert.ok(finalized >= numbers.at(-1), `finalized #${finalized} keeps up with #${numbers.at(-1)}`);
  });

  it('reports a watched transaction InBlock, then Finalized', async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const statuses = await watchStatuses(
      api.tx.balances.transferKeepAlive(keyring.addFromUri('//Bob').address, UNIT), keyring.addFromUri('//Alice'),
    );
    assertInBlockThenFinalized(statuses);
  });
});

describe('--consensus with a bad value', () => {
  for (const bad of ['babe', 'manual-seal', 'manual-seal-0', 'manual-seal-fast']) {
    it(`exits non-zero for '${bad}' and lists the valid engines`, () => {
      const { status, stderr } = runNodeCommand(['--dev', '--tmp', '--consensus', bad]);
      assert.notEqual(status, 0);
      assert.ok(stderr.includes(ENGINES), stderr);
      assert.ok(!stderr.includes('panicked'), stderr);
    });
  }
});
