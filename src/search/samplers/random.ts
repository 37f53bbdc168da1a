import type { Distribution } from '../../trial/distributions.js';
import type { Sampler } from '../sampler.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';
import { Rng } from '../../util/rng.js';
import { sampleUniform } from './sample-uniform.js';

// Nothing is sampled jointly; one shared empty record instead of a new one per trial.
const NOTHING: Readonly<Record<string, never>> = Object.freeze({});

export interface RandomSamplerOptions {
  readonly seed?: number;
}

/**
 * Independent uniform sampling. Each (trial, parameter) pair draws from its own seeded stream,
 * so the same seed gives the same values whatever order trials run or resume in.
 */
export class RandomSampler implements Sampler {
  readonly seed: number;

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = options.seed ?? Rng.entropySeed();
  }

  inferRelativeSearchSpace(): Readonly<Record<string, Distribution>> {
    return NOTHING;
  }

  sampleRelative(): Readonly<Record<string, number>> {
    return NOTHING;
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    return sampleUniform(distribution, Rng.derive(this.seed, trial.number, name));
  }
}
