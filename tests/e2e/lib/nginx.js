// nginx from Debian's packages (scripts/test installs it) as the TLS reverse proxy of a public
// RPC node, running the launch kit's own configuration (deploy/nginx/healthchain-rpc.conf) with
// a test certificate and free loopback ports.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, tempDir, waitFor } from './node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** Proxies TLS on a free port to `127.0.0.1:upstreamPort`; resolves with `{ url, ca, stop() }`. */
export async function startTlsProxy(upstreamPort) {
  const work = tempDir('nginx');
  const dir = work.dir;
  const cert = path.join(dir, 'rpc.crt');
  const key = path.join(dir, 'rpc.key');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  const port = await freePort();
  const site = readFileSync(path.join(ROOT, 'deploy', 'nginx', 'healthchain-rpc.conf'), 'utf8')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
    .replace('/etc/ssl/healthchain/rpc.crt', cert)
    .replace('/etc/ssl/healthchain/rpc.key', key)
    .replace('http://127.0.0.1:9944', `http://127.0.0.1:${upstreamPort}`);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, temp));
  writeFileSync(path.join(dir, 'nginx.conf'), `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
${process.getuid() === 0 ? 'user root;' : ''}
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  await waitFor(`nginx on port ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    return spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]).status === 0;
  }, { timeout: 20_000 });
  return {
    url: `wss://127.0.0.1:${port}`,
    ca: readFileSync(cert),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      work.cleanup();
    },
  };
}
