import { InvalidOptionError } from '../errors.js';
import type { Dtype } from './types.js';

/** Options of `data.csv(path, opts)`. */
export interface CsvOptions {
  /** Rows per chunk (default 100,000). */
  readonly chunkRows?: number;
  /** Keep only these columns (others are skipped without being converted). */
  readonly columns?: readonly string[];
  /** Column types; columns not named here are inferred from the first rows. */
  readonly dtypes?: Readonly<Record<string, Dtype>>;
  /** One character (default ','). */
  readonly delimiter?: string;
  /** true (default): the first line names the columns; false: names are c0, c1, ...; or the names to use. */
  readonly header?: boolean | readonly string[];
  /** Field texts read as missing (NaN); default '', 'null', 'NaN', 'NA'. */
  readonly nullValues?: readonly string[];
  /** 'error' (default): a malformed line throws CsvParseError; 'skip': it is counted in `stats` and dropped. */
  readonly onBadRow?: 'error' | 'skip';
  /**
   * 'error' (default): bytes in a text field that are not UTF-8 make the line bad (a
   * CsvParseError, or a counted skip under onBadRow: 'skip'); 'replace': they become U+FFFD.
   */
  readonly invalidUtf8?: 'error' | 'replace';
  /** Bytes per read from the file (default 1 MiB). Only memory and speed depend on it; tests vary it. */
  readonly readBytes?: number;
}

export interface ResolvedCsvOptions {
  readonly chunkRows: number;
  readonly columns: readonly string[] | undefined;
  readonly dtypes: Readonly<Record<string, Dtype>>;
  readonly delimiter: number;
  readonly header: boolean | readonly string[];
  readonly nullValues: ReadonlySet<string>;
  readonly onBadRow: 'error' | 'skip';
  readonly invalidUtf8: 'error' | 'replace';
  readonly readBytes: number;
}

export const DEFAULT_READ_BYTES = 1 << 20;
const DTYPES: readonly Dtype[] = ['float64', 'datetime', 'string'];
export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'null', 'NaN', 'NA'];

/** Checks every option up front, so a typo fails when `data.csv` is called, not mid-stream. */
export function resolveCsvOptions(opts: CsvOptions = {}): ResolvedCsvOptions {
  const chunkRows = opts.chunkRows ?? 100_000;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new InvalidOptionError(`data.csv: chunkRows must be a positive integer, got ${String(chunkRows)}`);
  }
  const delimiter = opts.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new InvalidOptionError(`data.csv: delimiter must be one ASCII character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const dtypes = opts.dtypes ?? {};
  for (const [name, dtype] of Object.entries(dtypes)) {
    if (!DTYPES.includes(dtype)) {
      throw new InvalidOptionError(`data.csv: dtypes.${name} must be one of ${DTYPES.join(', ')}, got ${JSON.stringify(dtype)}`);
    }
  }
  const onBadRow = opts.onBadRow ?? 'error';
  if (onBadRow !== 'error' && onBadRow !== 'skip') {
    throw new InvalidOptionError(`data.csv: onBadRow must be 'error' or 'skip', got ${JSON.stringify(onBadRow)}`);
  }
  const invalidUtf8 = opts.invalidUtf8 ?? 'error';
  if (invalidUtf8 !== 'error' && invalidUtf8 !== 'replace') {
    throw new InvalidOptionError(`data.csv: invalidUtf8 must be 'error' or 'replace', got ${JSON.stringify(invalidUtf8)}`);
  }
  const readBytes = opts.readBytes ?? DEFAULT_READ_BYTES;
  if (!Number.isInteger(readBytes) || readBytes < 1) {
    throw new InvalidOptionError(`data.csv: readBytes must be a positive integer (bytes per read), got ${String(readBytes)}`);
  }
  if (opts.columns !== undefined && opts.columns.length === 0) {
    throw new InvalidOptionError('data.csv: columns must name at least one column (omit it to keep all)');
  }
  return {
    chunkRows,
    columns: opts.columns,
    dtypes,
    delimiter: delimiter.charCodeAt(0),
    header: opts.header ?? true,
    nullValues: new Set(opts.nullValues ?? DEFAULT_NULL_VALUES),
    onBadRow,
    invalidUtf8,
    readBytes,
  };
}
