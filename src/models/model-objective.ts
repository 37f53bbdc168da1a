import { TrialPruned } from '../errors.js';
import type { ObjectiveContext } from '../study/objective.js';
import type { Trial } from '../trial/trial.js';
import { fitFamily } from './fit.js';
import type { ModelData } from './model-data.js';

/** What tune() passes to each trial as ctx.context. */
export interface ModelTrialContext {
  readonly family: string;
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
}

/** The dataset's key in ctx.data. */
export const MODEL_DATA_KEY = 'windows';

/**
 * One trial of one model family: suggest the training and family params, build, fit with early
 * stopping while reporting the validation loss each epoch (so pruners act), and return the best
 * validation loss. This module's default export is what worker threads load.
 */
export default async function modelObjective(trial: Trial, ctx: ObjectiveContext<ModelTrialContext>): Promise<number> {
  const data = ctx.data[MODEL_DATA_KEY] as ModelData | undefined;
  if (!data) throw new TypeError(`model trials need the dataset in ctx.data.${MODEL_DATA_KEY}`);
  const tf = ctx.tf;
  const tensorsBefore = tf.memory().numTensors;
  const fitted = await fitFamily(tf, trial, data, { ...ctx.context, report: true });
  try {
    trial.setUserAttr('backend', fitted.backend);
    trial.setUserAttr('bestEpoch', fitted.result.bestEpoch);
    trial.setUserAttr('epochsRun', fitted.result.epochsRun);
    if (fitted.result.stoppedBy === 'callback') throw new TrialPruned(`pruned after epoch ${fitted.result.epochsRun - 1}`);
    return fitted.result.bestValLoss;
  } finally {
    fitted.model.dispose();
    await fitted.restoreBackend();
    const leaked = tf.memory().numTensors - tensorsBefore;
    // A leak is reported, not hidden: it shows in the trial's attributes and the result table.
    if (leaked !== 0) trial.setUserAttr('leakedTensors', leaked);
  }
}
