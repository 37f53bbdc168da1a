import type { CategoricalChoice, Distribution, ParamValue, RangeOptions } from './distributions.js';
import type { JsonValue } from '../util/json.js';

/**
 * What an objective receives: define-by-run suggestions, intermediate reports and attributes.
 * Every method is synchronous, in the calling thread and in a worker alike.
 */
export interface Trial {
  /** 0, 1, 2, ... within the study. */
  readonly number: number;
  /** The values suggested so far (external: the chosen categorical value). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number;
  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number;
  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
  /** Records an intermediate objective value (e.g. the validation loss after `step` epochs). */
  report(value: number, step: number): void;
  /** Asks the study's pruner whether this trial should stop now; if so, throw `new TrialPruned()`. */
  shouldPrune(): boolean;
  setUserAttr(key: string, value: JsonValue): void;
}
