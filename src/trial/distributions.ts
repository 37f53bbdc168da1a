import { DistributionConflictError, InvalidDistributionError } from '../errors.js';
import { canonicalJson, isJsonValue, type JsonValue } from '../util/json.js';

/**
 * Search-space distributions as plain, JSON-safe records. A parameter's *internal* value is a
 * number: the value itself for float and int, the choice's index for categorical (as in Optuna).
 * Samplers and storage work on internal values; users see external ones.
 */
export interface FloatDistribution {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Grid spacing, or null for a continuous range. */
  readonly step: number | null;
}

export interface IntDistribution {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

export type CategoricalChoice = JsonValue;

export interface CategoricalDistribution {
  readonly kind: 'categorical';
  readonly choices: readonly CategoricalChoice[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type ParamValue = number | CategoricalChoice;

export interface RangeOptions {
  readonly log?: boolean;
  readonly step?: number;
}

// Relative tolerance for "the step fits the range": (high - low) / step must be an integer.
const STEP_EPS = 1e-8;

export function floatDistribution(name: string, low: number, high: number, options: RangeOptions = {}): FloatDistribution {
  const log = options.log ?? false;
  const step = options.step ?? null;
  checkBounds(name, low, high);
  if (!log) checkWidth(name, low, high);
  if (log && low <= 0) {
    throw new InvalidDistributionError(name, `log: true needs low > 0, got low=${low}; use a positive lower bound or drop log`);
  }
  if (step !== null) {
    if (log) throw new InvalidDistributionError(name, 'log and step cannot be used together; drop one of them');
    if (!Number.isFinite(step) || step <= 0) throw new InvalidDistributionError(name, `step must be a positive number, got ${step}`);
    const n = (high - low) / step;
    if (Math.abs(n - Math.round(n)) > STEP_EPS * Math.max(1, n)) {
      throw new InvalidDistributionError(
        name,
        `step=${step} does not fit the range [${low}, ${high}] ((high - low) / step = ${n} is not a whole number); choose high = ${Number((low + Math.floor(n) * step).toPrecision(12))} or another step`,
      );
    }
  }
  return { kind: 'float', low, high, log, step };
}

export function intDistribution(name: string, low: number, high: number, options: RangeOptions = {}): IntDistribution {
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    throw new InvalidDistributionError(name, `suggestInt needs whole-number bounds, got [${low}, ${high}]; use suggestFloat for fractional ranges`);
  }
  checkBounds(name, low, high);
  if (!log) checkWidth(name, low, high);
  if (!Number.isInteger(step) || step < 1) throw new InvalidDistributionError(name, `step must be a whole number >= 1, got ${step}`);
  if (log) {
    if (low < 1) throw new InvalidDistributionError(name, `log: true needs low >= 1, got low=${low}`);
    if (options.step !== undefined && step !== 1) throw new InvalidDistributionError(name, 'log and step cannot be used together; drop one of them');
  }
  if ((high - low) % step !== 0) {
    throw new InvalidDistributionError(
      name,
      `step=${step} does not fit the range [${low}, ${high}]; choose high = ${low + Math.floor((high - low) / step) * step} or another step`,
    );
  }
  return { kind: 'int', low, high, log, step };
}

export function categoricalDistribution(name: string, choices: readonly unknown[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new InvalidDistributionError(name, 'suggestCategorical needs a non-empty array of choices');
  }
  const seen = new Set<string>();
  choices.forEach((choice, i) => {
    if (!isJsonValue(choice)) {
      throw new InvalidDistributionError(name, `choice #${i} (${String(choice)}) is not JSON-safe; use strings, finite numbers, booleans, null, or arrays/objects of those`);
    }
    const key = canonicalJson(choice);
    if (seen.has(key)) throw new InvalidDistributionError(name, `choice ${key} appears twice; list each choice once`);
    seen.add(key);
  });
  return { kind: 'categorical', choices: choices as CategoricalChoice[] };
}

function checkBounds(name: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new InvalidDistributionError(name, `bounds must be finite numbers, got [${low}, ${high}]`);
  }
  if (low > high) throw new InvalidDistributionError(name, `low (${low}) is greater than high (${high}); swap them`);
}

/**
 * Samplers draw `low + u * (high - low)`: when the width overflows to Infinity (e.g. ±1e308) every
 * draw is ±Infinity or a bound. Refused when suggested, naming the parameter, not at tell time.
 */
function checkWidth(name: string, low: number, high: number): void {
  if (Number.isFinite(high - low)) return;
  throw new InvalidDistributionError(
    name,
    `the range [${low}, ${high}] is wider than the largest number (high - low overflows to Infinity); narrow it (e.g. [${low / 2}, ${high / 2}]) or use log: true on a positive range`,
  );
}

/** The number of values a distribution can take (Infinity for a continuous float range). */
export function cardinality(d: Distribution): number {
  switch (d.kind) {
    case 'categorical':
      return d.choices.length;
    case 'int':
      return Math.floor((d.high - d.low) / d.step) + 1;
    case 'float':
      return d.step === null ? (d.low === d.high ? 1 : Infinity) : Math.round((d.high - d.low) / d.step) + 1;
  }
}

export function isSingle(d: Distribution): boolean {
  return cardinality(d) === 1;
}

export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const index = indexOfChoice(d, value);
    if (index < 0) throw new RangeError(`${canonicalJson(value)} is not one of the choices ${canonicalJson(d.choices)}`);
    return index;
  }
  if (typeof value !== 'number') throw new RangeError(`expected a number for a ${d.kind} parameter, got ${canonicalJson(value)}`);
  return value;
}

export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === 'categorical') {
    const choice = d.choices[internal];
    if (choice === undefined) throw new RangeError(`choice index ${internal} is out of range for ${d.choices.length} choices`);
    return choice;
  }
  return internal;
}

export function indexOfChoice(d: CategoricalDistribution, value: ParamValue): number {
  if (value === null || typeof value !== 'object') return d.choices.indexOf(value);
  const key = canonicalJson(value);
  return d.choices.findIndex((c) => c !== null && typeof c === 'object' && canonicalJson(c) === key);
}

/** Whether an internal value lies in the distribution (on its grid, for stepped ranges). */
export function contains(d: Distribution, internal: number): boolean {
  if (!Number.isFinite(internal)) return false;
  switch (d.kind) {
    case 'categorical':
      return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
    case 'int':
      return Number.isInteger(internal) && internal >= d.low && internal <= d.high && (internal - d.low) % d.step === 0;
    case 'float': {
      if (internal < d.low || internal > d.high) return false;
      if (d.step === null) return true;
      const k = (internal - d.low) / d.step;
      return Math.abs(k - Math.round(k)) <= STEP_EPS * Math.max(1, Math.abs(k));
    }
  }
}

/** Snap a number onto the distribution: clip into range, round to the step grid or to an integer. */
export function snap(d: FloatDistribution | IntDistribution, x: number): number {
  let v = Math.min(d.high, Math.max(d.low, x));
  if (d.kind === 'int') {
    v = d.low + Math.round((v - d.low) / d.step) * d.step;
    return Math.min(d.high, Math.max(d.low, v));
  }
  if (d.step !== null) {
    const k = Math.round((v - d.low) / d.step);
    // Rebuild from low + k*step, then fix float noise, so stepped values print as the user wrote them.
    v = Number((d.low + k * d.step).toPrecision(15));
    v = Math.min(d.high, Math.max(d.low, v));
  }
  return v;
}

export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'categorical') return canonicalJson(a.choices) === canonicalJson((b as CategoricalDistribution).choices);
  const c = b as FloatDistribution | IntDistribution;
  return a.low === c.low && a.high === c.high && a.log === c.log && a.step === c.step;
}

/**
 * Across trials a parameter may change its range (dynamic search spaces), but not its kind,
 * and a categorical parameter must keep its choices: otherwise stored indices would change meaning.
 */
export function checkCompatible(name: string, previous: Distribution, next: Distribution): void {
  if (previous.kind !== next.kind) {
    throw new DistributionConflictError(name, `it was suggested as ${previous.kind} in an earlier trial and as ${next.kind} now; use a new name for the new parameter`);
  }
  if (previous.kind === 'categorical' && !distributionsEqual(previous, next)) {
    throw new DistributionConflictError(
      name,
      `its choices changed from ${canonicalJson(previous.choices)} to ${canonicalJson((next as CategoricalDistribution).choices)}; categorical choices must stay the same within a study — use a new name`,
    );
  }
}

export function describeDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'categorical':
      return `categorical ${canonicalJson(d.choices)}`;
    case 'int':
    case 'float':
      return `${d.kind} [${d.low}, ${d.high}]${d.log ? ' log' : ''}${d.step !== null && !(d.kind === 'int' && d.step === 1) ? ` step ${d.step}` : ''}`;
  }
}
