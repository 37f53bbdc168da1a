import type { Rng } from '../../../util/rng.js';
import { logGaussMass, normLogPdf, truncnormPpf } from './truncnorm.js';

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
  // Per dimension and kernel, the log normaliser that does not depend on x.
  readonly #logNorm: (Float64Array | undefined)[];

  constructor(weights: Float64Array, dims: readonly KernelBatch[]) {
    this.weights = weights;
    this.dims = dims;
    const k = weights.length;
    this.#cumulative = new Float64Array(k);
    let total = 0;
    for (let i = 0; i < k; i++) {
      total += weights[i] as number;
      this.#cumulative[i] = total;
    }
    this.#logNorm = dims.map((d) => {
      if (d.kind === 'categorical') return undefined;
      const out = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        const mu = d.mu[i] as number;
        const sigma = d.sigma[i] as number;
        const lo = d.kind === 'discrete' ? d.low - d.step / 2 : d.low;
        const hi = d.kind === 'discrete' ? d.high + d.step / 2 : d.high;
        const logMass = logGaussMass((lo - mu) / sigma, (hi - mu) / sigma);
        // A continuous density also divides by sigma; a discrete cell mass does not.
        out[i] = d.kind === 'continuous' ? logMass + Math.log(sigma) : logMass;
      }
      return out;
    });
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
    const n = x[0]?.length ?? 0;
    const k = this.weights.length;
    const acc = new Float64Array(n * k);
    for (let c = 0; c < k; c++) {
      const lw = Math.log(this.weights[c] as number);
      for (let s = 0; s < n; s++) acc[s * k + c] = lw;
    }
    for (let j = 0; j < this.dims.length; j++) {
      const d = this.dims[j] as KernelBatch;
      const xs = x[j] as Float64Array;
      const logNorm = this.#logNorm[j];
      for (let s = 0; s < n; s++) {
        const xv = xs[s] as number;
        const row = s * k;
        for (let c = 0; c < k; c++) acc[row + c] = (acc[row + c] as number) + kernelLogPdf(d, c, xv, logNorm);
      }
    }
    const out = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      let max = -Infinity;
      const row = s * k;
      for (let c = 0; c < k; c++) if ((acc[row + c] as number) > max) max = acc[row + c] as number;
      if (max === -Infinity) {
        out[s] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp((acc[row + c] as number) - max);
      out[s] = max + Math.log(sum);
    }
    return out;
  }
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

function kernelLogPdf(d: KernelBatch, k: number, x: number, logNorm: Float64Array | undefined): number {
  if (d.kind === 'categorical') return Math.log(d.probs[k * d.nChoices + x] as number);
  const mu = d.mu[k] as number;
  const sigma = d.sigma[k] as number;
  const norm = logNorm?.[k] as number;
  if (d.kind === 'continuous') return x < d.low || x > d.high ? -Infinity : normLogPdf((x - mu) / sigma) - norm;
  // The mass the rounded normal gives to the grid cell of x.
  const lower = Math.max(x - d.step / 2, d.low - d.step / 2);
  const upper = Math.min(x + d.step / 2, d.high + d.step / 2);
  return logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - norm;
}
