import type { Cell } from './table.js';

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

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
/** Bytes in binary multiples, labelled as people read them (1.5 GB). */
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
