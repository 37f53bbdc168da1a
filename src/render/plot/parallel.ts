import type { Distribution } from '../../trial/distributions.js';
import { formatNumber } from '../format.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { completeTrials, singleDirection, type PlotSource } from './source.js';

export interface ParallelAxis {
  readonly name: string;
  /** Tick positions on the normalized [0, 1] axis with their labels. */
  readonly ticks: readonly { readonly pos: number; readonly label: string }[];
}

export interface ParallelLine {
  readonly trial: number;
  readonly value: number;
  /** Normalized position on each axis, in axis order; null when the trial lacks that parameter. */
  readonly positions: readonly (number | null)[];
}

export interface ParallelData {
  readonly study: string;
  readonly axes: readonly ParallelAxis[];
  readonly lines: readonly ParallelLine[];
}

interface AxisScale {
  readonly axis: ParallelAxis;
  position(value: unknown): number | null;
}

function linearTicks(lo: number, hi: number, toPos: (v: number) => number, log: boolean): ParallelAxis['ticks'] {
  if (lo === hi) return [{ pos: 0.5, label: formatNumber(lo) }];
  const vals = log ? [lo, Math.sqrt(lo * hi), hi] : [lo, (lo + hi) / 2, hi];
  return vals.map((v) => ({ pos: toPos(v), label: formatNumber(v) }));
}

/** Float and int axes span the values tried (log scale for log distributions); categoricals are evenly spaced. */
function scaleFor(name: string, distribution: Distribution | undefined, values: readonly unknown[]): AxisScale {
  if (distribution?.kind === 'categorical') {
    const n = distribution.choices.length;
    const pos = (i: number): number => (n === 1 ? 0.5 : i / (n - 1));
    const keys = distribution.choices.map((c) => JSON.stringify(c));
    return {
      axis: { name, ticks: distribution.choices.map((c, i) => ({ pos: pos(i), label: typeof c === 'string' ? c : JSON.stringify(c) })) },
      position: (v) => {
        const i = keys.indexOf(JSON.stringify(v));
        return i < 0 ? null : pos(i);
      },
    };
  }
  const log = distribution?.kind !== undefined && distribution.log;
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0));
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const f = log ? Math.log : (v: number): number => v;
  const toPos = (v: number): number => (hi === lo ? 0.5 : (f(v) - f(lo)) / (f(hi) - f(lo)));
  return {
    axis: { name, ticks: nums.length === 0 ? [] : linearTicks(lo, hi, toPos, log) },
    position: (v) => (typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? toPos(v) : null),
  };
}

/** One line per COMPLETE trial through the objective axis and one axis per parameter. */
export function parallelData(source: PlotSource, options: { readonly params?: readonly string[] } = {}): ParallelData {
  singleDirection(source, 'parallel');
  const trials = completeTrials(source);
  const names = options.params ?? [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const distributionOf = (name: string): Distribution | undefined => trials.find((t) => t.distributions[name] !== undefined)?.distributions[name];
  const scales = [
    scaleFor('objective', undefined, trials.map((t) => t.values?.[0])),
    ...names.map((n) => scaleFor(n, distributionOf(n), trials.map((t) => t.params[n]))),
  ];
  const lines = trials.map((t) => ({
    trial: t.number,
    value: t.values?.[0] as number,
    positions: [scales[0]?.position(t.values?.[0]) ?? null, ...names.map((n, i) => scales[i + 1]?.position(t.params[n]) ?? null)],
  }));
  return { study: source.name, axes: scales.map((s) => s.axis), lines };
}

export function parallelSpec(data: ParallelData): VegaLiteSpec {
  const axisNames = data.axes.map((a) => a.name);
  const lineRows = data.lines.flatMap((l) => l.positions.flatMap((pos, i) => (pos === null ? [] : [{ trial: l.trial, value: l.value, axis: axisNames[i], pos }])));
  const tickRows = data.axes.flatMap((a) => a.ticks.map((t) => ({ axis: a.name, pos: t.pos, label: t.label })));
  const x = { field: 'axis', type: 'nominal', sort: axisNames, title: null, axis: { orient: 'bottom', labelAngle: 0, labelFontSize: 12, domain: false, ticks: false, grid: true, gridColor: '#888' } };
  // Padding above and below keeps the end labels clear of the title and the axis names.
  const y = { field: 'pos', type: 'quantitative', axis: null, scale: { domain: [-0.06, 1.06] } };
  const label = { type: 'text', align: 'left', dx: 4, fontSize: 10 };
  return {
    ...baseSpec('Parallel coordinates', `study '${data.study}', ${data.lines.length} complete trials; colour = objective value`, Math.max(480, 120 * axisNames.length), 320),
    layer: [
      {
        data: { values: lineRows },
        mark: { type: 'line', strokeWidth: 1.2, opacity: 0.6 },
        encoding: { x, y, detail: { field: 'trial', type: 'nominal' }, color: { field: 'value', type: 'quantitative', title: 'objective', scale: { scheme: 'viridis', reverse: true } } },
      },
      // Labels twice: a thick white outline first, then the text, so they stay readable over the lines.
      { data: { values: tickRows }, mark: { ...label, stroke: 'white', strokeWidth: 3, strokeJoin: 'round' }, encoding: { x, y, text: { field: 'label' } } },
      { data: { values: tickRows }, mark: { ...label, color: '#222' }, encoding: { x, y, text: { field: 'label' } } },
    ],
  };
}
