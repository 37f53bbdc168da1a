import { isUtf8 } from 'node:buffer';
import { CsvParseError } from '../errors.js';
import { parseDatetimeText, scanDatetime } from './parse-datetime.js';
import { parseFloatText, scanFloat, skipField } from './parse-number.js';
import { scan } from './scan-cursor.js';
import { splitRecord } from './split-record.js';
import type { ColumnChunk, Dtype, SourceStats } from './types.js';

/** What to do with each field of a line: skip it, or convert it into output column `slot`. */
export const FieldKind = { Skip: 0, Float: 1, Datetime: 2, Text: 3 } as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];
// Plain constants in the hot loop: V8 inlines them, property reads it may not.
const FLOAT = 1;
const DATETIME = 2;
const TEXT = 3;

export interface ParsePlan {
  readonly file: string;
  /** Output column names, in output order. */
  readonly names: readonly string[];
  readonly dtypes: Readonly<Record<string, Dtype>>;
  /** Per field of the file: its kind and its output slot. */
  readonly kinds: readonly FieldKind[];
  readonly slots: readonly number[];
  /** Columns whose type was guessed from the first rows (named in error messages). */
  readonly inferred: ReadonlySet<string>;
  readonly chunkRows: number;
  readonly delimiter: number;
  readonly nullValues: ReadonlySet<string>;
  readonly onBadRow: 'error' | 'skip';
  /** 'error': a text field holding bytes that are not UTF-8 makes its line bad; 'replace': U+FFFD. */
  readonly invalidUtf8: 'error' | 'replace';
  /** Line number (1-based) of the first line handed to the parser. */
  readonly firstLine: number;
}

const MAX_SAMPLES = 5;
const EMPTY = new Float64Array(0);

/**
 * The byte-level CSV engine: it walks Buffers and writes each field straight into the Float64Array
 * (or string array) of its column, and hands back a chunk every `chunkRows` rows. Lines split
 * across buffers are carried over; rows whose field starts with a quote take the RFC 4180 path.
 */
export class CsvChunkParser {
  readonly #plan: ParsePlan;
  readonly #stats: SourceStats;
  readonly #kinds: Int8Array;
  readonly #slots: Int32Array;
  readonly #nf: number;
  #floats: Float64Array[] = [];
  #texts: string[][] = [];
  #row = 0;
  #line: number;
  #leftover: Buffer | undefined;
  #out: ColumnChunk[] = [];

  constructor(plan: ParsePlan, stats: SourceStats) {
    this.#plan = plan;
    this.#stats = stats;
    this.#kinds = Int8Array.from(plan.kinds);
    this.#slots = Int32Array.from(plan.slots);
    this.#nf = plan.kinds.length;
    this.#line = plan.firstLine;
    this.#allocate();
  }

  /**
   * Parses every complete line of `buf` (plus what was carried over); returns the chunks filled.
   * Keeps no reference to `buf`, which the reader reuses.
   */
  push(buf: Buffer): ColumnChunk[] {
    let data = buf;
    const carried = this.#leftover;
    if (carried !== undefined && carried.length > 0) {
      // Finish the carried line with the head of `buf` and parse the rest of `buf` in place:
      // concatenating whole 1 MiB buffers cost a third as much as parsing them.
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.#leftover = Buffer.concat([carried, buf]);
        return [];
      }
      const head = Buffer.concat([carried, buf.subarray(0, nl + 1)]);
      const stop = this.#parse(head, head.length, false);
      // A quoted field spanning the boundary: fall back to joining the rest.
      data = stop < head.length ? Buffer.concat([head.subarray(stop), buf.subarray(nl + 1)]) : buf.subarray(nl + 1);
    }
    const limit = data.lastIndexOf(10) + 1;
    if (limit === 0) {
      this.#leftover = Buffer.from(data);
      return [];
    }
    const stop = this.#parse(data, limit, false);
    // Copy the tail so the big buffer it came from can be collected.
    this.#leftover = stop < data.length ? Buffer.from(data.subarray(stop)) : undefined;
    return this.#take();
  }

  /** End of input: parses the last line (which may lack a newline) and returns the remaining chunks. */
  finish(): ColumnChunk[] {
    const data = this.#leftover;
    this.#leftover = undefined;
    if (data !== undefined && data.length > 0) this.#parse(data, data.length, true);
    if (this.#row > 0) this.#emit(true);
    return this.#take();
  }

  #take(): ColumnChunk[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #allocate(): void {
    const { names, dtypes, chunkRows } = this.#plan;
    this.#floats = names.map((n) => (dtypes[n] === 'string' ? EMPTY : new Float64Array(chunkRows)));
    this.#texts = names.map((n) => (dtypes[n] === 'string' ? new Array<string>(chunkRows) : []));
  }

  #emit(last: boolean): void {
    const { names, dtypes } = this.#plan;
    const n = this.#row;
    const columns: Record<string, Float64Array | string[]> = {};
    for (let s = 0; s < names.length; s++) {
      const name = names[s] as string;
      if (dtypes[name] === 'string') {
        const t = this.#texts[s] as string[];
        if (t.length !== n) t.length = n;
        columns[name] = t;
      } else {
        const f = this.#floats[s] as Float64Array;
        columns[name] = n === f.length ? f : f.slice(0, n);
      }
    }
    this.#out.push({ rowCount: n, columns, dtypes });
    this.#stats.rows += n;
    this.#stats.chunks++;
    this.#row = 0;
    if (!last) this.#allocate();
  }

  /** Parses records from 0 up to `limit`; returns where it stopped (start of an incomplete record). */
  #parse(buf: Buffer, limit: number, final: boolean): number {
    const kinds = this.#kinds;
    const slots = this.#slots;
    const nf = this.#nf;
    const last = nf - 1;
    const delim = this.#plan.delimiter;
    const nulls = this.#plan.nullValues;
    const chunkRows = this.#plan.chunkRows;
    const strictUtf8 = this.#plan.invalidUtf8 === 'error';
    let floats = this.#floats;
    let texts = this.#texts;
    let row = this.#row;
    let p = 0;
    rows: while (p < limit) {
      const rowStart = p;
      let c = buf[p] as number;
      if (c === 10 || (c === 13 && buf[p + 1] === 10)) {
        p += c === 10 ? 1 : 2;
        this.#line++;
        continue;
      }
      let bad = 0;
      let badField = 0;
      for (let f = 0; f < nf; f++) {
        if (buf[p] === 34) {
          this.#row = row;
          const next = this.#quotedRow(buf, rowStart, limit, final);
          if (next < 0) return rowStart;
          row = this.#row;
          floats = this.#floats;
          texts = this.#texts;
          p = next;
          continue rows;
        }
        const kind = kinds[f] as number;
        if (kind === FLOAT) {
          let v = scanFloat(buf, p, limit, delim);
          if (scan.slow) {
            const t = parseFloatText(buf.toString('latin1', p, scan.end), nulls);
            if (t === undefined) {
              bad = 1;
              badField = f;
              break;
            }
            v = t;
          }
          (floats[slots[f] as number] as Float64Array)[row] = v;
          p = scan.end;
        } else if (kind === DATETIME) {
          let v = scanDatetime(buf, p, limit, delim);
          if (scan.slow) {
            const t = parseDatetimeText(buf.toString('latin1', p, scan.end), nulls);
            if (t === undefined) {
              bad = 1;
              badField = f;
              break;
            }
            v = t;
          }
          (floats[slots[f] as number] as Float64Array)[row] = v;
          p = scan.end;
        } else if (kind === TEXT) {
          const q = skipField(buf, p, limit, delim);
          const t = buf.toString('utf8', p, q);
          // Decoding replaces bad bytes with U+FFFD: only then are the bytes checked.
          if (t.includes('\uFFFD') && strictUtf8 && !isUtf8(buf.subarray(p, q))) {
            bad = 4;
            badField = f;
            break;
          }
          (texts[slots[f] as number] as string[])[row] = t;
          p = q;
        } else {
          p = skipField(buf, p, limit, delim);
        }
        c = buf[p] as number;
        if (f < last) {
          if (c === delim) {
            p++;
          } else {
            bad = 2;
            break;
          }
        } else if (c === 10) {
          p++;
        } else if (c === 13 && buf[p + 1] === 10) {
          p += 2;
        } else if (p >= limit) {
          // last line of the input without a trailing newline
        } else {
          bad = 3;
          break;
        }
      }
      if (bad !== 0) {
        p = this.#badLine(buf, rowStart, limit, bad, badField);
        continue;
      }
      row++;
      this.#line++;
      if (row === chunkRows) {
        this.#row = row;
        this.#emit(false);
        row = 0;
        floats = this.#floats;
        texts = this.#texts;
      }
    }
    this.#row = row;
    return p;
  }

  /** A row with a quoted field: split it by RFC 4180 and convert the texts. Returns -1 if incomplete. */
  #quotedRow(buf: Buffer, start: number, limit: number, final: boolean): number {
    const rec = splitRecord(buf, start, limit, this.#plan.delimiter, final);
    if (rec === undefined) return -1;
    const text = (): string => buf.toString('utf8', start, rec.next).replace(/\r?\n$/, '');
    if (rec.unterminated) {
      this.#reject(text(), 'a quoted field is never closed');
      this.#line += rec.lines;
      return rec.next;
    }
    if (rec.fields.length !== this.#nf) {
      this.#reject(text(), `expected ${this.#nf} fields, found ${rec.fields.length}`);
      this.#line += rec.lines;
      return rec.next;
    }
    const nulls = this.#plan.nullValues;
    let recordUtf8: boolean | undefined;
    for (let f = 0; f < this.#nf; f++) {
      const kind = this.#kinds[f];
      const slot = this.#slots[f] as number;
      const field = rec.fields[f] as string;
      if (kind === TEXT) {
        if (field.includes('\uFFFD') && this.#plan.invalidUtf8 === 'error' && !(recordUtf8 ??= isUtf8(buf.subarray(start, rec.next)))) {
          this.#reject(text(), this.#utf8Reason(f), f);
          this.#line += rec.lines;
          return rec.next;
        }
        (this.#texts[slot] as string[])[this.#row] = field;
      } else if (kind === FLOAT || kind === DATETIME) {
        const v = kind === FLOAT ? parseFloatText(field, nulls) : parseDatetimeText(field, nulls);
        if (v === undefined) {
          this.#reject(text(), this.#valueReason(f, field), f);
          this.#line += rec.lines;
          return rec.next;
        }
        (this.#floats[slot] as Float64Array)[this.#row] = v;
      }
    }
    this.#row++;
    this.#line += rec.lines;
    if (this.#row === this.#plan.chunkRows) this.#emit(false);
    return rec.next;
  }

  /** Reports (or counts) the malformed line at `start`; returns where the next line starts. */
  #badLine(buf: Buffer, start: number, limit: number, bad: number, field: number): number {
    let lineEnd = buf.indexOf(10, start);
    if (lineEnd < 0 || lineEnd >= limit) lineEnd = limit;
    const text = buf.toString('utf8', start, lineEnd).replace(/\r$/, '');
    if (bad === 1) {
      const fields = text.split(String.fromCharCode(this.#plan.delimiter));
      this.#reject(text, this.#valueReason(field, fields[field] ?? ''), field);
    } else if (bad === 4) {
      this.#reject(text, this.#utf8Reason(field), field);
    } else {
      const found = text.split(String.fromCharCode(this.#plan.delimiter)).length;
      this.#reject(text, `expected ${this.#nf} fields, found ${found}`);
    }
    this.#line++;
    return Math.min(lineEnd + 1, limit);
  }

  #valueReason(field: number, value: string): string {
    const slot = this.#slots[field] as number;
    const name = this.#plan.names[slot] as string;
    const dtype = this.#plan.dtypes[name] as Dtype;
    const what = dtype === 'datetime' ? 'a date' : 'a number';
    const hint = this.#plan.inferred.has(name)
      ? ` (its type ${dtype} was inferred from the first rows; pass dtypes: { '${name}': 'string' } to read it as text)`
      : '';
    return `column '${name}' (field ${field + 1}) is not ${what}: ${JSON.stringify(value)}${hint}`;
  }

  #utf8Reason(field: number): string {
    const name = this.#plan.names[this.#slots[field] as number] as string;
    return `column '${name}' (field ${field + 1}) holds bytes that are not UTF-8; re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), or pass invalidUtf8: 'replace' to read them as U+FFFD`;
  }

  /** Fails the line (onBadRow 'error') or counts it; `field` is the bad field's index, if one is. */
  #reject(text: string, reason: string, field?: number): void {
    if (this.#plan.onBadRow === 'error') {
      const at = field === undefined ? undefined : { column: this.#plan.names[this.#slots[field] as number] as string, field: field + 1 };
      throw new CsvParseError(this.#plan.file, this.#line, text, reason, at);
    }
    this.#stats.badRows++;
    if (this.#stats.badRowSamples.length < MAX_SAMPLES) this.#stats.badRowSamples.push({ line: this.#line, text, reason });
  }
}
