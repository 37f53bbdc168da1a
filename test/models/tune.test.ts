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
    expect(Object.keys(table[0]!)).toEqual(expect.arrayContaining(['model', 'val loss', 'val loss, zero return', 'test RMSE', 'RMSE, persistence', 'direction hit %']));
    const text = textRenderer.render(toDocument(result)!);
    expect(text).toMatch(/Model comparison/);
    expect(text).toMatch(/zero return/);
    expect(inspect(result)).toMatch(/^TuneResult\(2 families on \w+; val loss: linear/);
    const shown: string[] = [];
    show(result, { display: { html: (h: string) => shown.push(h), svg: () => undefined } as never });
    expect(shown.join('')).toMatch(/<table[\s\S]*test RMSE[\s\S]*RMSE, persistence/);
    const model = await result.refit(result.best.family);
    const forecast = model.forecast('test');
    expect(forecast).toHaveLength(ds.test.count);
    expect(forecast.every((v) => v > 100 && v < 100_000)).toBe(true);
    model.dispose();
  }, 240_000);

  it('rejects bad settings by name', async () => {
    const ds = await btcWindows();
    expect(() => tune(ds).models(['transformer'])).toThrow(/unknown model family 'transformer'; known families: linear, mlp, lstm, gru, cnn/);
    expect(() => tune(ds).trials(0)).toThrow(InvalidOptionError);
    expect(() => tune({} as never)).toThrow(/expected a WindowDataset/);
  });
});
