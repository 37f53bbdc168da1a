import { describe, expect, it } from 'vitest';
import { Mixture, type KernelBatch } from '../../../src/search/samplers/tpe/mixture.js';
import { Rng } from '../../../src/util/rng.js';
import { python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

const continuous: KernelBatch = { kind: 'continuous', mu: f64([-1, 2, 9]), sigma: f64([0.5, 3, 1]), low: -2, high: 10 };
const discrete: KernelBatch = { kind: 'discrete', mu: f64([1, 3, 5]), sigma: f64([0.7, 2, 4]), low: 1, high: 9, step: 2 };
const categorical: KernelBatch = { kind: 'categorical', nChoices: 3, probs: f64([0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 1 / 3, 1 / 3, 1 / 3]) };
const weights = f64([0.5, 0.3, 0.2]);

describe('mixture of truncated normals and categoricals', () => {
  it('has a density that integrates to 1 (continuous) and masses that sum to 1 (discrete, categorical)', () => {
    const m = new Mixture(weights, [continuous]);
    const n = 200000;
    const h = 12 / n;
    const xs = Float64Array.from({ length: n }, (_, i) => -2 + (i + 0.5) * h);
    const integral = m.logPdf([xs]).reduce((s, v) => s + Math.exp(v) * h, 0);
    expect(Math.abs(integral - 1)).toBeLessThan(1e-6);
    const d = new Mixture(weights, [discrete]);
    expect(Math.abs(d.logPdf([f64([1, 3, 5, 7, 9])]).reduce((s, v) => s + Math.exp(v), 0) - 1)).toBeLessThan(1e-12);
    const c = new Mixture(weights, [categorical]);
    expect(Math.abs(c.logPdf([f64([0, 1, 2])]).reduce((s, v) => s + Math.exp(v), 0) - 1)).toBeLessThan(1e-12);
  });

  it('samples inside the support, on the grid, with the mixture frequencies', () => {
    const m = new Mixture(weights, [continuous, discrete, categorical]);
    const n = 30000;
    const [xs, ds, cs] = m.sample(new Rng(11), n) as [Float64Array, Float64Array, Float64Array];
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const d = ds[i] as number;
      const c = cs[i] as number;
      if (x < -2 || x > 10 || ![1, 3, 5, 7, 9].includes(d) || ![0, 1, 2].includes(c)) outside++;
    }
    expect(outside).toBe(0);
    // P(c = 0) = 0.5·0.8 + 0.3·0.1 + 0.2/3; binomial standard error ≈ 0.0029, allow 5 of them.
    const p0 = cs.reduce((s, v) => s + (v === 0 ? 1 : 0), 0) / n;
    expect(Math.abs(p0 - (0.4 + 0.03 + 0.2 / 3))).toBeLessThan(0.015);
    // Components are shared across dimensions: c = 0 mostly comes with the kernel at x = -1.
    let near = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      if (cs[i] !== 0) continue;
      zeros++;
      if ((xs[i] as number) < 0.5) near++;
    }
    expect(near / zeros).toBeGreaterThan(0.7);
  });

  it('with legacy scoring leaves out each continuous kernel\'s 1/sigma, as Optuna 3.1 did, and samples the same', () => {
    const one: KernelBatch = { kind: 'continuous', mu: f64([2]), sigma: f64([3]), low: -2, high: 10 };
    const xs = f64([-1, 2, 7]);
    const proper = new Mixture(f64([1]), [one]).logPdf([xs]);
    const legacy = new Mixture(f64([1]), [one], true).logPdf([xs]);
    xs.forEach((_, i) => expect((legacy[i] as number) - (proper[i] as number)).toBeCloseTo(Math.log(3), 12));
    const a = new Mixture(weights, [continuous, discrete]).sample(new Rng(4), 50);
    const b = new Mixture(weights, [continuous, discrete], true).sample(new Rng(4), 50);
    expect(b).toEqual(a);
  });

  it.skipIf(requireOrSkip(pythonMissing))('gives the log density scipy gives for the same kernels', () => {
    const points = { x: [-2, -1.2, 0, 3.3, 9.9, 10], d: [1, 3, 5, 9, 7, 1], c: [0, 1, 2, 0, 1, 2] };
    const ref = python<number[]>(`
import numpy as np
from scipy import stats
w = np.array(${JSON.stringify([...weights])})
mu, sg = np.array([-1, 2, 9.]), np.array([0.5, 3, 1.])
dmu, dsg = np.array([1, 3, 5.]), np.array([0.7, 2, 4.])
probs = np.array(${JSON.stringify([...categorical.probs])}).reshape(3, 3)
out = []
for x, d, c in zip(${JSON.stringify(points.x)}, ${JSON.stringify(points.d)}, ${JSON.stringify(points.c)}):
    px = stats.truncnorm.pdf(x, (-2 - mu) / sg, (10 - mu) / sg, loc=mu, scale=sg)
    cdf = lambda v: stats.norm.cdf((v - dmu) / dsg)
    pd = (cdf(d + 1) - cdf(d - 1)) / (cdf(10) - cdf(0))
    out.append(float(np.log(np.sum(w * px * pd * probs[:, c]))))
print(json.dumps(out))`);
    const m = new Mixture(weights, [continuous, discrete, categorical]);
    const got = m.logPdf([f64(points.x), f64(points.d), f64(points.c)]);
    ref.forEach((v, i) => expect(Math.abs((got[i] as number) - v)).toBeLessThan(1e-10));
  });
});
