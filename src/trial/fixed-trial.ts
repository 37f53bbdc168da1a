import {
  categoricalDistribution,
  contains,
  describeDistribution,
  floatDistribution,
  intDistribution,
  toInternal,
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
  type RangeOptions,
} from './distributions.js';
import { InvalidOptionError } from '../errors.js';
import type { JsonValue } from '../util/json.js';
import type { Trial } from './trial.js';
import { inspect } from 'node:util';
import { shortValue } from '../util/short-text.js';

/**
 * A trial whose suggestions come from given params (as Optuna's FixedTrial): run an objective
 * once with known values, e.g. to rebuild the best trial's model. Reports are kept, never pruned.
 */
export class FixedTrial implements Trial {
  readonly number: number;
  readonly #given: Readonly<Record<string, ParamValue>>;
  readonly #params: Record<string, ParamValue> = {};
  readonly #distributions: Record<string, Distribution> = {};
  readonly #userAttrs: Record<string, JsonValue> = {};
  readonly intermediateValues: Record<number, number> = {};

  constructor(params: Readonly<Record<string, ParamValue>>, number = 0) {
    this.#given = params;
    this.number = number;
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return { ...this.#params };
  }

  [inspect.custom](): string {
    return `FixedTrial #${this.number} ${shortValue(this.#given)}`;
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return { ...this.#distributions };
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...this.#userAttrs };
  }

  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.#take(name, floatDistribution(name, low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.#take(name, intDistribution(name, low, high, options)) as number;
  }

  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.#take(name, categoricalDistribution(name, choices)) as T;
  }

  report(value: number, step: number): void {
    if (!(step in this.intermediateValues)) this.intermediateValues[step] = value;
  }

  shouldPrune(): boolean {
    return false;
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.#userAttrs[key] = value;
  }

  #take(name: string, distribution: Distribution): ParamValue {
    if (!(name in this.#given)) {
      throw new InvalidOptionError(`FixedTrial: the objective suggested '${name}', which the given params do not have (${Object.keys(this.#given).join(', ') || 'none'})`);
    }
    const value = this.#given[name] as ParamValue;
    let fits = true;
    try {
      fits = contains(distribution, toInternal(distribution, value));
    } catch {
      fits = false;
    }
    if (!fits) throw new InvalidOptionError(`FixedTrial: value ${JSON.stringify(value)} of '${name}' does not fit ${describeDistribution(distribution)}`);
    this.#params[name] = value;
    this.#distributions[name] = distribution;
    return value;
  }
}
