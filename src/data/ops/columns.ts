import { ColumnNotFoundError, InvalidOptionError } from '../../errors.js';
import type { ColumnChunk } from '../types.js';

/**
 * Finds a column by name: the exact name, else the one name that matches ignoring case (so
 * `close` finds the `Close` of a Yahoo export). Throws naming the columns that exist.
 */
export function resolveColumn(chunk: ColumnChunk, name: string, where: string): string {
  if (name in chunk.columns) return name;
  const lower = name.toLowerCase();
  const matches = Object.keys(chunk.columns).filter((c) => c.toLowerCase() === lower);
  if (matches.length === 1) return matches[0] as string;
  throw new ColumnNotFoundError(name, Object.keys(chunk.columns), where);
}

/** The numeric (float64) columns to work on: the ones named, or every float64 column. */
export function numericColumns(chunk: ColumnChunk, names: readonly string[] | undefined, where: string): string[] {
  if (names === undefined) return Object.keys(chunk.columns).filter((c) => chunk.dtypes[c] === 'float64');
  return names.map((n) => {
    const c = resolveColumn(chunk, n, where);
    if (chunk.dtypes[c] === 'string') {
      throw new InvalidOptionError(`${where}: column '${c}' holds text; name numeric columns only`);
    }
    return c;
  });
}

/** Options shared by column-wise operations. */
export interface ColumnOpOptions {
  /** Columns to compute on (default: every float64 column). */
  readonly columns?: readonly string[];
  /** Add the results as new columns `name + suffix` instead of replacing the inputs. */
  readonly suffix?: string;
}

/** Joins `tail` (carried from earlier chunks) and `values` into one array. */
export function joinTail(tail: Float64Array, values: Float64Array): Float64Array {
  const out = new Float64Array(tail.length + values.length);
  out.set(tail, 0);
  out.set(values, tail.length);
  return out;
}
