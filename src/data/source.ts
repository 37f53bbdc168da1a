import { inspect } from 'node:util';
import type { DataFrame } from './danfojs.js';
import { withChunkText, withChunksText } from './chunk-text.js';
import { chunkToDataFrame } from './dataframe.js';
import { collectChunks } from './ops/collect.js';
import type { ColumnOpOptions } from './ops/columns.js';
import { filterStage, type RowPredicate } from './ops/filter.js';
import { lagStage } from './ops/lag.js';
import { mapStage, type MapFn } from './ops/map.js';
import { reduceChunks } from './ops/reduce.js';
import { resampleStage, type ResampleOptions, type ResampleSpec } from './ops/resample.js';
import { rollingStage, type RollingFn } from './ops/rolling.js';
import { runStage, type Stage } from './ops/stage.js';
import { checkSpecs, indicatorsStage, type IndicatorSpecs } from './indicators/stage.js';
import type { ColumnChunk, SourceStats } from './types.js';

/**
 * A chunked data source. Iterating it (`for await (const df of source)`) yields one danfojs
 * DataFrame per chunk; `columns()` yields the same chunks as typed columns without building any
 * DataFrame. Operations return new sources and run lazily, chunk by chunk, on typed columns; every
 * pass re-reads the input, so a source is reusable and never holds more than a chunk or two.
 */
export class ChunkSource implements AsyncIterable<DataFrame> {
  readonly #open: () => AsyncIterable<ColumnChunk>;
  readonly #label: string;
  /** Counters of the latest pass (rows, bad rows skipped, chunks, bytes), shared by derived sources. */
  readonly stats: SourceStats;

  /** Not for direct use: data.csv(...) or an operation on a source makes sources. */
  constructor(open: () => AsyncIterable<ColumnChunk>, label: string, stats: SourceStats) {
    this.#open = open;
    this.#label = label;
    this.stats = stats;
  }

  /** The typed-column path: `{ rowCount, columns, dtypes }` per chunk. */
  columns(): AsyncIterable<ColumnChunk> {
    return withChunksText(this.#open());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<DataFrame> {
    for await (const chunk of this.#open()) yield chunkToDataFrame(chunk);
  }

  /** Replaces each chunk's columns with `fn(chunk)` (same number of rows). */
  map(fn: MapFn): ChunkSource {
    return this.#through('map', () => mapStage(fn));
  }

  /** Keeps rows where `predicate(row)` is true: `source.filter((r) => r.num('volume') > 0)`. */
  filter(predicate: RowPredicate): ChunkSource {
    return this.#through('filter', () => filterStage(predicate));
  }

  /** Rolling window statistic per column, carried across chunks (pandas `rolling(window)`). */
  rolling(window: number, fn: RollingFn, opts: ColumnOpOptions = {}): ChunkSource {
    rollingStage(window, fn, opts);
    return this.#through(`rolling(${window}, ${typeof fn === 'function' ? 'fn' : fn})`, () => rollingStage(window, fn, opts));
  }

  /**
   * Adds technical indicators as columns, computed as the chunks stream by (exact across chunk
   * boundaries): `source.indicators({ rsi14: data.indicators.rsi('close', 14), macd: data.indicators.macd('close') })`
   * adds `rsi14`, `macd`, `macd_signal`, `macd_hist`, which data.windows can then take as features.
   */
  indicators(specs: IndicatorSpecs): ChunkSource {
    checkSpecs(specs);
    return this.#through(`indicators(${Object.keys(specs).join(', ')})`, () => indicatorsStage(specs));
  }

  /** Values from k rows earlier, carried across chunks (pandas `shift(k)`). */
  lag(k: number, opts: ColumnOpOptions = {}): ChunkSource {
    lagStage(k, opts);
    return this.#through(`lag(${k})`, () => lagStage(k, opts));
  }

  /** Coarser time buckets: `resample('1h', { open: 'first', high: 'max', low: 'min', close: 'last', volume: 'sum' })`. */
  resample(interval: string | number, spec: ResampleSpec, opts: ResampleOptions = {}): ChunkSource {
    resampleStage(interval, spec, opts);
    return this.#through(`resample(${String(interval)})`, () => resampleStage(interval, spec, opts));
  }

  /** Folds the chunks into one value. */
  reduce<A>(fn: (acc: A, chunk: ColumnChunk) => A, init: A): Promise<A> {
    return reduceChunks(withChunksText(this.#open()), fn, init);
  }

  /** All rows as one typed-column chunk (must fit in memory). */
  collect(): Promise<ColumnChunk> {
    return collectChunks(this.#open()).then(withChunkText);
  }

  /** All rows as one danfojs DataFrame (must fit in memory). */
  async toDataFrame(): Promise<DataFrame> {
    return chunkToDataFrame(await this.collect());
  }

  /** A short description, e.g. `btc.csv → rolling(20, mean)`. */
  describe(): string {
    return this.#label;
  }

  [inspect.custom](): string {
    const s = this.stats;
    const last = s.chunks > 0 ? ` (last pass: ${s.rows.toLocaleString('en-US')} rows in ${s.chunks} chunks${s.badRows > 0 ? `, ${s.badRows} bad rows skipped` : ''})` : '';
    return `ChunkSource ${this.#label}${last}`;
  }

  #through(label: string, make: () => Stage): ChunkSource {
    return new ChunkSource(() => runStage(this.#open(), make()), `${this.#label} → ${label}`, this.stats);
  }
}
