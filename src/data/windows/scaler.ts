import type { ScaleKind } from './options.js';

/** A fitted scaler: what was learned from the training rows, enough to scale and to invert. */
export type Scaler =
  | { readonly kind: 'zscore'; readonly mean: number; readonly std: number }
  | { readonly kind: 'minmax'; readonly min: number; readonly max: number }
  | { readonly kind: 'none' };

/** Fits a scaler on values[from, to), ignoring non-finite values. */
export function fitScaler(kind: ScaleKind, values: Float64Array, from: number, to: number): Scaler {
  if (kind === 'none') return { kind };
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (kind === 'minmax') return n === 0 ? { kind, min: 0, max: 1 } : { kind, min, max };
  const mean = n === 0 ? 0 : sum / n;
  let ss = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) ss += (v - mean) ** 2;
  }
  return { kind, mean, std: n < 2 ? 1 : Math.sqrt(ss / n) };
}

/** Below this a spread is no spread at all: dividing by it overflows for ordinary values. */
const MIN_SPREAD = 1e-300;

/**
 * The divisor of a scaler; 1 for a constant column, which then scales to 0 instead of dividing by
 * zero. A spread below MIN_SPREAD or within the values' own rounding (2⁻⁵² of their magnitude)
 * counts as constant too: the values [0, 5e-324] would otherwise scale −1e-15 to −Infinity, and
 * a column equal up to its last bit would be blown up into noise.
 */
function spread(s: Scaler): number {
  const raw = s.kind === 'zscore' ? s.std : s.kind === 'minmax' ? s.max - s.min : 1;
  const magnitude = s.kind === 'zscore' ? Math.abs(s.mean) : s.kind === 'minmax' ? Math.max(Math.abs(s.min), Math.abs(s.max)) : 0;
  return raw >= MIN_SPREAD && raw > Number.EPSILON * magnitude ? raw : 1;
}

export function scaleValue(s: Scaler, v: number): number {
  if (s.kind === 'zscore') return (v - s.mean) / spread(s);
  if (s.kind === 'minmax') return (v - s.min) / spread(s);
  return v;
}

export function unscaleValue(s: Scaler, v: number): number {
  if (s.kind === 'zscore') return v * spread(s) + s.mean;
  if (s.kind === 'minmax') return v * spread(s) + s.min;
  return v;
}
