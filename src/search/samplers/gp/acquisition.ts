import type { GPRegressor } from './gp.js';
import { logEi } from './log-ei.js';
import { logNdtr } from '../tpe/truncnorm.js';
import type { GPSearchSpace } from './search-space.js';

/** An acquisition function over normalised points, to be maximised. */
export interface Acquisition {
  readonly space: GPSearchSpace;
  /** Length scales used to precondition the local search, one per dimension. */
  readonly lengthScales: Float64Array;
  value(x: Float64Array): number;
  /** Values of m points (row-major m×D) into `out`: the same numbers as value(), faster. */
  values(points: Float64Array, m: number, out: Float64Array): void;
  /** The value, and its gradient by the continuous dimensions (space.continuous order) in `grad`. */
  valueAndGrad(x: Float64Array, grad: Float64Array): number;
}

/** Optuna's stabilising noise added to the posterior variance. */
const STABILIZING_NOISE = 1e-12;

/**
 * log EI over the best standardised value so far (Optuna 4's LogEI). Running trials are added to
 * the GP beforehand with the best value as their lie (Optuna's "best" constant liar).
 */
export class LogEI implements Acquisition {
  readonly space: GPSearchSpace;
  readonly lengthScales: Float64Array;
  readonly #gp: GPRegressor;
  readonly #threshold: number;
  readonly #dMean: Float64Array;
  readonly #dVar: Float64Array;

  constructor(gp: GPRegressor, space: GPSearchSpace, threshold: number) {
    this.#gp = gp;
    this.space = space;
    this.lengthScales = gp.lengthScales;
    this.#threshold = threshold;
    this.#dMean = new Float64Array(space.continuous.length);
    this.#dVar = new Float64Array(space.continuous.length);
  }

  value(x: Float64Array): number {
    if (this.#threshold === -Infinity) return 0;
    const { mean, variance } = this.#gp.posterior(x);
    return logEi(mean, variance + STABILIZING_NOISE, this.#threshold).value;
  }

  values(points: Float64Array, m: number, out: Float64Array): void {
    if (this.#threshold === -Infinity) {
      out.fill(0, 0, m);
      return;
    }
    const means = new Float64Array(m);
    const variances = new Float64Array(m);
    this.#gp.posteriorBatch(points, m, means, variances);
    for (let i = 0; i < m; i++) out[i] = logEi(means[i] as number, (variances[i] as number) + STABILIZING_NOISE, this.#threshold).value;
  }

  valueAndGrad(x: Float64Array, grad: Float64Array): number {
    if (this.#threshold === -Infinity) {
      grad.fill(0);
      return 0;
    }
    const { mean, variance } = this.#gp.posteriorWithGrad(x, this.space.continuous, this.#dMean, this.#dVar);
    const r = logEi(mean, variance + STABILIZING_NOISE, this.#threshold);
    for (let j = 0; j < grad.length; j++) grad[j] = r.dMean * (this.#dMean[j] as number) + r.dVar * (this.#dVar[j] as number);
    return r.value;
  }
}

/** log P(y ≥ threshold) under a constraint's GP (Optuna 4's LogPI), for constrained log EI. */
export class LogPI implements Acquisition {
  readonly space: GPSearchSpace;
  readonly lengthScales: Float64Array;
  readonly #gp: GPRegressor;
  readonly #threshold: number;
  readonly #dMean: Float64Array;
  readonly #dVar: Float64Array;

  constructor(gp: GPRegressor, space: GPSearchSpace, threshold: number) {
    this.#gp = gp;
    this.space = space;
    this.lengthScales = gp.lengthScales;
    this.#threshold = threshold;
    this.#dMean = new Float64Array(space.continuous.length);
    this.#dVar = new Float64Array(space.continuous.length);
  }

  value(x: Float64Array): number {
    const { mean, variance } = this.#gp.posterior(x);
    return logNdtr((mean - this.#threshold) / Math.sqrt(variance + STABILIZING_NOISE));
  }

  values(points: Float64Array, m: number, out: Float64Array): void {
    const means = new Float64Array(m);
    const variances = new Float64Array(m);
    this.#gp.posteriorBatch(points, m, means, variances);
    for (let i = 0; i < m; i++) out[i] = logNdtr(((means[i] as number) - this.#threshold) / Math.sqrt((variances[i] as number) + STABILIZING_NOISE));
  }

  valueAndGrad(x: Float64Array, grad: Float64Array): number {
    const { mean, variance } = this.#gp.posteriorWithGrad(x, this.space.continuous, this.#dMean, this.#dVar);
    const sigma = Math.sqrt(variance + STABILIZING_NOISE);
    const z = (mean - this.#threshold) / sigma;
    const value = logNdtr(z);
    // d log Φ(z)/dz = φ(z)/Φ(z) = exp(log φ(z) − log Φ(z)).
    const ratio = Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - value);
    const dz = ratio;
    for (let j = 0; j < grad.length; j++) {
      const dzdx = (this.#dMean[j] as number) / sigma - (z / (2 * sigma * sigma)) * (this.#dVar[j] as number);
      grad[j] = dz * dzdx;
    }
    return value;
  }
}

/** The sum of acquisitions (constrained log EI = log EI + Σ log PI of each constraint). */
export class SumAcquisition implements Acquisition {
  readonly space: GPSearchSpace;
  readonly lengthScales: Float64Array;
  readonly #parts: readonly Acquisition[];
  readonly #tmp: Float64Array;

  constructor(parts: readonly Acquisition[]) {
    const first = parts[0] as Acquisition;
    this.space = first.space;
    this.lengthScales = first.lengthScales;
    this.#parts = parts;
    this.#tmp = new Float64Array(first.space.continuous.length);
  }

  value(x: Float64Array): number {
    let s = 0;
    for (const p of this.#parts) s += p.value(x);
    return s;
  }

  values(points: Float64Array, m: number, out: Float64Array): void {
    out.fill(0, 0, m);
    const part = new Float64Array(m);
    for (const p of this.#parts) {
      p.values(points, m, part);
      for (let i = 0; i < m; i++) out[i] = (out[i] as number) + (part[i] as number);
    }
  }

  valueAndGrad(x: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    let s = 0;
    for (const p of this.#parts) {
      s += p.valueAndGrad(x, this.#tmp);
      for (let j = 0; j < grad.length; j++) grad[j] = (grad[j] as number) + (this.#tmp[j] as number);
    }
    return s;
  }
}
