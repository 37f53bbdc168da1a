import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';

/**
 * The built worker script `dist/parallel/<name>.js`, found from the package root: this module may
 * run from src/ (tests), from the ESM or CJS bundle, or from a chunk, at different depths.
 */
export function workerScript(name: 'worker-thread' | 'worker-process'): string {
  const root = packageRoot();
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
  const file = join(packageRoot(), 'dist', relative);
  if (!existsSync(file)) throw new InvalidOptionError(`${file} is missing; build tunelab first (npx tsup)`);
  return file;
}
