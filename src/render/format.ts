import type { Cell, Table } from './table.js';
import { numberColumnFormat } from '../util/number-column.js';
import { isEpochMsColumn } from '../util/epoch-ms.js';

export { numberColumnFormat };

/**
 * Numbers for reading: 6 significant digits, exponent only for very large or very small
 * magnitudes, digit grouping for large whole numbers.
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e9) {
    const rounded = Number(v.toPrecision(6));
    return Math.abs(rounded) >= 1e4 ? rounded.toLocaleString('en-US', { maximumFractionDigits: 6 }) : String(rounded);
  }
  return v.toExponential(4).replace(/\.?0+e/, 'e');
}

export function formatInteger(v: number): string {
  return Math.abs(v) >= 1e4 && Math.abs(v) < 1e21 ? v.toLocaleString('en-US') : String(v);
}

/** 532 ms, 1.24 s, 2 min 05 s, 1 h 02 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Number(ms.toPrecision(3))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toPrecision(3))} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${String(totalS % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
/** Bytes in binary multiples, named as such (1.5 GiB): one unit family with systemStats' MiB fields. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  let v = Math.abs(n);
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(v) : v >= 100 ? v.toFixed(0) : v.toFixed(1);
  return `${n < 0 ? '-' : ''}${text} ${UNITS[unit]}`;
}

/** Local-time-free, sortable: 2026-11-29 04:47:06 (UTC). */
export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** The plain-text form of a cell, shared by every renderer (HTML escapes it afterwards). */
export function formatCell(cell: Cell): string {
  switch (cell.kind) {
    case 'number':
      return formatNumber(cell.value);
    case 'integer':
      return formatInteger(cell.value);
    case 'text':
    case 'state':
      return cell.value;
    case 'bool':
      return cell.value ? 'yes' : 'no';
    case 'duration':
      return formatDuration(cell.ms);
    case 'bytes':
      return formatBytes(cell.value);
    case 'date':
      return formatDate(cell.epochMs);
    case 'json':
      return typeof cell.value === 'string' ? cell.value : JSON.stringify(cell.value);
    case 'empty':
      return '';
  }
}

/**
 * Text for every cell of a table, decided per column, not per value, so a column reads as one:
 * one number of decimals (or exponent form for all, when values span many decades), thousands
 * separators for all of a column or none, numbers already rounded kept as given, no grouping for
 * id-like integers, durations and sizes in one unit named in the header, dates with or without a
 * time of day. Renderers only place the text.
 */
export interface FormattedTable {
  readonly labels: readonly string[];
  readonly cells: readonly (readonly string[])[];
}

const DURATION_UNITS: readonly { readonly name: string; readonly ms: number }[] = [
  { name: 'ms', ms: 1 },
  { name: 's', ms: 1000 },
  { name: 'min', ms: 60_000 },
  { name: 'h', ms: 3_600_000 },
];
const BYTE_UNITS: readonly { readonly name: string; readonly bytes: number }[] = [
  { name: 'B', bytes: 1 },
  { name: 'KiB', bytes: 1024 },
  { name: 'MiB', bytes: 1024 ** 2 },
  { name: 'GiB', bytes: 1024 ** 3 },
  { name: 'TiB', bytes: 1024 ** 4 },
];

/** The largest unit in which the column's largest value is at least 1 (below 10 000 ms stays ms). */
function unitFor<U>(units: readonly U[], size: (u: U) => number, maxAbs: number, keepFirstBelow = 1): U {
  let chosen = units[0] as U;
  if (maxAbs < keepFirstBelow) return chosen;
  for (const u of units) if (maxAbs >= size(u)) chosen = u;
  return chosen;
}

function kindsOf(cells: readonly Cell[]): Set<Cell['kind']> {
  return new Set(cells.filter((c) => c.kind !== 'empty').map((c) => c.kind));
}

// A unit the user already wrote at the end of a name ('original run ms'): replaced by the chosen one.
const TRAILING_UNIT = /\s+(ms|millis|s|sec|seconds|min|h|B|bytes|kB|KiB|MB|MiB|GB|GiB)$/;

function withUnit(label: string, unit: string): string {
  if (/\([^)]*\)\s*$/.test(label)) return label;
  return `${label.replace(TRAILING_UNIT, '')} (${unit})`;
}

/** The texts of one column and its header. */
export function formatColumn(label: string, cells: readonly Cell[]): { label: string; texts: string[] } {
  // '—' or '' written for a missing number is a placeholder: the column's numbers still read as one.
  const placeholder = (c: Cell): boolean => c.kind === 'text' && (c.value === '—' || c.value === '' || c.value === '-');
  if (cells.some(placeholder) && cells.some((c) => c.kind === 'number' || c.kind === 'integer')) {
    const rest = formatColumn(label, cells.map((c) => (placeholder(c) ? { kind: 'empty' } : c)));
    return { label: rest.label, texts: rest.texts.map((t, i) => (placeholder(cells[i] as Cell) ? (cells[i] as { value: string }).value : t)) };
  }
  const kinds = kindsOf(cells);
  const only = (k: Cell['kind']): boolean => kinds.size === 1 && kinds.has(k);
  if (kinds.size > 0 && [...kinds].every((k) => k === 'number' || k === 'integer')) {
    const values = cells.map((c) => (c.kind === 'number' || c.kind === 'integer' ? c.value : Number.NaN));
    if (isEpochMsColumn(label, values.filter((_, i) => cells[i]?.kind !== 'empty'))) {
      return formatColumn(label, cells.map((c): Cell => (c.kind === 'number' || c.kind === 'integer' ? { kind: 'date', epochMs: c.value } : c)));
    }
    const format = numberColumnFormat(values.filter((_, i) => cells[i]?.kind !== 'empty'), label);
    return { label, texts: cells.map((c) => (c.kind === 'empty' ? '' : format((c as { value: number }).value))) };
  }
  if (only('duration')) {
    const ms = cells.map((c) => (c.kind === 'duration' ? c.ms : Number.NaN));
    const maxAbs = Math.max(0, ...ms.filter(Number.isFinite).map(Math.abs));
    const unit = unitFor(DURATION_UNITS, (u) => u.ms, maxAbs, 10_000);
    const format = numberColumnFormat(ms.filter(Number.isFinite).map((v) => Number((v / unit.ms).toPrecision(4))));
    return { label: withUnit(label, unit.name), texts: cells.map((c) => (c.kind === 'duration' ? format(Number((c.ms / unit.ms).toPrecision(4))) : '')) };
  }
  if (only('bytes')) {
    const bytes = cells.map((c) => (c.kind === 'bytes' ? c.value : Number.NaN));
    const maxAbs = Math.max(0, ...bytes.filter(Number.isFinite).map(Math.abs));
    const unit = unitFor(BYTE_UNITS, (u) => u.bytes, maxAbs);
    const format = numberColumnFormat(bytes.filter(Number.isFinite).map((v) => Number((v / unit.bytes).toPrecision(4))));
    return { label: withUnit(label, unit.name), texts: cells.map((c) => (c.kind === 'bytes' ? format(Number((c.value / unit.bytes).toPrecision(4))) : '')) };
  }
  if (only('date')) {
    const times = cells.filter((c): c is Extract<Cell, { kind: 'date' }> => c.kind === 'date').map((c) => c.epochMs);
    const dayOnly = times.every((t) => t % 86_400_000 === 0);
    return { label, texts: cells.map((c) => (c.kind === 'date' ? (dayOnly ? formatDate(c.epochMs).slice(0, 10) : formatDate(c.epochMs)) : '')) };
  }
  return { label, texts: cells.map(formatCell) };
}

export function formatTable(table: Table): FormattedTable {
  const columns = table.columns.map((c, j) => formatColumn(c.label, table.rows.map((r) => r[j] ?? { kind: 'empty' })));
  return { labels: columns.map((c) => c.label), cells: table.rows.map((_, i) => columns.map((c) => c.texts[i] ?? '')) };
}
