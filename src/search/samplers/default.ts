import type { Sampler } from '../sampler.js';
import { TPESampler } from './tpe/sampler.js';

/** The sampler a study gets when none is given: TPE, as in Optuna (optionally seeded, e.g. by tune()). */
export function defaultSampler(options: { readonly seed?: number } = {}): Sampler {
  return new TPESampler(options);
}
