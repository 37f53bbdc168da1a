import { scan } from './scan-cursor.js';

// 10^0 .. 10^22 are exact in float64, so mantissa (< 2^53) times or over one of them is a single
// correctly rounded operation: the same double that Number(text) gives (Clinger's fast path).
const POW10 = new Float64Array(23);
for (let i = 0, v = 1; i < 23; i++, v *= 10) POW10[i] = v;

/**
 * Reads a decimal number from bytes at `p`. Sets `scan.end` to the byte after the field's last
 * character (a delimiter, CR, LF, or `end`). Sets `scan.slow` (and returns NaN) when the field is
 * not a plain number (empty, a null marker, more than 15 significant digits, junk): the caller
 * then decodes the text and decides.
 */
export function scanFloat(buf: Uint8Array, p: number, end: number, delim: number): number {
  let i = p;
  let c = buf[i] as number;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = buf[++i] as number;
  }
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let seen = false;
  while (c >= 48 && c <= 57) {
    seen = true;
    if (digits > 0 || c !== 48) digits++;
    mant = mant * 10 + (c - 48);
    c = buf[++i] as number;
  }
  if (c === 46) {
    c = buf[++i] as number;
    while (c >= 48 && c <= 57) {
      seen = true;
      if (digits > 0 || c !== 48) digits++;
      mant = mant * 10 + (c - 48);
      exp--;
      c = buf[++i] as number;
    }
  }
  if (seen && (c === 101 || c === 69)) {
    c = buf[++i] as number;
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      c = buf[++i] as number;
    }
    let e = 0;
    let edigits = 0;
    while (c >= 48 && c <= 57) {
      e = e * 10 + (c - 48);
      edigits++;
      c = buf[++i] as number;
    }
    if (edigits === 0) seen = false;
    exp += eneg ? -e : e;
  }
  if (!(c === delim || c === 10 || c === 13 || i >= end) || !seen || digits > 15 || exp > 22 || exp < -22) {
    scan.slow = true;
    scan.end = skipField(buf, i, end, delim);
    return NaN;
  }
  scan.slow = false;
  scan.end = i;
  const v = exp === 0 ? mant : exp < 0 ? mant / (POW10[-exp] as number) : mant * (POW10[exp] as number);
  return neg ? -v : v;
}

/** Index of the delimiter, CR or LF that ends the unquoted field containing `i` (or `end`). */
export function skipField(buf: Uint8Array, i: number, end: number, delim: number): number {
  while (i < end) {
    const c = buf[i] as number;
    if (c === delim || c === 10 || c === 13) return i;
    i++;
  }
  return end;
}

// A CSV number is decimal: no hex (0x10), binary (0b11), octal (0o7), separators (1_000) or the
// other spellings Number() accepts, which would turn a typo or an id into a wrong value silently.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/**
 * The slow path for a numeric field's text: a null marker gives NaN, a decimal number (or inf /
 * infinity in any case, as pandas reads them) gives its value, anything else undefined (a bad
 * value). Spaces and tabs around the number are allowed.
 */
export function parseFloatText(text: string, nullValues: ReadonlySet<string>): number | undefined {
  if (nullValues.has(text)) return NaN;
  const trimmed = text.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed === '') return nullValues.has('') ? NaN : undefined;
  if (trimmed === 'NaN') return NaN;
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const inf = INFINITY.exec(trimmed);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}
