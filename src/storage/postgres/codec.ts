import type { Direction } from '../../trial/state.js';
import { InvalidOptionError } from '../../errors.js';
import type { JsonValue } from '../../util/json.js';
import { hasNonJsonNumber, parsePythonJson, toPythonJson } from '../journal/python-json.js';

// Encodings of Optuna's RDB schema, so that Python Optuna reads what tunelab writes.

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

/**
 * Attribute values are JSON text (`value_json`), as Optuna's json.dumps writes them: NaN and
 * ±Infinity as bare tokens (which Python reads back), -0 as -0.0.
 */
export function attrsFromRows(rows: readonly (readonly [string, string])[] | null): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, json] of rows ?? []) out[key] = parsePythonJson(json) as JsonValue;
  return out;
}

/** One attribute value as `value_json` text (see attrsFromRows). */
export function attrToJson(value: JsonValue): string {
  return hasNonJsonNumber(value) ? toPythonJson(value) : JSON.stringify(value);
}

/** Optuna's schema keeps names and keys in varchar(512) columns (counted in characters). */
export const MAX_NAME_LENGTH = 512;

/**
 * Why PostgreSQL would refuse a name or key, or undefined if it fits: longer than the column
 * (Optuna's varchar(512)) or holding NUL, which PostgreSQL text cannot store.
 */
export function dbTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains the NUL character (\\u0000), which PostgreSQL cannot store in text';
  const length = [...text].length;
  if (length > MAX_NAME_LENGTH) return `is ${length} characters long; Optuna's PostgreSQL schema holds at most ${MAX_NAME_LENGTH}`;
  return undefined;
}

/** Refuses, before any query, a name or key PostgreSQL would reject with a raw error. */
export function checkDbText(what: string, text: string): void {
  const problem = dbTextProblem(text);
  if (problem !== undefined) throw new InvalidOptionError(`${what} ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)} ${problem}; choose a shorter name without NUL characters`);
}
