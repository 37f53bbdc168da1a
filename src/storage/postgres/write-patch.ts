import { StorageError, TrialFinishedError, TrialNotFoundError } from '../../errors.js';
import { isFinished, type TrialState } from '../../trial/state.js';
import type { TrialPatch } from '../storage.js';
import { attrToJson, checkDbText, toStored } from './codec.js';
import { distributionToOptunaJson } from '../optuna-distribution.js';

/** pg sends numbers with String(), which turns -0 into "0"; text keeps the sign. */
const f8 = (v: number | null): number | string | null => (v !== null && Object.is(v, -0) ? '-0' : v);

export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

/** Naive-UTC text for a timestamp column (Optuna's convention), independent of the session's zone. */
export function utcText(date: Date): string {
  return date.toISOString().replace('Z', '');
}

/** Whether the patch must see the trial's state first (the finished-trial rules of applyPatch). */
export function needsStateCheck(patch: TrialPatch): boolean {
  return patch.state !== undefined || patch.values !== undefined;
}

/**
 * The whole patch as ONE statement (so one round trip and one commit): a CTE per child table,
 * each a multi-row upsert. When the finished-trial rules apply, the trial row is locked first
 * (`chk`) and the writes read from `ok`, which is empty if the trial is already finished; the
 * statement then returns the trial's number and state so the caller can refuse the patch.
 */
export function patchStatement(trialId: number, patch: TrialPatch): Statement {
  checkNumbers(trialId, patch);
  for (const name in patch.params) checkDbText('the parameter name', name);
  for (const key in patch.userAttrs) checkDbText('the user attribute key', key);
  for (const key in patch.systemAttrs) checkDbText('the system attribute key', key);
  const values: unknown[] = [trialId];
  const p = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  const guard = needsStateCheck(patch);
  const ctes: string[] = [];
  if (guard) {
    ctes.push(`chk AS (SELECT number, state FROM trials WHERE trial_id = $1 FOR UPDATE)`);
    // Unlike applyPatch (in-process stores never retry a write), a finished trial may be told its own
    // state again: a final write retried after a lost reply must succeed. Study.tell refuses a user's
    // second tell before any storage sees it.
    const same = patch.state === undefined ? '' : ` OR state = ${p(patch.state)}::trialstate`;
    ctes.push(`ok AS (SELECT $1::int AS trial_id FROM chk WHERE state NOT IN ('COMPLETE', 'PRUNED', 'FAIL')${same})`);
  } else {
    ctes.push(`ok AS (SELECT $1::int AS trial_id)`);
  }
  if (patch.params && Object.keys(patch.params).length > 0) {
    const entries = Object.entries(patch.params);
    ctes.push(`pa AS (INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
      SELECT ok.trial_id, n, v, d FROM ok, unnest(${p(entries.map(([n]) => n))}::text[], ${p(entries.map(([, e]) => f8(e.value)))}::float8[], ${p(entries.map(([, e]) => distributionToOptunaJson(e.distribution)))}::text[]) AS x(n, v, d)
      ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json)`);
  }
  if (patch.intermediateValues && Object.keys(patch.intermediateValues).length > 0) {
    const entries = Object.entries(patch.intermediateValues).map(([step, v]) => ({ step: Number(step), ...toStored(v) }));
    ctes.push(`iv AS (INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
      SELECT ok.trial_id, s, v, t FROM ok, unnest(${p(entries.map((e) => e.step))}::int[], ${p(entries.map((e) => f8(e.value)))}::float8[], ${p(entries.map((e) => e.type))}::trialintermediatevaluetype[]) AS x(s, v, t)
      ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type)`);
  }
  for (const [name, table, attrs] of [['ua', 'trial_user_attributes', patch.userAttrs], ['sa', 'trial_system_attributes', patch.systemAttrs]] as const) {
    if (attrs && Object.keys(attrs).length > 0) {
      ctes.push(`${name} AS (INSERT INTO ${table} (trial_id, key, value_json)
        SELECT ok.trial_id, k, v FROM ok, unnest(${p(Object.keys(attrs))}::text[], ${p(Object.values(attrs).map(attrToJson))}::text[]) AS x(k, v)
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json)`);
    }
  }
  if (patch.values !== undefined) {
    // A patch's values replace the old ones as a whole (see applyPatch in trial-record.ts).
    const stored = patch.values.map(toStored);
    ctes.push(`vd AS (DELETE FROM trial_values WHERE trial_id IN (SELECT trial_id FROM ok) AND objective >= ${p(stored.length)})`);
    ctes.push(`vi AS (INSERT INTO trial_values (trial_id, objective, value, value_type)
      SELECT ok.trial_id, o - 1, v, t FROM ok, unnest(${p(stored.map((s) => f8(s.value)))}::float8[], ${p(stored.map((s) => s.type))}::trialvaluetype[]) WITH ORDINALITY AS x(v, t, o)
      ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type)`);
  }
  if (patch.state !== undefined || patch.datetimeComplete !== undefined) {
    const state = patch.state === undefined ? 'NULL' : `${p(patch.state)}::trialstate`;
    const complete = patch.datetimeComplete === undefined ? 'NULL' : `${p(utcText(patch.datetimeComplete))}::timestamp`;
    ctes.push(`st AS (UPDATE trials SET state = COALESCE(${state}, state),
      datetime_start = CASE WHEN ${state} = 'RUNNING' AND datetime_start IS NULL THEN LOCALTIMESTAMP ELSE datetime_start END,
      datetime_complete = COALESCE(${complete}, CASE WHEN ${state} IN ('COMPLETE', 'PRUNED', 'FAIL') AND datetime_complete IS NULL THEN LOCALTIMESTAMP ELSE datetime_complete END)
      WHERE trial_id IN (SELECT trial_id FROM ok))`);
  }
  const tail = guard ? 'SELECT number, state FROM chk' : 'SELECT 1 AS done';
  return { text: `WITH ${ctes.join(',\n')}\n${tail}`, values };
}

/**
 * Judges the guarded statement's answer by the rules of applyPatch (src/storage/trial-record.ts).
 * Telling a finished trial its own state again is allowed here (not in applyPatch), which makes a retry safe
 * whose first attempt committed but lost its reply.
 */
export function judgePatch(trialId: number, patch: TrialPatch, row: { number: number; state: TrialState } | undefined): void {
  if (row === undefined) throw new TrialNotFoundError(`with id ${trialId}`);
  if (!isFinished(row.state) || patch.state === row.state) return;
  if (patch.state !== undefined) throw new TrialFinishedError(row.number, row.state, `become ${patch.state}`);
  if (patch.values !== undefined) throw new TrialFinishedError(row.number, row.state, 'take new values');
}

/** As checkNumbers in trial-record.ts: a NaN value or param is a caller's bug, refused before writing. */
function checkNumbers(trialId: number, patch: TrialPatch): void {
  const refuse = (where: string): never => {
    throw new StorageError(`trial id ${trialId}: ${where} is NaN; a stored number must not be NaN (tell the trial 'FAIL' instead)`);
  };
  patch.values?.forEach((v, i) => Number.isNaN(v) && refuse(`values[${i}]`));
  for (const name in patch.params) if (Number.isNaN(patch.params[name]?.value)) refuse(`param '${name}'`);
}

/** b applied after a: what applying a, then b, leaves in a trial. */
export function mergePatches(a: TrialPatch | undefined, b: TrialPatch): TrialPatch {
  if (a === undefined) return b;
  const merged: { -readonly [K in keyof TrialPatch]: TrialPatch[K] } = { ...a, ...b };
  if (a.params || b.params) merged.params = { ...a.params, ...b.params };
  if (a.intermediateValues || b.intermediateValues) merged.intermediateValues = { ...a.intermediateValues, ...b.intermediateValues };
  if (a.userAttrs || b.userAttrs) merged.userAttrs = { ...a.userAttrs, ...b.userAttrs };
  if (a.systemAttrs || b.systemAttrs) merged.systemAttrs = { ...a.systemAttrs, ...b.systemAttrs };
  return merged;
}
