import type { Cell, Table } from './table.js';

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

// Trial numbers, process ids, years, ports, seeds: digits, not quantities.
const ID_LABEL = /^(#|n|number|trial|trials?[ _]?(no|number|#)|id|.*[ _]id|pid|.*\bpid|worker|seed|port|year|step|epoch|index|rank)$/i;

type NumberFormat = (v: number) => string;

/** Decimals in the shortest text of v (0.25 → 2), or undefined for exponent form. */
function givenDecimals(v: number): number | undefined {
  const s = String(v);
  if (/e/i.test(s)) return undefined;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function group(text: string): string {
  const [int, frac] = text.split('.') as [string, string | undefined];
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** One format for a column of numbers. */
export function numberColumnFormat(values: readonly number[], label = ''): NumberFormat {
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number): string | undefined => (Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? '∞' : '-∞') : undefined);
  if (finite.length === 0) return (v) => special(v) ?? String(v);
  const allIntegers = finite.every(Number.isInteger);
  const maxAbs = Math.max(...finite.map(Math.abs));
  const idLike = allIntegers && ID_LABEL.test(label.trim());
  if (allIntegers) {
    const grouping = !idLike && maxAbs >= 1e4 && maxAbs < 1e21;
    return (v) => special(v) ?? (grouping ? group(String(v)) : String(v));
  }
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  const minAbs = nonZero.length > 0 ? Math.min(...nonZero) : 0;
  const exponent: NumberFormat = (v) => special(v) ?? (v === 0 ? '0' : v.toExponential(3));
  if (maxAbs >= 1e9 || maxAbs < 1e-3) return exponent;
  // 6 significant digits for the largest value; as given when the user already rounded every value.
  const wanted = Math.max(0, Math.min(10, 5 - Math.floor(Math.log10(maxAbs))));
  const given = finite.map(givenDecimals);
  // A computed double has 15 or more decimals; six or fewer in every value means someone rounded them.
  const userRounded = given.every((d): d is number => d !== undefined && d <= Math.max(wanted, 6));
  const decimals = userRounded ? Math.max(...given) : wanted;
  // The smallest values would keep fewer than 2 significant digits: exponent form for the column.
  if (!userRounded && minAbs > 0 && minAbs * 10 ** decimals < 10) return exponent;
  const grouping = maxAbs >= 1e4;
  return (v) => {
    const s = special(v);
    if (s !== undefined) return s;
    const text = v.toFixed(decimals);
    return grouping ? group(text) : text;
  };
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

// A name that says time (timestamp, datetime_start, date, open_time; not duration or time_ms).
const TIME_LABEL = /(^|[ _])(timestamp|datetime|date|time)([ _]|$)|^(datetime|timestamp)_|_at$/i;
const MS_1973 = 1e11;
const MS_2286 = 1e13;

/** Whole milliseconds since the epoch (1973–2286) under a name that says time: drawn as dates. */
function isEpochMsColumn(label: string, values: readonly number[]): boolean {
  return TIME_LABEL.test(label) && !/duration|\(ms\)|_ms$/i.test(label) && values.length > 0 && values.every((v) => Number.isInteger(v) && v >= MS_1973 && v < MS_2286);
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
