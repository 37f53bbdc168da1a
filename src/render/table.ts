import type { JsonValue } from '../util/json.js';

/**
 * A table as plain data: typed cells, no markup. Models (study, trials, DataFrame, objects)
 * build these; renderers (HTML, text) turn them into output. Nothing here knows about either side.
 */
export type Cell =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'duration'; readonly ms: number }
  | { readonly kind: 'bytes'; readonly value: number }
  /** Milliseconds since the epoch (kept as a number so the model stays JSON-safe). */
  | { readonly kind: 'date'; readonly epochMs: number }
  /** A trial state; renderers may colour it. */
  | { readonly kind: 'state'; readonly value: string }
  | { readonly kind: 'json'; readonly value: JsonValue }
  | { readonly kind: 'empty' };

export type Align = 'left' | 'right';

export interface Column {
  readonly label: string;
  readonly align: Align;
  /** A heading over several columns, e.g. 'params' or 'user attrs'. */
  readonly group?: string;
}

export interface Table {
  readonly kind: 'table';
  readonly title?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  /** Rows left out to keep the output readable: `count` rows were removed before row index `at`. */
  readonly omitted?: { readonly at: number; readonly count: number };
  readonly note?: string;
}

/** A short list of labelled values, e.g. a study's name, directions and best value. */
export interface Summary {
  readonly kind: 'summary';
  readonly title: string;
  readonly items: readonly { readonly label: string; readonly cell: Cell }[];
}

export type Block = Table | Summary;

/** What a renderer renders: one or more blocks, top to bottom. */
export interface RenderDocument {
  readonly kind: 'document';
  readonly blocks: readonly Block[];
}

export const empty: Cell = { kind: 'empty' };

/** Cell for any value found in user data, choosing the most specific kind. */
export function cellOf(value: unknown): Cell {
  if (value === undefined || value === null) return empty;
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'integer', value } : { kind: 'number', value };
  if (typeof value === 'bigint') return { kind: 'text', value: value.toString() };
  if (typeof value === 'string') return { kind: 'text', value };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { kind: 'text', value: 'Invalid Date' } : { kind: 'date', epochMs: value.getTime() };
  try {
    return { kind: 'json', value: JSON.parse(JSON.stringify(value)) as JsonValue };
  } catch {
    return { kind: 'text', value: String(value) };
  }
}

export function alignOf(cells: readonly Cell[]): Align {
  // A '—' written for a missing number does not make a number column text.
  const numeric = cells.filter((c) => c.kind !== 'empty' && !(c.kind === 'text' && (c.value === '—' || c.value === '')));
  return numeric.length > 0 && numeric.every((c) => c.kind === 'number' || c.kind === 'integer' || c.kind === 'duration' || c.kind === 'bytes') ? 'right' : 'left';
}

/**
 * Keeps the first and last rows of a long table (the start of a study and where it ended up)
 * and records how many were left out in between.
 */
export function limitRows(table: Table, maxRows: number): Table {
  if (table.rows.length <= maxRows || maxRows <= 0) return table;
  const head = Math.ceil(maxRows / 2);
  const tail = maxRows - head;
  return {
    ...table,
    rows: [...table.rows.slice(0, head), ...table.rows.slice(table.rows.length - tail)],
    omitted: { at: head, count: table.rows.length - maxRows },
  };
}

export function documentOf(...blocks: Block[]): RenderDocument {
  return { kind: 'document', blocks };
}
