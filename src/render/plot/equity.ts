import { InvalidOptionError } from '../../errors.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';

/** What plot.equity draws: a backtest's equity beside buy-and-hold's (tune's `result.backtest(...)` gives one). */
export interface EquitySource {
  readonly label?: string;
  readonly equity: ArrayLike<number>;
  /** Time (ms) at the end of each period; absent: periods are numbered. */
  readonly times?: ArrayLike<number> | undefined;
  readonly totalReturn?: number;
  readonly maxDrawdown?: number;
  readonly buyAndHold?: { readonly equity: ArrayLike<number>; readonly totalReturn?: number };
}

export interface EquityData {
  readonly title: string;
  readonly subtitle: string;
  readonly timeAxis: boolean;
  readonly series: readonly string[];
  /** x is a time (ms) or a period number; equity starts at 1. */
  readonly points: readonly { readonly x: number; readonly series: string; readonly equity: number }[];
}

function isEquitySource(x: unknown): x is EquitySource {
  const e = (x as EquitySource | undefined)?.equity;
  return typeof x === 'object' && x !== null && e !== undefined && typeof e.length === 'number';
}

export function equityData(source: unknown, options: { readonly title?: string } = {}): EquityData {
  if (!isEquitySource(source)) throw new InvalidOptionError('plot.equity(backtest): expected the result of `await result.backtest(family, { fee })`, or { equity, times?, buyAndHold? }');
  const label = source.label ?? 'strategy';
  const times = source.times;
  const timeAxis = times !== undefined && times.length === source.equity.length;
  const xAt = (i: number): number => (timeAxis ? (times[i] as number) : i + 1);
  const points: Array<{ x: number; series: string; equity: number }> = [];
  const series = [label];
  const add = (name: string, equity: ArrayLike<number>): void => {
    for (let i = 0; i < equity.length; i++) {
      const v = equity[i] as number;
      if (Number.isFinite(v)) points.push({ x: xAt(i), series: name, equity: v });
    }
  };
  add(label, source.equity);
  if (source.buyAndHold) {
    series.push('buy and hold');
    add('buy and hold', source.buyAndHold.equity);
  }
  const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(1)}%`);
  const subtitle = `${label} ${pct(source.totalReturn)}${source.maxDrawdown === undefined ? '' : ` (max drawdown ${pct(source.maxDrawdown)})`}${source.buyAndHold ? `, buy and hold ${pct(source.buyAndHold.totalReturn)}` : ''}`;
  return { title: options.title ?? 'Equity, net of costs', subtitle, timeAxis, series, points };
}

export function equitySpec(data: EquityData): VegaLiteSpec {
  return {
    ...baseSpec(data.title, data.subtitle),
    data: { values: data.points },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: data.timeAxis ? { field: 'x', type: 'temporal', title: null } : { field: 'x', type: 'quantitative', title: 'period' },
      y: { field: 'equity', type: 'quantitative', title: 'equity (start = 1)', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: data.series },
    },
  };
}
