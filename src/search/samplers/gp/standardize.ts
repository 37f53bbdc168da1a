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
