#!/usr/bin/env node
// Builds dist/vendor/danfojs: danfojs' DataFrame and Series on the TF.js 4 that tunelab installs.
//
// Why: both danfojs packages on npm pin TF.js 3 (danfojs-node: @tensorflow/tfjs-node, whose install
// downloads libtensorflow) and an xlsx tarball from a CDN, so a user's `npm install tunelab` would
// fail where only the npm registry is reachable, and would otherwise carry a second, older TF.js.
// Their DataFrame code (danfojs-base, MIT) needs none of that: it runs on @tensorflow/tfjs 4.22.
// This bundles danfojs-base (no file, Excel or plot I/O) from the `danfojs` dev dependency, with
// @tensorflow/tfjs, mathjs and table left to tunelab's own dependencies. It copies danfojs' type
// declarations beside the bundle and points the 'danfojs' imports in tunelab's declarations at
// them, so users get danfojs' real types.
//
// Run after tsup (npm run build does); idempotent. `--js-only` writes only the bundle (vitest's
// global set-up uses it, so tests running from src/ load the same danfojs users get).
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's "exports" hide its files; its folder is all we need.
const danfoRoot = join(root, 'node_modules', 'danfojs');
const base = join(danfoRoot, 'dist', 'danfojs-base');
const browser = join(danfoRoot, 'dist', 'danfojs-browser', 'src');
const out = join(root, 'dist', 'vendor', 'danfojs');

// Options of the readers, writers and plots this bundle leaves out: the packages that define them are
// not installed with tunelab, so they become plain records rather than unresolved imports.
const LOOSE = {
  'plotly.js-dist-min': ['Config', 'Layout'],
  'node-fetch': ['HeadersInit'],
  papaparse: ['ParseConfig'],
  xlsx: ['ParsingOptions', 'WritingOptions'],
};

mkdirSync(out, { recursive: true });
// CommonJS, whatever tunelab's own "type" says: the bundle is CommonJS and danfojs' declarations
// use extensionless relative imports, which resolve only in CommonJS mode.
writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'commonjs', main: 'index.js', types: 'index.d.ts' }, null, 2) + '\n');

await build({
  entryPoints: [join(base, 'index.js')],
  outfile: join(out, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Class names as danfojs has them: show() and util.inspect recognize frames by constructor name.
  keepNames: true,
  // plotly is required only when `window` exists (a browser): never in Node.
  external: ['@tensorflow/tfjs', 'mathjs', 'table', 'plotly.js-dist-min'],
  banner: { js: '/* danfojs-base ' + readJson(join(danfoRoot, 'package.json')).version + ' (MIT, Copyright 2022 JsData), bundled by tunelab on @tensorflow/tfjs 4 */' },
  logLevel: 'warning',
});

if (!process.argv.includes('--js-only')) {
  copyDeclarations(base, out);
  // danfojs' DataFrame and Series types are its subclasses (they add `df['column']` access); at run
  // time those subclasses only call the base constructor, so the bundle uses the base classes.
  for (const name of ['frame', 'series']) {
    const text = readFileSync(join(browser, 'core', `${name}.d.ts`), 'utf8');
    writeFileSync(join(out, `${name}.d.ts`), text.replace(/(["'])\.\.\/\.\.\/\.\.\/danfojs-base\//g, '$1./'));
  }
  const index = readFileSync(join(out, 'index.d.ts'), 'utf8');
  writeFileSync(join(out, 'index.d.ts'), index.replace(/from (["'])\.\/core\/(frame|series)\1/g, 'from "./$2"'));
  writeFileSync(join(out, 'LICENSE'), danfoLicense());
  pointDeclarationsAtVendor(join(root, 'dist'));
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** danfojs' .d.ts files, minus file/plot I/O, with their third-party option types loosened. */
function copyDeclarations(from, to) {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) {
      if (name === 'io') continue;
      copyDeclarations(src, join(to, name));
    } else if (name.endsWith('.d.ts')) {
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, name), rewriteDeclaration(readFileSync(src, 'utf8')));
    }
  }
}

function rewriteDeclaration(text) {
  let t = text;
  for (const [pkg, names] of Object.entries(LOOSE)) {
    const re = new RegExp(`^import \\{[^}]*\\} from ["']${pkg.replace(/[.]/g, '\\.')}["'];?$`, 'm');
    t = t.replace(re, names.map((n) => `type ${n} = Record<string, unknown>;`).join(' '));
  }
  // `import request from "request"` and the like: only io/ declarations have them, and io/ is left out.
  return t;
}

function danfoLicense() {
  return `MIT License

Copyright (c) 2022 JsData

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;
}

/** tunelab's declarations import 'danfojs' (its dev install); users have dist/vendor/danfojs. */
function pointDeclarationsAtVendor(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) {
      if (name !== 'vendor') pointDeclarationsAtVendor(file);
      continue;
    }
    if (!/\.d\.c?ts$/.test(name)) continue;
    const text = readFileSync(file, 'utf8');
    // `from 'danfojs'`, and the bare `import 'danfojs';` the declaration bundler leaves in some chunks.
    const specifier = /(from |import )(['"])danfojs\2/g;
    if (!specifier.test(text)) continue;
    let rel = relative(dirname(file), join(out, 'index.js')).split(sep).join('/');
    if (!rel.startsWith('.')) rel = './' + rel;
    writeFileSync(file, text.replace(specifier, (_, keyword) => `${keyword}'${rel}'`));
  }
}
