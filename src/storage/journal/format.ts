import type { Direction, TrialState } from '../../trial/state.js';

/** Optuna 3.1's JournalOperation codes (optuna/storages/_journal/storage.py). */
export const Op = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

/** Optuna's StudyDirection and TrialState enum values. */
const DIRECTION_CODES: Record<Direction, number> = { minimize: 1, maximize: 2 };
const STATE_CODES: Record<TrialState, number> = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3, WAITING: 4 };

export function directionCode(d: Direction): number {
  return DIRECTION_CODES[d];
}

export function directionFromCode(code: unknown): Direction | undefined {
  return code === 1 ? 'minimize' : code === 2 ? 'maximize' : undefined;
}

export function stateCode(s: TrialState): number {
  return STATE_CODES[s];
}

export function stateFromCode(code: unknown): TrialState | undefined {
  return (Object.keys(STATE_CODES) as TrialState[]).find((s) => STATE_CODES[s] === code);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Python's datetime.isoformat(timespec="microseconds") of a naive local time, as Optuna writes. */
export function toPythonDatetime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Reads Python's datetime.isoformat(): naive times are local (as Optuna writes them), offsets are honoured. */
export function fromPythonDatetime(text: unknown): Date {
  const m = typeof text === 'string' ? ISO.exec(text) : null;
  if (!m) throw new Error(`${JSON.stringify(text)} is not an ISO date-time`);
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const ms = Math.floor(Number(frac.padEnd(6, '0')) / 1000);
  if (zone === undefined) return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const z = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s.padStart(2, '0')}.${pad(ms, 3)}${z}`);
}
