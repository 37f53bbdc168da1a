import { StorageError } from '../../errors.js';
import type { Distribution } from '../../trial/distributions.js';
import type { StudyId, TrialId } from '../../trial/frozen-trial.js';
import type { Direction, TrialState } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import { hasNonJsonNumber, parsePythonJson, toPythonJson } from '../journal/python-json.js';
import type { TrialRecord } from '../trial-record.js';

/** What LevelDB holds for one study (its trials live under their own keys). */
export interface StoredStudy {
  readonly studyId: StudyId;
  readonly name: string;
  readonly directions: readonly Direction[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
}

// Keys: `m` (counters), `s<study>` (study records), `t<study>:<number>` (one per trial). They start
// with a letter, so sublevels that other parts of tunelab open in the same database ('!name!...')
// never mix with them. Fixed-width decimals sort in numeric order: a range scan yields trials by number.
export const META_KEY = 'm';
const pad = (n: number): string => String(n).padStart(10, '0');

export function studyKey(studyId: StudyId): string {
  return `s${pad(studyId)}`;
}

export const STUDY_RANGE = { gt: 's', lt: 't' } as const;

export function trialKey(studyId: StudyId, number: number): string {
  return `t${pad(studyId)}:${pad(number)}`;
}

export const TRIAL_RANGE = { gt: 't', lt: 'u' } as const;

/** The key range holding one study's trials. */
export function trialRange(studyId: StudyId): { gt: string; lt: string } {
  return { gt: `t${pad(studyId)}:`, lt: `t${pad(studyId)};` };
}

// JSON loses -0, Infinity and NaN. Objective values, params and intermediate values must come back
// bit for bit, so those three fields carry such numbers as tagged strings (the fields hold only
// numbers, so a string there can only be a tag).
const SPECIAL: Record<string, number> = { '-0': -0, Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN };

function encodeNumber(v: number): number | string {
  if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : v;
  return String(v);
}

function decodeNumber(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  const special = typeof v === 'string' ? SPECIAL[v] : undefined;
  if (special === undefined) throw new StorageError(`stored trial record is damaged: ${where} holds ${JSON.stringify(v)}, not a number`);
  return special;
}

function mapRecord<A, B>(obj: Record<string, A>, f: (v: A, k: string) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const k in obj) out[k] = f(obj[k] as A, k);
  return out;
}

interface EncodedTrial {
  trialId: number;
  number: number;
  state: TrialState;
  values: (number | string)[] | null;
  params: Record<string, number | string>;
  distributions: Record<string, Distribution>;
  intermediateValues: Record<string, number | string>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  datetimeStart: number | null;
  datetimeComplete: number | null;
}

export function encodeTrial(r: TrialRecord): string {
  const e: EncodedTrial = {
    trialId: r.trialId,
    number: r.number,
    state: r.state,
    values: r.values === undefined ? null : r.values.map(encodeNumber),
    params: mapRecord(r.params, encodeNumber),
    distributions: r.distributions,
    intermediateValues: mapRecord(r.intermediateValues, encodeNumber),
    userAttrs: r.userAttrs,
    systemAttrs: r.systemAttrs,
    datetimeStart: r.datetimeStart ?? null,
    datetimeComplete: r.datetimeComplete ?? null,
  };
  return encodeJson(e, r.userAttrs, r.systemAttrs);
}

/**
 * A record as JSON text. Attributes may hold NaN, ±Infinity or -0 (a journal from Python Optuna can
 * carry them), which JSON.stringify would turn into null or 0; such records are written as Python
 * writes JSON (bare NaN/Infinity tokens, -0.0), which decodeJson reads back. Checked per record so
 * the common case keeps the native JSON.stringify.
 */
export function encodeJson(record: object, ...attrs: readonly unknown[]): string {
  return attrs.some((a) => hasNonJsonNumber(a)) ? toPythonJson(record) : JSON.stringify(record);
}

/** Reads what encodeJson wrote; throws SyntaxError for text that is not JSON. */
export function decodeJson(text: string): unknown {
  return parsePythonJson(text);
}

export function decodeTrial(text: string, key: string): TrialRecord {
  let e: EncodedTrial;
  try {
    e = decodeJson(text) as EncodedTrial;
  } catch (cause) {
    throw new StorageError(`stored trial record '${key}' is not valid JSON; restore the study from a backup (restoreStudy)`, { cause });
  }
  return {
    trialId: e.trialId as TrialId,
    number: e.number,
    state: e.state,
    values: e.values === null ? undefined : e.values.map((v, i) => decodeNumber(v, `${key} values[${i}]`)),
    params: mapRecord(e.params, (v, k) => decodeNumber(v, `${key} param ${k}`)),
    distributions: e.distributions,
    intermediateValues: mapRecord(e.intermediateValues, (v, k) => decodeNumber(v, `${key} step ${k}`)) as Record<number, number>,
    userAttrs: e.userAttrs,
    systemAttrs: e.systemAttrs,
    datetimeStart: e.datetimeStart ?? undefined,
    datetimeComplete: e.datetimeComplete ?? undefined,
  };
}
