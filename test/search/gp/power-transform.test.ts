import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitYeoJohnsonLambda, LAMBDA_RANGE, powerTransform, yeoJohnson, yeoJohnsonLogLikelihood } from '../../../src/search/samplers/gp/power-transform.js';
import { Rng } from '../../../src/util/rng.js';
import { requireOrSkip } from '../../helpers/require.js';
import { python, scipyMissing } from '../qmc/python.js';

/** Samples shaped as the GP sees them: standardised objective values with a long tail on either side, or none. */
function samples(): { name: string; values: number[] }[] {
  const rng = new Rng(3);
  const standardized = (v: number[]): number[] => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    return v.map((x) => (x - m) / sd);
  };
  const normal = Array.from({ length: 40 }, () => rng.normal());
  return [
    // −(Rosenbrock-like): most values near the top, a long tail of bad ones (the case warping is for).
    { name: 'long bad tail', values: standardized(Array.from({ length: 60 }, () => -Math.exp(2.5 * rng.normal()))) },
    { name: 'long good tail', values: standardized(Array.from({ length: 30 }, () => Math.exp(1.5 * rng.normal()))) },
    { name: 'normal', values: standardized(normal) },
    { name: 'few', values: standardized([1, 2, 3, 10, 50]) },
  ];
}

describe('Yeo–Johnson output warping', () => {
  it.skipIf(requireOrSkip(scipyMissing))('fits the λ SciPy’s yeojohnson_normmax fits, and transforms as scipy.stats.yeojohnson', () => {
    const cases = samples();
    const ref = python<{ lambda: number; values: number[] }[]>(`
from scipy import stats
cases = json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c.values)))})
out = []
for v in cases:
    x = np.array(v)
    lam = float(stats.yeojohnson_normmax(x))
    out.append({"lambda": lam, "values": stats.yeojohnson(x, lmbda=lam).tolist()})
print(json.dumps(out))
`);
    cases.forEach((c, k) => {
      const want = ref[k] as { lambda: number; values: number[] };
      // Every case's optimum lies inside LAMBDA_RANGE, where both searches find the same maximum.
      expect(want.lambda).toBeGreaterThan(LAMBDA_RANGE[0]);
      expect(want.lambda).toBeLessThan(LAMBDA_RANGE[1]);
      const mine = powerTransform(c.values);
      expect(Math.abs(mine.lambda - want.lambda), c.name).toBeLessThan(1e-5);
      const exact = c.values.map((v) => yeoJohnson(v, want.lambda));
      exact.forEach((v, i) => expect(Math.abs(v - (want.values[i] as number)), c.name).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(v))));
    });
    // The long tail of bad values is pulled in (λ > 1 compresses the negative side), the good tail too (λ < 1).
    expect(powerTransform(cases[0]!.values).lambda).toBeGreaterThan(1);
    expect(powerTransform(cases[1]!.values).lambda).toBeLessThan(1);
  });

  it.skipIf(requireOrSkip(scipyMissing))('scores λ as scipy.stats.yeojohnson_llf does, and a constant sample as −∞', () => {
    const cases = samples();
    const lambdas = [-1.5, 0, 0.5, 1, 2, 3.5];
    const ref = python<number[][]>(`
from scipy import stats
cases = json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c.values)))})
print(json.dumps([[float(stats.yeojohnson_llf(l, np.array(v))) for l in ${JSON.stringify(lambdas)}] for v in cases]))
`);
    cases.forEach((c, k) => lambdas.forEach((lambda, j) => {
      const want = ref[k]?.[j] as number;
      expect(Math.abs(yeoJohnsonLogLikelihood(c.values, lambda) - want), `${c.name} λ=${lambda}`).toBeLessThan(1e-9 * (1 + Math.abs(want)));
    }));
    expect(yeoJohnsonLogLikelihood([2, 2, 2], 0.5)).toBe(-Infinity);
    expect(yeoJohnsonLogLikelihood([1e300, -1e300], 2)).toBe(-Infinity); // an overflowing variance is no fit either
  });

  it('is increasing and passes through 0 for every λ, so the best trial stays the best', () => {
    fc.assert(
      fc.property(fc.double({ min: LAMBDA_RANGE[0], max: LAMBDA_RANGE[1], noNaN: true }), fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 1e-9, max: 5, noNaN: true }), (lambda, y, step) => {
        expect(Math.abs(yeoJohnson(0, lambda))).toBe(0);
        expect(yeoJohnson(y + step, lambda)).toBeGreaterThan(yeoJohnson(y, lambda));
        expect(Number.isFinite(yeoJohnson(y, lambda))).toBe(true);
      }),
    );
    // λ = 0 and λ = 2 are the logarithmic branches, continuous with their neighbours to full precision.
    for (const y of [-3, -0.5, 0.5, 3]) {
      expect(Math.abs(yeoJohnson(y, 0) - yeoJohnson(y, 1e-12))).toBeLessThan(1e-11);
      expect(Math.abs(yeoJohnson(y, 2) - yeoJohnson(y, 2 - 1e-12))).toBeLessThan(1e-11);
    }
    expect(yeoJohnson(1.5, 1)).toBe(1.5); // λ = 1 is the identity
    expect(yeoJohnson(-1.5, 1)).toBe(-1.5);
  });

  it('finds the maximum of the likelihood: no λ on a fine grid scores higher', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 3, maxLength: 40 }), (values) => {
        fc.pre(Math.max(...values) - Math.min(...values) > 1e-6); // (nearly) constant values: the next test
        const lambda = fitYeoJohnsonLambda(values);
        expect(lambda).toBeGreaterThanOrEqual(LAMBDA_RANGE[0]);
        expect(lambda).toBeLessThanOrEqual(LAMBDA_RANGE[1]);
        const best = yeoJohnsonLogLikelihood(values, lambda);
        for (let g = LAMBDA_RANGE[0]; g <= LAMBDA_RANGE[1]; g += 0.05) expect(yeoJohnsonLogLikelihood(values, g)).toBeLessThanOrEqual(best + 1e-6 * (1 + Math.abs(best)));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves constant values alone (λ = 1) and gives finite values for one or two trials', () => {
    expect(fitYeoJohnsonLambda([0, 0, 0])).toBe(1);
    expect(powerTransform([0.7, 0.7]).values).toEqual(Float64Array.of(0.7, 0.7));
    expect(powerTransform([0]).values).toEqual(Float64Array.of(0));
    const two = powerTransform([-1, 1]);
    expect(two.values.every(Number.isFinite)).toBe(true);
    expect(two.values[0]).toBeLessThan(two.values[1] as number);
  });
});
