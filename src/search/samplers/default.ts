import type { Sampler } from '../sampler.js';
import { TPESampler } from './tpe/sampler.js';

/** The sampler a study gets when none is given: TPE, as in Optuna. */
export function defaultSampler(): Sampler {
  return new TPESampler();
}
