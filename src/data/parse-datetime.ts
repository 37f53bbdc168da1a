import { skipField } from './parse-number.js';
import { scan } from './scan-cursor.js';

function digit(buf: Uint8Array, i: number): number {
  const c = (buf[i] as number) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

function two(buf: Uint8Array, i: number): number {
  return digit(buf, i) * 10 + digit(buf, i + 1);
}

/**
 * Reads an ISO-8601 date or date-time (`2014-09-17`, `2017-01-01T00:01:00Z`,
 * `2017-01-01 00:01:00.250+02:00`) as milliseconds since the epoch. A time without a zone is
 * taken as UTC, so results never depend on the machine's time zone. Sets `scan` like scanFloat.
 */
export function scanDatetime(buf: Uint8Array, p: number, end: number, delim: number): number {
  const year = digit(buf, p) * 1000 + digit(buf, p + 1) * 100 + two(buf, p + 2);
  const month = two(buf, p + 5);
  const day = two(buf, p + 8);
  let i = p + 10;
  if (year < 0 || buf[p + 4] !== 45 || buf[p + 7] !== 45 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || i > end) {
    return slow(buf, p, end, delim);
  }
  let h = 0;
  let m = 0;
  let s = 0;
  let ms = 0;
  let offset = 0;
  let c = buf[i] as number;
  if (i < end && (c === 84 || c === 32) && buf[i + 3] === 58) {
    h = two(buf, i + 1);
    m = two(buf, i + 4);
    i += 6;
    if (buf[i] === 58) {
      s = two(buf, i + 1);
      i += 3;
      if (buf[i] === 46) {
        i++;
        let scale = 100;
        while (digit(buf, i) >= 0) {
          ms += digit(buf, i) * scale;
          scale /= 10;
          i++;
        }
        ms = Math.round(ms);
      }
    }
    if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return slow(buf, p, end, delim);
    c = buf[i] as number;
    if (c === 90) {
      i++;
    } else if ((c === 43 || c === 45) && buf[i + 3] === 58) {
      const oh = two(buf, i + 1);
      const om = two(buf, i + 4);
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return slow(buf, p, end, delim);
      offset = (c === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
      i += 6;
    }
  }
  c = buf[i] as number;
  if (!(c === delim || c === 10 || c === 13 || i >= end)) return slow(buf, p, end, delim);
  scan.slow = false;
  scan.end = i;
  return Date.UTC(year, month - 1, day, h, m, s, ms) - offset;
}

// Days per month of a common year; February gets its 29th day in leap years (Gregorian rule).
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year`: 2024-02 has 29, 2023-02 and 1900-02 have 28, 2000-02 has 29. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1] as number;
}

function slow(buf: Uint8Array, p: number, end: number, delim: number): number {
  scan.slow = true;
  scan.end = skipField(buf, p, end, delim);
  return NaN;
}

/** The slow path for a datetime field's text: null marker → NaN, ISO text or epoch ms → ms, else undefined. */
export function parseDatetimeText(text: string, nullValues: ReadonlySet<string>): number | undefined {
  if (nullValues.has(text)) return NaN;
  const trimmed = text.trim();
  if (trimmed === '') return nullValues.has('') ? NaN : undefined;
  const bytes = Buffer.from(trimmed, 'latin1');
  const v = scanDatetime(bytes, 0, bytes.length, 44);
  if (!scan.slow) return v;
  // Epoch milliseconds, written as a plain decimal (not 0x10 or 1e3_0, which Number() would take).
  if (!/^[+-]?\d+(?:\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Whether a field text looks like an ISO date (used when inferring column types). */
export function looksLikeIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text.trim());
}
