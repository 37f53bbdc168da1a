/**
 * numpy's `nanpercentile` with its default 'linear' method, reproduced step by step (virtual
 * index, floor, numpy's two-sided lerp) so that a threshold computed here equals Optuna's to the
 * last bit and ties are decided the same way. NaN when every value is NaN, as numpy.
 */
export function nanPercentile(values: readonly number[], percentile: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * (percentile / 100);
  if (virtual >= n - 1) return sorted[n - 1] as number;
  if (virtual < 0) return sorted[0] as number;
  const below = Math.floor(virtual);
  return lerp(sorted[below] as number, sorted[below + 1] as number, virtual - below);
}

// numpy interpolates from the nearer end so the result never overshoots b.
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
