import { alignOf, cellOf, empty, limitRows, type Column, type Table } from '../table.js';

/** The parts of a danfojs DataFrame the table needs; checked by shape so danfojs is never loaded here. */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly index: readonly (string | number)[];
  readonly values: readonly (readonly unknown[])[];
  readonly shape: readonly number[];
}

export interface SeriesLike {
  readonly index: readonly (string | number)[];
  readonly values: readonly unknown[];
  readonly shape: readonly number[];
}

function hasArray(x: object, key: string): boolean {
  return Array.isArray((x as Record<string, unknown>)[key]);
}

export function isDataFrameLike(x: unknown): x is DataFrameLike {
  return typeof x === 'object' && x !== null && x.constructor?.name === 'DataFrame' && hasArray(x, 'columns') && hasArray(x, 'index') && hasArray(x, 'shape');
}

export function isSeriesLike(x: unknown): x is SeriesLike {
  return typeof x === 'object' && x !== null && x.constructor?.name === 'Series' && hasArray(x, 'index') && hasArray(x, 'shape');
}

/** A DataFrame as a table: the index as the first column, then one column per DataFrame column. */
export function dataFrameTable(df: DataFrameLike, options: { readonly maxRows?: number; readonly title?: string } = {}): Table {
  const rows = df.values.map((row, i) => [cellOf(df.index[i]), ...df.columns.map((_, j) => cellOf(row[j]))]);
  const labels = ['', ...df.columns];
  const columns = labels.map((label, j): Column => ({ label: String(label), align: alignOf(rows.map((r) => r[j] ?? empty)) }));
  const table: Table = {
    kind: 'table',
    ...(options.title !== undefined && { title: options.title }),
    columns,
    rows,
    note: `${df.shape[0] ?? rows.length} rows × ${df.shape[1] ?? df.columns.length} columns`,
  };
  return limitRows(table, options.maxRows ?? 40);
}

export function seriesTable(series: SeriesLike, options: { readonly maxRows?: number } = {}): Table {
  const name = (series as { readonly name?: unknown }).name;
  const rows = series.values.map((v, i) => [cellOf(series.index[i]), cellOf(v)]);
  const columns: Column[] = [
    { label: '', align: alignOf(rows.map((r) => r[0] ?? empty)) },
    { label: typeof name === 'string' ? name : 'value', align: alignOf(rows.map((r) => r[1] ?? empty)) },
  ];
  return limitRows({ kind: 'table', columns, rows, note: `${series.values.length} rows` }, options.maxRows ?? 40);
}
