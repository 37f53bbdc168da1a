import { InvalidOptionError } from '../../../errors.js';
import type { CategoricalChoice, CategoricalDistribution, Distribution } from '../../../trial/distributions.js';
import type { Rng } from '../../../util/rng.js';
import { Mixture, type KernelBatch } from './mixture.js';
import { callWeights } from './weights.js';

export interface ParzenEstimatorParameters {
  /** Weight of the prior kernel (the wide one centred on the range), > 0. */
  readonly priorWeight: number;
  /** Bound the smallest bandwidth to range / min(100, n + 2). */
  readonly considerMagicClip: boolean;
  /** Let the outermost observations' bandwidths reach to the range's ends. */
  readonly considerEndpoints: boolean;
  /** Multivariate bandwidth (Scott's rule style) instead of the neighbour-gap rule. */
  readonly multivariate: boolean;
  /** Weights of n observations, oldest first. */
  readonly weights: (n: number) => ArrayLike<number>;
  /** Score with continuous kernels not divided by their bandwidth, as Optuna 3.1–3.4 (see TPESamplerOptions). */
  readonly legacyScoring?: boolean;
  /** Distances between the choices of categorical parameters, by parameter name (Optuna ≥ 3.4). */
  readonly categoricalDistance?: Readonly<Record<string, CategoricalDistanceFunc>> | undefined;
}

/** Distance between two choices of a categorical parameter: 0 for the same choice, larger for less alike ones. */
export type CategoricalDistanceFunc = (a: CategoricalChoice, b: CategoricalChoice) => number;

export interface SpaceEntry {
  readonly name: string;
  readonly distribution: Distribution;
}

const EPS = 1e-12;

function isLog(d: Distribution): boolean {
  return d.kind !== 'categorical' && d.log;
}

/**
 * A Parzen estimator (kernel density) over a search space, fitted to observations given in
 * internal representation. Numerical parameters are modelled in the transformed space (log for
 * log ranges); log-scaled integers as a continuous range widened by half a step each side,
 * other stepped ranges as discretised normals; categorical parameters as smoothed frequencies.
 * A prior kernel keeps some mass everywhere.
 */
export class ParzenEstimator {
  readonly space: readonly SpaceEntry[];
  readonly mixture: Mixture;

  /**
   * @param observations one array per space entry, all of the same length n, internal values.
   * @param fixedWeights weights of the n observations instead of `parameters.weights` (MOTPE).
   */
  constructor(observations: readonly Float64Array[], space: readonly SpaceEntry[], parameters: ParzenEstimatorParameters, fixedWeights?: Float64Array) {
    this.space = space;
    const n = observations[0]?.length ?? 0;
    const w = fixedWeights ?? callWeights(parameters.weights, n);
    let weights: Float64Array;
    if (n === 0) {
      weights = new Float64Array([1]);
    } else {
      weights = new Float64Array(n + 1);
      weights.set(w.subarray(0, n));
      weights[n] = parameters.priorWeight;
    }
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / total;
    const dims = space.map((entry, j) => kernelsFor(entry.name, transform(entry.distribution, observations[j] as Float64Array), entry.distribution, space.length, parameters));
    this.mixture = new Mixture(weights, dims, parameters.legacyScoring ?? false);
  }

  /** `size` draws in internal representation (integers rounded onto their grid). */
  sample(rng: Rng, size: number): Float64Array[] {
    const raw = this.mixture.sample(rng, size);
    return raw.map((xs, j) => untransform((this.space[j] as SpaceEntry).distribution, xs));
  }

  /** log density of points given in internal representation. */
  logPdf(samples: readonly Float64Array[]): Float64Array {
    return this.mixture.logPdf(samples.map((xs, j) => transform((this.space[j] as SpaceEntry).distribution, xs)));
  }
}

function transform(d: Distribution, xs: Float64Array): Float64Array {
  if (!isLog(d)) return xs;
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = Math.log(xs[i] as number);
  return out;
}

function untransform(d: Distribution, xs: Float64Array): Float64Array {
  if (d.kind === 'categorical') return xs;
  const out = isLog(d) ? xs.map(Math.exp) : xs;
  if (d.kind === 'int') {
    for (let i = 0; i < out.length; i++) {
      const v = d.low + Math.round(((out[i] as number) - d.low) / d.step) * d.step;
      out[i] = Math.min(d.high, Math.max(d.low, v));
    }
  }
  return out;
}

function kernelsFor(name: string, obs: Float64Array, d: Distribution, nDims: number, parameters: ParzenEstimatorParameters): KernelBatch {
  if (d.kind === 'categorical') {
    const distance = parameters.categoricalDistance?.[name];
    return distance === undefined ? categoricalKernels(obs, d.choices.length, parameters.priorWeight) : distanceKernels(obs, name, d, distance, parameters.priorWeight);
  }
  let low = d.low;
  let high = d.high;
  let step: number | null = d.step;
  if (d.log) {
    // A log-scaled integer: a continuous range in log space, widened so each integer owns a cell.
    low = Math.log(d.low - (step ?? 0) / 2);
    high = Math.log(d.high + (step ?? 0) / 2);
    step = null;
  }
  return numericalKernels(obs, low, high, step, nDims, parameters);
}

function categoricalKernels(obs: Float64Array, nChoices: number, priorWeight: number): KernelBatch {
  const n = obs.length;
  if (n === 0) return { kind: 'categorical', nChoices, probs: new Float64Array(nChoices).fill(1 / nChoices) };
  const nKernels = n + 1;
  const probs = new Float64Array(nKernels * nChoices).fill(priorWeight / nKernels);
  for (let i = 0; i < n; i++) {
    const idx = i * nChoices + (obs[i] as number);
    probs[idx] = (probs[idx] as number) + 1;
  }
  for (let k = 0; k < nKernels; k++) {
    let sum = 0;
    for (let c = 0; c < nChoices; c++) sum += probs[k * nChoices + c] as number;
    for (let c = 0; c < nChoices; c++) probs[k * nChoices + c] = (probs[k * nChoices + c] as number) / sum;
  }
  return { kind: 'categorical', nChoices, probs };
}

/**
 * Categorical kernels that spread an observation's mass onto the choices near it (Optuna ≥ 3.4's
 * categorical_distance_func): choice c gets exp(-(d(obs, c) / max_c d(obs, c))² · k), with
 * k = ln(n_kernels / prior weight) · ln(n_choices) / ln 6, so kernels sharpen as observations
 * accumulate. The prior kernel stays uniform.
 */
function distanceKernels(obs: Float64Array, name: string, d: CategoricalDistribution, distance: CategoricalDistanceFunc, priorWeight: number): KernelBatch {
  const n = obs.length;
  const nChoices = d.choices.length;
  if (n === 0) return { kind: 'categorical', nChoices, probs: new Float64Array(nChoices).fill(1 / nChoices) };
  const nKernels = n + 1;
  const coef = (Math.log(nKernels / priorWeight) * Math.log(nChoices)) / Math.log(6);
  // One row per distinct observed choice: the distance function is the user's and may be slow.
  const rows = new Map<number, Float64Array>();
  const probs = new Float64Array(nKernels * nChoices);
  for (let i = 0; i < n; i++) {
    const observed = obs[i] as number;
    let row = rows.get(observed);
    if (row === undefined) {
      row = distanceRow(name, d.choices, observed, distance, coef);
      rows.set(observed, row);
    }
    probs.set(row, i * nChoices);
  }
  probs.fill(1 / nChoices, n * nChoices);
  return { kind: 'categorical', nChoices, probs };
}

function distanceRow(name: string, choices: readonly CategoricalChoice[], observed: number, distance: CategoricalDistanceFunc, coef: number): Float64Array {
  const from = choices[observed] as CategoricalChoice;
  const dists = choices.map((to) => {
    const v = distance(from, to);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidOptionError(
        `TPESampler categoricalDistanceFunc.${name} returned ${String(v)} for (${JSON.stringify(from)}, ${JSON.stringify(to)}); return a finite number >= 0 (0 for the same choice)`,
      );
    }
    return v;
  });
  const max = Math.max(...dists);
  const row = new Float64Array(choices.length);
  let sum = 0;
  for (let c = 0; c < row.length; c++) {
    // Every choice at distance 0 from this one: no choice is nearer than another.
    const w = max === 0 ? 1 : Math.exp(-(((dists[c] as number) / max) ** 2) * coef);
    row[c] = w;
    sum += w;
  }
  for (let c = 0; c < row.length; c++) row[c] = (row[c] as number) / sum;
  return row;
}

function numericalKernels(obs: Float64Array, low: number, high: number, step: number | null, nDims: number, parameters: ParzenEstimatorParameters): KernelBatch {
  const n = obs.length;
  const stepOr0 = step ?? 0;
  const width = high - low + stepOr0;
  const priorMu = 0.5 * (low + high);
  // mu and sigma share one allocation.
  const buffer = new Float64Array(2 * (n + 1));
  const mu = buffer.subarray(0, n + 1);
  const sigmas = buffer.subarray(n + 1);
  if (parameters.multivariate) {
    sigmas.fill(0.2 * Math.max(n, 1) ** (-1 / (nDims + 4)) * width);
  } else {
    neighbourGapSigmas(obs, priorMu, low - stepOr0 / 2, high + stepOr0 / 2, parameters.considerEndpoints, sigmas);
  }
  const maxSigma = width;
  const minSigma = parameters.considerMagicClip ? width / Math.min(100, 1 + n + 1) : EPS;
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i] as number));
  mu.set(obs);
  mu[n] = priorMu;
  sigmas[n] = width;
  return step === null ? { kind: 'continuous', mu, sigma: sigmas, low, high } : { kind: 'discrete', mu, sigma: sigmas, low, high, step };
}

/**
 * Each kernel's bandwidth is the larger gap to its neighbours among the observations and the
 * prior's centre, with the range's ends as outer neighbours — unless considerEndpoints is off,
 * in which case the outermost points use their inner gap only.
 */
function neighbourGapSigmas(obs: Float64Array, priorMu: number, lowEnd: number, highEnd: number, considerEndpoints: boolean, out: Float64Array): void {
  const n = obs.length;
  const m = n + 1;
  const { sorted, sortedSigmas, usedAt } = scratch(m);
  // Native numeric sort of the values (a comparator sort of indices costs several times more).
  sorted[0] = lowEnd;
  sorted.set(obs, 1);
  sorted[m] = priorMu;
  sorted.subarray(1, m + 1).sort();
  sorted[m + 1] = highEnd;
  for (let i = 0; i < m; i++) {
    const left = (sorted[i + 1] as number) - (sorted[i] as number);
    const right = (sorted[i + 2] as number) - (sorted[i + 1] as number);
    sortedSigmas[i] = Math.max(left, right);
  }
  if (!considerEndpoints && m + 2 >= 4) {
    sortedSigmas[0] = (sorted[2] as number) - (sorted[1] as number);
    sortedSigmas[m - 1] = (sorted[m] as number) - (sorted[m - 1] as number);
  }
  // Back to input order: equal values take consecutive sorted slots in input order, the prior
  // (last input) after the observations it ties with.
  usedAt.fill(0, 0, m);
  for (let i = 0; i < m; i++) {
    const v = i < n ? (obs[i] as number) : priorMu;
    let lo = 1;
    let hi = m + 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo - 1;
    const slot = first + (usedAt[first] as number);
    usedAt[first] = (usedAt[first] as number) + 1;
    out[i] = sortedSigmas[slot] as number;
  }
}

// Temporaries of neighbourGapSigmas, grown as needed and reused: sampling is synchronous and
// never re-entered, and allocating fresh typed arrays per trial was a large share of its cost.
let scratchSorted = new Float64Array(0);
let scratchSigmas = new Float64Array(0);
let scratchUsed = new Uint32Array(0);
function scratch(m: number): { sorted: Float64Array; sortedSigmas: Float64Array; usedAt: Uint32Array } {
  if (scratchSorted.length < m + 2) {
    const size = Math.max(m + 2, scratchSorted.length * 2);
    scratchSorted = new Float64Array(size);
    scratchSigmas = new Float64Array(size);
    scratchUsed = new Uint32Array(size);
  }
  return { sorted: scratchSorted.subarray(0, m + 2), sortedSigmas: scratchSigmas, usedAt: scratchUsed };
}
