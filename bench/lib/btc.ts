import { csv } from '../../src/data/csv.js';
import { windows } from '../../src/data/windows/windows.js';
import type { WindowDataset } from '../../src/data/windows/window-dataset.js';
import { bundledBtcFile } from '../../src/cli/demo.js';

/** The demo's dataset (src/cli/demo.ts): bundled BTC daily, lookback 30, log returns, z-scores, 70/15/15. */
export function demoDataset(): Promise<WindowDataset> {
  return windows(csv(bundledBtcFile()), {
    target: 'close',
    features: ['open', 'high', 'low', 'close', 'volume'],
    lookback: 30,
    horizon: 1,
    transform: 'logReturn',
    scale: 'zscore',
    split: { val: 0.15, test: 0.15 },
  });
}

/** Peak resident set of this process (threads included), in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
