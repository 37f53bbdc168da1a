import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';
import type { Pruner } from '../pruner.js';
import { checkOptionsObject } from './check-options.js';
import { percentileDecision, percentileSettings, type MedianPrunerOptions, type PercentileSettings } from './percentile.js';

export type { MedianPrunerOptions } from './percentile.js';

/**
 * Prunes a trial whose best intermediate value so far is worse than the median of the COMPLETE
 * trials' values at the same step: PercentilePruner at the 50th percentile, as in Optuna.
 */
export class MedianPruner implements Pruner {
  readonly #settings: PercentileSettings;

  constructor(options: MedianPrunerOptions = {}) {
    const checked = checkOptionsObject('MedianPruner', options, ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials']);
    this.#settings = percentileSettings('MedianPruner', checked, 50);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    return percentileDecision(this.#settings, study, trial);
  }
}
