import { goldenSectionMaximize } from './golden-section.js';

/**
 * Output warping for the GP: the Yeo–Johnson power transform with λ by maximum likelihood, as
 * scikit-learn's PowerTransformer and SciPy's yeojohnson_normmax (HEBO warps its outputs this way).
 * An objective with a long tail of bad values (Rosenbrock's valley walls, a loss that explodes
 * for some settings) otherwise has the stationary kernel spend its length scales and its noise
 * on a few huge values, and the region that matters looks flat. The transform is increasing, so
 * the best trial stays the best and improvement keeps its meaning.
 */

/** λ is searched in this interval (SciPy's bracket is (−2, 2); wider values overflow sooner and gain nothing here). */
export const LAMBDA_RANGE: readonly [number, number] = [-2, 4];

/** ψ(y, λ): (y+1)^λ for y ≥ 0 and the mirrored (1−y)^(2−λ) for y < 0, both normalised to slope 1 at 0. */
export function yeoJohnson(y: number, lambda: number): number {
  // (e^(λ·log(1+y)) − 1)/λ by expm1: exact in the limit λ → 0 (the log branch), where the plain
  // power loses half its digits to cancellation.
  // Within 1e-12 of the log branch the quotient is its limit log(1+y) (off by λ·log²(1+y)/2 at
  // most); nearer, λ·log(1+y) could round to a subnormal and the quotient to nonsense.
  if (y >= 0) {
    const l = Math.log1p(y);
    return Math.abs(lambda) < 1e-12 ? l : Math.expm1(lambda * l) / lambda;
  }
  const l = Math.log1p(-y);
  const p = 2 - lambda;
  return Math.abs(p) < 1e-12 ? -l : -Math.expm1(p * l) / p;
}

/** The profile log-likelihood of λ under a normal model of the transformed values (constants dropped). */
export function yeoJohnsonLogLikelihood(values: ArrayLike<number>, lambda: number): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yeoJohnson(values[i] as number, lambda);
  mean /= n;
  let variance = 0;
  let jacobian = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    variance += (yeoJohnson(v, lambda) - mean) ** 2;
    jacobian += Math.sign(v) * Math.log1p(Math.abs(v));
  }
  variance /= n;
  if (!(variance > 0) || !Number.isFinite(variance)) return -Infinity;
  return -0.5 * n * Math.log(variance) + (lambda - 1) * jacobian;
}

/**
 * The λ in LAMBDA_RANGE of greatest likelihood, by golden-section search to 1e-7 (the likelihood
 * is concave in λ). Constant values have no information: λ = 1, the identity.
 */
export function fitYeoJohnsonLambda(values: ArrayLike<number>): number {
  let constant = true;
  for (let i = 1; i < values.length && constant; i++) constant = values[i] === values[0];
  if (constant) return 1;
  const [a, b] = goldenSectionMaximize((lambda) => yeoJohnsonLogLikelihood(values, lambda), LAMBDA_RANGE[0], LAMBDA_RANGE[1], 1e-7);
  return (a + b) / 2;
}

/** The values transformed with their maximum-likelihood λ. */
export function powerTransform(values: ArrayLike<number>): { values: Float64Array; lambda: number } {
  const lambda = fitYeoJohnsonLambda(values);
  return { values: Float64Array.from(values, (v) => yeoJohnson(v, lambda)), lambda };
}
