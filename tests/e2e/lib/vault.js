// healthchain-vault processes: started, serving, killed, stopped.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Hopeless, NODE_BIN, waitFor } from './node.js';

/** The vault binary: `HEALTHCHAIN_VAULT`, or beside the node's. */
export const VAULT = process.env.HEALTHCHAIN_VAULT ?? path.join(path.dirname(NODE_BIN), 'healthchain-vault');

/**
 * Starts a vault for the node `node` with its key file and data directory, listening at `url`
 * (`http://127.0.0.1:<port>`), and waits until it serves. The process, its output in `output`.
 */
export async function startVault({ node, keyFile, dataDir, url, args = [], what = 'the vault to listen' }) {
  const proc = spawn(VAULT, ['--node', node, '--key-file', keyFile, '--data-dir', dataDir,
    '--listen', `127.0.0.1:${new URL(url).port}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.output = [];
  proc.stdout.on('data', (d) => proc.output.push(String(d)));
  proc.stderr.on('data', (d) => proc.output.push(String(d)));
  await vaultServing(url, { what, proc, output: () => proc.output.join('') });
  return proc;
}

/** Kills `proc` (kill -9; a vault or any other child) and waits until it has exited. */
export async function killVault(proc) {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

/**
 * Waits until the vault at `url` answers `/v1/status`, and returns its status. `proc`, when
 * given, is the process that runs the vault (or the script that starts it): its exit fails the
 * wait at once, with what `output()` says it printed.
 */
export async function vaultServing(url, { what = 'the vault to serve', proc, output = () => '', timeout = 30_000, interval = 250 } = {}) {
  return waitFor(what, async () => {
    if (proc && proc.exitCode !== null) throw new Hopeless(`${what}: it exited:\n${output()}`);
    const response = await fetch(`${url}/v1/status`);
    return response.ok && response.json();
  }, { timeout, interval });
}

/** Waits until nothing answers at `url` any more. */
export async function vaultStopped(url, { timeout = 30_000 } = {}) {
  return waitFor(`the vault at ${url} to stop`, async () => {
    try {
      await fetch(`${url}/v1/status`);
      return false;
    } catch {
      return true;
    }
  }, { timeout });
}
