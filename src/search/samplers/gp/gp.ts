import { cholesky, choleskyWithJitter, inverseFromCholesky, solveLower, solveLowerTransposed } from './linalg.js';
import { expNegative } from './exp-negative.js';
import { lbfgsb } from './lbfgsb.js';

/**
 * Gaussian-process regression as Optuna 4's optuna/_gp/gp.py: a Matérn-5/2 kernel with one
 * inverse squared length scale per dimension (ARD), a Hamming distance for categorical
 * dimensions, a kernel scale and a noise variance; hyperparameters by maximising the marginal
 * log-likelihood plus Optuna's log prior, with analytic gradients.
 *
 * Inputs are normalised points (row-major n×D), targets standardised and to be maximised.
 */

export interface KernelParams {
  readonly inverseSquaredLengthscales: Float64Array;
  readonly kernelScale: number;
  readonly noiseVar: number;
}

/** Optuna's DEFAULT_MINIMUM_NOISE_VAR. */
export const MINIMUM_NOISE_VAR = 1e-6;

const SQRT5 = Math.sqrt(5);

/** Matérn-5/2 of a squared distance r: exp(−√(5r))·(5r/3 + √(5r) + 1). */
export function matern52(r: number): number {
  const s = SQRT5 * Math.sqrt(r);
  return expNegative(s) * ((5 / 3) * r + s + 1);
}

/** The per-dimension squared differences of every pair, n×n×D (1 for differing categories). */
export function pairwiseSquaredDiffs(x: Float64Array, n: number, dim: number, isCategorical: Uint8Array): Float64Array {
  const out = new Float64Array(n * n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      for (let d = 0; d < dim; d++) {
        const diff = (x[i * dim + d] as number) - (x[j * dim + d] as number);
        const v = isCategorical[d] ? (diff !== 0 ? 1 : 0) : diff * diff;
        out[(i * n + j) * dim + d] = v;
        out[(j * n + i) * dim + d] = v;
      }
    }
  }
  return out;
}

/** Optuna's default log prior of the kernel parameters (constants dropped). */
export function logPrior(isl: ArrayLike<number>, kernelScale: number, noiseVar: number): number {
  let p = 0;
  for (let d = 0; d < isl.length; d++) p -= 0.1 / (isl[d] as number) + 0.1 * (isl[d] as number);
  // Gamma(2, 1) on the kernel scale and Gamma(1.1, 30) on the noise variance.
  return p + (Math.log(kernelScale) - kernelScale) + (0.1 * Math.log(noiseVar) - 30 * noiseVar);
}

export interface FitProblem {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly dim: number;
  readonly isCategorical: Uint8Array;
  readonly minimumNoise: number;
  readonly deterministic: boolean;
}

/**
 * The loss Optuna minimises, −(log marginal likelihood + log prior) without constants, at raw
 * parameters θ = [log isl_1..D, log kernelScale, log(noiseVar − minimumNoise)], and its gradient.
 * With a deterministic objective the noise is fixed at minimumNoise and its gradient is 0.
 */
export function makeLoss(p: FitProblem): (theta: Float64Array, grad: Float64Array) => number {
  const { n, dim, y } = p;
  const sqd = pairwiseSquaredDiffs(p.x, n, dim, p.isCategorical);
  const kernel = new Float64Array(n * n); // scale·m(r_ij)
  const slope = new Float64Array(n * n); // scale·m'(r_ij)
  const c = new Float64Array(n * n);
  // The factor of each evaluation goes into one buffer: the fit evaluates the loss about 20 times a trial.
  const factor = new Float64Array(n * n);
  const inverseScratch = new Float64Array(n * n);
  const cinv = new Float64Array(n * n);
  const alpha = new Float64Array(n);
  const tmp = new Float64Array(n);
  const isl = new Float64Array(dim);
  const gIsl = new Float64Array(dim);
  return (theta, grad) => {
    for (let d = 0; d < dim; d++) isl[d] = Math.exp(theta[d] as number);
    const scale = Math.exp(theta[dim] as number);
    const rawNoise = Math.exp(theta[dim + 1] as number);
    const noise = p.deterministic ? p.minimumNoise : rawNoise + p.minimumNoise;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < i; j++) {
        let r = 0;
        const base = (row + j) * dim;
        for (let d = 0; d < dim; d++) r += (sqd[base + d] as number) * (isl[d] as number);
        // One exp and one sqrt give both m(r) and m'(r).
        const s = SQRT5 * Math.sqrt(r);
        const e = expNegative(s);
        const k = scale * e * ((5 / 3) * r + s + 1);
        kernel[row + j] = k;
        slope[row + j] = scale * (-5 / 6) * (s + 1) * e;
        c[row + j] = k;
      }
      kernel[row + i] = scale;
      c[row + i] = scale + noise;
    }
    const l = cholesky(c, n, factor);
    if (l === undefined) {
      grad.fill(0);
      return Number.NaN;
    }
    solveLower(l, n, y, tmp);
    solveLowerTransposed(l, n, tmp, alpha);
    let logdet = 0;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      logdet += Math.log(l[i * n + i] as number);
      quad += (tmp[i] as number) ** 2;
    }
    const mll = -logdet - 0.5 * quad;
    const loss = -mll - logPrior(isl, scale, noise);
    // d mll / d C = W = (α αᵀ − C⁻¹) / 2; d C_ij / d log isl_d = scale·m'(r_ij)·sqd_ijd·isl_d.
    inverseFromCholesky(l, n, true, inverseScratch, cinv);
    gIsl.fill(0);
    let dScale = 0;
    let dNoise = 0;
    for (let i = 0; i < n; i++) {
      const ai = alpha[i] as number;
      const row = i * n;
      const wii = 0.5 * (ai * ai - (cinv[row + i] as number));
      dNoise += wii;
      dScale += wii * scale;
      for (let j = 0; j < i; j++) {
        const w = ai * (alpha[j] as number) - (cinv[row + j] as number); // 2·W_ij, both halves counted
        dScale += w * (kernel[row + j] as number);
        const m1 = w * (slope[row + j] as number);
        const base = (row + j) * dim;
        for (let d = 0; d < dim; d++) gIsl[d] = (gIsl[d] as number) + m1 * (sqd[base + d] as number);
      }
    }
    for (let d = 0; d < dim; d++) {
      const v = isl[d] as number;
      // −(d mll + d prior) / d log isl_d; the prior term −(0.1/v + 0.1v) gives 0.1/v − 0.1v.
      grad[d] = -((gIsl[d] as number) * v) - (0.1 / v - 0.1 * v);
    }
    // kernel_ij / scale = d C_ij / d log scale; the Gamma(2, 1) prior gives 1 − scale.
    grad[dim] = -dScale - (1 - scale);
    grad[dim + 1] = p.deterministic ? 0 : -(dNoise * rawNoise) - (0.1 / noise - 30) * rawNoise;
    return loss;
  };
}

export interface FitOptions {
  readonly minimumNoise?: number;
  readonly deterministic?: boolean;
  /** Projected-gradient tolerance of the fit (Optuna's gtol). Default 1e-2. */
  readonly gtol?: number;
  /** Starting kernel parameters; default all ones (Optuna's start without a cache). */
  readonly initial?: KernelParams;
}

/**
 * Fits the kernel parameters (from all ones, or `initial`) and returns the regressor. Like
 * Optuna, a failed fit falls back to the default parameters; unlike Optuna, a fit that stopped on
 * a limit or a failed line search keeps the best parameters it reached when they beat the start.
 */
export function fitGP(x: Float64Array, y: Float64Array, n: number, dim: number, isCategorical: Uint8Array, options: FitOptions = {}): GPRegressor {
  const minimumNoise = options.minimumNoise ?? MINIMUM_NOISE_VAR;
  const deterministic = options.deterministic ?? false;
  const loss = makeLoss({ x, y, n, dim, isCategorical, minimumNoise, deterministic });
  const init = options.initial;
  const theta0 = new Float64Array(dim + 2);
  for (let d = 0; d < dim; d++) theta0[d] = Math.log(init ? (init.inverseSquaredLengthscales[d] as number) : 1);
  theta0[dim] = Math.log(init ? init.kernelScale : 1);
  // Optuna adds 0.01·minimumNoise to the starting noise to keep its log finite.
  theta0[dim + 1] = Math.log((init ? init.noiseVar : 1) - 0.99 * minimumNoise);
  const res = lbfgsb(loss, theta0, { pgtol: options.gtol ?? 1e-2 });
  let theta = res.x;
  if (!Number.isFinite(res.f)) theta = Float64Array.from({ length: dim + 2 }, (_, i) => (i === dim + 1 ? Math.log(1 - 0.99 * minimumNoise) : 0));
  const params: KernelParams = {
    inverseSquaredLengthscales: Float64Array.from({ length: dim }, (_, d) => Math.exp(theta[d] as number)),
    kernelScale: Math.exp(theta[dim] as number),
    noiseVar: deterministic ? minimumNoise : Math.exp(theta[dim + 1] as number) + minimumNoise,
  };
  return new GPRegressor(x, y, n, dim, isCategorical, params);
}

/** A fitted GP: the Cholesky factor of K + σ²I and C⁻¹y cached for posteriors. */
export class GPRegressor {
  readonly dim: number;
  readonly params: KernelParams;
  readonly isCategorical: Uint8Array;
  /** Training targets (without appended running points). */
  readonly yTrain: Float64Array;
  #x: Float64Array;
  #n: number;
  #l: Float64Array;
  #alpha: Float64Array;
  /**
   * The training points with each continuous coordinate times √isl_d (categorical ones as they
   * are): a posterior's squared distance is then a plain sum of squares, which spares a multiply
   * and a branch per pair and dimension in the acquisition sweep.
   */
  #scaled: Float64Array;
  readonly #rootIsl: Float64Array;
  readonly #anyCategorical: boolean;
  /** Scratch buffers, one slot per point. */
  #k: Float64Array;
  #v: Float64Array;
  #w: Float64Array;
  #dk: Float64Array;
  readonly #point: Float64Array;

  constructor(x: Float64Array, y: Float64Array, n: number, dim: number, isCategorical: Uint8Array, params: KernelParams) {
    this.dim = dim;
    this.params = params;
    this.isCategorical = isCategorical;
    this.yTrain = y;
    this.#rootIsl = Float64Array.from(params.inverseSquaredLengthscales, (v, d) => (isCategorical[d] ? 1 : Math.sqrt(v)));
    this.#anyCategorical = isCategorical.some((c) => c !== 0);
    this.#point = new Float64Array(dim);
    this.#x = x;
    this.#n = n;
    this.#scaled = this.#scale(x, n);
    [this.#l, this.#alpha] = this.#factor(x, y, n);
    this.#k = new Float64Array(n);
    this.#v = new Float64Array(n);
    this.#w = new Float64Array(n);
    this.#dk = new Float64Array(n);
  }

  #scale(x: Float64Array, n: number): Float64Array {
    const dim = this.dim;
    const out = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) out[i * dim + d] = (x[i * dim + d] as number) * (this.#rootIsl[d] as number);
    return out;
  }

  /**
   * Kernel values between one point (points[base .. base + D)) and every training point into
   * out[offset + i], and dk/dr into `slope` when given; returns Σ k_i·α_i, the posterior mean.
   * Every posterior goes through here, so a batch gives exactly the values of single calls.
   */
  #kernelRow(points: ArrayLike<number>, base: number, out: Float64Array, offset: number, slope?: Float64Array): number {
    const n = this.#n;
    const dim = this.dim;
    const xs = this.#scaled;
    const alpha = this.#alpha;
    const root = this.#rootIsl;
    const isl = this.params.inverseSquaredLengthscales;
    const scale = this.params.kernelScale;
    const p = this.#point;
    for (let d = 0; d < dim; d++) p[d] = (points[base + d] as number) * (root[d] as number);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const tb = i * dim;
      let r = 0;
      if (!this.#anyCategorical) {
        for (let d = 0; d < dim; d++) {
          const diff = (p[d] as number) - (xs[tb + d] as number);
          r += diff * diff;
        }
      } else {
        for (let d = 0; d < dim; d++) {
          const diff = (p[d] as number) - (xs[tb + d] as number);
          r += this.isCategorical[d] ? (diff !== 0 ? (isl[d] as number) : 0) : diff * diff;
        }
      }
      // One exp and one sqrt give both m(r) and m'(r).
      const s = SQRT5 * Math.sqrt(r);
      const e = expNegative(s);
      const ki = scale * e * ((5 / 3) * r + s + 1);
      out[offset + i] = ki;
      if (slope !== undefined) slope[i] = scale * (-5 / 6) * (s + 1) * e;
      mean += ki * (alpha[i] as number);
    }
    return mean;
  }

  get n(): number {
    return this.#n;
  }

  /** Length scales 1/√isl, per dimension. */
  get lengthScales(): Float64Array {
    return this.params.inverseSquaredLengthscales.map((v) => 1 / Math.sqrt(v));
  }

  #factor(x: Float64Array, y: Float64Array, n: number): [Float64Array, Float64Array] {
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const k = this.#kernel(x, i, x, j);
        c[i * n + j] = k;
        c[j * n + i] = k;
      }
      c[i * n + i] = (c[i * n + i] as number) + this.params.noiseVar;
    }
    const { l } = choleskyWithJitter(c, n);
    const alpha = solveLowerTransposed(l, n, solveLower(l, n, y));
    return [l, alpha];
  }

  #sqdist(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number): number {
    const dim = this.dim;
    const isl = this.params.inverseSquaredLengthscales;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const diff = (a[ia * dim + d] as number) - (b[ib * dim + d] as number);
      s += (this.isCategorical[d] ? (diff !== 0 ? 1 : 0) : diff * diff) * (isl[d] as number);
    }
    return s;
  }

  #kernel(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number): number {
    return this.params.kernelScale * matern52(this.#sqdist(a, ia, b, ib));
  }

  /**
   * Adds running trials as observed points with the given (lied) values, keeping the kernel
   * parameters: Optuna's append_running_data (the factor is rebuilt, the same matrix).
   */
  appendRunning(xRunning: Float64Array, yRunning: ArrayLike<number>): void {
    const m = yRunning.length;
    if (m === 0) return;
    const n = this.#n + m;
    const x = new Float64Array(n * this.dim);
    x.set(this.#x);
    x.set(xRunning, this.#n * this.dim);
    const y = new Float64Array(n);
    y.set(this.yTrain);
    for (let i = 0; i < m; i++) y[this.#n + i] = yRunning[i] as number;
    this.#x = x;
    this.#n = n;
    this.#scaled = this.#scale(x, n);
    [this.#l, this.#alpha] = this.#factor(x, y, n);
    this.#k = new Float64Array(n);
    this.#v = new Float64Array(n);
    this.#w = new Float64Array(n);
    this.#dk = new Float64Array(n);
  }

  /** Posterior mean and variance (clamped at 0) at the normalised point x (length D). */
  posterior(x: ArrayLike<number>): { mean: number; variance: number } {
    const n = this.#n;
    const k = this.#k;
    const v = this.#v;
    const l = this.#l;
    const mean = this.#kernelRow(x, 0, k, 0);
    let vv = 0;
    for (let i = 0; i < n; i++) {
      // Forward substitution L v = k.
      const row = i * n;
      let acc = k[i] as number;
      for (let j = 0; j < i; j++) acc -= (l[row + j] as number) * (v[j] as number);
      const vi = acc / (l[row + i] as number);
      v[i] = vi;
      vv += vi * vi;
    }
    return { mean, variance: Math.max(this.params.kernelScale - vv, 0) };
  }

  /**
   * Posterior means and variances of many points at once (row-major m×D): the forward
   * substitutions of four points run together, so each row of L is loaded once per four.
   */
  posteriorBatch(points: Float64Array, m: number, means: Float64Array, variances: Float64Array): void {
    const n = this.#n;
    const dim = this.dim;
    const l = this.#l;
    const scale = this.params.kernelScale;
    const kb = new Float64Array(4 * n); // kernel values, then v = L⁻¹k, point-major
    for (let p0 = 0; p0 < m; p0 += 4) {
      const count = Math.min(4, m - p0);
      for (let q = 0; q < count; q++) means[p0 + q] = this.#kernelRow(points, (p0 + q) * dim, kb, q * n);
      for (let q = count; q < 4; q++) kb.fill(0, q * n, (q + 1) * n);
      let vv0 = 0;
      let vv1 = 0;
      let vv2 = 0;
      let vv3 = 0;
      const o1 = n;
      const o2 = 2 * n;
      const o3 = 3 * n;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        let a0 = kb[i] as number;
        let a1 = kb[o1 + i] as number;
        let a2 = kb[o2 + i] as number;
        let a3 = kb[o3 + i] as number;
        for (let j = 0; j < i; j++) {
          const lij = l[row + j] as number;
          a0 -= lij * (kb[j] as number);
          a1 -= lij * (kb[o1 + j] as number);
          a2 -= lij * (kb[o2 + j] as number);
          a3 -= lij * (kb[o3 + j] as number);
        }
        const lii = l[row + i] as number;
        a0 /= lii;
        a1 /= lii;
        a2 /= lii;
        a3 /= lii;
        kb[i] = a0;
        kb[o1 + i] = a1;
        kb[o2 + i] = a2;
        kb[o3 + i] = a3;
        vv0 += a0 * a0;
        vv1 += a1 * a1;
        vv2 += a2 * a2;
        vv3 += a3 * a3;
      }
      const vvs = [vv0, vv1, vv2, vv3];
      for (let q = 0; q < count; q++) variances[p0 + q] = Math.max(scale - (vvs[q] as number), 0);
    }
  }

  /**
   * Posterior mean and variance with their gradients by x, for the dimensions in `dims`
   * (continuous ones): dMean[j] and dVar[j] belong to dims[j].
   */
  posteriorWithGrad(x: ArrayLike<number>, dims: ArrayLike<number>, dMean: Float64Array, dVar: Float64Array): { mean: number; variance: number } {
    const n = this.#n;
    const dim = this.dim;
    const k = this.#k;
    const v = this.#v;
    const w = this.#w;
    const dk = this.#dk;
    const isl = this.params.inverseSquaredLengthscales;
    const scale = this.params.kernelScale;
    const mean = this.#kernelRow(x, 0, k, 0, dk); // dk_i / dr_i into dk
    solveLower(this.#l, n, k, v);
    solveLowerTransposed(this.#l, n, v, w);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += (v[i] as number) ** 2;
    const raw = scale - vv;
    for (let j = 0; j < dims.length; j++) {
      const d = dims[j] as number;
      const xd = x[d] as number;
      let gm = 0;
      let gv = 0;
      for (let i = 0; i < n; i++) {
        // dk_i/dx_d = m'(r_i)·2·isl_d·(x_d − X_id)
        const g = (dk[i] as number) * 2 * (isl[d] as number) * (xd - (this.#x[i * dim + d] as number));
        gm += (this.#alpha[i] as number) * g;
        gv += (w[i] as number) * g;
      }
      dMean[j] = gm;
      dVar[j] = raw > 0 ? -2 * gv : 0;
    }
    return { mean, variance: Math.max(raw, 0) };
  }
}
