import type { Rng } from '../../../util/rng.js';
import { HaltonSequence } from '../qmc/halton.js';
import { SOBOL_MAX_DIM, SobolSequence } from '../qmc/sobol.js';
import type { Acquisition } from './acquisition.js';
import { goldenSectionMaximize } from './golden-section.js';
import { lbfgsb } from './lbfgsb.js';

export interface OptimizeAcquisitionOptions {
  /** Scrambled-Sobol candidates evaluated first. Default 2048 (Optuna's). */
  readonly nPreliminarySamples?: number;
  /** Local searches: the best candidate, roulette picks, and the warm starts. Default 10. */
  readonly nLocalSearch?: number;
  /** Tolerance of the local search (the gradient ascent stops at √tol). Default 1e-4. */
  readonly tol?: number;
  /** Extra starting points (e.g. the best trial's), normalised. */
  readonly warmStarts?: readonly Float64Array[];
}

/** Exhaustive search over a discrete dimension's values below this many; a line search above. */
const MAX_EXHAUSTIVE = 16;

/**
 * Maximises an acquisition as Optuna 4's optimize_acqf_mixed: evaluate a scrambled Sobol sweep,
 * start local searches from its best point, from roulette picks (probability ∝ exp(value − best))
 * and from the warm starts, and return the best point found. Each local search alternates a
 * bounded quasi-Newton ascent over the continuous dimensions (preconditioned by the length
 * scales) with a search over each discrete dimension, until nothing changes.
 */
export function optimizeAcquisition(acq: Acquisition, rng: Rng, options: OptimizeAcquisitionOptions = {}): { x: Float64Array; value: number } {
  const space = acq.space;
  const dim = space.dim;
  const nSamples = options.nPreliminarySamples ?? 2048;
  const nLocal = options.nLocalSearch ?? 10;
  const tol = options.tol ?? 1e-4;
  const warm = options.warmStarts ?? [];
  const seed = rng.nextUint32();
  const seq = dim <= SOBOL_MAX_DIM ? new SobolSequence(dim, { scramble: true, seed }) : new HaltonSequence(dim, { scramble: true, seed });
  const samples: Float64Array[] = [];
  const flat = new Float64Array(nSamples * dim);
  for (let i = 0; i < nSamples; i++) {
    const x = space.fromUnitCube(seq.point(i));
    samples.push(x);
    flat.set(x, i * dim);
  }
  const values = new Float64Array(nSamples);
  acq.values(flat, nSamples, values);
  let best = 0;
  for (let i = 1; i < nSamples; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  // Roulette picks without replacement, the best sample excluded (it is always a start).
  const weights = new Float64Array(nSamples);
  let nonZero = 0;
  for (let i = 0; i < nSamples; i++) {
    weights[i] = i === best ? 0 : Math.exp((values[i] as number) - (values[best] as number));
    if ((weights[i] as number) > 0) nonZero++;
  }
  const starts: Float64Array[] = [Float64Array.from(samples[best] as Float64Array)];
  const nExtra = Math.min(nLocal - warm.length - 1, nonZero);
  for (let k = 0; k < nExtra; k++) {
    const i = rng.choice(weights);
    weights[i] = 0;
    starts.push(Float64Array.from(samples[i] as Float64Array));
  }
  for (const w of warm) starts.push(Float64Array.from(w));
  let bestX = starts[0] as Float64Array;
  let bestValue = -Infinity;
  // The grids of the discrete dimensions, built once for every local search.
  const choices = Array.from(space.discrete, (i) => space.choices(i));
  const xtols = choices.map((grid) => {
    // A quarter of the smallest spacing: finer steps cannot reach another grid value.
    let minGap = Infinity;
    for (let k = 1; k < grid.length; k++) minGap = Math.min(minGap, (grid[k] as number) - (grid[k - 1] as number));
    return minGap / 4;
  });
  for (const start of starts) {
    const r = localSearch(acq, start, tol, choices, xtols);
    if (r.value > bestValue) {
      bestValue = r.value;
      bestX = r.x;
    }
  }
  return { x: bestX, value: bestValue };
}

const CONTINUOUS = -1;

function localSearch(acq: Acquisition, x0: Float64Array, tol: number, choices: readonly Float64Array[], xtols: readonly number[], maxIter = 100): { x: Float64Array; value: number } {
  const space = acq.space;
  const x = Float64Array.from(x0);
  let value = acq.value(x);
  let lastChanged = CONTINUOUS;
  for (let iter = 0; iter < maxIter; iter++) {
    const ascended = gradientAscent(acq, x, value, tol);
    if (ascended > value) {
      value = ascended;
      lastChanged = CONTINUOUS;
    }
    for (let j = 0; j < space.discrete.length; j++) {
      const i = space.discrete[j] as number;
      // A full round through the dimensions without a change since this one changed: converged.
      if (lastChanged === i) return { x, value };
      const improved = discreteSearch(acq, x, value, i, choices[j] as Float64Array, xtols[j] as number);
      if (improved > value) {
        value = improved;
        lastChanged = i;
      }
    }
    if (lastChanged === CONTINUOUS) return { x, value };
  }
  return { x, value };
}

/** Bounded quasi-Newton ascent over the continuous dimensions, in place; returns the new value. */
function gradientAscent(acq: Acquisition, x: Float64Array, value: number, tol: number): number {
  const cont = acq.space.continuous;
  const m = cont.length;
  if (m === 0) return value;
  const scales = Float64Array.from(cont, (i) => acq.lengthScales[i] as number);
  // Optimise z = x / ℓ on [0, 1/ℓ]: the acquisition is a function of x/ℓ, so z is better conditioned.
  const z0 = Float64Array.from(cont, (i, j) => (x[i] as number) / (scales[j] as number));
  const upper = Float64Array.from(scales, (s) => 1 / s);
  const trial = Float64Array.from(x);
  const g = new Float64Array(m);
  const res = lbfgsb(
    (z, grad) => {
      for (let j = 0; j < m; j++) trial[cont[j] as number] = (z[j] as number) * (scales[j] as number);
      const v = acq.valueAndGrad(trial, g);
      for (let j = 0; j < m; j++) grad[j] = -(g[j] as number) * (scales[j] as number);
      return -v;
    },
    z0,
    { lower: new Float64Array(m), upper, pgtol: Math.sqrt(tol), maxIter: 200 },
  );
  const found = -res.f;
  if (res.nit > 0 && found > value) {
    for (let j = 0; j < m; j++) x[cont[j] as number] = (res.x[j] as number) * (scales[j] as number);
    return found;
  }
  return value;
}

/** Search one discrete dimension, in place; returns the new value (the old one if nothing beat it). */
function discreteSearch(acq: Acquisition, x: Float64Array, value: number, i: number, grid: Float64Array, xtol: number): number {
  if (grid.length <= 1) return value;
  const current = x[i] as number;
  if (acq.space.isCategorical[i] || grid.length <= MAX_EXHAUSTIVE) {
    let bestValue = value;
    let bestChoice = current;
    for (const c of grid) {
      if (c === current) continue;
      x[i] = c;
      const v = acq.value(x);
      if (v > bestValue) {
        bestValue = v;
        bestChoice = c;
      }
    }
    x[i] = bestChoice;
    return bestValue;
  }
  return lineSearch(acq, x, value, i, grid, xtol);
}

/**
 * Golden-section search over the piecewise-linear interpolation of the acquisition between grid
 * values (Optuna runs Brent's method on the same interpolation), down to a quarter of the
 * smallest grid spacing; the nearest grid value is taken if it beats the current one.
 */
function lineSearch(acq: Acquisition, x: Float64Array, value: number, i: number, grid: Float64Array, xtol: number): number {
  const current = x[i] as number;
  const cache = new Map<number, number>();
  const nearest = (u: number): number => {
    let lo = 0;
    let hi = grid.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((grid[mid] as number) <= u) lo = mid;
      else hi = mid;
    }
    return Math.abs(u - (grid[lo] as number)) <= Math.abs(u - (grid[hi] as number)) ? lo : hi;
  };
  const currentIndex = nearest(current);
  cache.set(currentIndex, value);
  const at = (k: number): number => {
    let v = cache.get(k);
    if (v === undefined) {
      x[i] = grid[k] as number;
      v = acq.value(x);
      x[i] = current;
      cache.set(k, v);
    }
    return v;
  };
  const interpolated = (u: number): number => {
    // The first grid value ≥ u (at least index 1), by bisection: grids can hold many values.
    let lo = 1;
    let hi = grid.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((grid[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    const right = lo;
    const left = right - 1;
    const w = ((grid[right] as number) - u) / ((grid[right] as number) - (grid[left] as number));
    return w * at(left) + (1 - w) * at(right);
  };
  const [a, b] = goldenSectionMaximize(interpolated, grid[0] as number, grid[grid.length - 1] as number, xtol);
  // The interpolation is maximised at a grid value; compare the ends of the final bracket too.
  let bestK = nearest((a + b) / 2);
  for (const k of [nearest(a), nearest(b)]) if (at(k) > at(bestK)) bestK = k;
  const found = at(bestK);
  if (bestK !== currentIndex && found > value) {
    x[i] = grid[bestK] as number;
    return found;
  }
  x[i] = current;
  return value;
}
