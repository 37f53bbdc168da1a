import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFileNotFoundError } from '../errors.js';

/**
 * An open file as a pull-based stream of Buffers: nothing is read ahead beyond one buffer.
 * A yielded Buffer is only valid until the next one is requested (it may be reused): copy
 * what must outlive that.
 */
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
  if (!path.toLowerCase().endsWith('.gz')) return openPlain(path);
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

/**
 * Plain files are read into one reused buffer: a read happens only when the parser asks for the
 * next buffer (backpressure by construction), and no 1 MiB buffer per read is left for the GC —
 * with fs streams those buffers were half of the garbage per chunk and pushed peak RSS up.
 */
function openPlain(path: string): ByteInput {
  let bytes = 0;
  let closed = false;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  async function* read(): AsyncGenerator<Buffer, void, undefined> {
    handle = await open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(READ_SIZE);
      while (!closed) {
        const { bytesRead } = await handle.read(buf, 0, READ_SIZE, null);
        if (bytesRead === 0) return;
        bytes += bytesRead;
        yield bytesRead === READ_SIZE ? buf : buf.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  }
  return {
    buffers: { [Symbol.asyncIterator]: read },
    bytesRead: () => bytes,
    close: () => {
      closed = true;
    },
  };
}
