import type { Distribution } from '../../trial/distributions.js';
import type { FrozenTrial, TrialId } from '../../trial/frozen-trial.js';
import type { TrialState } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import { freezeRecord, type TrialRecord } from '../trial-record.js';
import { distributionFromOptunaJson } from '../optuna-distribution.js';
import { attrsFromRows, fromStored, type ValueType } from './codec.js';

/**
 * One round trip for whole trials: each child table comes back as a JSON array per trial.
 * The caller appends the WHERE clause (on alias t) and ORDER BY.
 */
export const SELECT_TRIALS = `
SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete,
  (SELECT json_agg(json_build_array(p.param_name, p.param_value, p.distribution_json)) FROM trial_params p WHERE p.trial_id = t.trial_id) AS params,
  (SELECT json_agg(json_build_array(v.value, v.value_type) ORDER BY v.objective) FROM trial_values v WHERE v.trial_id = t.trial_id) AS vals,
  (SELECT json_agg(json_build_array(i.step, i.intermediate_value, i.intermediate_value_type)) FROM trial_intermediate_values i WHERE i.trial_id = t.trial_id) AS inter,
  (SELECT json_agg(json_build_array(a.key, a.value_json)) FROM trial_user_attributes a WHERE a.trial_id = t.trial_id) AS uattrs,
  (SELECT json_agg(json_build_array(a.key, a.value_json)) FROM trial_system_attributes a WHERE a.trial_id = t.trial_id) AS sattrs
FROM trials t`;

export interface TrialRow {
  readonly trial_id: number;
  readonly number: number;
  readonly state: TrialState;
  readonly datetime_start: Date | null;
  readonly datetime_complete: Date | null;
  readonly params: readonly (readonly [string, number, string])[] | null;
  readonly vals: readonly (readonly [number | null, ValueType])[] | null;
  readonly inter: readonly (readonly [number, number | null, ValueType])[] | null;
  readonly uattrs: readonly (readonly [string, string])[] | null;
  readonly sattrs: readonly (readonly [string, string])[] | null;
}

/** Optuna's name for the params of an enqueued trial; tunelab's is `fixedParams`. Same shape (external values). */
export const OPTUNA_FIXED_PARAMS = 'fixed_params';

export function rowToTrial(row: TrialRow): FrozenTrial {
  const params: Record<string, number> = {};
  const distributions: Record<string, Distribution> = {};
  for (const [name, value, json] of row.params ?? []) {
    params[name] = value;
    distributions[name] = distributionFromOptunaJson(json);
  }
  const intermediateValues: Record<number, number> = {};
  for (const [step, value, type] of row.inter ?? []) intermediateValues[step] = fromStored(value, type);
  const record: TrialRecord = {
    trialId: row.trial_id as TrialId,
    number: row.number,
    state: row.state,
    values: row.vals === null ? undefined : row.vals.map(([v, type]) => fromStored(v, type)),
    params,
    distributions,
    intermediateValues,
    userAttrs: attrsFromRows(row.uattrs),
    systemAttrs: withFixedParams(attrsFromRows(row.sattrs)),
    datetimeStart: row.datetime_start?.getTime(),
    datetimeComplete: row.datetime_complete?.getTime(),
  };
  return freezeRecord(record);
}

/** A trial enqueued by Python Optuna carries only `fixed_params`: tunelab workers take them too. */
function withFixedParams(attrs: Record<string, JsonValue>): Record<string, JsonValue> {
  const optuna = attrs[OPTUNA_FIXED_PARAMS];
  if (optuna !== undefined && attrs['fixedParams'] === undefined) attrs['fixedParams'] = optuna;
  return attrs;
}
