import { inspect } from 'node:util';
import { isEpochMsColumn } from '../util/epoch-ms.js';
import { numberColumnFormat } from '../util/number-column.js';
import { shortNumber } from '../util/short-text.js';
import type { ColumnChunk, Dtype } from './types.js';

const HEAD_ROWS = 5;
// Wider than this and a line wraps in a notebook or a terminal: the rest are counted, not drawn.
const MAX_COLUMNS = 5;

function dateText(v: number): string {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().replace('T', ' ').replace(/Z$/, '').replace(/\.000$/, '');
}

function clipText(v: string): string {
  return v.length > 24 ? `${v.slice(0, 23)}…` : v;
}

/** The texts of one column's first rows, formatted as a column (as tables are). */
function columnTexts(name: string, dtype: Dtype | undefined, values: readonly (number | string | undefined)[]): string[] {
  const nums = values.filter((v): v is number => typeof v === 'number');
  if (nums.length < values.length) return values.map((v) => (v === undefined ? '' : typeof v === 'string' ? clipText(v) : shortNumber(v)));
  const finite = nums.filter(Number.isFinite);
  if (dtype === 'datetime' || isEpochMsColumn(name, finite)) {
    const texts = nums.map((v) => (Number.isNaN(v) ? 'NaN' : dateText(v)));
    // Whole days: the date alone, for every row alike.
    return finite.every((v) => v % 86_400_000 === 0) ? texts.map((t) => t.slice(0, 10)) : texts;
  }
  const format = numberColumnFormat(nums, name);
  return nums.map(format);
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
    const cells = columnTexts(name, dtype, Array.from({ length: n }, (_, i) => col?.[i]));
    const label = `${name} (${dtype ?? '?'})`;
    const width = Math.max(label.length, ...cells.map((c) => c.length));
    // Numbers right-aligned; dates (a datetime dtype or epoch ms under a time-like name) left.
    const right = dtype === 'float64' && !/^\d{4}-\d\d-\d\d/.test(cells[0] ?? '');
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
