import { InvalidOptionError } from '../errors.js';
import type { FrozenTrial } from './frozen-trial.js';

/**
 * Constrained optimization, as Optuna does it: a sampler's `constraintsFunc` gives each finished
 * trial a list of numbers, stored in the system attribute `constraints` (Optuna's key, so an
 * exported journal keeps them); a value ≤ 0 means that constraint is satisfied.
 */
export const CONSTRAINTS_KEY = 'constraints';

/** The trial's stored constraint values, or undefined when it has none. */
export function constraintValues(trial: FrozenTrial): readonly number[] | undefined {
  const stored = trial.systemAttrs[CONSTRAINTS_KEY];
  if (!Array.isArray(stored)) return undefined;
  return stored.every((v) => typeof v === 'number') ? (stored as number[]) : undefined;
}

/**
 * How far the trial is from feasible: the sum of its positive constraint values (0 when it
 * satisfies every constraint), or Infinity when it has no constraint values (it ranks after every
 * trial that has them, as in Optuna's TPE).
 */
export function violation(trial: FrozenTrial): number {
  const values = constraintValues(trial);
  if (values === undefined) return Infinity;
  let sum = 0;
  for (const v of values) if (v > 0) sum += v;
  return sum;
}

/** Feasible unless a stored constraint value is positive; a trial without constraints is feasible. */
export function isFeasible(trial: FrozenTrial): boolean {
  const values = constraintValues(trial);
  return values === undefined || values.every((v) => v <= 0);
}

/** Checks what a `constraintsFunc` returned for a trial, and copies it for storage. */
export function checkConstraintValues(returned: unknown, trialNumber: number, owner: string): number[] {
  const where = `${owner} constraintsFunc returned`;
  const fix = 'return an array of finite numbers, one per constraint, each <= 0 when that constraint is satisfied (e.g. [x + y - 10])';
  if (!Array.isArray(returned)) throw new InvalidOptionError(`${where} ${describe(returned)} for trial ${trialNumber}; ${fix}`);
  return returned.map((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidOptionError(`${where} ${describe(v)} as constraint ${i} of trial ${trialNumber}; ${fix}`);
    }
    return v;
  });
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
