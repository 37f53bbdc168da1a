import { danfojs, type DataFrame, type Series } from './danfojs.js';
import { withDataFrameText } from './dataframe-text.js';
import type { ColumnChunk } from './types.js';

type DataFrameClass = typeof DataFrame;
type SeriesClass = typeof Series;
let DataFrameCtor: DataFrameClass | undefined;
let SeriesCtor: SeriesClass | undefined;

/** danfojs is loaded on first use only (see danfojs()). */
function loadDataFrame(): DataFrameClass {
  if (DataFrameCtor === undefined) {
    const danfo = danfojs();
    DataFrameCtor = danfo.DataFrame;
    SeriesCtor = danfo.Series;
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
  $data: unknown[];
  $dataIncolumnFormat: unknown[][];
  $index: unknown[];
  $dtypes: string[];
  $columns: string[];
  $config: { lowMemoryMode: boolean };
  $getColumnData(column: string, returnSeries?: boolean): unknown;
}

function hasInternals(df: object): boolean {
  return (
    '$data' in df &&
    '$dataIncolumnFormat' in df &&
    '$index' in df &&
    '$dtypes' in df &&
    '$columns' in df &&
    typeof (df as { $getColumnData?: unknown }).$getColumnData === 'function' &&
    '$config' in df &&
    typeof (df as { $config: unknown }).$config === 'object'
  );
}

/**
 * danfojs' column store, converting a typed column to the plain array danfojs expects only when
 * danfojs first reads it: a consumer that reads two columns of seven converts two. Writes
 * (danfojs replacing a column) are kept as they are.
 */
function lazyColumns(typed: readonly (Float64Array | string[])[]): (number[] | string[])[] {
  const cols: (number[] | string[])[] = new Array(typed.length);
  typed.forEach((c, j) => {
    if (Array.isArray(c)) {
      cols[j] = c;
      return;
    }
    let converted: number[] | string[] | undefined;
    Object.defineProperty(cols, j, {
      configurable: true,
      enumerable: true,
      get: () => (converted ??= toArray(c)),
      set: (value: number[] | string[]) => {
        converted = value;
      },
    });
  });
  return cols;
}

function rowsOf(cols: readonly unknown[][]): unknown[][] {
  const n = cols[0]?.length ?? 0;
  const k = cols.length;
  const rows: unknown[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: unknown[] = new Array(k);
    for (let j = 0; j < k; j++) row[j] = (cols[j] as unknown[])[i];
    rows[i] = row;
  }
  return rows;
}

/**
 * Builds a danfojs DataFrame from a chunk without losing precision. Numbers stay JS doubles in the
 * frame (`df.column(c).values` gives back 1483228800000 and 132795.39 exactly); the dtypes are set
 * explicitly so danfojs infers nothing, and nothing goes through a tfjs tensor (danfojs would
 * squeeze ms timestamps into int32 there). Numeric columns carry danfojs' 'float32' label — its
 * name for "number" — but hold float64 values; do not use `df.tensor` on them.
 *
 * Speed and memory: danfojs keeps every frame twice, as row arrays and as column arrays, and its
 * constructor transposes with a push per value (~140 ms per 100k×6 chunk); the 100k small row
 * arrays per chunk also filled the old generation (450 MB peak RSS over a 1 GB file). We hand it
 * the column arrays we already have and build the row view only if something reads it
 * (`df.values`, `iloc`, printing...): `df.column(...)` and `df.shape` never do. Each of these
 * steps touches danfojs 1.x internals; they are checked first (else the public constructor is
 * used) and test/data/dataframe.test.ts compares the result with a frame danfojs built itself.
 */
export function chunkToDataFrame(chunk: ColumnChunk): DataFrame {
  const dates = Object.keys(chunk.dtypes).filter((name) => chunk.dtypes[name] === 'datetime');
  return withDataFrameText(buildDataFrame(chunk), dates);
}

function buildDataFrame(chunk: ColumnChunk): DataFrame {
  const DF = loadDataFrame();
  const names = Object.keys(chunk.columns);
  const cols = lazyColumns(names.map((name) => chunk.columns[name] as Float64Array | string[]));
  const dtypes = names.map((name) => (chunk.dtypes[name] === 'string' ? 'string' : 'float32'));
  const n = chunk.rowCount;
  if (n === 0) return new DF(undefined, { columns: names, dtypes });
  // The constructor only reads the row count and the first row when dtypes are given and
  // low-memory mode skips its transpose; the other rows are filled in on first use.
  const placeholder: unknown[][] = new Array(n);
  placeholder[0] = names.map((name) => (chunk.columns[name] as Float64Array | string[])[0]);
  const df = new DF(placeholder, { columns: names, dtypes, config: { lowMemoryMode: true } });
  if (!hasInternals(df)) return new DF(rowsOf(cols), { columns: names, dtypes });
  const f = df as unknown as FrameInternals;
  f.$dataIncolumnFormat = cols;
  f.$config.lowMemoryMode = false;
  let rows: unknown[] | undefined;
  Object.defineProperty(f, '$data', {
    configurable: true,
    enumerable: true,
    get: () => (rows ??= rowsOf(f.$dataIncolumnFormat)),
    set: (value: unknown[]) => {
      rows = value;
    },
  });
  // df.column(c) copies the index and checks it for duplicates through a Set on every call (two
  // thirds of the time of a pass that reads two columns per chunk). While the frame still has the
  // default 0..n-1 index we built, the Series' own default index is the same, so skip both.
  const defaultIndex = f.$index;
  const generic = Object.getPrototypeOf(f) as FrameInternals;
  const Series = SeriesCtor as SeriesClass;
  f.$getColumnData = function (this: FrameInternals, column: string, returnSeries = true): unknown {
    const j = this.$columns.indexOf(column);
    if (returnSeries && j >= 0 && this.$index === defaultIndex && !this.$config.lowMemoryMode) {
      return new Series(this.$dataIncolumnFormat[j], { dtypes: [this.$dtypes[j] as string], columns: [column], config: { ...this.$config } });
    }
    return generic.$getColumnData.call(this, column, returnSeries);
  };
  Object.defineProperty(f, 'shape', {
    configurable: true,
    get: () => {
      if (rows !== undefined) return rows.length === 0 ? [0, names.length] : [rows.length, (rows[0] as unknown[]).length];
      const c = f.$dataIncolumnFormat;
      return [c[0]?.length ?? 0, c.length];
    },
  });
  return df;
}
