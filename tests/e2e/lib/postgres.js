// A PostgreSQL server of a test's own, in a scratch directory on a free loopback port, from
// Debian's packages (scripts/test installs them). As root, its tools run as the `postgres` user.

import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './node.js';

function binDir() {
  if (process.env.HEALTHCHAIN_PG_BIN) return process.env.HEALTHCHAIN_PG_BIN;
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  return path.join('/usr/lib/postgresql', versions.at(-1), 'bin');
}

function tool(name, args) {
  const program = path.join(binDir(), name);
  const root = process.getuid() === 0;
  const result = root
    ? spawnSync('runuser', ['-u', 'postgres', '--', program, ...args], { encoding: 'utf8' })
    : spawnSync(program, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${name} ${args.join(' ')}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Starts a server; resolves with `{ url, psql(sql), stop() }`. */
export async function startPostgres() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-pg-'));
  if (process.getuid() === 0) {
    const { uid, gid } = JSON.parse(spawnSync('python3', ['-c',
      'import json, pwd; p = pwd.getpwnam("postgres"); print(json.dumps({"uid": p.pw_uid, "gid": p.pw_gid}))'],
    { encoding: 'utf8' }).stdout);
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const data = path.join(dir, 'data');
  tool('initdb', ['-D', data, '-U', 'healthchain', '--auth=trust']);
  tool('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', '-l', path.join(dir, 'log'), 'start']);
  const url = (db = 'postgres') => `host=127.0.0.1 port=${port} user=healthchain dbname=${db}`;
  return {
    url,
    /** Runs `sql` with psql; resolves with its rows, fields separated by `|`. */
    psql(sql, db = 'postgres') {
      const result = spawnSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port),
        '-U', 'healthchain', '-d', db, '-c', sql], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
      return result.stdout.split('\n').filter(Boolean).map((line) => line.split('|'));
    },
    stop() {
      try {
        tool('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
