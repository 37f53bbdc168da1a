import { isFeasible } from '../../trial/constraints.js';
import type { Direction } from '../../trial/state.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { targetOf, targetTrials, type PlotSource, type TargetOptions } from './source.js';

export interface HistoryPoint {
  readonly trial: number;
  readonly value: number;
  /** The best value among feasible COMPLETE trials up to and including this one; undefined before the first. */
  readonly best: number | undefined;
  /** False when the trial breaks a constraint of the sampler's constraintsFunc (drawn grey, never the best). */
  readonly feasible: boolean;
}

export interface HistoryData {
  readonly study: string;
  /** Undefined for a custom target (no best-so-far line then: which way is better is not known). */
  readonly direction: Direction | undefined;
  readonly targetName: string;
  readonly points: readonly HistoryPoint[];
  /** Values are all positive and span more than two decades: a log axis keeps the best ones readable. */
  readonly logScale: boolean;
}

/**
 * Objective value of each COMPLETE trial, by trial number, with the best so far (as Optuna's history
 * plot; as in Optuna 4, infeasible trials are marked and left out of the best).
 */
export function historyData(source: PlotSource, options: TargetOptions = {}): HistoryData {
  const target = targetOf(source, options, 'history');
  const direction = target.direction;
  const pairs = targetTrials(source, target).sort((a, b) => a.trial.number - b.trial.number);
  let best: number | undefined;
  const points = pairs.map(({ trial: t, value }): HistoryPoint => {
    const feasible = isFeasible(t);
    if (feasible && direction !== undefined) best = best === undefined ? value : direction === 'minimize' ? Math.min(best, value) : Math.max(best, value);
    return { trial: t.number, value, best, feasible };
  });
  const values = points.map((p) => p.value);
  const logScale = values.length > 1 && values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) > 100;
  return { study: source.name, direction, targetName: target.name, points, logScale };
}

export function historySpec(data: HistoryData): VegaLiteSpec {
  const rows = data.points.flatMap((p) => [
    { trial: p.trial, value: p.value, series: p.feasible ? 'objective value' : 'infeasible trial' },
    ...(p.best === undefined ? [] : [{ trial: p.trial, value: p.best, series: 'best value' }]),
  ]);
  const series = ['objective value', ...(data.points.some((p) => p.best !== undefined) ? ['best value'] : []), ...(data.points.some((p) => !p.feasible) ? ['infeasible trial'] : [])];
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: series.map((n) => ({ 'objective value': '#4c78a8', 'best value': '#e45756', 'infeasible trial': '#b0b7bf' })[n] as string) }, legend: { orient: 'top', direction: 'horizontal' } };
  return {
    ...baseSpec('Optimization history', `study '${data.study}', ${data.direction ?? data.targetName}, ${data.points.length} complete trials${data.logScale ? ', log scale' : ''}`),
    data: { values: rows },
    encoding: {
      x: { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: data.targetName, scale: data.logScale ? { type: 'log' } : { zero: false } },
      color,
    },
    layer: [
      { transform: [{ filter: "datum.series !== 'best value'" }], mark: { type: 'point', filled: true, size: 36, opacity: 0.75 } },
      { transform: [{ filter: "datum.series === 'best value'" }], mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 } },
    ],
  };
}
