import { erf, erfc } from './erf.js';

/**
 * The standard normal truncated to [a, b]: log density, log mass, quantile function and
 * sampling, as scalars. Everything is computed in log space with the left tail as the
 * accurate side (right-tail cases are mirrored), so kernels whose truncation bounds lie many
 * standard deviations away keep finite, correct log densities.
 */

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Φ(a), the standard normal CDF. */
export function ndtr(a: number): number {
  const x = a * SQRT1_2;
  if (x < -SQRT1_2) return 0.5 * erfc(-x);
  if (x < SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a), accurate in both tails. */
export function logNdtr(a: number): number {
  // Right of 0, Φ(a) = 1 - Φ(-a) and Φ(-a) is the accurate small quantity.
  if (a > 0) return Math.log1p(-ndtr(-a));
  if (a > -20) return Math.log(ndtr(a));
  if (a === -Infinity) return -Infinity;
  return -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI + Math.log(leftTailSeries(a));
}

/** The asymptotic series of Φ(a)·(-a)/φ(a) = 1 - 1/a² + 3/a⁴ - 15/a⁶ + ..., for a <= -20. */
function leftTailSeries(a: number): number {
  const inv2 = 1 / (a * a);
  let sum = 1;
  let term = 1;
  for (let i = 1; i < 30; i++) {
    const next = -term * (2 * i - 1) * inv2;
    if (Math.abs(next) < Number.EPSILON * Math.abs(sum)) break;
    sum += next;
    term = next;
  }
  return sum;
}

/**
 * d log Φ(x)/dx = φ(x)/Φ(x). Far left it is -x/series: as exp(log φ - log Φ) it would subtract two
 * numbers near -x²/2, and once x² nears 1e300 their difference (about log|x|) is below their rounding.
 */
function logNdtrSlope(x: number, logPhi: number): number {
  return x <= -20 ? -x / leftTailSeries(x) : Math.exp(normLogPdf(x) - logPhi);
}

/** log of the standard normal density. */
export function normLogPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/** log(e^p - e^q) for p >= q. */
function logDiff(p: number, q: number): number {
  if (q === -Infinity) return p;
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  return p > q ? p + Math.log1p(Math.exp(q - p)) : q + Math.log1p(Math.exp(p - q));
}

/** log(Φ(b) - Φ(a)), the log probability mass of [a, b] under the standard normal. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // Straddling 0 the mass is near 1: subtracting both tails avoids cancellation. A tail beyond
  // 38.5 standard deviations is below 1e-320, so it is 0 without evaluating erfc (the common
  // case for narrow kernels well inside the range).
  const left = a < -38.5 ? 0 : ndtr(a);
  const right = b > 38.5 ? 0 : ndtr(-b);
  return Math.log1p(-left - right);
}

/**
 * The x with log Φ(x) = y (y <= 0): Newton steps on log Φ, which is concave, so every step
 * from the left of the root stays on the left and the iteration cannot oscillate.
 */
export function ndtriExp(y: number): number {
  if (y >= 0) return y === 0 ? Infinity : Number.NaN;
  if (y === -Infinity) return -Infinity;
  let x: number;
  if (y < -2) {
    const t = -2 * y;
    x = -Math.sqrt(Math.max(t - Math.log(2 * Math.PI * t), 1));
  } else if (y > -0.1) {
    const t = -2 * Math.log(-Math.expm1(y));
    x = Math.sqrt(Math.max(t - Math.log(2 * Math.PI * t), 1));
  } else {
    const p = Math.exp(y);
    x = Math.log(p / (1 - p)) / 1.702;
  }
  for (let i = 0; i < 200; i++) {
    const g = logNdtr(x);
    const slope = logNdtrSlope(x, g);
    const dx = (y - g) / slope;
    if (!Number.isFinite(dx)) break;
    x += dx;
    if (Math.abs(dx) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** Quantile q of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return Number.NaN;
  if (q <= 0) return a;
  if (q >= 1) return b;
  let x: number;
  if (a < 0) {
    x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  } else {
    x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
  }
  // Rounding can put x a hair outside [a, b]; the kernel's support must hold.
  return x < a ? a : x > b ? b : x;
}
