import { SeededEma } from './averages.js';
import { columnName, period } from './check.js';
import { rowWise, type Indicator } from './types.js';

/**
 * Wilder's relative strength index, 0..100: average gain and loss over `period` changes with
 * Wilder's smoothing, seeded with their simple means; first value on row `period`. 100 when
 * there was no loss, 0 when there was no gain. A missing value gives NaN and is stepped over.
 */
export function rsi(column: string, n = 14): Indicator {
  const p = period('rsi', 'period', n);
  return {
    label: `rsi(${columnName('rsi', 'column', column)}, ${p})`,
    inputs: [column],
    outputs: [''],
    start() {
      const gain = SeededEma.wilder(p);
      const loss = SeededEma.wilder(p);
      let prev = NaN;
      return rowWise(([x]) => {
        const cur = x as number;
        if (!Number.isFinite(cur)) return NaN;
        const change = cur - prev;
        const first = Number.isNaN(prev);
        prev = cur;
        if (first) return NaN;
        const g = gain.next(change > 0 ? change : 0);
        const l = loss.next(change < 0 ? -change : 0);
        if (Number.isNaN(g) || Number.isNaN(l)) return NaN;
        if (l === 0) return 100;
        if (g === 0) return 0;
        return 100 - 100 / (1 + g / l);
      });
    },
  };
}
