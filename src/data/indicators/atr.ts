import { SeededEma } from './averages.js';
import { columnName, period } from './check.js';
import { rowWise, type Indicator } from './types.js';

export interface OhlcColumns {
  readonly high?: string;
  readonly low?: string;
  readonly close?: string;
}

/**
 * Average true range: the true range max(high - low, |high - prev close|, |low - prev close|)
 * from the second row on, smoothed with Wilder's average seeded by the mean of the first
 * `period` true ranges (first value on row `period`). A row with a missing value gives NaN and
 * is stepped over.
 */
export function atr(n = 14, columns: OhlcColumns = {}): Indicator {
  const p = period('atr', 'period', n);
  const high = columnName('atr', 'high', columns.high ?? 'high');
  const low = columnName('atr', 'low', columns.low ?? 'low');
  const close = columnName('atr', 'close', columns.close ?? 'close');
  return {
    label: `atr(${p})`,
    inputs: [high, low, close],
    outputs: [''],
    start() {
      const avg = SeededEma.wilder(p);
      let prevClose = NaN;
      return rowWise(([h, l, c]) => {
        const hi = h as number;
        const lo = l as number;
        const cl = c as number;
        if (!(Number.isFinite(hi) && Number.isFinite(lo) && Number.isFinite(cl))) return NaN;
        const pc = prevClose;
        prevClose = cl;
        if (Number.isNaN(pc)) return NaN;
        return avg.next(Math.max(hi - lo, Math.abs(hi - pc), Math.abs(lo - pc)));
      });
    },
  };
}
