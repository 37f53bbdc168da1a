import { InvalidOptionError } from '../../errors.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { checkSource, targetOf, targetTrials, type TargetOptions } from './source.js';

export interface EdfData {
  readonly targetName: string;
  /** Per study: its target values sorted, each with the share of trials at or below it. */
  readonly curves: readonly { readonly study: string; readonly points: readonly { readonly value: number; readonly fraction: number }[] }[];
}

/**
 * Empirical distribution of the target over COMPLETE trials, one curve per study (Optuna's EDF
 * plot): the further left a curve rises, the better a minimizing study's trials were overall.
 */
export function edfData(studies: unknown, options: TargetOptions = {}): EdfData {
  const list = Array.isArray(studies) ? studies : [studies];
  if (list.length === 0) throw new InvalidOptionError('plot.edf(studies): expected a Study or a non-empty array of studies');
  let name: string | undefined;
  const curves = list.map((s) => {
    const source = checkSource(s, 'edf');
    const target = targetOf(source, options, 'edf');
    name ??= target.name;
    const values = targetTrials(source, target)
      .map((p) => p.value)
      .sort((a, b) => a - b);
    return { study: source.name, points: values.map((value, i) => ({ value, fraction: (i + 1) / values.length })) };
  });
  return { targetName: name ?? 'objective value', curves };
}

export function edfSpec(data: EdfData): VegaLiteSpec {
  const rows = data.curves.flatMap((c) => c.points.map((p) => ({ study: c.study, value: p.value, fraction: p.fraction })));
  const n = data.curves.length;
  return {
    ...baseSpec('Empirical distribution', `${n === 1 ? `study '${data.curves[0]?.study ?? ''}'` : `${n} studies`}: share of complete trials with ${data.targetName} at or below x`),
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'value', type: 'quantitative', title: data.targetName, scale: { zero: false } },
      y: { field: 'fraction', type: 'quantitative', title: 'cumulative share of trials', scale: { domain: [0, 1] }, axis: { format: '%' } },
      color: { field: 'study', type: 'nominal', title: 'study', legend: { orient: 'top', direction: 'horizontal' } },
    },
  };
}
