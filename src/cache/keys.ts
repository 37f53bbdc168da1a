import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { objectiveModuleOf } from '../util/objective-module.js';
import { canonicalJson, type JsonValue } from '../util/json.js';

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** A function by its source text, white space folded (re-indenting a notebook cell keeps the cache). */
export function sourceIdentity(fn: (...args: never[]) => unknown): string {
  return `fn:${hashText(Function.prototype.toString.call(fn).replace(/\s+/g, ' ').trim())}`;
}

/**
 * What identifies an objective for memoization: its source text for an inline function, or its
 * module's path and content (also for a function marked as a module's default export). White
 * space is folded so re-indenting a notebook cell keeps the cache. Undefined when the content
 * cannot be known (a module that cannot be read, an http: URL): such an objective is not cached.
 */
export function objectiveIdentity(objective: ((...args: never[]) => unknown) | string | URL): string | undefined {
  const marked = objectiveModuleOf(objective);
  if (typeof objective === 'function' && marked === undefined) return sourceIdentity(objective);
  const spec = marked ?? (objective instanceof URL ? objective.href : (objective as string));
  // A data: URL is its own content.
  if (/^data:/i.test(spec)) return `module:${hashText(spec)}`;
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec);
  if (isUrl && !/^file:/i.test(spec)) return undefined;
  const path = isUrl ? fileURLToPath(spec) : resolve(spec);
  try {
    return `module:${path}:${hashText(readFileSync(path, 'utf8'))}`;
  } catch {
    return undefined;
  }
}

/** Everything besides the params that decides an evaluation's result. */
export interface EvalScope {
  readonly objective: string;
  readonly datasetFingerprint?: string;
  readonly seed?: number;
  /** The objective's own inputs besides params (optimize's `context`): a content key (util/content-key). */
  readonly context?: string;
  /** What the hash cannot see (a library upgrade, data outside the dataset): bump it to invalidate. */
  readonly version?: string;
}

/** The scope as one key prefix: equal scopes give equal prefixes. */
export function scopeKey(scope: EvalScope): string {
  return hashText(canonicalJson({
    objective: scope.objective,
    data: scope.datasetFingerprint ?? null,
    seed: scope.seed ?? null,
    context: scope.context ?? null,
    version: scope.version ?? null,
  }));
}

/**
 * A key for one evaluation: scope plus params, with key order and number spelling made
 * irrelevant (canonical JSON sorts keys; numbers are printed by value, so 1, 1.0 and 1e0 agree).
 */
export function evaluationKey(scope: EvalScope, params: Readonly<Record<string, JsonValue>>): string {
  return `${scopeKey(scope)}!${hashText(canonicalJson(params as JsonValue))}`;
}
