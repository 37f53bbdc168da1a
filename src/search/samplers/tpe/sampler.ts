import { InvalidOptionError } from '../../../errors.js';
import { checkConstraintValues, CONSTRAINTS_KEY } from '../../../trial/constraints.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { StudyView } from '../../../trial/view.js';
import type { JsonValue } from '../../../util/json.js';
import { Rng } from '../../../util/rng.js';
import { isSingle, snap, type Distribution } from '../../../trial/distributions.js';
import type { Sampler } from '../../sampler.js';
import { sampleUniform } from '../sample-uniform.js';
import { TrialHistory } from './history.js';
import { ParzenEstimator, type CategoricalDistanceFunc, type ParzenEstimatorParameters, type SpaceEntry } from './parzen-estimator.js';
import { goodTrialNumbers, goodTrialWeights } from './split.js';
import { defaultGamma, defaultWeights } from './weights.js';

export interface TPESamplerOptions {
  /** Seed of every random draw; the same seed and history give the same trials. */
  readonly seed?: number;
  /** Trials sampled at random before the model is used (COMPLETE and PRUNED ones count). Default 10. */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per sample; the one maximising l(x)/g(x) wins. Default 24. */
  readonly nEiCandidates?: number;
  /** Size of the good set for n finished trials. Default min(ceil(0.1·n), 25). */
  readonly gamma?: (n: number) => number;
  /** Weights of n observations, oldest first. Default: the newest 25 weigh 1, older ones ramp down. */
  readonly weights?: (n: number) => ArrayLike<number>;
  /** Weight of the prior kernel. Default 1. */
  readonly priorWeight?: number;
  /** Lower bound on kernel bandwidths (Optuna's "magic clip"). Default true. */
  readonly considerMagicClip?: boolean;
  /** Let the outermost kernels' bandwidths reach the range's ends. Default false. */
  readonly considerEndpoints?: boolean;
  /** Sample the parameters every trial shares jointly (multivariate TPE). Default false. */
  readonly multivariate?: boolean;
  /**
   * With multivariate: split the parameters into groups that always appear together (as Optuna's
   * `group`) and sample each group jointly, so conditional branches of a define-by-run space are
   * modelled jointly too instead of falling back to independent sampling. Default false.
   */
  readonly group?: boolean;
  /** Count trials still running (of other workers) as bad ones, so parallel trials spread out. Default true. */
  readonly constantLiar?: boolean;
  /**
   * Score candidates as Optuna 3.1–3.4 did: continuous kernels enter l(x) and g(x) without their
   * 1/bandwidth factor, so wide and narrow kernels peak equally high (Optuna 3.5 normalised them).
   * Default true: it matches the Optuna 3.1 this project compares against (acquisition equal to
   * 1e-15), and in bench/samplers it converged faster than the normalised scoring on every function
   * measured for univariate TPE, the held-back ones included. false gives Optuna ≥ 3.5's densities.
   */
  readonly legacyScoring?: boolean;
  /**
   * Constraints of a finished trial (COMPLETE or PRUNED), as Optuna's constraints_func: one number
   * per constraint, ≤ 0 when it is satisfied, e.g. `(t) => [t.params.x + t.params.y - 10]`.
   * They are stored on the trial (system attribute `constraints`); TPE then models feasible
   * trials as the good ones, and `study.bestTrial` and `bestTrials` pass over infeasible trials.
   */
  readonly constraintsFunc?: (trial: FrozenTrial) => readonly number[];
  /**
   * Distances between the choices of categorical parameters, by parameter name, as Optuna ≥ 3.4's
   * categorical_distance_func: a good choice then lends probability to the choices near it, e.g.
   * `{ units: (a, b) => Math.abs(Math.log2(a / b)) }` for units in [16, 32, 64, 128]. Other
   * categorical parameters keep Optuna 3.1's kernels.
   */
  readonly categoricalDistanceFunc?: Readonly<Record<string, CategoricalDistanceFunc>>;
}

const RELATIVE_SALT = '\u0000relative';

/**
 * Tree-structured Parzen Estimator, following Optuna's TPESampler: after `nStartupTrials`
 * random trials, the finished trials are split into a good set (the best gamma(n)) and a bad
 * set; a Parzen estimator is fitted to each, l(x) and g(x); `nEiCandidates` points are drawn
 * from l and the one with the largest l(x)/g(x) is proposed. Several objectives use MOTPE's split.
 *
 * Observations are kept incrementally per study view, so a sample costs one pass over typed
 * arrays, never a re-read of every past trial.
 */
export class TPESampler implements Sampler {
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  readonly group: boolean;
  readonly constantLiar: boolean;
  readonly #constraintsFunc: ((trial: FrozenTrial) => readonly number[]) | undefined;
  /**
   * Stores the constraints of a COMPLETE or PRUNED trial with its result (Optuna's after_trial).
   * Set only with a constraintsFunc, so other studies pay nothing per trial for it.
   */
  // declare: no own property unless constraintsFunc sets it, so the print form shows no `trialFinishing: undefined`.
  declare readonly trialFinishing?: (study: StudyView, trial: FrozenTrial) => Readonly<Record<string, JsonValue>> | void;
  readonly #gamma: (n: number) => number;
  readonly #parameters: ParzenEstimatorParameters;
  readonly #histories = new WeakMap<StudyView, TrialHistory>();

  constructor(options: TPESamplerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('TPESampler(options): expected an object such as { seed: 1 }');
    this.seed = options.seed ?? Rng.entropySeed();
    if (!Number.isFinite(this.seed)) throw new InvalidOptionError(`TPESampler seed must be a finite number, got ${String(options.seed)}`);
    this.nStartupTrials = wholeNumber('nStartupTrials', options.nStartupTrials ?? 10, 0);
    this.nEiCandidates = wholeNumber('nEiCandidates', options.nEiCandidates ?? 24, 1);
    const priorWeight = options.priorWeight ?? 1;
    if (typeof priorWeight !== 'number' || !Number.isFinite(priorWeight) || priorWeight <= 0) {
      throw new InvalidOptionError(`TPESampler priorWeight must be a positive number, got ${String(priorWeight)}`);
    }
    for (const key of ['gamma', 'weights', 'constraintsFunc'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') {
        throw new InvalidOptionError(`TPESampler ${key} must be a function${key === 'constraintsFunc' ? ' of the finished trial' : ' of the number of trials'}, got ${typeof options[key]}`);
      }
    }
    this.#gamma = options.gamma ?? defaultGamma;
    const constraintsFunc = options.constraintsFunc;
    this.#constraintsFunc = constraintsFunc;
    if (constraintsFunc !== undefined) {
      this.trialFinishing = (_study, trial) => {
        if (trial.state !== 'COMPLETE' && trial.state !== 'PRUNED') return;
        return { [CONSTRAINTS_KEY]: checkConstraintValues(constraintsFunc(trial), trial.number, 'TPESampler') };
      };
    }
    this.multivariate = flag('multivariate', options.multivariate, false);
    this.group = flag('group', options.group, false);
    if (this.group && !this.multivariate) {
      throw new InvalidOptionError('TPESampler group: true samples groups of parameters jointly and needs multivariate: true; pass { multivariate: true, group: true }');
    }
    this.constantLiar = flag('constantLiar', options.constantLiar, true);
    this.#parameters = {
      priorWeight,
      considerMagicClip: flag('considerMagicClip', options.considerMagicClip, true),
      considerEndpoints: flag('considerEndpoints', options.considerEndpoints, false),
      multivariate: this.multivariate,
      weights: options.weights ?? defaultWeights,
      legacyScoring: flag('legacyScoring', options.legacyScoring, true),
      categoricalDistance: distanceFuncs(options.categoricalDistanceFunc),
    };
  }

  inferRelativeSearchSpace(study: StudyView): Readonly<Record<string, Distribution>> {
    if (!this.multivariate) return {};
    const space: Record<string, Distribution> = {};
    if (this.group) {
      for (const group of this.#history(study).groups()) {
        for (const name of [...group.keys()].sort()) {
          const d = group.get(name) as Distribution;
          if (!isSingle(d)) space[name] = d;
        }
      }
      return space;
    }
    const shared = this.#history(study).intersectionSpace();
    for (const name of [...shared.keys()].sort()) {
      const d = shared.get(name) as Distribution;
      if (!isSingle(d)) space[name] = d;
    }
    return space;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Readonly<Record<string, Distribution>>): Readonly<Record<string, number>> {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const history = this.#history(study);
    if (history.size < this.nStartupTrials) return {};
    if (!this.group) {
      const entries = names.map((name) => ({ name, distribution: searchSpace[name] as Distribution }));
      return this.#sample(study, trial, entries, Rng.derive(this.seed, trial.number, RELATIVE_SALT));
    }
    // One joint model per group, each fitted to the trials that have that group's parameters.
    const out: Record<string, number> = {};
    for (const group of history.groups()) {
      const entries = [...group.keys()].sort().filter((name) => name in searchSpace).map((name) => ({ name, distribution: searchSpace[name] as Distribution }));
      if (entries.length === 0) continue;
      const rng = Rng.derive(this.seed, trial.number, RELATIVE_SALT, entries.map((e) => e.name).join('\u0000'));
      Object.assign(out, this.#sample(study, trial, entries, rng));
    }
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    if (isSingle(distribution)) return distribution.kind === 'categorical' ? 0 : distribution.low;
    const rng = Rng.derive(this.seed, trial.number, name);
    if (this.#history(study).size < this.nStartupTrials) return sampleUniform(distribution, rng);
    return this.#sample(study, trial, [{ name, distribution }], rng)[name] as number;
  }

  #history(study: StudyView): TrialHistory {
    let history = this.#histories.get(study);
    if (history === undefined) {
      history = new TrialHistory(study.directions, this.#constraintsFunc !== undefined);
      this.#histories.set(study, history);
    }
    history.sync(study);
    return history;
  }

  #nBelow(n: number): number {
    const g = this.#gamma(n);
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0) {
      throw new InvalidOptionError(`TPESampler gamma(${n}) returned ${String(g)}; it must return a whole number >= 0`);
    }
    return g;
  }

  #sample(study: StudyView, trial: FrozenTrial, entries: readonly SpaceEntry[], rng: Rng): Record<string, number> {
    const history = this.#history(study);
    const good = goodTrialNumbers(history, this.#nBelow(history.size));
    const { goodObs, goodNumbers, badObs } = this.#observations(study, trial, history, entries, good);

    const goodWeights = history.directions.length > 1 ? this.#motpeWeights(history, good, goodNumbers) : undefined;
    const l = new ParzenEstimator(goodObs, entries, this.#parameters, goodWeights);
    const g = new ParzenEstimator(badObs, entries, this.#parameters);

    const candidates = l.sample(rng, this.nEiCandidates);
    const logL = l.logPdf(candidates);
    const logG = g.logPdf(candidates);
    let best = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < this.nEiCandidates; i++) {
      const score = (logL[i] as number) - (logG[i] as number);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    const out: Record<string, number> = {};
    entries.forEach((e, j) => {
      const v = (candidates[j] as Float64Array)[best] as number;
      out[e.name] = e.distribution.kind === 'categorical' ? v : snap(e.distribution, v);
    });
    return out;
  }

  /** MOTPE weights over the whole good set, then kept for the trials that have the parameters (as Optuna). */
  #motpeWeights(history: TrialHistory, good: ReadonlySet<number>, withParams: readonly number[]): Float64Array {
    const all = [...good].sort((a, b) => a - b);
    const w = goodTrialWeights(history, all);
    const byNumber = new Map(all.map((n, i) => [n, w[i] as number]));
    return Float64Array.from(withParams, (n) => byNumber.get(n) as number);
  }

  /**
   * Observations of the entries' parameters from trials that have all of them, split into the
   * good and the bad set, each in trial-number order (weights age by it). With a constant liar,
   * other running trials join the bad set.
   */
  #observations(study: StudyView, trial: FrozenTrial, history: TrialHistory, entries: readonly SpaceEntry[], good: ReadonlySet<number>) {
    const columns = entries.map((e) => history.column(e.name));
    const numbers = history.numbers;
    const goodRows: number[] = [];
    const badRows: number[] = [];
    const single = columns.length === 1 ? columns[0] : undefined;
    if (single !== undefined) {
      for (let r = 0; r < numbers.length; r++) {
        if (!Number.isNaN(single[r] as number)) (good.has(numbers[r] as number) ? goodRows : badRows).push(r);
      }
    } else if (columns.length > 1 && columns.every((c) => c !== undefined)) {
      const cols = columns as Float64Array[];
      rows: for (let r = 0; r < numbers.length; r++) {
        for (const c of cols) if (Number.isNaN(c[r] as number)) continue rows;
        (good.has(numbers[r] as number) ? goodRows : badRows).push(r);
      }
    }
    const running: FrozenTrial[] = [];
    if (this.constantLiar) {
      for (const t of study.runningTrials()) {
        if (t.number !== trial.number && entries.every((e) => e.name in t.internalParams)) running.push(t);
      }
      running.sort((a, b) => a.number - b.number);
    }

    const goodBuffer = new Float64Array(entries.length * goodRows.length);
    const goodObs = entries.map((_, j) => goodBuffer.subarray(j * goodRows.length, (j + 1) * goodRows.length));
    goodRows.forEach((r, i) => columns.forEach((c, j) => ((goodObs[j] as Float64Array)[i] = (c as Float64Array)[r] as number)));
    const goodNumbers = goodRows.map((r) => numbers[r] as number);

    // Merge finished bad rows and running trials by trial number.
    const nBad = badRows.length + running.length;
    const badBuffer = new Float64Array(entries.length * nBad);
    const badObs = entries.map((_, j) => badBuffer.subarray(j * nBad, (j + 1) * nBad));
    let i = 0;
    let k = 0;
    for (let out = 0; out < nBad; out++) {
      const takeRow = k >= running.length || (i < badRows.length && (numbers[badRows[i] as number] as number) < (running[k] as FrozenTrial).number);
      if (takeRow) {
        const r = badRows[i++] as number;
        for (let j = 0; j < entries.length; j++) (badObs[j] as Float64Array)[out] = (columns[j] as Float64Array)[r] as number;
      } else {
        const t = running[k++] as FrozenTrial;
        for (let j = 0; j < entries.length; j++) (badObs[j] as Float64Array)[out] = t.internalParams[(entries[j] as SpaceEntry).name] as number;
      }
    }
    return { goodObs, goodNumbers, badObs };
  }
}

function wholeNumber(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`TPESampler ${name} must be a whole number >= ${min}, got ${String(value)}`);
  }
  return value;
}

function distanceFuncs(value: unknown): Readonly<Record<string, CategoricalDistanceFunc>> | undefined {
  if (value === undefined) return undefined;
  const example = 'e.g. { units: (a, b) => Math.abs(a - b) }';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(`TPESampler categoricalDistanceFunc must be an object of functions by parameter name, ${example}; got ${String(value)}`);
  }
  const funcs: Record<string, CategoricalDistanceFunc> = {};
  for (const [name, f] of Object.entries(value)) {
    if (typeof f !== 'function') throw new InvalidOptionError(`TPESampler categoricalDistanceFunc.${name} must be a function (a, b) => distance, ${example}; got ${typeof f}`);
    funcs[name] = f as CategoricalDistanceFunc;
  }
  return funcs;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(`TPESampler ${name} must be true or false, got ${String(value)}`);
  return value;
}
