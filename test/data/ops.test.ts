import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataOrderError, data } from '../../src/index.js';
import { allColumns, ohlcvFile, tempDir, writeText } from './helpers.js';

const dir = tempDir('ops');

function oneShotRolling(v: number[], w: number, fn: (win: number[]) => number): number[] {
  return v.map((_, i) => (i + 1 < w ? NaN : fn(v.slice(i + 1 - w, i + 1))));
}
const mean = (win: number[]): number => win.reduce((a, b) => a + b, 0) / win.length;
const same = (a: number[] | undefined = [], b: number[]): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

function writeSeries(name: string, values: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, `t,x\n${values.map((v, i) => `${i},${Number.isNaN(v) ? '' : v}`).join('\n')}\n`);
  return path;
}

describe('rolling and lag carry across chunks', () => {
  const series = fc.array(fc.oneof({ weight: 9, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (v === 0 ? 0 : v)) /* a CSV has no -0 */ }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: 0, maxLength: 120 });

  it('rolling(w, mean|max|fn) equals the one-shot computation for every chunk size', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(series, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), async (values, w, chunkRows) => {
        const path = writeSeries(`roll-${file++}.csv`, values);
        const src = data.csv(path, { chunkRows, dtypes: { t: 'float64', x: 'float64' } });
        const got = await allColumns(src.rolling(w, 'mean', { columns: ['x'] }));
        expect(same(got.cols['x'] as number[], oneShotRolling(values, w, mean))).toBe(true);
        const max = await allColumns(src.rolling(w, 'max', { columns: ['x'], suffix: '_max' }));
        expect(same(max.cols['x_max'] as number[], oneShotRolling(values, w, (win) => (win.some(Number.isNaN) ? NaN : Math.max(...win))))).toBe(true);
        expect(same(max.cols['x'] as number[] | undefined, values)).toBe(true);
        const custom = await allColumns(src.rolling(w, (win) => win[0] as number, { columns: ['x'] }));
        expect(same(custom.cols['x'] as number[], oneShotRolling(values, w, (win) => win[0] as number))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('lag(k) equals shifting the whole column for every chunk size', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(series, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 40 }), async (values, k, chunkRows) => {
        const path = writeSeries(`lag-${file++}.csv`, values);
        const got = await allColumns(data.csv(path, { chunkRows, dtypes: { t: 'float64', x: 'float64' } }).lag(k, { columns: ['x'], suffix: '_lag' }));
        const expected = values.map((_, i) => (i < k ? NaN : (values[i - k] as number)));
        expect(same(got.cols['x_lag'] as number[], expected)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('rolling std matches the sample standard deviation; bad options fail at once', async () => {
    const path = writeSeries('std.csv', [1, 2, 4, 8, 16]);
    const got = await allColumns(data.csv(path, { chunkRows: 2 }).rolling(3, 'std', { columns: ['x'] }));
    const sd = (w: number[]): number => Math.sqrt(w.reduce((a, b) => a + (b - mean(w)) ** 2, 0) / (w.length - 1));
    expect((got.cols['x'] as number[])[4]).toBeCloseTo(sd([4, 8, 16]), 12);
    const src = data.csv(path);
    expect(() => src.rolling(0, 'mean')).toThrow(/window/);
    expect(() => src.rolling(3, 'median' as never)).toThrow(/fn must be one of/);
    expect(() => src.lag(-1)).toThrow(/k must be/);
    await expect(allColumns(src.rolling(3, 'mean', { columns: ['nope'] }))).rejects.toThrow(/no column 'nope'.*'t', 'x'/);
  });
});

describe('resample', () => {
  it('turns 1-minute candles into hourly candles across chunk boundaries', async () => {
    const path = await ohlcvFile(dir, 1000, 11);
    const spec = { open: 'first', high: 'max', low: 'min', close: 'last', volume: 'sum' } as const;
    const whole = await data.csv(path).collect();
    const t = whole.columns['timestamp'] as Float64Array;
    // One-shot reference over the whole file.
    const ref = new Map<number, number[]>();
    for (let i = 0; i < whole.rowCount; i++) {
      const b = Math.floor((t[i] as number) / 3_600_000) * 3_600_000;
      const c = (name: string): number => (whole.columns[name] as Float64Array)[i] as number;
      const r = ref.get(b);
      if (r === undefined) ref.set(b, [c('open'), c('high'), c('low'), c('close'), c('volume')]);
      else ref.set(b, [r[0] as number, Math.max(r[1] as number, c('high')), Math.min(r[2] as number, c('low')), c('close'), (r[4] as number) + c('volume')]);
    }
    for (const chunkRows of [1, 7, 60, 59, 1000]) {
      const got = await allColumns(data.csv(path, { chunkRows }).resample('1h', spec));
      expect(got.rows).toBe(ref.size);
      expect(got.cols['timestamp']).toEqual([...ref.keys()]);
      expect(got.cols['close']).toEqual([...ref.values()].map((r) => r[3]));
      expect(got.cols['high']).toEqual([...ref.values()].map((r) => r[1]));
      const vol = got.cols['volume'] as number[];
      [...ref.values()].forEach((r, i) => expect(vol[i]).toBeCloseTo(r[4] as number, 9));
    }
  });

  it('uses a datetime column, skips missing values, and rejects unsorted time', async () => {
    const path = writeText(dir, 'days.csv', 'Date,Close\n2020-01-01,1\n2020-01-02,null\n2020-01-03,3\n2020-01-04,4\n');
    const weekly = await allColumns(data.csv(path, { chunkRows: 1 }).resample('2d', { Close: 'mean' }));
    expect(weekly.cols['Close']).toEqual([1, 3.5]);
    const back = writeText(dir, 'back.csv', 'timestamp,x\n7200000,1\n0,2\n');
    await expect(allColumns(data.csv(back).resample('1h', { x: 'sum' }))).rejects.toThrow(DataOrderError);
    expect(() => data.csv(back).resample('1 fortnight', { x: 'sum' })).toThrow(/interval/);
  });
});

describe('map, filter, reduce, collect', () => {
  it('compose on typed columns without DataFrames', async () => {
    const path = await ohlcvFile(dir, 5000, 2);
    const src = data.csv(path, { chunkRows: 999 });
    const whole = await src.collect();
    const close = whole.columns['close'] as Float64Array;
    const open = whole.columns['open'] as Float64Array;
    const up = src
      .map((c) => ({ ...c.columns, change: (c.columns['close'] as Float64Array).map((v, i) => v - ((c.columns['open'] as Float64Array)[i] as number)) }))
      .filter((row) => row.num('change') > 0);
    const got = await up.collect();
    const expected = Array.from(close).filter((v, i) => v - (open[i] as number) > 0);
    expect(Array.from(got.columns['close'] as Float64Array)).toEqual(expected);
    const stats = await src.reduce((acc, c) => ({ n: acc.n + c.rowCount, chunks: acc.chunks + 1 }), { n: 0, chunks: 0 });
    expect(stats).toEqual({ n: 5000, chunks: 6 });
  });
});
