import type { ModelData, ModelPart } from '../../src/models/model-data.js';
import { Rng } from '../../src/util/rng.js';

/** A noisy sine with a second feature, windowed: enough signal that a model can learn it. */
export function syntheticData(samples = 240, lookback = 12, seed = 1): ModelData {
  const rng = new Rng(seed);
  const series = Array.from({ length: samples + lookback + 1 }, (_, t) => Math.sin(t / 4) + 0.05 * rng.normal());
  const make = (from: number, count: number): ModelPart => {
    const inputs = new Float32Array(count * lookback * 2);
    const targets = new Float32Array(count);
    for (let s = 0; s < count; s++) {
      for (let k = 0; k < lookback; k++) {
        const v = series[from + s + k] as number;
        inputs[(s * lookback + k) * 2] = v;
        inputs[(s * lookback + k) * 2 + 1] = v * v;
      }
      targets[s] = series[from + s + lookback] as number;
    }
    return { count, inputs, targets };
  };
  const nTrain = Math.floor(samples * 0.7);
  const nVal = Math.floor(samples * 0.15);
  return { lookback, features: 2, horizon: 1, train: make(0, nTrain), val: make(nTrain, nVal), test: make(nTrain + nVal, samples - nTrain - nVal) };
}

