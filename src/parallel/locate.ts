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
  const file = join(root, 'dist', 'parallel', `${name}.js`);
  if (!existsSync(file)) throw new InvalidOptionError(`optimize({ workers }): the worker script ${file} is missing; build tunelab first (npx tsup)`);
  return file;
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tunelab') return dir;
    if (dirname(dir) === dir) throw new InvalidOptionError(`optimize({ workers }): cannot find tunelab's package root above ${from}`);
  }
}
