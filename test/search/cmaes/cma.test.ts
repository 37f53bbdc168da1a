import { describe, expect, it } from 'vitest';
import { CMA } from '../../../src/search/samplers/cmaes/cma.js';
import { symmetricEigen } from '../../../src/search/samplers/cmaes/eigen.js';
import { Rng } from '../../../src/util/rng.js';
import { pythonCannotImport, pythonJson } from '../../helpers/python.js';
import { maxAbs } from './helpers.js';
import { requireOrSkip } from '../../helpers/require.js';

// Debian's python3-cmaes (the `cmaes` package Optuna's CmaEsSampler uses), run while the tests run.
const cmaesMissing = pythonCannotImport('cmaes, numpy', 'apt-get install -y python3-cmaes');
if (cmaesMissing) console.warn(`[cma tests] skipping the comparison with the cmaes package: ${cmaesMissing}`);

interface Trace {
  generations: { solutions: [number[], number][]; mean: number[]; sigma: number; C: number[][]; pSigma: number[]; pc: number[] }[];
}

/** Runs the cmaes package's CMA for some generations on a function, recording every tell and the state after it. */
function reference(dim: number, sigma: number, generations: number, fn: string, popsize: number | null): Trace {
  const script = `
import json, numpy as np
from cmaes import CMA
def f(x):
    return ${fn}
opt = CMA(mean=np.full(${dim}, 0.5), sigma=${sigma}, seed=3${popsize === null ? '' : `, population_size=${popsize}`})
out = []
for g in range(${generations}):
    sols = []
    for _ in range(opt.population_size):
        x = opt.ask()
        sols.append((x, float(f(x))))
    opt.tell(list(sols))
    out.append({"solutions": [[s[0].tolist(), s[1]] for s in sols], "mean": opt._mean.tolist(), "sigma": float(opt._sigma),
                "C": opt._C.tolist(), "pSigma": opt._p_sigma.tolist(), "pc": opt._pc.tolist()})
print(json.dumps({"generations": out}))
`;
  return pythonJson<Trace>(script);
}


describe('CMA update equals the cmaes package', () => {
  const cases = [
    { name: 'sphere, 2-D', dim: 2, sigma: 0.3, generations: 30, fn: 'float(np.sum((x - 0.2) ** 2))', popsize: null },
    { name: 'Rosenbrock, 5-D', dim: 5, sigma: 0.5, generations: 40, fn: 'float(sum(100 * (x[i+1] - x[i]**2)**2 + (1 - x[i])**2 for i in range(4)))', popsize: null },
    { name: 'ellipsoid, 8-D, popsize 20', dim: 8, sigma: 1.0, generations: 25, fn: 'float(sum((10 ** (3 * i / 7)) * x[i] ** 2 for i in range(8)))', popsize: 20 },
  ];
  for (const c of cases) {
    it.skipIf(requireOrSkip(cmaesMissing))(`${c.name}: mean, step size, covariance and paths after every tell, to 1e-10`, () => {
      const trace = reference(c.dim, c.sigma, c.generations, c.fn, c.popsize);
      const ours = new CMA(new Float64Array(c.dim).fill(0.5), c.sigma, c.popsize === null ? {} : { populationSize: c.popsize });
      for (const g of trace.generations) {
        ours.tell(g.solutions.map(([x, value]) => ({ x: Float64Array.from(x), value })));
        const scale = Math.max(1, ...g.C.flat().map(Math.abs));
        expect(maxAbs(ours.mean, g.mean)).toBeLessThan(1e-10);
        expect(Math.abs(ours.sigma - g.sigma) / g.sigma).toBeLessThan(1e-10);
        expect(maxAbs(ours.C, g.C.flat()) / scale).toBeLessThan(1e-10);
        expect(maxAbs(ours.pSigma, g.pSigma)).toBeLessThan(1e-10);
        expect(maxAbs(ours.pc, g.pc)).toBeLessThan(1e-10);
      }
    });
  }

  it('uses the package’s constants (population, weights sum, learning rates)', () => {
    const cma = new CMA([0, 0, 0, 0, 0], 1);
    expect(cma.populationSize).toBe(8);
    expect(cma.mu).toBe(4);
    let positive = 0;
    for (const w of cma.weights) if (w > 0) positive += w;
    expect(positive).toBeCloseTo(1, 14);
  });
});

describe('symmetric eigen-decomposition (Jacobi)', () => {
  it('reconstructs random symmetric matrices and gives orthonormal vectors, eigenvalues in ascending order', () => {
    const rng = new Rng(1);
    for (const n of [1, 2, 5, 12]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
        const v = rng.normal();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
      const { values, vectors: b } = symmetricEigen(a, n);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1] as number);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let rec = 0;
        let orth = 0;
        for (let k = 0; k < n; k++) {
          rec += (b[i * n + k] as number) * (values[k] as number) * (b[j * n + k] as number);
          orth += (b[k * n + i] as number) * (b[k * n + j] as number);
        }
        expect(Math.abs(rec - (a[i * n + j] as number))).toBeLessThan(1e-12);
        expect(Math.abs(orth - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });
});
