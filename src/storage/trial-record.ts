import { toExternal, type Distribution, type ParamValue } from '../trial/distributions.js';
import type { FrozenTrial, TrialId } from '../trial/frozen-trial.js';
import { isFinished, type TrialState } from '../trial/state.js';
import { StorageError, TrialFinishedError } from '../errors.js';
import type { JsonValue } from '../util/json.js';
import type { TrialPatch } from './storage.js';

/**
 * The mutable record a storage keeps for one trial, and the one place where a TrialPatch is
 * applied to it — so every backend applies patches with the same rules.
 */
export interface TrialRecord {
  trialId: TrialId;
  number: number;
  state: TrialState;
  values: number[] | undefined;
  params: Record<string, number>;
  distributions: Record<string, Distribution>;
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  datetimeStart: number | undefined;
  datetimeComplete: number | undefined;
}

export function newTrialRecord(trialId: TrialId, number: number, state: 'RUNNING' | 'WAITING', now: number): TrialRecord {
  return {
    trialId,
    number,
    state,
    values: undefined,
    params: {},
    distributions: {},
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: state === 'RUNNING' ? now : undefined,
    datetimeComplete: undefined,
  };
}

/**
 * Applies a patch in place; throws TrialFinishedError if it would change a finished trial's state,
 * and StorageError (before changing anything) if it holds a NaN where a number is stored.
 */
export function applyPatch(record: TrialRecord, patch: TrialPatch): void {
  checkNumbers(record.number, patch);
  if (patch.state !== undefined && isFinished(record.state)) {
    throw new TrialFinishedError(record.number, record.state, `become ${patch.state}`);
  }
  if (patch.values !== undefined && isFinished(record.state) && patch.state === undefined) {
    throw new TrialFinishedError(record.number, record.state, 'take new values');
  }
  if (patch.params) {
    for (const name in patch.params) {
      const p = patch.params[name] as { value: number; distribution: Distribution };
      record.params[name] = p.value;
      record.distributions[name] = p.distribution;
    }
  }
  if (patch.intermediateValues) Object.assign(record.intermediateValues, patch.intermediateValues);
  if (patch.userAttrs) Object.assign(record.userAttrs, patch.userAttrs);
  if (patch.systemAttrs) Object.assign(record.systemAttrs, patch.systemAttrs);
  if (patch.values !== undefined) record.values = [...patch.values];
  if (patch.state !== undefined) {
    if (patch.state === 'RUNNING' && record.datetimeStart === undefined) record.datetimeStart = Date.now();
    record.state = patch.state;
  }
  if (patch.datetimeComplete !== undefined) record.datetimeComplete = patch.datetimeComplete.getTime();
  else if (patch.state !== undefined && isFinished(patch.state) && record.datetimeComplete === undefined) record.datetimeComplete = Date.now();
}

/**
 * A NaN objective value or parameter breaks every comparison a sampler or "best trial" makes. The
 * engine turns a NaN result into FAIL before it reaches storage, so a NaN here is a bug in the
 * caller — refused for every backend alike. Infinity is kept, and so are NaN intermediate values
 * (a diverging loss is worth recording), as in Optuna.
 */
function checkNumbers(number: number, patch: TrialPatch): void {
  // Plain loops: this runs on every write of every trial.
  const values = patch.values;
  if (values !== undefined) {
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) refuseNaN(number, `values[${i}]`);
  }
  const params = patch.params;
  if (params !== undefined) for (const name in params) if (Number.isNaN(params[name]?.value)) refuseNaN(number, `param '${name}'`);
}

function refuseNaN(number: number, where: string): never {
  throw new StorageError(`trial ${number}: ${where} is NaN; a stored number must not be NaN (tell the trial 'FAIL' instead)`);
}

/** A FrozenTrial built from a record; it shares nothing mutable with the record. */
export function freezeRecord(r: TrialRecord): FrozenTrial {
  const params: Record<string, ParamValue> = {};
  for (const name in r.params) params[name] = toExternal(r.distributions[name] as Distribution, r.params[name] as number);
  const values = r.values === undefined ? undefined : [...r.values];
  return {
    trialId: r.trialId,
    number: r.number,
    state: r.state,
    value: values !== undefined && values.length === 1 ? values[0] : undefined,
    values,
    params,
    internalParams: { ...r.params },
    distributions: { ...r.distributions },
    intermediateValues: { ...r.intermediateValues },
    userAttrs: { ...r.userAttrs },
    systemAttrs: { ...r.systemAttrs },
    datetimeStart: r.datetimeStart === undefined ? undefined : new Date(r.datetimeStart),
    datetimeComplete: r.datetimeComplete === undefined ? undefined : new Date(r.datetimeComplete),
    durationMs: r.datetimeStart !== undefined && r.datetimeComplete !== undefined ? r.datetimeComplete - r.datetimeStart : undefined,
  };
}
