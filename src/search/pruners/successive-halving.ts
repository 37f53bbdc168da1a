import { InvalidOptionError } from '../../errors.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';
import type { Pruner, PruneDecision } from '../pruner.js';
import { checkOptionsObject, intOption, intOrAutoOption } from './check-options.js';
import { lastStep, singleDirection } from './intermediate.js';
import { climbRungs, type RungSettings } from './rungs.js';

export interface SuccessiveHalvingPrunerOptions {
  /**
   * Steps before the first rung (r in the ASHA paper). 'auto' (default): the largest last step of
   * the COMPLETE trials divided by 100 (at least 1), fixed once the first trial completes.
   */
  readonly minResource?: number | 'auto';
  /** About 1 in reductionFactor trials goes on at each rung (η). Default 4. */
  readonly reductionFactor?: number;
  /** The first rung is at minResource · reductionFactor^minEarlyStoppingRate steps (s). Default 0. */
  readonly minEarlyStoppingRate?: number;
  /** Prune at a rung until more than this many trials (this one included) have reached it. Default 0. */
  readonly bootstrapCount?: number;
}

const OWNER = 'SuccessiveHalvingPruner';

/**
 * Asynchronous Successive Halving (ASHA), as Optuna's SuccessiveHalvingPruner: at each rung a
 * trial goes on only if its latest value is in the top 1/reductionFactor of the values recorded
 * there. Rung values are stored on the trial as `completed_rung_N` system attributes.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly #minResource: number | 'auto';
  readonly #rest: Omit<RungSettings, 'minResource'>;
  // 'auto' is estimated once per study, as Optuna's pruner fixes it at the first estimate.
  readonly #estimated = new Map<string, number>();

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const checked = checkOptionsObject(OWNER, options, ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount']);
    this.#minResource = intOrAutoOption(OWNER, checked, 'minResource', 1, "pass the number of steps a trial always gets before its first rung, e.g. 1, or 'auto'");
    this.#rest = {
      reductionFactor: intOption(OWNER, checked, 'reductionFactor', 4, 2, 'pass 2 or more, e.g. 3 or 4 (the share of trials kept at each rung is 1/reductionFactor)'),
      minEarlyStoppingRate: intOption(OWNER, checked, 'minEarlyStoppingRate', 0, 0, 'pass 0 for the first rung at minResource steps'),
      bootstrapCount: intOption(OWNER, checked, 'bootstrapCount', 0, 0, 'pass 0 to judge a rung from its first trial'),
    };
    if (this.#rest.bootstrapCount > 0 && this.#minResource === 'auto') {
      throw new InvalidOptionError(
        `${OWNER}({ bootstrapCount: ${this.#rest.bootstrapCount}, minResource: 'auto' }): bootstrapCount needs a fixed minResource; pass minResource as a number of steps, e.g. 1`,
      );
    }
  }

  prune(study: StudyView, trial: FrozenTrial): PruneDecision {
    if (lastStep(trial) === undefined) return { prune: false };
    const minResource = this.#minResource === 'auto' ? this.#estimate(study) : this.#minResource;
    if (minResource === undefined) return { prune: false };
    return climbRungs(study.trials, trial, singleDirection(study.directions), { minResource, ...this.#rest });
  }

  #estimate(study: StudyView): number | undefined {
    const known = this.#estimated.get(study.name);
    if (known !== undefined) return known;
    let last: number | undefined;
    for (const t of study.finishedTrials) {
      if (t.state !== 'COMPLETE') continue;
      const s = lastStep(t);
      if (s !== undefined && (last === undefined || s > last)) last = s;
    }
    if (last === undefined) return undefined;
    const estimate = Math.max(Math.floor(last / 100), 1);
    this.#estimated.set(study.name, estimate);
    return estimate;
  }
}
