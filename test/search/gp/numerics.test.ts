import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogEI, LogPI } from '../../../src/search/samplers/gp/acquisition.js';
import { fitGP } from '../../../src/search/samplers/gp/gp.js';
import { lbfgsb } from '../../../src/search/samplers/gp/lbfgsb.js';
import { cholesky, choleskyWithJitter, inverseFromCholesky, solveLower, solveLowerTransposed } from '../../../src/search/samplers/gp/linalg.js';
import { expNegative } from '../../../src/search/samplers/gp/exp-negative.js';
import { erfcx } from '../../../src/search/samplers/gp/log-ei.js';
import { GPSearchSpace } from '../../../src/search/samplers/gp/search-space.js';
import { categoricalDistribution, contains, floatDistribution, intDistribution } from '../../../src/trial/distributions.js';
import { Rng } from '../../../src/util/rng.js';
import { python, scipyMissing } from '../qmc/python.js';
import { requireOrSkip } from '../../helpers/require.js';
import { centralDifference } from './central-difference.js';

function randomSpd(n: number, rng: Rng): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 1e-3 : 0;
    for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
    a[i * n + j] = s;
  }
  return a;
}

/** The distance from x to the next double away from zero. */
function ulp(x: number): number {
  const bits = new BigInt64Array(Float64Array.of(Math.abs(x)).buffer);
  bits[0] = (bits[0] as bigint) + 1n;
  return (new Float64Array(bits.buffer)[0] as number) - Math.abs(x);
}

describe('expNegative (the kernel’s e^(−s))', () => {
  it('hands NaN, negative arguments and the underflow range to Math.exp unchanged', () => {
    expect(expNegative(Number.NaN)).toBeNaN();
    for (const s of [-1e-9, -0.5, -3, -700, 708, 708.5, 745, 746, 1e4, Infinity]) expect(expNegative(s)).toBe(Math.exp(-s));
  });

  it('is within 2 ulp of Math.exp(−s) from 0 to the underflow, near the reduction’s seams as well', () => {
    // Seams: multiples of ln2/64, where the table index changes and t changes sign.
    const seam = fc.tuple(fc.integer({ min: 0, max: 65_000 }), fc.double({ min: -1e-9, max: 1e-9, noNaN: true })).map(([k, e]) => Math.max(0, (k * Math.LN2) / 64 + e));
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 800, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), seam), (s) => {
        const want = Math.exp(-s);
        expect(Math.abs(expNegative(s) - want)).toBeLessThanOrEqual(2 * ulp(want));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives 1 at 0, 0 at infinity and past the underflow, and NaN for NaN', () => {
    expect(expNegative(0)).toBe(1);
    expect(expNegative(-0)).toBe(1);
    expect(expNegative(Infinity)).toBe(0);
    expect(expNegative(800)).toBe(0);
    expect(expNegative(745)).toBe(Math.exp(-745)); // the smallest subnormal, by the library's path
    expect(expNegative(Number.NaN)).toBeNaN();
    expect(expNegative(-1)).toBe(Math.E); // outside its domain it still answers e^(−s)
  });
});

describe('linear algebra', () => {
  it('a factor written into a reused buffer, and the lower-only inverse in reused buffers, equal the fresh ones on and below the diagonal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = new Rng(seed);
        const buffer = cholesky(randomSpd(n, rng), n) as Float64Array; // holds another matrix's factor
        const a = randomSpd(n, rng);
        const fresh = cholesky(a, n) as Float64Array;
        const reused = cholesky(a, n, buffer) as Float64Array;
        expect(reused).toBe(buffer);
        const full = inverseFromCholesky(fresh, n);
        // Reused buffers full of NaN: a read of any entry the routine did not write first shows.
        const scratch = new Float64Array(n * n).fill(Number.NaN);
        const out = new Float64Array(n * n).fill(Number.NaN);
        const lower = inverseFromCholesky(reused, n, true, scratch, out);
        expect(lower).toBe(out);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            expect(reused[i * n + j]).toBe(fresh[i * n + j]);
            expect(lower[i * n + j]).toBe(full[i * n + j]);
          }
        }
      }),
    );
  });

  it('the blocked Cholesky gives bit for bit the factor of the textbook one-entry-at-a-time loop', () => {
    // The blocked loop takes four entries of a row together but must subtract the same terms in
    // the same order; any reordering shows as a difference in the last bits.
    const textbook = (a: Float64Array, n: number): Float64Array => {
      const l = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = a[i * n + j] as number;
          for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
          l[i * n + j] = i === j ? Math.sqrt(s) : s / (l[j * n + j] as number);
        }
      }
      return l;
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const a = randomSpd(n, new Rng(seed));
        expect(cholesky(a, n)).toEqual(textbook(a, n));
      }),
      { numRuns: 60 },
    );
  });

  it('Cholesky, triangular solves and the inverse reproduce A, A⁻¹b and I (random SPD matrices)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = new Rng(seed);
        const a = randomSpd(n, rng);
        const l = cholesky(a, n) as Float64Array;
        const inv = inverseFromCholesky(l, n);
        const b = Float64Array.from({ length: n }, () => rng.normal());
        const x = solveLowerTransposed(l, n, solveLower(l, n, b));
        let scale = 0;
        for (const v of a) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < n; i++) {
          let ax = 0;
          for (let k = 0; k < n; k++) ax += (a[i * n + k] as number) * (x[k] as number);
          expect(Math.abs(ax - (b[i] as number))).toBeLessThan(1e-6 * scale * (1 + Math.abs(b[i] as number)));
          for (let j = 0; j < n; j++) {
            let llt = 0;
            let ai = 0;
            for (let k = 0; k < n; k++) {
              llt += (l[i * n + k] as number) * (l[j * n + k] as number);
              ai += (a[i * n + k] as number) * (inv[k * n + j] as number);
            }
            expect(Math.abs(llt - (a[i * n + j] as number))).toBeLessThan(1e-12 * scale);
            expect(Math.abs(ai - (i === j ? 1 : 0))).toBeLessThan(1e-6);
            expect(inv[i * n + j]).toBe(inv[j * n + i]);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it.skipIf(requireOrSkip(scipyMissing))('equals numpy’s Cholesky and inverse on a 12×12 kernel matrix', () => {
    const n = 12;
    const a = randomSpd(n, new Rng(5));
    const ref = python<{ l: number[][]; inv: number[][] }>(`A = np.array(${JSON.stringify(Array.from(a))}).reshape(${n}, ${n})\nprint(json.dumps({"l": np.linalg.cholesky(A).tolist(), "inv": np.linalg.inv(A).tolist()}))`);
    const l = cholesky(a, n) as Float64Array;
    const inv = inverseFromCholesky(l, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      expect(Math.abs((l[i * n + j] as number) - (ref.l[i]?.[j] as number))).toBeLessThan(1e-11);
      expect(Math.abs((inv[i * n + j] as number) - (ref.inv[i]?.[j] as number))).toBeLessThan(1e-8 * Math.max(1, Math.abs(ref.inv[i]?.[j] as number)));
    }
  });

  it('adds jitter to a singular (duplicated-point) kernel matrix instead of failing, and says how much', () => {
    const a = Float64Array.from([1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1]);
    expect(cholesky(a, 3)).toBeUndefined();
    const { l, jitter } = choleskyWithJitter(a, 3);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThan(1e-4);
    expect(l.every((v) => Number.isFinite(v))).toBe(true);
    expect(() => choleskyWithJitter(Float64Array.from([-1]), 1)).toThrow(/not positive definite/);
  });

  it('starts the jitter at 1e-10 × the mean diagonal (1e-10 for an all-zero matrix) and grows it tenfold until the factor exists', () => {
    const reproduces = (a: Float64Array, n: number, l: Float64Array, jitter: number): void => {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
        expect(Math.abs(s - (a[i * n + j] as number) - (i === j ? jitter : 0))).toBeLessThan(1e-12 * 4);
      }
    };
    // Rank one, mean diagonal 4: the first jitter, 4e-10, is enough.
    const rankOne = Float64Array.from([4, 4, 4, 4]);
    const first = choleskyWithJitter(rankOne, 2);
    expect(first.jitter).toBe(1e-10 * 4);
    reproduces(rankOne, 2, first.l, first.jitter);
    // Slightly indefinite (det −1e-9): 1e-10 is not enough, ten times that is.
    const indefinite = Float64Array.from([1, 1, 1, 1 - 1e-9]);
    const second = choleskyWithJitter(indefinite, 2);
    expect(second.jitter).toBe(1e-10 * ((1 + (1 - 1e-9)) / 2) * 10);
    reproduces(indefinite, 2, second.l, second.jitter);
    expect(choleskyWithJitter(new Float64Array(4), 2).jitter).toBe(1e-10);
    // The error names the last jitter tried: 1e-10 × 10⁵ after six tries, or after maxTries.
    expect(() => choleskyWithJitter(Float64Array.from([-1]), 1)).toThrow(`jitter up to ${1e-10 * 10 * 10 * 10 * 10 * 10} on`);
    expect(() => choleskyWithJitter(Float64Array.from([-1]), 1, 2)).toThrow(`jitter up to ${1e-10 * 10} on`);
    expect(() => choleskyWithJitter(Float64Array.from([-2, 0, 0, -2]), 2)).toThrow('the 2×2 covariance matrix');
  });
});

describe('bounded quasi-Newton (projected L-BFGS)', () => {
  const rosenbrock = (x: Float64Array, g: Float64Array): number => {
    const [a, b] = [x[0] as number, x[1] as number];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };

  it('finds Rosenbrock’s minimum without bounds', () => {
    const r = lbfgsb(rosenbrock, [-1.2, 1], { pgtol: 1e-8, factr: 10 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it.skipIf(requireOrSkip(scipyMissing))('stops where SciPy’s L-BFGS-B does with a bound active (Rosenbrock in [-2, 0.5] × [-1, 2])', () => {
    const ref = python<number[]>(`from scipy.optimize import fmin_l_bfgs_b
def f(x):
    a, b = x
    return (1-a)**2 + 100*(b-a*a)**2, np.array([-2*(1-a) - 400*a*(b-a*a), 200*(b-a*a)])
x, fx, info = fmin_l_bfgs_b(f, [-1.2, 1.0], bounds=[(-2, 0.5), (-1, 2)], pgtol=1e-10, factr=10)
print(json.dumps(x.tolist()))`);
    const r = lbfgsb(rosenbrock, [-1.2, 1], { lower: [-2, -1], upper: [0.5, 2], pgtol: 1e-10, factr: 10 });
    expect(r.x[0]).toBe(0.5);
    expect(Math.abs((r.x[0] as number) - (ref[0] as number))).toBeLessThan(1e-7);
    expect(Math.abs((r.x[1] as number) - (ref[1] as number))).toBeLessThan(1e-6);
  });

  it('meets the bound-constrained optimality conditions on random convex quadratics in random boxes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = new Rng(seed);
        const a = randomSpd(n, rng);
        const c = Float64Array.from({ length: n }, () => 3 * rng.normal());
        const lo = Float64Array.from({ length: n }, () => -rng.uniform(0, 2));
        const hi = Float64Array.from({ length: n }, () => rng.uniform(0, 2));
        const fg = (x: Float64Array, g: Float64Array): number => {
          let f = 0;
          for (let i = 0; i < n; i++) {
            let ax = 0;
            for (let k = 0; k < n; k++) ax += (a[i * n + k] as number) * (x[k] as number);
            g[i] = ax - (c[i] as number);
            f += 0.5 * (x[i] as number) * ax - (c[i] as number) * (x[i] as number);
          }
          return f;
        };
        const r = lbfgsb(fg, new Float64Array(n), { lower: lo, upper: hi, pgtol: 1e-7, factr: 1, maxIter: 5000 });
        let scale = 1;
        for (const v of a) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < n; i++) {
          const x = r.x[i] as number;
          const g = r.grad[i] as number;
          expect(x).toBeGreaterThanOrEqual(lo[i] as number);
          expect(x).toBeLessThanOrEqual(hi[i] as number);
          // KKT: zero gradient inside, pointing outward at an active bound.
          if (x > (lo[i] as number) + 1e-9 && x < (hi[i] as number) - 1e-9) expect(Math.abs(g)).toBeLessThan(1e-4 * scale);
          else if (x <= (lo[i] as number) + 1e-9) expect(g).toBeGreaterThan(-1e-4 * scale);
          else expect(g).toBeLessThan(1e-4 * scale);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reports a start where the function is not finite, and never returns a worse point than the start', () => {
    expect(lbfgsb(() => Number.NaN, [0]).converged).toBe(false);
    const r = lbfgsb((x, g) => {
      g[0] = 1;
      return (x[0] as number) > -0.5 ? (x[0] as number) : Number.NaN;
    }, [0], { lower: [-10], upper: [10] });
    expect(r.f).toBeLessThanOrEqual(0);
    expect(Number.isFinite(r.f)).toBe(true);
  });
});

describe('acquisition gradients', () => {
  it('log EI and log PI gradients equal central finite differences (mixed space with a categorical)', () => {
    const rng = new Rng(3);
    const n = 25;
    const dim = 3;
    const space = new GPSearchSpace({ a: floatDistribution('a', 0, 1), b: floatDistribution('b', 1e-3, 1, { log: true }), c: categoricalDistribution('c', ['x', 'y']) });
    const x = new Float64Array(n * dim);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i * dim] = rng.next();
      x[i * dim + 1] = rng.next();
      x[i * dim + 2] = rng.int(2);
      y[i] = Math.sin(4 * (x[i * dim] as number)) - (x[i * dim + 1] as number) + 0.3 * (x[i * dim + 2] as number);
    }
    const gp = fitGP(x, y, n, dim, space.isCategorical);
    let checked = 0;
    // The posterior's own gradients, at every point where the variance is above round-off.
    for (let t = 0; t < 20; t++) {
      const p = Float64Array.from([rng.next(), rng.next(), rng.int(2)]);
      if (gp.posterior(p).variance < 1e-6) continue;
      const dMean = new Float64Array(2);
      const dVar = new Float64Array(2);
      gp.posteriorWithGrad(p, space.continuous, dMean, dVar);
      [0, 1].forEach((d, j) => {
        const fdMean = centralDifference((q) => gp.posterior(q).mean, p, d);
        const fdVar = centralDifference((q) => gp.posterior(q).variance, p, d);
        expect(Math.abs((dMean[j] as number) - fdMean)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fdMean)));
        expect(Math.abs((dVar[j] as number) - fdVar)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fdVar)));
      });
    }
    for (const acq of [new LogEI(gp, space, Math.max(...y)), new LogPI(gp, space, 0.2)]) {
      for (let t = 0; t < 20; t++) {
        const p = Float64Array.from([rng.next(), rng.next(), rng.int(2)]);
        // Where the posterior variance is at round-off level (next to a training point), the value
        // itself is noise and finite differences mean nothing.
        // Far in log EI's tail, d/dvar is ~1e6 and multiplies the round-off of the variance.
        if (gp.posterior(p).variance < 1e-6 || acq.value(p) < -50) continue;
        checked++;
        const grad = new Float64Array(2);
        acq.valueAndGrad(p, grad);
        [0, 1].forEach((d, j) => {
          const fd = centralDifference((q) => acq.value(q), p, d);
          expect(Math.abs((grad[j] as number) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
        });
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it.skipIf(requireOrSkip(scipyMissing))('erfcx equals SciPy’s to 1e-13 relative, across both of its methods', () => {
    const xs = [-3, -0.5, 0, 0.3, 1, 2.5, 4.99, 5, 5.01, 8, 17.7, 25, 100, 1e4];
    const ref = python<number[]>(`from scipy.special import erfcx\nprint(json.dumps([float(erfcx(x)) for x in ${JSON.stringify(xs)}]))`);
    xs.forEach((x, i) => expect(Math.abs(erfcx(x) - (ref[i] as number)) / (ref[i] as number)).toBeLessThan(1e-13));
  });
});

describe('GP search space', () => {
  const space = new GPSearchSpace({
    f: floatDistribution('f', -3, 5),
    l: floatDistribution('l', 1e-5, 1e-1, { log: true }),
    q: floatDistribution('q', 0, 1, { step: 0.25 }),
    n: intDistribution('n', 1, 9, { step: 2 }),
    u: intDistribution('u', 4, 256, { log: true }),
    c: categoricalDistribution('c', ['adam', 'sgd', 'rmsprop']),
  });

  it('turns any point of the unit cube into values inside every distribution', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), (u) => {
        const x = space.fromUnitCube(Float64Array.from(u));
        const params = space.toParams(x);
        space.distributions.forEach((d, i) => expect(contains(d, params[space.names[i] as string] as number)).toBe(true));
      }),
    );
  });

  it('normalises as Optuna: log ranges in log space, grids widened by half a step, round trips', () => {
    expect(space.normalize(0, -3)).toBe(0);
    expect(space.normalize(0, 5)).toBe(1);
    expect(space.normalize(1, 1e-3)).toBeCloseTo(0.5, 12);
    expect(space.normalize(2, 0)).toBeCloseTo(0.125 / 1.25, 12);
    expect(space.choices(3).length).toBe(5);
    expect(space.choices(5)).toEqual(Float64Array.from([0, 1, 2]));
    for (const v of [4, 5, 17, 255, 256]) expect(space.toParams([0, 0, 0, 0, space.normalize(4, v), 0])['u']).toBe(v);
    expect(space.continuous).toEqual(Int32Array.from([0, 1]));
    expect(space.discrete).toEqual(Int32Array.from([2, 3, 4, 5]));
  });
});

describe('batched posterior', () => {
  it('gives exactly the values of one-by-one evaluation (any batch size, categorical included)', () => {
    const rng = new Rng(9);
    const n = 17;
    const dim = 3;
    const space = new GPSearchSpace({ a: floatDistribution('a', 0, 1), b: floatDistribution('b', 0, 1), c: categoricalDistribution('c', [1, 2, 3]) });
    const x = Float64Array.from({ length: n * dim }, (_, i) => (i % 3 === 2 ? rng.int(3) : rng.next()));
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const gp = fitGP(x, y, n, dim, space.isCategorical);
    const acq = new LogEI(gp, space, Math.max(...y));
    for (const m of [1, 3, 4, 5, 7, 8, 9, 11, 17]) {
      const pts = Float64Array.from({ length: m * dim }, (_, i) => (i % 3 === 2 ? rng.int(3) : rng.next()));
      const means = new Float64Array(m);
      const vars = new Float64Array(m);
      gp.posteriorBatch(pts, m, means, vars);
      const out = new Float64Array(m);
      acq.values(pts, m, out);
      for (let i = 0; i < m; i++) {
        const p = pts.subarray(i * dim, (i + 1) * dim);
        expect(means[i]).toBe(gp.posterior(p).mean);
        expect(vars[i]).toBe(gp.posterior(p).variance);
        expect(out[i]).toBe(acq.value(p));
      }
    }
  });
});
