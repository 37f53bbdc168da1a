import { InvalidOptionError } from '../../errors.js';
import { SeededEma } from './averages.js';
import { columnName, period } from './check.js';
import type { Indicator } from './types.js';

export interface MacdOptions {
  readonly fast?: number;
  readonly slow?: number;
  readonly signal?: number;
}

/**
 * MACD: EMA(fast) - EMA(slow) of the column (first value on row slow-1), its signal line (an EMA
 * of the MACD over `signal` values) and the histogram MACD - signal. Outputs `name`,
 * `name_signal`, `name_hist`. Defaults 12, 26, 9.
 */
export function macd(column: string, opts: MacdOptions = {}): Indicator {
  const fast = period('macd', 'fast', opts.fast ?? 12);
  const slow = period('macd', 'slow', opts.slow ?? 26);
  const signal = period('macd', 'signal', opts.signal ?? 9);
  if (fast >= slow) throw new InvalidOptionError(`macd: fast (${fast}) must be shorter than slow (${slow}); the defaults are 12 and 26`);
  return {
    label: `macd(${columnName('macd', 'column', column)}, ${fast}, ${slow}, ${signal})`,
    inputs: [column],
    outputs: ['', '_signal', '_hist'],
    start() {
      const f = SeededEma.ema(fast);
      const s = SeededEma.ema(slow);
      const sig = SeededEma.ema(signal);
      return {
        push([values], n) {
          const line = new Float64Array(n);
          const signalLine = new Float64Array(n);
          const hist = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const x = (values as Float64Array)[i] as number;
            const fv = f.next(x);
            const sv = s.next(x);
            const m = Number.isNaN(sv) ? NaN : fv - sv;
            const g = Number.isNaN(m) ? NaN : sig.next(m);
            line[i] = m;
            signalLine[i] = g;
            hist[i] = m - g;
          }
          return [line, signalLine, hist];
        },
      };
    },
  };
}
