import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError, ObjectiveScopeError } from '../errors.js';
import type { ObjectiveSpec } from './messages.js';
import { outsideVariables, userFacingNames } from '../util/outside-variables.js';
import { moduleUrl } from './objective-loader.js';

/**
 * Turns what the user passed into something a worker can rebuild: an inline function becomes
 * its source (checked now for variables it takes from outside, which would not exist there),
 * a path or URL stays a module reference.
 */
export function shipObjective(objective: unknown, cwd: string): ObjectiveSpec {
  if (typeof objective === 'string' || objective instanceof URL) {
    const url = moduleUrl(objective, cwd);
    if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
      throw new InvalidOptionError(`optimize(objective): no module at ${fileURLToPath(url)}; pass a path (relative to ${cwd}) or URL of a module whose default export is the objective`);
    }
    return { kind: 'module', url };
  }
  if (typeof objective !== 'function') {
    throw new InvalidOptionError(`optimize(objective): expected a function (trial, ctx) => number or a module path, got ${typeof objective}`);
  }
  const source = Function.prototype.toString.call(objective);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new InvalidOptionError('optimize(objective): a bound or built-in function has no source to send to workers; pass the function itself, or a module path');
  }
  let outside: string[];
  try {
    outside = outsideVariables(source);
  } catch (error) {
    throw new InvalidOptionError(`optimize(objective): could not read the objective's source to send it to workers (${(error as Error).message}); put it in a module and pass the module's path`);
  }
  if (outside.length > 0) throw new ObjectiveScopeError(userFacingNames(outside, source), compiledNote(outside));
  return { kind: 'source', source, usesTf: /\btf\b/.test(source) };
}

/** An import compiled by TypeScript is renamed `<module>_1`; say so, or the name looks foreign. */
function compiledNote(free: readonly string[]): string {
  const renamed = free.filter((n) => /^[A-Za-z_$][\w$]*_\d+$/.test(n));
  return renamed.length === 0 ? '' : ` (${renamed.map((n) => `'${n}'`).join(', ')}: TypeScript's name for an import from another cell; require the module inside the objective)`;
}
