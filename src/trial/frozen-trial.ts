import type { Distribution, ParamValue } from './distributions.js';
import type { JsonValue } from '../util/json.js';
import type { TrialState } from './state.js';

/** A storage-assigned id, unique within one storage. Not the trial's number within its study. */
export type TrialId = number & { readonly __brand: 'TrialId' };
export type StudyId = number & { readonly __brand: 'StudyId' };

/**
 * A read-only snapshot of a trial: what `study.trials` holds and what storages return.
 * Plain data — it can be cloned, sent to a worker, or written as JSON.
 */
export interface FrozenTrial {
  readonly trialId: TrialId;
  /** 0, 1, 2, ... within its study, in order of creation. */
  readonly number: number;
  readonly state: TrialState;
  /** The objective value of a single-objective study (undefined until COMPLETE, or when pruned without reports). */
  readonly value: number | undefined;
  readonly values: readonly number[] | undefined;
  /** External values: numbers, or the chosen categorical value. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Internal values (the choice's index for categorical): what samplers model. */
  readonly internalParams: Readonly<Record<string, number>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** step → value, as reported with `trial.report(value, step)`. */
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  /** Set by tunelab: `failReason`, `fixedParams` of an enqueued trial, `cached`, `retryOf`, ... */
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly datetimeStart: Date | undefined;
  readonly datetimeComplete: Date | undefined;
  readonly durationMs: number | undefined;
}

/** The last reported intermediate value, if any (by largest step). */
export function lastIntermediate(trial: Pick<FrozenTrial, 'intermediateValues'>): { step: number; value: number } | undefined {
  let best: { step: number; value: number } | undefined;
  for (const key in trial.intermediateValues) {
    const step = Number(key);
    if (best === undefined || step > best.step) best = { step, value: trial.intermediateValues[step] as number };
  }
  return best;
}
