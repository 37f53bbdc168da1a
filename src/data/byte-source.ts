import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFileCorruptError, DataFileNotFoundError } from '../errors.js';

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
export function openBytes(path: string, readSize = READ_SIZE): ByteInput {
  assertFileExists(path);
  if (!path.toLowerCase().endsWith('.gz')) return openPlain(path, readSize);
  const file = createReadStream(path, { highWaterMark: readSize });
  const gunzip = createGunzip({ chunkSize: Math.max(64, Math.min(readSize, 256 * 1024)) });
  file.on('error', (err) => gunzip.destroy(err));
  const stream: Readable = file.pipe(gunzip);
  return {
    buffers: gunzipped(path, stream),
    bytesRead: () => file.bytesRead,
    close: () => {
      stream.destroy();
      file.destroy();
    },
  };
}

/**
 * The gunzip stream's buffers, with zlib's bare errors (Z_BUF_ERROR "unexpected end of file",
 * Z_DATA_ERROR) turned into one that names the file and says what is wrong with it.
 */
async function* gunzipped(path: string, stream: Readable): AsyncGenerator<Buffer, void, undefined> {
  try {
    for await (const buf of stream as AsyncIterable<Buffer>) yield buf;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      const what = code === 'Z_BUF_ERROR' ? 'is cut short (the gzip stream ends early)' : 'is corrupt (not valid gzip data)';
      throw new DataFileCorruptError(path, `${what}: ${(error as Error).message} (${code})`);
    }
    throw error;
  }
}

/**
 * Plain files are read into one reused buffer: a read happens only when the parser asks for the
 * next buffer (backpressure by construction), and no 1 MiB buffer per read is left for the GC —
 * with fs streams those buffers were half of the garbage per chunk and pushed peak RSS up.
 */
function openPlain(path: string, readSize: number): ByteInput {
  let bytes = 0;
  let closed = false;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  async function* read(): AsyncGenerator<Buffer, void, undefined> {
    handle = await open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(readSize);
      while (!closed) {
        const { bytesRead } = await handle.read(buf, 0, readSize, null);
        if (bytesRead === 0) return;
        bytes += bytesRead;
        yield bytesRead === readSize ? buf : buf.subarray(0, bytesRead);
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
