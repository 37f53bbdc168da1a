import { InvalidOptionError } from '../../errors.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { choiceLabel, paramAxis, paramEncoding, paramNames, type ParamAxis } from './params.js';
import { targetOf, targetTrials, type PlotSource, type TargetOptions } from './source.js';

export interface SlicePoint {
  readonly trial: number;
  readonly param: string;
  /** The parameter's value: a number, or a categorical choice as text. */
  readonly x: number | string;
  readonly value: number;
  /** 0 for the best target value, 1 for the worst (rank among the plotted trials). */
  readonly rank: number;
}

export interface SliceData {
  readonly study: string;
  readonly targetName: string;
  readonly axes: readonly ParamAxis[];
  readonly points: readonly SlicePoint[];
}

export interface SliceOptions extends TargetOptions {
  readonly params?: readonly string[];
}

/**
 * One panel per parameter: the target of every COMPLETE trial against that parameter's value
 * (Optuna's slice plot), with each trial's rank (Optuna's rank plot colours by it).
 */
export function sliceData(source: PlotSource, options: SliceOptions = {}, plotName = 'slice'): SliceData {
  const target = targetOf(source, options, plotName);
  const pairs = targetTrials(source, target);
  const trials = pairs.map((p) => p.trial);
  const names = paramNames(trials, options.params);
  const unknown = options.params?.filter((n) => !trials.some((t) => n in t.params)) ?? [];
  if (unknown.length > 0 && trials.length > 0) throw new InvalidOptionError(`plot.${plotName}(study, { params }): no COMPLETE trial has ${unknown.map((n) => `'${n}'`).join(', ')}`);
  // Rank: best first (lowest for minimize and for a custom target, highest for maximize).
  const sign = target.direction === 'maximize' ? -1 : 1;
  const order = pairs.map((p, i) => ({ i, v: sign * p.value })).sort((a, b) => a.v - b.v);
  const rank = new Array<number>(pairs.length);
  order.forEach((o, r) => (rank[o.i] = pairs.length > 1 ? r / (pairs.length - 1) : 0));
  const axes = names.map((n) => paramAxis(trials, n));
  const points: SlicePoint[] = [];
  pairs.forEach((p, i) => {
    for (const axis of axes) {
      const v = p.trial.params[axis.name];
      if (v === undefined) continue;
      points.push({ trial: p.trial.number, param: axis.name, x: axis.kind === 'category' ? choiceLabel(v) : (v as number), value: p.value, rank: rank[i] as number });
    }
  });
  return { study: source.name, targetName: target.name, axes, points };
}

function panels(data: SliceData, color: Record<string, unknown>): Record<string, unknown>[] {
  return data.axes.map((axis) => ({
    width: 220,
    height: 220,
    data: { values: data.points.filter((p) => p.param === axis.name) },
    mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
    encoding: { x: paramEncoding(axis, 'x'), y: { field: 'value', type: 'quantitative', title: data.targetName, scale: { zero: false } }, color, tooltip: [{ field: 'trial' }, { field: 'value' }] },
  }));
}

function concatSpec(title: string, subtitle: string, data: SliceData, color: Record<string, unknown>): VegaLiteSpec {
  const { width: _w, height: _h, ...base } = baseSpec(title, subtitle);
  return { ...base, hconcat: panels(data, color), resolve: { scale: { color: 'shared' } } };
}

export function sliceSpec(data: SliceData): VegaLiteSpec {
  const color = { field: 'trial', type: 'quantitative', title: 'trial', scale: { scheme: 'blues' }, legend: { format: 'd' } };
  return concatSpec('Slice', `study '${data.study}', ${data.targetName} against each parameter; colour = trial number`, data, color);
}

export function rankSpec(data: SliceData): VegaLiteSpec {
  const color = { field: 'rank', type: 'quantitative', title: 'rank (0 = best)', scale: { scheme: 'redyellowblue', domain: [0, 1] } };
  return concatSpec('Rank', `study '${data.study}', each trial coloured by the rank of its ${data.targetName}`, data, color);
}
