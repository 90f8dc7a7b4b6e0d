// `scripts/governance`: what a consortium member does on chain, from the command line, with
// @polkadot/api. See `scripts/governance --help`.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { base58Decode, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeDispatchError, submitAndFinalize, submitOk, UNIT } from '../lib/chain.js';
import {
  applyUpgrade, atLeast, authorizeUpgrade, close, councilSeats, propose, registerSessionKeys,
  runtimeCode, vote, whitelistCall,
} from '../lib/governance.js';

const HELP = `usage: scripts/governance [--url ws://127.0.0.1:9944] (--key-file FILE | --suri //Dev) [--as SEAT]
                          COMMAND [ARGS]

The signer: --key-file names the member's account key file (secrets/account.json of
scripts/consortium-member, or a file holding only the secret phrase); --suri takes a
development account (//Alice) on a test chain. A real secret is never a command argument.

--as SEAT: the signer is a voting key that the council seat SEAT (an address) named with
add-voting-key; propose, vote, close, whitelist-upgrade and apply-upgrade then act for the seat
through its Governance proxy, and the seat's own key stays offline.

commands:
  set-keys [--keys FILE]            register session keys for the signer's account
                                    (session.setKeys): those in FILE, as
                                    \`scripts/consortium-validator rotate-keys\` printed them on
                                    the validator host; without --keys, new ones the node at
                                    --url generates (a development node on this machine)
  transfer ADDRESS HCT              send whole HCT to ADDRESS
  propose THRESHOLD CALL [ARG...]   put CALL (pallet.method, e.g. consortiumNetwork.addValidator)
                                    to the council, with arguments as JSON, addresses as they
                                    are, and peer ids as peer:12D3KooW...; prints the motion hash
  vote HASH aye|nay                 vote on a motion
  close HASH                        close a motion; prints whether it passed and its result
  motions                           list open motions with their votes
  add-voting-key ADDRESS            signed by the seat's own key: name ADDRESS its voting key (a
                                    Governance proxy: council calls only; holds a deposit)
  remove-voting-key ADDRESS         signed by the seat's own key: revoke that voting key
  voting-keys [SEAT]                list the voting keys of SEAT (default: the signer's account)
  whitelist-upgrade WASM            propose (with a two-thirds threshold) that the council
                                    whitelist the authorisation of the runtime in WASM
  apply-upgrade WASM                once whitelisted: dispatch the authorisation as a council
                                    member (the signer), then submit the code itself`;

function isAddress(text) {
  try {
    decodeAddress(text);
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(2);
}

/** A call argument: JSON, `peer:<12D3KooW... id>` for a peer id's bytes, or a bare word. */
function parseArgument(text) {
  if (text.startsWith('peer:')) return u8aToHex(base58Decode(text.slice('peer:'.length)));
  try {
    return JSON.parse(text);
  } catch {
    return text; // A bare word: an address, a hash, a name.
  }
}

/** The secret in a key file: `key generate --output-type json`'s, or the phrase alone. */
function readKeyFile(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    fail(`cannot read the key file ${file}: ${e.code ?? e.message}`);
  }
  if (!text.startsWith('{')) return text;
  try {
    const key = JSON.parse(text);
    const secret = key.secretPhrase ?? key.secretSeed;
    if (typeof secret !== 'string') throw new Error('no secretPhrase or secretSeed');
    return secret;
  } catch (e) {
    fail(`${file} is not a key file: ${e.message}`);
  }
}

/** Session keys and their proof, as `scripts/consortium-validator rotate-keys` prints them. */
function readSessionKeys(file) {
  try {
    const { keys, proof } = JSON.parse(readFileSync(file, 'utf8'));
    if (!/^0x[0-9a-f]+$/i.test(keys ?? '') || !/^0x[0-9a-f]+$/i.test(proof ?? '')) throw new Error('needs "keys" and "proof" in hex');
    return { keys, proof };
  } catch (e) {
    fail(`${file} is not a session keys file: ${e.message}`);
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9944' },
      suri: { type: 'string' },
      'key-file': { type: 'string' },
      keys: { type: 'string' },
      as: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return;
  }
  const known = ['set-keys', 'transfer', 'propose', 'vote', 'close', 'motions', 'add-voting-key', 'remove-voting-key',
    'voting-keys', 'whitelist-upgrade', 'apply-upgrade'];
  const forSeat = ['propose', 'vote', 'close', 'whitelist-upgrade', 'apply-upgrade'];
  if (!known.includes(command)) fail(`unknown command '${command}'\n\n${HELP}`);
  await cryptoWaitReady();
  if (values.suri && !values.suri.startsWith('//')) {
    fail('--suri takes development accounts only (//Alice): give a real key with --key-file');
  }
  if (values.keys && command !== 'set-keys') fail('--keys goes with set-keys');
  if (values.as !== undefined) {
    if (!forSeat.includes(command)) fail(`--as goes with ${forSeat.join(', ')}: '${command}' is the seat's own key's`);
    if (!isAddress(values.as)) fail(`--as ${values.as} is not an address`);
  }
  const signer = () => {
    if (values['key-file']) return new Keyring({ type: 'sr25519' }).addFromUri(readKeyFile(values['key-file']));
    if (!values.suri) fail('this command signs: give --key-file (or --suri //Alice on a test chain)');
    return new Keyring({ type: 'sr25519' }).addFromUri(values.suri);
  };
  /** The council member the commands act for: the signer's seat, or --as SEAT through its proxy. */
  const member = () => (values.as ? { key: signer(), seat: values.as } : signer());
  const address = (text, usage) => {
    if (!text || !isAddress(text)) fail(`${usage}: '${text ?? ''}' is not an address`);
    return text;
  };
  const provider = new WsProvider(values.url, 0);
  await provider.connect().catch(() => fail(`cannot connect to ${values.url}`));
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  // Raw JSON-RPC, for what @polkadot/api has no decorated call for or must not decode.
  const rpc = (method, params) => provider.send(method, params);
  try {
    switch (command) {
      case 'set-keys': {
        if (values.keys) {
          const { keys, proof } = readSessionKeys(values.keys);
          await submitOk(api, api.tx.session.setKeys(keys, proof), signer());
          console.log(keys);
        } else {
          console.log(await registerSessionKeys(api, rpc, signer()));
        }
        break;
      }
      case 'transfer': {
        const [to, hct] = args;
        if (!to || !/^\d+$/.test(hct ?? '')) fail('transfer ADDRESS HCT');
        await submitOk(api, api.tx.balances.transferKeepAlive(to, BigInt(hct) * UNIT), signer());
        console.log(`sent ${hct} HCT to ${to}`);
        break;
      }
      case 'propose': {
        const [threshold, name, ...callArgs] = args;
        const [section, method] = (name ?? '').split('.');
        if (!/^\d+$/.test(threshold ?? '') || !api.tx[section]?.[method]) {
          fail(`propose THRESHOLD CALL [ARG...]: no call '${name}'`);
        }
        const call = api.tx[section][method](...callArgs.map(parseArgument));
        const { hash, index } = await propose(api, call, Number(threshold), member());
        console.log(hash);
        console.error(`motion #${index}: ${name}, ${threshold} ayes needed`);
        break;
      }
      case 'vote': {
        const [hash, choice] = args;
        if (!hash || !['aye', 'nay'].includes(choice)) fail('vote HASH aye|nay');
        await vote(api, hash, choice === 'aye', member());
        console.log(`voted ${choice} on ${hash}`);
        break;
      }
      case 'close': {
        const [hash] = args;
        if (!hash) fail('close HASH');
        const { approved, result } = await close(api, hash, member());
        console.log(approved ? `approved: ${result}` : 'disapproved');
        if (!approved || result !== 'Ok') process.exitCode = 1;
        break;
      }
      case 'motions': {
        for (const hash of await api.query.council.proposals()) {
          const voting = (await api.query.council.voting(hash)).unwrap();
          const call = (await api.query.council.proposalOf(hash)).unwrap();
          console.log(`${hash.toHex()} #${voting.index} ${call.section}.${call.method}: ` +
            `${voting.ayes.length} ayes, ${voting.nays.length} nays of ${voting.threshold} needed`);
        }
        break;
      }
      case 'add-voting-key': {
        const key = address(args[0], 'add-voting-key ADDRESS');
        await submitOk(api, api.tx.proxy.addProxy(key, 'Governance', 0), signer());
        console.log(`${key} votes for this seat (Governance proxy)`);
        break;
      }
      case 'remove-voting-key': {
        const key = address(args[0], 'remove-voting-key ADDRESS');
        const { dispatchError } = await submitAndFinalize(api, api.tx.proxy.removeProxy(key, 'Governance', 0), signer());
        if (dispatchError) fail(`${key} is not a voting key of this seat (${describeDispatchError(api, dispatchError)})`);
        console.log(`${key} no longer votes for this seat`);
        break;
      }
      case 'voting-keys': {
        const seat = args[0] === undefined ? signer().address : address(args[0], 'voting-keys [SEAT]');
        const [proxies] = await api.query.proxy.proxies(seat);
        for (const proxy of proxies) console.log(`${proxy.delegate.toString()} ${proxy.proxyType.toString()}`);
        break;
      }
      case 'whitelist-upgrade': {
        const [wasm] = args;
        if (!wasm) fail('whitelist-upgrade WASM');
        const { codeHash } = runtimeCode(wasm);
        const threshold = atLeast(await councilSeats(api), 2, 3);
        const { hash } = await propose(api, whitelistCall(api, authorizeUpgrade(api, codeHash)), threshold, member());
        console.log(hash);
        console.error(`motion to whitelist the upgrade to code ${codeHash}: ${threshold} ayes needed`);
        break;
      }
      case 'apply-upgrade': {
        const [wasm] = args;
        if (!wasm) fail('apply-upgrade WASM');
        const { code, codeHash } = runtimeCode(wasm);
        const { finalized } = await applyUpgrade(api, rpc, code, codeHash, member());
        console.log(`runtime upgraded to code ${codeHash} in block ${finalized}`);
        break;
      }
    }
  } finally {
    await api.disconnect();
  }
}

main().catch((e) => fail(e.message));
