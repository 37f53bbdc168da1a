import { isUtf8 } from 'node:buffer';
import { ColumnNotFoundError, CsvParseError } from '../errors.js';
import type { ResolvedCsvOptions } from './csv-options.js';
import { FieldKind, type ParsePlan } from './csv-parser.js';
import { inferDtype } from './infer-dtypes.js';
import { splitRecord } from './split-record.js';
import type { Dtype } from './types.js';

/** Rows looked at to guess column types. */
const SAMPLE_ROWS = 100;
/** Stop waiting for more sample rows once this much is buffered (very long lines). */
const MAX_HEAD_BYTES = 8 << 20;

export interface CsvHead {
  /** The plan the parser follows for the body. */
  readonly plan: ParsePlan;
  /** Byte offset of the first data line in the buffer given to readHead. */
  readonly bodyStart: number;
  /** Every column of the file with its (given or inferred) type. */
  readonly fileColumns: readonly string[];
  readonly fileDtypes: Readonly<Record<string, Dtype>>;
}

function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw === '' ? `c${i}` : raw;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n === 0 ? name : `${name}.${n}`;
  });
}

/**
 * Reads the header and the first rows of the file from `buf` and decides the plan: column names,
 * types (given or inferred), which fields to keep. Returns undefined while more bytes are needed.
 */
export function readHead(buf: Buffer, final: boolean, file: string, opts: ResolvedCsvOptions): CsvHead | undefined {
  let p = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let line = 1;
  let names: string[] | undefined;
  const enough = final || buf.length >= MAX_HEAD_BYTES;
  if (opts.header === true) {
    const rec = splitRecord(buf, p, buf.length, opts.delimiter, enough);
    if (rec === undefined) return undefined;
    if (opts.invalidUtf8 === 'error' && rec.fields.some((f) => f.includes('\uFFFD')) && !isUtf8(buf.subarray(p, rec.next))) {
      throw new CsvParseError(file, 1, buf.toString('utf8', p, rec.next).replace(/\r?\n$/, ''), "the header holds bytes that are not UTF-8; re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), or pass invalidUtf8: 'replace'");
    }
    names = dedupe(rec.fields.map((f) => f.trim()));
    p = rec.next;
    line += rec.lines;
  } else if (Array.isArray(opts.header)) {
    names = dedupe([...(opts.header as readonly string[])]);
  }
  const bodyStart = p;
  const samples: string[][] = [];
  // Sample rows are for guessing types (and counting fields without a header): when every type
  // is given, the body starts streaming right after the header.
  const sampleRows = names !== undefined && names.every((n) => opts.dtypes[n] !== undefined) ? 0 : SAMPLE_ROWS;
  while (samples.length < sampleRows && p < buf.length) {
    const rec = splitRecord(buf, p, buf.length, opts.delimiter, enough);
    if (rec === undefined) break;
    p = rec.next;
    if (rec.fields.length === 1 && rec.fields[0] === '') continue;
    samples.push(rec.fields);
  }
  if (samples.length < sampleRows && !enough) return undefined;
  names ??= Array.from({ length: samples[0]?.length ?? 0 }, (_, i) => `c${i}`);
  const fileNames = names;

  const where = `'${file}'`;
  for (const name of Object.keys(opts.dtypes)) {
    if (!fileNames.includes(name)) throw new ColumnNotFoundError(name, fileNames, `${where} (named in dtypes)`);
  }
  const selected = opts.columns ?? fileNames;
  for (const name of selected) {
    if (!fileNames.includes(name)) throw new ColumnNotFoundError(name, fileNames, `${where} (named in columns)`);
  }

  const fileDtypes: Record<string, Dtype> = {};
  const inferred = new Set<string>();
  fileNames.forEach((name, f) => {
    const given = opts.dtypes[name];
    if (given !== undefined) {
      fileDtypes[name] = given;
    } else {
      fileDtypes[name] = inferDtype(
        samples.map((r) => r[f] ?? ''),
        opts.nullValues,
      );
      inferred.add(name);
    }
  });
  const dtypes: Record<string, Dtype> = {};
  for (const name of selected) dtypes[name] = fileDtypes[name] as Dtype;
  const kinds: FieldKind[] = [];
  const slots: number[] = [];
  fileNames.forEach((name, f) => {
    const slot = selected.indexOf(name);
    slots[f] = slot < 0 ? 0 : slot;
    const dtype = fileDtypes[name];
    kinds[f] = slot < 0 ? FieldKind.Skip : dtype === 'string' ? FieldKind.Text : dtype === 'datetime' ? FieldKind.Datetime : FieldKind.Float;
  });
  return {
    bodyStart,
    fileColumns: fileNames,
    fileDtypes,
    plan: {
      file,
      names: [...selected],
      dtypes,
      kinds,
      slots,
      inferred,
      chunkRows: opts.chunkRows,
      delimiter: opts.delimiter,
      nullValues: opts.nullValues,
      onBadRow: opts.onBadRow,
      invalidUtf8: opts.invalidUtf8,
      firstLine: line,
    },
  };
}
