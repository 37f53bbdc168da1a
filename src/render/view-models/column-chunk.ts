import type { ColumnChunk } from '../../data/types.js';
import { empty, type Cell, type Column, type Table } from '../table.js';

/** A typed-column chunk (`source.columns()`, `source.collect()`), recognised by shape. */
export function isColumnChunk(x: unknown): x is ColumnChunk {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Partial<ColumnChunk>;
  return typeof c.rowCount === 'number' && typeof c.columns === 'object' && c.columns !== null && typeof c.dtypes === 'object' && c.dtypes !== null;
}

/**
 * A chunk as a table: only the rows shown are read (a chunk may hold millions), datetime columns
 * as dates, the dtype under each name.
 */
export function chunkTable(chunk: ColumnChunk, options: { readonly maxRows?: number } = {}): Table {
  const names = Object.keys(chunk.columns);
  const max = Math.max(1, options.maxRows ?? 40);
  const n = chunk.rowCount;
  const head = n <= max ? n : Math.ceil(max / 2);
  const tail = n <= max ? 0 : max - head;
  const indices = [...Array.from({ length: head }, (_, i) => i), ...Array.from({ length: tail }, (_, i) => n - tail + i)];
  const cellAt = (name: string, i: number): Cell => {
    const v = chunk.columns[name]?.[i];
    if (v === undefined) return empty;
    if (typeof v === 'string') return { kind: 'text', value: v };
    if (chunk.dtypes[name] === 'datetime' && Number.isFinite(v)) return { kind: 'date', epochMs: v };
    return { kind: 'number', value: v };
  };
  const columns: Column[] = [{ label: '', align: 'right' }, ...names.map((name): Column => ({ label: name, align: chunk.dtypes[name] === 'float64' ? 'right' : 'left', group: chunk.dtypes[name] ?? '?' }))];
  const rows = indices.map((i) => [{ kind: 'integer', value: i } as Cell, ...names.map((name) => cellAt(name, i))]);
  return {
    kind: 'table',
    title: `ColumnChunk: ${n.toLocaleString('en-US')} rows × ${names.length} columns`,
    columns,
    rows,
    ...(n > max && { omitted: { at: head, count: n - max } }),
  };
}
