import { inspect } from 'node:util';
import type { DataFrame } from './danfojs.js';
import { chunkText } from './chunk-text.js';
import type { Column, Dtype } from './types.js';

/**
 * Names of a frame's columns that hold epoch milliseconds (a chunk's `datetime` columns): danfojs
 * has no such dtype, so the frame carries this list for show() and the print form to draw dates.
 */
export const datetimeColumns: unique symbol = Symbol.for('tunelab.datetimeColumns') as never;

const HEAD_ROWS = 5;

interface FrameView {
  readonly columns: readonly string[];
  readonly shape: readonly number[];
  readonly dtypes?: readonly string[];
  readonly values: readonly (readonly unknown[])[];
  readonly $dataIncolumnFormat?: readonly (readonly unknown[])[];
  readonly [datetimeColumns]?: readonly string[];
}

/** A danfojs frame in a few lines, as `ColumnChunk`s print: size, dtypes, first rows. */
export function dataFrameText(df: DataFrame): string {
  const f = df as unknown as FrameView;
  const names = [...f.columns];
  const n = f.shape[0] ?? 0;
  const dates = new Set(f[datetimeColumns] ?? []);
  const k = Math.min(HEAD_ROWS, n);
  const byColumn = f.$dataIncolumnFormat;
  const rows = byColumn === undefined ? f.values.slice(0, k) : undefined;
  const columns: Record<string, Column> = {};
  const dtypes: Record<string, Dtype> = {};
  names.forEach((name, j) => {
    const head = byColumn !== undefined ? (byColumn[j] ?? []).slice(0, k) : (rows ?? []).map((r) => r[j]);
    const numeric = head.every((v) => typeof v === 'number');
    columns[name] = numeric ? Float64Array.from(head as number[]) : head.map((v) => (v === undefined || v === null ? '' : String(v)));
    dtypes[name] = dates.has(name) ? 'datetime' : numeric ? 'float64' : 'string';
  });
  return chunkText({ rowCount: n, columns, dtypes }, 'DataFrame');
}

function frameInspect(this: DataFrame): string {
  return dataFrameText(this);
}

/** Gives a frame tunelab made its short print form (instead of danfojs' `$data`, `$config`, ...). */
export function withDataFrameText(df: DataFrame, dates: readonly string[]): DataFrame {
  if (!Object.isExtensible(df)) return df;
  Object.defineProperty(df, inspect.custom, { value: frameInspect, enumerable: false, writable: true, configurable: true });
  if (dates.length > 0) Object.defineProperty(df, datetimeColumns, { value: dates, enumerable: false, writable: true, configurable: true });
  return df;
}
