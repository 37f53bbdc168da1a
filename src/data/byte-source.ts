import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFileNotFoundError } from '../errors.js';

/** An open file as a pull-based stream of Buffers: nothing is read ahead beyond one buffer. */
export interface ByteInput {
  readonly buffers: AsyncIterable<Buffer>;
  /** Bytes read from disk so far (compressed bytes for .gz). */
  bytesRead(): number;
  close(): void;
}

const READ_SIZE = 1 << 20;

/** Throws DataFileNotFoundError naming the file and what the folder does hold. */
export function assertFileExists(path: string): void {
  if (existsSync(path)) return;
  const dir = dirname(resolve(path));
  let nearby: string[] = [];
  try {
    nearby = readdirSync(dir)
      .filter((f) => /\.(csv|tsv|txt)(\.gz)?$/i.test(f))
      .slice(0, 12);
  } catch {
    nearby = [];
  }
  throw new DataFileNotFoundError(path, nearby.length > 0 ? nearby : [`(no CSV files in ${dir}; looked for ${basename(path)})`]);
}

/**
 * Opens `path` (gunzipping `.gz`). The async iterator of a Readable pulls one buffer at a time,
 * and the stream stops reading once its high-water mark is buffered, so a slow consumer holds
 * the reader back: that is the backpressure.
 */
export function openBytes(path: string): ByteInput {
  assertFileExists(path);
  const file = createReadStream(path, { highWaterMark: READ_SIZE });
  let stream: Readable = file;
  if (path.toLowerCase().endsWith('.gz')) {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    file.on('error', (err) => gunzip.destroy(err));
    stream = file.pipe(gunzip);
  }
  return {
    buffers: stream as AsyncIterable<Buffer>,
    bytesRead: () => file.bytesRead,
    close: () => {
      stream.destroy();
      file.destroy();
    },
  };
}
