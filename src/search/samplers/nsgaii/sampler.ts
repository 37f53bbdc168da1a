import { InvalidOptionError } from '../../../errors.js';
import { CONSTRAINTS_KEY, checkConstraintValues } from '../../../trial/constraints.js';
import type { Distribution } from '../../../trial/distributions.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { StudyView } from '../../../trial/view.js';
import type { JsonValue } from '../../../util/json.js';
import { Rng } from '../../../util/rng.js';
import type { Sampler } from '../../sampler.js';
import { intersectionSearchSpace } from '../intersection.js';
import { sampleUniform } from '../sample-uniform.js';
import { GPSearchSpace } from '../gp/search-space.js';
import type { Crossover } from './crossovers.js';
import { constrainedDominance, paretoDominance, selectElite, type Dominance } from './elite.js';

export interface NSGAIISamplerOptions {
  /** Trials per generation. Default 50 (Optuna's); at least 2. */
  readonly populationSize?: number;
  /** Chance that each parameter of a child is drawn afresh at random. Default 1 / (number of parameters). */
  readonly mutationProb?: number;
  /** Chance that a child is a crossover of two parents rather than a copy of one. Default 0.9. */
  readonly crossoverProb?: number;
  /** In a crossover, the chance that each parameter comes from the second parent. Default 0.5. */
  readonly swappingProb?: number;
  /**
   * How a child is made of its parents' numeric parameters: `new SBXCrossover()`, `VSBXCrossover`,
   * `BLXAlphaCrossover`, `SPXCrossover`, `UNDXCrossover` or `UniformCrossover` (each equal to Optuna's for
   * the same draws). Default: uniform crossover of all parameters with `swappingProb`. Categorical
   * parameters always cross uniformly; a child outside the range is redrawn from other parents.
   */
  readonly crossover?: Crossover;
  /** Seed of every random draw; the same seed and history give the same trials. */
  readonly seed?: number;
  /** Constraints of a COMPLETE trial (each ≤ 0 when satisfied), stored on it and used by constrained dominance. */
  readonly constraintsFunc?: (trial: FrozenTrial) => readonly number[];
}

/** System attribute on each trial NSGA-II proposed: its generation (0 is the random first one). */
export const NSGA_GENERATION_KEY = 'nsga2:generation';

interface Parents {
  readonly generation: number;
  readonly population: readonly FrozenTrial[];
}

/** Before the first full generation: children are drawn at random. */
const NO_PARENTS: Parents = { generation: -1, population: [] };

/**
 * NSGA-II (Deb et al. 2002) as Optuna's NSGAIISampler: generations of `populationSize` trials;
 * each child is a uniform crossover of two parents picked by binary tournament from the elite of
 * the last generation and its parents (non-dominated fronts, then crowding distance), and each
 * of its parameters mutates (is drawn at random) with probability `mutationProb`. Parameters
 * outside the shared search space, and all of generation 0, are drawn at random.
 *
 * Stateless: a trial stores its generation; the parents are rebuilt from the COMPLETE trials of
 * each generation (memoised per study view), so a resumed or distributed study continues the
 * same way. COMPLETE trials without a generation (proposed by another sampler before, as in
 * AutoSampler) count as generation 0, so a study that switches to NSGA-II starts from its best.
 */
export class NSGAIISampler implements Sampler {
  readonly seed: number;
  readonly populationSize: number;
  readonly mutationProb: number | undefined;
  readonly crossoverProb: number;
  readonly swappingProb: number;
  readonly crossover: Crossover | undefined;
  // declare: no own property unless constraintsFunc sets it, so the print form shows no `trialFinishing: undefined`.
  declare readonly trialFinishing?: (study: StudyView, trial: FrozenTrial) => Readonly<Record<string, JsonValue>> | void;
  readonly #constrained: boolean;
  /** Per study view: the elite of each (generation, members), and the parents as of the last count of finished trials. */
  readonly #memo = new WeakMap<StudyView, { elites: Map<string, readonly FrozenTrial[]>; finished: number; parents: Parents }>();

  constructor(options: NSGAIISamplerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('NSGAIISampler(options): expected an object such as { seed: 1 }');
    this.seed = options.seed ?? Rng.entropySeed();
    if (!Number.isFinite(this.seed)) throw new InvalidOptionError(`NSGAIISampler seed must be a finite number, got ${String(options.seed)}`);
    this.populationSize = options.populationSize ?? 50;
    if (!Number.isInteger(this.populationSize) || this.populationSize < 2) {
      throw new InvalidOptionError(`NSGAIISampler populationSize must be a whole number >= 2 (two parents per child), got ${String(options.populationSize)}`);
    }
    this.mutationProb = options.mutationProb === undefined ? undefined : probability('mutationProb', options.mutationProb);
    this.crossoverProb = probability('crossoverProb', options.crossoverProb ?? 0.9);
    this.swappingProb = probability('swappingProb', options.swappingProb ?? 0.5);
    const crossover = options.crossover;
    if (crossover !== undefined && (crossover === null || typeof crossover !== 'object' || typeof crossover.cross !== 'function' || !Number.isInteger(crossover.nParents) || crossover.nParents < 2)) {
      throw new InvalidOptionError('NSGAIISampler crossover must be a crossover object such as new SBXCrossover() (with cross() and nParents >= 2)');
    }
    if (crossover !== undefined && crossover.nParents > this.populationSize) {
      throw new InvalidOptionError(`NSGAIISampler populationSize (${this.populationSize}) must be at least the ${crossover.name} crossover's ${crossover.nParents} parents`);
    }
    this.crossover = crossover;
    const constraintsFunc = options.constraintsFunc;
    if (constraintsFunc !== undefined && typeof constraintsFunc !== 'function') {
      throw new InvalidOptionError('NSGAIISampler constraintsFunc must be a function of a finished trial returning numbers, each <= 0 when satisfied, e.g. (t) => [t.params.x + t.params.y - 10]');
    }
    this.#constrained = constraintsFunc !== undefined;
    if (constraintsFunc !== undefined) {
      this.trialFinishing = (_study, trial) => {
        if (trial.state !== 'COMPLETE') return;
        return { [CONSTRAINTS_KEY]: checkConstraintValues(constraintsFunc(trial), trial.number, 'NSGAIISampler') };
      };
    }
  }

  beforeTrial(study: StudyView): Readonly<Record<string, JsonValue>> {
    return { [NSGA_GENERATION_KEY]: this.#parents(study).generation + 1 };
  }

  inferRelativeSearchSpace(study: StudyView): Readonly<Record<string, Distribution>> {
    return intersectionSearchSpace(study);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Readonly<Record<string, Distribution>>): Readonly<Record<string, number>> {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const { generation, population } = this.#parents(study);
    if (generation < 0) return {};
    const rng = Rng.derive(this.seed, 'nsga2', trial.number);
    const better = this.#dominance(study);
    let child: Record<string, number>;
    if (rng.next() < this.crossoverProb) {
      if (this.crossover !== undefined) child = this.#cross(this.crossover, searchSpace, population, rng, better, study.directions.length > 1);
      else {
        const first = tournament(population, rng, better);
        const second = tournament(population.filter((t) => t !== first), rng, better);
        child = {};
        for (const name of names) child[name] = (rng.next() < this.swappingProb ? second : first).internalParams[name] as number;
      }
    } else {
      child = { ...(population[rng.int(population.length)] as FrozenTrial).internalParams };
    }
    const mutation = this.mutationProb ?? 1 / Math.max(1, names.length);
    const kept: Record<string, number> = {};
    // A parameter left out is mutated: the objective's suggest call draws it at random.
    for (const name of names) if (rng.next() >= mutation && child[name] !== undefined) kept[name] = child[name] as number;
    return kept;
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    return sampleUniform(distribution, Rng.derive(this.seed, trial.number, name));
  }

  /**
   * A child by `crossover` of parents picked by tournament, in the unit cube of the numeric parameters;
   * categorical ones from the first or last parent with `swappingProb`, as Optuna. A child with a
   * continuous coordinate outside the cube is made again from new parents (Optuna's rule), up to 100 times,
   * then clipped.
   */
  #cross(crossover: Crossover, space: Readonly<Record<string, Distribution>>, population: readonly FrozenTrial[], rng: Rng, better: Dominance, multiObjective: boolean): Record<string, number> {
    const norm = new GPSearchSpace(space);
    const numeric = Array.from({ length: norm.dim }, (_, i) => i).filter((i) => norm.isCategorical[i] === 0);
    const unstepped = new Set(norm.continuous);
    const full = new Float64Array(norm.dim);
    let parents: FrozenTrial[] = [];
    let point = new Float64Array(norm.dim);
    for (let attempt = 0; attempt < 100; attempt++) {
      parents = [];
      for (let k = 0; k < crossover.nParents; k++) parents.push(tournament(population.filter((t) => !parents.includes(t)), rng, better));
      const points = parents.map((p) => {
        norm.normalizePoint(p.internalParams, full, 0);
        return Float64Array.from(numeric, (i) => full[i] as number);
      });
      const child = numeric.length === 0 ? new Float64Array(0) : crossover.cross(points, rng, multiObjective);
      point = new Float64Array(norm.dim);
      numeric.forEach((i, k) => (point[i] = child[k] as number));
      if (numeric.every((i, k) => !unstepped.has(i) || ((child[k] as number) >= 0 && (child[k] as number) <= 1))) break;
    }
    const params = norm.toParams(point);
    const first = parents[0] as FrozenTrial;
    const last = parents[parents.length - 1] as FrozenTrial;
    norm.names.forEach((name, i) => {
      if (norm.isCategorical[i] === 1) params[name] = (rng.next() >= this.swappingProb ? last : first).internalParams[name] as number;
    });
    return params;
  }

  #dominance(study: StudyView): Dominance {
    return this.#constrained ? constrainedDominance(study.directions) : paretoDominance(study.directions);
  }

  /**
   * The newest full generation and its elite, the parents of the next: generation g is full once
   * it has `populationSize` COMPLETE trials, and its elite is chosen from them and the elite of g − 1.
   */
  #parents(study: StudyView): Parents {
    // beforeTrial and sampleRelative both ask, with no trial finished in between: compute once.
    let memo = this.#memo.get(study);
    if (memo === undefined) this.#memo.set(study, (memo = { elites: new Map(), finished: -1, parents: NO_PARENTS }));
    if (memo.finished !== study.finishedTrials.length) {
      memo.parents = this.#rebuildParents(study, memo.elites);
      memo.finished = study.finishedTrials.length;
    }
    return memo.parents;
  }

  #rebuildParents(study: StudyView, elites: Map<string, readonly FrozenTrial[]>): Parents {
    const byGeneration = new Map<number, FrozenTrial[]>();
    for (const t of study.finishedTrials) {
      if (t.state !== 'COMPLETE' || t.values === undefined) continue;
      const tag = t.systemAttrs[NSGA_GENERATION_KEY];
      const g = typeof tag === 'number' && Number.isInteger(tag) && tag >= 0 ? tag : 0;
      let members = byGeneration.get(g);
      if (members === undefined) byGeneration.set(g, (members = []));
      members.push(t);
    }
    const better = this.#dominance(study);
    let parents = NO_PARENTS;
    for (let g = 0; ; g++) {
      const members = byGeneration.get(g) ?? [];
      if (members.length < this.populationSize) return parents;
      // The elite depends only on which trials compete, so it is kept per (generation, members).
      const key = `${g}:${members.map((t) => t.number).join(',')}|${parents.population.map((t) => t.number).join(',')}`;
      let elite = elites.get(key);
      if (elite === undefined) {
        elite = selectElite([...members, ...parents.population], this.populationSize, better);
        elites.set(key, elite);
      }
      parents = { generation: g, population: elite };
    }
  }
}

/** Binary tournament: the first of two random picks if it dominates the second, else the second. */
function tournament(population: readonly FrozenTrial[], rng: Rng, better: Dominance): FrozenTrial {
  const a = population[rng.int(population.length)] as FrozenTrial;
  const b = population[rng.int(population.length)] as FrozenTrial;
  return better(a, b) ? a : b;
}

function probability(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidOptionError(`NSGAIISampler ${name} must be a probability between 0 and 1, got ${String(value)}`);
  }
  return value;
}
