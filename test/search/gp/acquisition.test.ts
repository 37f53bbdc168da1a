import { describe, expect, it } from 'vitest';
import { LogEI, LogPI, SumAcquisition, type Acquisition } from '../../../src/search/samplers/gp/acquisition.js';
import { fitGP, type GPRegressor } from '../../../src/search/samplers/gp/gp.js';
import { GPSearchSpace } from '../../../src/search/samplers/gp/search-space.js';
import { logNdtr } from '../../../src/search/samplers/tpe/truncnorm.js';
import { categoricalDistribution, floatDistribution } from '../../../src/trial/distributions.js';
import { Rng } from '../../../src/util/rng.js';
import { centralDifference } from './central-difference.js';

const space = new GPSearchSpace({ a: floatDistribution('a', 0, 1), b: floatDistribution('b', 0, 1), c: categoricalDistribution('c', ['x', 'y', 'z']) });

/** A GP fitted to 20 points of a smooth function of two continuous dimensions and a categorical. */
function fitted(seed: number): { gp: GPRegressor; y: Float64Array } {
  const rng = new Rng(seed);
  const n = 20;
  const x = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i * 3] = rng.next();
    x[i * 3 + 1] = rng.next();
    x[i * 3 + 2] = rng.int(3);
    y[i] = Math.sin(5 * (x[i * 3] as number)) + Math.cos(3 * (x[i * 3 + 1] as number)) - 0.4 * (x[i * 3 + 2] as number);
  }
  return { gp: fitGP(x, y, n, 3, space.isCategorical), y };
}

function randomPoints(rng: Rng, m: number): Float64Array {
  const out = new Float64Array(m * 3);
  for (let i = 0; i < m; i++) {
    out[i * 3] = rng.next();
    out[i * 3 + 1] = rng.next();
    out[i * 3 + 2] = rng.int(3);
  }
  return out;
}

function pointAt(points: Float64Array, i: number): Float64Array {
  return points.slice(i * 3, i * 3 + 3);
}

describe('GP acquisitions', () => {
  const { gp, y } = fitted(7);
  const best = Math.max(...y);
  const logEI = new LogEI(gp, space, best);
  const logPI = new LogPI(gp, space, 0.3);
  const sum = new SumAcquisition([logEI, logPI, new LogPI(gp, space, -0.5)]);

  it('values() of a batch are value() of each point, bit for bit, and nothing past the batch is written', () => {
    const rng = new Rng(1);
    const m = 37;
    const points = randomPoints(rng, m + 3);
    for (const acq of [logEI, logPI, sum, new LogEI(gp, space, -Infinity)] as Acquisition[]) {
      const out = new Float64Array(m + 3).fill(42);
      acq.values(points, m, out);
      for (let i = 0; i < m; i++) expect(out[i]).toBe(acq.value(pointAt(points, i)));
      expect(Array.from(out.subarray(m))).toEqual([42, 42, 42]);
      // valueAndGrad gives the same value too.
      for (let i = 0; i < 5; i++) expect(acq.valueAndGrad(pointAt(points, i), new Float64Array(2))).toBe(acq.value(pointAt(points, i)));
    }
  });

  it('log EI is log E[max(0, f − best)] under the posterior: it rises with the mean, and where the mean is far below best it is very negative', () => {
    const rng = new Rng(2);
    const pts = randomPoints(rng, 200);
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const x = pointAt(pts, i);
      const { mean, variance } = gp.posterior(x);
      const v = logEI.value(x);
      expect(Number.isFinite(v)).toBe(true);
      // EI ≥ max(0, mean − best) and EI ≤ E|f − best| ≤ |mean − best| + σ.
      const sigma = Math.sqrt(variance);
      if (mean > best) expect(v).toBeGreaterThanOrEqual(Math.log(mean - best) - 1e-12);
      expect(v).toBeLessThanOrEqual(Math.log(Math.abs(mean - best) + sigma) + 1e-12);
      checked++;
    }
    expect(checked).toBe(200);
    // A lower threshold makes every point's expected improvement larger.
    const lower = new LogEI(gp, space, best - 1);
    for (let i = 0; i < 20; i++) expect(lower.value(pointAt(pts, i))).toBeGreaterThan(logEI.value(pointAt(pts, i)));
  });

  it('log EI with no best yet (threshold −∞) is 0 everywhere, with a zero gradient', () => {
    const none = new LogEI(gp, space, -Infinity);
    const grad = Float64Array.of(5, 5);
    expect(none.valueAndGrad(Float64Array.of(0.2, 0.3, 1), grad)).toBe(0);
    expect(Array.from(grad)).toEqual([0, 0]);
    expect(none.value(Float64Array.of(0.9, 0.1, 2))).toBe(0);
  });

  it('log PI is log Φ((mean − threshold)/√(variance + 1e−12)) of the posterior, as Optuna’s LogPI', () => {
    const rng = new Rng(3);
    const pts = randomPoints(rng, 50);
    for (let i = 0; i < 50; i++) {
      const x = pointAt(pts, i);
      const { mean, variance } = gp.posterior(x);
      expect(logPI.value(x)).toBe(logNdtr((mean - 0.3) / Math.sqrt(variance + 1e-12)));
    }
  });

  it('log PI stays finite with a finite gradient far in the tail (z = −40), where Φ and φ underflow apart', () => {
    const x = Float64Array.of(0.41, 0.57, 1);
    const { mean, variance } = gp.posterior(x);
    for (const z of [-40, -8, 0, 6]) {
      const pi = new LogPI(gp, space, mean - z * Math.sqrt(variance + 1e-12));
      const grad = new Float64Array(2);
      const v = pi.valueAndGrad(x, grad);
      expect(v).toBeCloseTo(logNdtr(z), 10);
      for (const g of grad) expect(Number.isFinite(g)).toBe(true);
      [0, 1].forEach((d) => {
        const fd = centralDifference((q) => pi.value(q), x, d);
        expect(Math.abs((grad[d] as number) - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
      });
    }
  });

  it('the sum of acquisitions adds values, batches and gradients of its parts, over the first part’s space and length scales', () => {
    const parts = [logEI, logPI, new LogPI(gp, space, -0.5)];
    expect(sum.space).toBe(space);
    expect(Array.from(sum.lengthScales)).toEqual(Array.from(gp.lengthScales));
    expect(Array.from(sum.lengthScales)).not.toEqual([1, 1, 1]);
    const rng = new Rng(4);
    const pts = randomPoints(rng, 10);
    for (let i = 0; i < 10; i++) {
      const x = pointAt(pts, i);
      const grad = Float64Array.of(9, 9);
      const v = sum.valueAndGrad(x, grad);
      let expected = 0;
      const expectedGrad = [0, 0] as [number, number];
      for (const p of parts) {
        const g = new Float64Array(2);
        expected += p.valueAndGrad(x, g);
        expectedGrad[0] += g[0] as number;
        expectedGrad[1] += g[1] as number;
      }
      expect(v).toBeCloseTo(expected, 12);
      expect(grad[0]).toBeCloseTo(expectedGrad[0], 10);
      expect(grad[1]).toBeCloseTo(expectedGrad[1], 10);
      expect(sum.value(x)).toBeCloseTo(expected, 12);
    }
  });
});
