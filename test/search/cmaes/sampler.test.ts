import { describe, expect, it, vi } from 'vitest';
import { CmaEsSampler, createStudy, RandomSampler, type Sampler, type Trial } from '../../../src/index.js';
import { samplerConformance } from '../../../src/testing/index.js';

samplerConformance('CmaEsSampler', (seed) => new CmaEsSampler({ seed }));
samplerConformance('CmaEsSampler without restarts, population 4', (seed) => new CmaEsSampler({ seed, popsize: 4, restartStrategy: 'none' }));

function rosenbrock5(t: Trial): number {
  const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, -5, 10));
  let s = 0;
  for (let i = 0; i < 4; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
}

async function best(sampler: Sampler, nTrials: number, objective: (t: Trial) => number): Promise<number> {
  const study = await createStudy({ storage: 'memory:', sampler });
  await study.optimize(objective, { nTrials });
  return study.bestValue as number;
}

describe('CmaEsSampler', () => {
  it('beats random search on Rosenbrock-5 in 150 trials, for 3 seeds out of 3', async () => {
    for (const seed of [0, 1, 2]) expect(await best(new CmaEsSampler({ seed }), 150, rosenbrock5)).toBeLessThan(await best(new RandomSampler({ seed }), 150, rosenbrock5));
  });

  it('tags each trial with its generation, a population of λ = 4 + ⌊3 ln n⌋ per generation', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 1 }) });
    await study.optimize(rosenbrock5, { nTrials: 41 });
    const gens = study.trials.slice(1).map((t) => (t.systemAttrs['cma:generation'] as [string, number, number])[2]);
    // Trial 0 is random (no shared space yet); then 8 trials per generation (n = 5).
    expect(gens).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 8)));
  });

  it('restarts with a doubled population when a run stops (IPOP)', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 2, popsize: 4 }) });
    await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2 + t.suggestFloat('y', -1, 1) ** 2, { nTrials: 600 });
    const restarts = new Set(study.trials.slice(1).map((t) => (t.systemAttrs['cma:generation'] as [string, number, number])[1]));
    expect(restarts.size).toBeGreaterThan(1);
    expect(study.bestValue as number).toBeLessThan(1e-8);
  });

  it('continues the same run after a resume: a new sampler replays the stored generations', async () => {
    const name = `cma-resume-${Date.now()}`;
    const full = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 4 }) });
    await full.optimize(rosenbrock5, { nTrials: 40 });
    const first = await createStudy({ name, storage: 'memory:', sampler: new CmaEsSampler({ seed: 4 }) });
    await first.optimize(rosenbrock5, { nTrials: 21 });
    const resumed = await createStudy({ name, storage: 'memory:', sampler: new CmaEsSampler({ seed: 4 }), loadIfExists: true });
    await resumed.optimize(rosenbrock5, { nTrials: 19 });
    expect(resumed.trials.map((t) => t.params)).toEqual(full.trials.map((t) => t.params));
  });

  it('rounds integers, keeps log parameters in range, and warns once that categorical ones are sampled at random', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 3 }) });
      await study.optimize((t) => {
        const n = t.suggestInt('n', 1, 50);
        const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
        const c = t.suggestCategorical('c', ['a', 'b']);
        return (n - 20) ** 2 + Math.log10(lr) ** 2 + (c === 'a' ? 0 : 1);
      }, { nTrials: 60 });
      for (const t of study.trials) expect(Number.isInteger(t.params['n'])).toBe(true);
      expect(study.bestValue as number).toBeLessThan(10);
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('categorical'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('runs in two worker threads', async () => {
    // Worker scripts load from dist/: run `npm run build` first.
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 5 }) });
    await study.optimize((t) => (t.suggestFloat('x', -2, 2) - 0.3) ** 2 + t.suggestFloat('y', -2, 2) ** 2, { nTrials: 30, workers: 2 });
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(study.bestValue as number).toBeLessThan(0.5);
  });

  it('rejects bad options with the field named', () => {
    expect(() => new CmaEsSampler({ sigma0: 0 })).toThrow(/sigma0 must be a positive number/);
    expect(() => new CmaEsSampler({ popsize: 1 })).toThrow(/popsize must be a whole number >= 2/);
    expect(() => new CmaEsSampler({ restartStrategy: 'bipop' as 'ipop' })).toThrow(/restartStrategy must be 'ipop' or 'none'/);
  });
});
