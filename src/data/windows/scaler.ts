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

// A constant column scales to 0 instead of dividing by zero.
function spread(s: Scaler): number {
  if (s.kind === 'zscore') return s.std > 0 ? s.std : 1;
  if (s.kind === 'minmax') return s.max > s.min ? s.max - s.min : 1;
  return 1;
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
