import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { data } from '../../src/index.js';
import { ohlcvFile, tempDir } from './helpers.js';

const dir = tempDir('gen');

describe('data.generateOhlcv', () => {
  it('writes deterministic 1-minute OHLCV with 8 significant digits', async () => {
    const a = readFileSync(await ohlcvFile(dir, 3000, 42), 'utf8');
    const again = readFileSync(await ohlcvFile(dir, 3000, 42), 'utf8');
    const other = readFileSync(await ohlcvFile(dir, 3000, 43), 'utf8');
    expect(again).toBe(a);
    expect(other).not.toBe(a);
    const lines = a.trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,open,high,low,close,volume');
    expect(lines).toHaveLength(3001);
    const rows = lines.slice(1).map((l) => l.split(','));
    rows.forEach((r, i) => {
      expect(Number(r[0])).toBe(Date.UTC(2017, 0, 1) + i * 60_000);
      for (const f of r.slice(1)) expect(f.replace(/^0\.0*|\./g, '').length).toBe(8);
      const [o, h, l, c] = r.slice(1, 5).map(Number) as [number, number, number, number];
      expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
      expect(l).toBeLessThanOrEqual(Math.min(o, c));
    });
    // Candles chain: each open is the previous close.
    rows.slice(1).forEach((r, i) => expect(r[1]).toBe(rows[i]![4]));
    expect(a.length / 3000).toBeGreaterThan(55);
  });

  it('rejects a bad row count', async () => {
    await expect(data.generateOhlcv(`${dir}/x.csv`, { rows: -1 })).rejects.toThrow(/rows/);
  });
});
