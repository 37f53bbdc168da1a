import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler } from '../../src/index.js';

// Worker scripts load from dist/: run `npx tsup` first (npm test does).

describe('trial isolation in workers', () => {
  it('fails a trial that throws, returns NaN, times out or kills its worker, and goes on', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
    await study.optimize(
      (trial) => {
        const mode = trial.suggestCategorical('mode', ['ok', 'throw', 'nan', 'hang', 'exit']);
        if (mode === 'throw') throw new RangeError('bad settings');
        if (mode === 'nan') return NaN;
        if (mode === 'hang') for (;;);
        if (mode === 'exit') process.exit(7);
        return 1;
      },
      { nTrials: 25, workers: 2, trialTimeout: 0.5 },
    );
    const reasons = new Map<string, Set<string>>();
    for (const t of study.trials) {
      const mode = t.params['mode'] as string;
      if (!reasons.has(mode)) reasons.set(mode, new Set());
      reasons.get(mode)?.add(t.state === 'COMPLETE' ? 'COMPLETE' : `${t.state}: ${String(t.systemAttrs['failReason'])}`);
    }
    expect(study.trials).toHaveLength(25);
    expect(reasons.size).toBe(5);
    expect([...(reasons.get('ok') ?? [])]).toEqual(['COMPLETE']);
    expect([...(reasons.get('throw') ?? [])]).toEqual(['FAIL: RangeError: bad settings']);
    expect([...(reasons.get('nan') ?? [])]).toEqual(['FAIL: the objective returned NaN, which is not a finite number']);
    expect([...(reasons.get('hang') ?? [])]).toEqual(['FAIL: timeout: the trial ran longer than trialTimeout = 0.5 s']);
    expect([...(reasons.get('exit') ?? [])]).toEqual(['FAIL: worker crashed: worker exited with code: 7']);
  });

  it('fails a trial that passes the heap limit, with that reason', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      (trial) => {
        if (trial.number === 0) {
          const hog: number[][] = [];
          for (;;) hog.push(new Array(100_000).fill(trial.number));
        }
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 2, workers: 1, resourceLimits: { maxOldGenerationSizeMb: 48 } },
    );
    const [first, second] = study.trials;
    expect(first?.state).toBe('FAIL');
    expect(first?.systemAttrs['failReason']).toMatch(/^heap limit: .*memory limit/);
    expect(second?.state).toBe('COMPLETE');
  });

  it('recycles a worker after recycle.afterTrials trials', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      (trial) => {
        trial.setUserAttr('thread', require('node:worker_threads').threadId);
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 6, workers: 1, recycle: { afterTrials: 2 } },
    );
    const threads = study.trials.map((t) => t.userAttrs['thread']);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    // Two trials per worker, then a fresh one.
    expect(threads[0]).toBe(threads[1]);
    expect(threads[2]).toBe(threads[3]);
    expect(new Set(threads).size).toBe(3);
  });

  it('recycles a worker whose heap passes recycle.maxHeapMiB', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      (trial) => {
        const g = globalThis as { keep?: unknown[] };
        // Each trial keeps ~20 MB alive in its worker (a leak the recycling should bound).
        (g.keep ??= []).push(new Array(2_500_000).fill(0.5));
        trial.setUserAttr('thread', require('node:worker_threads').threadId);
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 4, workers: 1, recycle: { maxHeapMiB: 50 } },
    );
    const threads = study.trials.map((t) => t.userAttrs['thread']);
    expect(threads[0]).toBe(threads[1]);
    expect(threads[2]).not.toBe(threads[1]);
    expect(threads[2]).toBe(threads[3]);
  });
});
