import type { Distribution, ParamValue } from '../../trial/distributions.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';

/** How a parameter is drawn on an axis: numbers (log-scaled for log distributions) or categories. */
export interface ParamAxis {
  readonly name: string;
  readonly kind: 'number' | 'category';
  readonly log: boolean;
  /** The choices of a categorical parameter, in their order. */
  readonly choices?: readonly string[];
}

export function distributionOf(trials: readonly FrozenTrial[], name: string): Distribution | undefined {
  return trials.find((t) => t.distributions[name] !== undefined)?.distributions[name];
}

export function paramAxis(trials: readonly FrozenTrial[], name: string): ParamAxis {
  const d = distributionOf(trials, name);
  if (d?.kind === 'categorical') return { name, kind: 'category', log: false, choices: d.choices.map(choiceLabel) };
  return { name, kind: 'number', log: d !== undefined && d.log };
}

export function choiceLabel(v: ParamValue | null | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The parameters to plot: those asked for, else every parameter seen, sorted. */
export function paramNames(trials: readonly FrozenTrial[], asked: readonly string[] | undefined): string[] {
  return asked !== undefined ? [...asked] : [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
}

/** A vega-lite x encoding for a parameter axis ("(log)" in the title of a log axis). */
export function paramEncoding(axis: ParamAxis, field: string): Record<string, unknown> {
  if (axis.kind === 'category') return { field, type: 'nominal', title: axis.name, sort: axis.choices, axis: { labelAngle: 0 } };
  return { field, type: 'quantitative', title: axis.log ? `${axis.name} (log)` : axis.name, scale: axis.log ? { type: 'log' } : { zero: false } };
}
