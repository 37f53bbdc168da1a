import { describe, expect, it } from 'vitest';
import { createStudy, TPESampler, type Study, type Trial } from '../../../src/index.js';

/** x and y always; z only on the x > 0 branch. */
function suggestAll(t: Trial, forceZ = false): number {
  const x = t.suggestFloat('x', -2, 2);
  const y = t.suggestFloat('y', 0, 1);
  const z = x > 0 || forceZ ? t.suggestFloat('z', -1, 1) : 0;
  return (x - 0.7) ** 2 + (y - 0.2) ** 2 + (z + 0.5) ** 2;
}

/**
 * A seeded study with 14 finished trials, then three trials left running: the first and third
 * have every parameter, the second only x (a trial stopped partway through its suggestions).
 * When `finishOuter`, the first and third are then finished at 1e9, the worst value, and the second
 * stays running. The proposal of the next trial is returned.
 */
async function nextProposal(multivariate: boolean, finishOuter: boolean): Promise<{ params: Record<string, unknown>; study: Study }> {
  // A constant good-set size, and weights that grow fourfold with each position, so the newest
  // observations dominate the bad set: their order decides where g(x) is high.
  const sampler = new TPESampler({ seed: 21, nStartupTrials: 5, multivariate, gamma: () => 3, weights: (n) => Array.from({ length: n }, (_, i) => 4 ** i) });
  const study = await createStudy({ storage: 'memory:', sampler });
  await study.optimize((t) => suggestAll(t), { nTrials: 14 });
  const first = await study.ask();
  suggestAll(first, true);
  const second = await study.ask();
  second.suggestFloat('x', -2, 2);
  const third = await study.ask();
  suggestAll(third, true);
  if (finishOuter) {
    await study.tell(first, 1e9);
    await study.tell(third, 1e9);
  }
  const next = await study.ask();
  suggestAll(next, true);
  return { params: { ...next.params }, study };
}

describe('TPE observations: the constant liar and missing parameters', () => {
  for (const multivariate of [false, true]) {
    it(`puts each running trial among the bad observations at its trial-number place, as a trial finished at the worst value (${multivariate ? 'multivariate' : 'univariate'})`, async () => {
      // All three running: appended after every finished trial. Two finished at the worst value: the running one sits
      // between them. Both orders are the same trial-number order, so the proposals are identical.
      const running = await nextProposal(multivariate, false);
      const finished = await nextProposal(multivariate, true);
      expect(running.study.trials.filter((t) => t.state === 'RUNNING')).toHaveLength(4);
      expect(finished.study.trials.filter((t) => t.state === 'RUNNING')).toHaveLength(2);
      expect(running.params).toEqual(finished.params);
      for (const v of Object.values(running.params)) expect(Number.isFinite(v)).toBe(true);
    });
  }

  it('the liar changes the proposal: without constantLiar, the running trials are not observed', async () => {
    const propose = async (constantLiar: boolean): Promise<Record<string, unknown>> => {
      const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 21, nStartupTrials: 5, constantLiar, gamma: () => 3 }) });
      await study.optimize((t) => suggestAll(t), { nTrials: 14 });
      for (let i = 0; i < 3; i++) suggestAll(await study.ask(), true);
      const next = await study.ask();
      suggestAll(next, true);
      return { ...next.params };
    };
    expect(await propose(true)).not.toEqual(await propose(false));
  });

  it('models conditional parameters from the trials that have them only: every proposal is finite, in range and near the optimum', async () => {
    // x and y always; z and w on the x > 0 branch. With group, {z, w} is one jointly modelled group
    // whose rows are missing in every trial of the other branch.
    const objective = (t: Trial): number => {
      const x = t.suggestFloat('x', -2, 2);
      const y = t.suggestFloat('y', 0, 1);
      if (x <= 0) return 6 + (x + 1) ** 2 + (4 * (y - 0.2)) ** 2;
      const z = t.suggestFloat('z', -1, 1);
      const w = t.suggestFloat('w', 0, 10);
      return (x - 0.7) ** 2 + (4 * (y - 0.2)) ** 2 + (2 * (z + 0.5)) ** 2 + ((w - 8) / 2) ** 2;
    };
    // Each parameter's optimum, a window around it, and the share of the range the window covers.
    const optimum: Record<string, [number, number, number]> = { x: [0.7, 0.5, 0.25], y: [0.2, 0.2, 0.4], z: [-0.5, 0.3, 0.3], w: [8, 1.5, 0.3] };
    for (const options of [{}, { multivariate: true }, { multivariate: true, group: true }] as { multivariate?: boolean; group?: boolean }[]) {
      const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 4, nStartupTrials: 8, ...options }) });
      await study.optimize(objective, { nTrials: 70 });
      const late = study.trials.slice(30);
      for (const [name, [best, tolerance, share]] of Object.entries(optimum)) {
        const values = late.flatMap((t) => (name in t.params ? [t.params[name] as number] : []));
        expect(values.length, `${name} ${JSON.stringify(options)}`).toBeGreaterThan(15);
        const d = study.trials[0]?.distributions[name] ?? study.trials.find((t) => name in t.distributions)?.distributions[name];
        for (const v of values) {
          expect(Number.isFinite(v)).toBe(true);
          if (d?.kind === 'float') expect(v >= d.low && v <= d.high).toBe(true);
        }
        // Proposals gather near the optimum: half again as many as uniform draws would put there.
        // (Plain multivariate samples the branch independently from fewer trials, and gathers less.)
        if (options.group === undefined && options.multivariate === true) continue;
        const near = values.filter((v) => Math.abs(v - best) < tolerance).length;
        expect(near / values.length, `${name} ${JSON.stringify(options)}`).toBeGreaterThan(1.5 * share);
      }
    }
  });

  it('leaves PRUNED trials of a several-objective study out of the model, as Optuna (they have no objective vector to rank)', async () => {
    const propose = async (every3rd: 'PRUNED' | 'FAIL'): Promise<Record<string, unknown>> => {
      const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new TPESampler({ seed: 8, nStartupTrials: 4 }) });
      for (let i = 0; i < 16; i++) {
        const t = await study.ask();
        const x = t.suggestFloat('x', 0, 1);
        t.report(x, 1);
        await study.tell(t, i % 3 === 2 ? every3rd : [x, (1 - x) ** 2]);
      }
      const next = await study.ask();
      next.suggestFloat('x', 0, 1);
      return { ...next.params };
    };
    expect(await propose('PRUNED')).toEqual(await propose('FAIL'));
  });
});
