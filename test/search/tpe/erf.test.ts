import { describe, expect, it } from 'vitest';
import { erf, erfc } from '../../../src/search/samplers/tpe/erf.js';
import { maxRelDiff, python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

const XS = [-30, -27, -10, -6, -5.9, -3, -2.857, -1.3, -1.25, -1, -0.84375, -0.5, -1e-9, 0, 1e-20, 0.2, 0.25, 0.6, 0.84375, 1, 1.2, 1.25, 2, 2.857, 3, 5, 5.99, 6, 10, 26, 27.5, 30];

describe('erf / erfc', () => {
  it('is odd, complementary, and bounded', () => {
    for (const x of XS) {
      expect(erf(-x)).toBe(-erf(x));
      expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThan(1e-15);
      expect(Math.abs(erf(x))).toBeLessThanOrEqual(1);
    }
    expect(erf(Infinity)).toBe(1);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(Number.NaN)).toBeNaN();
  });

  it('keeps relative accuracy in the far tail, where 1 - erf would be 0', () => {
    expect(erfc(10)).toBeGreaterThan(0);
    expect(erfc(26)).toBeGreaterThan(0);
    // erfc(x) ~ exp(-x²)/(x√π) (1 - 1/(2x²)) for large x
    const x = 20;
    const approx = (Math.exp(-x * x) / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4));
    expect(Math.abs(erfc(x) / approx - 1)).toBeLessThan(1e-6);
  });

  it.skipIf(requireOrSkip(pythonMissing))('matches scipy.special to ~1e-15', () => {
    const ref = python<{ erf: number[]; erfc: number[] }>(`from scipy import special as sp\nxs=${JSON.stringify(XS)}\nprint(json.dumps({"erf":[float(sp.erf(x)) for x in xs],"erfc":[float(sp.erfc(x)) for x in xs]}))`);
    expect(maxRelDiff(XS.map(erf), ref.erf)).toBeLessThan(1e-15);
    expect(maxRelDiff(XS.map(erfc), ref.erfc)).toBeLessThan(1e-14);
  });
});
