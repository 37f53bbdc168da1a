import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitScaler, scaleValue, unscaleValue } from '../../src/data/windows/scaler.js';

// The scalers data.windows fits on training rows only. Checked against the textbook definitions
// (sklearn's StandardScaler: population std, ddof 0; MinMaxScaler to [0, 1]) over the finite values
// of the fitted range, with non-finite values (a diverged feature, a missing value) and rows outside
// the range around them.
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const cell = fc.oneof({ weight: 6, arbitrary: finite }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) });

function reference(values: readonly number[]): { n: number; mean: number; std: number; min: number; max: number } {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  const mean = n === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? 1 : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { n, mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('fitScaler', () => {
  it('z-score: the mean and population std of the finite values in [from, to), nothing outside it', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 40 }), fc.array(cell, { maxLength: 40 }), fc.array(cell, { maxLength: 40 }), (before, inside, after) => {
        const values = Float64Array.from([...before, ...inside, ...after]);
        const s = fitScaler('zscore', values, before.length, before.length + inside.length);
        const r = reference(inside);
        expect(s.kind).toBe('zscore');
        if (s.kind !== 'zscore') return;
        expect(close(s.mean, r.mean)).toBe(true);
        expect(close(s.std, r.std)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('min-max: the extremes of the finite values in [from, to)', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 40 }), fc.array(cell, { minLength: 1, maxLength: 40 }), fc.array(cell, { maxLength: 40 }), (before, inside, after) => {
        const values = Float64Array.from([...before, ...inside, ...after]);
        const s = fitScaler('minmax', values, before.length, before.length + inside.length);
        const r = reference(inside);
        expect(s).toEqual(r.n === 0 ? { kind: 'minmax', min: 0, max: 1 } : { kind: 'minmax', min: r.min, max: r.max });
      }),
      { numRuns: 500 },
    );
  });

  it('small and degenerate ranges: none, empty, one value, all non-finite', () => {
    const values = Float64Array.from([Number.NaN, 5, Infinity, 2, 9]);
    expect(fitScaler('none', values, 0, 5)).toEqual({ kind: 'none' });
    expect(fitScaler('zscore', values, 2, 2)).toEqual({ kind: 'zscore', mean: 0, std: 1 });
    expect(fitScaler('zscore', values, 1, 2)).toEqual({ kind: 'zscore', mean: 5, std: 1 });
    expect(fitScaler('zscore', values, 0, 1)).toEqual({ kind: 'zscore', mean: 0, std: 1 });
    expect(fitScaler('minmax', values, 0, 1)).toEqual({ kind: 'minmax', min: 0, max: 1 });
    expect(fitScaler('zscore', values, 0, 5)).toEqual({ kind: 'zscore', mean: 16 / 3, std: Math.sqrt(((5 - 16 / 3) ** 2 + (2 - 16 / 3) ** 2 + (9 - 16 / 3) ** 2) / 3) });
    expect(fitScaler('minmax', values, 0, 5)).toEqual({ kind: 'minmax', min: 2, max: 9 });
    // Decreasing, then increasing: the extremes are not simply the first or last value.
    expect(fitScaler('minmax', Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6]), 0, 8)).toEqual({ kind: 'minmax', min: 1, max: 9 });
  });
});

describe('scaleValue / unscaleValue', () => {
  it('z-score and min-max scale as defined, and unscale back', () => {
    const z = { kind: 'zscore', mean: 10, std: 4 } as const;
    expect(scaleValue(z, 18)).toBe(2);
    expect(unscaleValue(z, 2)).toBe(18);
    const m = { kind: 'minmax', min: 10, max: 30 } as const;
    expect(scaleValue(m, 15)).toBe(0.25);
    expect(unscaleValue(m, 0.25)).toBe(15);
    expect(scaleValue({ kind: 'none' }, 7)).toBe(7);
    expect(unscaleValue({ kind: 'none' }, 7)).toBe(7);
  });

  it('a constant column scales to 0 (spread 1), never divides by zero, and unscales back', () => {
    const z = { kind: 'zscore', mean: 5, std: 0 } as const;
    expect(scaleValue(z, 5)).toBe(0);
    expect(scaleValue(z, 7)).toBe(2);
    expect(unscaleValue(z, 2)).toBe(7);
    const m = { kind: 'minmax', min: 5, max: 5 } as const;
    expect(scaleValue(m, 5)).toBe(0);
    expect(scaleValue(m, 8)).toBe(3);
    expect(unscaleValue(m, 3)).toBe(8);
  });

  it('a spread that would overflow or is below the values’ rounding counts as constant (CI found [0, 5e-324])', () => {
    for (const [kind, xs] of [['minmax', [0, 5e-324]], ['zscore', [0, 5e-324]], ['minmax', [1e6, 1e6 + 1e-10]], ['zscore', [-3, -3 - 4e-16]]] as const) {
      const s = fitScaler(kind, Float64Array.from(xs), 0, xs.length);
      for (const v of [-8.881784197001252e-16, 0, xs[1], 2.5]) {
        const scaled = scaleValue(s, v);
        expect(Number.isFinite(scaled), `${kind} ${String(xs)} at ${v}`).toBe(true);
        expect(Math.abs(unscaleValue(s, scaled) - v)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
      }
    }
    // A small but real spread is kept: values of 1e-10 scale with their own spread.
    const tiny = fitScaler('minmax', Float64Array.from([1e-10, 3e-10]), 0, 2);
    expect(scaleValue(tiny, 2e-10)).toBeCloseTo(0.5, 12);
  });

  it('unscale inverts scale for every fitted scaler (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('zscore', 'minmax') as fc.Arbitrary<'zscore' | 'minmax'>, fc.array(finite, { minLength: 1, maxLength: 30 }), finite, (kind, xs, v) => {
        const s = fitScaler(kind, Float64Array.from(xs), 0, xs.length);
        const back = unscaleValue(s, scaleValue(s, v));
        expect(Math.abs(back - v)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
      }),
      { numRuns: 500 },
    );
  });
});
