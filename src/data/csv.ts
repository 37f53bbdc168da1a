import { basename } from 'node:path';
import { assertFileExists } from './byte-source.js';
import { resolveCsvOptions, type CsvOptions } from './csv-options.js';
import { readCsvChunks, readCsvHead } from './read-csv.js';
import { ChunkSource } from './source.js';
import { emptyStats, type Dtype } from './types.js';

/** A chunked source over a CSV file, which can also report the file's columns. */
export class CsvSource extends ChunkSource {
  readonly path: string;
  readonly #schema: () => Promise<{ columns: string[]; dtypes: Record<string, Dtype> }>;

  /** Not for direct use: data.csv(path, opts) makes CSV sources. */
  constructor(path: string, opts: CsvOptions) {
    const resolved = resolveCsvOptions(opts);
    const stats = emptyStats();
    super(() => readCsvChunks(path, resolved, stats), basename(path), stats);
    this.path = path;
    this.#schema = async () => {
      const head = await readCsvHead(path, resolved);
      return { columns: [...head.plan.names], dtypes: { ...head.plan.dtypes } };
    };
  }

  /** The columns a pass yields and their types (given or inferred), read from the file's first lines. */
  schema(): Promise<{ columns: string[]; dtypes: Record<string, Dtype> }> {
    return this.#schema();
  }
}

/**
 * Streams a CSV (or .csv.gz) file in chunks of `chunkRows` rows, in bounded memory. Options are
 * checked now and a missing file fails now; the file is read when the source is iterated.
 */
export function csv(path: string, opts: CsvOptions = {}): CsvSource {
  assertFileExists(path);
  return new CsvSource(path, opts);
}
