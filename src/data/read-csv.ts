import type { ResolvedCsvOptions } from './csv-options.js';
import { CsvChunkParser } from './csv-parser.js';
import { readHead, type CsvHead } from './csv-head.js';
import { openBytes } from './byte-source.js';
import { resetStats, type ColumnChunk, type SourceStats } from './types.js';

/**
 * Yields chunks while dropping them from the list: an array iterated with yield* would keep the
 * chunk reachable while the consumer works on it, long enough for V8 to promote its arrays to the
 * old generation, where only a full GC frees them.
 */
function* drain(chunks: ColumnChunk[]): Generator<ColumnChunk, void, undefined> {
  while (chunks.length > 0) yield chunks.shift() as ColumnChunk;
}

/** One pass over a CSV file: header and type inference on the first bytes, then chunks. */
export async function* readCsvChunks(path: string, opts: ResolvedCsvOptions, stats: SourceStats): AsyncGenerator<ColumnChunk, void, undefined> {
  resetStats(stats);
  const input = openBytes(path, opts.readBytes);
  try {
    let pending: Buffer | undefined;
    let parser: CsvChunkParser | undefined;
    for await (const buf of input.buffers) {
      stats.bytesRead = input.bytesRead();
      if (parser === undefined) {
        pending = pending === undefined ? Buffer.from(buf) : Buffer.concat([pending, buf]);
        const head = readHead(pending, false, path, opts);
        if (head === undefined) continue;
        parser = new CsvChunkParser(head.plan, stats);
        yield* drain(parser.push(pending.subarray(head.bodyStart)));
        pending = undefined;
      } else {
        yield* drain(parser.push(buf));
      }
    }
    stats.bytesRead = input.bytesRead();
    if (parser === undefined) {
      const head = readHead(pending ?? Buffer.alloc(0), true, path, opts) as CsvHead;
      parser = new CsvChunkParser(head.plan, stats);
      yield* drain(parser.push(pending?.subarray(head.bodyStart) ?? Buffer.alloc(0)));
    }
    yield* drain(parser.finish());
  } finally {
    input.close();
  }
}

/** Reads just enough of the file to know its columns and their types. */
export async function readCsvHead(path: string, opts: ResolvedCsvOptions): Promise<CsvHead> {
  const input = openBytes(path, opts.readBytes);
  try {
    let pending: Buffer | undefined;
    for await (const buf of input.buffers) {
      pending = pending === undefined ? Buffer.from(buf) : Buffer.concat([pending, buf]);
      const head = readHead(pending, false, path, opts);
      if (head !== undefined) return head;
    }
    return readHead(pending ?? Buffer.alloc(0), true, path, opts) as CsvHead;
  } finally {
    input.close();
  }
}
