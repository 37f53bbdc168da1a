import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dieboldMariano } from '../../src/models/significance.js';
import { InvalidOptionError } from '../../src/errors.js';
import { Rng } from '../../src/util/rng.js';
import { requireOrSkip } from '../helpers/require.js';

const PYTHON = '/usr/bin/python3';
const scipy = spawnSync(PYTHON, ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
const noScipy = scipy.status !== 0 ? `numpy/scipy not importable by ${PYTHON}: ${scipy.stderr || scipy.error?.message}` : '';

// The reference, written from the papers with numpy and scipy.stats.t (Diebold & Mariano 1995,
// Harvey, Leybourne & Newbold 1997), run on the same error series.
const REFERENCE = `
import json, sys
import numpy as np
from scipy import stats
cases = json.load(sys.stdin)
out = []
for c in cases:
    e1, e2, h = np.array(c['e1']), np.array(c['e2']), c['h']
    d = (e1**2 - e2**2) if c['loss'] == 'squared' else (np.abs(e1) - np.abs(e2))
    n = len(d); m = d.mean()
    gam = [np.sum((d[k:] - m) * (d[:n-k] - m)) / n for k in range(h)]
    v = gam[0] + 2 * sum(gam[1:])
    dm = m / np.sqrt(v / n)
    hln = dm * np.sqrt((n + 1 - 2*h + h*(h-1)/n) / n)
    p = {'two-sided': 2 * stats.t.sf(abs(hln), n - 1), 'less': stats.t.cdf(hln, n - 1), 'greater': stats.t.sf(hln, n - 1)}[c['alt']]
    out.append({'statistic': hln, 'pValue': p, 'mean': m})
print(json.dumps(out))
`;

function series(rng: Rng, n: number, scale: number, ar = 0): number[] {
  const out: number[] = [];
  let prev = 0;
  for (let i = 0; i < n; i++) {
    prev = ar * prev + scale * (rng.normal());
    out.push(prev);
  }
  return out;
}

describe('Diebold–Mariano with the HLN correction', () => {
  it.skipIf(requireOrSkip(noScipy === '' ? undefined : noScipy))(`equals a numpy/scipy reference ${noScipy}`, () => {
    const rng = new Rng(11);
    const cases = [
      { n: 30, h: 1, loss: 'squared', alt: 'two-sided', s1: 1, s2: 1.2, ar: 0 },
      { n: 250, h: 1, loss: 'absolute', alt: 'two-sided', s1: 1, s2: 1.05, ar: 0.3 },
      { n: 120, h: 3, loss: 'squared', alt: 'less', s1: 0.9, s2: 1, ar: 0.5 },
      { n: 500, h: 5, loss: 'squared', alt: 'greater', s1: 1.1, s2: 1, ar: 0.7 },
      { n: 12, h: 2, loss: 'absolute', alt: 'two-sided', s1: 2, s2: 1, ar: 0 },
    ].map((c) => ({ ...c, e1: series(rng, c.n, c.s1, c.ar), e2: series(rng, c.n, c.s2, c.ar) }));
    const py = spawnSync(PYTHON, ['-c', REFERENCE], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const reference = JSON.parse(py.stdout) as Array<{ statistic: number; pValue: number; mean: number }>;
    cases.forEach((c, i) => {
      const ours = dieboldMariano(c.e1, c.e2, { horizon: c.h, loss: c.loss as 'squared', alternative: c.alt as 'less' });
      const ref = reference[i]!;
      expect(ours.n).toBe(c.n);
      expect(ours.statistic).toBeCloseTo(ref.statistic, 10);
      expect(ours.lossDiffMean).toBeCloseTo(ref.mean, 12);
      // jStat's incomplete beta is good to a few 1e-9 here: far below the 2 digits a p-value is read to.
      expect(Math.abs(ours.pValue - ref.pValue)).toBeLessThan(1e-8 + 1e-6 * ref.pValue);
    });
  });

  it('is antisymmetric and its p-value is a probability', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true })), { minLength: 6, maxLength: 80 }), fc.integer({ min: 1, max: 4 }), (pairs, h) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const ab = dieboldMariano(a, b, { horizon: h });
        const ba = dieboldMariano(b, a, { horizon: h });
        if (Number.isNaN(ab.statistic)) {
          expect(ab.pValue).toBeNaN();
          return;
        }
        expect(ba.statistic).toBeCloseTo(-ab.statistic, 8);
        expect(ba.pValue).toBeCloseTo(ab.pValue, 8);
        expect(ab.pValue).toBeGreaterThanOrEqual(0);
        expect(ab.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('finds a clearly better forecast and does not find a difference between equals', () => {
    const rng = new Rng(3);
    const truth = series(rng, 400, 1);
    const good = truth.map((x) => 0.2 * x);
    const bad = truth;
    const r = dieboldMariano(good, bad);
    expect(r.lossDiffMean).toBeLessThan(0);
    expect(r.pValue).toBeLessThan(1e-6);
    // Same forecast: no variance in the differential, so no test (not a false "significant").
    const same = dieboldMariano(bad, bad);
    expect(same.statistic).toBeNaN();
    expect(same.pValue).toBeNaN();
  });

  it('rejects bad input by name', () => {
    expect(() => dieboldMariano([1, 2], [1])).toThrow(/paired, got 2 and 1/);
    expect(() => dieboldMariano([1, 2, 3], [1, 2, 3], { horizon: 0 })).toThrow(/horizon must be a whole number >= 1/);
    expect(() => dieboldMariano([1, 2, 3], [1, 2, 3], { loss: 'huber' as never })).toThrow(/loss must be 'squared' or 'absolute'/);
    expect(() => dieboldMariano([1, NaN, 3], [1, 2, 3])).toThrow(/error 1 is not a finite number/);
    expect(() => dieboldMariano([1, 2], [3, 4], { horizon: 2 })).toThrow(InvalidOptionError);
  });
});
