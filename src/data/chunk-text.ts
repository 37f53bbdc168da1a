import { inspect } from 'node:util';
import { shortNumber } from '../util/short-text.js';
import type { ColumnChunk, Dtype } from './types.js';

const HEAD_ROWS = 5;
// Wider than this and a line wraps in a notebook or a terminal: the rest are counted, not drawn.
const MAX_COLUMNS = 7;

function cellText(dtype: Dtype | undefined, v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v.length > 24 ? `${v.slice(0, 23)}…` : v;
  if (Number.isNaN(v)) return 'NaN';
  if (dtype === 'datetime') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().replace('T', ' ').replace(/Z$/, '').replace(/\.000$/, '').replace(/ 00:00:00$/, '');
  }
  return shortNumber(v);
}

/**
 * A chunk in a few lines: its size, each column's dtype, and its first rows aligned, instead of
 * util.inspect's hundreds of lines of Float64Array values.
 */
export function chunkText(chunk: ColumnChunk, kind = 'ColumnChunk'): string {
  const names = Object.keys(chunk.columns);
  const head = `${kind} ${chunk.rowCount.toLocaleString('en-US')} rows × ${names.length} columns`;
  if (names.length === 0) return head;
  const n = Math.min(HEAD_ROWS, chunk.rowCount);
  const drawn = names.slice(0, MAX_COLUMNS);
  const table = drawn.map((name) => {
    const col = chunk.columns[name];
    const dtype = chunk.dtypes[name];
    const cells = Array.from({ length: n }, (_, i) => cellText(dtype, col?.[i]));
    const label = `${name} (${dtype ?? '?'})`;
    const width = Math.max(label.length, ...cells.map((c) => c.length));
    const right = dtype === 'float64';
    return [label, ...cells].map((c) => (right ? c.padStart(width) : c.padEnd(width)));
  });
  const lines = Array.from({ length: n + 1 }, (_, r) => `  ${table.map((col) => col[r]).join('  ').trimEnd()}`);
  const hidden = names.length - drawn.length;
  const more = [
    ...(chunk.rowCount > n ? [`  … ${(chunk.rowCount - n).toLocaleString('en-US')} more rows`] : []),
    ...(hidden > 0 ? [`  … ${hidden} more columns: ${names.slice(MAX_COLUMNS).join(', ')}`] : []),
  ];
  return [head, ...lines, ...more].join('\n');
}

function chunkInspect(this: ColumnChunk): string {
  return chunkText(this);
}

/** Gives a chunk its short print form as a non-enumerable property (the chunk stays plain data). */
export function withChunkText<C extends ColumnChunk>(chunk: C): C {
  if (Object.isExtensible(chunk) && !Object.prototype.hasOwnProperty.call(chunk, inspect.custom)) {
    Object.defineProperty(chunk, inspect.custom, { value: chunkInspect, enumerable: false, writable: true, configurable: true });
  }
  return chunk;
}

/** The chunks of `chunks`, each with its short print form. */
export async function* withChunksText(chunks: AsyncIterable<ColumnChunk>): AsyncIterable<ColumnChunk> {
  for await (const chunk of chunks) yield withChunkText(chunk);
}
