import type { Sampler } from '../sampler.js';
import { AutoSampler } from './auto/sampler.js';

/**
 * The sampler a study gets when none is given: AutoSampler (optionally seeded, e.g. by tune()),
 * which picks the Gaussian process, TPE or NSGA-II from the trials so far and says why in the
 * study summary. Optuna's default is TPE; a GP finds better values in the tens of trials a
 * TF.js model can afford, and hands over to TPE once its cost would show (see auto/choose.ts).
 */
export function defaultSampler(options: { readonly seed?: number } = {}): Sampler {
  return new AutoSampler(options);
}
