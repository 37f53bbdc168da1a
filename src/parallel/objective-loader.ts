import { nativeImport } from '../util/native-import.js';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Objective } from '../study/objective.js';
import type { ObjectiveSpec } from './messages.js';

const requireHere = createRequire(import.meta.url);

/** `require` for inline objectives: from the user's directory first, then from tunelab's own. */
function userRequire(cwd: string): NodeJS.Require {
  const fromCwd = createRequire(join(cwd, 'noop.js'));
  const combined = ((id: string): unknown => {
    try {
      return fromCwd(id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      return requireHere(id);
    }
  }) as NodeJS.Require;
  return Object.assign(combined, { resolve: fromCwd.resolve, cache: fromCwd.cache, main: fromCwd.main, extensions: fromCwd.extensions });
}

/** Rebuilds the objective in this worker from its source or its module. */
export async function loadObjective(spec: ObjectiveSpec, cwd: string): Promise<Objective> {
  if (spec.kind === 'module') {
    const mod = (await nativeImport(spec.url, () => import(spec.url))) as { default?: unknown };
    let fn: unknown = mod.default;
    // A CommonJS module compiled from TypeScript: module.exports = { default: fn }.
    if (typeof fn !== 'function' && fn !== null && typeof fn === 'object') fn = (fn as { default?: unknown }).default;
    if (typeof fn !== 'function') throw new TypeError(`the module ${spec.url} has no default export function; export the objective as default`);
    return fn as Objective;
  }
  let tslib: Record<string, unknown> = {};
  try {
    tslib = requireHere('tslib') as Record<string, unknown>;
  } catch {
    // Without tslib, compiled helpers stay undefined; the scope check reported them already.
  }
  const helpers = Object.keys(tslib).filter((k) => k.startsWith('__'));
  const build = (text: string): unknown =>
    // The shipped source is the user's own function, evaluated where only `require` and the
    // TypeScript helpers exist besides the globals: that is the isolation we promise.
    new Function('require', ...helpers, `return ${text};`)(userRequire(cwd), ...helpers.map((h) => tslib[h]));
  let fn: unknown;
  try {
    fn = build(`(${spec.source})`);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // Method shorthand, as `{ objective(trial) {...} }.objective.toString()` gives it.
    fn = Object.values(build(`({${spec.source}})`) as object)[0];
  }
  if (typeof fn !== 'function') throw new TypeError('the shipped objective source did not evaluate to a function');
  return fn as Objective;
}

export function moduleUrl(objective: string | URL, cwd: string): string {
  if (objective instanceof URL) return objective.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(objective) && !/^[a-z]:[\\/]/i.test(objective)) return objective;
  return pathToFileURL(resolve(cwd, objective)).href;
}
