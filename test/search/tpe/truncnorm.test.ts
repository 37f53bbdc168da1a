import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { logAddExp, logGaussMass, logNdtr, ndtr, ndtriExp, truncnormPpf } from '../../../src/search/samplers/tpe/truncnorm.js';
import { Rng } from '../../../src/util/rng.js';
import { maxRelDiff, python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

const AS = [-60, -38, -25, -20.5, -10, -6, -3, -1, -0.3, 0, 0.3, 1, 3, 5, 6.5, 9, 12, 40];
const YS = [-2000, -700, -300, -50, -10, -3, -1, -0.69, -0.5, -0.1, -1e-3, -1e-8, -1e-15];
const INTERVALS: [number, number][] = [[-1, 1], [-50, -40], [3, 4], [10, 30], [-0.5, 20], [-3, -2], [-1e-3, 1e-3], [-8, 8], [0, 0.001], [35, 36]];
const PPF: [number, number, number][] = [[0.3, -1, 1], [0.9, -50, -40], [0.1, 3, 4], [0.5, 10, 30], [0.7, -0.5, 20], [0.01, -3, -2], [0.999, -8, 8], [1e-6, 2, 3], [0.5, 35, 36], [0.42, -36, -35]];

describe('truncated normal', () => {
  it('log Φ is monotone, finite far in the tails, and agrees with Φ where Φ is representable', () => {
    for (let i = 1; i < AS.length; i++) expect(logNdtr(AS[i] as number)).toBeGreaterThan(logNdtr(AS[i - 1] as number));
    expect(Number.isFinite(logNdtr(-1e4))).toBe(true);
    for (const a of [-5, -1, 0, 1, 2]) expect(Math.abs(Math.exp(logNdtr(a)) - ndtr(a))).toBeLessThan(1e-15);
  });

  it('ndtriExp inverts log Φ', () => {
    for (const y of YS) {
      const x = ndtriExp(y);
      expect(Math.abs(logNdtr(x) - y)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(y)));
    }
    expect(ndtriExp(0)).toBe(Infinity);
    expect(ndtriExp(-Infinity)).toBe(-Infinity);
  });

  it('ndtriExp from the extremes of its domain, where a poor first guess leaves Newton short of the root', () => {
    // Far left, x ≈ −√(2|y|); far right, log Φ(x) ≈ −φ(x)/x is so flat that Newton from x = 1 moves by ~1/x a step.
    expect(ndtriExp(-1e300) / -Math.sqrt(2e300) - 1).toBeLessThan(1e-12);
    expect(Math.abs(logNdtr(ndtriExp(-1e-300)) / -1e-300 - 1)).toBeLessThan(1e-12);
    expect(ndtriExp(0.5)).toBeNaN();
    expect(ndtriExp(Number.NaN)).toBeNaN();
  });

  it.skipIf(requireOrSkip(pythonMissing))('ndtriExp equals scipy.special.ndtri_exp in all three starting regions and both extremes', () => {
    const ys = [-1e300, -1e200, -1e10, -2.5, -2, -1.9, -0.5, -0.1, -0.09, -1e-10, -1e-200, -1e-300];
    const ref = python<number[]>(`from scipy import special as sp\nprint(json.dumps([float(sp.ndtri_exp(y)) for y in ${JSON.stringify(ys)}]))`);
    expect(maxRelDiff(ys.map(ndtriExp), ref)).toBeLessThan(1e-14);
  });

  it('logAddExp keeps its larger argument exact, whichever side it is on, and ignores −∞', () => {
    expect(logAddExp(1000, 0)).toBe(1000);
    expect(logAddExp(0, 1000)).toBe(1000);
    expect(logAddExp(-Infinity, -3)).toBe(-3);
    expect(logAddExp(-3, -Infinity)).toBe(-3);
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15);
  });

  it('the quantile of an empty interval is NaN, q = 0 and q = 1 are its ends exactly, and every quantile stays inside', () => {
    expect(truncnormPpf(0.5, 1, 1)).toBeNaN();
    for (const [a, b] of INTERVALS) {
      expect(truncnormPpf(0, a, b)).toBe(a);
      expect(truncnormPpf(1, a, b)).toBe(b);
    }
    fc.assert(
      fc.property(fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: 1e-9, max: 30, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, width, q) => {
        const x = truncnormPpf(q, a, a + width);
        expect(x).toBeGreaterThanOrEqual(a);
        expect(x).toBeLessThanOrEqual(a + width);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('samples stay in [a, b] and follow the truncated density (mean of N(0,1) on [0, ∞) is √(2/π))', () => {
    const rng = new Rng(5);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = truncnormPpf(rng.next(), 0, 50);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(50);
      sum += x;
    }
    // standard error of the mean ≈ 0.6/√n ≈ 0.0043: 5 sigma
    expect(Math.abs(sum / n - Math.sqrt(2 / Math.PI))).toBeLessThan(0.022);
    for (const [q, a, b] of PPF) {
      const x = truncnormPpf(q, a, b);
      expect(x).toBeGreaterThanOrEqual(a);
      expect(x).toBeLessThanOrEqual(b);
    }
  });

  it.skipIf(requireOrSkip(pythonMissing))('matches scipy (log_ndtr, ndtri_exp, truncnorm log mass and ppf)', () => {
    const ref = python<{ logNdtr: number[]; ndtriExp: number[]; mass: number[]; ppf: number[] }>(`
from scipy import special as sp, stats
print(json.dumps({
  "logNdtr": [float(sp.log_ndtr(a)) for a in ${JSON.stringify(AS)}],
  "ndtriExp": [float(sp.ndtri_exp(y)) for y in ${JSON.stringify(YS)}],
  "mass": [float(stats.truncnorm(a, b).logpdf(a) * 0 + (-stats.truncnorm(a, b).logpdf((a + b) / 2) - 0.5 * ((a + b) / 2) ** 2 - 0.5 * math.log(2 * math.pi))) for a, b in ${JSON.stringify(INTERVALS)}],
  "ppf": [float(stats.truncnorm.ppf(q, a, b)) for q, a, b in ${JSON.stringify(PPF)}],
}))`);
    expect(maxRelDiff(AS.map(logNdtr), ref.logNdtr)).toBeLessThan(1e-13);
    expect(maxRelDiff(YS.map(ndtriExp), ref.ndtriExp)).toBeLessThan(1e-12);
    // scipy's truncnorm logpdf at the midpoint gives -log mass - z²/2 - log√(2π); invert it.
    // Compared on the scale max(1, |value|): for a mass near 1 (log mass ~ -1e-15) scipy itself
    // is only absolutely accurate.
    INTERVALS.forEach(([a, b], i) => {
      const want = ref.mass[i] as number;
      expect(Math.abs(logGaussMass(a, b) - want) / Math.max(1, Math.abs(want))).toBeLessThan(1e-12);
    });
    expect(maxRelDiff(PPF.map(([q, a, b]) => truncnormPpf(q, a, b)), ref.ppf)).toBeLessThan(1e-9);
  });
});
