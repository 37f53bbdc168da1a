import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';

const requireHere = createRequire(import.meta.url);

// Node's globals besides the language's own: what a worker has too. Listed rather than read from
// this realm's globalThis, where a REPL's `var x` would also appear (and is absent in a worker).
const NODE_GLOBALS = [
  'global', 'globalThis', 'process', 'Buffer', 'console', 'require', 'setTimeout', 'clearTimeout', 'setInterval',
  'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch', 'URL',
  'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'EventTarget', 'Event',
  'MessageChannel', 'MessagePort', 'MessageEvent', 'BroadcastChannel', 'Blob', 'performance', 'atob', 'btoa',
  'crypto', 'navigator', 'Headers', 'Request', 'Response', 'FormData', 'DOMException', 'WebAssembly',
];

/**
 * TypeScript's emit helpers (`__awaiter`, `__importDefault`, ...) that compiled notebook code may
 * call from inside a function; a worker provides them from tslib, so they are not free variables.
 */
export function typescriptHelperNames(): string[] {
  try {
    return Object.keys(requireHere('tslib') as object).filter((k) => k.startsWith('__'));
  } catch {
    return [];
  }
}

let names: ReadonlySet<string> | undefined;

/**
 * Names a function may use without declaring them and still mean the same thing everywhere: the
 * language's globals, Node's, and TypeScript's helpers. Any other free variable is a value from
 * outside the function (a notebook variable, a closure): a worker does not have it, and a cache
 * key built from the function's source cannot see it.
 */
export function globalNames(): ReadonlySet<string> {
  names ??= new Set([...(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]), ...NODE_GLOBALS, ...typescriptHelperNames()]);
  return names;
}
