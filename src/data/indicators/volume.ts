import { columnName, period } from './check.js';
import { rowWise, type Indicator } from './types.js';

export interface VolumeColumns {
  readonly high?: string;
  readonly low?: string;
  readonly close?: string;
  readonly volume?: string;
}

/**
 * On-balance volume: 0 on the first row, then the running sum of +volume on an up close and
 * -volume on a down close. A row with a missing value gives NaN and is stepped over.
 */
export function obv(columns: VolumeColumns = {}): Indicator {
  const close = columnName('obv', 'close', columns.close ?? 'close');
  const volume = columnName('obv', 'volume', columns.volume ?? 'volume');
  return {
    label: 'obv',
    inputs: [close, volume],
    outputs: [''],
    start() {
      let prev = NaN;
      let total = 0;
      return rowWise(([c, v]) => {
        const cl = c as number;
        const vol = v as number;
        if (!(Number.isFinite(cl) && Number.isFinite(vol))) return NaN;
        if (cl > prev) total += vol;
        else if (cl < prev) total -= vol;
        prev = cl;
        return total;
      });
    },
  };
}

export interface VwapOptions extends VolumeColumns {
  /** Rows in a rolling window; absent: cumulative from the first row (as technicalindicators). */
  readonly period?: number;
}

/**
 * Volume-weighted average price of the typical price (high + low + close) / 3: cumulative from
 * the first row, or over the last `period` rows (each window summed afresh, so chunking never
 * changes a value). Rows with a missing value give NaN and are left out of the sums.
 */
export function vwap(opts: VwapOptions = {}): Indicator {
  const cols = ['high', 'low', 'close', 'volume'] as const;
  const names = cols.map((c) => columnName('vwap', c, opts[c] ?? c));
  const p = opts.period === undefined ? undefined : period('vwap', 'period', opts.period);
  const typical = (h: number, l: number, c: number): number => (h + l + c) / 3;
  return {
    label: p === undefined ? 'vwap' : `vwap(${p})`,
    inputs: names,
    outputs: [''],
    start() {
      if (p === undefined) {
        let pv = 0;
        let vol = 0;
        return rowWise(([h, l, c, v]) => {
          const tp = typical(h as number, l as number, c as number);
          if (!(Number.isFinite(tp) && Number.isFinite(v))) return NaN;
          pv += (v as number) * tp;
          vol += v as number;
          return pv / vol;
        });
      }
      // Rolling: the last p rows' price × volume and volume (NaN for a missing row: the window is NaN).
      const pvs: number[] = [];
      const vols: number[] = [];
      return rowWise(([h, l, c, v]) => {
        const tp = typical(h as number, l as number, c as number);
        pvs.push((v as number) * tp);
        vols.push(v as number);
        if (pvs.length > p) {
          pvs.shift();
          vols.shift();
        }
        if (pvs.length < p) return NaN;
        let a = 0;
        let b = 0;
        for (let i = 0; i < p; i++) {
          a += pvs[i] as number;
          b += vols[i] as number;
        }
        return a / b;
      });
    },
  };
}
