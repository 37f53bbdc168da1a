import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoBackend, backendForFamily, loadTf, nativeTfPackage, tfjsNodeAvailable } from '../../src/tf/backend.js';
import { getModelFamily, BUILT_IN_FAMILIES } from '../../src/models/families/registry.js';
import { convolution1d } from '../../src/models/families/dense.js';
import { suggestTraining } from '../../src/models/families/common.js';
import { constantLoss, forecastMetrics, persistenceForecast } from '../../src/models/metrics.js';
import { partTensors, predictPart, trainModel } from '../../src/models/train.js';
import { createStudy, RandomSampler } from '../../src/index.js';
import { syntheticData } from '../helpers/model-data.js';

const data = syntheticData();

async function trainOnce(preferred: 'cpu' | 'wasm', family: string, seed: number, epochs = 4) {
  const { tf } = await loadTf(backendForFamily(preferred, getModelFamily(family).backends));
  const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed }) });
  const trial = await study.ask();
  const shape = { lookback: data.lookback, features: data.features, horizon: data.horizon };
  const training = { ...suggestTraining(trial, shape), optimizer: 'adam' as const, lr: 0.01, batchSize: 32 };
  const params = getModelFamily(family).space(trial, shape);
  const before = tf.memory().numTensors;
  const model = getModelFamily(family).build(tf, { ...shape, lookback: training.lookback }, params, training, seed);
  const result = await trainModel(tf, model, data, training, { epochs, patience: 10, seed });
  const predictions = predictPart(tf, model, data, data.test, training.lookback);
  model.dispose();
  const after = tf.memory().numTensors;
  return { result, predictions, leaked: after - before };
}

describe('TF.js backend', () => {
  it('finds no native TensorFlow here, so auto is wasm', () => {
    expect(tfjsNodeAvailable()).toBe(false);
    expect(autoBackend()).toBe('wasm');
  });

  it('detects tfjs-node-gpu as well as tfjs-node, GPU first, and not an alias of plain TF.js', () => {
    // Real package folders resolved by Node, as in a user's node_modules (installing the real ones
    // downloads libtensorflow, which cannot be done here).
    const projects: string[] = [];
    // A fresh project per case: Node caches what it resolved and read.
    const projectWith = (packages: Record<string, string>): NodeJS.Require => {
      const project = mkdtempSync(join(tmpdir(), 'tunelab-native-'));
      projects.push(project);
      for (const [folder, name] of Object.entries(packages)) {
        mkdirSync(join(project, 'node_modules', folder), { recursive: true });
        writeFileSync(join(project, 'node_modules', folder, 'package.json'), JSON.stringify({ name, version: '4.22.0' }));
      }
      return createRequire(join(project, 'index.js'));
    };
    const cpu = '@tensorflow/tfjs-node';
    const gpu = '@tensorflow/tfjs-node-gpu';
    try {
      expect(nativeTfPackage(projectWith({}))).toBeUndefined();
      expect(nativeTfPackage(projectWith({ [cpu]: '@tensorflow/tfjs' }))).toBeUndefined(); // an override aliasing plain TF.js
      expect(nativeTfPackage(projectWith({ [gpu]: gpu }))).toBe(gpu);
      expect(nativeTfPackage(projectWith({ [cpu]: cpu }))).toBe(cpu);
      expect(nativeTfPackage(projectWith({ [cpu]: cpu, [gpu]: gpu }))).toBe(gpu);
    } finally {
      for (const project of projects) rmSync(project, { recursive: true, force: true });
    }
  });

  it("says how to install native TensorFlow when backend 'tensorflow' is asked for without it", async () => {
    await expect(loadTf('tensorflow')).rejects.toThrow(/npm install @tensorflow\/tfjs-node \(or @tensorflow\/tfjs-node-gpu\)/);
  });

  it('initializes wasm and cpu, and rejects an unknown backend by name', async () => {
    expect((await loadTf('wasm')).tf.getBackend()).toBe('wasm');
    expect((await loadTf('cpu')).tf.getBackend()).toBe('cpu');
    await expect(loadTf('gpu' as never)).rejects.toThrow(/backend must be 'auto', 'tensorflow', 'wasm' or 'cpu'/);
  });
});

describe.each(BUILT_IN_FAMILIES)('family %s', (family) => {
  it('trains on the wasm backend without leaking a tensor, and learns', async () => {
    const { result, predictions, leaked } = await trainOnce('wasm', family, 3, 6);
    expect(leaked).toBe(0);
    expect(predictions).toHaveLength(data.test.count);
    expect(result.epochsRun).toBeGreaterThan(0);
    expect(result.bestValLoss).toBeLessThan(constantLoss(data.val.targets, 0));
  });

  it('gives the same losses for the same seed (cpu)', async () => {
    const a = await trainOnce('cpu', family, 5, 2);
    const b = await trainOnce('cpu', family, 5, 2);
    expect(b.result.valLoss).toEqual(a.result.valLoss);
    expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
  });
});

describe('backend per family', () => {
  it('uses the preferred backend unless the family says it cannot train there', () => {
    expect(backendForFamily('wasm', ['tensorflow', 'cpu'])).toBe('cpu');
    expect(backendForFamily('tensorflow', ['tensorflow', 'cpu'])).toBe('tensorflow');
    for (const f of BUILT_IN_FAMILIES) expect(backendForFamily('wasm', getModelFamily(f).backends)).toBe('wasm');
  });
});

describe('the CNN family', () => {
  it('computes exactly what tf.conv1d (valid padding) computes, with the same weights', async () => {
    const { tf } = await loadTf('cpu');
    const [steps, features, k, filters] = [9, 3, 4, 5];
    const input = tf.input({ shape: [steps, features] });
    const args = { kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), kernelRegularizer: tf.regularizers.l2({ l2: 0 }) };
    const model = tf.model({ inputs: input, outputs: convolution1d(tf, input, steps, features, k, filters, args) });
    const x = tf.randomNormal([2, steps, features], 0, 1, 'float32', 11);
    const [kernel, bias] = model.getWeights() as [import('@tensorflow/tfjs').Tensor, import('@tensorflow/tfjs').Tensor];
    const ours = model.predict(x) as import('@tensorflow/tfjs').Tensor;
    const reference = tf.relu(tf.add(tf.conv1d(x as import('@tensorflow/tfjs').Tensor3D, kernel.reshape([k, features, filters]) as import('@tensorflow/tfjs').Tensor3D, 1, 'valid'), bias));
    expect(ours.shape).toEqual([2, steps - k + 1, filters]);
    const diff = tf.max(tf.abs(tf.sub(ours, reference))).dataSync()[0] as number;
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, ours, reference]);
    model.dispose();
  });
});

describe('training loop', () => {
  it('stops on patience and records the best epoch', async () => {
    const { tf } = await loadTf('cpu');
    const shape = { lookback: data.lookback, features: 2, horizon: 1 };
    const training = { lr: 0.3, batchSize: 16, optimizer: 'sgd' as const, l2: 0, lookback: 12 };
    const model = getModelFamily('linear').build(tf, shape, {}, training, 1);
    const result = await trainModel(tf, model, data, training, { epochs: 50, patience: 2, seed: 1 });
    expect(['patience', 'diverged']).toContain(result.stoppedBy);
    expect(result.epochsRun).toBeLessThan(50);
    expect(result.bestEpoch).toBeLessThan(result.epochsRun);
    expect(result.valLoss[result.bestEpoch]).toBe(Math.min(...result.valLoss.filter(Number.isFinite)));
    model.dispose();
  });

  it('returns the model holding the best epoch\'s weights: its validation loss is the best epoch\'s', async () => {
    const { tf } = await loadTf('cpu');
    const shape = { lookback: data.lookback, features: 2, horizon: 1 };
    const training = { lr: 0.3, batchSize: 16, optimizer: 'sgd' as const, l2: 0, lookback: 12 };
    const model = getModelFamily('linear').build(tf, shape, {}, training, 1);
    const result = await trainModel(tf, model, data, training, { epochs: 50, patience: 2, seed: 1 });
    // The case that matters: training went on past the best epoch, to worse weights.
    expect(result.bestEpoch).toBeLessThan(result.epochsRun - 1);
    const last = result.valLoss[result.epochsRun - 1] as number;
    expect(Number.isNaN(last) || last > result.bestValLoss).toBe(true);
    const { x, y } = partTensors(tf, data, data.val, training.lookback);
    const valLoss = tf.tidy(() => tf.losses.meanSquaredError(y, model.predict(x, { batchSize: 1024 }) as typeof y).dataSync()[0] as number);
    tf.dispose([x, y]);
    expect(valLoss).toBe(result.bestValLoss);
    model.dispose();
  });

  it('stops when the epoch callback asks (a pruner)', async () => {
    const { tf } = await loadTf('cpu');
    const shape = { lookback: data.lookback, features: 2, horizon: 1 };
    const training = { lr: 0.01, batchSize: 32, optimizer: 'adam' as const, l2: 1e-6, lookback: 12 };
    const model = getModelFamily('mlp').build(tf, shape, { layers: 1, units: 8, dropout: 0 }, training, 1);
    const seen: number[] = [];
    const result = await trainModel(tf, model, data, training, { epochs: 20, patience: 20, seed: 1, onEpoch: (e) => (seen.push(e), e === 2) });
    expect(result.stoppedBy).toBe('callback');
    expect(seen).toEqual([0, 1, 2]);
    model.dispose();
  });
});

describe('metrics', () => {
  it('computes RMSE, MAE, MAPE and directional accuracy in original units', () => {
    const base = [100, 100, 100, 100];
    const actual = [110, 90, 105, 100];
    const predicted = [105, 95, 95, 101];
    const m = forecastMetrics(actual, predicted, base);
    expect(m.mae).toBeCloseTo((5 + 5 + 10 + 1) / 4);
    expect(m.rmse).toBeCloseTo(Math.sqrt((25 + 25 + 100 + 1) / 4));
    expect(m.mape).toBeCloseTo((100 * (5 / 110 + 5 / 90 + 10 / 105 + 1 / 100)) / 4);
    expect(m.directionalAccuracy).toBeCloseTo(2 / 3); // 110 up/up, 90 down/down, 105 up/down; 100 did not move
  });

  it('persistence forecasts the last value and has no direction', () => {
    const base = [10, 20];
    const forecast = persistenceForecast(base, 2);
    expect(Array.from(forecast)).toEqual([10, 10, 20, 20]);
    expect(Number.isNaN(forecastMetrics([11, 12, 19, 18], forecast, base, 2).directionalAccuracy)).toBe(true);
  });
});
