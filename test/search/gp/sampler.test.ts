import { describe, expect, it } from 'vitest';
import { createStudy, GPSampler, QMCSampler, RandomSampler, type Sampler, type Trial } from '../../../src/index.js';
import { samplerConformance } from '../../../src/testing/index.js';
import { fenceLowOutliers, standardize } from '../../../src/search/samplers/gp/standardize.js';
import { distProblem } from '../../helpers/dist.js';
import { requireOrSkip } from '../../helpers/require.js';

samplerConformance('GPSampler', (seed) => new GPSampler({ seed }), { nTrials: 25 });
samplerConformance('GPSampler, few start-up trials, small sweep', (seed) => new GPSampler({ seed, nStartupTrials: 3, nPreliminarySamples: 256 }), { nTrials: 20 });

function branin(t: Trial): number {
  const x1 = t.suggestFloat('x1', -5, 10);
  const x2 = t.suggestFloat('x2', 0, 15);
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

async function bestAfter(sampler: Sampler, nTrials: number, objective: (t: Trial) => number = branin): Promise<number> {
  const study = await createStudy({ storage: 'memory:', sampler });
  await study.optimize(objective, { nTrials });
  return study.bestValue as number;
}

describe('GPSampler', () => {
  it('finds Branin’s minimum (0.397887) far better than random search in 30 trials, for 3 seeds out of 3', async () => {
    for (const seed of [0, 1, 2]) {
      const gp = await bestAfter(new GPSampler({ seed }), 30);
      const random = await bestAfter(new RandomSampler({ seed }), 30);
      expect(gp - 0.397887).toBeLessThan(0.05);
      expect(gp).toBeLessThan(random);
    }
  });

  it('handles log, int, step and categorical parameters together and keeps improving on them', async () => {
    const objective = (t: Trial): number => {
      const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
      const units = t.suggestInt('units', 1, 512, { log: true });
      const q = t.suggestFloat('q', 0, 1, { step: 0.1 });
      const opt = t.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
      return (Math.log10(lr) + 3) ** 2 + (Math.log2(units) - 6) ** 2 / 4 + (q - 0.3) ** 2 + (opt === 'sgd' ? 0 : 1);
    };
    const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 4 }) });
    await study.optimize(objective, { nTrials: 30 });
    const best = study.bestTrial;
    expect(best.value as number).toBeLessThan(0.6);
    expect(best.params['opt']).toBe('sgd');
    for (const t of study.trials) expect(Number.isInteger(t.params['units'])).toBe(true);
  });

  it('copes with a huge outlier value and with failed (non-finite) trials, and keeps converging', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 2, nStartupTrials: 5 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -1, 1);
      if (x < -0.8) return Number.NaN; // a FAIL: the GP never sees it
      return x > 0.8 ? 1e300 : x * x;
    }, { nTrials: 20, catch: true });
    expect(study.trials.length).toBe(20);
    expect(Math.abs(study.bestParams['x'] as number)).toBeLessThan(0.1);
  });

  it('standardises as Optuna: infinite values clipped to the finite extremes, constant values kept finite', () => {
    expect(Array.from(standardize([1, Infinity, 3, -Infinity]).values)).toEqual(Array.from(standardize([1, 3, 3, 1]).values));
    expect(Array.from(standardize([2, 2, 2]).values)).toEqual([0, 0, 0]);
    expect(Array.from(standardize([Infinity, -Infinity]).values)).toEqual([0, 0]);
  });

  it('fences only far outliers on the bad side: a 1e300 loss no longer flattens the rest', () => {
    const ys = [-1, -2, -3, -4, -5, -1e300];
    const fenced = fenceLowOutliers(ys);
    expect(fenced.slice(0, 5)).toEqual([-1, -2, -3, -4, -5]);
    expect(fenced[5]).toBeGreaterThan(-40);
    expect(fenceLowOutliers([-1, -2, -3, -4, -5, -9])).toEqual([-1, -2, -3, -4, -5, -9]);
    expect(fenceLowOutliers([5, 1, 1, 1, 1, 1])).toEqual([5, 1, 1, 1, 1, 1]);
  });

  it('copes with a constant objective (zero variance) and duplicated points', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 2, nStartupTrials: 3 }) });
    await study.optimize((t) => t.suggestInt('n', 0, 2) * 0 + 1, { nTrials: 12 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(12);
  });

  it('with a constraintsFunc, stores the constraints and ends at a feasible optimum', async () => {
    const study = await createStudy({
      storage: 'memory:',
      sampler: new GPSampler({ seed: 3, constraintsFunc: (t) => [0.5 - (t.params['x'] as number)] }),
    });
    await study.optimize((t) => (t.suggestFloat('x', 0, 1) - 0.2) ** 2 + t.suggestFloat('y', 0, 1) ** 2, { nTrials: 30 });
    for (const t of study.trials) expect(t.systemAttrs['constraints']).toEqual([0.5 - (t.params['x'] as number)]);
    const best = study.bestTrial;
    expect(best.params['x'] as number).toBeGreaterThanOrEqual(0.5);
    expect(best.value as number).toBeLessThan(0.12);
  });

  it('spreads points of trials running at once (constant liar): 4 asked together on Branin are apart', async () => {
    // Without warping (Optuna's model) the liar keeps the batch 0.01 apart in the unit square. With
    // warping the model is sharper at the best point, and a batch that refines it may sit closer,
    // but never on the same point; measured over 10 seeds of batches of 4, warping with this liar
    // still reached a lower regret after 100 trials (Branin 4.9e-6 against 1.0e-5).
    for (const [outputWarping, apart] of [['none', 0.01], ['yeo-johnson', 1e-6]] as const) {
      for (const seed of [5, 8]) {
        const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed, nStartupTrials: 5, outputWarping }) });
        await study.optimize(branin, { nTrials: 15 });
        const batch = [await study.ask(), await study.ask(), await study.ask(), await study.ask()];
        const xs = batch.map((t) => [t.suggestFloat('x1', -5, 10) / 15, t.suggestFloat('x2', 0, 15) / 15] as const);
        for (let i = 0; i < xs.length; i++) {
          for (let j = 0; j < i; j++) expect(Math.hypot((xs[i]?.[0] as number) - (xs[j]?.[0] as number), (xs[i]?.[1] as number) - (xs[j]?.[1] as number))).toBeGreaterThan(apart);
        }
      }
    }
  });

  // Worker threads load dist/: skipped (with the reason) where it is missing or stale, a failure in CI.
  it.skipIf(requireOrSkip(distProblem()))('runs in two worker threads without two trials on the same point', async () => {
    // Worker scripts load from dist/: run `npm run build` first.
    const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 1, nStartupTrials: 4 }) });
    await study.optimize((t) => (t.suggestFloat('x', -2, 2) - 0.3) ** 2 + t.suggestFloat('y', -2, 2) ** 2, { nTrials: 16, workers: 2 });
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(new Set(study.trials.map((t) => `${t.params['x']},${t.params['y']}`)).size).toBe(16);
    expect(study.bestValue as number).toBeLessThan(0.2);
  });

  it("draws its start-up trials from scrambled Sobol points ('qmc', the default), or at random as Optuna does", async () => {
    const branin = (t: Trial): number => {
      const x1 = t.suggestFloat('x1', -5, 10);
      const x2 = t.suggestFloat('x2', 0, 15);
      return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    };
    const run = async (sampler: Sampler): Promise<Record<string, unknown>[]> => {
      const study = await createStudy({ storage: 'memory:', sampler });
      await study.optimize(branin, { nTrials: 10 });
      return study.trials.map((t) => t.params);
    };
    // Trials 1..9 are the QMC sampler's points for the same seed; trial 0 (no space known yet) is random.
    const qmc = await run(new GPSampler({ seed: 11 }));
    expect(qmc.slice(1)).toEqual((await run(new QMCSampler({ seed: 11 }))).slice(1));
    // 'random' is independent uniform draws: the random sampler's, trial by trial.
    const random = await run(new GPSampler({ seed: 11, startup: 'random' }));
    expect(random).toEqual(await run(new RandomSampler({ seed: 11 })));
    expect(random).not.toEqual(qmc);
    // Space-filling: the 8 Sobol points 1..8 fall in distinct cells of a 4×4 grid more often than random ones would;
    // here, for this seed, no two of them share a cell.
    const cells = new Set(qmc.slice(1, 9).map((p) => `${Math.floor((((p['x1'] as number) + 5) / 15) * 4)},${Math.floor(((p['x2'] as number) / 15) * 4)}`));
    expect(cells.size).toBe(8);
  });

  it('rejects bad options with the field named', () => {
    expect(() => new GPSampler({ nStartupTrials: -1 })).toThrow(/nStartupTrials must be a whole number >= 0, got -1/);
    expect(() => new GPSampler({ nLocalSearch: 1 })).toThrow(/nLocalSearch must be a whole number >= 2/);
    expect(() => new GPSampler({ seed: Infinity })).toThrow(/seed must be a finite number/);
    expect(() => new GPSampler({ startup: 'sobol' as 'qmc' })).toThrow(/startup must be 'qmc' or 'random', got "sobol"/);
    expect(() => new GPSampler({ outputWarping: 'log' as 'none' })).toThrow(/outputWarping must be 'yeo-johnson' or 'none' \(Optuna's plain standardisation\), got "log"/);
    expect(new GPSampler().outputWarping).toBe('yeo-johnson');
    expect(() => new GPSampler({ constraintsFunc: 5 as unknown as () => number[] })).toThrow(/constraintsFunc must be a function/);
  });
});

describe('GPSampler resume', () => {
  it('continues exactly as an uninterrupted study: the fit starts from the kernel stored with the newest trial', async () => {
    const name = `gp-resume-${Date.now()}`;
    const full = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 6 }) });
    await full.optimize(branin, { nTrials: 24 });
    const first = await createStudy({ name, storage: 'memory:', sampler: new GPSampler({ seed: 6 }) });
    await first.optimize(branin, { nTrials: 15 });
    const resumed = await createStudy({ name, storage: 'memory:', sampler: new GPSampler({ seed: 6 }), loadIfExists: true });
    await resumed.optimize(branin, { nTrials: 9 });
    expect(resumed.trials.map((t) => t.params)).toEqual(full.trials.map((t) => t.params));
    expect(Array.isArray(resumed.trials[20]?.systemAttrs['gp:kernel'])).toBe(true);
  });
});
