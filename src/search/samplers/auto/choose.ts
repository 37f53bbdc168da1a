import type { StudyView } from '../../../trial/view.js';

export type AutoChoice = 'gp' | 'tpe' | 'nsga2';

/** Below this many COMPLETE trials a single-objective study gets the GP; its cost grows with the cube of the trials. */
export const GP_MAX_TRIALS = 200;

/** From this many COMPLETE trials a several-objective study gets NSGA-II (Optuna's AutoSampler switches there too). */
export const NSGA_MIN_TRIALS = 250;

/**
 * Which sampler works on the study now, and why: a pure function of its finished trials, so a
 * resumed or distributed study makes the same choice. As Optuna's AutoSampler (OptunaHub):
 * - several objectives → multi-objective TPE below NSGA_MIN_TRIALS COMPLETE trials, NSGA-II after:
 *   TPE finds a good front sooner, and NSGA-II's generations of 50 need a long study to pay off
 *   (its first generation is the TPE trials so far, so nothing is spent on random trials);
 * - conditional parameters (not every COMPLETE trial has the same ones) → TPE, which models
 *   each branch, where the GP needs one shared space;
 * - otherwise the GP until GP_MAX_TRIALS COMPLETE trials, TPE after (its cost per trial stays
 *   small, and with hundreds of trials TPE has caught up).
 */
export function chooseSampler(view: StudyView): { choice: AutoChoice; reason: string } {
  let complete = 0;
  let shared: Set<string> | undefined;
  let conditional = false;
  for (const t of view.finishedTrials) {
    if (t.state !== 'COMPLETE') continue;
    complete++;
    const names = Object.keys(t.distributions);
    if (shared === undefined) shared = new Set(names);
    else if (names.length !== shared.size || names.some((n) => !shared!.has(n))) conditional = true;
  }
  if (view.directions.length > 1) {
    const k = view.directions.length;
    if (complete >= NSGA_MIN_TRIALS) return { choice: 'nsga2', reason: `${k} objectives, ${complete} complete trials (≥ ${NSGA_MIN_TRIALS}): NSGA-II` };
    return { choice: 'tpe', reason: `${k} objectives, ${complete} complete trials (< ${NSGA_MIN_TRIALS}): multi-objective TPE` };
  }
  if (conditional) return { choice: 'tpe', reason: 'conditional parameters (trials differ in which they have): TPE models each branch' };
  if (complete >= GP_MAX_TRIALS) return { choice: 'tpe', reason: `${complete} complete trials (≥ ${GP_MAX_TRIALS}): TPE, as a GP's cost grows with the cube of the trials` };
  return { choice: 'gp', reason: `${complete} complete trials (< ${GP_MAX_TRIALS}) on one shared space: Gaussian process with log EI` };
}
