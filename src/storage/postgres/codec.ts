import { StorageError } from '../../errors.js';
import type { CategoricalChoice, Distribution } from '../../search/distributions.js';
import type { Direction } from '../../study/state.js';
import type { JsonValue } from '../../util/json.js';

// Encodings of Optuna's RDB schema, so that Python Optuna reads what tunelab writes.

/** Reads Optuna's current distribution names and the pre-3.0 ones still found in old studies. */
export function distributionFromJson(text: string): Distribution {
  const { name, attributes: a } = JSON.parse(text) as { name: string; attributes: Record<string, unknown> };
  const num = (key: string): number => Number(a[key]);
  switch (name) {
    case 'FloatDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: a['log'] === true, step: a['step'] === null || a['step'] === undefined ? null : num('step') };
    case 'UniformDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: false, step: null };
    case 'LogUniformDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: true, step: null };
    case 'DiscreteUniformDistribution':
      return { kind: 'float', low: num('low'), high: num('high'), log: false, step: num('q') };
    case 'IntDistribution':
    case 'IntUniformDistribution':
    case 'IntLogUniformDistribution':
      return { kind: 'int', low: num('low'), high: num('high'), log: a['log'] === true || name === 'IntLogUniformDistribution', step: a['step'] === undefined ? 1 : num('step') };
    case 'CategoricalDistribution':
      return { kind: 'categorical', choices: a['choices'] as CategoricalChoice[] };
    default:
      throw new StorageError(`a stored parameter has distribution '${name}', which tunelab does not know`);
  }
}

export type ValueType = 'FINITE' | 'INF_POS' | 'INF_NEG' | 'NAN';

/** Optuna keeps ±inf (and NaN for intermediate values) out of the float column. */
export function toStored(value: number): { value: number | null; type: ValueType } {
  if (Number.isNaN(value)) return { value: null, type: 'NAN' };
  if (value === Infinity) return { value: null, type: 'INF_POS' };
  if (value === -Infinity) return { value: null, type: 'INF_NEG' };
  return { value, type: 'FINITE' };
}

export function fromStored(value: number | null, type: ValueType): number {
  switch (type) {
    case 'NAN':
      return NaN;
    case 'INF_POS':
      return Infinity;
    case 'INF_NEG':
      return -Infinity;
    case 'FINITE':
      return value as number;
  }
}

export function directionToDb(d: Direction): 'MINIMIZE' | 'MAXIMIZE' {
  return d === 'maximize' ? 'MAXIMIZE' : 'MINIMIZE';
}

export function directionFromDb(d: string): Direction {
  return d === 'MAXIMIZE' ? 'maximize' : 'minimize';
}

/** Attribute values are JSON text (`value_json`), as Optuna's json.dumps writes them. */
export function attrsFromRows(rows: readonly (readonly [string, string])[] | null): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, json] of rows ?? []) out[key] = JSON.parse(json) as JsonValue;
  return out;
}
