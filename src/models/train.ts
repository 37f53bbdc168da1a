import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../tf/module.js';
import { windowTensors } from '../data/windows/tensors.js';
import { Rng } from '../util/rng.js';
import type { TrainingParams } from './families/types.js';
import type { ModelData, ModelPart } from './model-data.js';

export interface TrainOptions {
  readonly epochs: number;
  /** Epochs without a better validation loss before stopping. */
  readonly patience: number;
  readonly seed: number;
  /** The loss trained on and validated with (default 'mse'). */
  readonly loss?: TrainingLoss;
  /** Called after each epoch with the validation loss; return true to stop (a pruner said so). */
  readonly onEpoch?: (epoch: number, valLoss: number, trainLoss: number) => boolean | void;
  /** Checked between batches: once aborted (trial timeout, interrupt, study stop) the fit ends at once. */
  readonly signal?: AbortSignal;
}

export type TrainingLoss = 'mse' | 'mae' | 'huber';
export const TRAINING_LOSSES: readonly TrainingLoss[] = ['mse', 'mae', 'huber'];

/** The loss as a function of (targets, predictions): one scalar tensor. Huber's delta is 1 (targets are z-scores). */
function lossFunction(tf: TfModule, loss: TrainingLoss): (yTrue: Tf.Tensor, yPred: Tf.Tensor) => Tf.Tensor {
  if (loss === 'mae') return (t, p) => tf.losses.absoluteDifference(t, p);
  if (loss === 'huber') return (t, p) => tf.losses.huberLoss(t, p);
  return (t, p) => tf.losses.meanSquaredError(t, p);
}

export interface TrainResult {
  readonly bestValLoss: number;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  readonly trainLoss: readonly number[];
  readonly valLoss: readonly number[];
  readonly stoppedBy: 'epochs' | 'patience' | 'callback' | 'diverged' | 'aborted';
}

/** x [count, lookback, features] cut to the last `lookback` steps, and y [count, horizon]. */
export function partTensors(tf: TfModule, data: ModelData, part: ModelPart, lookback: number): { x: Tf.Tensor3D; y: Tf.Tensor2D } {
  return tf.tidy(() => {
    const { x: full, y } = windowTensors<Tf.Tensor3D, Tf.Tensor2D>(tf, part, data);
    const x = lookback < data.lookback ? full.slice([0, data.lookback - lookback, 0], [part.count, lookback, data.features]) : full;
    return { x, y };
  });
}

function optimizerFor(tf: TfModule, training: TrainingParams): Tf.Optimizer {
  switch (training.optimizer) {
    case 'adam':
      return tf.train.adam(training.lr);
    case 'rmsprop':
      return tf.train.rmsprop(training.lr);
    case 'sgd':
      return tf.train.sgd(training.lr);
  }
}

/**
 * Fits on train with seeded shuffling (TF.js's own shuffle uses Math.random), reports the
 * validation loss every epoch, stops early on patience, and leaves the model holding its best
 * epoch's weights. Every tensor it makes is disposed, including the optimizer's state.
 */
export async function trainModel(tf: TfModule, model: Tf.LayersModel, data: ModelData, training: TrainingParams, options: TrainOptions): Promise<TrainResult> {
  const optimizer = optimizerFor(tf, training);
  const loss = lossFunction(tf, options.loss ?? 'mse');
  model.compile({ optimizer, loss: options.loss === undefined || options.loss === 'mse' ? 'meanSquaredError' : loss });
  const train = partTensors(tf, data, data.train, training.lookback);
  const val = partTensors(tf, data, data.val, training.lookback);
  const trainLoss: number[] = [];
  const valLoss: number[] = [];
  let best: Tf.Tensor[] | undefined;
  let bestValLoss = Infinity;
  let bestEpoch = -1;
  let stoppedBy: TrainResult['stoppedBy'] = 'epochs';
  const watch = options.signal ? new AbortWatch(options.signal) : undefined;
  try {
    epochs: for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = shuffled(data.train.count, Rng.derive(options.seed, 'epoch', epoch));
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += training.batchSize) {
        if (watch && (await watch.aborted())) {
          stoppedBy = 'aborted';
          break epochs;
        }
        const idx = tf.tensor1d(order.subarray(start, start + training.batchSize), 'int32');
        const xb = tf.gather(train.x, idx);
        const yb = tf.gather(train.y, idx);
        const loss = (await model.trainOnBatch(xb, yb)) as number;
        tf.dispose([idx, xb, yb]);
        lossSum += loss;
        batches++;
      }
      const epochTrainLoss = lossSum / Math.max(1, batches);
      const epochValLoss = evaluate(tf, model, val.x, val.y, loss);
      trainLoss.push(epochTrainLoss);
      valLoss.push(epochValLoss);
      if (!Number.isFinite(epochValLoss)) {
        stoppedBy = 'diverged';
        break;
      }
      if (epochValLoss < bestValLoss) {
        bestValLoss = epochValLoss;
        bestEpoch = epoch;
        tf.dispose(best);
        best = model.getWeights().map((w) => w.clone());
      }
      if (options.onEpoch?.(epoch, epochValLoss, epochTrainLoss) === true) {
        stoppedBy = 'callback';
        break;
      }
      if (epoch - bestEpoch >= options.patience) {
        stoppedBy = 'patience';
        break;
      }
    }
    if (best) model.setWeights(best);
  } finally {
    tf.dispose(best);
    tf.dispose([train.x, train.y, val.x, val.y]);
    optimizer.dispose();
  }
  return { bestValLoss, bestEpoch, epochsRun: valLoss.length, trainLoss, valLoss, stoppedBy };
}

/**
 * Whether the signal is aborted, checked between batches. trainOnBatch awaits only microtasks on
 * the cpu and wasm backends, so in the calling thread the timer that aborts the signal
 * (trialTimeout) would never run: the event loop gets a turn every 10 ms.
 */
class AbortWatch {
  readonly #signal: AbortSignal;
  #lastTurn = performance.now();

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  async aborted(): Promise<boolean> {
    if (performance.now() - this.#lastTurn >= 10) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.#lastTurn = performance.now();
    }
    return this.#signal.aborted;
  }
}

function evaluate(tf: TfModule, model: Tf.LayersModel, x: Tf.Tensor, y: Tf.Tensor, loss: (yTrue: Tf.Tensor, yPred: Tf.Tensor) => Tf.Tensor): number {
  return tf.tidy(() => {
    const prediction = model.predict(x, { batchSize: 1024 }) as Tf.Tensor;
    return loss(y, prediction).dataSync()[0] as number;
  });
}

/** Model outputs for a part, [count × horizon], scaled as the targets are. */
export function predictPart(tf: TfModule, model: Tf.LayersModel, data: ModelData, part: ModelPart, lookback: number): Float32Array {
  const { x, y } = partTensors(tf, data, part, lookback);
  try {
    return tf.tidy(() => (model.predict(x, { batchSize: 1024 }) as Tf.Tensor).dataSync() as Float32Array).slice();
  } finally {
    tf.dispose([x, y]);
  }
}

/** 0 … n−1 in a seeded random order (Fisher–Yates); exported for its tests. */
export function shuffled(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}
