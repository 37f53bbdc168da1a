import type { ParamValue } from '../trial/distributions.js';
import { canonicalJson, isJsonValue, type JsonValue } from '../util/json.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';

/** Options of study.enqueueTrial. */
export interface EnqueueTrialOptions {
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  /** Skip params that a trial of the study already has (Optuna's skip_if_exists). */
  readonly skipIfExists?: boolean;
}

/**
 * Whether a trial already has these params, queued (its fixed params) or run (its params), as
 * Optuna's enqueue_trial(skip_if_exists=True) checks: the same names, numbers equal within a
 * relative 1e-5, other values equal. Re-running a notebook cell that enqueues known-good settings
 * then queues them once.
 */
export function hasTrialWithParams(trials: readonly FrozenTrial[], params: Readonly<Record<string, ParamValue>>): boolean {
  const names = Object.keys(params);
  for (const trial of trials) {
    if (trial === undefined) continue;
    const fixed = trial.systemAttrs['fixedParams'];
    const existing = isParamRecord(fixed) ? fixed : trial.params;
    if (Object.keys(existing).length !== names.length) continue;
    if (names.every((name) => name in existing && sameValue(params[name] as ParamValue, existing[name] as ParamValue))) return true;
  }
  return false;
}

function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-5 * Math.abs(b);
  return canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);
}

/** A plain object of JSON-safe parameter values, as enqueueTrial takes and stores as `fixedParams`. */
export function isParamRecord(value: unknown): value is Record<string, ParamValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && isJsonValue(value);
}
