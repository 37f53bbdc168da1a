#!/usr/bin/env node
// Makes `import ... from 'tunelab'` resolve inside notebooks/, as after `npm install tunelab`.
//
// Why: tslab type-checks every cell with TypeScript's node10 module resolution, which ignores
// package.json "exports" and so the package's self-reference; it finds 'tunelab' only in a
// node_modules folder above the notebook. A link notebooks/node_modules/tunelab -> the repository
// root provides that folder. Run by `npm install` (the "prepare" script), so a fresh clone opens
// its notebooks in Jupyter with no other step.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'notebooks', 'node_modules');
const link = join(folder, 'tunelab');
// Relative, so the link survives moving the checkout; Windows junctions need an absolute target.
const target = process.platform === 'win32' ? root : join('..', '..');

function current() {
  try {
    const stat = lstatSync(link);
    return stat.isSymbolicLink() ? readlinkSync(link) : 'not a link';
  } catch {
    return undefined;
  }
}

const found = current();
if (found !== undefined && resolve(folder, found) === root) process.exit(0);
if (found !== undefined) {
  if (found === 'not a link') {
    console.error(`link-notebooks: ${link} exists and is not a link; remove it and run npm install again`);
    process.exit(1);
  }
  rmSync(link);
}
mkdirSync(folder, { recursive: true });
symlinkSync(target, link, process.platform === 'win32' ? 'junction' : 'dir');
