import { describe, expect, it } from 'vitest';
import { SuccessiveHalvingPruner, type FrozenTrial } from '../../../src/index.js';
import { runLearningCurves, type CurveOutcome } from '../../../src/testing/index.js';

const flat = (value: number, steps: number): number[] => Array.from({ length: steps }, () => value);
const prunedAt = (o: CurveOutcome | undefined): number | undefined => (o?.state === 'PRUNED' ? o.decisions.length - 1 : undefined);
const rungs = (t: FrozenTrial | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(t?.systemAttrs ?? {}).filter(([k]) => k.startsWith('completed_rung_')));

describe('SuccessiveHalvingPruner on hand-made learning curves', () => {
  it('promotes through rungs at minResource·η^rung steps and prunes what is not in the top 1/η', async () => {
    // minResource 1, η 2: rungs end at steps 1, 2, 4, 8.
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const { study, outcomes } = await runLearningCurves(pruner, [flat(5, 9), flat(6, 9), flat(4, 9), [9, 3, 3, 3, 3]]);
    expect(outcomes[0]?.state).toBe('COMPLETE');
    expect(rungs(study.trials[0])).toEqual({ completed_rung_0: 5, completed_rung_1: 5, completed_rung_2: 5, completed_rung_3: 5 });
    // 6 against [5]: fewer than η competitors, so only the best goes on. Step 0 is never judged.
    expect(prunedAt(outcomes[1])).toBe(1);
    expect(rungs(study.trials[1])).toEqual({ completed_rung_0: 6 });
    expect(outcomes[2]?.state).toBe('COMPLETE');
    // The value entered at a rung is the latest one: 3 at step 1, not the 9 of step 0.
    expect(outcomes[3]?.state).toBe('COMPLETE');
    expect(rungs(study.trials[3])).toEqual({ completed_rung_0: 3, completed_rung_1: 3, completed_rung_2: 3 });
  });

  it('keeps the top 1/η once η or more trials reached a rung', async () => {
    // Two steps, so only rung 0 (step 1) counts. 2 and 3 meet fewer than 2η values there, so only
    // the best would go on, and they are not it; 1.5 meets [1, 2, 3]: with 4 values the cut is the 2nd best
    // (4 // 2 − 1 = 1), and 1.5 is it; 2.5 meets 5 values, cut still the 2nd best (1.5).
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const curves = [flat(1, 2), flat(2, 2), flat(3, 2), flat(1.5, 2), flat(2.5, 2)];
    const { outcomes } = await runLearningCurves(pruner, curves);
    expect(outcomes.map((o) => o.state)).toEqual(['COMPLETE', 'PRUNED', 'PRUNED', 'COMPLETE', 'PRUNED']);
  });

  it('starts at minResource·η^minEarlyStoppingRate', async () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1 });
    const { outcomes } = await runLearningCurves(pruner, [flat(1, 8), flat(2, 8)]);
    expect(prunedAt(outcomes[1])).toBe(6);
  });

  it('prunes at a rung until more than bootstrapCount trials reached it', async () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 2 });
    const { outcomes } = await runLearningCurves(pruner, [flat(1, 3), flat(2, 3), flat(0.5, 3), flat(3, 3)]);
    // Trials 0 and 1 are alone-ish at rung 0 (1 and 2 values <= 2): pruned. Trial 2 is the third
    // there and the best, but then the first at rung 1 (step 2): pruned again, rung by rung.
    // Trial 3 is the fourth at rung 0 and not in the top half.
    expect(outcomes.map((o) => prunedAt(o))).toEqual([1, 1, 2, 1]);
  });

  it("with minResource 'auto', waits for a COMPLETE trial and takes its last step / 100", async () => {
    const pruner = new SuccessiveHalvingPruner();
    // Trial 0's last step is 250: minResource 2, and with η 4 the first rung ends at step 2.
    const { study, outcomes } = await runLearningCurves(pruner, [flat(1, 251), flat(10, 5), flat(11, 5)]);
    expect(rungs(study.trials[0])).toEqual({});
    // Trial 0 never entered a rung, so trial 1 is alone at rung 0 and goes on; trial 2 is not the best there.
    expect(outcomes[1]?.state).toBe('COMPLETE');
    expect(prunedAt(outcomes[2])).toBe(2);
  });

  it('is mirrored for maximize and prunes a NaN at a rung', async () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const { outcomes } = await runLearningCurves(pruner, [flat(5, 3), flat(6, 3), flat(4, 3), [1, Number.NaN, 9]], { direction: 'maximize' });
    expect(outcomes.map((o) => prunedAt(o))).toEqual([undefined, undefined, 1, 1]);
  });

  it('stores the rungs with the trial, so a study loaded from storage sees them', async () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const { study } = await runLearningCurves(pruner, [flat(5, 5), flat(6, 5), [1, Number.NEGATIVE_INFINITY, 0]]);
    const stored = await study.storage.getAllTrials(study.studyId);
    expect(stored.map(rungs)).toEqual([
      { completed_rung_0: 5, completed_rung_1: 5, completed_rung_2: 5 },
      { completed_rung_0: 6 },
      // -Infinity survives JSON storage as a string; the pruner reads it back as a number.
      { completed_rung_0: '-Infinity', completed_rung_1: 0 },
    ]);
  });
});
