import { InvalidOptionError } from '../../../errors.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { StudyView } from '../../../trial/view.js';
import type { JsonValue } from '../../../util/json.js';
import { Rng } from '../../../util/rng.js';
import { describeDistribution, type Distribution } from '../../../trial/distributions.js';
import type { Sampler } from '../../sampler.js';
import { GPSearchSpace } from '../gp/search-space.js';
import { intersectionSearchSpace } from '../intersection.js';
import { sampleUniform } from '../sample-uniform.js';
import { CMA } from './cma.js';
import { Margin, type DiscreteAxis } from './margin.js';

export interface CmaEsSamplerOptions {
  /** Seed of every random draw; the same seed and history give the same trials. */
  readonly seed?: number;
  /** Initial step size in the unit cube every parameter is mapped to. Default 1/6 (Optuna's min range / 6). */
  readonly sigma0?: number;
  /** Population size λ of the first run. Default 4 + ⌊3 ln n⌋. */
  readonly popsize?: number;
  /** 'ipop' (default): when a run stops, restart from a random mean with twice the population. 'none': never restart. */
  readonly restartStrategy?: 'ipop' | 'none';
  /** Population growth per IPOP restart. Default 2. */
  readonly incPopsize?: number;
  /**
   * CMA-ES with margin on integer and stepped parameters (the `cmaes` package's CMAwM): each keeps a floor on
   * the chance of trying a value next to the current one, so a grid dimension does not freeze once σ is small.
   * Default false (plain samples rounded, as Optuna's default): measured here it is not a free win. On a
   * 2-float, 4-integer problem it matched plain CMA-ES (12 of 20 seeds solved at 200 trials against 13),
   * and on an ill-conditioned integer ellipsoid it was worse (5 of 20 against 13 at 600 trials; Optuna 3.1's
   * own margin variant was worse there too). Turn it on when an integer freezes on a wrong value.
   */
  readonly withMargin?: boolean;
}

/** System attribute on each trial CMA-ES proposed: [search-space key, restart, generation]. */
export const CMA_KEY = 'cma:generation';

interface Run {
  key: string;
  restart: number;
  cma: CMA;
  /** The margin state on the grid dimensions, when withMargin and the space has any. */
  margin: Margin | undefined;
  /** Trials already told, by number. */
  told: Set<number>;
}

/**
 * CMA-ES as Optuna's CmaEsSampler over the `cmaes` package: the parameters every finished trial
 * shares (floats and integers; log ranges in log space) are mapped to the unit cube and sampled
 * jointly from the evolving normal distribution, one generation of λ trials at a time, with IPOP
 * restarts when a run stops. Integers are rounded after sampling (Optuna's default), or with
 * `withMargin: true` kept moving by CMA-ES with margin (the `cmaes` package's CMAwM). Categorical parameters, one-dimensional spaces, the first trial and several objectives
 * are sampled independently at random (a warning says so once for categorical parameters).
 *
 * Stateless: each trial is tagged with its (restart, generation); the distribution is rebuilt by
 * replaying the tagged COMPLETE trials generation by generation (memoised per study view), so a
 * resumed or distributed study continues the same run.
 */
export class CmaEsSampler implements Sampler {
  readonly seed: number;
  readonly sigma0: number;
  readonly popsize: number | undefined;
  readonly restartStrategy: 'ipop' | 'none';
  readonly incPopsize: number;
  readonly withMargin: boolean;
  readonly #runs = new WeakMap<StudyView, Run>();
  #warnedCategorical = false;

  constructor(options: CmaEsSamplerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('CmaEsSampler(options): expected an object such as { seed: 1 }');
    this.seed = options.seed ?? Rng.entropySeed();
    if (!Number.isFinite(this.seed)) throw new InvalidOptionError(`CmaEsSampler seed must be a finite number, got ${String(options.seed)}`);
    this.sigma0 = options.sigma0 ?? 1 / 6;
    if (typeof this.sigma0 !== 'number' || !(this.sigma0 > 0) || !Number.isFinite(this.sigma0)) {
      throw new InvalidOptionError(`CmaEsSampler sigma0 must be a positive number (a step in the unit cube, e.g. 1/6), got ${String(options.sigma0)}`);
    }
    if (options.popsize !== undefined && (!Number.isInteger(options.popsize) || options.popsize < 2)) {
      throw new InvalidOptionError(`CmaEsSampler popsize must be a whole number >= 2, got ${String(options.popsize)}`);
    }
    this.popsize = options.popsize;
    const restart = options.restartStrategy ?? 'ipop';
    if (restart !== 'ipop' && restart !== 'none') throw new InvalidOptionError(`CmaEsSampler restartStrategy must be 'ipop' or 'none', got ${JSON.stringify(restart)}`);
    this.restartStrategy = restart;
    this.incPopsize = options.incPopsize ?? 2;
    if (!Number.isInteger(this.incPopsize) || this.incPopsize < 1) throw new InvalidOptionError(`CmaEsSampler incPopsize must be a whole number >= 1, got ${String(options.incPopsize)}`);
    this.withMargin = options.withMargin ?? false;
    if (typeof this.withMargin !== 'boolean') throw new InvalidOptionError(`CmaEsSampler withMargin must be true or false, got ${JSON.stringify(options.withMargin)}`);
  }

  inferRelativeSearchSpace(study: StudyView): Readonly<Record<string, Distribution>> {
    if (study.directions.length !== 1) return {};
    const space: Record<string, Distribution> = {};
    let categorical: string | undefined;
    for (const [name, d] of Object.entries(intersectionSearchSpace(study))) {
      if (d.kind === 'categorical') categorical ??= name;
      else space[name] = d;
    }
    if (categorical !== undefined && !this.#warnedCategorical) {
      this.#warnedCategorical = true;
      process.emitWarning(`CmaEsSampler samples categorical parameters (here ${JSON.stringify(categorical)}) independently at random; use TPESampler or GPSampler to model them`, { code: 'TUNELAB_CMAES_CATEGORICAL' });
    }
    // The cmaes package needs at least two dimensions, as Optuna's sampler does.
    return Object.keys(space).length >= 2 ? space : {};
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> | void {
    const space = this.inferRelativeSearchSpace(study);
    if (Object.keys(space).length === 0) return;
    const run = this.#run(study, space);
    return { [CMA_KEY]: [run.key, run.restart, run.cma.generation] };
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Readonly<Record<string, Distribution>>): Readonly<Record<string, number>> {
    if (Object.keys(searchSpace).length === 0) return {};
    const run = this.#run(study, searchSpace);
    const tag = trial.systemAttrs[CMA_KEY];
    if (!Array.isArray(tag) || tag[0] !== run.key) return {};
    const [, restart, generation] = tag as [string, number, number];
    const index = generationIndex(study, run.key, restart, generation, trial.number);
    const norm = new GPSearchSpace(searchSpace);
    return norm.toParams(this.#draw(run, norm, restart, generation, index).evaluated);
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    return sampleUniform(distribution, Rng.derive(this.seed, trial.number, name));
  }

  /**
   * The point of the index-th trial of a generation: raw is what the distribution drew (and is told
   * back), evaluated is raw moved into the cube and, with margin, onto the grids. A pure function of
   * the run's state and the seed, so the replay in #run draws the same points again.
   */
  #draw(run: Run, norm: GPSearchSpace, restart: number, generation: number, index: number): { raw: Float64Array; evaluated: Float64Array } {
    const rng = Rng.derive(this.seed, 'cma', run.key, restart, generation, index);
    const n = run.cma.dim;
    const margin = run.margin;
    // Only continuous coordinates need to land in the cube: with margin a grid coordinate is encoded
    // to a grid value wherever it falls.
    const checked = margin === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(norm.continuous);
    const feasible = (x: Float64Array): boolean => checked.every((i) => (x[i] as number) >= 0 && (x[i] as number) <= 1);
    let x = run.cma.sample(Float64Array.from({ length: n }, () => rng.normal()));
    for (let tries = 0; tries < 100 && !feasible(x); tries++) x = run.cma.sample(Float64Array.from({ length: n }, () => rng.normal()));
    if (margin === undefined) {
      x = x.map((v) => Math.min(1, Math.max(0, v)));
      return { raw: x, evaluated: x };
    }
    for (const i of norm.continuous) x[i] = Math.min(1, Math.max(0, x[i] as number));
    return { raw: x, evaluated: margin.encode(x, run.cma.mean) };
  }

  /** The current run, brought up to date by telling every complete generation since the last call. */
  #run(study: StudyView, space: Readonly<Record<string, Distribution>>): Run {
    // A short key of the space, stored with every trial: a changed space starts a new run.
    const key = Rng.derive(0, Object.entries(space).map(([name, d]) => `${name}:${describeDistribution(d)}`).join('|')).nextUint32().toString(36);
    let run = this.#runs.get(study);
    if (run === undefined || run.key !== key) {
      const cma = this.#newCma(key, 0, Object.keys(space).length);
      run = { key, restart: 0, cma, margin: this.#newMargin(space, cma), told: new Set() };
      this.#runs.set(study, run);
    }
    const norm = new GPSearchSpace(space);
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    for (;;) {
      const members: FrozenTrial[] = [];
      for (const t of study.finishedTrials) {
        if (t.state !== 'COMPLETE' || run.told.has(t.number)) continue;
        const tag = t.systemAttrs[CMA_KEY];
        if (Array.isArray(tag) && tag[0] === key && tag[1] === run.restart && tag[2] === run.cma.generation) members.push(t);
        if (members.length === run.cma.populationSize) break;
      }
      if (members.length < run.cma.populationSize) return run;
      const told = run.margin === undefined ? members.map((t) => normalized(norm, t)) : this.#rawPoints(study, run, norm, members);
      run.cma.tell(
        members.map((t, k) => {
          run!.told.add(t.number);
          return { x: told[k] as Float64Array, value: sign * (t.value as number) };
        }),
      );
      run.margin?.correct(run.cma);
      if (this.restartStrategy === 'ipop' && run.cma.shouldStop()) {
        run.restart++;
        run.cma = this.#newCma(key, run.restart, norm.dim);
        run.margin = this.#newMargin(space, run.cma);
      }
    }
  }

  /**
   * With margin, a generation is told the raw points it drew, not the rounded ones it evaluated (the
   * margin's encoding is not invertible): each is drawn again from the same state and seed. A trial
   * whose parameters are not that draw's (enqueued or fixed by the user) is told its own point instead.
   */
  #rawPoints(study: StudyView, run: Run, norm: GPSearchSpace, members: readonly FrozenTrial[]): Float64Array[] {
    return members.map((t) => {
      const index = generationIndex(study, run.key, run.restart, run.cma.generation, t.number);
      const { raw, evaluated } = this.#draw(run, norm, run.restart, run.cma.generation, index);
      const drawn = norm.toParams(evaluated);
      return norm.names.every((name) => drawn[name] === t.internalParams[name]) ? raw : normalized(norm, t);
    });
  }

  #newCma(key: string, restart: number, dim: number): CMA {
    const base = this.popsize ?? 4 + Math.floor(3 * Math.log(dim));
    // The first run starts at the centre; each IPOP restart from a random mean, with a larger population.
    const rng = Rng.derive(this.seed, 'cma-restart', key, restart);
    const mean = restart === 0 ? new Float64Array(dim).fill(0.5) : Float64Array.from({ length: dim }, () => rng.next());
    return new CMA(mean, this.sigma0, { populationSize: base * this.incPopsize ** restart });
  }

  /** The margin over the space's grid dimensions (integers, stepped floats with two values or more), if any. */
  #newMargin(space: Readonly<Record<string, Distribution>>, cma: CMA): Margin | undefined {
    if (!this.withMargin) return undefined;
    const norm = new GPSearchSpace(space);
    const axes: DiscreteAxis[] = [];
    norm.distributions.forEach((d, i) => {
      if (d.kind === 'categorical') return;
      const step = d.step ?? 0;
      if (step <= 0) return;
      const count = Math.round((d.high - d.low) / step) + 1;
      // Thresholds halfway between values, in value space: the same cells snap() rounds to.
      if (count >= 2) axes.push({ index: i, count, value: (k) => norm.normalize(i, d.low + k * step), threshold: (k) => norm.normalize(i, d.low + (k + 0.5) * step) });
    });
    return axes.length === 0 ? undefined : new Margin(cma.dim, cma.populationSize, axes);
  }
}

/** A trial's index in its generation: how many trials before it carry the same (key, restart, generation) tag. */
function generationIndex(study: StudyView, key: string, restart: number, generation: number, number: number): number {
  let index = 0;
  for (const t of study.trials) {
    if (t.number >= number) break;
    const tag = t.systemAttrs[CMA_KEY];
    if (Array.isArray(tag) && tag[0] === key && tag[1] === restart && tag[2] === generation) index++;
  }
  return index;
}

function normalized(norm: GPSearchSpace, t: FrozenTrial): Float64Array {
  const x = new Float64Array(norm.dim);
  norm.normalizePoint(t.internalParams, x, 0);
  return x;
}
