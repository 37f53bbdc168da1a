/** Below this the standard deviation is treated as this (Optuna's EPS in the GP sampler). */
const EPS = 1e-10;

/**
 * Standardises values as Optuna 4's GP sampler does: infinite values are clipped to the finite
 * minimum and maximum (0 when none is finite), then (v − mean) / max(std, 1e-10), population std.
 */
export function standardize(values: readonly number[]): { values: Float64Array; mean: number; std: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo === Infinity) {
    lo = 0;
    hi = 0;
  }
  const clipped = values.map((v) => Math.min(Math.max(v, lo), hi));
  const n = clipped.length;
  const mean = clipped.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(clipped.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const scale = Math.max(EPS, std);
  return { values: Float64Array.from(clipped, (v) => (v - mean) / scale), mean, std: scale };
}

/**
 * Raises values far below the bulk (to be maximised: the bad side) to q25 − 10·IQR, so that one
 * diverged trial (a loss of 1e30) does not squash every other value to the same standardised
 * number and blind the GP. Values inside that fence, and every good value, are kept as they are;
 * Optuna 4 has no such step, so histories without such outliers are modelled identically.
 */
export function fenceLowOutliers(values: readonly number[]): number[] {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length < 4) return [...values];
  const q = (p: number): number => {
    const h = (finite.length - 1) * p;
    const lo = Math.floor(h);
    return (finite[lo] as number) + (h - lo) * ((finite[Math.min(lo + 1, finite.length - 1)] as number) - (finite[lo] as number));
  };
  const iqr = q(0.75) - q(0.25);
  if (!(iqr > 0)) return [...values];
  const fence = q(0.25) - 10 * iqr;
  return values.map((v) => (v < fence ? fence : v));
}
