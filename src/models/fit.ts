import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../tf/module.js';
import type { Trial } from '../trial/trial.js';
import { backendForFamily, type BackendName } from '../tf/backend.js';
import { suggestTraining } from './families/common.js';
import { getModelFamily } from './families/registry.js';
import type { FamilyParams, TrainingParams } from './families/types.js';
import type { ModelData } from './model-data.js';
import { trainModel, type TrainingLoss, type TrainResult } from './train.js';
import { withOverrides, type SpaceOverrides } from './space-overrides.js';

export interface FitOptions {
  readonly family: string;
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  /** Report each epoch's validation loss to the trial and ask its pruner (true for tuning). */
  readonly report?: boolean;
  /** The training and validation loss (default 'mse'). */
  readonly loss?: TrainingLoss;
  /** Changes to the family's default search space (tune().space). */
  readonly space?: SpaceOverrides;
  /** The trial's ctx.signal: the fit stops between batches once it is aborted. */
  readonly signal?: AbortSignal;
}

export interface FittedModel {
  readonly model: Tf.LayersModel;
  readonly training: TrainingParams;
  readonly params: FamilyParams;
  readonly result: TrainResult;
  readonly backend: BackendName;
  /** Switches TF.js back to the backend it had before (call after disposing the model). */
  restoreBackend(): Promise<void>;
}

/** The per-trial seed: the run's seed and the trial number, so every trial has its own stream. */
export function trialSeed(seed: number, trialNumber: number): number {
  return seed * 100_003 + trialNumber;
}

/**
 * Suggests a family's params on `trial` (a live trial, or a FixedTrial replaying the best one),
 * builds the model on a backend that can train it, and fits it. The caller owns the model.
 */
export async function fitFamily(tf: TfModule, trial: Trial, data: ModelData, options: FitOptions): Promise<FittedModel> {
  const family = getModelFamily(options.family);
  const shape = { lookback: data.lookback, features: data.features, horizon: data.horizon };
  const suggest = withOverrides(trial, options.space);
  const training = suggestTraining(suggest, shape);
  const params = family.space(suggest, shape);
  const preferred = tf.getBackend() as BackendName;
  const backend = backendForFamily(preferred, family.backends);
  if (backend !== preferred) await tf.setBackend(backend);
  const restoreBackend = async (): Promise<void> => {
    if (backend !== preferred) await tf.setBackend(preferred);
  };
  const seed = trialSeed(options.seed, trial.number);
  const model = family.build(tf, { ...shape, lookback: training.lookback }, params, training, seed);
  try {
    const result = await trainModel(tf, model, data, training, {
      epochs: options.epochs,
      patience: options.patience,
      seed,
      ...(options.loss !== undefined && { loss: options.loss }),
      ...(options.signal && { signal: options.signal }),
      ...(options.report && {
        onEpoch: (epoch: number, valLoss: number) => {
          trial.report(valLoss, epoch);
          return trial.shouldPrune();
        },
      }),
    });
    return { model, training, params, result, backend, restoreBackend };
  } catch (error) {
    model.dispose();
    await restoreBackend();
    throw error;
  }
}
