// Starting and stopping real healthchain-node processes on loopback for the end-to-end tests.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

const targetDir =
  process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache', 'healthchain', 'target');

/** The node binary under test: `$HEALTHCHAIN_NODE`, or the release build in the target dir. */
export const NODE_BIN = process.env.HEALTHCHAIN_NODE ?? path.join(targetDir, 'release', 'healthchain-node');

/**
 * The well-known development node key `n` (1 for Alice's node, 2 for Bob's, ...): 31 zero
 * bytes and `n`, as hex. The `local` chain authorises the peer ids of keys 1 to 4 only.
 */
export function devNodeKey(n) {
  return n.toString(16).padStart(64, '0');
}

/** A TCP port on loopback that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary directory, removed by `cleanup()`. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `healthchain-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the node binary to completion (a subcommand, or a start that must fail). */
export function runNodeCommand(args, { timeout = 120_000 } = {}) {
  // Chain specs carry the runtime's code, megabytes of hex: well past the default 1 MiB buffer.
  const result = spawnSync(NODE_BIN, args, { encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

/** A node's JSON-RPC error answer: `method: message data`. */
export class RpcRefused extends Error {
  constructor(method, error) {
    super(`${method}: ${error.message} ${error.data ?? ''}`);
    this.reason = error.message;
  }
}

/** A node that answered with an HTTP error status instead of JSON-RPC. */
export class RpcHttpError extends Error {
  constructor(endpoint, method, status) {
    super(`${endpoint} answered ${method} with HTTP ${status}`);
    this.status = status;
  }
}

/**
 * One JSON-RPC call over HTTP (a node serves it on its RPC port): the result. Throws
 * `RpcRefused` for an error answer, `RpcHttpError` for an HTTP error, and fetch's own error
 * when nothing answers.
 */
export async function rpcCall(endpoint, method, params = []) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  if (!response.ok) throw new RpcHttpError(endpoint, method, response.status);
  const body = await response.json();
  if (body.error) throw new RpcRefused(method, body.error);
  return body.result;
}

/** Thrown by a `waitFor` check to stop waiting at once: the awaited thing cannot happen. */
export class Hopeless extends Error {}

/**
 * Polls `check` until it returns a truthy value, which it returns; fails after `timeout` ms,
 * or at once if `check` throws `Hopeless`. Other errors count as "not yet".
 */
export async function waitFor(what, check, { timeout = 60_000, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      if (e instanceof Hopeless) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** A running healthchain-node process. */
export class Node {
  /**
   * Starts a node. `args` are passed as they are; the RPC and p2p ports, the base path, the
   * name, the node key (random unless given; kept across restarts) and the loopback-only
   * listen address are added here. With `via`, a script starts the node instead: it is run as
   * `via.script ...via.args` plus the ports, name and listen address, and it chooses the base
   * path and node key itself.
   */
  static async start({ name, args = [], basePath, p2pPort, nodeKey, via }) {
    const node = new Node(name, basePath ?? tempDir(name).dir, p2pPort ?? (await freePort()));
    node.rpcPort = await freePort();
    node.nodeKey = nodeKey ?? randomBytes(32).toString('hex');
    node.args = args;
    node.via = via;
    await node.launch();
    return node;
  }

  constructor(name, basePath, p2pPort) {
    this.name = name;
    this.basePath = basePath;
    this.p2pPort = p2pPort;
    this.logTail = [];
  }

  get rpcUrl() {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  /** The multiaddress other nodes can dial, given the node's peer id. */
  multiaddr(peerId) {
    return `/ip4/127.0.0.1/tcp/${this.p2pPort}/p2p/${peerId}`;
  }

  async launch() {
    const args = [
      ...this.args,
      '--name', this.name,
      '--rpc-port', String(this.rpcPort),
      '--listen-addr', `/ip4/127.0.0.1/tcp/${this.p2pPort}`,
      '--no-prometheus',
      '--no-mdns',
      ...(this.via ? [] : ['--base-path', this.basePath, '--node-key', this.nodeKey]),
    ];
    mkdirSync(this.basePath, { recursive: true });
    const logPath = path.join(this.basePath, `${this.name}.log`);
    const log = createWriteStream(logPath, { flags: 'a' });
    this.process = this.via
      ? spawn(this.via.script, [...this.via.args, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HEALTHCHAIN_NODE: NODE_BIN },
      })
      : spawn(NODE_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream.on('data', (chunk) => {
        log.write(chunk);
        this.logTail.push(...chunk.toString().split('\n').filter(Boolean));
        this.logTail.splice(0, Math.max(0, this.logTail.length - 40));
      });
    }
    try {
      await waitFor(`${this.name}'s RPC on port ${this.rpcPort}`, async () => {
        if (this.process.exitCode !== null) {
          throw new Hopeless(`${this.name} exited with ${this.process.exitCode}:\n${this.logTail.join('\n')}`);
        }
        return (await this.rpc('system_health')) !== undefined;
      }, { timeout: 60_000 });
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** One JSON-RPC call over HTTP. */
  async rpc(method, params = []) {
    return rpcCall(`http://127.0.0.1:${this.rpcPort}`, method, params);
  }

  async bestNumber() {
    return parseInt((await this.rpc('chain_getHeader')).number, 16);
  }

  async finalizedNumber() {
    const hash = await this.rpc('chain_getFinalizedHead');
    return parseInt((await this.rpc('chain_getHeader', [hash])).number, 16);
  }

  async blockHash(number) {
    return this.rpc('chain_getBlockHash', [number]);
  }

  /** A connected @polkadot/api client. */
  async api() {
    return ApiPromise.create({ provider: new WsProvider(this.rpcUrl), noInitWarn: true });
  }

  /** Stops the process (SIGTERM, then SIGKILL after 20 s); keeps the base path. */
  async stop() {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the process and removes its base path. */
  async destroy() {
    await this.stop();
    rmSync(this.basePath, { recursive: true, force: true });
  }

  /** The last lines the node printed, for failure messages. */
  recentLog() {
    return this.logTail.join('\n');
  }
}

/**
 * A `--dev` node named `name` with a connected @polkadot/api client: `{ node, api, stop }`,
 * where `stop()` disconnects the client and removes the node.
 */
export async function startDevNode(name, extraArgs = []) {
  const node = await Node.start({ name, args: ['--dev', ...extraArgs] });
  const api = await node.api();
  return {
    node,
    api,
    stop: async () => {
      await api.disconnect();
      await node.destroy();
    },
  };
}
