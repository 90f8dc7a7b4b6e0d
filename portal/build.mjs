// Builds the portal into dist/: one ES module bundle, its stylesheet and the page. The vault
// serves dist/ (healthchain-vault --portal portal/dist).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
await build({
  entryPoints: { portal: join(root, 'src', 'app.js') },
  outdir: out,
  // The light client (smoldot, a few MB of WebAssembly) is a chunk of its own, loaded only
  // when the page follows the chain through it.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: process.env.PORTAL_DEBUG !== '1',
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'portal.css']) copyFileSync(join(root, 'src', file), join(out, file));
