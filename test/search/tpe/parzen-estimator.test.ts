import { describe, expect, it } from 'vitest';
import { categoricalDistribution, contains, floatDistribution, intDistribution, type Distribution } from '../../../src/trial/distributions.js';
import { ParzenEstimator, type ParzenEstimatorParameters } from '../../../src/search/samplers/tpe/parzen-estimator.js';
import { defaultWeights } from '../../../src/search/samplers/tpe/weights.js';
import { Rng } from '../../../src/util/rng.js';
import { maxRelDiff, python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

const SPACE: { name: string; distribution: Distribution; py: string }[] = [
  { name: 'x', distribution: floatDistribution('x', -5, 10), py: 'F(-5, 10)' },
  { name: 'lr', distribution: floatDistribution('lr', 1e-5, 1e-1, { log: true }), py: 'F(1e-5, 1e-1, log=True)' },
  { name: 'n', distribution: intDistribution('n', 1, 9, { step: 2 }), py: 'I(1, 9, step=2)' },
  { name: 'u', distribution: intDistribution('u', 4, 256, { log: true }), py: 'I(4, 256, log=True)' },
  { name: 'c', distribution: categoricalDistribution('c', ['a', 'b', 'c']), py: 'C(["a", "b", "c"])' },
  { name: 'q', distribution: floatDistribution('q', 0, 1, { step: 0.25 }), py: 'F(0, 1, step=0.25)' },
];

/** n observations per parameter, deterministic, inside each distribution. */
function observations(n: number): Float64Array[] {
  const rng = new Rng(n + 17);
  const pick = (d: Distribution): number => {
    if (d.kind === 'categorical') return rng.int(d.choices.length);
    if (d.log) {
      const v = Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)));
      return d.kind === 'int' ? Math.round(v) : v;
    }
    if (d.step !== null) {
      // Never exactly the range's centre: there the prior kernel ties with an observation and
      // which of the two keeps the gap bandwidth depends on numpy's unstable argsort.
      const v = d.low + rng.int(Math.round((d.high - d.low) / d.step) + 1) * d.step;
      return v === (d.low + d.high) / 2 ? v + d.step : v;
    }
    return rng.uniform(d.low, d.high);
  };
  const cols = SPACE.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) SPACE.forEach((e, j) => ((cols[j] as Float64Array)[i] = pick(e.distribution)));
  return cols;
}

const params = (over: Partial<ParzenEstimatorParameters>): ParzenEstimatorParameters => ({
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
  weights: defaultWeights,
  ...over,
});

describe('Parzen estimator', () => {
  it('samples inside every distribution, integers and steps on their grid', () => {
    const pe = new ParzenEstimator(observations(30), SPACE, params({ multivariate: true }));
    const samples = pe.sample(new Rng(3), 500);
    SPACE.forEach((e, j) => {
      for (const v of samples[j] as Float64Array) expect(contains(e.distribution, v), `${e.name}=${v}`).toBe(true);
    });
  });

  it('puts more density near the observations than far from them', () => {
    const obs = [Float64Array.from([2, 2.1, 1.9, 2.05])];
    const pe = new ParzenEstimator(obs, [SPACE[0] as (typeof SPACE)[0]], params({}));
    const [near, far] = pe.logPdf([Float64Array.from([2, 9])]) as Float64Array;
    expect(near as number).toBeGreaterThan((far as number) + 1);
  });

  // Kernel centres, bandwidths and weights against Optuna 3.1's _ParzenEstimator (whose rules we follow).
  const cases = [0, 1, 5, 40].flatMap((n) =>
    [
      { multivariate: false, considerEndpoints: false, considerMagicClip: true, priorWeight: 1 },
      { multivariate: false, considerEndpoints: true, considerMagicClip: false, priorWeight: 0.5 },
      { multivariate: true, considerEndpoints: false, considerMagicClip: true, priorWeight: 2 },
    ].map((p) => ({ n, ...p })),
  );
  it.skipIf(requireOrSkip(pythonMissing))('builds the kernels Optuna builds (bandwidth rule, magic clip, endpoints, prior, weights, log and step spaces)', () => {
    const inputs = cases.map((c) => ({ ...c, obs: observations(c.n).map((a) => [...a]) }));
    const ref = python<{ weights: number[]; dims: Record<string, { mu?: number[]; sigma?: number[]; probs?: number[][] }> }[]>(`
import numpy as np
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights
from optuna.distributions import FloatDistribution as F, IntDistribution as I, CategoricalDistribution as C
space = {${SPACE.map((e) => `${JSON.stringify(e.name)}: ${e.py}`).join(', ')}}
out = []
for case in ${JSON.stringify(inputs).replace(/true/g, 'True').replace(/false/g, 'False')}:
    p = _ParzenEstimatorParameters(True, case["priorWeight"], case["considerMagicClip"], case["considerEndpoints"], default_weights, case["multivariate"])
    obs = {k: np.array(v, dtype=int if k == "c" else float) for k, v in zip(space, case["obs"])}
    if not case["multivariate"]:
        res = {"weights": None, "dims": {}}
        for k in space:
            pe = _ParzenEstimator({k: obs[k]}, {k: space[k]}, p)
            res["weights"] = pe._weights.tolist()
            if k == "c": res["dims"][k] = {"probs": pe._categorical_weights[k].tolist()}
            else: res["dims"][k] = {"mu": pe._mus[k].tolist(), "sigma": pe._sigmas[k].tolist()}
    else:
        pe = _ParzenEstimator(obs, space, p)
        res = {"weights": pe._weights.tolist(), "dims": {k: ({"probs": pe._categorical_weights[k].tolist()} if k == "c" else {"mu": pe._mus[k].tolist(), "sigma": pe._sigmas[k].tolist()}) for k in space}}
    out.append(res)
print(json.dumps(out))`);
    inputs.forEach((c, i) => {
      const want = ref[i] as (typeof ref)[0];
      const obs = c.obs.map((a) => Float64Array.from(a));
      const p = params(c);
      const estimators = c.multivariate ? SPACE.map(() => new ParzenEstimator(obs, SPACE, p)) : SPACE.map((e, j) => new ParzenEstimator([obs[j] as Float64Array], [e], p));
      SPACE.forEach((e, j) => {
        const mixture = (estimators[j] as ParzenEstimator).mixture;
        const dim = mixture.dims[c.multivariate ? j : 0];
        const label = `n=${c.n} ${JSON.stringify({ ...c, obs: undefined })} ${e.name}`;
        expect([...mixture.weights].map((v) => Number(v.toPrecision(12))), label).toEqual(want.weights.map((v) => Number(v.toPrecision(12))));
        const w = want.dims[e.name] as { mu?: number[]; sigma?: number[]; probs?: number[][] };
        if (dim?.kind === 'categorical') {
          expect([...dim.probs].map((v) => Number(v.toPrecision(12))), label).toEqual((w.probs ?? []).flat().map((v) => Number(v.toPrecision(12))));
        } else if (dim) {
          // Tied observations may swap bandwidths (numpy's argsort is not stable): compare the
          // kernels as a set of (centre, bandwidth) pairs. Numerically, not as rounded strings: a
          // last-bit difference can fall on a rounding boundary of any fixed number of digits.
          const pairs = (mu: ArrayLike<number>, sigma: ArrayLike<number>): [number, number][] =>
            Array.from(mu, (m, k): [number, number] => [m, sigma[k] as number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const got = pairs(dim.mu, dim.sigma);
          const ref = pairs(w.mu ?? [], w.sigma ?? []);
          expect(got.length, label).toBe(ref.length);
          expect(maxRelDiff(got.flat(), ref.flat()), label).toBeLessThan(1e-10);
        }
      });
    });
  });
});
