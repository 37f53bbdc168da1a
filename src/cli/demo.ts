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

/** The demo's dataset (benchmarks and tests use the same one). */
export function demoDataset(file = bundledBtcFile()): Promise<WindowDataset> {
  return windows(csv(file), DEMO_WINDOWS);
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
  const result = await tune(ds).models(o.models).trials(o.trials).epochs(o.epochs).workers(o.workers).seed(o.seed).storage(o.storage).name(`demo-btc-${o.seed}`).run();
  show(result);
  const report = await writeReportPage(o.report, 'tunelab demo: next-day BTC close', [
    { title: 'Comparison with the naive baselines', tables: [result] },
    { title: 'Studies', studies: result.rows.map((r) => result.study(r.family)) },
    { title: 'System', tables: [systemStats()] },
  ]);
  console.log(`\nreport: ${report}\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await shutdown();
}
