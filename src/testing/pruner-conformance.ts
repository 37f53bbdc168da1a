import { describe, expect, it } from 'vitest';
import { InMemoryStorage } from '../storage/memory.js';
import type { Pruner } from '../search/pruner.js';
import { createStudy } from '../study/create.js';
import type { Direction } from '../trial/state.js';
import { runLearningCurves, type LearningCurve } from './learning-curves.js';

export interface PrunerConformanceOptions {
  /**
   * False for pruners that never prune (NopPruner): the suite then checks that nothing is pruned.
   * Otherwise it checks that clearly bad trials get pruned in a study of the right direction.
   */
  readonly prunes?: boolean;
}

const STEPS = 30;
const NAME = 'pruner-conformance';

/** Ten decent trials, 64 + 8i − step (integers, so negating them is exact), then six flat bad ones. */
function history(): number[][] {
  const curves: number[][] = [];
  for (let i = 0; i < 10; i++) curves.push(Array.from({ length: STEPS }, (_, s) => 64 + 8 * i - s));
  for (let i = 0; i < 6; i++) curves.push(Array.from({ length: STEPS }, () => 1000));
  return curves;
}

const negate = (curves: readonly number[][]): number[][] => curves.map((c) => c.map((v) => -v));

/**
 * Checks every pruner must pass, through real studies: no pruning without reports, no throw on an
 * empty study or with FAIL trials in the history, the same decisions for the same history, and the
 * study's direction respected. Call it inside a vitest file with a factory for fresh pruners.
 */
export function prunerConformance(name: string, makePruner: () => Pruner, options: PrunerConformanceOptions = {}): void {
  const prunes = options.prunes !== false;
  const badTrials = (outcomes: readonly { number: number; state: string }[]): readonly { number: number; state: string }[] =>
    outcomes.filter((o) => o.number >= 10);

  describe(`pruner conformance: ${name}`, () => {
    for (const direction of ['minimize', 'maximize'] as const) {
      it(`never prunes a trial that reported nothing (${direction})`, async () => {
        const curves = direction === 'minimize' ? history() : negate(history());
        const { study } = await runLearningCurves(makePruner(), curves, { direction, studyName: NAME });
        for (let i = 0; i < 5; i++) {
          const trial = await study.ask();
          expect(trial.shouldPrune()).toBe(false);
          await study.tell(trial, 'FAIL');
        }
      });
    }

    it('does not throw on an empty study, before or after a first report', async () => {
      const study = await createStudy({ name: NAME, storage: new InMemoryStorage(), pruner: makePruner() });
      const trial = await study.ask();
      expect(trial.shouldPrune()).toBe(false);
      trial.report(1, 0);
      expect(typeof trial.shouldPrune()).toBe('boolean');
      trial.report(Number.NaN, 1);
      expect(typeof trial.shouldPrune()).toBe('boolean');
      await study.tell(trial, 'PRUNED');
    });

    it('does not throw with FAIL trials in the history', async () => {
      const good = history().slice(0, 10);
      const curves: LearningCurve[] = [
        { values: good[0] as number[], fail: true },
        { values: [], fail: true },
        [...(good[1] as number[]).slice(0, 5), Number.NaN],
        ...good.slice(2),
        { values: (good[3] as number[]).slice(0, 12), fail: true },
        ...history().slice(10),
      ];
      const { outcomes } = await runLearningCurves(makePruner(), curves, { studyName: NAME });
      expect(outcomes).toHaveLength(curves.length);
      // A trial scripted to fail may be pruned first; one that never reports cannot be.
      for (const n of [0, 2, 11]) expect(['FAIL', 'PRUNED']).toContain(outcomes[n]?.state);
      expect(outcomes[1]?.state).toBe('FAIL');
      expect(outcomes.every((o) => o.state !== 'RUNNING')).toBe(true);
    });

    it('gives the same decisions for the same history', async () => {
      const curves = [...history(), ...history().slice(3, 9)];
      const a = await runLearningCurves(makePruner(), curves, { studyName: NAME });
      const b = await runLearningCurves(makePruner(), curves, { studyName: NAME });
      expect(b.outcomes).toEqual(a.outcomes);
    });

    it('decides a maximized study as the minimized study of the negated curves', async () => {
      const curves = history();
      const min = await runLearningCurves(makePruner(), curves, { direction: 'minimize', studyName: NAME });
      const max = await runLearningCurves(makePruner(), negate(curves), { direction: 'maximize', studyName: NAME });
      expect(max.outcomes).toEqual(min.outcomes);
    });

    if (prunes) {
      it('prunes clearly bad trials for the study direction, and only for it', async () => {
        const curves = history();
        const minimized = await runLearningCurves(makePruner(), curves, { direction: 'minimize', studyName: NAME });
        expect(badTrials(minimized.outcomes).some((o) => o.state === 'PRUNED')).toBe(true);
        // The same curves maximized: the flat 1000s are now the best trials.
        const maximized = await runLearningCurves(makePruner(), curves, { direction: 'maximize' as Direction, studyName: NAME });
        expect(badTrials(maximized.outcomes).every((o) => o.state === 'COMPLETE')).toBe(true);
      });
    } else {
      it('never prunes', async () => {
        for (const direction of ['minimize', 'maximize'] as const) {
          const { outcomes } = await runLearningCurves(makePruner(), history(), { direction, studyName: NAME });
          expect(outcomes.every((o) => o.state === 'COMPLETE' && o.decisions.every((d) => !d))).toBe(true);
        }
      });
    }
  });
}
