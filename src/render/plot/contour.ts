import { InvalidOptionError } from '../../errors.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { choiceLabel, paramAxis, paramEncoding, paramNames, type ParamAxis } from './params.js';
import { targetOf, targetTrials, type PlotSource, type TargetOptions } from './source.js';

export interface ContourCell {
  /** The cell's span on each axis (numbers), or its category. */
  readonly x: number | string;
  readonly x2?: number;
  readonly y: number | string;
  readonly y2?: number;
  /** The target interpolated at the cell's centre from the trials around it. */
  readonly value: number;
}

export interface ContourData {
  readonly study: string;
  readonly targetName: string;
  readonly axes: readonly [ParamAxis, ParamAxis];
  readonly cells: readonly ContourCell[];
  readonly points: readonly { readonly trial: number; readonly x: number | string; readonly y: number | string; readonly value: number }[];
}

export interface ContourOptions extends TargetOptions {
  /** The two parameters (default: the first two, sorted by name). */
  readonly params?: readonly [string, string];
  /** Cells per numeric axis (default 24). */
  readonly resolution?: number;
}

interface GridAxis {
  readonly cells: readonly { readonly from: number | string; readonly to?: number; readonly pos: number }[];
  position(v: unknown): number | undefined;
}

function gridAxis(axis: ParamAxis, values: readonly unknown[], n: number): GridAxis {
  if (axis.kind === 'category') {
    const choices = axis.choices ?? [];
    const pos = (i: number): number => (choices.length > 1 ? i / (choices.length - 1) : 0.5);
    return { cells: choices.map((c, i) => ({ from: c, pos: pos(i) })), position: (v) => (choices.includes(choiceLabel(v as never)) ? pos(choices.indexOf(choiceLabel(v as never))) : undefined) };
  }
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!axis.log || v > 0));
  const f = axis.log ? Math.log : (v: number): number => v;
  const inv = axis.log ? Math.exp : (v: number): number => v;
  const lo = f(Math.min(...nums));
  const hi = f(Math.max(...nums));
  const span = hi - lo || 1;
  const cells = Array.from({ length: n }, (_, i) => ({ from: inv(lo + (span * i) / n), to: inv(lo + (span * (i + 1)) / n), pos: (i + 0.5) / n }));
  return { cells, position: (v) => (typeof v === 'number' && Number.isFinite(v) && (!axis.log || v > 0) ? (f(v) - lo) / span : undefined) };
}

/**
 * The target over two parameters, as Optuna's contour plot: a grid whose cells are coloured by the
 * target interpolated (inverse-distance weighting, in the axes' own scales) from the trials, and
 * the trials themselves on top.
 */
export function contourData(source: PlotSource, options: ContourOptions = {}): ContourData {
  const target = targetOf(source, options, 'contour');
  const pairs = targetTrials(source, target);
  const trials = pairs.map((p) => p.trial);
  const names = options.params ?? paramNames(trials, undefined).slice(0, 2);
  if (names.length !== 2 || names[0] === names[1]) throw new InvalidOptionError(`plot.contour(study, { params }): needs two different parameters, got ${JSON.stringify(names)}`);
  const [a, b] = names as [string, string];
  const both = pairs.filter((p) => p.trial.params[a] !== undefined && p.trial.params[b] !== undefined);
  if (both.length === 0) throw new InvalidOptionError(`plot.contour(): no COMPLETE trial of '${source.name}' has both '${a}' and '${b}'`);
  const axes: [ParamAxis, ParamAxis] = [paramAxis(trials, a), paramAxis(trials, b)];
  const n = Math.max(2, Math.min(100, Math.round(options.resolution ?? 24)));
  const gx = gridAxis(axes[0], both.map((p) => p.trial.params[a]), n);
  const gy = gridAxis(axes[1], both.map((p) => p.trial.params[b]), n);
  const known = both.map((p) => ({ x: gx.position(p.trial.params[a]) ?? 0.5, y: gy.position(p.trial.params[b]) ?? 0.5, value: p.value }));
  const cells: ContourCell[] = [];
  for (const cx of gx.cells) {
    for (const cy of gy.cells) {
      let num = 0;
      let den = 0;
      let exact: number | undefined;
      for (const k of known) {
        const d2 = (k.x - cx.pos) ** 2 + (k.y - cy.pos) ** 2;
        if (d2 < 1e-12) exact = k.value;
        const w = 1 / (d2 * d2 + 1e-12);
        num += w * k.value;
        den += w;
      }
      cells.push({ x: cx.from, ...(cx.to !== undefined && { x2: cx.to }), y: cy.from, ...(cy.to !== undefined && { y2: cy.to }), value: exact ?? num / den });
    }
  }
  const label = (axis: ParamAxis, v: unknown): number | string => (axis.kind === 'category' ? choiceLabel(v as never) : (v as number));
  const points = both.map((p) => ({ trial: p.trial.number, x: label(axes[0], p.trial.params[a]), y: label(axes[1], p.trial.params[b]), value: p.value }));
  return { study: source.name, targetName: target.name, axes, cells, points };
}

export function contourSpec(data: ContourData): VegaLiteSpec {
  const [ax, ay] = data.axes;
  const x = paramEncoding(ax, 'x');
  const y = paramEncoding(ay, 'y');
  const rect = {
    data: { values: data.cells },
    mark: { type: 'rect', opacity: 0.9 },
    encoding: {
      x,
      ...(ax.kind === 'number' && { x2: { field: 'x2' } }),
      y,
      ...(ay.kind === 'number' && { y2: { field: 'y2' } }),
      color: { field: 'value', type: 'quantitative', title: data.targetName, scale: { scheme: 'viridis', reverse: true } },
    },
  };
  const dots = {
    data: { values: data.points },
    mark: { type: 'point', filled: true, size: 30, color: 'white', stroke: '#222', strokeWidth: 0.8 },
    encoding: { x, y, tooltip: [{ field: 'trial' }, { field: 'value' }] },
  };
  return {
    ...baseSpec('Contour', `study '${data.study}', ${data.targetName} over ${ax.name} and ${ay.name}, interpolated from ${data.points.length} complete trials (dots)`, 420, 360),
    layer: [rect, dots],
  };
}
