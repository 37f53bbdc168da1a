import { TrialPruned } from '../errors.js';
import type { ObjectiveContext } from '../study/objective.js';
import type { Trial } from '../study/trial.js';
import { backendForFamily, type BackendName } from './backend.js';
import { suggestTraining } from './families/common.js';
import { getModelFamily } from './families/registry.js';
import type { ModelData } from './model-data.js';
import { trainModel } from './train.js';

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
  const { family: familyName, epochs, patience, seed } = ctx.context;
  const data = ctx.data[MODEL_DATA_KEY] as ModelData | undefined;
  if (!data) throw new TypeError(`model trials need the dataset in ctx.data.${MODEL_DATA_KEY}`);
  const family = getModelFamily(familyName);
  const shape = { lookback: data.lookback, features: data.features, horizon: data.horizon };
  const training = suggestTraining(trial, shape);
  const params = family.space(trial, shape);

  const tf = ctx.tf;
  const preferred = tf.getBackend() as BackendName;
  const backend = backendForFamily(preferred, family.backends);
  if (backend !== preferred) await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const trialSeed = seed * 100_003 + trial.number;
  const model = family.build(tf, { ...shape, lookback: training.lookback }, params, training, trialSeed);
  try {
    const result = await trainModel(tf, model, data, training, {
      epochs,
      patience,
      seed: trialSeed,
      onEpoch: (epoch, valLoss) => {
        trial.report(valLoss, epoch);
        return trial.shouldPrune();
      },
    });
    trial.setUserAttr('backend', backend);
    trial.setUserAttr('bestEpoch', result.bestEpoch);
    trial.setUserAttr('epochsRun', result.epochsRun);
    if (result.stoppedBy === 'callback') throw new TrialPruned(`pruned after epoch ${result.epochsRun - 1}`);
    return result.bestValLoss;
  } finally {
    model.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    // A leak is reported, not hidden: it shows in the trial's attributes and the result table.
    if (leaked !== 0) trial.setUserAttr('leakedTensors', leaked);
    if (backend !== preferred) await tf.setBackend(preferred);
  }
}
