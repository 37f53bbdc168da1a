import { InvalidOptionError } from '../../errors.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';
import type { Pruner } from '../pruner.js';
import { checkOptionsObject, intOption, show } from './check-options.js';
import { bestIntermediate, lastStep, singleDirection } from './intermediate.js';
import { nanPercentile } from './nan-percentile.js';

/** Options shared by PercentilePruner and MedianPruner; defaults as in Optuna. */
export interface MedianPrunerOptions {
  /** No pruning until this many trials of the study are COMPLETE. Default 5. */
  readonly nStartupTrials?: number;
  /** No pruning before this step; the earliest a trial can be pruned is at step === nWarmupSteps. Default 0. */
  readonly nWarmupSteps?: number;
  /** Check only once in every `intervalSteps` steps, counted from nWarmupSteps. Default 1. */
  readonly intervalSteps?: number;
  /** Do not prune unless at least this many COMPLETE trials reported the current step. Default 1. */
  readonly nMinTrials?: number;
}

export interface PercentilePrunerOptions extends MedianPrunerOptions {
  /** 0..100: a trial survives while its best value is within the top `percentile` percent at its step. */
  readonly percentile: number;
}

const SHARED = ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'] as const;

export interface PercentileSettings {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;
}

/** Checks the shared options; `owner` is the class name the user wrote, for the messages. */
export function percentileSettings(owner: string, options: Record<string, unknown>, percentile: number): PercentileSettings {
  return {
    percentile,
    nStartupTrials: intOption(owner, options, 'nStartupTrials', 5, 0, 'pass 0 to allow pruning from the first COMPLETE trial, or leave it out for 5'),
    nWarmupSteps: intOption(owner, options, 'nWarmupSteps', 0, 0, 'pass the first step at which pruning may happen, e.g. 10'),
    intervalSteps: intOption(owner, options, 'intervalSteps', 1, 1, 'pass 1 to check at every step, or N to check every N steps'),
    nMinTrials: intOption(owner, options, 'nMinTrials', 1, 1, 'pass how many COMPLETE trials must have reported a step before it is judged, e.g. 1'),
  };
}

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of the
 * COMPLETE trials' values at the trial's latest step (Optuna's PercentilePruner).
 */
export class PercentilePruner implements Pruner {
  readonly #settings: PercentileSettings;

  constructor(options: PercentilePrunerOptions) {
    const checked = checkOptionsObject('PercentilePruner', options, ['percentile', ...SHARED]);
    const percentile = checked['percentile'];
    if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) {
      throw new InvalidOptionError(
        `PercentilePruner({ percentile }): must be a number from 0 to 100, got ${show(percentile)}; e.g. 25 keeps trials in the best quarter at each step`,
      );
    }
    this.#settings = percentileSettings('PercentilePruner', checked, percentile);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    return percentileDecision(this.#settings, study, trial);
  }
}

/** The decision itself, as Optuna's PercentilePruner.prune, rule for rule. */
export function percentileDecision(s: PercentileSettings, study: StudyView, trial: FrozenTrial): boolean {
  const completed: FrozenTrial[] = [];
  for (const t of study.finishedTrials) if (t.state === 'COMPLETE') completed.push(t);
  if (completed.length === 0 || completed.length < s.nStartupTrials) return false;

  const step = lastStep(trial);
  if (step === undefined || step < s.nWarmupSteps) return false;
  if (!isFirstInInterval(step, trial, s.nWarmupSteps, s.intervalSteps)) return false;

  const direction = singleDirection(study.directions);
  const best = bestIntermediate(trial, direction);
  // A trial that reported nothing but NaN cannot get better than that: prune it.
  if (Number.isNaN(best)) return true;

  const atStep: number[] = [];
  for (const t of completed) {
    const v = t.intermediateValues[step];
    if (v !== undefined) atStep.push(v);
  }
  if (atStep.length < s.nMinTrials) return false;
  const threshold = nanPercentile(atStep, direction === 'maximize' ? 100 - s.percentile : s.percentile);
  if (Number.isNaN(threshold)) return false;
  return direction === 'maximize' ? best < threshold : best > threshold;
}

/**
 * With intervalSteps, a check happens at the first report at or after each checkpoint
 * (nWarmupSteps + k·intervalSteps): true when no earlier report already reached the
 * checkpoint that precedes `step`. Steps may have been reported out of order.
 */
function isFirstInInterval(step: number, trial: FrozenTrial, nWarmupSteps: number, intervalSteps: number): boolean {
  const checkpoint = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let previous = -1;
  for (const key in trial.intermediateValues) {
    const s = Number(key);
    if (s > previous && s !== step) previous = s;
  }
  return previous < checkpoint;
}
