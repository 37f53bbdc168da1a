import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenceLowOutliers, standardize } from '../../../src/search/samplers/gp/standardize.js';

describe('standardize (Optuna 4’s GP sampler)', () => {
  it('subtracts the mean and divides by the population standard deviation (numpy’s std, ddof 0)', () => {
    const r = standardize([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.std).toBe(Math.sqrt(1.25));
    Array.from(r.values).forEach((v, i) => expect(v).toBeCloseTo((i + 1 - 2.5) / Math.sqrt(1.25), 15));
  });

  it('gives mean 0 and population variance 1 for any finite values that are not all equal (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 40 }), (vs) => {
        fc.pre(Math.max(...vs) - Math.min(...vs) > 1e-3);
        const { values } = standardize(vs);
        const n = values.length;
        const mean = values.reduce((s, v) => s + v, 0) / n;
        const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
        expect(Math.abs(mean)).toBeLessThan(1e-9);
        expect(Math.abs(variance - 1)).toBeLessThan(1e-9);
      }),
    );
  });

  it('clips +∞ to the largest finite value and −∞ to the smallest, before the mean is taken', () => {
    const r = standardize([1, Infinity, 3, -Infinity, 2]);
    expect(r.mean).toBe(2);
    expect(Array.from(r.values)).toEqual(Array.from(standardize([1, 3, 3, 1, 2]).values));
  });

  it('floors the standard deviation at 1e−10: equal values become 0, and the scale returned is the floor', () => {
    const r = standardize([7, 7, 7]);
    expect(r.mean).toBe(7);
    expect(r.std).toBe(1e-10);
    expect(Array.from(r.values)).toEqual([0, 0, 0]);
    // A spread smaller than the floor is divided by the floor, not by itself.
    const tiny = standardize([0, 1e-12]);
    expect(tiny.std).toBe(1e-10);
    expect(tiny.values[1]).toBeCloseTo(0.5e-12 / 1e-10, 12);
  });

  it('with no finite value at all, every value is clipped to 0', () => {
    const r = standardize([Infinity, -Infinity, Infinity]);
    expect(r.mean).toBe(0);
    expect(Array.from(r.values)).toEqual([0, 0, 0]);
  });
});

describe('fenceLowOutliers', () => {
  /** numpy's default (linear) quantile, written out independently of the module. */
  function quantile(sorted: number[], p: number): number {
    const h = (sorted.length - 1) * p;
    const i = Math.floor(h);
    const j = Math.min(i + 1, sorted.length - 1);
    return (sorted[i] as number) * (1 - (h - i)) + (sorted[j] as number) * (h - i);
  }

  it('raises values below q25 − 10·IQR to that fence, with numpy’s linear quantiles', () => {
    // Sorted finite values [-1e6, 0, 1, 2, 4, 8]: q25 at h = 1.25 is 0.25, q75 at h = 3.75 is 3.5,
    // IQR 3.25, fence 0.25 − 32.5 = −32.25.
    const out = fenceLowOutliers([8, -1e6, 2, 0, 4, 1]);
    expect(out).toEqual([8, -32.25, 2, 0, 4, 1]);
  });

  it('keeps every value at or above the fence, every good value, and the order of the values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 4, maxLength: 30 }), (vs) => {
        const sorted = [...vs].sort((a, b) => a - b);
        const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
        const out = fenceLowOutliers(vs);
        expect(out).toHaveLength(vs.length);
        if (!(iqr > 0)) {
          expect(out).toEqual(vs);
          return;
        }
        const fence = quantile(sorted, 0.25) - 10 * iqr;
        vs.forEach((v, i) => {
          if (v >= fence) expect(out[i]).toBe(v);
          else expect(Math.abs((out[i] as number) - fence)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(fence)));
        });
      }),
    );
  });

  it('fences −∞ too, and leaves +∞ and NaN to standardize', () => {
    const out = fenceLowOutliers([1, 2, 3, 4, -Infinity, Infinity, Number.NaN]);
    // Finite [1, 2, 3, 4]: q25 1.75, q75 3.25, fence 1.75 − 15 = −13.25.
    expect(out.slice(0, 6)).toEqual([1, 2, 3, 4, -13.25, Infinity]);
    expect(out[6]).toBeNaN();
  });

  it('leaves histories with fewer than 4 finite values, or no spread between the quartiles, as they are, in a new array', () => {
    const three = [1, 2, -1e300, Infinity];
    const out = fenceLowOutliers(three);
    expect(out).toEqual(three);
    expect(out).not.toBe(three);
    const flat = [5, 5, 5, 5, -1e300];
    expect(fenceLowOutliers(flat)).toEqual(flat);
    expect(fenceLowOutliers(flat)).not.toBe(flat);
    // Four finite values are enough: [1, 2, 3, 4, -Infinity] has q25 1.75 and q75 3.25.
    expect(fenceLowOutliers([1, 2, 3, 4, -Infinity])[4]).toBe(1.75 - 15);
  });
});
