import type { Sampler } from '../sampler.js';
import { RandomSampler } from './random.js';

/** The sampler a study gets when none is given. */
export function defaultSampler(): Sampler {
  return new RandomSampler();
}
