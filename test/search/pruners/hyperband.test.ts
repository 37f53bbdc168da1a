import { describe, expect, it } from 'vitest';
import { HyperbandPruner, SuccessiveHalvingPruner } from '../../../src/index.js';
import { runLearningCurves } from '../../../src/testing/index.js';

const flat = (value: number, steps: number): number[] => Array.from({ length: steps }, () => value);
const N = 40;
const STEPS = 10;
// minResource 1, maxResource 10, η 3: floor(log3(10)) + 1 = 3 brackets, whose first rungs end
// at steps 1, 3 and 9.
const options = { minResource: 1, maxResource: 10, reductionFactor: 3 } as const;

/**
 * Finds each trial's bracket from behaviour alone: with every trial better than all before it,
 * nothing is pruned, and a trial of bracket b records a rung at steps 3^b, ..., 9 — 3 − b rungs.
 */
async function bracketsOf(studyName: string): Promise<number[]> {
  const curves = Array.from({ length: N }, (_, i) => flat(100 - i, STEPS));
  const { study, outcomes } = await runLearningCurves(new HyperbandPruner(options), curves, { studyName });
  expect(outcomes.every((o) => o.state === 'COMPLETE')).toBe(true);
  return study.trials.map((t) => 3 - Object.keys(t.systemAttrs).filter((k) => k.startsWith('completed_rung_')).length);
}

describe('HyperbandPruner on hand-made learning curves', () => {
  it('assigns brackets from the study name and trial number, the same on every run', async () => {
    const a = await bracketsOf('hb-study');
    expect(await bracketsOf('hb-study')).toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 1, 2]));
    expect(await bracketsOf('another-study')).not.toEqual(a);
  });

  it('lets the trials of a bracket compete only with each other', async () => {
    const brackets = await bracketsOf('hb-separate');
    // Bracket 0 trials are all excellent (1); every other trial is worse than them but better
    // than the earlier trials of its own bracket.
    const curves = brackets.map((b, i) => (b === 0 ? flat(1, STEPS) : flat(100 - i, STEPS)));
    const hyperband = await runLearningCurves(new HyperbandPruner(options), curves, { studyName: 'hb-separate' });
    expect(hyperband.outcomes.filter((o) => o.state === 'PRUNED')).toEqual([]);
    // One successive halving over the whole study prunes them against bracket 0's ones.
    const single = await runLearningCurves(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }), curves, { studyName: 'hb-separate' });
    expect(single.outcomes.some((o) => o.state === 'PRUNED' && brackets[o.number] !== 0)).toBe(true);
  });

  it('prunes within a bracket, at that bracket’s first rung at the earliest', async () => {
    const brackets = await bracketsOf('hb-within');
    // Every trial worse than the one before it: each is pruned at the end of its bracket's first
    // rung (step 1, 3 or 9), except the first trial of each bracket, which has no one to lose to.
    const curves = brackets.map((_, i) => flat(i, STEPS));
    const { outcomes } = await runLearningCurves(new HyperbandPruner(options), curves, { studyName: 'hb-within' });
    const seen = new Set<number>();
    for (const o of outcomes) {
      const b = brackets[o.number] as number;
      if (!seen.has(b)) {
        seen.add(b);
        expect(o.state).toBe('COMPLETE');
      } else {
        expect(o.state).toBe('PRUNED');
        expect(o.decisions.length - 1).toBe(3 ** b);
      }
    }
  });

  it("with maxResource 'auto', waits for a COMPLETE trial and never prunes before", async () => {
    const curves = [flat(1, 3), flat(50, 3), ...Array.from({ length: 30 }, () => flat(100, 27))];
    const { study, outcomes } = await runLearningCurves(new HyperbandPruner(), curves, { studyName: 'hb-auto' });
    // Trial 0 ran before any trial was COMPLETE: never judged, no rung recorded.
    expect(outcomes[0]?.state).toBe('COMPLETE');
    expect(Object.keys(study.trials[0]?.systemAttrs ?? {}).filter((k) => k.startsWith('completed_rung_'))).toEqual([]);
    // Its last step (2) fixes maxResource at 3: two brackets, rungs ending at steps 3^k.
    const pruned = outcomes.filter((o) => o.state === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    for (const o of pruned) expect([1, 3, 9, 27]).toContain(o.decisions.length - 1);
  });
});
