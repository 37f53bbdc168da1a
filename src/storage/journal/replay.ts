import type { Distribution } from '../../trial/distributions.js';
import { isFinished, type Direction, type TrialState } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import type { TrialRecord } from '../trial-record.js';
import { distributionFromOptunaJson } from '../optuna-distribution.js';
import { directionFromCode, fromPythonDatetime, Op, stateFromCode } from './format.js';

/** A trial as a journal leaves it: a storage's trial record without id and number, its times as Dates. */
export type ReplayedTrial = Omit<TrialRecord, 'trialId' | 'number' | 'datetimeStart' | 'datetimeComplete'> & {
  datetimeStart: Date | undefined;
  datetimeComplete: Date | undefined;
};

export interface ReplayedStudy {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly userAttrs: Record<string, JsonValue>;
  readonly systemAttrs: Record<string, JsonValue>;
  readonly trials: ReplayedTrial[];
  deleted: boolean;
}

type Log = Record<string, unknown>;

/**
 * Optuna's JournalStorageReplayResult, for one reader: applies operations in order with Optuna's
 * rules (study ids count successful CREATE_STUDY ops, trial ids count every applied CREATE_TRIAL,
 * operations on deleted studies or finished trials are ignored). Throws Error on a malformed op;
 * the caller adds the line number.
 */
export class JournalReplay {
  readonly studies: ReplayedStudy[] = [];
  readonly #trials: { study: ReplayedStudy; trial: ReplayedTrial }[] = [];

  apply(log: unknown): void {
    if (log === null || typeof log !== 'object' || Array.isArray(log)) throw new Error('the line is not a JSON object');
    const l = log as Log;
    switch (l['op_code']) {
      case Op.CREATE_STUDY:
        return this.#createStudy(l);
      case Op.DELETE_STUDY: {
        const s = this.#study(l);
        if (s) s.deleted = true;
        return;
      }
      case Op.SET_STUDY_USER_ATTR:
        return void Object.assign(this.#study(l)?.userAttrs ?? {}, obj(l, 'user_attr'));
      case Op.SET_STUDY_SYSTEM_ATTR:
        return void Object.assign(this.#study(l)?.systemAttrs ?? {}, obj(l, 'system_attr'));
      case Op.CREATE_TRIAL:
        return this.#createTrial(l);
      case Op.SET_TRIAL_PARAM: {
        const t = this.#updatable(l);
        if (!t) return;
        const name = str(l, 'param_name');
        t.params[name] = num(l['param_value_internal'], 'param_value_internal');
        t.distributions[name] = distributionFromOptunaJson(l['distribution']);
        return;
      }
      case Op.SET_TRIAL_STATE_VALUES: {
        const t = this.#updatable(l);
        if (!t) return;
        const state = stateFromCode(l['state']);
        if (state === undefined) throw new Error(`unknown trial state ${JSON.stringify(l['state'])}`);
        if (state === 'RUNNING' && t.state === 'RUNNING') return;
        if (state === 'RUNNING') t.datetimeStart = fromPythonDatetime(l['datetime_start']);
        if (isFinished(state)) t.datetimeComplete = fromPythonDatetime(l['datetime_complete']);
        t.state = state;
        if (l['values'] !== null && l['values'] !== undefined) t.values = numbers(l['values'], 'values');
        return;
      }
      case Op.SET_TRIAL_INTERMEDIATE_VALUE: {
        const t = this.#updatable(l);
        if (t) t.intermediateValues[num(l['step'], 'step')] = num(l['intermediate_value'], 'intermediate_value');
        return;
      }
      case Op.SET_TRIAL_USER_ATTR:
        return void Object.assign(this.#updatable(l)?.userAttrs ?? {}, obj(l, 'user_attr'));
      case Op.SET_TRIAL_SYSTEM_ATTR:
        return void Object.assign(this.#updatable(l)?.systemAttrs ?? {}, obj(l, 'system_attr'));
      default:
        throw new Error(`unknown op_code ${JSON.stringify(l['op_code'])}`);
    }
  }

  /** The studies still present, in creation order. */
  live(): ReplayedStudy[] {
    return this.studies.filter((s) => !s.deleted);
  }

  #createStudy(l: Log): void {
    const name = str(l, 'study_name');
    const codes = l['directions'];
    if (!Array.isArray(codes)) throw new Error('CREATE_STUDY needs a directions array');
    const directions = codes.map((c: unknown) => {
      const d = directionFromCode(c);
      if (d === undefined) throw new Error(`unknown study direction ${JSON.stringify(c)}`);
      return d;
    });
    if (this.studies.some((s) => !s.deleted && s.name === name)) return;
    this.studies.push({ name, directions, userAttrs: {}, systemAttrs: {}, trials: [], deleted: false });
  }

  #study(l: Log): ReplayedStudy | undefined {
    const s = this.studies[num(l['study_id'], 'study_id')];
    return s && !s.deleted ? s : undefined;
  }

  #createTrial(l: Log): void {
    const study = this.#study(l);
    if (!study) return;
    const distributions: Record<string, Distribution> = {};
    const rawDistributions = (l['distributions'] ?? {}) as Record<string, unknown>;
    for (const name in rawDistributions) distributions[name] = distributionFromOptunaJson(rawDistributions[name]);
    const params: Record<string, number> = {};
    const rawParams = (l['params'] ?? {}) as Record<string, unknown>;
    for (const name in rawParams) {
      if (!(name in distributions)) throw new Error(`param '${name}' has no distribution`);
      params[name] = num(rawParams[name], `params.${name}`);
    }
    const intermediateValues: Record<number, number> = {};
    const rawIv = (l['intermediate_values'] ?? {}) as Record<string, unknown>;
    for (const step in rawIv) intermediateValues[Number(step)] = num(rawIv[step], `intermediate_values.${step}`);
    const state = l['state'] === undefined ? 'RUNNING' : stateFromCode(l['state']);
    if (state === undefined) throw new Error(`unknown trial state ${JSON.stringify(l['state'])}`);
    const value = l['value'];
    const values = l['values'] !== null && l['values'] !== undefined ? numbers(l['values'], 'values') : value !== null && value !== undefined ? [num(value, 'value')] : undefined;
    const trial: ReplayedTrial = {
      state,
      values,
      params,
      distributions,
      intermediateValues,
      userAttrs: { ...(l['user_attrs'] as Record<string, JsonValue> | undefined) },
      systemAttrs: { ...(l['system_attrs'] as Record<string, JsonValue> | undefined) },
      datetimeStart: l['datetime_start'] === null || l['datetime_start'] === undefined ? undefined : fromPythonDatetime(l['datetime_start']),
      datetimeComplete: l['datetime_complete'] === undefined || l['datetime_complete'] === null ? undefined : fromPythonDatetime(l['datetime_complete']),
    };
    study.trials.push(trial);
    this.#trials.push({ study, trial });
  }

  #updatable(l: Log): ReplayedTrial | undefined {
    const entry = this.#trials[num(l['trial_id'], 'trial_id')];
    if (!entry || entry.study.deleted || isFinished(entry.trial.state)) return undefined;
    return entry.trial;
  }
}

function num(v: unknown, field: string): number {
  if (typeof v !== 'number') throw new Error(`'${field}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function numbers(v: unknown, field: string): number[] {
  if (!Array.isArray(v)) throw new Error(`'${field}' must be an array of numbers, got ${JSON.stringify(v)}`);
  return v.map((x, i) => num(x, `${field}[${i}]`));
}

function str(l: Log, field: string): string {
  const v = l[field];
  if (typeof v !== 'string') throw new Error(`'${field}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function obj(l: Log, field: string): Record<string, JsonValue> {
  const v = l[field];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`'${field}' must be an object, got ${JSON.stringify(v)}`);
  return v as Record<string, JsonValue>;
}
