import type { Distribution } from '../trial/distributions.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { StudyView } from '../trial/view.js';
import type { JsonValue } from '../util/json.js';

/**
 * A sampler proposes parameter values, in internal representation (the choice's index for
 * categorical parameters). The contract follows Optuna's: a relative search space sampled
 * jointly when the trial starts, then each parameter the relative sample did not cover is
 * sampled independently when the objective suggests it.
 *
 * Every method is synchronous and reads only the in-memory StudyView.
 */
export interface Sampler {
  /** Parameters to sample jointly for this trial (empty for independent samplers). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Readonly<Record<string, Distribution>>;
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Readonly<Record<string, Distribution>>): Readonly<Record<string, number>>;
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number;
  /** Called when a trial starts; may return system attributes to store on it (e.g. a grid id). */
  beforeTrial?(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> | void;
  /**
   * Called as a trial is told its result, before the result is stored: `trial` carries the state
   * and values it is about to have. System attributes returned are stored with the result, in the
   * same write (TPE's `constraintsFunc` stores `constraints` so, where Optuna's after_trial does).
   * An exception is rethrown once the result is stored without them.
   */
  trialFinishing?(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> | void;
  /** Called once a trial has finished (COMPLETE, PRUNED or FAIL) and is in `study.finishedTrials`. */
  afterTrial?(study: StudyView, trial: FrozenTrial): void;
  /** True when the sampler has nothing left to propose (a grid fully visited): the study stops. */
  isExhausted?(study: StudyView): boolean;
}
