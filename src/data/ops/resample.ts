import { DataOrderError, InvalidOptionError } from '../../errors.js';
import { parseInterval } from '../interval.js';
import type { Column, ColumnChunk, Dtype } from '../types.js';
import { resolveColumn } from './columns.js';
import type { Stage } from './stage.js';

/** How each column of a bucket is aggregated. Missing values (NaN) are ignored, as in pandas. */
export type ResampleAgg = 'first' | 'last' | 'max' | 'min' | 'sum' | 'mean' | 'count';
export type ResampleSpec = Readonly<Record<string, ResampleAgg>>;

export interface ResampleOptions {
  /** The time column (ms since epoch). Default: the first datetime column, else one named timestamp/time/date. */
  readonly time?: string;
}

const AGGS: readonly ResampleAgg[] = ['first', 'last', 'max', 'min', 'sum', 'mean', 'count'];

function findTimeColumn(chunk: ColumnChunk, given: string | undefined): string {
  if (given !== undefined) return resolveColumn(chunk, given, 'resample (time)');
  const names = Object.keys(chunk.columns);
  const dt = names.find((n) => chunk.dtypes[n] === 'datetime');
  if (dt !== undefined) return dt;
  const named = names.find((n) => /^(timestamp|time|date|datetime|open_?time)$/i.test(n) && chunk.dtypes[n] !== 'string');
  if (named !== undefined) return named;
  throw new InvalidOptionError(`resample: no time column found among ${names.map((n) => `'${n}'`).join(', ')}; pass { time: 'column' }`);
}

/** Accumulates one column over the open bucket. */
class Acc {
  first = NaN;
  last = NaN;
  max = NaN;
  min = NaN;
  sum = 0;
  count = 0;
  add(x: number): void {
    if (Number.isNaN(x)) return;
    if (this.count === 0) {
      this.first = x;
      this.max = x;
      this.min = x;
    } else {
      if (x > this.max) this.max = x;
      if (x < this.min) this.min = x;
    }
    this.last = x;
    this.sum += x;
    this.count++;
  }
  value(agg: ResampleAgg): number {
    if (agg === 'sum') return this.sum;
    if (agg === 'count') return this.count;
    if (agg === 'mean') return this.count === 0 ? NaN : this.sum / this.count;
    return this[agg];
  }
  reset(): void {
    this.first = this.last = this.max = this.min = NaN;
    this.sum = 0;
    this.count = 0;
  }
}

/**
 * Groups rows into time buckets of `interval` (aligned to the epoch: 1h buckets start on the hour)
 * and aggregates each column per `spec`. The open bucket carries over chunk boundaries and is
 * emitted when a later bucket starts or the input ends. Buckets with no rows are not emitted.
 * Rows must be in time order.
 */
export function resampleStage(interval: string | number, spec: ResampleSpec, opts: ResampleOptions = {}): Stage {
  const ms = parseInterval(interval, 'resample');
  const entries = Object.entries(spec);
  if (entries.length === 0) throw new InvalidOptionError(`resample: spec must name at least one column, e.g. { close: 'last' }`);
  for (const [name, agg] of entries) {
    if (!AGGS.includes(agg)) throw new InvalidOptionError(`resample: spec.${name} must be one of ${AGGS.join(', ')}, got ${JSON.stringify(agg)}`);
  }
  let time: string | undefined;
  let cols: string[] = [];
  const accs = entries.map(() => new Acc());
  let bucket = NaN;
  let dtypes: Record<string, Dtype> = {};
  let outTime: number[] = [];
  let outCols: number[][] = entries.map(() => []);

  const close = (): void => {
    outTime.push(bucket);
    accs.forEach((a, j) => {
      (outCols[j] as number[]).push(a.value((entries[j] as [string, ResampleAgg])[1]));
      a.reset();
    });
  };
  const take = (): ColumnChunk | undefined => {
    if (time === undefined || outTime.length === 0) return undefined;
    const columns: Record<string, Column> = { [time]: Float64Array.from(outTime) };
    entries.forEach(([name], j) => {
      columns[name] = Float64Array.from(outCols[j] as number[]);
    });
    const rowCount = outTime.length;
    outTime = [];
    outCols = entries.map(() => []);
    return { rowCount, columns, dtypes };
  };

  return {
    push(chunk) {
      if (time === undefined) {
        time = findTimeColumn(chunk, opts.time);
        cols = entries.map(([name]) => resolveColumn(chunk, name, 'resample'));
        dtypes = { [time]: chunk.dtypes[time] === 'datetime' ? 'datetime' : 'float64' };
        for (const [name] of entries) dtypes[name] = 'float64';
        cols.forEach((c) => {
          if (chunk.dtypes[c] === 'string') throw new InvalidOptionError(`resample: column '${c}' holds text; it cannot be aggregated`);
        });
      }
      const t = chunk.columns[time] as Float64Array;
      const values = cols.map((c) => chunk.columns[c] as Float64Array);
      for (let i = 0; i < chunk.rowCount; i++) {
        const ti = t[i] as number;
        if (Number.isNaN(ti)) continue;
        const b = Math.floor(ti / ms) * ms;
        if (b !== bucket) {
          if (!Number.isNaN(bucket)) {
            if (b < bucket) {
              throw new DataOrderError(`resample: rows must be sorted by '${time}', but ${new Date(ti).toISOString()} comes after ${new Date(bucket).toISOString()}`);
            }
            close();
          }
          bucket = b;
        }
        for (let j = 0; j < values.length; j++) (accs[j] as Acc).add((values[j] as Float64Array)[i] as number);
      }
      return take();
    },
    flush() {
      if (!Number.isNaN(bucket)) close();
      bucket = NaN;
      return take();
    },
  };
}
