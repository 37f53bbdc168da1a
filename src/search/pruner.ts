import type { FrozenTrial } from '../study/frozen-trial.js';
import type { StudyView } from '../study/view.js';

/**
 * A pruner decides, from a running trial's intermediate values and the study's other trials,
 * whether to stop the trial early. One method, as in Optuna.
 */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
