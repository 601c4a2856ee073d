// Bundles the console into one script and one stylesheet with content hashes in their names, and
// writes index.html naming them. Output: the directory given as the first argument.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const out = process.argv[2] ?? 'target/classes/console';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: 'web/app.js', style: 'web/app.css' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const script = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
const style = outputs.find((f) => f.startsWith('style-') && f.endsWith('.css'));
const html = readFileSync('web/index.html', 'utf8')
  .replace('%SCRIPT%', script)
  .replace('%STYLE%', style);
writeFileSync(join(out, 'index.html'), html);

// the served files, one a line with its size: the console function serves these and nothing else
const files = [...outputs, 'index.html'].map((f) => `${f} ${statSync(join(out, f)).size}`);
writeFileSync(join(out, 'assets.txt'), files.join('\n') + '\n');
console.log('console bundle: ' + files.map((f) => f.replace(' ', ' ') + ' bytes').join(', '));
