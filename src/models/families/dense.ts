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

export const cnnFamily: ModelFamily = {
  name: 'cnn',
  description: '1–2 × conv1d relu → global average pooling → dropout → dense(horizon)',
  backends: ['tensorflow', 'cpu'],
  space(trial, shape) {
    const layers = trial.suggestInt('layers', 1, 2);
    const filters = trial.suggestInt('filters', 8, 64, { log: true });
    const kernelSize = trial.suggestInt('kernelSize', 2, Math.max(2, Math.min(5, Math.floor(shape.lookback / 2))));
    const dropout = trial.suggestFloat('dropout', 0, 0.5);
    return { layers, filters, kernelSize, dropout };
  },
  build(tf, shape, params, training, seed) {
    const model = tf.sequential();
    const kernelSize = Math.min(params['kernelSize'] as number, shape.lookback);
    for (let i = 0; i < (params['layers'] as number); i++) {
      model.add(
        tf.layers.conv1d({
          filters: params['filters'] as number,
          kernelSize,
          padding: 'same',
          activation: 'relu',
          ...(i === 0 && { inputShape: [shape.lookback, shape.features] }),
          ...layerArgs(tf, training, seed, i + 1),
        }),
      );
    }
    model.add(tf.layers.globalAveragePooling1d());
    if ((params['dropout'] as number) > 0) model.add(tf.layers.dropout({ rate: params['dropout'] as number, seed: seed + 2000 }));
    model.add(outputLayer(tf, shape, training, seed, 99));
    return model;
  },
};
