import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { data, tune, show, InvalidOptionError } from '../../src/index.js';
import { textRenderer } from '../../src/render/text.js';
import { DEMO_WINDOWS } from '../../src/cli/demo.js';
import { toDocument } from '../../src/render/to-document.js';

const BTC = fileURLToPath(new URL('../../datasets/btc-usd-1d.csv', import.meta.url));

async function btcWindows() {
  // The demo's windows with a shorter lookback, to keep the test quick.
  return data.windows(data.csv(BTC), { ...DEMO_WINDOWS, lookback: 10 });
}

describe('tune()', () => {
  it('tunes families on the bundled BTC data and compares them with the baselines', async () => {
    const ds = await btcWindows();
    const result = await tune(ds).models(['linear', 'mlp']).trials(3).epochs(3).patience(2).seed(1).storage('memory:').cache(false).progress(false).name(`tune-test-${process.pid}`).run();
    expect(result.rows.map((r) => r.family)).toEqual(['linear', 'mlp']);
    for (const row of result.rows) {
      expect(row.complete + row.pruned + row.failed).toBe(3);
      expect(row.failed).toBe(0);
      expect(row.leakedTensors).toBe(0);
      expect(row.bestValLoss).toBeGreaterThan(0);
      expect(row.test?.rmse).toBeGreaterThan(0);
      // Daily BTC closes in price units: errors are dollars, not scaled units.
      expect(row.persistence.rmse).toBeGreaterThan(100);
      expect(row.test!.rmse / row.persistence.rmse).toBeLessThan(3);
    }
    for (const row of result.rows) expect(row.backend).toBe(result.backend);
    const table = result.table();
    expect(Object.keys(table[0]!)).toEqual(expect.arrayContaining(['model', 'val loss', 'test RMSE', 'direction hit %', 'beats zero return (val)', 'beats persistence (test RMSE)', 'trial time (s)']));
    // Each baseline once, as its own row at the end; every family says whether it beat them.
    expect(table.slice(-2).map((r) => r['model'])).toEqual(['baseline: zero return', 'baseline: persistence']);
    expect(table.filter((r) => r['model'] === 'baseline: persistence')).toHaveLength(1);
    for (const r of table.slice(0, -2)) expect(['✓', '✗', '—']).toContain(r['beats persistence (test RMSE)']);
    const text = textRenderer.render(toDocument(result)!);
    expect(text).toMatch(/Model comparison/);
    expect(text).toMatch(/zero return/);
    expect(text).toMatch(/tuning\s+[\d.]+ s wall, in the calling thread/);
    expect(result.tuningSeconds).toBeGreaterThan(0);
    expect(inspect(result)).toMatch(/^TuneResult\(2 families on \w+; val loss: linear/);
    const shown: string[] = [];
    show(result, { display: { html: (h: string) => shown.push(h), svg: () => undefined } as never });
    expect(shown.join('')).toMatch(/<table[\s\S]*test RMSE[\s\S]*baseline: persistence/);
    const model = await result.refit(result.best.family);
    const forecast = model.forecast('test');
    expect(forecast).toHaveLength(ds.test.count);
    expect(forecast.every((v) => v > 100 && v < 100_000)).toBe(true);
    model.dispose();
  }, 240_000);

  it('runs the families side by side over one pool of workers, each with its own trials', async () => {
    const ds = await btcWindows();
    const settings = (name: string) => tune(ds).models(['linear', 'mlp']).trials(4).epochs(1).seed(2).storage('memory:').cache(false).progress(false).name(`${name}-${process.pid}`);
    const inTurn = await settings('tune-in-turn').run();
    const oneWorker = await settings('tune-one-worker').workers(1).run();
    // One worker: each family's sampler sees only its own finished trials, as in turn.
    for (const family of ['linear', 'mlp']) {
      expect(oneWorker.study(family).trials.map((t) => t.params)).toEqual(inTurn.study(family).trials.map((t) => t.params));
    }
    const twoWorkers = await settings('tune-two-workers').workers(2).run();
    const linear = twoWorkers.study('linear').trials;
    const mlp = twoWorkers.study('mlp').trials;
    expect(linear).toHaveLength(4);
    expect(mlp).toHaveLength(4);
    expect([...linear, ...mlp].every((t) => t.state === 'COMPLETE')).toBe(true);
    // Every family's context reached the workers: each family's trials have its own parameters.
    expect(Object.keys(mlp[0]!.params)).not.toEqual(Object.keys(linear[0]!.params));
    // One pool: both families' trials ran on at most two worker threads (a pool per family would use
    // four; whether a slow-starting worker gets a trial at all is up to the machine) ...
    expect(new Set([...linear, ...mlp].map((t) => t.systemAttrs['worker'])).size).toBeLessThanOrEqual(2);
    // ... at the same time: mlp's first trial began before linear's last one ended.
    const firstMlpStart = Math.min(...mlp.map((t) => t.datetimeStart!.getTime()));
    const lastLinearEnd = Math.max(...linear.map((t) => t.datetimeComplete!.getTime()));
    expect(firstMlpStart).toBeLessThan(lastLinearEnd);
    // A family's time is what its own trials took, not its overlapping wall time.
    for (const row of twoWorkers.rows) {
      const trials = twoWorkers.study(row.family).trials;
      expect(row.seconds).toBeCloseTo(trials.reduce((s, t) => s + (t.durationMs ?? 0), 0) / 1000, 3);
    }
  }, 240_000);

  it('rejects bad settings by name', async () => {
    const ds = await btcWindows();
    expect(() => tune(ds).models(['transformer'])).toThrow(/unknown model family 'transformer'; known families: linear, mlp, lstm, gru, cnn/);
    expect(() => tune(ds).trials(0)).toThrow(InvalidOptionError);
    expect(() => tune({} as never)).toThrow(/expected a WindowDataset/);
  });
});
