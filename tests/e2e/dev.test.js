// A dev node (instant seal) driven by @polkadot/api: metadata, RPC, transfers good and bad.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import { Keyring } from '@polkadot/keyring';
import { compactFromU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import {
  assertInBlockThenFinalized, describeDispatchError, findEvent, freeBalance, submitAndFinalize, UNIT,
  waitForEmptyPool, watchStatuses, watchStatusesOrFind,
} from './lib/chain.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Node, startDevNode, waitFor } from './lib/node.js';

const PALLETS = ['System', 'Timestamp', 'Aura', 'Grandpa', 'Balances', 'TransactionPayment', 'Utility', 'Sudo', 'ConsortiumNetwork', 'Session', 'HealthIdentity', 'HealthRecords', 'DrugProvenance', 'Prescriptions', 'InsuranceClaims', 'RemoteMonitoring', 'ResearchConsent', 'Council', 'CouncilMembership', 'Preimage', 'Whitelist', 'SafeMode', 'TxPause', 'Proxy'];

describe('dev node', () => {
  let dev;
  let node;
  let api;
  let alice;
  let bob;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    dev = await startDevNode('dev');
    ({ node, api } = dev);
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
  });

  after(async () => {
    await dev?.stop();
  });

  it('runs the single-state transaction pool unless --pool-type says otherwise', async () => {
    // The fork-aware pool dropped accepted transactions under a burst (README, Throughput).
    // The node's output reaches its log file through a write stream: wait for the line.
    const created = (n) => waitFor(`${n.name}'s transaction pool in its log`, async () =>
      readFileSync(path.join(n.basePath, `${n.name}.log`), 'utf8').match(/Creating transaction pool txpool_type=(\w+)/)?.[1], { timeout: 10_000 });
    assert.equal(await created(node), 'SingleState');
    const forkAware = await Node.start({ name: 'dev-fork-aware-pool', args: ['--dev', '--pool-type', 'fork-aware'] });
    try {
      assert.equal(await created(forkAware), 'ForkAware');
    } finally {
      await forkAware.destroy();
    }
  });

  it('reports a watched transaction InBlock, then Finalized, under instant seal', async () => {
    const statuses = await watchStatuses(api.tx.balances.transferKeepAlive(bob.address, UNIT), alice);
    assertInBlockThenFinalized(statuses);
  });

  it('reports InBlock, then Finalized, to every one of many transactions watched at once', async () => {
    // Six senders at once, three rounds: blocks sealed back to back while watchers are busy.
    const senders = ['//Charlie', '//Dave', '//Eve', '//Ferdie', '//Alice//stash', '//Bob//stash']
      .map((uri) => keyring.addFromUri(uri));
    // A watcher the pool loses to its known race (1013, see lib/chain.js) cannot report
    // statuses; its transaction must still be finalized, and most watchers must not be lost.
    let watched = 0;
    for (let round = 0; round < 3; round += 1) {
      const all = await Promise.all(senders.map((sender) => watchStatusesOrFind(api, api.tx.system.remark(`round ${round}`), sender)));
      for (const outcome of all) {
        if (outcome.lost) {
          assert.match(outcome.finalized, /^0x[0-9a-f]{64}$/, 'a transaction whose watcher was lost is finalized');
        } else {
          assertInBlockThenFinalized(outcome.statuses);
          watched += 1;
        }
      }
    }
    assert.ok(watched >= 12, `${watched} of 18 watchers reported InBlock then Finalized`);
    await waitForEmptyPool(api);
  });

  it('identifies itself as HealthChain, with its token', async () => {
    assert.equal(api.runtimeVersion.specName.toString(), 'healthchain');
    assert.equal((await api.rpc.system.chain()).toString(), 'HealthChain Development');
    assert.deepEqual(api.registry.chainTokens, ['HCT']);
    assert.deepEqual(api.registry.chainDecimals, [12]);
    assert.equal(api.registry.chainSS58, 42);
  });

  it('serves readable metadata of every pallet, at V14, V15 and V16', async () => {
    const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
    assert.deepEqual(pallets, PALLETS);
    assert.ok(api.tx.balances.transferKeepAlive, 'calls are decoded');
    assert.ok(api.query.system.account, 'storage is decoded');
    assert.ok(api.errors.balances.InsufficientBalance, 'errors are decoded');
    const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
    for (const version of [14, 15, 16]) {
      assert.ok(versions.includes(version), `V${version} listed in ${versions}`);
      assert.ok((await api.call.metadata.metadataAtVersion(version)).isSome, `V${version} served`);
    }
  });

  it('offers the standard RPC methods, legacy and new, with nonce and fee queries', async () => {
    const { methods } = await node.rpc('rpc_methods');
    for (const method of [
      'chain_getBlock', 'chain_getFinalizedHead', 'chain_subscribeNewHeads',
      'state_getStorage', 'state_getMetadata', 'state_call', 'state_getRuntimeVersion',
      'author_submitExtrinsic', 'author_submitAndWatchExtrinsic', 'author_rotateKeys',
      'system_health', 'system_chain', 'system_properties', 'system_accountNextIndex',
      'rpc_methods', 'payment_queryInfo', 'payment_queryFeeDetails',
      'chainHead_v1_follow', 'chainHead_v1_header', 'chainHead_v1_storage', 'chainHead_v1_call',
      'transaction_v1_broadcast', 'transactionWatch_v1_submitAndWatch',
      'chainSpec_v1_chainName', 'chainSpec_v1_genesisHash', 'chainSpec_v1_properties',
    ]) {
      assert.ok(methods.includes(method), `${method} is offered`);
    }
    assert.equal(await node.rpc('chainSpec_v1_chainName'), 'HealthChain Development');
    assert.equal(await node.rpc('chainSpec_v1_genesisHash'), await node.blockHash(0));
    assert.equal(await node.rpc('system_accountNextIndex', [alice.address]),
      (await api.query.system.account(alice.address)).nonce.toNumber());
    const tx = api.tx.balances.transferKeepAlive(bob.address, UNIT);
    await tx.signAsync(alice);
    const info = await node.rpc('payment_queryInfo', [tx.toHex()]);
    assert.ok(BigInt(info.partialFee) > 0n, `a transfer has a fee: ${JSON.stringify(info)}`);
  });

  it('seals one block per transaction, finalized at once, and none while idle', async () => {
    await waitForEmptyPool(api);
    const before = await node.bestNumber();
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(await node.bestNumber(), before, 'no block without a transaction');
    const { finalized } = await submitAndFinalize(api, api.tx.system.remark('0x01'), alice);
    // The next block holds it, a session boundary's included.
    assert.equal(await node.blockHash(before + 1), finalized, 'the next block holds it');
    assert.equal(await node.bestNumber(), before + 1);
    assert.equal(await node.finalizedNumber(), before + 1);
  });

  it('includes transactions in the block that rotates the session', { timeout: 60_000 }, async () => {
    // Sessions on the dev chain last ten blocks; the rotation is charged its benchmarked
    // weight, not the whole block's, so the boundary block has room like any other.
    const boundary = (Math.floor((await node.bestNumber()) / 10) + 1) * 10;
    const holders = [];
    while ((await node.bestNumber()) < boundary) {
      const { finalized } = await submitAndFinalize(api, api.tx.system.remark('0x02'), alice);
      holders.push((await api.rpc.chain.getHeader(finalized)).number.toNumber());
    }
    assert.ok(holders.includes(boundary), `the boundary block #${boundary} holds a transaction (held by ${holders})`);
    const at = await api.at(await node.blockHash(boundary));
    assert.equal((await at.query.session.currentIndex()).toNumber(), boundary / 10, 'the boundary block rotated the session');
  });

  it('includes a signed transfer in a finalized block and moves both balances', async () => {
    const amount = 5n * UNIT;
    const [aliceBefore, bobBefore] = [await freeBalance(api, alice.address), await freeBalance(api, bob.address)];
    const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
    const result = await submitAndFinalize(api, tx, alice);
    assert.equal(result.dispatchError, undefined);
    const block = await api.rpc.chain.getBlock(result.finalized);
    assert.ok(block.block.extrinsics.some((x) => x.hash.eq(tx.hash)), 'the transfer is in the finalized block');
    const transfer = findEvent(result.events, 'balances', 'Transfer');
    assert.ok(transfer, 'a Transfer event');
    assert.equal(transfer.data.amount.toBigInt(), amount);
    const fee = findEvent(result.events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
    assert.ok(fee > 0n);
    assert.equal(await freeBalance(api, bob.address), bobBefore + amount);
    assert.equal(await freeBalance(api, alice.address), aliceBefore - amount - fee);
    const finalizedHead = (await api.rpc.chain.getFinalizedHead()).toHex();
    assert.equal(finalizedHead, result.finalized, 'the block is the finalized head');
  });

  it('accepts a transaction signed over the runtime metadata hash, and refuses a wrong hash', async () => {
    const metadata = (await api.call.metadata.metadataAtVersion(15)).unwrap().toU8a(true);
    const metadataHash = u8aToHex(merkleizeMetadata(metadata, { decimals: 12, tokenSymbol: 'HCT' }).digest());
    const result = await submitAndFinalize(api, api.tx.balances.transferKeepAlive(bob.address, UNIT), alice, {
      mode: 1,
      metadataHash,
    });
    assert.equal(result.dispatchError, undefined);
    assert.ok(findEvent(result.events, 'balances', 'Transfer'));

    const [aliceBefore, bobBefore] = [await freeBalance(api, alice.address), await freeBalance(api, bob.address)];
    await assert.rejects(
      api.tx.balances.transferKeepAlive(bob.address, UNIT).signAndSend(alice, { mode: 1, metadataHash: `0x${'11'.repeat(32)}` }),
      /bad signature/i,
    );
    assert.equal(await freeBalance(api, alice.address), aliceBefore);
    assert.equal(await freeBalance(api, bob.address), bobBefore);
  });

  it('refuses a transfer with a bad signature, changing nothing', async () => {
    const [aliceBefore, bobBefore, best] = [
      await freeBalance(api, alice.address), await freeBalance(api, bob.address), await node.bestNumber(),
    ];
    const tx = api.tx.balances.transferKeepAlive(bob.address, UNIT);
    await tx.signAsync(alice);
    const bytes = tx.toU8a();
    const [lengthPrefix] = compactFromU8a(bytes);
    assert.equal(bytes[lengthPrefix], 0x84, 'a signed v4 extrinsic');
    // Then the sender (MultiAddress::Id: 1 + 32 bytes) and the signature (MultiSignature: 1 + 64).
    bytes[lengthPrefix + 1 + 33 + 1 + 7] ^= 0xff;
    await assert.rejects(api.rpc.author.submitExtrinsic(u8aToHex(bytes)), /1010.*bad signature/i);
    assert.equal(await freeBalance(api, alice.address), aliceBefore);
    assert.equal(await freeBalance(api, bob.address), bobBefore);
    assert.equal(await node.bestNumber(), best, 'no block was sealed');
  });

  it('refuses a transfer from an account that cannot pay the fee, changing nothing', async () => {
    const pauper = keyring.addFromMnemonic(mnemonicGenerate());
    const [bobBefore, best] = [await freeBalance(api, bob.address), await node.bestNumber()];
    await assert.rejects(
      api.tx.balances.transferKeepAlive(bob.address, UNIT).signAndSend(pauper),
      /1010.*Inability to pay some fees/i,
    );
    assert.equal(await freeBalance(api, pauper.address), 0n);
    assert.equal(await freeBalance(api, bob.address), bobBefore);
    assert.equal(await node.bestNumber(), best, 'no block was sealed');
  });

  it('fails a transfer of more than the sender holds in its block, moving nothing but the fee', async () => {
    const [aliceBefore, bobBefore] = [await freeBalance(api, alice.address), await freeBalance(api, bob.address)];
    const result = await submitAndFinalize(api, api.tx.balances.transferKeepAlive(bob.address, aliceBefore * 2n), alice);
    assert.ok(result.dispatchError, 'the call failed');
    assert.equal(describeDispatchError(api, result.dispatchError), 'Token.FundsUnavailable');
    assert.ok(findEvent(result.events, 'system', 'ExtrinsicFailed'));
    assert.equal(findEvent(result.events, 'balances', 'Transfer'), undefined);
    const fee = findEvent(result.events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
    assert.equal(await freeBalance(api, bob.address), bobBefore);
    assert.equal(await freeBalance(api, alice.address), aliceBefore - fee);
  });
});
