import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CMA } from '../../../src/search/samplers/cmaes/cma.js';
import { axisOf, Margin } from '../../../src/search/samplers/cmaes/margin.js';
import { pythonCannotImport, pythonJson } from '../../helpers/python.js';
import { maxAbs } from './helpers.js';
import { requireOrSkip } from '../../helpers/require.js';

// Debian's python3-cmaes 0.9.1 has CMAwM, the class Optuna's CmaEsSampler(with_margin=True) uses.
const cmawmMissing = pythonCannotImport('cmaes, numpy, scipy; from cmaes import CMAwM', 'apt-get install -y python3-cmaes python3-scipy');

interface Generation {
  solutions: { tell: number[]; evaluated: number[]; value: number }[];
  mean: number[];
  sigma: number;
  C: number[][];
  A: number[];
}
interface Trace {
  axes: { index: number; values: number[]; thresholds: number[] }[];
  popsize: number;
  generations: Generation[];
}

/** CMAwM run for some generations on a mixed problem, recording each solution (raw and encoded) and the state after each tell. */
function reference(mean: number[], sigma: number, bounds: [number, number][], steps: number[], fn: string, generations: number): Trace {
  const script = `
import json, numpy as np
from cmaes import CMAwM
def f(x):
    return ${fn}
opt = CMAwM(mean=np.array(${JSON.stringify(mean)}, dtype=float), sigma=${sigma}, bounds=np.array(${JSON.stringify(bounds)}, dtype=float), steps=np.array(${JSON.stringify(steps)}, dtype=float), seed=7)
axes = []
for k, i in enumerate(opt._discrete_idx):
    lo, hi, step = ${JSON.stringify(bounds)}[i][0], ${JSON.stringify(bounds)}[i][1], ${JSON.stringify(steps)}[i]
    n = len(np.arange(lo, hi + step / 2, step))
    axes.append({"index": int(i), "values": opt.z_space[k][:n].tolist(), "thresholds": opt.z_lim[k][:n - 1].tolist()})
out = []
for g in range(${generations}):
    sols = []
    for _ in range(opt.population_size):
        x_eval, x_tell = opt.ask()
        sols.append({"tell": x_tell.tolist(), "evaluated": x_eval.tolist(), "value": float(f(x_eval))})
    opt.tell([(np.array(s["tell"]), s["value"]) for s in sols])
    out.append({"solutions": sols, "mean": opt._cma._mean.tolist(), "sigma": float(opt._cma._sigma), "C": opt._cma._C.tolist(), "A": opt._A.tolist()})
print(json.dumps({"axes": axes, "popsize": opt.population_size, "generations": out}))
`;
  return pythonJson<Trace>(script);
}


describe('CMA-ES with margin equals the cmaes package’s CMAwM', () => {
  const cases = [
    {
      name: 'two floats and two integer grids (steps 1 and 2)',
      mean: [1, -1, 5, 2],
      sigma: 2,
      bounds: [[-5, 5], [-5, 5], [0, 10], [-4, 8]] as [number, number][],
      steps: [0, 0, 1, 2],
      fn: 'float(x[0] ** 2 + 3 * x[1] ** 2 + (x[2] - 3) ** 2 + 0.5 * (x[3] - 6) ** 2)',
      generations: 40,
      branch: 'middle',
    },
    {
      // The optimum at the grid's end: the mean runs past the last threshold, the edge case of the correction.
      name: 'binary variables with their optimum at the edge',
      mean: [0.5, 0.5, 0.5, 0, 0],
      sigma: 1,
      bounds: [[0, 1], [0, 1], [0, 1], [-3, 3], [-3, 3]] as [number, number][],
      steps: [1, 1, 1, 0, 0],
      fn: 'float(3 - np.sum(x[:3]) + (x[3] - 1) ** 2 + (x[4] + 1) ** 2)',
      generations: 30,
      branch: 'edge',
    },
  ];
  for (const c of cases) {
    it.skipIf(requireOrSkip(cmawmMissing))(`${c.name}: encoded points exactly, mean, σ, C and A after every tell to 1e-10`, () => {
      const trace = reference(c.mean, c.sigma, c.bounds, c.steps, c.fn, c.generations);
      const cma = new CMA(Float64Array.from(c.mean), c.sigma);
      expect(cma.populationSize).toBe(trace.popsize);
      const margin = new Margin(c.mean.length, cma.populationSize, trace.axes.map((a) => axisOf(a.index, a.values, a.thresholds)));
      let sawEdge = false;
      let sawMiddle = false;
      for (const g of trace.generations) {
        for (const s of g.solutions) expect(Array.from(margin.encode(Float64Array.from(s.tell), cma.mean))).toEqual(s.evaluated);
        cma.tell(g.solutions.map((s) => ({ x: Float64Array.from(s.tell), value: s.value })));
        margin.correct(cma);
        expect(maxAbs(cma.mean, g.mean)).toBeLessThan(1e-10);
        expect(Math.abs(cma.sigma - g.sigma) / g.sigma).toBeLessThan(1e-10);
        expect(maxAbs(cma.C, g.C.flat()) / Math.max(1, ...g.C.flat().map(Math.abs))).toBeLessThan(1e-10);
        expect(maxAbs(margin.A, g.A) / Math.max(1, ...g.A.map(Math.abs))).toBeLessThan(1e-10);
        for (const a of trace.axes) {
          const m = g.mean[a.index] as number;
          if (m < (a.thresholds[0] as number) || m > (a.thresholds.at(-1) as number)) sawEdge = true;
          else sawMiddle = true;
        }
      }
      // The branch of the correction the case is there for was compared (a binary grid has one threshold, so only edges).
      expect(c.branch === 'middle' ? sawMiddle : sawEdge).toBe(true);
    });
  }

  it('keeps at least margin/2 of the mass beyond each threshold next to the mean, whatever the update did', () => {
    // After correct(), a discrete dimension's marginal N(m, (σ·A·√Cii)²) must leave its cell with
    // probability at least margin/2 on a side that has a neighbour: the guarantee the method exists for.
    const values = [0, 1, 2, 3, 4];
    const thresholds = [0.5, 1.5, 2.5, 3.5];
    fc.assert(
      fc.property(fc.double({ min: -2, max: 6, noNaN: true }), fc.double({ min: 1e-4, max: 3, noNaN: true }), fc.double({ min: 1e-3, max: 4, noNaN: true }), (m, sigma, cii) => {
        const cma = new CMA([0, 0], 1, { populationSize: 6 });
        cma.mean[0] = m;
        cma.sigma = sigma;
        cma.C[0] = cii;
        const margin = new Margin(2, 6, [axisOf(0, values, thresholds)]);
        margin.correct(cma);
        const mean = cma.mean[0] as number;
        const scale = sigma * (margin.A[0] as number) * Math.sqrt(cii);
        const cell = thresholds.filter((t) => t < mean).length;
        const below = cell > 0 ? normalCdf(((thresholds[cell - 1] as number) - mean) / scale) : 1;
        const above = cell < thresholds.length ? 1 - normalCdf(((thresholds[cell] as number) - mean) / scale) : 1;
        expect(Math.min(below, above)).toBeGreaterThanOrEqual(margin.margin / 2 - 1e-6);
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });

  it('encodes every raw point to a grid value, and a point at the mean to the mean’s cell', () => {
    const margin = new Margin(1, 4, [axisOf(0, [10, 20, 30], [15, 25])]);
    const mean = Float64Array.of(21);
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => [10, 20, 30].includes(margin.encode(Float64Array.of(x), mean)[0] as number)), { seed: 1 });
    expect(margin.encode(Float64Array.of(21), mean)[0]).toBe(20);
    expect(margin.encode(Float64Array.of(14.9), mean)[0]).toBe(10);
    expect(margin.encode(Float64Array.of(25.1), mean)[0]).toBe(30);
  });

  it('refuses an axis with fewer than two values and a margin that is not positive', () => {
    expect(() => new Margin(1, 4, [axisOf(0, [1], [])])).toThrow(/at least two values/);
    expect(() => new Margin(1, 4, [], 0)).toThrow(/margin must be positive/);
  });
});

/** Φ from an erfc approximation independent of the code under test; its error (1.2e-7 relative) is inside the 1e-6 allowed. */
function normalCdf(z: number): number {
  return 0.5 * erfcApprox(-z / Math.SQRT2);
}
function erfcApprox(x: number): number {
  // Numerical Recipes' erfc with relative error below 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
