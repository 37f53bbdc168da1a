import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ti from 'technicalindicators';
import { data, InvalidOptionError } from '../../src/index.js';
import { indicatorsStage } from '../../src/data/indicators/stage.js';
import type { ColumnChunk } from '../../src/data/types.js';
import { BTC, tempDir, writeText } from './helpers.js';

const { ema, rsi, macd, bollinger, atr, obv, vwap, returns, logReturns, computeIndicator } = data.indicators;

const ALL = {
  ema5: ema('close', 5),
  rsi3: rsi('close', 3),
  macd: macd('close', { fast: 3, slow: 6, signal: 4 }),
  bb: bollinger('close', { period: 4, k: 1.5 }),
  atr3: atr(3),
  obv: obv(),
  vwap: vwap(),
  vwap3: vwap({ period: 3 }),
  ret: returns('close'),
  lret: logReturns('close'),
};

async function btcColumns(): Promise<Record<string, Float64Array>> {
  const all = await data.csv(BTC).collect();
  // Up to the first missing row (2020-04-17 is null in the file): the library has no notion of one.
  const close = all.columns['Close'] as Float64Array;
  const end = close.findIndex((x) => Number.isNaN(x));
  return Object.fromEntries(Object.entries(all.columns).map(([k, v]) => [k.toLowerCase(), (v as Float64Array).slice(0, end)]));
}

/** Ours against the library's, aligned at the end (the library drops warm-up rows; we give NaN). */
function expectMatchesLibrary(ours: Float64Array, theirs: readonly number[], tolerance: (x: number) => number): void {
  const offset = ours.length - theirs.length;
  expect(offset).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < offset; i++) expect(ours[i]).toBeNaN();
  for (let i = 0; i < theirs.length; i++) {
    const a = ours[offset + i] as number;
    const b = theirs[i] as number;
    if (Math.abs(a - b) > tolerance(b)) throw new Error(`row ${offset + i}: ours ${a}, library ${b}`);
  }
}

const rel = (r: number) => (x: number) => r * Math.max(1, Math.abs(x));

describe('technical indicators against the technicalindicators package (bundled BTC daily)', () => {
  it('ema, rsi, macd, bollinger, atr, obv, vwap', async () => {
    const c = await btcColumns();
    const close = [...(c['close'] as Float64Array)];
    const high = [...(c['high'] as Float64Array)];
    const low = [...(c['low'] as Float64Array)];
    const volume = [...(c['volume'] as Float64Array)];
    expect(close.length).toBeGreaterThan(1000);
    expectMatchesLibrary(computeIndicator(ema('close', 12), c)['']!, ti.EMA.calculate({ period: 12, values: close }), rel(1e-9));
    // The library rounds RSI to 2 decimals.
    expectMatchesLibrary(computeIndicator(rsi('close', 14), c)['']!, ti.RSI.calculate({ period: 14, values: close }), () => 0.0051);
    const m = computeIndicator(macd('close'), c);
    const theirs = ti.MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
    expectMatchesLibrary(m['']!, theirs.map((r) => r.MACD as number), rel(1e-9));
    const signalStart = theirs.findIndex((r) => r.signal !== undefined);
    expectMatchesLibrary(m['_signal']!, theirs.slice(signalStart).map((r) => r.signal as number), rel(1e-9));
    expectMatchesLibrary(m['_hist']!, theirs.slice(signalStart).map((r) => r.histogram as number), rel(1e-9));
    const bb = computeIndicator(bollinger('close', { period: 20, k: 2 }), c);
    const tbb = ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close });
    expectMatchesLibrary(bb['_middle']!, tbb.map((r) => r.middle), rel(1e-9));
    expectMatchesLibrary(bb['_upper']!, tbb.map((r) => r.upper), rel(1e-9));
    expectMatchesLibrary(bb['_lower']!, tbb.map((r) => r.lower), rel(1e-9));
    expectMatchesLibrary(computeIndicator(atr(14), c)['']!, ti.ATR.calculate({ period: 14, high, low, close }), rel(1e-9));
    // The library starts OBV on the second row; ours is 0 on the first.
    const ourObv = computeIndicator(obv(), c)['']!;
    expect(ourObv[0]).toBe(0);
    expect([...ourObv.subarray(1)]).toEqual(ti.OBV.calculate({ close, volume }));
    expectMatchesLibrary(computeIndicator(vwap(), c)['']!, ti.VWAP.calculate({ high, low, close, volume }), rel(1e-9));
  });

  it('returns and log returns as pandas pct_change and log().diff()', () => {
    const close = new Float64Array([100, 110, NaN, 99, 99]);
    const r = computeIndicator(returns('close'), { close })['']!;
    const l = computeIndicator(logReturns('close'), { close })['']!;
    expect([...r].map((x) => (Number.isNaN(x) ? 'NaN' : x.toFixed(12)))).toEqual(['NaN', (0.1).toFixed(12), 'NaN', 'NaN', (0).toFixed(12)]);
    expect(l[1]).toBeCloseTo(Math.log(1.1), 15);
    expect(l[4]).toBe(0);
  });
});

/** Random OHLCV rows, some values missing, cut into chunks at random places. */
const candles = fc.integer({ min: 1, max: 120 }).chain((n) =>
  fc.record({
    close: fc.array(fc.oneof({ weight: 12, arbitrary: fc.double({ min: 1, max: 1000, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: n, maxLength: n }),
    spread: fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: n, maxLength: n }),
    volume: fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: n, maxLength: n }),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 12 }),
  }),
);

function chunked(cols: Record<string, Float64Array>, cuts: readonly number[]): ColumnChunk[] {
  const n = (cols['close'] as Float64Array).length;
  const bounds = [0, ...[...cuts].filter((c) => c < n).sort((a, b) => a - b), n];
  const out: ColumnChunk[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i] as number, bounds[i + 1] as number];
    if (to <= from) continue;
    const columns = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.slice(from, to)]));
    out.push({ rowCount: to - from, columns, dtypes: Object.fromEntries(Object.keys(cols).map((k) => [k, 'float64' as const])) });
  }
  return out;
}

describe('indicators stream exactly across chunk boundaries', () => {
  it('every indicator, any chunking, equals the one-shot computation bit for bit', () => {
    fc.assert(
      fc.property(candles, ({ close, spread, volume, cuts }) => {
        const c = Float64Array.from(close);
        const cols = {
          close: c,
          high: c.map((x, i) => x + (spread[i] as number)),
          low: c.map((x, i) => x - (spread[i] as number) / 2),
          volume: Float64Array.from(volume),
        };
        const stage = indicatorsStage(ALL);
        const streamed: Record<string, number[]> = {};
        for (const chunk of chunked(cols, cuts)) {
          const out = stage.push(chunk)!;
          for (const [k, v] of Object.entries(out.columns)) (streamed[k] ??= []).push(...(v as Float64Array));
        }
        for (const [name, ind] of Object.entries(ALL)) {
          const once = computeIndicator(ind, cols);
          for (const suffix of ind.outputs) {
            const a = streamed[name + suffix]!;
            const b = [...once[suffix]!];
            expect(a.length).toBe(b.length);
            for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${name + suffix} row ${i}: streamed ${a[i]} vs one-shot ${b[i]} (cuts ${cuts.join(',')})`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('source.indicators() gives the same columns for any chunkRows, and data.windows takes them as features', async () => {
    const specs = { rsi14: rsi('close', 14), macd: macd('close'), atr14: atr(14), bb: bollinger('close') };
    const pass = async (chunkRows: number) => {
      const all = await data.csv(BTC, { chunkRows }).indicators(specs).collect();
      return all.columns as Record<string, Float64Array>;
    };
    const [small, big] = await Promise.all([pass(37), pass(100_000)]);
    for (const k of ['rsi14', 'macd', 'macd_signal', 'macd_hist', 'atr14', 'bb_upper']) expect([...small[k]!]).toEqual([...big[k]!]);
    const ds = await data.windows(data.csv(BTC, { chunkRows: 64 }).indicators(specs), {
      target: 'close',
      features: ['close', 'rsi14', 'macd_hist', 'atr14'],
      lookback: 5,
      transform: { close: 'logReturn' },
      scale: 'zscore',
    });
    expect(ds.featureNames).toEqual(['Close', 'rsi14', 'macd_hist', 'atr14']);
    // The warm-up rows (MACD's signal needs 26 + 9 - 1 rows) drop their windows rather than feed NaN.
    expect(ds.dropped).toBeGreaterThanOrEqual(33);
    expect([...ds.train.inputs].every(Number.isFinite)).toBe(true);
    // Indicator settings are part of the dataset's identity.
    const other = await data.windows(data.csv(BTC).indicators({ ...specs, rsi14: rsi('close', 7) }), {
      target: 'close',
      features: ['close', 'rsi14', 'macd_hist', 'atr14'],
      lookback: 5,
      transform: { close: 'logReturn' },
      scale: 'zscore',
    });
    expect(other.fingerprint).not.toBe(ds.fingerprint);
  });
});

describe('indicator bad input', () => {
  it('names the option and the fix', async () => {
    expect(() => ema('close', 0)).toThrow(/ema: period must be a whole number of rows >= 1, got 0/);
    expect(() => rsi('close', 2.5)).toThrow(InvalidOptionError);
    expect(() => macd('close', { fast: 26, slow: 12 })).toThrow(/macd: fast \(26\) must be shorter than slow \(12\)/);
    expect(() => bollinger('close', { k: -1 })).toThrow(/bollinger: k must be a finite number >= 0/);
    expect(() => ema('', 3)).toThrow(/ema: column must name a column/);
    expect(() => data.csv(BTC).indicators({})).toThrow(/indicators: expected \{ name: indicator \}/);
    expect(() => data.csv(BTC).indicators({ x: 3 as never })).toThrow(/'x' is not an indicator/);
    await expect(data.csv(BTC).indicators({ r: rsi('price', 14) }).collect()).rejects.toThrow(/price/);
    await expect(data.csv(BTC).indicators({ close: ema('close', 3) }).collect()).rejects.toThrow(/output column 'close' already exists \(ignoring case\) in the source; choose another name/);
    const dir = tempDir('ind');
    const file = writeText(dir, 'text.csv', 'close,note\n1,a\n2,b\n');
    await expect(data.csv(file).indicators({ e: ema('note', 2) }).collect()).rejects.toThrow(/column 'note' holds text/);
  });
});
