import { TrialPruned } from '../errors.js';
import type { Pruner } from '../search/pruner.js';
import { InMemoryStorage } from '../storage/memory.js';
import { createStudy } from '../study/create.js';
import type { Direction, TrialState } from '../trial/state.js';
import type { Study } from '../study/study.js';

/** One trial's script: the value it reports at steps 0, 1, 2, ...; `fail` makes it throw after its last report. */
export type LearningCurve = readonly number[] | { readonly values: readonly number[]; readonly fail?: boolean };

export interface CurveOutcome {
  readonly number: number;
  readonly state: TrialState;
  /** shouldPrune()'s answer after each report, up to and including the one that pruned the trial. */
  readonly decisions: readonly boolean[];
}

export interface RunCurvesOptions {
  readonly direction?: Direction;
  /** Fixed so that a Hyperband run assigns the same brackets every time. */
  readonly studyName?: string;
}

class ScriptedFailure extends Error {}

/**
 * Runs one trial per curve, in order, through a real study and its optimize loop: each trial reports
 * its curve step by step, asks shouldPrune() after every report, and throws TrialPruned when told
 * to. A trial's result is its last reported value (NaN there makes it FAIL, as in Optuna).
 */
export async function runLearningCurves(
  pruner: Pruner,
  curves: readonly LearningCurve[],
  options: RunCurvesOptions = {},
): Promise<{ readonly study: Study; readonly outcomes: readonly CurveOutcome[] }> {
  // A store of its own, so the same study name can be run again from scratch.
  const study = await createStudy({
    name: options.studyName ?? 'learning-curves',
    storage: new InMemoryStorage(),
    direction: options.direction ?? 'minimize',
    pruner,
  });
  const decisions: boolean[][] = [];
  await study.optimize(
    (trial) => {
      const curve = curves[trial.number] ?? [];
      const values = Array.isArray(curve) ? (curve as readonly number[]) : (curve as { values: readonly number[] }).values;
      const mine: boolean[] = [];
      decisions[trial.number] = mine;
      for (let step = 0; step < values.length; step++) {
        trial.report(values[step] as number, step);
        const prune = trial.shouldPrune();
        mine.push(prune);
        if (prune) throw new TrialPruned(`pruned at step ${step}`);
      }
      if (!Array.isArray(curve) && (curve as { fail?: boolean }).fail) throw new ScriptedFailure(`trial ${trial.number} fails on purpose`);
      return values.length > 0 ? (values[values.length - 1] as number) : 0;
    },
    { nTrials: curves.length, catch: [ScriptedFailure] },
  );
  const outcomes = study.trials.map((t) => ({ number: t.number, state: t.state, decisions: decisions[t.number] ?? [] }));
  return { study, outcomes };
}
