import type { Transform } from './options.js';

/** The transformed value at a row, from the raw value before it and at it. */
export function applyTransform(kind: Transform, prev: number, cur: number): number {
  if (kind === 'logReturn') return Math.log(cur / prev);
  if (kind === 'pctChange') return cur / prev - 1;
  return cur;
}

/**
 * Back to price units along a forecast path: `base` is the last observed raw value, `steps` the
 * transformed values of steps 1..h. Writes the raw values into `out` at `at`.
 */
export function invertPath(kind: Transform, base: number, steps: ArrayLike<number>, out: Float64Array, at: number): void {
  let level = base;
  for (let h = 0; h < steps.length; h++) {
    const v = steps[h] as number;
    if (kind === 'logReturn') level *= Math.exp(v);
    else if (kind === 'pctChange') level *= 1 + v;
    else level = v;
    out[at + h] = level;
  }
}
