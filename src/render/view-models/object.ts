import { alignOf, cellOf, empty, limitRows, type Cell, type Column, type Summary, type Table } from '../table.js';

// Units inferred from key names, so a systemStats() object reads as "1.2 GB" and "35 ms".
const BYTES_KEY = /(bytes|^rss|^heap(used|total|limit|size)?|^external|^arraybuffers|^(total|free|used)mem(ory)?)$/i;
const MS_KEY = /(ms|millis)$/i;
// tunelab's own figures in binary megabytes: rssMiB, heapUsedMiB (MiB, 2^20 bytes).
const MIB_KEY = /[a-z](MB|MiB)$/;

function typedCell(key: string, value: unknown): Cell {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (BYTES_KEY.test(key)) return { kind: 'bytes', value };
    if (MIB_KEY.test(key)) return { kind: 'bytes', value: value * 1024 * 1024 };
    if (MS_KEY.test(key)) return { kind: 'duration', ms: value };
  }
  return cellOf(value);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Nested plain objects become dotted keys (memory.rss), one level deep per nesting. */
function flatten(obj: Readonly<Record<string, unknown>>, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (isPlainObject(v) && Object.keys(v).length > 0) flatten(v, key, out);
    else out.push([key, v]);
  }
  return out;
}

/** A plain object as labelled values (e.g. systemStats()). */
export function objectSummary(obj: Readonly<Record<string, unknown>>, title = 'Object'): Summary {
  return { kind: 'summary', title, items: flatten(obj).map(([label, v]) => ({ label, cell: typedCell(label.split('.').pop() ?? label, v) })) };
}

/** An array of plain objects as a table with one column per key seen in any row. */
export function recordsTable(records: readonly Readonly<Record<string, unknown>>[], options: { readonly maxRows?: number; readonly title?: string } = {}): Table {
  const flat = records.map((r) => new Map(flatten(r)));
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  const rows = flat.map((m) => keys.map((k) => (m.has(k) ? typedCell(k.split('.').pop() ?? k, m.get(k)) : empty)));
  const columns = keys.map((label, j): Column => ({ label, align: alignOf(rows.map((r) => r[j] ?? empty)) }));
  return limitRows({ kind: 'table', ...(options.title !== undefined && { title: options.title }), columns, rows }, options.maxRows ?? 40);
}

export { isPlainObject };
