import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler } from '../../src/index.js';

describe('enqueueTrial({ skipIfExists })', () => {
  it('queues params once, whether the earlier trial waits or has run (Optuna\'s skip_if_exists)', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    expect(await study.enqueueTrial({ x: 1, opt: 'adam' }, { skipIfExists: true })).toBe(true);
    expect(await study.enqueueTrial({ opt: 'adam', x: 1 }, { skipIfExists: true })).toBe(false);
    expect(study.trials.map((t) => t.state)).toEqual(['WAITING']);
    await study.optimize((t) => t.suggestFloat('x', -5, 5) + (t.suggestCategorical('opt', ['adam', 'sgd']) === 'adam' ? 0 : 1), { nTrials: 1 });
    expect(study.trials[0]?.params).toEqual({ x: 1, opt: 'adam' });
    // Numbers match within a relative 1e-5, as numpy's isclose in Optuna.
    expect(await study.enqueueTrial({ x: 1.000001, opt: 'adam' }, { skipIfExists: true })).toBe(false);
    expect(await study.enqueueTrial({ x: 1.1, opt: 'adam' }, { skipIfExists: true })).toBe(true);
    expect(await study.enqueueTrial({ x: 1 }, { skipIfExists: true })).toBe(true);
    // Without the option a duplicate is queued, as before.
    expect(await study.enqueueTrial({ x: 1, opt: 'adam' })).toBe(true);
    expect(study.trials.filter((t) => t.state === 'WAITING')).toHaveLength(3);
  });

  it('lets a notebook cell that enqueues known-good settings run again on LevelDB without repeating them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-enqueue-'));
    const storage = `level:${join(dir, 'db')}`;
    const cell = async (): Promise<void> => {
      const study = await createStudy({ name: 'nb', storage, sampler: new RandomSampler({ seed: 3 }), loadIfExists: true });
      for (const lr of [0.01, 0.001]) await study.enqueueTrial({ lr }, { skipIfExists: true });
      await study.optimize((t) => Math.abs(Math.log10(t.suggestFloat('lr', 1e-4, 1, { log: true })) + 2), { totalTrials: 5 });
      await study.close();
    };
    try {
      await cell();
      await cell();
      const study = await createStudy({ name: 'nb', storage, loadIfExists: true });
      const lrs = study.trials.map((t) => t.params['lr']);
      expect(lrs).toHaveLength(5);
      expect(lrs.filter((v) => v === 0.01)).toHaveLength(1);
      expect(lrs.filter((v) => v === 0.001)).toHaveLength(1);
      await study.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
