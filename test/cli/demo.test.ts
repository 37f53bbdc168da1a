import { describe, expect, it } from 'vitest';
import { data, tune, NopPruner } from '../../src/index.js';
import { DEMO_WALK_FORWARD, demoDataset, researchTable, verdict } from '../../src/cli/demo.js';
import { BTC } from '../data/helpers.js';

describe('the demo', () => {
  it('selects on 4 walk-forward folds and holds the test part out', async () => {
    const ds = await demoDataset();
    expect(DEMO_WALK_FORWARD.folds).toBe(4);
    expect(ds.folds).toHaveLength(4);
    for (const f of ds.folds) expect(f.val.anchors[f.val.count - 1]!).toBeLessThan(ds.test.anchors[0]!);
  });

  it('reports DM p-values and the backtest beside buy-and-hold, and says in words whether any family beats persistence', async () => {
    const ds = await data.windows(data.csv(BTC), { target: 'close', lookback: 5, transform: 'logReturn', scale: 'zscore', walkForward: { folds: 2, val: 0.1, test: 0.15 } });
    const result = await tune(ds).models(['linear']).trials(2).epochs(2).seed(2).storage('memory:').cache(false).progress(false).pruner(new NopPruner()).name(`demo-test-${process.pid}`).run();
    const rows = await researchTable(result);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(['model', 'test RMSE', 'RMSE, persistence', 'DM statistic', 'DM p-value', 'Sharpe', 'total return', 'max drawdown', 'trades', 'buy & hold Sharpe', 'buy & hold return', 'buy & hold max drawdown']);
    const dm = await result.compare('linear');
    expect(rows[0]!['DM p-value']).toBe(Number(dm.pValue.toPrecision(2)));
    const words = await verdict(result);
    if (dm.pValue < 0.05 && dm.lossDiffMean < 0) expect(words).toMatch(/^Significantly better than persistence at the 5% level: linear \(p = /);
    else expect(words).toMatch(/^No family forecasts the next close significantly better than persistence/);
    if (dm.pValue < 0.05 && dm.lossDiffMean > 0) expect(words).toMatch(/Significantly worse than persistence: linear \(p = /);
    else expect(words).not.toMatch(/worse/);
    expect(words).toMatch(/close to a random walk/);
  }, 120_000);
});
