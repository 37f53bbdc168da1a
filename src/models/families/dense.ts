import type { SymbolicTensor } from '@tensorflow/tfjs';
import type { TfModule } from '../../tf/module.js';
import type { ModelFamily } from './types.js';
import { layerArgs, outputLayer } from './common.js';

/** A linear model over the flattened window: the baseline every deep model must beat. */
export const linearFamily: ModelFamily = {
  name: 'linear',
  description: 'flatten → dense(horizon)',
  space: () => ({}),
  build(tf, shape, _params, training, seed) {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [shape.lookback, shape.features] }));
    model.add(outputLayer(tf, shape, training, seed, 0));
    return model;
  },
};

export const mlpFamily: ModelFamily = {
  name: 'mlp',
  description: 'flatten → 1–3 × (dense relu → dropout) → dense(horizon)',
  space(trial) {
    const layers = trial.suggestInt('layers', 1, 3);
    const units = trial.suggestInt('units', 8, 128, { log: true });
    const dropout = trial.suggestFloat('dropout', 0, 0.5);
    return { layers, units, dropout };
  },
  build(tf, shape, params, training, seed) {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [shape.lookback, shape.features] }));
    for (let i = 0; i < (params['layers'] as number); i++) {
      model.add(tf.layers.dense({ units: params['units'] as number, activation: 'relu', ...layerArgs(tf, training, seed, i + 1) }));
      if ((params['dropout'] as number) > 0) model.add(tf.layers.dropout({ rate: params['dropout'] as number, seed: seed + 1000 + i }));
    }
    model.add(outputLayer(tf, shape, training, seed, 99));
    return model;
  },
};

/**
 * A 1-D convolution written as k time-shifted crops of the window, stacked on the feature axis,
 * then one Dense applied at every time step: the same operation and weights as conv1d ('valid'
 * padding), built from layers whose gradients the wasm backend has (TF.js 4.22's wasm backend
 * lacks Conv2DBackpropFilter, so a real conv1d layer could only train on the slow cpu backend).
 */
export function convolution1d(tf: TfModule, input: SymbolicTensor, steps: number, features: number, kernelSize: number, filters: number, args: ReturnType<typeof layerArgs>): SymbolicTensor {
  const k = Math.min(kernelSize, steps);
  const grid = tf.layers.reshape({ targetShape: [steps, features, 1] }).apply(input) as SymbolicTensor;
  const shifted = Array.from({ length: k }, (_, j) => {
    const crop = tf.layers.cropping2D({ cropping: [[j, k - 1 - j], [0, 0]] }).apply(grid) as SymbolicTensor;
    return tf.layers.reshape({ targetShape: [steps - k + 1, features] }).apply(crop) as SymbolicTensor;
  });
  const frames = k === 1 ? (shifted[0] as SymbolicTensor) : (tf.layers.concatenate({ axis: -1 }).apply(shifted) as SymbolicTensor);
  return tf.layers.dense({ units: filters, activation: 'relu', ...args }).apply(frames) as SymbolicTensor;
}

export const cnnFamily: ModelFamily = {
  name: 'cnn',
  description: '1–2 × conv1d relu (valid padding) → global average pooling → dropout → dense(horizon)',
  space(trial, shape) {
    const layers = trial.suggestInt('layers', 1, 2);
    const filters = trial.suggestInt('filters', 8, 64, { log: true });
    const kernelSize = trial.suggestInt('kernelSize', 2, Math.max(2, Math.min(5, Math.floor(shape.lookback / 2))));
    const dropout = trial.suggestFloat('dropout', 0, 0.5);
    return { layers, filters, kernelSize, dropout };
  },
  build(tf, shape, params, training, seed) {
    const input = tf.input({ shape: [shape.lookback, shape.features] });
    let x: SymbolicTensor = input;
    let steps = shape.lookback;
    let features = shape.features;
    for (let i = 0; i < (params['layers'] as number); i++) {
      const k = Math.min(params['kernelSize'] as number, steps);
      x = convolution1d(tf, x, steps, features, k, params['filters'] as number, layerArgs(tf, training, seed, i + 1));
      steps = steps - k + 1;
      features = params['filters'] as number;
    }
    x = tf.layers.globalAveragePooling1d().apply(x) as SymbolicTensor;
    if ((params['dropout'] as number) > 0) x = tf.layers.dropout({ rate: params['dropout'] as number, seed: seed + 2000 }).apply(x) as SymbolicTensor;
    const output = outputLayer(tf, shape, training, seed, 99).apply(x) as SymbolicTensor;
    return tf.model({ inputs: input, outputs: output });
  },
};
