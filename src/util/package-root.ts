import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * tunelab's own package folder (the one holding its package.json, dist/ and datasets/), found by
 * walking up from this module: it may run from src/ (tests), from the ESM or CJS bundle, or from a
 * chunk, at different depths, and from any working directory.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tunelab') return (root = dir);
    if (dirname(dir) === dir) throw new Error(`cannot find tunelab's package root (a package.json named tunelab) above ${from}`);
  }
}
