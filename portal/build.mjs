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
  entryPoints: [join(root, 'src', 'app.js')],
  outfile: join(out, 'portal.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'portal.css']) copyFileSync(join(root, 'src', file), join(out, file));
