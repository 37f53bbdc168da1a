import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { StudyView } from '../trial/view.js';
import type { JsonValue } from '../util/json.js';

/**
 * A pruner's answer when it also has something to remember about the trial (Successive
 * Halving records the rungs a trial completed, as Optuna's `completed_rung_N`). The pruner
 * only sees a snapshot, so it returns the attributes and the study writes them on the live
 * trial; the next snapshot, and every other trial's pruner call, then sees them.
 */
export interface PruneDecision {
  readonly prune: boolean;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
}

/**
 * A pruner decides, from a running trial's intermediate values and the study's other trials,
 * whether to stop the trial early. One method, as in Optuna; it may answer with a plain
 * boolean or with a PruneDecision that carries system attributes to store on the trial.
 */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean | PruneDecision;
}

/** Reads a pruner's answer in its one full form. */
export function toPruneDecision(answer: boolean | PruneDecision): PruneDecision {
  return typeof answer === 'boolean' ? { prune: answer } : answer;
}
