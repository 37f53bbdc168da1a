import { DirectionsError } from '../../errors.js';
import { paretoFront } from '../../trial/best.js';
import type { Direction } from '../../trial/state.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { completeTrials, type PlotSource } from './source.js';

export interface ParetoPoint {
  readonly trial: number;
  readonly x: number;
  readonly y: number;
  readonly front: boolean;
}

export interface ParetoData {
  readonly study: string;
  readonly directions: readonly [Direction, Direction];
  readonly names: readonly [string, string];
  readonly points: readonly ParetoPoint[];
}

/** Both objective values of every COMPLETE trial, marking the non-dominated ones. */
export function paretoData(source: PlotSource, options: { readonly names?: readonly [string, string] } = {}): ParetoData {
  if (source.directions.length !== 2) {
    throw new DirectionsError(`plot.pareto() needs a study with exactly two directions; '${source.name}' has ${source.directions.length}`);
  }
  const trials = completeTrials(source);
  const front = new Set(paretoFront(trials, source.directions).map((t) => t.number));
  return {
    study: source.name,
    directions: [source.directions[0] as Direction, source.directions[1] as Direction],
    names: options.names ?? ['objective 0', 'objective 1'],
    points: trials.map((t) => ({ trial: t.number, x: t.values?.[0] as number, y: t.values?.[1] as number, front: front.has(t.number) })),
  };
}

export function paretoSpec(data: ParetoData): VegaLiteSpec {
  const rows = data.points.map((p) => ({ ...p, kind: p.front ? 'Pareto front' : 'dominated' }));
  const frontLine = rows.filter((r) => r.front).sort((a, b) => a.x - b.x);
  const axisTitle = (i: 0 | 1): string => `${data.names[i]} (${data.directions[i]})`;
  const x = { field: 'x', type: 'quantitative', title: axisTitle(0), scale: { zero: false } };
  const y = { field: 'y', type: 'quantitative', title: axisTitle(1), scale: { zero: false } };
  return {
    ...baseSpec('Pareto front', `study '${data.study}', ${frontLine.length} of ${rows.length} complete trials on the front`, 520, 360),
    layer: [
      { data: { values: frontLine }, mark: { type: 'line', color: '#e45756', strokeDash: [4, 3], interpolate: 'step-after' }, encoding: { x, y } },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: { x, y, color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['Pareto front', 'dominated'], range: ['#e45756', '#9ecae9'] } } },
      },
    ],
  };
}
