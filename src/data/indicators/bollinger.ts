import { InvalidOptionError } from '../../errors.js';
import { columnName, period } from './check.js';
import type { Indicator } from './types.js';

export interface BollingerOptions {
  /** Rows in the window (default 20). */
  readonly period?: number;
  /** Band width in standard deviations (default 2). */
  readonly k?: number;
}

/**
 * Bollinger bands: the mean of the last `period` values and that mean ± k population standard
 * deviations (as TA-Lib and technicalindicators). Outputs `name_middle`, `name_upper`,
 * `name_lower`; NaN until a full window, and for any window holding a missing value. Each window
 * is summed afresh (not with a running sum), so a row's value never depends on chunk boundaries.
 */
export function bollinger(column: string, opts: BollingerOptions = {}): Indicator {
  const p = period('bollinger', 'period', opts.period ?? 20);
  const k = opts.k ?? 2;
  if (!(Number.isFinite(k) && k >= 0)) throw new InvalidOptionError(`bollinger: k must be a finite number >= 0 (standard deviations), got ${String(k)}`);
  return {
    label: `bollinger(${columnName('bollinger', 'column', column)}, ${p}, ${k})`,
    inputs: [column],
    outputs: ['_middle', '_upper', '_lower'],
    start() {
      // The last p-1 values seen, oldest first, carried into the next chunk.
      let tail = new Float64Array(0);
      return {
        push([values], n) {
          const all = new Float64Array(tail.length + n);
          all.set(tail);
          all.set((values as Float64Array).subarray(0, n), tail.length);
          const middle = new Float64Array(n);
          const upper = new Float64Array(n);
          const lower = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const to = tail.length + i + 1;
            if (to < p) {
              middle[i] = upper[i] = lower[i] = NaN;
              continue;
            }
            let sum = 0;
            for (let j = to - p; j < to; j++) sum += all[j] as number;
            const mean = sum / p;
            let ss = 0;
            for (let j = to - p; j < to; j++) ss += ((all[j] as number) - mean) ** 2;
            const sd = Math.sqrt(ss / p);
            middle[i] = mean;
            upper[i] = mean + k * sd;
            lower[i] = mean - k * sd;
          }
          tail = all.slice(Math.max(0, all.length - (p - 1)));
          return [middle, upper, lower];
        },
      };
    },
  };
}
