import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { csv } from '../data/csv.js';
import { windows } from '../data/windows/windows.js';
import type { WindowOptions } from '../data/windows/options.js';
import type { WindowDataset } from '../data/windows/window-dataset.js';
import { shutdown } from '../util/resources.js';
import { tune } from '../models/tune.js';
import { MedianPruner } from '../search/pruners/median.js';
import type { TuneResult } from '../models/tune-result.js';
import { recordsTable } from '../render/view-models/object.js';
import { toRenderDocument } from '../render/to-document.js';
import { documentOf, type RenderDocument } from '../render/table.js';
import { writeReportPage } from '../render/report/html-report.js';
import { show } from '../render/show.js';
import { systemStats } from '../monitor/system-stats.js';

export interface DemoOptions {
  readonly trials: number;
  readonly epochs: number;
  readonly workers: number | 'auto';
  readonly seed: number;
  readonly storage: string;
  readonly report: string;
  readonly models: readonly string[];
}

export const DEMO_DEFAULTS: DemoOptions = {
  trials: 10,
  epochs: 20,
  workers: 'auto',
  seed: 7,
  storage: 'level:.tunelab',
  report: 'tunelab-report.html',
  models: ['linear', 'mlp', 'lstm', 'gru', 'cnn'],
};

/** The bundled BTC daily file, found beside the package whether it runs from src/ or dist/. */
export function bundledBtcFile(): string {
  for (const rel of ['../../datasets/btc-usd-1d.csv', '../datasets/btc-usd-1d.csv']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return resolve('datasets/btc-usd-1d.csv');
}

/** The demo's windows: next-day close from 30 days of OHLCV, log returns, z-scores fitted on train, 70/15/15. */
export const DEMO_WINDOWS: WindowOptions = {
  target: 'close',
  features: ['open', 'high', 'low', 'close', 'volume'],
  lookback: 30,
  horizon: 1,
  transform: 'logReturn',
  scale: 'zscore',
  split: { val: 0.15, test: 0.15 },
};

/**
 * The demo selects on 4 walk-forward folds (each validation block 10% of the non-test samples,
 * an expanding training window) and tests on the last 15%, never seen in selection.
 */
export const DEMO_WALK_FORWARD = { folds: 4, val: 0.1, test: 0.15 } as const;

/** The demo's dataset (benchmarks use the same one): DEMO_WINDOWS with the walk-forward folds instead of one split. */
export function demoDataset(file = bundledBtcFile()): Promise<WindowDataset> {
  const { split: _split, ...rest } = DEMO_WINDOWS;
  return windows(csv(file), { ...rest, walkForward: DEMO_WALK_FORWARD });
}

/** Trading costs the demo's backtest pays on every position change: 0.1%, a typical exchange taker fee. */
export const DEMO_FEE = 0.001;

/** Per family: the Diebold–Mariano test against persistence and the backtest net of fees beside buy-and-hold. */
export async function researchTable(result: TuneResult, fee = DEMO_FEE): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  for (const row of result.rows) {
    if (!row.testForecast) continue;
    const dm = await result.compare(row.family, { against: 'persistence' });
    const bt = await result.backtest(row.family, { fee });
    rows.push({
      model: row.family,
      'test RMSE': Number(row.test!.rmse.toPrecision(5)),
      'RMSE, persistence': Number(row.persistence.rmse.toPrecision(5)),
      'DM statistic': Number(dm.statistic.toFixed(2)),
      'DM p-value': Number.isFinite(dm.pValue) ? Number(dm.pValue.toPrecision(2)) : '—',
      Sharpe: Number(bt.sharpe.toFixed(2)),
      'total return': pct(bt.totalReturn),
      'max drawdown': pct(bt.maxDrawdown),
      trades: bt.trades,
      'buy & hold Sharpe': Number(bt.buyAndHold.sharpe.toFixed(2)),
      'buy & hold return': pct(bt.buyAndHold.totalReturn),
      'buy & hold max drawdown': pct(bt.buyAndHold.maxDrawdown),
    });
  }
  return rows;
}

/** Records with a title, as show() and the report render them. */
function titled(records: Array<Record<string, string | number>>, options: { readonly title: string }): { [toRenderDocument](): RenderDocument } {
  return { [toRenderDocument]: () => documentOf(recordsTable(records, options)) };
}

/** Plain words on the table: which families, if any, beat persistence at the 5% level, and what that means. */
export async function verdict(result: TuneResult): Promise<string> {
  const better: string[] = [];
  const worse: string[] = [];
  for (const row of result.rows) {
    if (!row.testForecast) continue;
    const dm = await result.compare(row.family, { against: 'persistence' });
    if (dm.pValue < 0.05) (dm.lossDiffMean < 0 ? better : worse).push(`${row.family} (p = ${dm.pValue.toPrecision(2)})`);
  }
  const lines = [
    better.length === 0
      ? 'No family forecasts the next close significantly better than persistence (Diebold–Mariano, HLN-corrected, 5% level, test part).'
      : `Significantly better than persistence at the 5% level: ${better.join(', ')}.`,
  ];
  if (worse.length > 0) lines.push(`Significantly worse than persistence: ${worse.join(', ')}.`);
  lines.push(
    'Daily BTC closes are close to a random walk: a price forecast can barely beat "tomorrow = today", and a backtest over one test period is one path, not proof of an edge. Read the Sharpe ratios beside buy-and-hold, net of fees, with that in mind.',
  );
  return lines.join('\n');
}

/**
 * The main job: tune five model families for next-day BTC forecasting on the bundled data, on the
 * embedded default storage (re-running resumes and replays instead of recomputing), print the
 * comparison with the naive baselines and write an HTML report with the plots.
 */
export async function demo(options: Partial<DemoOptions> = {}): Promise<void> {
  const o = { ...DEMO_DEFAULTS, ...options };
  const started = Date.now();
  const file = bundledBtcFile();
  console.log(`tunelab demo: ${o.models.join(', ')} on ${file}\n  ${o.trials} trials per family, ${o.epochs} epochs max (early stopping, median pruning), ${o.workers} workers, seed ${o.seed}, storage ${o.storage}`);
  const ds = await demoDataset(file);
  console.log(`  ${inspect(ds)}`);
  const result = await tune(ds).models(o.models).trials(o.trials).epochs(o.epochs).workers(o.workers).seed(o.seed).storage(o.storage).name(`demo-btc-wf-${o.seed}`)
    // Prune by fold: after 3 trials, a configuration whose first fold is worse than the median stops there.
    .pruner(new MedianPruner({ nStartupTrials: 3, nWarmupSteps: 0 }))
    .run();
  show(result);
  const research = await researchTable(result);
  show(titled(research, { title: `Test part: Diebold–Mariano against persistence, and the forecast traded (long/short on its sign, ${(100 * DEMO_FEE).toFixed(1)}% fee per trade) beside buy-and-hold` }));
  const words = await verdict(result);
  console.log(`\n${words}`);
  const report = await writeReportPage(o.report, 'tunelab demo: next-day BTC close', [
    { title: 'Comparison with the naive baselines', tables: [result] },
    { title: 'Significance and backtest (test part)', tables: [titled(research, { title: words })] },
    { title: 'Studies', studies: result.rows.map((r) => result.study(r.family)) },
    { title: 'System', tables: [systemStats()] },
  ]);
  console.log(`\nreport: ${report}\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await shutdown();
}
