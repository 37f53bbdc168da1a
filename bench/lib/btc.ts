// The demo's dataset (src/cli/demo.ts): bundled BTC daily, lookback 30, log returns, z-scores, 70/15/15.
export { demoDataset } from '../../src/cli/demo.js';

/** Peak resident set of this process (threads included), in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
