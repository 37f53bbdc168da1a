import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    // Only a broken install gets here (this file always sits inside the package).
    if (dirname(dir) === dir) throw new Error(`cannot find tunelab's package.json above ${from}`);
  }
}

/** The path of a file of the built package, `dist/<relative>` (it may not exist: check). */
export function builtPath(relative: string): string {
  return join(packageRoot(), 'dist', relative);
}

/** The version in tunelab's package.json (`tunelab --version`). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
