// The `healthchain` CLI as the e2e tests run it: key files, and commands that answer JSON.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { NODE_BIN } from './node.js';

/** The CLI binary: `HEALTHCHAIN_CLI`, or beside the node's. */
export const CLI = process.env.HEALTHCHAIN_CLI ?? path.join(path.dirname(NODE_BIN), 'healthchain');

/** Writes a key file at `file` (from `phrase`, or a new one) and returns its account (SS58). */
export function newKeyFile(file, phrase = null) {
  const made = spawnSync(CLI, ['--output', 'json', 'key', 'new', '--out', file, ...(phrase ? ['--phrase', phrase] : [])], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return JSON.parse(made.stdout).account;
}

/**
 * Writes a key file in `dir` for each `[who, phrase]` of `people` (a new phrase for null),
 * filling `keys` (who -> file) and `accounts` (who -> SS58), and, given a keyring, `pairs`
 * (who -> key pair) for each with a phrase.
 */
export function writeKeyFiles(dir, people, { keys, accounts, pairs = {}, keyring = null }) {
  for (const [who, phrase] of people) {
    keys[who] = path.join(dir, `${who}.key`);
    accounts[who] = newKeyFile(keys[who], phrase);
    if (phrase && keyring) pairs[who] = keyring.addFromUri(phrase);
  }
}

/**
 * The CLI against the node `nodeUrl()` with the key files `keys` (who -> file): `cli(who,
 * args)` answers `{ status, json, stdout, stderr }`; `cliOk` asserts success and answers the JSON.
 */
export function cliFor(nodeUrl, keys) {
  function cli(who, args) {
    const result = spawnSync(CLI, ['--node', nodeUrl(), '--key-file', keys[who], '--output', 'json', ...args], {
      encoding: 'utf8', timeout: 120_000,
    });
    if (result.error) throw result.error;
    let json = null;
    try { json = JSON.parse(result.stdout); } catch { /* not JSON: left null */ }
    return { status: result.status, json, stdout: result.stdout, stderr: result.stderr.trim() };
  }
  function cliOk(who, args) {
    const result = cli(who, args);
    assert.equal(result.status, 0, `healthchain ${args.join(' ')} as ${who}: ${result.stderr}`);
    return result.json;
  }
  return { cli, cliOk };
}
