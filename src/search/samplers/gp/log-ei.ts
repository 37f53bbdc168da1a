import { erfc } from '../tpe/erf.js';

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_HALF_PI = Math.sqrt(0.5 * Math.PI);
const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * The scaled complementary error function erfcx(x) = exp(x²)·erfc(x), finite where erfc
 * underflows: exp(x²)·erfc(x) below x = 5, the Laplace continued fraction (modified Lentz) above.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  if (x < 5) return Math.exp(x * x) * erfc(x);
  // erfcx(x) = (1/√π) / (x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), terms a_k = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return INV_SQRT_PI / f;
}

/**
 * log E[max(0, X + z)] for X ~ N(0, 1), as Optuna 4's standard_logei (Ament et al. 2023, eq. 9):
 * log(z·Φ(z) + φ(z)) for z ≥ −25, and in the far left tail
 * −z²/2 − log √(2π) + log(1 + √(π/2)·z·erfcx(−z/√2)).
 */
export function standardLogEi(z: number): number {
  if (z >= -25) return Math.log(0.5 * z * erfc(-SQRT_HALF * z) + Math.exp(-0.5 * z * z) * INV_SQRT_2PI);
  return -0.5 * z * z - LOG_SQRT_2PI + Math.log(1 + SQRT_HALF_PI * z * erfcx(-SQRT_HALF * z));
}

/** d/dz of standardLogEi: Φ(z) / (z·Φ(z) + φ(z)), through Φ/φ = √(π/2)·erfcx(−z/√2) in the left tail. */
export function standardLogEiDerivative(z: number): number {
  if (z >= -25) {
    const cdf = 0.5 * erfc(-SQRT_HALF * z);
    return cdf / (z * cdf + Math.exp(-0.5 * z * z) * INV_SQRT_2PI);
  }
  const r = SQRT_HALF_PI * erfcx(-SQRT_HALF * z);
  return r / (1 + z * r);
}

/**
 * log EI of N(mean, variance) over the threshold f0 (maximisation): log E[max(0, y − f0)], with
 * its derivatives by mean and by variance. Variance must be > 0 (callers add Optuna's 1e-12).
 */
export function logEi(mean: number, variance: number, f0: number): { value: number; dMean: number; dVar: number } {
  const sigma = Math.sqrt(variance);
  const z = (mean - f0) / sigma;
  const h1 = standardLogEiDerivative(z);
  const dSigma = (-h1 * z + 1) / sigma;
  return { value: standardLogEi(z) + Math.log(sigma), dMean: h1 / sigma, dVar: dSigma / (2 * sigma) };
}
