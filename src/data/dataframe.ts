import { createRequire } from 'node:module';
import type { DataFrame } from 'danfojs-node';
import type { ColumnChunk } from './types.js';

type DataFrameClass = typeof DataFrame;
let DataFrameCtor: DataFrameClass | undefined;

/**
 * danfojs-node is loaded on first use only: it pulls in TensorFlow.js and costs about two seconds
 * and 150 MB, which the typed-column path never needs.
 */
function loadDataFrame(): DataFrameClass {
  if (DataFrameCtor === undefined) {
    const require = createRequire(import.meta.url);
    DataFrameCtor = (require('danfojs-node') as { DataFrame: DataFrameClass }).DataFrame;
  }
  return DataFrameCtor;
}

// Array.from(typedArray) goes through the iterator protocol and is ~20× slower than this loop.
function toArray(c: Float64Array): number[] {
  const out = new Array<number>(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] as number;
  return out;
}

/** The internals of a danfojs 1.x frame that the fast build fills in (checked before use). */
interface FrameInternals {
  $dataIncolumnFormat: unknown[];
  $config: { lowMemoryMode: boolean };
}

function hasInternals(df: object): df is FrameInternals {
  return '$dataIncolumnFormat' in df && '$config' in df && typeof (df as { $config: unknown }).$config === 'object';
}

/**
 * Builds a danfojs DataFrame from a chunk without losing precision. Numbers stay JS doubles in the
 * frame (`df.column(c).values` gives back 1483228800000 and 132795.39 exactly); the dtypes are set
 * explicitly so danfojs infers nothing, and nothing goes through a tfjs tensor (danfojs would
 * squeeze ms timestamps into int32 there). Numeric columns carry danfojs' 'float32' label — its
 * name for "number" — but hold float64 values; do not use `df.tensor` on them.
 *
 * Speed: danfojs' own constructor transposes the rows into columns with a push per value (~140 ms
 * per 100k×6 chunk). We hand it the rows in low-memory mode (no transpose) and give it the
 * columns we already have, then switch the frame back to normal mode — about twice as fast.
 */
export function chunkToDataFrame(chunk: ColumnChunk): DataFrame {
  const DF = loadDataFrame();
  const names = Object.keys(chunk.columns);
  const n = chunk.rowCount;
  const k = names.length;
  const cols: (number[] | string[])[] = names.map((name) => {
    const c = chunk.columns[name] as Float64Array | string[];
    return Array.isArray(c) ? c : toArray(c);
  });
  const dtypes = names.map((name) => (chunk.dtypes[name] === 'string' ? 'string' : 'float32'));
  if (n === 0) return new DF(undefined, { columns: names, dtypes });
  const rows: (number | string)[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: (number | string)[] = new Array(k);
    for (let j = 0; j < k; j++) row[j] = (cols[j] as (number | string)[])[i] as number | string;
    rows[i] = row;
  }
  const df = new DF(rows, { columns: names, dtypes, config: { lowMemoryMode: true } });
  if (hasInternals(df)) {
    df.$dataIncolumnFormat = cols;
    df.$config.lowMemoryMode = false;
    return df;
  }
  return new DF(rows, { columns: names, dtypes });
}
