import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '../errors.js';

let root: string | undefined;

/**
 * tunelab's package root, found by walking up from this module: it may run from src/ (tests), from
 * the ESM or CJS bundle, or from a chunk, at different depths.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tunelab') return (root = dir);
    if (dirname(dir) === dir) throw new InvalidOptionError(`cannot find tunelab's package root above ${from}`);
  }
}

/** A file of the built package, `dist/<relative>`; `what` says who needs it in the error. */
export function builtFile(relative: string, what = 'tunelab'): string {
  const file = join(packageRoot(), 'dist', relative);
  if (!existsSync(file)) throw new InvalidOptionError(`${what}: ${file} is missing; build tunelab first (npm run build)`);
  return file;
}
