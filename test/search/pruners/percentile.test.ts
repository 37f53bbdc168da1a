import { describe, expect, it } from 'vitest';
import { MedianPruner, PercentilePruner } from '../../../src/index.js';
import { runLearningCurves, type CurveOutcome } from '../../../src/testing/index.js';

const flat = (value: number, steps: number): number[] => Array.from({ length: steps }, () => value);
/** Five COMPLETE trials, flat at 1, 2, 3, 4, 5: the median at every step is 3. */
const oneToFive = (steps: number): number[][] => [1, 2, 3, 4, 5].map((v) => flat(v, steps));
const prunedAt = (o: CurveOutcome | undefined): number | undefined => (o?.state === 'PRUNED' ? o.decisions.length - 1 : undefined);

describe('MedianPruner on hand-made learning curves', () => {
  it('waits for nStartupTrials COMPLETE trials, then prunes a trial worse than the median', async () => {
    const curves = [flat(1, 3), flat(2, 3), flat(9, 3), flat(3, 3), flat(4, 3), flat(3.5, 3), flat(2.5, 3)];
    const { outcomes } = await runLearningCurves(new MedianPruner({ nStartupTrials: 5 }), curves);
    // Trial 2 (flat 9) ran with only 2 trials COMPLETE: never judged.
    expect(outcomes.slice(0, 5).map((o) => o.state)).toEqual(Array(5).fill('COMPLETE'));
    // Median of 1, 2, 9, 3, 4 at step 0 is 3: 3.5 is worse and stops at once, 2.5 survives.
    expect(prunedAt(outcomes[5])).toBe(0);
    expect(outcomes[6]?.state).toBe('COMPLETE');
  });

  it("judges the trial by its best value so far, at its latest step, and only against COMPLETE trials", async () => {
    const curves = [...oneToFive(3), [2, 10, 10], [4, 1, 1], flat(100, 3), flat(100, 3), [3.5, 3.5, 3.5]];
    const { outcomes } = await runLearningCurves(new MedianPruner(), curves);
    // [2, 10, 10]: its best stays 2, better than the median 3 at every step.
    expect(outcomes[5]?.state).toBe('COMPLETE');
    // [4, 1, 1]: 4 > 3 at step 0; the good values later never come.
    expect(prunedAt(outcomes[6])).toBe(0);
    expect(prunedAt(outcomes[7])).toBe(0);
    expect(prunedAt(outcomes[8])).toBe(0);
    // COMPLETE values at step 0: 1..5 and 2 (trial 5). The PRUNED trials' 4 and 100s do not count,
    // so the median is 2.5 and 3.5 is pruned (with them it would be 4, and 3.5 would go on).
    expect(prunedAt(outcomes[9])).toBe(0);
  });

  it('checks only from nWarmupSteps on, and once in every intervalSteps', async () => {
    // One COMPLETE trial, 10 for three steps then 0: a flat 5 is fine until step 3.
    const history = [10, 10, 10, 0, 0, 0, 0, 0, 0];
    const run = async (options: { nWarmupSteps?: number; intervalSteps?: number }): Promise<number | undefined> => {
      const { outcomes } = await runLearningCurves(new MedianPruner({ nStartupTrials: 1, ...options }), [history, flat(5, 9)]);
      return prunedAt(outcomes[1]);
    };
    expect(await run({})).toBe(3);
    expect(await run({ intervalSteps: 2 })).toBe(4); // checks at 0, 2, 4, ...
    expect(await run({ intervalSteps: 3 })).toBe(3); // 0, 3, 6
    expect(await run({ intervalSteps: 4 })).toBe(4); // 0, 4, 8
    expect(await run({ nWarmupSteps: 5, intervalSteps: 3 })).toBe(5); // 5, 8
    expect(await run({ nWarmupSteps: 1, intervalSteps: 5 })).toBe(6); // 1, 6
  });

  it('needs nMinTrials COMPLETE trials at the step before it judges it', async () => {
    const history = [[10, 0], [10]];
    const strict = await runLearningCurves(new MedianPruner({ nStartupTrials: 1, nMinTrials: 2 }), [...history, [5, 5]]);
    expect(strict.outcomes[2]?.state).toBe('COMPLETE');
    const loose = await runLearningCurves(new MedianPruner({ nStartupTrials: 1, nMinTrials: 1 }), [...history, [5, 5]]);
    expect(prunedAt(loose.outcomes[2])).toBe(1);
  });

  it('is mirrored for maximize', async () => {
    const { outcomes } = await runLearningCurves(new MedianPruner(), [...oneToFive(2), flat(2.5, 2), flat(3.5, 2)], { direction: 'maximize' });
    expect(prunedAt(outcomes[5])).toBe(0);
    expect(outcomes[6]?.state).toBe('COMPLETE');
  });

  it('prunes a trial that reported only NaN, and ignores NaN beside real values', async () => {
    const { outcomes } = await runLearningCurves(new MedianPruner(), [...oneToFive(3), [Number.NaN, 1, 1], [1, Number.NaN, 1], flat(Number.NaN, 3)]);
    // Step 0 of [NaN, 1, 1]: nothing but NaN so far.
    expect(prunedAt(outcomes[5])).toBe(0);
    expect(outcomes[6]?.state).toBe('COMPLETE');
    expect(prunedAt(outcomes[7])).toBe(0);
  });
});

describe('PercentilePruner on hand-made learning curves', () => {
  it('keeps the top percentile, interpolating between trials as numpy does', async () => {
    const run = async (percentile: number, value: number, direction: 'minimize' | 'maximize' = 'minimize'): Promise<string | undefined> => {
      const { outcomes } = await runLearningCurves(new PercentilePruner({ percentile }), [...oneToFive(2), flat(value, 2)], { direction });
      return outcomes[5]?.state;
    };
    // 25th percentile of 1..5 is 2, 75th is 4, 10th is 1.4.
    expect(await run(25, 2.5)).toBe('PRUNED');
    expect(await run(25, 2)).toBe('COMPLETE');
    expect(await run(75, 3.9)).toBe('COMPLETE');
    expect(await run(75, 4.1)).toBe('PRUNED');
    expect(await run(10, 1.3)).toBe('COMPLETE');
    expect(await run(10, 1.5)).toBe('PRUNED');
    // Maximizing, percentile 25 keeps the top quarter: above the 75th percentile (4).
    expect(await run(25, 3.9, 'maximize')).toBe('PRUNED');
    expect(await run(25, 4.1, 'maximize')).toBe('COMPLETE');
    // 0 prunes anything not at least as good as the best; 100 prunes only what is worse than the worst.
    expect(await run(0, 1.01)).toBe('PRUNED');
    expect(await run(100, 5)).toBe('COMPLETE');
    expect(await run(100, 5.01)).toBe('PRUNED');
  });
});
