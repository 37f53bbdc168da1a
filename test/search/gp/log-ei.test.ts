import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfcx, logEi, standardLogEi, standardLogEiDerivative } from '../../../src/search/samplers/gp/log-ei.js';

// log EI must stay finite and accurate where EI itself underflows (a candidate far worse than the
// best, z ≪ 0) and where it is plainly z (far better, z ≫ 0): the acquisition's optimiser follows its
// gradient through both. The references are closed forms, independent of the code's two branches.

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * For z ≪ 0, z·Φ(z) + φ(z) = φ(z)·Σ_{k≥1} (−1)^(k−1) (2k−1)!! / z^(2k) and Φ(z) = φ(z)/(−z)·Σ_{k≥0}
 * (−1)^k (2k−1)!! / z^(2k) (the asymptotic series of Mills' ratio), summed while the terms shrink.
 */
function leftTail(z: number): { logEi: number; derivative: number } {
  const z2 = z * z;
  let term = 1;
  let mills = 1;
  let ei = 0;
  for (let k = 1; k < 60; k++) {
    term *= -(2 * k - 1) / z2;
    if (Math.abs(term) < 1e-18) break;
    mills += term;
    ei -= term;
  }
  // ei = Σ_{k≥1} (−1)^(k−1) (2k−1)!!/z^(2k) written as 1/z² · (1 − 3/z² + …) via the same terms.
  const logPhi = -0.5 * z2 - LOG_SQRT_2PI;
  return { logEi: logPhi + Math.log(ei), derivative: mills / -z / ei };
}

describe('standardLogEi: log E[max(0, X + z)], X ~ N(0, 1)', () => {
  it('equals the asymptotic series in the far left tail, where EI underflows, with its derivative', () => {
    for (const z of [-26, -30, -40, -60, -200, -1000, -1e5]) {
      const ref = leftTail(z);
      expect(Math.abs(standardLogEi(z) - ref.logEi) / Math.abs(ref.logEi)).toBeLessThan(1e-12);
      // The derivative is r / (1 + z·r) with z·r → −1: it loses digits as z² grows (1e-10 relative at
      // −1000, 3e-6 at −1e5, against mpmath), which moves no optimiser step that far from the best.
      const digits = z >= -200 ? 1e-11 : 1e-5;
      expect(Math.abs(standardLogEiDerivative(z) - ref.derivative) / Math.abs(ref.derivative)).toBeLessThan(digits);
      // d/dz log(zΦ + φ) = −z + 2/(−z) + … in the tail: the optimiser is pushed back hard.
      expect(standardLogEiDerivative(z)).toBeGreaterThan(0.99 * -z);
    }
  });

  it('is log z far on the right, where the tail formula would overflow, with derivative 1/z', () => {
    for (const z of [40, 100, 1000, 1e6]) {
      expect(standardLogEi(z)).toBe(Math.log(z));
      expect(Math.abs(standardLogEiDerivative(z) - 1 / z) * z).toBeLessThan(1e-14);
    }
  });

  it('is continuous and increasing across the switch at z = −25 and everywhere (property)', () => {
    const below = standardLogEi(-25 - 1e-9);
    const at = standardLogEi(-25);
    expect(at).toBeGreaterThan(below);
    expect(at - below).toBeLessThan(1e-9 * 26);
    expect(Math.abs(standardLogEiDerivative(-25 - 1e-12) - standardLogEiDerivative(-25)) / standardLogEiDerivative(-25)).toBeLessThan(1e-10);
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1e-6, max: 10, noNaN: true }), (z, dz) => {
        expect(standardLogEi(z + dz)).toBeGreaterThanOrEqual(standardLogEi(z));
        expect(Number.isFinite(standardLogEi(z))).toBe(true);
        expect(standardLogEiDerivative(z)).toBeGreaterThan(0);
      }),
    );
  });
});

describe('erfcx', () => {
  it('is NaN at NaN, 1 at 0, and obeys erfcx(−x) = 2·e^(x²) − erfcx(x) (property)', () => {
    expect(erfcx(Number.NaN)).toBeNaN();
    expect(erfcx(0)).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 6, noNaN: true }), (x) => {
        const reflected = 2 * Math.exp(x * x) - erfcx(x);
        expect(Math.abs(erfcx(-x) - reflected) / reflected).toBeLessThan(1e-13);
      }),
    );
  });

  it('approaches 1/(x√π) for large x, and is decreasing on [0, ∞) (property)', () => {
    expect(Math.abs(erfcx(1e8) * 1e8 * Math.sqrt(Math.PI) - 1)).toBeLessThan(1e-15);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.double({ min: 1e-6, max: 10, noNaN: true }), (x, dx) => {
        expect(erfcx(x + dx)).toBeLessThan(erfcx(x));
      }),
    );
  });
});

describe('logEi of N(mean, variance) over a threshold', () => {
  it('is standardLogEi of the z-score plus log σ, with derivatives equal to central differences (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: 1e-3, max: 100, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (mean, variance, f0) => {
        const r = logEi(mean, variance, f0);
        const sigma = Math.sqrt(variance);
        expect(r.value).toBe(standardLogEi((mean - f0) / sigma) + Math.log(sigma));
        const h = 1e-5;
        const fdMean = (logEi(mean + h, variance, f0).value - logEi(mean - h, variance, f0).value) / (2 * h);
        const hv = 1e-5 * variance;
        const fdVar = (logEi(mean, variance + hv, f0).value - logEi(mean, variance - hv, f0).value) / (2 * hv);
        expect(Math.abs(r.dMean - fdMean)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fdMean)));
        expect(Math.abs(r.dVar - fdVar)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fdVar)));
      }),
    );
  });
});
