import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler } from '../../../src/index.js';
import { floatDistribution } from '../../../src/search/distributions.js';
import { TrialHistory } from '../../../src/search/samplers/tpe/history.js';
import { ParzenEstimator } from '../../../src/search/samplers/tpe/parzen-estimator.js';
import { goodTrialNumbers } from '../../../src/search/samplers/tpe/split.js';
import { defaultGamma, defaultWeights } from '../../../src/search/samplers/tpe/weights.js';
import { Rng } from '../../../src/util/rng.js';
import { python, pythonMissing } from './python.js';

// End to end below the sampler: the same history gives the same good/bad split, the same
// estimators and so the same acquisition log l(x) - log g(x) as Optuna 3.1 (whose kernel
// scoring is our legacyScoring; the default differs only by each kernel's log sigma, tested in
// the mixture layer).
describe('TPE acquisition against Optuna 3.1 on one history', () => {
  it.skipIf(pythonMissing !== undefined)('matches log l(x) - log g(x) on a grid', async () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 60 }, () => Array.from({ length: 5 }, () => rng.uniform(-5, 10)));
    const rosen = (x: number[]): number => x.slice(0, 4).reduce((s, v, i) => s + 100 * ((x[i + 1] as number) - v * v) ** 2 + (1 - v) ** 2, 0);
    const ys = xs.map(rosen);
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
    for (let i = 0; i < xs.length; i++) {
      await study.enqueueTrial(Object.fromEntries((xs[i] as number[]).map((v, j) => [`x${j}`, v])));
      const t = await study.ask();
      for (let j = 0; j < 5; j++) t.suggestFloat(`x${j}`, -5, 10);
      await study.tell(t, ys[i] as number);
    }
    const history = new TrialHistory(['minimize']);
    history.sync(study.view);
    const good = goodTrialNumbers(history, defaultGamma(history.size));
    const grid = Float64Array.from({ length: 31 }, (_, i) => -5 + i * 0.5);
    const params = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, weights: defaultWeights, legacyScoring: true };
    const ours: number[][] = [];
    for (let j = 0; j < 5; j++) {
      const column = history.column(`x${j}`) as Float64Array;
      const l: number[] = [];
      const g: number[] = [];
      history.numbers.forEach((n, r) => (good.has(n) ? l : g).push(column[r] as number));
      const entry = [{ name: `x${j}`, distribution: floatDistribution(`x${j}`, -5, 10) }];
      const logL = new ParzenEstimator([Float64Array.from(l)], entry, params).logPdf([grid]);
      const logG = new ParzenEstimator([Float64Array.from(g)], entry, params).logPdf([grid]);
      ours.push(Array.from(grid, (_, i) => (logL[i] as number) - (logG[i] as number)));
    }
    const ref = python<number[][]>(`
import numpy as np, optuna
optuna.logging.set_verbosity(40)
from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs, default_gamma, default_weights
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.distributions import FloatDistribution as F
st = optuna.create_study()
for x, y in zip(${JSON.stringify(xs)}, ${JSON.stringify(ys)}):
    st.add_trial(optuna.trial.create_trial(params={f"x{j}": v for j, v in enumerate(x)}, distributions={f"x{j}": F(-5, 10) for j in range(5)}, value=y))
p = _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, False)
grid = np.array(${JSON.stringify([...grid])})
out = []
for j in range(5):
    values, scores, viol = _get_observation_pairs(st, [f"x{j}"])
    below, above = _split_observation_pairs(scores, default_gamma(len(scores)), viol)
    v = np.asarray(values[f"x{j}"], float)
    l = _ParzenEstimator({f"x{j}": v[below]}, {f"x{j}": F(-5, 10)}, p)
    g = _ParzenEstimator({f"x{j}": v[above]}, {f"x{j}": F(-5, 10)}, p)
    out.append((l.log_pdf({f"x{j}": grid}) - g.log_pdf({f"x{j}": grid})).tolist())
print(json.dumps(out))`);
    ours.forEach((row, j) => row.forEach((v, i) => expect(Math.abs(v - ((ref[j] as number[])[i] as number))).toBeLessThan(1e-10)));
  });
});
