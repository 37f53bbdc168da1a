import type { DataFrame } from './danfojs.js';

export type { DataFrame };
import { chunkToDataFrame } from './dataframe.js';
import type { Column, Dtype } from './types.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';

function text(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The trials as one row each, with Optuna's column names (number, value or values_0.., datetime_start,
 * datetime_complete, duration, params_<name>, user_attrs_<key>, system_attrs_<key>, state). Numbers stay
 * float64 (NaN where a trial has none); times are ms since the epoch; other values are JSON text.
 */
export function trialsDataFrame(trials: readonly FrozenTrial[], nObjectives: number): DataFrame {
  const rows = trials.filter((t): t is FrozenTrial => t !== undefined);
  const columns: Record<string, Column> = {};
  const numeric = (name: string, get: (t: FrozenTrial) => number | undefined): void => {
    columns[name] = Float64Array.from(rows, (t) => get(t) ?? Number.NaN);
  };
  numeric('number', (t) => t.number);
  if (nObjectives === 1) numeric('value', (t) => t.value);
  else for (let i = 0; i < nObjectives; i++) numeric(`values_${i}`, (t) => t.values?.[i]);
  numeric('datetime_start', (t) => t.datetimeStart?.getTime());
  numeric('datetime_complete', (t) => t.datetimeComplete?.getTime());
  numeric('duration', (t) => t.durationMs);
  const keys = (pick: (t: FrozenTrial) => Readonly<Record<string, unknown>>): string[] => [...new Set(rows.flatMap((t) => Object.keys(pick(t))))].sort();
  for (const name of keys((t) => t.params)) {
    const values = rows.map((t) => t.params[name]);
    if (values.every((v) => v === undefined || typeof v === 'number')) numeric(`params_${name}`, (t) => t.params[name] as number | undefined);
    else columns[`params_${name}`] = values.map(text);
  }
  for (const key of keys((t) => t.userAttrs)) columns[`user_attrs_${key}`] = rows.map((t) => text(t.userAttrs[key]));
  for (const key of keys((t) => t.systemAttrs)) columns[`system_attrs_${key}`] = rows.map((t) => text(t.systemAttrs[key]));
  columns['state'] = rows.map((t) => t.state);
  const dtypes = Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, name.startsWith('datetime_') ? 'datetime' : c instanceof Float64Array ? 'float64' : 'string'])) as Record<string, Dtype>;
  return chunkToDataFrame({ rowCount: rows.length, columns, dtypes });
}
