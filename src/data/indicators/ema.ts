import { SeededEma } from './averages.js';
import { columnName, period } from './check.js';
import { rowWise, type Indicator } from './types.js';

/** Exponential moving average, alpha 2/(period+1), seeded with the mean of the first `period` values (NaN before). */
export function ema(column: string, n: number): Indicator {
  const p = period('ema', 'period', n);
  return {
    label: `ema(${columnName('ema', 'column', column)}, ${p})`,
    inputs: [column],
    outputs: [''],
    start() {
      const avg = SeededEma.ema(p);
      return rowWise(([x]) => avg.next(x as number));
    },
  };
}
