import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalJson, type JsonValue } from '../util/json.js';

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/**
 * What identifies an objective for memoization: its source text for an inline function, or its
 * module's path and content. White space is folded so re-indenting a notebook cell keeps the cache.
 */
export function objectiveIdentity(objective: ((...args: never[]) => unknown) | string | URL): string {
  if (typeof objective === 'function') return `fn:${hashText(objective.toString().replace(/\s+/g, ' ').trim())}`;
  const path = objective instanceof URL || objective.startsWith('file:') ? fileURLToPath(objective) : objective;
  let content = '';
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    // A module we cannot read is identified by its path alone; its version string must then carry changes.
  }
  return `module:${path}:${hashText(content)}`;
}

/** Everything besides the params that decides an evaluation's result. */
export interface EvalScope {
  readonly objective: string;
  readonly datasetFingerprint?: string;
  readonly seed?: number;
  /** The objective's own inputs besides params (optimize's `context`), as canonical JSON. */
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
