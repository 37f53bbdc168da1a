import type { Distribution } from '../../trial/distributions.js';
import { formatNumber } from '../format.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { targetOf, targetTrials, type PlotSource, type TargetOptions } from './source.js';

export interface ParallelAxis {
  readonly name: string;
  /** Tick positions on the normalized [0, 1] axis with their labels. */
  readonly ticks: readonly { readonly pos: number; readonly label: string }[];
}

export interface ParallelLine {
  readonly trial: number;
  readonly value: number;
  /** 0 for the best trial, 1 for the worst: the best are drawn darkest and on top. */
  readonly rank: number;
  /** Normalized position on each axis, in axis order; null when the trial lacks that parameter. */
  readonly positions: readonly (number | null)[];
}

export interface ParallelData {
  readonly study: string;
  readonly targetName: string;
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
    axis: { name: log ? `${name} (log)` : name, ticks: nums.length === 0 ? [] : linearTicks(lo, hi, toPos, log) },
    position: (v) => (typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? toPos(v) : null),
  };
}

/** One line per COMPLETE trial through the objective axis and one axis per parameter. */
export function parallelData(source: PlotSource, options: { readonly params?: readonly string[] } & TargetOptions = {}): ParallelData {
  const target = targetOf(source, options, 'parallel');
  const pairs = targetTrials(source, target);
  const trials = pairs.map((p) => p.trial);
  const names = options.params ?? [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const distributionOf = (name: string): Distribution | undefined => trials.find((t) => t.distributions[name] !== undefined)?.distributions[name];
  const scales = [
    scaleFor(target.name, undefined, pairs.map((p) => p.value)),
    ...names.map((n) => scaleFor(n, distributionOf(n), trials.map((t) => t.params[n]))),
  ];
  const sign = target.direction === 'maximize' ? -1 : 1;
  const order = pairs.map((p, i) => ({ i, v: sign * p.value })).sort((a, b) => a.v - b.v);
  const rank = new Array<number>(pairs.length);
  order.forEach((o, r) => (rank[o.i] = pairs.length > 1 ? r / (pairs.length - 1) : 0));
  const lines = pairs.map(({ trial: t, value }, i) => ({
    trial: t.number,
    value,
    rank: rank[i] as number,
    positions: [scales[0]?.position(value) ?? null, ...names.map((n, j) => scales[j + 1]?.position(t.params[n]) ?? null)],
  }));
  return { study: source.name, targetName: target.name, axes: scales.map((s) => s.axis), lines };
}

export function parallelSpec(data: ParallelData): VegaLiteSpec {
  const axisNames = data.axes.map((a) => a.name);
  // Worst first, best last: later lines are drawn on top. The detail key sorts the same way.
  const ordered = [...data.lines].sort((a, b) => b.rank - a.rank);
  const width = String(ordered.length).length;
  const lineRows = ordered.flatMap((l, k) =>
    l.positions.flatMap((pos, i) => (pos === null ? [] : [{ key: `${String(k).padStart(width, '0')}#${l.trial}`, trial: l.trial, value: l.value, rank: l.rank, fade: l.rank, axis: axisNames[i], pos }])),
  );
  const tickRows = data.axes.flatMap((a) => a.ticks.map((t) => ({ axis: a.name, pos: t.pos, label: t.label })));
  const x = { field: 'axis', type: 'nominal', sort: axisNames, title: null, axis: { orient: 'bottom', labelAngle: 0, labelFontSize: 12, domain: false, ticks: false, grid: true, gridColor: '#888' } };
  // Padding above and below keeps the end labels clear of the title and the axis names.
  const y = { field: 'pos', type: 'quantitative', axis: null, scale: { domain: [-0.06, 1.06] } };
  const label = { type: 'text', align: 'left', dx: 5, fontSize: 10 };
  return {
    ...baseSpec('Parallel coordinates', `study '${data.study}', ${data.lines.length} complete trials; the best are darkest and on top`, Math.max(480, 120 * axisNames.length), 320),
    layer: [
      {
        data: { values: lineRows },
        mark: { type: 'line', strokeWidth: 1.3 },
        encoding: {
          x,
          y,
          detail: { field: 'key', type: 'nominal' },
          color: { field: 'rank', type: 'quantitative', title: `${data.targetName} rank (0 = best)`, scale: { scheme: 'viridis', domain: [0, 1] } },
          // A field of its own, so the colour legend is not merged with (and hidden by) this one.
          opacity: { field: 'fade', type: 'quantitative', scale: { domain: [0, 1], range: [0.95, 0.35] }, legend: null },
        },
      },
      // Labels twice: a thick white halo first, then the text, so they stay readable over the lines.
      { data: { values: tickRows }, mark: { ...label, stroke: 'white', strokeWidth: 4, strokeJoin: 'round', strokeOpacity: 0.9 }, encoding: { x, y, text: { field: 'label' } } },
      { data: { values: tickRows }, mark: { ...label, color: '#111', fontWeight: 600 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  };
}
