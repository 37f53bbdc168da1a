import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler } from '../src/index.js';

describe('a first study', () => {
  it('runs a define-by-run objective and finds its best trial', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
    await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 50 });
    expect(study.trials).toHaveLength(50);
    expect(study.bestValue).toBeLessThan(1);
    expect(Math.abs((study.bestParams['x'] as number) - 2)).toBeLessThan(1);
  });
});
