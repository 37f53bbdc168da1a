import type { Rng } from '../../../util/rng.js';
import { logGaussMass, truncnormPpf } from './truncnorm.js';

/**
 * One dimension of a mixture: a batch of kernels, one per mixture component.
 * - continuous: normals N(mu[k], sigma[k]²) truncated to [low, high];
 * - discrete: the same normals on [low - step/2, high + step/2], rounded to the grid low + i·step;
 * - categorical: a probability row over the choices per component (row-major, rows sum to 1).
 */
export type KernelBatch =
  | { readonly kind: 'continuous'; readonly mu: Float64Array; readonly sigma: Float64Array; readonly low: number; readonly high: number }
  | { readonly kind: 'discrete'; readonly mu: Float64Array; readonly sigma: Float64Array; readonly low: number; readonly high: number; readonly step: number }
  | { readonly kind: 'categorical'; readonly nChoices: number; readonly probs: Float64Array };

/**
 * A mixture of product distributions: component k has weight w[k] and, in each dimension,
 * the k-th kernel of that dimension's batch. Sampling picks one component per draw and
 * samples every dimension from it, so dimensions stay correlated (multivariate TPE).
 */
export class Mixture {
  readonly weights: Float64Array;
  readonly dims: readonly KernelBatch[];
  readonly #cumulative: Float64Array;
  readonly #logWeights: Float64Array;
  // Per dimension, what the density needs that does not depend on x: for normals 1/sigma and
  // the log normaliser (log mass of the truncation interval, plus log(sigma√2π) for densities);
  // for categoricals the log probabilities.
  readonly #prepared: Prepared[];

  /**
   * @param legacyScoring evaluate continuous kernels without their 1/sigma factor, as Optuna
   *   3.1–3.4 did (its truncated-normal logpdf omitted log(scale)); sampling is unaffected.
   */
  constructor(weights: Float64Array, dims: readonly KernelBatch[], legacyScoring = false) {
    this.weights = weights;
    this.dims = dims;
    const k = weights.length;
    this.#cumulative = new Float64Array(k);
    this.#logWeights = new Float64Array(k);
    let total = 0;
    for (let i = 0; i < k; i++) {
      total += weights[i] as number;
      this.#cumulative[i] = total;
      this.#logWeights[i] = Math.log(weights[i] as number);
    }
    this.#prepared = dims.map((d) => prepare(d, k, legacyScoring));
  }

  get nComponents(): number {
    return this.weights.length;
  }

  #pickComponent(u: number): number {
    const cum = this.#cumulative;
    const target = u * (cum[cum.length - 1] as number);
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** `size` draws; the result holds one array per dimension. */
  sample(rng: Rng, size: number): Float64Array[] {
    const out = this.dims.map(() => new Float64Array(size));
    for (let s = 0; s < size; s++) {
      const k = this.#pickComponent(rng.next());
      for (let j = 0; j < this.dims.length; j++) {
        (out[j] as Float64Array)[s] = sampleKernel(this.dims[j] as KernelBatch, k, rng);
      }
    }
    return out;
  }

  /** log density (log mass for discrete and categorical dimensions) of each point. */
  logPdf(x: readonly Float64Array[]): Float64Array {
    const only = this.dims[0];
    if (this.dims.length === 1 && only?.kind === 'continuous') return this.#logPdfContinuous1d(only, this.#prepared[0] as Prepared, x[0] as Float64Array);
    const n = x[0]?.length ?? 0;
    const k = this.weights.length;
    const out = new Float64Array(n);
    // One row of per-component log terms, reused for every point: memory stays O(components).
    const row = new Float64Array(k);
    for (let s = 0; s < n; s++) {
      row.set(this.#logWeights);
      let possible = true;
      for (let j = 0; j < this.dims.length && possible; j++) {
        possible = addLogTerms(this.dims[j] as KernelBatch, this.#prepared[j] as Prepared, (x[j] as Float64Array)[s] as number, row);
      }
      out[s] = possible ? logSumExp(row) : -Infinity;
    }
    return out;
  }

  /**
   * The common case of univariate TPE on a float: one fused pass per point over the kernels
   * (log weight and normaliser folded into one constant), then the exp pass.
   */
  #logPdfContinuous1d(d: Extract<KernelBatch, { kind: 'continuous' }>, p: Prepared, xs: Float64Array): Float64Array {
    const k = this.weights.length;
    const constant = new Float64Array(k);
    const logNorm = p.logNorm as Float64Array;
    for (let c = 0; c < k; c++) constant[c] = (this.#logWeights[c] as number) - (logNorm[c] as number);
    const mu = d.mu;
    const invSigma = p.invSigma as Float64Array;
    const row = new Float64Array(k);
    const out = new Float64Array(xs.length);
    for (let s = 0; s < xs.length; s++) {
      const x = xs[s] as number;
      if (x < d.low || x > d.high) {
        out[s] = -Infinity;
        continue;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        const z = (x - (mu[c] as number)) * (invSigma[c] as number);
        const v = (constant[c] as number) - 0.5 * z * z;
        row[c] = v;
        if (v > max) max = v;
      }
      out[s] = sumExpFromMax(row, max);
    }
    return out;
  }
}

interface Prepared {
  readonly invSigma?: Float64Array;
  readonly logNorm?: Float64Array;
  readonly logProbs?: Float64Array;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function prepare(d: KernelBatch, k: number, legacyScoring: boolean): Prepared {
  if (d.kind === 'categorical') return { logProbs: d.probs.map(Math.log) };
  const buffer = new Float64Array(2 * k);
  const invSigma = buffer.subarray(0, k);
  const logNorm = buffer.subarray(k);
  const lo = d.kind === 'discrete' ? d.low - d.step / 2 : d.low;
  const hi = d.kind === 'discrete' ? d.high + d.step / 2 : d.high;
  for (let i = 0; i < k; i++) {
    const mu = d.mu[i] as number;
    const sigma = d.sigma[i] as number;
    invSigma[i] = 1 / sigma;
    const logMass = logGaussMass((lo - mu) / sigma, (hi - mu) / sigma);
    // A continuous density also divides by sigma√2π; a discrete cell mass does not.
    logNorm[i] = d.kind === 'continuous' ? logMass + (legacyScoring ? 0 : Math.log(sigma)) + LOG_SQRT_2PI : logMass;
  }
  return { invSigma, logNorm };
}

/** Adds each component's log density of x in one dimension to `row`; false if x is outside the support. */
function addLogTerms(d: KernelBatch, p: Prepared, x: number, row: Float64Array): boolean {
  const k = row.length;
  if (d.kind === 'categorical') {
    const logProbs = p.logProbs as Float64Array;
    const nc = d.nChoices;
    for (let c = 0; c < k; c++) row[c] = (row[c] as number) + (logProbs[c * nc + x] as number);
    return true;
  }
  if (x < d.low || x > d.high) return false;
  const mu = d.mu;
  const invSigma = p.invSigma as Float64Array;
  const logNorm = p.logNorm as Float64Array;
  if (d.kind === 'continuous') {
    for (let c = 0; c < k; c++) {
      const z = (x - (mu[c] as number)) * (invSigma[c] as number);
      row[c] = (row[c] as number) - 0.5 * z * z - (logNorm[c] as number);
    }
    return true;
  }
  // The mass the rounded normal gives to the grid cell of x.
  const lower = Math.max(x - d.step / 2, d.low - d.step / 2);
  const upper = Math.min(x + d.step / 2, d.high + d.step / 2);
  for (let c = 0; c < k; c++) {
    const m = mu[c] as number;
    const inv = invSigma[c] as number;
    row[c] = (row[c] as number) + logGaussMass((lower - m) * inv, (upper - m) * inv) - (logNorm[c] as number);
  }
  return true;
}

function logSumExp(row: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < row.length; c++) if ((row[c] as number) > max) max = row[c] as number;
  return sumExpFromMax(row, max);
}

/** log Σ exp(row), given the row's maximum. */
function sumExpFromMax(row: Float64Array, max: number): number {
  if (max === -Infinity) return -Infinity;
  // Terms more than 40 nats below the largest add under 1e-17 relative: skip their exp,
  // which is most of them when many narrow kernels sit far from the point.
  const cutoff = max - 40;
  let sum = 0;
  for (let c = 0; c < row.length; c++) {
    const v = row[c] as number;
    if (v > cutoff) sum += Math.exp(v - max);
  }
  return max + Math.log(sum);
}

function sampleKernel(d: KernelBatch, k: number, rng: Rng): number {
  if (d.kind === 'categorical') {
    const u = rng.next();
    const row = k * d.nChoices;
    let cum = 0;
    for (let i = 0; i < d.nChoices - 1; i++) {
      cum += d.probs[row + i] as number;
      if (u < cum) return i;
    }
    return d.nChoices - 1;
  }
  const mu = d.mu[k] as number;
  const sigma = d.sigma[k] as number;
  const lo = d.kind === 'discrete' ? d.low - d.step / 2 : d.low;
  const hi = d.kind === 'discrete' ? d.high + d.step / 2 : d.high;
  const x = truncnormPpf(rng.next(), (lo - mu) / sigma, (hi - mu) / sigma) * sigma + mu;
  if (d.kind === 'continuous') return x < d.low ? d.low : x > d.high ? d.high : x;
  const v = d.low + Math.round((x - d.low) / d.step) * d.step;
  return v < d.low ? d.low : v > d.high ? d.high : v;
}
