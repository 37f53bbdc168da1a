import { isFeasible } from '../../trial/constraints.js';
import type { Direction } from '../../trial/state.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { completeTrials, singleDirection, type PlotSource } from './source.js';

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
  readonly direction: Direction;
  readonly points: readonly HistoryPoint[];
  /** Values are all positive and span more than two decades: a log axis keeps the best ones readable. */
  readonly logScale: boolean;
}

/**
 * Objective value of each COMPLETE trial, by trial number, with the best so far (as Optuna's history
 * plot; as in Optuna 4, infeasible trials are marked and left out of the best).
 */
export function historyData(source: PlotSource): HistoryData {
  const direction = singleDirection(source, 'history');
  const trials = completeTrials(source).sort((a, b) => a.number - b.number);
  let best: number | undefined;
  const points = trials.map((t): HistoryPoint => {
    const value = t.values?.[0] as number;
    const feasible = isFeasible(t);
    if (feasible) best = best === undefined ? value : direction === 'minimize' ? Math.min(best, value) : Math.max(best, value);
    return { trial: t.number, value, best, feasible };
  });
  const values = points.map((p) => p.value);
  const logScale = values.length > 1 && values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) > 100;
  return { study: source.name, direction, points, logScale };
}

export function historySpec(data: HistoryData): VegaLiteSpec {
  const rows = data.points.flatMap((p) => [
    { trial: p.trial, value: p.value, series: p.feasible ? 'objective value' : 'infeasible trial' },
    ...(p.best === undefined ? [] : [{ trial: p.trial, value: p.best, series: 'best value' }]),
  ]);
  const series = data.points.some((p) => !p.feasible) ? ['objective value', 'best value', 'infeasible trial'] : ['objective value', 'best value'];
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#4c78a8', '#e45756', '#b0b7bf'] }, legend: { orient: 'top', direction: 'horizontal' } };
  return {
    ...baseSpec('Optimization history', `study '${data.study}', ${data.direction}, ${data.points.length} complete trials${data.logScale ? ', log scale' : ''}`),
    data: { values: rows },
    encoding: {
      x: { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: 'objective value', scale: data.logScale ? { type: 'log' } : { zero: false } },
      color,
    },
    layer: [
      { transform: [{ filter: "datum.series !== 'best value'" }], mark: { type: 'point', filled: true, size: 36, opacity: 0.75 } },
      { transform: [{ filter: "datum.series === 'best value'" }], mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 } },
    ],
  };
}
