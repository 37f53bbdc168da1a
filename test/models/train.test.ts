import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as Tf from '@tensorflow/tfjs';
import { loadTf } from '../../src/tf/backend.js';
import type { TfModule } from '../../src/tf/module.js';
import { getModelFamily } from '../../src/models/families/registry.js';
import type { TrainingParams } from '../../src/models/families/types.js';
import { partTensors, shuffled, trainModel, TRAINING_LOSSES, type TrainingLoss, type TrainOptions } from '../../src/models/train.js';
import { Rng } from '../../src/util/rng.js';
import { syntheticData } from '../helpers/model-data.js';

// The training loop's contract, number by number, on the cpu backend with the linear family (a
// fit in milliseconds): the loss it reports is the loss it was asked for, computed on the data it
// names; the stopping rules stop exactly where they say; the optimizer is the one asked for.

const data = syntheticData(120, 12);
const shape = { lookback: data.lookback, features: data.features, horizon: data.horizon };

function training(overrides: Partial<TrainingParams> = {}): TrainingParams {
  return { lr: 0.05, batchSize: 12, optimizer: 'sgd', l2: 0, lookback: 12, ...overrides };
}

function linearModel(tf: TfModule, params: TrainingParams, seed = 1): Tf.LayersModel {
  return getModelFamily('linear').build(tf, { ...shape, lookback: params.lookback }, {}, params, seed);
}

/** A fresh linear model trained on the cpu backend; the caller disposes it. */
async function fit(overrides: Partial<TrainingParams>, options: TrainOptions): Promise<{ model: Tf.LayersModel; r: Awaited<ReturnType<typeof trainModel>> }> {
  const { tf } = await loadTf('cpu');
  const params = training(overrides);
  const model = linearModel(tf, params);
  return { model, r: await trainModel(tf, model, data, params, options) };
}

/** The loss of the model as it stands on a part, by TF.js's own loss functions. */
function lossOn(tf: TfModule, model: Tf.LayersModel, part: 'train' | 'val', lookback: number, loss: TrainingLoss): number {
  const { x, y } = partTensors(tf, data, data[part], lookback);
  try {
    return tf.tidy(() => {
      const p = model.predict(x) as Tf.Tensor;
      const l = loss === 'mae' ? tf.losses.absoluteDifference(y, p) : loss === 'huber' ? tf.losses.huberLoss(y, p) : tf.losses.meanSquaredError(y, p);
      return l.dataSync()[0] as number;
    });
  } finally {
    tf.dispose([x, y]);
  }
}

describe('trainModel', () => {
  it('reports, for each loss, the validation loss of that loss function (mse, mae, huber)', async () => {
    const { tf } = await loadTf('cpu');
    const losses = new Map<TrainingLoss, number>();
    for (const loss of TRAINING_LOSSES) {
      const params = training();
      const model = linearModel(tf, params);
      // One epoch: the best epoch is that one, so the model returned holds the weights it was scored with.
      const r = await trainModel(tf, model, data, params, { epochs: 1, patience: 5, seed: 3, loss });
      expect(r.valLoss).toHaveLength(1);
      expect(r.valLoss[0]).toBeCloseTo(lossOn(tf, model, 'val', 12, loss), 6);
      expect(r.bestValLoss).toBe(r.valLoss[0]);
      losses.set(loss, r.valLoss[0] as number);
      model.dispose();
    }
    // Three different numbers: each option reached its own loss function.
    expect(new Set(losses.values()).size).toBe(3);
  });

  it('trains on the loss asked for and averages its batch losses into the epoch’s train loss: with a learning rate of 0, the train set’s loss', async () => {
    const { tf } = await loadTf('cpu');
    // 84 train windows in batches of 12: equal batches, so the mean of batch means is the mean.
    expect(data.train.count % 12).toBe(0);
    for (const loss of TRAINING_LOSSES) {
      const params = training({ lr: 0 });
      const model = linearModel(tf, params);
      const r = await trainModel(tf, model, data, params, { epochs: 1, patience: 5, seed: 3, loss });
      expect(r.trainLoss[0]).toBeCloseTo(lossOn(tf, model, 'train', 12, loss), 5);
      model.dispose();
    }
  });

  it('is stopped by a timer in the same thread: the fit gives the event loop a turn between batches', async () => {
    const { tf } = await loadTf('cpu');
    const params = training({ lr: 0 });
    const model = linearModel(tf, params);
    // Unstopped, 300 epochs of 7 batches take seconds; trainOnBatch awaits only microtasks on the cpu
    // backend, so without those turns the timer would fire after the last epoch.
    const r = await trainModel(tf, model, data, params, { epochs: 300, patience: 1000, seed: 1, signal: AbortSignal.timeout(30) });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.epochsRun).toBeLessThan(300);
    model.dispose();
  });

  it('stops after exactly `patience` epochs without a better validation loss', async () => {
    for (const patience of [1, 2, 3]) {
      // A learning rate of 0: every epoch's validation loss equals the first, which stays the best.
      const { model, r } = await fit({ lr: 0 }, { epochs: 20, patience, seed: 1 });
      expect(r).toMatchObject({ stoppedBy: 'patience', bestEpoch: 0, epochsRun: patience + 1 });
      expect(new Set(r.valLoss).size).toBe(1);
      model.dispose();
    }
  });

  it('runs every epoch when the loss keeps improving, and says the epochs ran out', async () => {
    const { model, r } = await fit({ lr: 0.01 }, { epochs: 4, patience: 1, seed: 1 });
    expect(r.valLoss.every((v, i) => i === 0 || v < (r.valLoss[i - 1] as number))).toBe(true);
    expect(r).toMatchObject({ stoppedBy: 'epochs', epochsRun: 4, bestEpoch: 3 });
    expect(r.trainLoss).toHaveLength(4);
    model.dispose();
  });

  it('stops at the first epoch whose validation loss is not finite, keeping the best finite epoch', async () => {
    const { model, r } = await fit({ lr: 1e6 }, { epochs: 30, patience: 30, seed: 1 });
    expect(r.stoppedBy).toBe('diverged');
    expect(Number.isFinite(r.valLoss[r.epochsRun - 1] as number)).toBe(false);
    expect(r.valLoss.slice(0, -1).every(Number.isFinite)).toBe(true);
    if (r.bestEpoch >= 0) expect(r.bestValLoss).toBe(Math.min(...r.valLoss.slice(0, -1)));
    else expect(r.bestValLoss).toBe(Infinity);
    model.dispose();
  });

  it('passes the callback each epoch’s number, validation loss and train loss', async () => {
    const { tf } = await loadTf('cpu');
    const params = training();
    const model = linearModel(tf, params);
    const seen: [number, number, number][] = [];
    const r = await trainModel(tf, model, data, params, { epochs: 3, patience: 9, seed: 1, onEpoch: (e, v, t) => void seen.push([e, v, t]) });
    expect(seen).toEqual(r.valLoss.map((v, e) => [e, v, r.trainLoss[e]]));
    model.dispose();
  });

  it('stops before the first batch when the signal is already aborted, with nothing recorded', async () => {
    const { tf } = await loadTf('cpu');
    const params = training();
    const model = linearModel(tf, params);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const r = await trainModel(tf, model, data, params, { epochs: 5, patience: 5, seed: 1, signal: AbortSignal.abort() });
    expect(r).toMatchObject({ stoppedBy: 'aborted', epochsRun: 0, bestEpoch: -1, bestValLoss: Infinity });
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    model.dispose();
  });

  it('trains with the optimizer asked for: one step of SGD moves the weights by −lr·gradient', async () => {
    const { tf } = await loadTf('cpu');
    // One batch holding the whole train set: the step is the full-batch gradient.
    const params = training({ lr: 0.1, batchSize: data.train.count });
    const model = linearModel(tf, params);
    const w0 = model.getWeights().map((w) => w.clone());
    const { x, y } = partTensors(tf, data, data.train, 12);
    const grads = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.predict(x) as Tf.Tensor) as Tf.Scalar).grads;
    await trainModel(tf, model, data, params, { epochs: 1, patience: 5, seed: 1 });
    const names = model.trainableWeights.map((w) => w.originalName);
    model.getWeights().forEach((w, k) => {
      const g = grads[names[k] as string];
      const expected = tf.sub(w0[k] as Tf.Tensor, tf.mul(g as Tf.Tensor, 0.1)).dataSync();
      const got = w.dataSync();
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 5);
    });
    tf.dispose([x, y, ...w0, ...Object.values(grads)]);
    model.dispose();
    // The other two optimizers take other steps from the same start.
    const finals = new Map<string, number[]>();
    for (const optimizer of ['sgd', 'adam', 'rmsprop'] as const) {
      const p = training({ lr: 0.01, optimizer });
      const m = linearModel(tf, p);
      await trainModel(tf, m, data, p, { epochs: 1, patience: 5, seed: 1 });
      finals.set(optimizer, Array.from(m.getWeights()[0]?.dataSync() ?? []));
      m.dispose();
    }
    expect(finals.get('adam')).not.toEqual(finals.get('sgd'));
    expect(finals.get('rmsprop')).not.toEqual(finals.get('sgd'));
    expect(finals.get('rmsprop')).not.toEqual(finals.get('adam'));
  });

  it('shuffles each epoch by its seed: the same seed gives the same losses, another seed others', async () => {
    const { tf } = await loadTf('cpu');
    const run = async (seed: number): Promise<readonly number[]> => {
      const params = training({ batchSize: 5 });
      const model = linearModel(tf, params);
      const r = await trainModel(tf, model, data, params, { epochs: 2, patience: 5, seed });
      model.dispose();
      return r.trainLoss;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it('leaves no tensor behind, whatever way it stops', async () => {
    const { tf } = await loadTf('cpu');
    for (const options of [{ lr: 0 }, { lr: 1e6 }, { lr: 0.01 }]) {
      const params = training(options);
      const model = linearModel(tf, params);
      const before = tf.memory().numTensors;
      await trainModel(tf, model, data, params, { epochs: 4, patience: 1, seed: 1, onEpoch: (e) => e === 2 });
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });
});

describe('shuffled', () => {
  it('is a permutation of 0 … n−1, the same for the same seed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const order = shuffled(n, new Rng(seed));
        expect(order).toHaveLength(n);
        expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(shuffled(n, new Rng(seed))).toEqual(order);
      }),
    );
  });

  it('puts every index in every position about equally often (Fisher–Yates, not a biased swap)', () => {
    const n = 5;
    const runs = 20_000;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const rng = new Rng(11);
    for (let r = 0; r < runs; r++) shuffled(n, rng).forEach((v, position) => (counts[position]![v]! += 1));
    // Each cell is Binomial(20000, 1/5): mean 4000, sd 57; 6 sd either way.
    for (const row of counts) for (const c of row) expect(Math.abs(c - runs / n)).toBeLessThan(340);
  });
});

describe('partTensors', () => {
  it('cuts each window to its last `lookback` steps (property over the lookback)', async () => {
    const { tf } = await loadTf('cpu');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), async (lookback) => {
        const { x, y } = partTensors(tf, data, data.val, lookback);
        expect(x.shape).toEqual([data.val.count, lookback, data.features]);
        expect(y.shape).toEqual([data.val.count, data.horizon]);
        const xs = x.dataSync();
        for (let s = 0; s < data.val.count; s++) for (let k = 0; k < lookback; k++) for (let f = 0; f < data.features; f++) {
          const full = data.val.inputs[(s * data.lookback + data.lookback - lookback + k) * data.features + f];
          expect(xs[(s * lookback + k) * data.features + f]).toBe(full);
        }
        expect(Array.from(y.dataSync())).toEqual(Array.from(data.val.targets));
        tf.dispose([x, y]);
      }),
      { numRuns: 12 },
    );
  });
});
