import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '../errors.js';

let root: string | undefined;

/**
 * The built worker script `dist/parallel/<name>.js`, found from the package root: this module may
 * run from src/ (tests), from the ESM or CJS bundle, or from a chunk, at different depths.
 */
export function workerScript(name: 'worker-thread' | 'worker-process'): string {
  root ??= packageRoot(dirname(fileURLToPath(import.meta.url)));
  // piscina require()s its worker file before trying import(). For an ES module that goes through
  // Node 20's require-of-ESM, where a worker running out of heap while its module graph loads
  // aborts the whole process (V8 "IsGraphAsync must be used on an instantiated module") instead of
  // failing the one worker. The CommonJS build takes the ordinary require path.
  const file = join(root, 'dist', 'parallel', `${name}.${name === 'worker-thread' ? 'cjs' : 'js'}`);
  if (!existsSync(file)) throw new InvalidOptionError(`optimize({ workers }): the worker script ${file} is missing; build tunelab first (npx tsup)`);
  return file;
}

/** A file of the built package, `dist/<relative>` (e.g. a module objective tunelab ships). */
export function builtFile(relative: string): string {
  root ??= packageRoot(dirname(fileURLToPath(import.meta.url)));
  const file = join(root, 'dist', relative);
  if (!existsSync(file)) throw new InvalidOptionError(`${file} is missing; build tunelab first (npx tsup)`);
  return file;
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tunelab') return dir;
    if (dirname(dir) === dir) throw new InvalidOptionError(`optimize({ workers }): cannot find tunelab's package root above ${from}`);
  }
}
