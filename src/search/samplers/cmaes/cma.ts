import { symmetricEigen } from './eigen.js';

const EPS = 1e-8;
const SIGMA_MAX = 1e32;

export interface CmaOptions {
  /** λ; default 4 + ⌊3 ln n⌋. */
  readonly populationSize?: number;
  /** Initial covariance (n×n, row-major); default the identity. */
  readonly cov?: Float64Array;
}

export interface Solution {
  readonly x: Float64Array;
  readonly value: number;
}

/**
 * The CMA-ES update with active (negative) weights, as the `cmaes` package's CMA class (Hansen's
 * tutorial, 2016): the same constants, the same order of operations, so that the mean, step size
 * and covariance after the same tells agree to round-off. Sampling takes the standard normal
 * vector from the caller, so a seeded stream per trial keeps it stateless.
 */
export class CMA {
  readonly dim: number;
  readonly populationSize: number;
  readonly mu: number;
  readonly muEff: number;
  readonly weights: Float64Array;
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly chiN: number;
  mean: Float64Array;
  sigma: number;
  /** Covariance, n×n row-major. */
  C: Float64Array;
  pSigma: Float64Array;
  pc: Float64Array;
  generation = 0;
  /** Best and worst value of recent generations (tolfun stopping rule). */
  readonly #funhist: Float64Array;
  readonly #funhistTerm: number;
  readonly #tolx: number;
  #eigen: { B: Float64Array; D: Float64Array } | undefined;

  constructor(mean: ArrayLike<number>, sigma: number, options: CmaOptions = {}) {
    const n = mean.length;
    if (!(sigma > 0)) throw new RangeError(`sigma must be positive, got ${sigma}`);
    if (n < 1) throw new RangeError('CMA needs at least one dimension');
    this.dim = n;
    const lambda = options.populationSize ?? 4 + Math.floor(3 * Math.log(n));
    this.populationSize = lambda;
    const mu = Math.floor(lambda / 2);
    this.mu = mu;
    const wPrime = Float64Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
    const sum = (a: ArrayLike<number>, from: number, to: number, f: (v: number) => number = (v) => v): number => {
      let s = 0;
      for (let i = from; i < to; i++) s += f(a[i] as number);
      return s;
    };
    const muEff = sum(wPrime, 0, mu) ** 2 / sum(wPrime, 0, mu, (v) => v * v);
    const muEffMinus = sum(wPrime, mu, lambda) ** 2 / sum(wPrime, mu, lambda, (v) => v * v);
    this.muEff = muEff;
    const alphaCov = 2;
    const c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
    const cmu = Math.min(1 - c1 - 1e-8, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
    const minAlpha = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu));
    let positiveSum = 0;
    let negativeSum = 0;
    for (const w of wPrime) {
      if (w > 0) positiveSum += w;
      else if (w < 0) negativeSum += Math.abs(w);
    }
    this.weights = wPrime.map((w) => (w >= 0 ? (1 / positiveSum) * w : (minAlpha / negativeSum) * w));
    this.c1 = c1;
    this.cmu = cmu;
    this.cSigma = (muEff + 2) / (n + muEff + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + this.cSigma;
    this.cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.mean = Float64Array.from(mean);
    this.sigma = sigma;
    this.C = options.cov ? Float64Array.from(options.cov) : identity(n);
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.#funhistTerm = 10 + Math.ceil((30 * n) / lambda);
    this.#funhist = new Float64Array(this.#funhistTerm * 2);
    this.#tolx = 1e-12 * sigma;
  }

  /** B and D of C = B diag(D²) Bᵀ; C is symmetrised and rebuilt from them, as `cmaes` does. */
  eigen(): { B: Float64Array; D: Float64Array } {
    if (this.#eigen) return this.#eigen;
    const n = this.dim;
    const c = this.C;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const s = ((c[i * n + j] as number) + (c[j * n + i] as number)) / 2;
        c[i * n + j] = s;
        c[j * n + i] = s;
      }
    }
    const { values, vectors: B } = symmetricEigen(c, n);
    const D = values.map((d2) => Math.sqrt(d2 < 0 ? EPS : d2));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (B[i * n + k] as number) * (D[k] as number) ** 2 * (B[j * n + k] as number);
        c[i * n + j] = s;
      }
    }
    this.#eigen = { B, D };
    return this.#eigen;
  }

  /** x = mean + σ·B·D·z for a standard normal z. */
  sample(z: ArrayLike<number>): Float64Array {
    const n = this.dim;
    const { B, D } = this.eigen();
    const x = Float64Array.from(this.mean);
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let k = 0; k < n; k++) y += (B[i * n + k] as number) * (D[k] as number) * (z[k] as number);
      x[i] = (x[i] as number) + this.sigma * y;
    }
    return x;
  }

  /** One generation's update from exactly populationSize evaluated solutions (minimisation). */
  tell(solutions: readonly Solution[]): void {
    const n = this.dim;
    const lambda = this.populationSize;
    if (solutions.length !== lambda) throw new RangeError(`tell needs ${lambda} solutions, got ${solutions.length}`);
    this.generation++;
    const sorted = [...solutions].sort((a, b) => a.value - b.value);
    const fi = 2 * (this.generation % this.#funhistTerm);
    this.#funhist[fi] = (sorted[0] as Solution).value;
    this.#funhist[fi + 1] = (sorted[lambda - 1] as Solution).value;
    const { B, D } = this.eigen();
    this.#eigen = undefined;
    const y = sorted.map((s) => Float64Array.from(s.x, (v, i) => (v - (this.mean[i] as number)) / this.sigma));
    const yw = new Float64Array(n);
    for (let k = 0; k < this.mu; k++) for (let i = 0; i < n; i++) yw[i] = (yw[i] as number) + (y[k]?.[i] as number) * (this.weights[k] as number);
    for (let i = 0; i < n; i++) this.mean[i] = (this.mean[i] as number) + this.sigma * (yw[i] as number);
    // C^(-1/2) = B D⁻¹ Bᵀ
    const c2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += ((B[i * n + k] as number) / (D[k] as number)) * (B[j * n + k] as number);
        c2[i * n + j] = s;
      }
    }
    const c2yw = matVec(c2, yw, n);
    const kSigma = Math.sqrt(this.cSigma * (2 - this.cSigma) * this.muEff);
    for (let i = 0; i < n; i++) this.pSigma[i] = (1 - this.cSigma) * (this.pSigma[i] as number) + kSigma * (c2yw[i] as number);
    const normPSigma = norm(this.pSigma);
    this.sigma *= Math.exp((this.cSigma / this.dSigma) * (normPSigma / this.chiN - 1));
    this.sigma = Math.min(this.sigma, SIGMA_MAX);
    const left = normPSigma / Math.sqrt(1 - (1 - this.cSigma) ** (2 * (this.generation + 1)));
    const hSigma = left < (1.4 + 2 / (n + 1)) * this.chiN ? 1 : 0;
    const kc = hSigma * Math.sqrt(this.cc * (2 - this.cc) * this.muEff);
    for (let i = 0; i < n; i++) this.pc[i] = (1 - this.cc) * (this.pc[i] as number) + kc * (yw[i] as number);
    const wio = this.weights.map((w, k) => (w >= 0 ? w : w * (n / (norm(matVec(c2, y[k] as Float64Array, n)) ** 2 + EPS))));
    const deltaHSigma = (1 - hSigma) * this.cc * (2 - this.cc);
    let weightSum = 0;
    for (const w of this.weights) weightSum += w;
    const decay = 1 + this.c1 * deltaHSigma - this.c1 - this.cmu * weightSum;
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rankMu = 0;
        for (let k = 0; k < lambda; k++) rankMu += (wio[k] as number) * (y[k]?.[i] as number) * (y[k]?.[j] as number);
        next[i * n + j] = decay * (this.C[i * n + j] as number) + this.c1 * (this.pc[i] as number) * (this.pc[j] as number) + this.cmu * rankMu;
      }
    }
    this.C = next;
  }

  /** The `cmaes` package's stopping rules (tolfun, tolx, tolxup, no effect of the axes, condition). */
  shouldStop(): boolean {
    const n = this.dim;
    const { B, D } = this.eigen();
    const dC = Float64Array.from({ length: n }, (_, i) => this.C[i * n + i] as number);
    if (this.generation > this.#funhistTerm) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of this.#funhist) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi - lo < 1e-12) return true;
    }
    if (dC.every((c) => this.sigma * c < this.#tolx) && this.pc.every((p) => this.sigma * p < this.#tolx)) return true;
    let dMax = 0;
    let dMin = Infinity;
    for (const d of D) {
      dMax = Math.max(dMax, d);
      dMin = Math.min(dMin, d);
    }
    if (this.sigma * dMax > 1e4) return true;
    for (let i = 0; i < n; i++) {
      const m = this.mean[i] as number;
      if (m === m + 0.2 * this.sigma * Math.sqrt(dC[i] as number)) return true;
    }
    const axis = this.generation % n;
    let noEffect = true;
    for (let i = 0; i < n; i++) {
      const m = this.mean[i] as number;
      if (m !== m + 0.1 * this.sigma * (D[axis] as number) * (B[i * n + axis] as number)) noEffect = false;
    }
    if (noEffect) return true;
    return dMax / dMin > 1e14;
  }
}

function identity(n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) c[i * n + i] = 1;
  return c;
}

function matVec(m: Float64Array, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += (m[i * n + k] as number) * (v[k] as number);
    out[i] = s;
  }
  return out;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}
