// Waiting on healthchain-vault processes: serving, and stopped.
import { Hopeless, waitFor } from './node.js';

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
