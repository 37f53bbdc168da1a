import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data } from '../../src/index.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tunelab-${prefix}-`));
}

export function writeText(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A generated OHLCV file of `rows` candles in `dir`. */
export async function ohlcvFile(dir: string, rows: number, seed = 1): Promise<string> {
  const path = join(dir, `ohlcv-${rows}-${seed}.csv`);
  await data.generateOhlcv(path, { rows, seed });
  return path;
}

/** All chunks of a source's typed-column pass, concatenated per column. */
export async function allColumns(source: { columns(): AsyncIterable<data.ColumnChunk> }): Promise<{ rows: number; chunks: number[]; cols: Record<string, (number | string)[]> }> {
  const cols: Record<string, (number | string)[]> = {};
  const chunks: number[] = [];
  let rows = 0;
  for await (const c of source.columns()) {
    chunks.push(c.rowCount);
    rows += c.rowCount;
    for (const [k, v] of Object.entries(c.columns)) {
      const out = (cols[k] ??= []);
      for (const x of v) out.push(x);
    }
  }
  return { rows, chunks, cols };
}

export const BTC = new URL('../../datasets/btc-usd-1d.csv', import.meta.url).pathname;
