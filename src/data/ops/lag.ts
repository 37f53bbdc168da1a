import { InvalidOptionError } from '../../errors.js';
import type { Column, ColumnChunk } from '../types.js';
import { joinTail, numericColumns, type ColumnOpOptions } from './columns.js';
import type { Stage } from './stage.js';

/**
 * Shifts columns down by `k` rows, like pandas' `shift(k)`: row i gets the value of row i-k of the
 * whole stream (NaN for the first k rows). The last k values of each chunk carry into the next.
 */
export function lagStage(k: number, opts: ColumnOpOptions = {}): Stage {
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidOptionError(`lag: k must be a positive integer (rows back), got ${String(k)}`);
  }
  const tails = new Map<string, Float64Array>();
  let names: string[] | undefined;
  return {
    push(chunk: ColumnChunk) {
      names ??= numericColumns(chunk, opts.columns, 'lag');
      const columns: Record<string, Column> = { ...chunk.columns };
      const dtypes = { ...chunk.dtypes };
      for (const name of names) {
        const tail = tails.get(name) ?? new Float64Array(k).fill(NaN);
        const all = joinTail(tail, chunk.columns[name] as Float64Array);
        // `all` holds exactly k earlier values before this chunk's first row.
        const out = all.slice(tail.length - k, tail.length - k + chunk.rowCount);
        tails.set(name, all.slice(all.length - k));
        const key = opts.suffix === undefined ? name : name + opts.suffix;
        columns[key] = out;
        dtypes[key] = chunk.dtypes[name] === 'datetime' ? 'datetime' : 'float64';
      }
      return { rowCount: chunk.rowCount, columns, dtypes };
    },
    flush: () => undefined,
  };
}
