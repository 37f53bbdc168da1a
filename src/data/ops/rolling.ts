import { InvalidOptionError } from '../../errors.js';
import type { Column, ColumnChunk } from '../types.js';
import { joinTail, numericColumns, type ColumnOpOptions } from './columns.js';
import type { Stage } from './stage.js';

/** A built-in window statistic, or a function of the window's values (oldest first). */
export type RollingFn = 'mean' | 'sum' | 'min' | 'max' | 'std' | ((window: Float64Array) => number);

type Agg = (v: Float64Array, from: number, to: number) => number;

// Each window is summed afresh rather than with a running sum: then a row's result depends only
// on its window, never on where chunk boundaries fell, and it is bit-identical for any chunkRows.
const sum: Agg = (v, from, to) => {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i] as number;
  return s;
};
const BUILTIN: Record<Exclude<RollingFn, (w: Float64Array) => number>, Agg> = {
  sum,
  mean: (v, from, to) => sum(v, from, to) / (to - from),
  min: (v, from, to) => {
    let m = Infinity;
    for (let i = from; i < to; i++) {
      const x = v[i] as number;
      if (x < m || Number.isNaN(x)) m = x;
      if (Number.isNaN(m)) return NaN;
    }
    return m;
  },
  max: (v, from, to) => {
    let m = -Infinity;
    for (let i = from; i < to; i++) {
      const x = v[i] as number;
      if (x > m || Number.isNaN(x)) m = x;
      if (Number.isNaN(m)) return NaN;
    }
    return m;
  },
  std: (v, from, to) => {
    const n = to - from;
    if (n < 2) return NaN;
    const mean = sum(v, from, to) / n;
    let ss = 0;
    for (let i = from; i < to; i++) ss += ((v[i] as number) - mean) ** 2;
    return Math.sqrt(ss / (n - 1));
  },
};

/**
 * Rolling window over each column, like pandas' `rolling(window).agg()` with min_periods = window:
 * the first window-1 rows of the stream are NaN, and a window with a NaN gives NaN for the
 * built-ins. The last window-1 values of each chunk are carried into the next one.
 */
export function rollingStage(window: number, fn: RollingFn, opts: ColumnOpOptions = {}): Stage {
  if (!Number.isInteger(window) || window < 1) {
    throw new InvalidOptionError(`rolling: window must be a positive integer, got ${String(window)}`);
  }
  if (typeof fn !== 'function' && !(fn in BUILTIN)) {
    throw new InvalidOptionError(`rolling: fn must be one of ${Object.keys(BUILTIN).join(', ')} or a function, got ${JSON.stringify(fn)}`);
  }
  const agg: Agg = typeof fn === 'function' ? (v, from, to) => fn(v.subarray(from, to)) : BUILTIN[fn];
  const tails = new Map<string, Float64Array>();
  let names: string[] | undefined;
  return {
    push(chunk: ColumnChunk) {
      names ??= numericColumns(chunk, opts.columns, 'rolling');
      const columns: Record<string, Column> = { ...chunk.columns };
      const dtypes = { ...chunk.dtypes };
      for (const name of names) {
        const tail = tails.get(name) ?? new Float64Array(0);
        const values = chunk.columns[name] as Float64Array;
        const n = chunk.rowCount;
        const out = new Float64Array(n);
        // Windows that reach back into the carried tail read from a small joined edge; the rest
        // read the chunk in place (copying whole columns doubled this step's memory traffic).
        const edgeRows = Math.min(n, window - 1);
        const edge = joinTail(tail, values.subarray(0, edgeRows));
        for (let i = 0; i < edgeRows; i++) {
          const to = tail.length + i + 1;
          out[i] = to < window ? NaN : agg(edge, to - window, to);
        }
        for (let i = edgeRows; i < n; i++) out[i] = agg(values, i + 1 - window, i + 1);
        const joined = n >= window - 1 ? values.subarray(n - (window - 1)) : joinTail(tail, values);
        tails.set(name, joined.slice(Math.max(0, joined.length - (window - 1))));
        const key = opts.suffix === undefined ? name : name + opts.suffix;
        columns[key] = out;
        dtypes[key] = 'float64';
      }
      return { rowCount: chunk.rowCount, columns, dtypes };
    },
    flush: () => undefined,
  };
}
