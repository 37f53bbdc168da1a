/**
 * The column types a chunk carries. `datetime` columns hold milliseconds since the Unix epoch
 * (UTC) as float64, so they keep full precision and feed arithmetic directly.
 */
export type Dtype = 'float64' | 'datetime' | 'string';

/** A column of one chunk: numbers (float64, NaN = missing) or text. */
export type Column = Float64Array | string[];

/** One chunk of rows in columnar form: what `source.columns()` yields. */
export interface ColumnChunk {
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, Column>>;
  readonly dtypes: Readonly<Record<string, Dtype>>;
}

/** A line that `onBadRow: 'skip'` dropped, kept as an example for the report. */
export interface BadRowSample {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/** Counters of the latest pass over a source (reset when a new pass starts). */
export interface SourceStats {
  /** Data rows parsed and kept. */
  rows: number;
  /** Lines skipped because they were malformed (`onBadRow: 'skip'`). */
  badRows: number;
  /** The first few skipped lines, with their line numbers. */
  readonly badRowSamples: BadRowSample[];
  /** Chunks produced by the parser. */
  chunks: number;
  /** Bytes read from the file (compressed bytes for .gz). */
  bytesRead: number;
}

export function emptyStats(): SourceStats {
  return { rows: 0, badRows: 0, badRowSamples: [], chunks: 0, bytesRead: 0 };
}

export function resetStats(stats: SourceStats): void {
  stats.rows = 0;
  stats.badRows = 0;
  stats.badRowSamples.length = 0;
  stats.chunks = 0;
  stats.bytesRead = 0;
}
