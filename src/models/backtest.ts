import { inspect } from 'node:util';
import { InvalidOptionError } from '../errors.js';
import type { PartName, WindowDataset } from '../data/windows/window-dataset.js';
import { toRenderDocument } from '../render/to-document.js';
import { documentOf, type RenderDocument } from '../render/table.js';
import { recordsTable } from '../render/view-models/object.js';
import { unscaleValue } from '../data/windows/scaler.js';
import type { TradingData } from './model-data.js';

export type PositionRule = 'sign' | 'long-only';

export interface BacktestOptions {
  /** Cost per unit of position change, as a fraction (0.001 = 0.1%); default 0. */
  readonly fee?: number;
  /** Extra cost per unit of position change (the price moving against the order), as a fraction; default 0. */
  readonly slippage?: number;
  /** 'sign': long when the forecast return is positive, short when negative (default); 'long-only': long or flat. */
  readonly position?: PositionRule;
  /** Periods per year for annualizing; default: from the median spacing of the data's own timestamps. */
  readonly periodsPerYear?: number;
}

export interface StrategyFigures {
  /** Annualized: mean / standard deviation of the period returns × √(periods per year). */
  readonly sharpe: number;
  /** Annualized: mean / downside deviation (root mean square of the negative returns) × √(periods per year). */
  readonly sortino: number;
  readonly totalReturn: number;
  /** Worst fall of equity from its running peak (the start counts as a peak), ≤ 0. */
  readonly maxDrawdown: number;
  /** Equity after each period, starting from 1. */
  readonly equity: Float64Array;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Annualized figures of a series of period returns (net of costs). */
export function strategyFigures(net: ArrayLike<number>, periodsPerYear: number): StrategyFigures {
  const n = net.length;
  const equity = new Float64Array(n);
  let level = 1;
  let peak = 1;
  let maxDrawdown = 0;
  let sum = 0;
  let downside = 0;
  for (let i = 0; i < n; i++) {
    const r = net[i] as number;
    level *= 1 + r;
    equity[i] = level;
    if (level > peak) peak = level;
    maxDrawdown = Math.min(maxDrawdown, level / peak - 1);
    sum += r;
    if (r < 0) downside += r * r;
  }
  const mean = n === 0 ? NaN : sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((net[i] as number) - mean) ** 2;
  const sd = n < 2 ? NaN : Math.sqrt(ss / (n - 1));
  const dd = n === 0 ? NaN : Math.sqrt(downside / n);
  const annual = Math.sqrt(periodsPerYear);
  return {
    sharpe: sd > 0 ? (mean / sd) * annual : NaN,
    sortino: dd > 0 ? (mean / dd) * annual : mean > 0 ? Infinity : NaN,
    totalReturn: level - 1,
    maxDrawdown,
    equity,
  };
}

/** What a position rule makes of a forecast return. */
export function positionFor(rule: PositionRule, forecastReturn: number): number {
  const s = Number.isFinite(forecastReturn) ? Math.sign(forecastReturn) : 0;
  return rule === 'long-only' ? Math.max(0, s) : s;
}

export interface SignalBacktest extends StrategyFigures {
  /** Net return of each period after costs. */
  readonly net: Float64Array;
  readonly positions: Float64Array;
  /** Σ |position change|, the entry included. */
  readonly turnover: number;
  /** Position changes. */
  readonly trades: number;
  /** Share of periods in the market whose return had the position's sign (NaN if never in the market). */
  readonly hitRate: number;
}

/**
 * The core, free of any dataset: period i's position comes from `forecastReturns[i]`, the forecast
 * made at the close before period i, and earns `realizedReturns[i]`, the return over period i.
 * Each change of position pays (fee + slippage) × |change|, the first entry included.
 */
export function backtestSignal(forecastReturns: ArrayLike<number>, realizedReturns: ArrayLike<number>, options: BacktestOptions & { readonly periodsPerYear: number }): SignalBacktest {
  const n = realizedReturns.length;
  if (forecastReturns.length !== n) throw new InvalidOptionError(`backtest: ${forecastReturns.length} forecasts for ${n} periods; they must be paired`);
  const cost = (options.fee ?? 0) + (options.slippage ?? 0);
  const rule = options.position ?? 'sign';
  const net = new Float64Array(n);
  const positions = new Float64Array(n);
  let prev = 0;
  let turnover = 0;
  let trades = 0;
  let inMarket = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const p = positionFor(rule, forecastReturns[i] as number);
    const r = realizedReturns[i] as number;
    const change = Math.abs(p - prev);
    turnover += change;
    if (change > 0) trades++;
    net[i] = p * r - cost * change;
    positions[i] = p;
    if (p !== 0) {
      inMarket++;
      if (p * r > 0) hits++;
    }
    prev = p;
  }
  return { ...strategyFigures(net, options.periodsPerYear), net, positions, turnover, trades, hitRate: inMarket === 0 ? NaN : hits / inMarket };
}

export function checkBacktestOptions(options: BacktestOptions): void {
  for (const key of ['fee', 'slippage'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v < 1)) {
      throw new InvalidOptionError(`backtest: ${key} must be a fraction in [0, 1) per unit of position change (0.001 = 0.1%), got ${String(v)}`);
    }
  }
  if (options.position !== undefined && options.position !== 'sign' && options.position !== 'long-only') {
    throw new InvalidOptionError(`backtest: position must be 'sign' (long or short) or 'long-only', got ${JSON.stringify(options.position)}`);
  }
  if (options.periodsPerYear !== undefined && !(options.periodsPerYear > 0 && Number.isFinite(options.periodsPerYear))) {
    throw new InvalidOptionError(`backtest: periodsPerYear must be a positive number (365 for daily crypto, 252 for daily stocks), got ${String(options.periodsPerYear)}`);
  }
}

/** Periods per year from the median spacing of the timestamps (ms). */
export function periodsPerYearOf(times: Float64Array | undefined, where: string): number {
  const gaps: number[] = [];
  if (times) for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  const positive = gaps.filter((g) => Number.isFinite(g) && g > 0).sort((a, b) => a - b);
  if (positive.length === 0) {
    throw new InvalidOptionError(`${where} needs the data's timestamps to annualize: give data.windows a time column (option \`time\`), or pass periodsPerYear (365 for daily crypto)`);
  }
  return YEAR_MS / (positive[Math.floor(positive.length / 2)] as number);
}

/** The realized simple return of each sample's first target step, with checks that the target is a price. */
export function realizedReturns(ds: WindowDataset, part: PartName, where: string): Float64Array {
  const p = ds[part];
  const actual = ds.actualTarget(part);
  const out = new Float64Array(p.count);
  for (let s = 0; s < p.count; s++) {
    const b = p.base[s] as number;
    const a = actual[s * ds.horizon] as number;
    if (!(b > 0 && a > 0 && Number.isFinite(a) && Number.isFinite(b))) {
      throw new InvalidOptionError(`${where} needs the target '${ds.target}' to be a price (finite and > 0), but sample ${s} of ${part} has ${b} → ${a}; forecast a price column such as close`);
    }
    out[s] = a / b - 1;
  }
  return out;
}

/** The result of a backtest: the strategy net of costs, beside buy-and-hold over the same periods. */
export class Backtest implements SignalBacktest {
  readonly sharpe: number;
  readonly sortino: number;
  readonly totalReturn: number;
  readonly maxDrawdown: number;
  readonly equity: Float64Array;
  readonly net: Float64Array;
  readonly positions: Float64Array;
  readonly turnover: number;
  readonly trades: number;
  readonly hitRate: number;
  readonly buyAndHold: StrategyFigures;
  /** Time (ms) at the end of each period (the sample's first target row), when the data has timestamps. */
  readonly times: Float64Array | undefined;
  readonly periodsPerYear: number;
  readonly label: string;
  readonly options: Required<Omit<BacktestOptions, 'periodsPerYear'>>;

  constructor(label: string, signal: SignalBacktest, buyAndHold: StrategyFigures, times: Float64Array | undefined, periodsPerYear: number, options: Required<Omit<BacktestOptions, 'periodsPerYear'>>) {
    this.label = label;
    this.sharpe = signal.sharpe;
    this.sortino = signal.sortino;
    this.totalReturn = signal.totalReturn;
    this.maxDrawdown = signal.maxDrawdown;
    this.equity = signal.equity;
    this.net = signal.net;
    this.positions = signal.positions;
    this.turnover = signal.turnover;
    this.trades = signal.trades;
    this.hitRate = signal.hitRate;
    this.buyAndHold = buyAndHold;
    this.times = times;
    this.periodsPerYear = periodsPerYear;
    this.options = options;
  }

  get periods(): number {
    return this.net.length;
  }

  /** Strategy and buy-and-hold side by side, as plain rows. */
  table(): Array<Record<string, string | number>> {
    const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');
    const num = (v: number): string | number => (Number.isFinite(v) ? Number(v.toFixed(2)) : v === Infinity ? '∞' : '—');
    return [
      { strategy: this.label, sharpe: num(this.sharpe), sortino: num(this.sortino), 'total return': pct(this.totalReturn), 'max drawdown': pct(this.maxDrawdown), trades: this.trades, turnover: Number(this.turnover.toFixed(1)), 'hit rate': pct(this.hitRate) },
      { strategy: 'buy and hold', sharpe: num(this.buyAndHold.sharpe), sortino: num(this.buyAndHold.sortino), 'total return': pct(this.buyAndHold.totalReturn), 'max drawdown': pct(this.buyAndHold.maxDrawdown), trades: 1, turnover: 1, 'hit rate': '—' },
    ];
  }

  [toRenderDocument](): RenderDocument {
    const o = this.options;
    return documentOf(
      recordsTable(this.table(), {
        title: `Backtest over ${this.periods} periods (${Math.round(this.periodsPerYear)}/year), position '${o.position}', costs ${(100 * (o.fee + o.slippage)).toFixed(2)}% per unit traded`,
      }),
    );
  }

  [inspect.custom](): string {
    const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : String(v));
    return `Backtest(${this.label}: sharpe ${f(this.sharpe)}, total ${(100 * this.totalReturn).toFixed(1)}%, max drawdown ${(100 * this.maxDrawdown).toFixed(1)}%, ${this.trades} trades; buy and hold: sharpe ${f(this.buyAndHold.sharpe)}, total ${(100 * this.buyAndHold.totalReturn).toFixed(1)}%)`;
  }
}

/**
 * A forecast of prices for a part of the dataset, traded: the position over sample s's period
 * (from its last input row's close to the next) comes from forecastPrices[s] / base[s] - 1, a
 * forecast made with data up to that close. Only the first forecast step is traded.
 */
export function backtestForecast(ds: WindowDataset, part: PartName, forecastPrices: ArrayLike<number>, label: string, options: BacktestOptions = {}): Backtest {
  checkBacktestOptions(options);
  const where = `backtest(${label})`;
  const p = ds[part];
  if (forecastPrices.length !== p.count * ds.horizon) {
    throw new InvalidOptionError(`${where}: ${forecastPrices.length} forecasts for ${p.count} samples × horizon ${ds.horizon}`);
  }
  const realized = realizedReturns(ds, part, where);
  const periodsPerYear = options.periodsPerYear ?? periodsPerYearOf(p.times, where);
  const forecastReturns = new Float64Array(p.count);
  for (let s = 0; s < p.count; s++) forecastReturns[s] = (forecastPrices[s * ds.horizon] as number) / (p.base[s] as number) - 1;
  const full = { fee: options.fee ?? 0, slippage: options.slippage ?? 0, position: options.position ?? 'sign' } as const;
  const signal = backtestSignal(forecastReturns, realized, { ...full, periodsPerYear });
  const hold = backtestSignal(new Float64Array(p.count).fill(1), realized, { ...full, position: 'sign', periodsPerYear });
  return new Backtest(label, signal, hold, p.times, periodsPerYear, full);
}

/** What a Sharpe objective needs of a dataset (or a walk-forward fold) to trade its validation forecasts. */
export function tradingDataOf(ds: WindowDataset): TradingData {
  const where = "tune().objective('sharpe')";
  return {
    transform: ds.transform,
    scaler: ds.targetScaler,
    periodsPerYear: periodsPerYearOf(ds.val.times ?? ds.train.times, where),
    valBase: Float64Array.from(ds.val.base),
    valRealized: realizedReturns(ds, 'val', where),
  };
}

/**
 * The validation forecasts (scaled model outputs, [count × horizon]) traded as in backtestForecast;
 * returns the annualized Sharpe ratio net of costs, 0 when it is undefined (never in the market).
 */
export function validationSharpe(trading: TradingData, scaledPredictions: ArrayLike<number>, horizon: number, options: BacktestOptions): number {
  const n = trading.valRealized.length;
  const forecastReturns = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const v = unscaleValue(trading.scaler, scaledPredictions[s * horizon] as number);
    forecastReturns[s] = trading.transform === 'logReturn' ? Math.expm1(v) : trading.transform === 'pctChange' ? v : v / (trading.valBase[s] as number) - 1;
  }
  const sharpe = backtestSignal(forecastReturns, trading.valRealized, { ...options, periodsPerYear: trading.periodsPerYear }).sharpe;
  return Number.isFinite(sharpe) ? sharpe : 0;
}
