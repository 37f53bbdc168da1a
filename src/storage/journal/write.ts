import { rename, writeFile } from 'node:fs/promises';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import { directionCode, Op, stateCode, toPythonDatetime } from './format.js';
import { distributionToOptunaJson } from '../optuna-distribution.js';
import { toPythonJson } from './python-json.js';

/** Everything a journal holds about one study. */
export interface JournalStudy {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly trials: readonly FrozenTrial[];
}

const WORKER_ID = 'tunelab';

/**
 * One study as Optuna JournalStorage operations: CREATE_STUDY, its attributes, then one
 * CREATE_TRIAL per trial carrying the whole trial (as Optuna's own add_trial writes it), so each
 * trial is a single line — a file cut short loses whole trials, never half of one.
 */
export function journalText(study: JournalStudy): string {
  return journalHeader(study) + study.trials.map(journalTrialLine).join('');
}

/** The lines that create the study and set its attributes. The study is the file's first, so Optuna gives it study_id 0. */
export function journalHeader(study: Omit<JournalStudy, 'trials'>): string {
  let text = line(Op.CREATE_STUDY, { study_name: study.name, directions: study.directions.map(directionCode) });
  for (const key in study.userAttrs) text += line(Op.SET_STUDY_USER_ATTR, { study_id: 0, user_attr: { [key]: study.userAttrs[key] } });
  for (const key in study.systemAttrs) text += line(Op.SET_STUDY_SYSTEM_ATTR, { study_id: 0, system_attr: { [key]: study.systemAttrs[key] } });
  return text;
}

/** One trial as a single CREATE_TRIAL line (with its newline). */
export function journalTrialLine(t: FrozenTrial): string {
  return line(Op.CREATE_TRIAL, createTrialFields(t));
}

function line(code: number, fields: Record<string, unknown>): string {
  return `${toPythonJson({ op_code: code, worker_id: WORKER_ID, ...fields })}\n`;
}

function createTrialFields(t: FrozenTrial): Record<string, unknown> {
  const multi = t.values !== undefined && t.values.length > 1;
  const distributions: Record<string, string> = {};
  for (const name in t.distributions) distributions[name] = distributionToOptunaJson(t.distributions[name]!);
  const systemAttrs: Record<string, unknown> = { ...t.systemAttrs };
  // Optuna's own names for what it reads: the failure reason, and the params an enqueued trial runs with.
  if (t.systemAttrs['failReason'] !== undefined) systemAttrs['fail_reason'] = t.systemAttrs['failReason'];
  if (t.state === 'WAITING' && t.systemAttrs['fixedParams'] !== undefined) systemAttrs['fixed_params'] = t.systemAttrs['fixedParams'];
  return {
    study_id: 0,
    datetime_start: t.datetimeStart === undefined ? null : toPythonDatetime(t.datetimeStart),
    state: stateCode(t.state),
    value: multi ? null : (t.values?.[0] ?? null),
    values: multi ? t.values : null,
    ...(t.datetimeComplete !== undefined && { datetime_complete: toPythonDatetime(t.datetimeComplete) }),
    distributions,
    params: t.internalParams,
    user_attrs: t.userAttrs,
    system_attrs: systemAttrs,
    intermediate_values: t.intermediateValues,
  };
}

let tmpCounter = 0;

/** Writes a file all at once or not at all: a temporary file beside it, then a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}-${tmpCounter++}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
