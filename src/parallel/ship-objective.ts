import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { InvalidOptionError, ObjectiveScopeError } from '../errors.js';
import type { ObjectiveSpec } from './messages.js';
import { freeVariables } from './free-variables.js';
import { moduleUrl, typescriptHelperNames } from './objective-loader.js';

// Node's globals besides the language's own: what a worker has too. Listed rather than read from
// this realm's globalThis, where a REPL's `var x` would also appear (and is absent in a worker).
const NODE_GLOBALS = [
  'global', 'globalThis', 'process', 'Buffer', 'console', 'require', 'setTimeout', 'clearTimeout', 'setInterval',
  'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch', 'URL',
  'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'EventTarget', 'Event',
  'MessageChannel', 'MessagePort', 'MessageEvent', 'BroadcastChannel', 'Blob', 'performance', 'atob', 'btoa',
  'crypto', 'navigator', 'Headers', 'Request', 'Response', 'FormData', 'DOMException', 'WebAssembly',
];

let allowed: Set<string> | undefined;

function allowedNames(): Set<string> {
  allowed ??= new Set([
    ...(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]),
    ...NODE_GLOBALS,
    ...typescriptHelperNames(),
  ]);
  return allowed;
}

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
  let free: string[];
  try {
    free = freeVariables(source);
  } catch (error) {
    throw new InvalidOptionError(`optimize(objective): could not read the objective's source to send it to workers (${(error as Error).message}); put it in a module and pass the module's path`);
  }
  const names = allowedNames();
  const outside = free.filter((name) => !names.has(name));
  if (outside.length > 0) throw new ObjectiveScopeError(userFacingNames(outside, source), compiledNote(outside));
  return { kind: 'source', source, usesTf: /\btf\b/.test(source) };
}

/**
 * tslab compiles a cell to CommonJS: a reference to another cell's export reads `exports.name`,
 * so the user is told `name`, the variable they wrote.
 */
function userFacingNames(free: readonly string[], source: string): string[] {
  const out: string[] = [];
  for (const name of free) {
    const exported = name === 'exports' ? [...source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1] as string) : [];
    for (const n of exported.length > 0 ? exported : [name]) if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** An import compiled by TypeScript is renamed `<module>_1`; say so, or the name looks foreign. */
function compiledNote(free: readonly string[]): string {
  const renamed = free.filter((n) => /^[A-Za-z_$][\w$]*_\d+$/.test(n));
  return renamed.length === 0 ? '' : ` (${renamed.map((n) => `'${n}'`).join(', ')}: TypeScript's name for an import from another cell; require the module inside the objective)`;
}
