import { describe, expect, it } from 'vitest';
import { createStudy, InvalidOptionError, RandomSampler, TPESampler, type FrozenTrial, type Trial } from '../../../src/index.js';
import { floatDistribution, type Distribution } from '../../../src/trial/distributions.js';
import { SearchSpaceGroups } from '../../../src/search/samplers/tpe/groups.js';
import { Rng } from '../../../src/util/rng.js';
import { python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

/** A define-by-run space with two branches: 'a' has za and na, 'b' has zb; x and kind are shared. */
const branched = (t: Trial): number => {
  const x = t.suggestFloat('x', -5, 5);
  if (t.suggestCategorical('kind', ['a', 'b']) === 'a') return x * x + (t.suggestFloat('za', 0, 1) - 0.9) ** 2 + t.suggestInt('na', 1, 4);
  return x * x + 1 + t.suggestFloat('zb', -1, 1) ** 2;
};

describe('group decomposition (TPESampler group)', () => {
  it.skipIf(requireOrSkip(pythonMissing))("splits parameter names into the groups Optuna 3.1's _SearchSpaceGroup makes, in the same order", () => {
    const rng = new Rng(11);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const sequences = Array.from({ length: 12 }, () => Array.from({ length: 1 + rng.int(8) }, () => names.filter(() => rng.next() < 0.5)));
    const d = floatDistribution('p', 0, 1);
    const ours = sequences.map((trials) => {
      const groups = new SearchSpaceGroups();
      for (const keys of trials) groups.add(Object.fromEntries(keys.map((k) => [k, d])) as Record<string, Distribution>);
      return groups.groups.map((g) => [...g.keys()].sort());
    });
    const ref = python<string[][][]>(`
from optuna.samplers._search_space.group_decomposed import _SearchSpaceGroup
from optuna.distributions import FloatDistribution
out = []
for trials in ${JSON.stringify(sequences)}:
    g = _SearchSpaceGroup()
    for keys in trials:
        g.add_distributions({k: FloatDistribution(0, 1) for k in keys})
    out.append([sorted(s) for s in g.search_spaces])
print(json.dumps(out))`);
    expect(ours).toEqual(ref);
  });

  it('refining with a trial already seen changes nothing, so trials can be added as they finish', () => {
    const d = floatDistribution('p', 0, 1);
    const groups = new SearchSpaceGroups();
    const trials = [['x', 'y', 'z'], ['x', 'y'], ['x', 'w']].map((keys) => Object.fromEntries(keys.map((k) => [k, d])));
    for (const t of trials) groups.add(t);
    const once = groups.groups.map((g) => [...g.keys()]);
    for (const t of trials) groups.add(t);
    expect(groups.groups.map((g) => [...g.keys()])).toEqual(once);
    expect(once).toEqual([['x'], ['y'], ['z'], ['w']]);
  });

  it.skipIf(requireOrSkip(pythonMissing))('infers the relative search space Optuna 3.1 infers with group=True on the same history', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize(branched, { nTrials: 25 });
    const sampler = new TPESampler({ seed: 0, multivariate: true, group: true });
    const ours = Object.keys(sampler.inferRelativeSearchSpace(study.view));
    const history = study.trials.map((t) => t.params);
    const ref = python<string[]>(`
import optuna
optuna.logging.set_verbosity(40)
from optuna.distributions import FloatDistribution as F, IntDistribution as I, CategoricalDistribution as C
D = {"x": F(-5, 5), "kind": C(["a", "b"]), "za": F(0, 1), "na": I(1, 4), "zb": F(-1, 1)}
st = optuna.create_study()
for p in ${JSON.stringify(history)}:
    st.add_trial(optuna.trial.create_trial(params=p, distributions={k: D[k] for k in p}, value=0.0))
s = optuna.samplers.TPESampler(multivariate=True, group=True)
print(json.dumps(list(s.infer_relative_search_space(st, st.trials[-1]).keys())))`);
    expect(ours).toEqual(ref);
  });

  it("models each branch's parameters jointly, from that branch's trials", async () => {
    // In branch 'a' only za close to na/4 is good: a joint model of (za, na) keeps that link,
    // sampling za and na independently loses it.
    const linked = (t: Trial): number => {
      const x = t.suggestFloat('x', -5, 5);
      if (t.suggestCategorical('kind', ['a', 'b']) === 'a') return x * x / 25 + 4 * (t.suggestFloat('za', 0, 1) - t.suggestInt('na', 1, 4) / 4) ** 2;
      return x * x / 25 + 0.5 + t.suggestFloat('zb', -1, 1) ** 2;
    };
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize(linked, { nTrials: 80 });
    const trial = study.trials[79] as FrozenTrial;
    const joint: number[] = [];
    const independent: number[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const s = new TPESampler({ seed, multivariate: true, group: true });
      const p = s.sampleRelative(study.view, trial, s.inferRelativeSearchSpace(study.view));
      expect(Object.keys(p).sort()).toEqual(['kind', 'na', 'x', 'za', 'zb']);
      joint.push(Math.abs((p['za'] as number) - (p['na'] as number) / 4));
      const u = new TPESampler({ seed, multivariate: true });
      const za = u.sampleIndependent(study.view, trial, 'za', study.view.paramDistributions.get('za') as Distribution);
      const na = u.sampleIndependent(study.view, trial, 'na', study.view.paramDistributions.get('na') as Distribution);
      independent.push(Math.abs(za - na / 4));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    expect(median(joint)).toBeLessThan(median(independent) / 2);
  });

  it('without group, the branch parameters are left to independent sampling', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize(branched, { nTrials: 40 });
    const sampler = new TPESampler({ seed: 1, multivariate: true });
    expect(Object.keys(sampler.inferRelativeSearchSpace(study.view)).sort()).toEqual(['kind', 'x']);
  });

  it('runs a study end to end and says how to fix group without multivariate', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 2, multivariate: true, group: true }) });
    await study.optimize(branched, { nTrials: 40 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(40);
    expect(() => new TPESampler({ group: true })).toThrow(InvalidOptionError);
    expect(() => new TPESampler({ group: true })).toThrow(/needs multivariate: true; pass \{ multivariate: true, group: true \}/);
    expect(() => new TPESampler({ multivariate: true, group: 1 as unknown as boolean })).toThrow(/group must be true or false/);
  });
});
