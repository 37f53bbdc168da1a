import { InvalidOptionError } from '../../../errors.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { StudyView } from '../../../trial/view.js';
import { Rng } from '../../../util/rng.js';
import type { Distribution } from '../../../trial/distributions.js';
import type { Sampler } from '../../sampler.js';
import { fromUnit } from '../from-unit.js';
import { intersectionSearchSpace } from '../intersection.js';
import { sampleUniform } from '../sample-uniform.js';
import { HaltonSequence } from './halton.js';
import { SOBOL_MAX_DIM, SobolSequence } from './sobol.js';

export interface QMCSamplerOptions {
  /** Seed of the scrambling (and of the independent draws). */
  readonly seed?: number;
  /** 'sobol' (default) or 'halton'. */
  readonly qmcType?: 'sobol' | 'halton';
  /**
   * Randomise the sequence (Sobol: linear matrix scrambling and a digital shift; Halton: random
   * digit permutations). Default true; Optuna's default is false, which gives every seed the
   * same points.
   */
  readonly scramble?: boolean;
}

interface PointSource {
  point(index: number): Float64Array;
}

/**
 * Quasi-Monte Carlo sampling, as Optuna's QMCSampler: the parameters every finished trial shares
 * are filled from one low-discrepancy sequence, so a few dozen trials cover the space evenly
 * (space-filling designs, or start-up trials for a model-based sampler). Trial n takes point n
 * of the sequence, computed directly from n: parallel workers, resumed studies and trials told in
 * any order all get the same points. Before the first trial completes, and for parameters outside
 * that shared space, values are drawn uniformly at random.
 */
export class QMCSampler implements Sampler {
  readonly seed: number;
  readonly qmcType: 'sobol' | 'halton';
  readonly scramble: boolean;
  readonly #sequences = new Map<number, PointSource>();

  constructor(options: QMCSamplerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError("QMCSampler(options): expected an object such as { seed: 1, qmcType: 'sobol' }");
    this.seed = options.seed ?? Rng.entropySeed();
    if (!Number.isFinite(this.seed)) throw new InvalidOptionError(`QMCSampler seed must be a finite number, got ${String(options.seed)}`);
    const type = options.qmcType ?? 'sobol';
    if (type !== 'sobol' && type !== 'halton') throw new InvalidOptionError(`QMCSampler qmcType must be 'sobol' or 'halton', got ${JSON.stringify(type)}`);
    this.qmcType = type;
    const scramble = options.scramble ?? true;
    if (typeof scramble !== 'boolean') throw new InvalidOptionError(`QMCSampler scramble must be true or false, got ${String(scramble)}`);
    this.scramble = scramble;
  }

  inferRelativeSearchSpace(study: StudyView): Readonly<Record<string, Distribution>> {
    return intersectionSearchSpace(study);
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: Readonly<Record<string, Distribution>>): Readonly<Record<string, number>> {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const u = this.#sequence(names.length).point(trial.number);
    const out: Record<string, number> = {};
    names.forEach((name, i) => {
      out[name] = fromUnit(searchSpace[name] as Distribution, u[i] as number);
    });
    return out;
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    return sampleUniform(distribution, Rng.derive(this.seed, trial.number, name));
  }

  /** The sequence for a space of `dim` parameters; a pure function of seed, type and dim. */
  #sequence(dim: number): PointSource {
    let seq = this.#sequences.get(dim);
    if (seq === undefined) {
      // Beyond the Sobol table's dimensions, Halton (which has no such limit) takes over.
      seq = this.qmcType === 'sobol' && dim <= SOBOL_MAX_DIM ? new SobolSequence(dim, { scramble: this.scramble, seed: this.seed }) : new HaltonSequence(dim, { scramble: this.scramble, seed: this.seed });
      this.#sequences.set(dim, seq);
    }
    return seq;
  }
}
