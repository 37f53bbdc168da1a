import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, data } from '../../src/index.js';
import { BTC, ohlcvFile, tempDir, writeText } from './helpers.js';

const dir = tempDir('win');
const FEATURES = ['open', 'high', 'low', 'close', 'volume'];

describe('data.windows', () => {
  it('builds shared-memory windows of the right shape from the BTC file', async () => {
    const ds = await data.windows(data.csv(BTC, { chunkRows: 300 }), {
      target: 'close', features: FEATURES, lookback: 30, horizon: 1, transform: 'logReturn', scale: 'zscore', split: { val: 0.15, test: 0.15 },
    });
    const total = ds.train.count + ds.val.count + ds.test.count;
    // 2534 rows: anchors 29..2532, minus windows touching the 4 null days or the first (NaN) return.
    expect(total + ds.dropped).toBe(2534 - 30 - 1 + 1);
    // Independently: a log return is missing on row 0 and on each null day and the day after; a
    // sample anchored at a uses rows a-29..a+1.
    const close = (await data.csv(BTC).collect()).columns['Close'] as Float64Array;
    const bad = new Set<number>([0]);
    close.forEach((v, i) => {
      if (Number.isNaN(v)) bad.add(i).add(i + 1);
    });
    let dropped = 0;
    for (let a = 29; a <= 2532; a++) if ([...bad].some((r) => r >= a - 29 && r <= a + 1)) dropped++;
    expect(ds.dropped).toBe(dropped);
    expect(ds.test.count).toBe(Math.round(total * 0.15));
    for (const p of [ds.train, ds.val, ds.test]) {
      expect(p.inputs.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(p.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(p.inputs.length).toBe(p.count * 30 * 5);
      expect(p.targets.length).toBe(p.count);
      expect(p.inputs.every(Number.isFinite)).toBe(true);
    }
    // Chronological: every train sample precedes every val sample, which precede test.
    expect(ds.train.anchors[ds.train.count - 1]!).toBeLessThan(ds.val.anchors[0]!);
    expect(ds.val.anchors[ds.val.count - 1]!).toBeLessThan(ds.test.anchors[0]!);
    expect(ds.train.times![0]).toBe(Date.UTC(2014, 8, 17) + (ds.train.anchors[0]! + 1) * 86_400_000);
    // z-scored train targets: mean ~0, std ~1 (the scaler saw exactly the train rows, plus edges).
    const t = Array.from(ds.train.targets);
    const m = t.reduce((a, b) => a + b, 0) / t.length;
    expect(Math.abs(m)).toBeLessThan(0.05);
    expect(ds.describe()).toMatch(/WindowDataset [\d,]+ samples \(train [\d,]+ \/ val 365 \/ test 365\)/);
  });

  it('fits scalers on the training part only: changing later data changes nothing in train', async () => {
    const base = await ohlcvFile(dir, 3000, 4);
    const lines = (await import('node:fs')).readFileSync(base, 'utf8').trimEnd().split('\n');
    const opts = { target: 'close', features: FEATURES, lookback: 10, horizon: 2, transform: 'none', split: { val: 0.2, test: 0.2 } } as const;
    for (const scale of ['zscore', 'minmax'] as const) {
      const a = await data.windows(data.csv(base), { ...opts, scale });
      // Scale up every row after the last training target (row anchor + horizon): any leak of
      // validation or test rows into the scalers would move the training arrays.
      const lastTrainRow = a.train.anchors[a.train.count - 1]! + 2;
      const changed = lines.map((l, i) => (i <= lastTrainRow + 1 ? l : l.split(',').map((f, j) => (j === 0 ? f : String(Number(f) * (1 + (i % 7)) * 1000))).join(','))).join('\n');
      const altered = writeText(dir, `altered-${scale}.csv`, `${changed}\n`);
      const b = await data.windows(data.csv(altered), { ...opts, scale });
      expect(b.featureScalers).toEqual(a.featureScalers);
      expect(b.targetScaler).toEqual(a.targetScaler);
      expect(Buffer.from(b.train.inputs.buffer).equals(Buffer.from(a.train.inputs.buffer))).toBe(true);
      expect(b.test.inputs).not.toEqual(a.test.inputs);
      expect(b.fingerprint).not.toBe(a.fingerprint);
    }
  });

  it('inverseTarget turns scaled targets back into prices for every transform', async () => {
    const path = await ohlcvFile(dir, 2000, 6);
    for (const transform of ['logReturn', 'pctChange', 'none'] as const) {
      for (const scale of ['zscore', 'minmax', 'none'] as const) {
        const ds = await data.windows(data.csv(path, { chunkRows: 333 }), { target: 'close', features: FEATURES, lookback: 8, horizon: 3, transform, scale });
        for (const part of ['train', 'test'] as const) {
          const back = ds.inverseTarget(ds[part].targets, part);
          const actual = ds.actualTarget(part);
          expect(back.length).toBe(ds[part].count * 3);
          for (let i = 0; i < back.length; i++) expect(Math.abs(back[i]! / actual[i]! - 1)).toBeLessThan(2e-5);
        }
      }
    }
    const ds = await data.windows(data.csv(path), { target: 'close', lookback: 5 });
    expect(() => ds.inverseTarget([1, 2], 'test')).toThrow(InvalidOptionError);
  });

  it('gives the same windows and fingerprint whatever the chunk size, another for other options', async () => {
    const path = await ohlcvFile(dir, 1500, 8);
    const opts = { target: 'close', features: FEATURES, lookback: 12, horizon: 1, transform: 'logReturn', scale: 'zscore' } as const;
    const a = await data.windows(data.csv(path, { chunkRows: 7 }), opts);
    const b = await data.windows(data.csv(path, { chunkRows: 100_000 }), opts);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(Buffer.from(b.val.inputs.buffer).equals(Buffer.from(a.val.inputs.buffer))).toBe(true);
    const c = await data.windows(data.csv(path), { ...opts, lookback: 13 });
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it('walk-forward folds grow the training window and keep a common test part', async () => {
    const path = await ohlcvFile(dir, 1200, 9);
    const ds = await data.windows(data.csv(path), { target: 'close', features: FEATURES, lookback: 10, transform: 'logReturn', scale: 'zscore', walkForward: { folds: 3, val: 0.1, test: 0.1 } });
    expect(ds.folds).toHaveLength(3);
    const [f0, f1, f2] = ds.folds;
    expect(f0!.train.count).toBeLessThan(f1!.train.count);
    expect(f1!.train.count + f1!.val.count).toBe(f2!.train.count);
    expect(f0!.val.anchors[0]).toBe(f1!.train.anchors[f0!.train.count]);
    expect(f2!.test.count).toBe(ds.test.count);
    expect(f2!.val.anchors[f2!.val.count - 1]!).toBeLessThan(ds.test.anchors[0]!);
    expect(f0!.featureScalers).not.toEqual(f2!.featureScalers);
    expect(ds.train.count).toBe(f2!.train.count);
  });

  it('walk-forward purges a gap of horizon - 1 samples before each validation block and the test part, or slides a window', async () => {
    const path = await ohlcvFile(dir, 800, 21);
    const base = { target: 'close', lookback: 6, horizon: 3, transform: 'logReturn', scale: 'zscore' } as const;
    const ds = await data.windows(data.csv(path), { ...base, walkForward: { folds: 4, val: 0.1, test: 0.1 } });
    expect(ds.folds).toHaveLength(4);
    for (const f of ds.folds) {
      // Anchors are consecutive rows here: the last training sample's targets (rows up to anchor + 3)
      // end before the first validation sample's, and no validation target reaches a test target.
      const lastTrain = f.train.anchors[f.train.count - 1]!;
      const firstVal = f.val.anchors[0]!;
      expect(firstVal - lastTrain).toBe(3);
      expect(lastTrain + 3).toBeLessThan(firstVal + 1);
      expect(f.val.anchors[f.val.count - 1]! + 3).toBeLessThan(ds.test.anchors[0]! + 1);
      expect(f.train.anchors[0]).toBe(ds.folds[0]!.train.anchors[0]);
    }
    const sliding = await data.windows(data.csv(path), { ...base, walkForward: { folds: 4, val: 0.1, test: 0.1, window: 'sliding', length: 120, gap: 5 } });
    for (const f of sliding.folds) {
      expect(f.train.count).toBe(120);
      expect(f.val.anchors[0]! - f.train.anchors[f.train.count - 1]!).toBe(6);
    }
    expect(sliding.folds[3]!.train.anchors[0]).toBeGreaterThan(sliding.folds[0]!.train.anchors[0]!);
  });

  it('rejects walk-forward folds it cannot build, naming the option and the fix', async () => {
    const path = await ohlcvFile(dir, 300, 22);
    const w = (walkForward: Record<string, unknown>, lookback = 5) => data.windows(data.csv(path), { target: 'close', lookback, horizon: 2, walkForward: walkForward as never });
    await expect(w({ folds: 4, val: 0.2 }, 60)).rejects.toThrow(/walk-forward fold 0 trains on \d+ samples, fewer than the lookback \(60\); lower walkForward\.folds or walkForward\.val, or shorten lookback/);
    await expect(w({ folds: 3, val: 0.02, gap: 10 })).rejects.toThrow(/walkForward\.gap \(10 samples\) must be smaller than a fold's validation block \(6 samples\); lower gap or raise walkForward\.val/);
    await expect(w({ folds: 3, val: 0.1, gap: -1 })).rejects.toThrow(/walkForward\.gap must be a whole number of samples >= 0 \(default horizon - 1 = 1\)/);
    await expect(w({ folds: 3, val: 0.1, window: 'sliding' })).rejects.toThrow(/window 'sliding' needs walkForward\.length/);
    await expect(w({ folds: 3, val: 0.1, window: 'rolling' })).rejects.toThrow(/walkForward\.window must be 'expanding' or 'sliding'/);
    await expect(w({ folds: 3, val: 0.1, length: 50 })).rejects.toThrow(/walkForward\.length applies to window 'sliding' only/);
    await expect(w({ folds: 3, val: 0.1, window: 'sliding', length: 3 }, 5)).rejects.toThrow(/fold 0 trains on 3 samples, fewer than the lookback \(5\).*raise walkForward\.length/);
  });

  it('hands inputs to a worker thread without a copy', async () => {
    const path = await ohlcvFile(dir, 500, 10);
    const ds = await data.windows(data.csv(path), { target: 'close', lookback: 4 });
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       workerData.inputs[0] = 12345; parentPort.postMessage(workerData.inputs.length);`,
      { eval: true, workerData: { inputs: ds.train.inputs } },
    );
    const length = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(length).toBe(ds.train.inputs.length);
    expect(ds.train.inputs[0]).toBe(12345);
  });

  it('makes tfjs tensors', async () => {
    const tf = await import('@tensorflow/tfjs');
    const path = await ohlcvFile(dir, 400, 12);
    const ds = await data.windows(data.csv(path), { target: 'close', features: ['close', 'volume'], lookback: 6, horizon: 2, transform: 'pctChange', scale: 'minmax' });
    const t = ds.toTensors(tf);
    expect(t.train.x.shape).toEqual([ds.train.count, 6, 2]);
    expect(t.test.y.shape).toEqual([ds.test.count, 2]);
    expect(Array.from(t.val.x.dataSync().slice(0, 5))).toEqual(Array.from(ds.val.inputs.slice(0, 5)));
    for (const p of Object.values(t)) tf.dispose([p.x, p.y]);
  });

  it('checks options and names missing columns', async () => {
    const path = writeText(dir, 'small.csv', 'a,b\n1,2\n2,3\n3,4\n');
    await expect(data.windows(data.csv(path), { target: 'a', lookback: 0 })).rejects.toThrow(/lookback/);
    await expect(data.windows(data.csv(path), { target: 'zz', lookback: 1 })).rejects.toThrow(/no column 'zz'.*'a', 'b'/);
    await expect(data.windows(data.csv(path), { target: 'a', lookback: 1, split: { val: 0.5, test: 0.5 } })).rejects.toThrow(/split/);
    await expect(data.windows(data.csv(path), { target: 'a', lookback: 5 })).rejects.toThrow(/no complete window/);
  });
});
