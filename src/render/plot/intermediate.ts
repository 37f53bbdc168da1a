import type { TrialState } from '../../trial/state.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import type { PlotSource } from './source.js';

export interface LearningCurve {
  readonly trial: number;
  readonly state: TrialState;
  readonly points: readonly { readonly step: number; readonly value: number }[];
}

export interface IntermediateData {
  readonly study: string;
  readonly curves: readonly LearningCurve[];
}

/** Each trial's reported intermediate values by step (its learning curve), with its final state. */
export function intermediateData(source: PlotSource): IntermediateData {
  const curves: LearningCurve[] = [];
  for (const t of source.trials) {
    if (t === undefined) continue;
    const points = Object.entries(t.intermediateValues)
      .map(([step, value]) => ({ step: Number(step), value }))
      .filter((p) => Number.isFinite(p.value))
      .sort((a, b) => a.step - b.step);
    if (points.length > 0) curves.push({ trial: t.number, state: t.state, points });
  }
  return { study: source.name, curves };
}

const STATE_COLORS: Readonly<Record<string, string>> = { COMPLETE: '#4c78a8', PRUNED: '#f58518', RUNNING: '#54a24b', FAIL: '#e45756', WAITING: '#9d9d9d' };

export function intermediateSpec(data: IntermediateData): VegaLiteSpec {
  const rows = data.curves.flatMap((c) => c.points.map((p) => ({ trial: c.trial, state: c.state, step: p.step, value: p.value })));
  // A pruned trial's last point is where it was stopped: marked with a cross.
  const ends = data.curves
    .filter((c) => c.state === 'PRUNED')
    .map((c) => {
      const last = c.points[c.points.length - 1] as { step: number; value: number };
      return { trial: c.trial, state: c.state, step: last.step, value: last.value };
    });
  const states = Object.keys(STATE_COLORS).filter((s) => data.curves.some((c) => c.state === s));
  const color = { field: 'state', type: 'nominal', title: 'trial state', scale: { domain: states, range: states.map((s) => STATE_COLORS[s]) } };
  return {
    ...baseSpec('Intermediate values', `study '${data.study}', ${data.curves.length} trials; × marks where a pruned trial stopped`),
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: 'intermediate value', scale: { zero: false } },
      color,
    },
    layer: [
      { data: { values: rows }, mark: { type: 'line', strokeWidth: 1.2, opacity: 0.7 }, encoding: { detail: { field: 'trial', type: 'nominal' } } },
      { data: { values: ends }, mark: { type: 'point', shape: 'cross', size: 60, filled: true } },
    ],
  };
}
