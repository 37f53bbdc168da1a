import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../../tf/module.js';
import type { Trial } from '../../trial/trial.js';
import type { InputShape, TrainingParams } from './types.js';

/** The training part of every family's search space. */
export function suggestTraining(trial: Trial, shape: InputShape): TrainingParams {
  const lr = trial.suggestFloat('lr', 1e-4, 3e-2, { log: true });
  // Batches below 32 mostly add steps: on a CPU each one is a fixed cost, for little gain in loss.
  const batchSize = trial.suggestCategorical('batchSize', [32, 64, 128]);
  const optimizer = trial.suggestCategorical('optimizer', ['adam', 'rmsprop', 'sgd']);
  const l2 = trial.suggestFloat('l2', 1e-7, 1e-2, { log: true });
  // A shorter view of the window is a real choice only when the window is long enough to cut.
  const lookback = shape.lookback >= 8 ? trial.suggestInt('lookback', Math.max(4, Math.floor(shape.lookback / 4)), shape.lookback) : shape.lookback;
  return { lr, batchSize, optimizer, l2, lookback };
}

/** Seeded initializers and regularizer shared by the families' layers. */
export function layerArgs(
  tf: TfModule,
  training: TrainingParams,
  seed: number,
  layerIndex: number,
): { kernelInitializer: ReturnType<TfModule['initializers']['glorotUniform']>; kernelRegularizer: ReturnType<TfModule['regularizers']['l2']> } {
  return {
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 31 + layerIndex }),
    kernelRegularizer: tf.regularizers.l2({ l2: training.l2 }),
  };
}

export function outputLayer(tf: TfModule, shape: InputShape, training: TrainingParams, seed: number, layerIndex: number): Tf.layers.Layer {
  return tf.layers.dense({ units: shape.horizon, ...layerArgs(tf, training, seed, layerIndex) });
}
