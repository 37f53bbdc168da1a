import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler, type Pruner, type Trial } from '../../src/index.js';

// Child processes load dist/parallel/worker-process.js: run `npx tsup` first (npm test does).

describe("optimize({ executor: 'process' })", () => {
  it('runs trials in child processes with define-by-run, reports and pruning over the pipes', async () => {
    const pruner: Pruner = { prune: (_v, t) => (t.intermediateValues[0] ?? 0) > 0.7 };
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 9 }), pruner });
    const data = { w: new Float32Array(new SharedArrayBuffer(8)) };
    data.w[0] = 2;
    await study.optimize(
      (trial, ctx) => {
        const x = trial.suggestFloat('x', 0, 1);
        const k = trial.suggestCategorical('k', [1, 2, 3]);
        trial.report(x, 0);
        if (trial.shouldPrune()) throw Object.assign(new Error('pruned'), { name: 'TrialPruned' });
        trial.setUserAttr('pid', process.pid);
        return x * (ctx.data as { w: Float32Array }).w[0]! + k;
      },
      { nTrials: 10, workers: 2, executor: 'process', data },
    );
    const pids = new Set(study.trials.filter((t) => t.state === 'COMPLETE').map((t) => t.userAttrs['pid']));
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.size).toBe(2);
    for (const t of study.trials) {
      const x = t.params['x'] as number;
      if (x > 0.7) expect(t.state).toBe('PRUNED');
      else expect(t.value).toBeCloseTo(2 * x + (t.params['k'] as number), 6);
    }
  });

  it('gives a seeded study the same trials as in the calling thread', async () => {
    const objective = (trial: Trial): number => trial.suggestFloat('a', -1, 1) * trial.suggestInt('b', 1, 9, { step: 2 });
    const run = async (workers: number): Promise<unknown[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 4 }) });
      await study.optimize(objective, { nTrials: 6, workers, executor: 'process' });
      return study.trials.map((t) => [t.params, t.value]);
    };
    expect(await run(1)).toEqual(await run(0));
  });

  it('fails a trial whose process dies, times out or passes the heap limit, and goes on', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const objective = (trial: Trial): number => {
      const x = trial.suggestFloat('x', 0, 1);
      if (trial.number === 0) process.exit(5);
      if (trial.number === 1) for (;;);
      if (trial.number === 3) {
        const hog: number[][] = [];
        for (;;) hog.push(new Array(100_000).fill(x));
      }
      return x;
    };
    await study.optimize(objective, { nTrials: 3, workers: 1, executor: 'process', trialTimeout: 1.5 });
    // No timeout here: filling a 64 MB heap may take a while on a busy machine.
    await study.optimize(objective, { nTrials: 2, workers: 1, executor: 'process', resourceLimits: { maxOldGenerationSizeMb: 64 } });
    expect(study.trials.map((t) => `${t.state} ${String(t.systemAttrs['failReason'] ?? '')}`)).toEqual([
      'FAIL worker crashed: the child process exited with code 5',
      'FAIL timeout: the trial ran longer than trialTimeout = 1.5 s',
      'COMPLETE ',
      expect.stringMatching(/^FAIL heap limit: the child process ran out of memory/),
      'COMPLETE ',
    ]);
  });
});
