import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { data, plot, show, InvalidOptionError } from '../../src/index.js';
import { backtestForecast, backtestSignal } from '../../src/models/backtest.js';
import { textRenderer } from '../../src/render/text.js';
import { toDocument } from '../../src/render/to-document.js';
import { BTC, tempDir, writeText } from '../data/helpers.js';
import type { WindowDataset } from '../../src/data/windows/window-dataset.js';

const btc = (): Promise<WindowDataset> =>
  data.windows(data.csv(BTC), { target: 'close', lookback: 5, transform: 'logReturn', scale: 'zscore', split: { val: 0.15, test: 0.2 } });

/** Prices that a forecast of returns `r[s]` from each sample's base means. */
function pricesFrom(ds: WindowDataset, r: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: ds.test.count }, (_, s) => (ds.test.base[s] as number) * (1 + (r[s] as number)));
}

function realized(ds: WindowDataset): Float64Array {
  const actual = ds.actualTarget('test');
  return Float64Array.from({ length: ds.test.count }, (_, s) => (actual[s] as number) / (ds.test.base[s] as number) - 1);
}

describe('backtest of a forecast', () => {
  it('only the forecast of the coming period is perfect: shifted by a step either way it is not', async () => {
    const ds = await btc();
    const r = realized(ds);
    const oracle = backtestForecast(ds, 'test', ds.actualTarget('test'), 'oracle');
    const moved = r.filter((x) => x !== 0).length;
    expect(oracle.hitRate).toBe(1);
    expect([...oracle.net].every((x) => x >= 0)).toBe(true);
    // Every period earns |return|: the compounded absolute returns, nothing more.
    const perfect = r.reduce((e, x) => e * (1 + Math.abs(x)), 1) - 1;
    expect(oracle.totalReturn).toBeCloseTo(perfect, 8);
    expect(oracle.maxDrawdown).toBe(0);
    expect(oracle.totalReturn).toBeGreaterThan(oracle.buyAndHold.totalReturn);
    expect(moved).toBeGreaterThan(200);
    // Yesterday's return (known at the close) and tomorrow's next one (one step too far): ordinary results.
    const lagged = backtestForecast(ds, 'test', pricesFrom(ds, Float64Array.from(r, (_, s) => (s > 0 ? (r[s - 1] as number) : 0))), 'lagged');
    const ahead = backtestForecast(ds, 'test', pricesFrom(ds, Float64Array.from(r, (_, s) => r[s + 1] ?? 0)), 'one too far');
    for (const bt of [lagged, ahead]) {
      expect(bt.hitRate).toBeGreaterThan(0.35);
      expect(bt.hitRate).toBeLessThan(0.65);
      expect(bt.totalReturn).toBeLessThan(oracle.totalReturn / 10);
    }
  });

  it('never looks ahead: changing the forecast made at period k changes nothing before k', async () => {
    const ds = await btc();
    const r = realized(ds);
    const n = ds.test.count;
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: n, maxLength: n }), fc.nat(n - 1), fc.double({ min: -0.1, max: 0.1, noNaN: true }), (f, k, other) => {
        const a = backtestForecast(ds, 'test', pricesFrom(ds, f), 'a', { fee: 0.001 });
        const g = [...f];
        g[k] = other;
        const b = backtestForecast(ds, 'test', pricesFrom(ds, g), 'b', { fee: 0.001 });
        expect([...b.net.subarray(0, k)]).toEqual([...a.net.subarray(0, k)]);
        expect([...b.equity.subarray(0, k)]).toEqual([...a.equity.subarray(0, k)]);
        // Period k's result is the new position times period k's own return, less costs.
        if (Math.abs(other) > 1e-9) expect(b.positions[k]).toBe(Math.sign(other));
        expect(b.net[k]).toBeCloseTo((b.positions[k] as number) * (r[k] as number) - 0.001 * Math.abs((b.positions[k] as number) - (k > 0 ? (b.positions[k - 1] as number) : 0)), 14);
        expect(b.maxDrawdown).toBeLessThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it('charges fee + slippage on every position change, the entry included', () => {
    const fore = [0.01, -0.01, 0.02, 0.03, -0.02, 0, 0.01];
    const real = [0.02, -0.01, 0.005, -0.01, 0.03, 0.01, -0.02];
    const gross = backtestSignal(fore, real, { periodsPerYear: 365 });
    const net = backtestSignal(fore, real, { fee: 0.001, slippage: 0.0005, periodsPerYear: 365 });
    // positions 1, -1, 1, 1, -1, 0, 1: changes 1 + 2 + 2 + 0 + 2 + 1 + 1
    expect([...net.positions]).toEqual([1, -1, 1, 1, -1, 0, 1]);
    expect(net.turnover).toBe(9);
    expect(net.trades).toBe(6);
    const paid = gross.net.reduce((s, x, i) => s + x - (net.net[i] as number), 0);
    expect(paid).toBeCloseTo(0.0015 * 9, 15);
    const longOnly = backtestSignal(fore, real, { position: 'long-only', periodsPerYear: 365 });
    expect([...longOnly.positions]).toEqual([1, 0, 1, 1, 0, 0, 1]);
    expect(longOnly.hitRate).toBeCloseTo(2 / 4, 15);
  });

  it('annualizes from the data’s own interval, and buy-and-hold pays for its one entry', async () => {
    const ds = await btc();
    const bt = backtestForecast(ds, 'test', ds.actualTarget('test'), 'oracle', { fee: 0.001 });
    expect(bt.periodsPerYear).toBeCloseTo(365.25, 6);
    const quarterly = backtestForecast(ds, 'test', ds.actualTarget('test'), 'oracle', { fee: 0.001, periodsPerYear: 365.25 * 4 });
    expect(quarterly.sharpe / bt.sharpe).toBeCloseTo(2, 12);
    const r = realized(ds);
    expect(bt.buyAndHold.totalReturn).toBeCloseTo(((1 + (r[0] as number) - 0.001) / (1 + (r[0] as number))) * r.reduce((e, x) => e * (1 + x), 1) - 1, 10);
    expect(bt.buyAndHold.maxDrawdown).toBeLessThan(0);
  });

  it('shows as a table and plots the equity beside buy-and-hold', async () => {
    const ds = await btc();
    const bt = backtestForecast(ds, 'test', pricesFrom(ds, Float64Array.from(realized(ds), (_, s) => (s % 3) - 1)), 'noise', { fee: 0.001 });
    const text = textRenderer.render(toDocument(bt)!);
    expect(text).toMatch(/Backtest over \d+ periods \(365\/year\), position 'sign', costs 0\.10% per unit traded/);
    expect(text).toMatch(/noise[\s\S]*buy and hold/);
    const shown: string[] = [];
    show(bt, { display: { html: (h: string) => shown.push(h), svg: () => undefined } as never });
    expect(shown.join('')).toMatch(/<table[\s\S]*max drawdown/);
    const p = await plot.equity(bt, { display: false });
    expect(p.data.series).toEqual(['noise', 'buy and hold']);
    expect(p.data.timeAxis).toBe(true);
    expect(p.data.points).toHaveLength(2 * ds.test.count);
    expect(p.svg).toMatch(/^<svg[\s\S]*buy and hold[\s\S]*<\/svg>$/);
    await expect(plot.equity({ nope: 1 }, { display: false })).rejects.toThrow(/plot\.equity\(backtest\): expected the result of/);
  });

  it('rejects data it cannot trade and bad options, naming the fix', async () => {
    const dir = tempDir('bt');
    const rows = Array.from({ length: 80 }, (_, i) => `${(Math.sin(i / 5) * 10).toFixed(3)}`);
    const noTime = await data.windows(data.csv(writeText(dir, 'no-time.csv', `close\n${rows.map((r) => Number(r) + 100).join('\n')}\n`)), { target: 'close', lookback: 3 });
    expect(() => backtestForecast(noTime, 'test', noTime.actualTarget('test'), 'x')).toThrow(/needs the data's timestamps to annualize: give data\.windows a time column \(option `time`\), or pass periodsPerYear/);
    expect(backtestForecast(noTime, 'test', noTime.actualTarget('test'), 'x', { periodsPerYear: 365 }).hitRate).toBe(1);
    const dates = Array.from({ length: 80 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
    const spread = await data.windows(data.csv(writeText(dir, 'spread.csv', `date,spread\n${rows.map((r, i) => `${dates[i]},${r}`).join('\n')}\n`)), { target: 'spread', lookback: 3 });
    expect(() => backtestForecast(spread, 'test', spread.actualTarget('test'), 'x')).toThrow(/needs the target 'spread' to be a price \(finite and > 0\)/);
    const ds = await btc();
    const f = ds.actualTarget('test');
    expect(() => backtestForecast(ds, 'test', f, 'x', { fee: 0.5 * 3 })).toThrow(/fee must be a fraction in \[0, 1\)/);
    expect(() => backtestForecast(ds, 'test', f, 'x', { slippage: -1 })).toThrow(InvalidOptionError);
    expect(() => backtestForecast(ds, 'test', f, 'x', { position: 'short-only' as never })).toThrow(/position must be 'sign' \(long or short\) or 'long-only'/);
    expect(() => backtestForecast(ds, 'test', f.subarray(1), 'x')).toThrow(/forecasts for \d+ samples/);
  });
});
