import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { data } from '../../src/index.js';
import { tempDir, writeText } from './helpers.js';

// Every number of every window against a direct reading of the table: which rows a sample's
// inputs hold, in which order, which rows its targets and time come from, and which rows the
// scalers are fitted on (the training samples' inputs and targets, nothing later).

const dir = tempDir('win-ref');
let fileNo = 0;

/** Columns a, b, c with values that name their row, and a time column. */
function table(rows: number, seed: number): { path: string; cols: Record<'a' | 'b' | 'c' | 'time', number[]> } {
  const a = Array.from({ length: rows }, (_, r) => 100 + r + ((r * 37 + seed) % 11) / 10);
  const b = Array.from({ length: rows }, (_, r) => 5000 - 3 * r + ((r * 13 + seed) % 7));
  const c = Array.from({ length: rows }, (_, r) => ((r * 29 + seed) % 17) - 8);
  const time = Array.from({ length: rows }, (_, r) => 1_700_000_000_000 + r * 3_600_000);
  const text = ['time,a,b,c', ...a.map((_, r) => `${new Date(time[r] as number).toISOString()},${a[r]},${b[r]},${c[r]}`)].join('\n');
  return { path: writeText(dir, `t${fileNo++}.csv`, `${text}\n`), cols: { a, b, c, time } };
}

function stats(values: number[]): { mean: number; std: number; min: number; max: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

describe('data.windows against the table it reads', () => {
  it('puts rows anchor − lookback + 1 .. anchor of each feature in order, targets at anchor + 1 .. anchor + horizon, the time of anchor + 1', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 50 }), fc.subarray(['a', 'b', 'c'] as const, { minLength: 1 }), async (lookback, horizon, seed, features) => {
        const { path, cols } = table(60, seed);
        const ds = await data.windows(data.csv(path), { target: 'b', features: [...features], lookback, horizon, split: { val: 0.2, test: 0.2 } });
        const F = features.length;
        let total = 0;
        for (const part of [ds.train, ds.val, ds.test]) {
          total += part.count;
          expect(part.inputs.length).toBe(part.count * lookback * F);
          expect(part.targets.length).toBe(part.count * horizon);
          for (let s = 0; s < part.count; s++) {
            const anchor = part.anchors[s] as number;
            for (let k = 0; k < lookback; k++) {
              for (let f = 0; f < F; f++) {
                const want = Math.fround(cols[features[f] as 'a' | 'b' | 'c'][anchor - lookback + 1 + k] as number);
                expect(part.inputs[(s * lookback + k) * F + f]).toBe(want);
              }
            }
            for (let h = 0; h < horizon; h++) expect(part.targets[s * horizon + h]).toBe(Math.fround(cols.b[anchor + 1 + h] as number));
            expect(part.times?.[s]).toBe(cols.time[anchor + 1]);
          }
        }
        // Every anchor with a full window and full targets is used once, in order.
        expect(total).toBe(60 - lookback - horizon + 1);
        const anchors = [ds.train, ds.val, ds.test].flatMap((p) => Array.from(p.anchors));
        expect(anchors).toEqual(Array.from({ length: total }, (_, i) => lookback - 1 + i));
      }),
      { numRuns: 25 },
    );
  });

  it('fits the scalers on exactly the rows the training samples read, and scales every part with them', async () => {
    for (const [lookback, horizon] of [[4, 1], [3, 3]] as const) {
      const { path, cols } = table(80, 3);
      for (const scale of ['zscore', 'minmax'] as const) {
        const ds = await data.windows(data.csv(path), { target: 'b', features: ['a', 'c'], lookback, horizon, scale, split: { val: 0.25, test: 0.25 } });
        const first = (ds.train.anchors[0] as number) - lookback + 1;
        const last = (ds.train.anchors[ds.train.count - 1] as number) + horizon;
        const rowsOf = (name: 'a' | 'b' | 'c') => cols[name].slice(first, last + 1);
        const expectScaler = (got: unknown, values: number[]) => {
          const st = stats(values);
          if (scale === 'zscore') {
            expect(got).toMatchObject({ kind: 'zscore' });
            expect((got as { mean: number }).mean).toBeCloseTo(st.mean, 9);
            expect((got as { std: number }).std).toBeCloseTo(st.std, 9);
          } else {
            expect(got).toEqual({ kind: 'minmax', min: st.min, max: st.max });
          }
        };
        expectScaler(ds.featureScalers[0], rowsOf('a'));
        expectScaler(ds.featureScalers[1], rowsOf('c'));
        expectScaler(ds.targetScaler, rowsOf('b'));
        // A test sample is scaled with the training scaler, not its own.
        const st = stats(rowsOf('a'));
        const anchor = ds.test.anchors[0] as number;
        const raw = cols.a[anchor] as number;
        const want = scale === 'zscore' ? (raw - st.mean) / st.std : (raw - st.min) / (st.max - st.min);
        expect(ds.test.inputs[(lookback - 1) * 2]).toBeCloseTo(want, 5);
      }
    }
  });

  it('describes itself with the counts, options and transform it was built with', async () => {
    const { path } = table(40, 1);
    const ds = await data.windows(data.csv(path), { target: 'b', features: ['a', 'b'], lookback: 3, transform: { a: 'logReturn' }, scale: 'minmax' });
    const s = ds.summary();
    expect(s).toMatchObject({ samples: ds.train.count + ds.val.count + ds.test.count, train: ds.train.count, val: ds.val.count, test: ds.test.count, lookback: 3, horizon: 1, features: 'a, b', target: 'b', transform: '{"a":"logReturn"}', scale: 'minmax', folds: 0 });
    expect(ds.train.count + ds.val.count + ds.test.count).toBe(40 - 3 - 1 + 1 - ds.dropped);
    const plain = await data.windows(data.csv(path), { target: 'b', lookback: 3, transform: 'pctChange' });
    expect(plain.summary()).toMatchObject({ transform: 'pctChange', features: 'b', scale: 'none' });
  });
});

describe('data.windows: the columns it reads', () => {
  it('refuses a text column as a feature, target or time, and a source without rows, naming the column', async () => {
    const path = writeText(dir, 'text-col.csv', 'when,price,label\n2026-01-01,1,up\n2026-01-02,2,down\n2026-01-03,3,up\n2026-01-04,4,up\n');
    await expect(data.windows(data.csv(path), { target: 'price', features: ['price', 'label'], lookback: 1 })).rejects.toThrow(/data.windows: feature column 'label' holds text; windows need numeric columns/);
    await expect(data.windows(data.csv(path), { target: 'label', lookback: 1 })).rejects.toThrow(/target column 'label' holds text/);
    await expect(data.windows(data.csv(path), { target: 'price', lookback: 1, time: 'label' })).rejects.toThrow(/time column 'label' holds text/);
    const empty = writeText(dir, 'header-only.csv', 'a,b\n');
    await expect(data.windows(data.csv(empty), { target: 'a', lookback: 1 })).rejects.toThrow(/the source has no rows/);
  });

  it('reports sample times from a datetime column, a numeric column named time/date, or the one given; none without', async () => {
    const rows = Array.from({ length: 12 }, (_, r) => r);
    const named = writeText(dir, 'named-time.csv', `Timestamp,x\n${rows.map((r) => `${1000 + r},${r * 2}`).join('\n')}\n`);
    const a = await data.windows(data.csv(named), { target: 'x', lookback: 2, split: { val: 0.2, test: 0.2 } });
    expect(a.train.times?.[0]).toBe(1000 + (a.train.anchors[0] as number) + 1);
    const given = writeText(dir, 'given-time.csv', `step,x\n${rows.map((r) => `${50 + r},${r}`).join('\n')}\n`);
    const b = await data.windows(data.csv(given), { target: 'x', lookback: 2, time: 'step', split: { val: 0.2, test: 0.2 } });
    expect(b.test.times?.[0]).toBe(50 + (b.test.anchors[0] as number) + 1);
    const none = await data.windows(data.csv(given), { target: 'x', lookback: 2, split: { val: 0.2, test: 0.2 } });
    expect(none.train.times).toBeUndefined();
  });
});
