import { InvalidOptionError } from '../errors.js';
import type { CategoricalChoice, ParamValue, RangeOptions } from '../trial/distributions.js';
import type { Trial } from '../trial/trial.js';
import { suggestTraining } from './families/common.js';
import { getModelFamily } from './families/registry.js';
import type { InputShape } from './families/types.js';

/**
 * A change to one parameter of a family's default search space:
 * - a new range: `{ low: 16, high: 64 }` (and `log`, `step` if you like),
 * - a fixed value: `0.2`, `'adam'` (kept as a one-choice parameter, so it shows in the trials),
 * - a list of choices: `['adam', 'sgd']`, `[16, 32, 64]` (replaces the default range or choices).
 */
export type ParamOverride = ParamValue | { readonly low?: number; readonly high?: number; readonly log?: boolean; readonly step?: number } | readonly CategoricalChoice[];
export type SpaceOverrides = Readonly<Record<string, ParamOverride>>;

function isRange(o: ParamOverride): o is { readonly low?: number; readonly high?: number; readonly log?: boolean; readonly step?: number } {
  return typeof o === 'object' && o !== null && !Array.isArray(o);
}

/** The trial as the family sees it: suggestions named in `overrides` take the changed range, value or choices. */
export function withOverrides(trial: Trial, overrides: SpaceOverrides | undefined): Trial {
  if (overrides === undefined || Object.keys(overrides).length === 0) return trial;
  const range = (kind: 'suggestFloat' | 'suggestInt') => (name: string, low: number, high: number, options?: RangeOptions): number | CategoricalChoice => {
    const o = overrides[name];
    if (o === undefined) return trial[kind](name, low, high, options);
    if (Array.isArray(o)) return trial.suggestCategorical(name, o);
    if (isRange(o)) {
      const log = o.log ?? options?.log;
      const step = o.step ?? options?.step;
      return trial[kind](name, o.low ?? low, o.high ?? high, { ...(log !== undefined && { log }), ...(step !== undefined && { step }) });
    }
    return trial.suggestCategorical(name, [o as CategoricalChoice]);
  };
  return new Proxy(trial, {
    get(target, prop, receiver) {
      if (prop === 'suggestFloat') return range('suggestFloat');
      if (prop === 'suggestInt') return range('suggestInt');
      if (prop === 'suggestCategorical') {
        return (name: string, choices: readonly CategoricalChoice[]) => {
          const o = overrides[name];
          if (o === undefined) return target.suggestCategorical(name, choices);
          if (Array.isArray(o)) return target.suggestCategorical(name, o);
          if (isRange(o)) throw new InvalidOptionError(`tune().space(): '${name}' is a choice among ${JSON.stringify(choices)}; give a value or a list of choices, not a range`);
          return target.suggestCategorical(name, [o as CategoricalChoice]);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The parameter names a family suggests (training ones included), found by a dry run of its space. */
export function familyParamNames(family: string, shape: InputShape): string[] {
  const names = new Set<string>();
  const probe = {
    number: 0,
    params: {},
    distributions: {},
    userAttrs: {},
    suggestFloat: (name: string, low: number) => (names.add(name), low),
    suggestInt: (name: string, low: number) => (names.add(name), low),
    suggestCategorical: (name: string, choices: readonly CategoricalChoice[]) => (names.add(name), choices[0]),
    report: () => undefined,
    shouldPrune: () => false,
    setUserAttr: () => undefined,
  } as unknown as Trial;
  suggestTraining(probe, shape);
  getModelFamily(family).space(probe, shape);
  return [...names];
}

/** Checks overrides up front: known parameter names, sensible values. */
export function checkOverrides(family: string, overrides: SpaceOverrides, shape: InputShape): void {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new InvalidOptionError(`tune().space('${family}', overrides): expected { param: range | value | choices }, e.g. { units: { low: 16, high: 64 }, dropout: 0 }`);
  }
  const known = familyParamNames(family, shape);
  for (const [name, o] of Object.entries(overrides)) {
    if (!known.includes(name)) throw new InvalidOptionError(`tune().space('${family}'): '${name}' is not a parameter of ${family}; its parameters are ${known.join(', ')}`);
    if (Array.isArray(o) && o.length === 0) throw new InvalidOptionError(`tune().space('${family}'): '${name}' needs at least one choice`);
    if (isRange(o)) {
      for (const k of ['low', 'high'] as const) {
        if (o[k] !== undefined && !Number.isFinite(o[k])) throw new InvalidOptionError(`tune().space('${family}'): '${name}'.${k} must be a finite number, got ${String(o[k])}`);
      }
      if (o.low !== undefined && o.high !== undefined && o.low > o.high) throw new InvalidOptionError(`tune().space('${family}'): '${name}' has low ${o.low} > high ${o.high}`);
    }
  }
}
