import type { Sampler } from '../sampler.js';
import { RandomSampler } from './random.js';

/** The sampler a study gets when none is given (optionally seeded, e.g. by tune()). */
export function defaultSampler(options: { readonly seed?: number } = {}): Sampler {
  return new RandomSampler(options);
}
