import { describe, expect, it } from 'vitest';
import { data } from '../../src/index.js';
import { BTC, tempDir, writeText } from './helpers.js';

const dir = tempDir('df');

describe('DataFrame per chunk', () => {
  it('keeps ms timestamps and prices float64-exact (no int32/float32 tensor path)', async () => {
    const path = writeText(dir, 'exact.csv', 'timestamp,close\n1483228800000,132795.39\n1483228860000,0.1\n');
    const frames = [];
    for await (const df of data.csv(path)) frames.push(df);
    expect(frames).toHaveLength(1);
    const df = frames[0]!;
    expect(df.shape).toEqual([2, 2]);
    expect(df.columns).toEqual(['timestamp', 'close']);
    expect(df.column('timestamp').values).toEqual([1483228800000, 1483228860000]);
    expect(df.column('close').values).toEqual([132795.39, 0.1]);
    // Row access agrees with the column view we filled in.
    expect(df.iloc({ rows: [1] }).values).toEqual([[1483228860000, 0.1]]);
    expect(df.column('close').sum()).toBe(132795.39 + 0.1);
  });

  it('behaves like a frame built by danfojs itself (rows are built lazily)', async () => {
    const path = writeText(dir, 'lazy.csv', 'a,b,tag\n1,2.5,x\n3,4.5,y\n5,6.5,z\n');
    const ours = await data.csv(path).toDataFrame();
    // The reference: a frame danfojs builds itself through its public constructor.
    const { DataFrame } = data.danfojs();
    const ref = new DataFrame({ a: [1, 3, 5], b: [2.5, 4.5, 6.5], tag: ['x', 'y', 'z'] }, { dtypes: ['float32', 'float32', 'string'] });
    expect(ours.shape).toEqual(ref.shape);
    expect(ours.column('b').values).toEqual(ref.column('b').values);
    expect(ours.column('b').index).toEqual(ref.column('b').index);
    expect(ours['tag'].values).toEqual(['x', 'y', 'z']);
    expect(ours.column('a').sum()).toBe(9);
    const indexed = await data.csv(path).toDataFrame();
    indexed.setIndex({ index: ['r1', 'r2', 'r3'], inplace: true });
    expect(indexed.column('b').index).toEqual(['r1', 'r2', 'r3']);
    expect(indexed.column('b').values).toEqual([2.5, 4.5, 6.5]);
    expect(ours.values).toEqual(ref.values);
    expect(ours.shape).toEqual([3, 3]);
    expect(ours.iloc({ rows: [0, 2] }).values).toEqual(ref.iloc({ rows: [0, 2] }).values);
    expect(ours.head(2).values).toEqual(ref.head(2).values);
    expect(ours.copy().values).toEqual(ref.copy().values);
    expect(ours.loc({ columns: ['tag', 'a'] }).values).toEqual(ref.loc({ columns: ['tag', 'a'] }).values);
    expect(ours.toString()).toBe(ref.toString());
    ours.addColumn('c', [7, 8, 9], { inplace: true });
    ref.addColumn('c', [7, 8, 9], { inplace: true });
    expect(ours.values).toEqual(ref.values);
    expect(ours.shape).toEqual([3, 4]);
    expect(ours.column('c').values).toEqual([7, 8, 9]);
    // Lazily built rows after an in-place change made before anything read them.
    const fresh = await data.csv(path).toDataFrame();
    fresh.addColumn('c', [7, 8, 9], { inplace: true });
    expect(fresh.values).toEqual(ref.values);
    expect(fresh.shape).toEqual([3, 4]);
  });

  it('yields one frame per chunk with text columns as strings', async () => {
    const shapes: number[][] = [];
    let firstDates: unknown[] = [];
    for await (const df of data.csv(BTC, { chunkRows: 1000, columns: ['Date', 'Close'] })) {
      if (shapes.length === 0) firstDates = df.column('Date').values.slice(0, 1);
      shapes.push(df.shape);
    }
    expect(shapes).toEqual([
      [1000, 2],
      [1000, 2],
      [534, 2],
    ]);
    expect(firstDates).toEqual([Date.UTC(2014, 8, 17)]);
    const tags = writeText(dir, 'tags.csv', 'tag,v\na,1\nb,2\n');
    const whole = await data.csv(tags).toDataFrame();
    expect(whole.column('tag').values).toEqual(['a', 'b']);
    expect(whole.dtypes).toEqual(['string', 'float32']);
  });
});
