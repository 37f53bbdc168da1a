import { ndtr, ndtriExp } from '../tpe/truncnorm.js';
import type { CMA } from './cma.js';

/**
 * The grid of one discrete dimension in CMA's coordinates, given as functions rather than arrays: an
 * integer range can hold 2^31 values.
 */
export interface DiscreteAxis {
  /** Index of the dimension in the CMA vector. */
  readonly index: number;
  /** How many values the dimension can take (at least two). */
  readonly count: number;
  /** The coordinate of value k, ascending in k. */
  value(k: number): number;
  /** The threshold between values k and k + 1 (k < count − 1): a coordinate above it encodes to k + 1 or more. */
  threshold(k: number): number;
}

/** An axis over explicit arrays of values and thresholds. */
export function axisOf(index: number, values: ArrayLike<number>, thresholds: ArrayLike<number>): DiscreteAxis {
  return { index, count: values.length, value: (k) => values[k] as number, threshold: (k) => thresholds[k] as number };
}

/** Φ⁻¹(1 − p) for 0 < p ≤ 1/2, which is √(χ²₁ quantile at 1 − 2p), the form the paper writes. */
function upperQuantile(p: number): number {
  return -ndtriExp(Math.log(p));
}

/**
 * CMA-ES with margin (Hamano et al., GECCO 2022), as the `cmaes` package's CMAwM: after each update, a
 * discrete dimension whose distribution has almost all its mass in one grid cell gets its mean moved or
 * its scale A widened so that at least `margin` of the mass lies outside that cell. Plain CMA-ES on
 * integers loses them: once σ is small every sample rounds to the same value and the dimension stops
 * moving; the margin keeps a floor on how often a neighbour is tried.
 *
 * The distribution's samples are kept raw (told back as they were drawn); `encode` maps a raw sample to
 * the grid through the affine map (x − m)·A + m, so the margin changes what is evaluated, not what is learnt.
 */
export class Margin {
  readonly margin: number;
  readonly axes: readonly DiscreteAxis[];
  /** Per-dimension scale of the encoding; 1 for continuous dimensions. */
  readonly A: Float64Array;

  constructor(dim: number, populationSize: number, axes: readonly DiscreteAxis[], margin?: number) {
    this.margin = margin ?? 1 / (dim * populationSize);
    if (!(this.margin > 0)) throw new RangeError(`margin must be positive, got ${this.margin}`);
    for (const axis of axes) if (!(axis.count >= 2)) throw new RangeError(`discrete axis ${axis.index} needs at least two values, got ${axis.count}`);
    this.axes = axes;
    this.A = new Float64Array(dim).fill(1);
  }

  /** The point to evaluate for a raw sample: each discrete coordinate moved onto its grid value. */
  encode(raw: Float64Array, mean: Float64Array): Float64Array {
    const out = Float64Array.from(raw);
    for (const axis of this.axes) {
      const m = mean[axis.index] as number;
      const x = ((raw[axis.index] as number) - m) * (this.A[axis.index] as number) + m;
      out[axis.index] = axis.value(cellOf(x, axis));
    }
    return out;
  }

  /** The margin correction, to call after every `cma.tell`: it changes `cma.mean` and `A` on discrete dimensions. */
  correct(cma: CMA): void {
    const { mean, sigma, C } = cma;
    const n = cma.dim;
    const margin = this.margin;
    for (const axis of this.axes) {
      const i = axis.index;
      const m = mean[i] as number;
      const a = this.A[i] as number;
      const cii = C[i * n + i] as number;
      // The thresholds either side of the mean; below the first or above the last, both are that one.
      const k = cellOf(m, axis);
      const last = axis.count - 2;
      const low = axis.threshold(Math.max(k - 1, 0));
      const up = axis.threshold(Math.min(k, last));
      const scale = sigma * a * Math.sqrt(cii);
      let lowCdf = ndtr((low - m) / scale);
      let upCdf = 1 - ndtr((up - m) / scale);
      const midCdf = 1 - (lowCdf + upCdf);
      const edge = Math.max(lowCdf, upCdf) > 0.5;
      if (edge) {
        // The mean sits in an end cell: pull it back towards the inner threshold until `margin` of the
        // mass lies beyond it.
        if (Math.min(lowCdf, upCdf) < margin) {
          const dist = sigma * a * Math.sqrt(upperQuantile(margin) ** 2 * cii);
          mean[i] = up + Math.sign(m - up) * dist;
        }
      }
      lowCdf = Math.max(lowCdf, margin / 2);
      upCdf = Math.max(upCdf, margin / 2);
      const spare = 1 - lowCdf - upCdf - midCdf;
      const denominator = lowCdf + midCdf + upCdf - (3 * margin) / 2;
      const lowMass = clip(lowCdf + (spare * (lowCdf - margin / 2)) / denominator, 1e-10, 0.5 - 1e-10);
      const upMass = clip(upCdf + (spare * (upCdf - margin / 2)) / denominator, 1e-10, 0.5 - 1e-10);
      if (!edge) {
        // The mean between two thresholds: choose A and the mean so that exactly lowMass lies below
        // the lower one and upMass above the upper one, with σ and C unchanged.
        const chiLow = upperQuantile(lowMass);
        const chiUp = upperQuantile(upMass);
        this.A[i] = (up - low) / ((chiLow + chiUp) * sigma * Math.sqrt(cii));
        mean[i] = (low * chiUp + up * chiLow) / (chiLow + chiUp);
      }
    }
  }
}

/** How many thresholds lie below x: the index of the grid value whose cell holds x. */
function cellOf(x: number, axis: DiscreteAxis): number {
  let lo = 0;
  let hi = axis.count - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (axis.threshold(mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clip(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
