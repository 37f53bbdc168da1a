import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { InvalidOptionError } from '../errors.js';

export interface GenerateOhlcvOptions {
  /** Number of 1-minute candles. */
  readonly rows: number;
  /** PRNG seed (default 1): the same seed and rows give the same bytes. */
  readonly seed?: number;
  /** First candle's time, ms since epoch (default 2017-01-01T00:00:00Z). */
  readonly start?: number;
  /** First price (default 20,000). */
  readonly price?: number;
}

/** mulberry32: tiny, fast and seedable; good enough for synthetic prices. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BATCH = 20_000;

/**
 * Writes synthetic 1-minute OHLCV candles (`timestamp,open,high,low,close,volume`, ms timestamps,
 * prices with 8 significant digits) from a seeded geometric random walk with weak mean reversion,
 * streaming, so any size can be written in constant memory. Resolves with the bytes written.
 */
export async function generateOhlcv(path: string, opts: GenerateOhlcvOptions): Promise<{ rows: number; bytes: number }> {
  const { rows } = opts;
  if (!Number.isInteger(rows) || rows < 0) throw new InvalidOptionError(`generateOhlcv: rows must be a non-negative integer, got ${String(rows)}`);
  const rand = mulberry32(opts.seed ?? 1);
  const normal = (): number => {
    let u = 0;
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const start = opts.start ?? Date.UTC(2017, 0, 1);
  const anchor = Math.log(opts.price ?? 20_000);
  let logPrice = anchor;
  const sigma = 0.0012;
  const out = createWriteStream(path);
  let bytes = 0;
  const header = 'timestamp,open,high,low,close,volume\n';
  out.write(header);
  bytes += header.length;
  for (let i = 0; i < rows; ) {
    const n = Math.min(BATCH, rows - i);
    let text = '';
    for (let j = 0; j < n; j++, i++) {
      const open = Math.exp(logPrice);
      logPrice += sigma * normal() - 0.00002 * (logPrice - anchor);
      const close = Math.exp(logPrice);
      const high = Math.max(open, close) * (1 + Math.abs(normal()) * sigma * 0.3);
      const low = Math.min(open, close) * (1 - Math.abs(normal()) * sigma * 0.3);
      const volume = Math.exp(2.5 + 0.8 * normal());
      text += `${start + i * 60_000},${open.toPrecision(8)},${high.toPrecision(8)},${low.toPrecision(8)},${close.toPrecision(8)},${volume.toPrecision(8)}\n`;
    }
    bytes += text.length;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { rows, bytes };
}
