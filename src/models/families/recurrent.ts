import type { ModelFamily } from './types.js';
import { layerArgs, outputLayer } from './common.js';

function recurrentFamily(kind: 'lstm' | 'gru'): ModelFamily {
  return {
    name: kind,
    description: `1–2 × ${kind.toUpperCase()} → dropout → dense(horizon)`,
    space(trial) {
      const layers = trial.suggestInt('layers', 1, 2);
      const units = trial.suggestInt('units', 8, 64, { log: true });
      const dropout = trial.suggestFloat('dropout', 0, 0.5);
      return { layers, units, dropout };
    },
    build(tf, shape, params, training, seed) {
      const model = tf.sequential();
      const layers = params['layers'] as number;
      for (let i = 0; i < layers; i++) {
        const args = {
          units: params['units'] as number,
          returnSequences: i < layers - 1,
          // Glorot rather than Keras's orthogonal default: TF.js computes the orthogonal matrix with a
          // QR decomposition in JavaScript, which warns and takes seconds for 64 units.
          recurrentInitializer: tf.initializers.glorotUniform({ seed: seed * 37 + i }),
          ...(i === 0 && { inputShape: [shape.lookback, shape.features] }),
          ...layerArgs(tf, training, seed, i + 1),
        };
        model.add(kind === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args));
      }
      if ((params['dropout'] as number) > 0) model.add(tf.layers.dropout({ rate: params['dropout'] as number, seed: seed + 3000 }));
      model.add(outputLayer(tf, shape, training, seed, 99));
      return model;
    },
  };
}

export const lstmFamily = recurrentFamily('lstm');
export const gruFamily = recurrentFamily('gru');
