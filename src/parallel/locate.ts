import { existsSync } from 'node:fs';
import { InvalidOptionError } from '../errors.js';
import { builtPath } from '../util/package-root.js';

/**
 * The built worker script `dist/parallel/<name>.(c)js`.
 *
 * piscina require()s its worker file before trying import(). For an ES module that goes through
 * Node 20's require-of-ESM, where a worker running out of heap while its module graph loads
 * aborts the whole process (V8 "IsGraphAsync must be used on an instantiated module") instead of
 * failing the one worker. The CommonJS build takes the ordinary require path.
 */
export function workerScript(name: 'worker-thread' | 'worker-process'): string {
  return builtFile(`parallel/${name}.${name === 'worker-thread' ? 'cjs' : 'js'}`, 'optimize({ workers })');
}

/** A file of the built package, `dist/<relative>` (e.g. a module objective tunelab ships). */
export function builtFile(relative: string, what = 'tunelab'): string {
  const file = builtPath(relative);
  if (!existsSync(file)) throw new InvalidOptionError(`${what}: the file ${file} is missing; build tunelab first (npm run build)`);
  return file;
}
