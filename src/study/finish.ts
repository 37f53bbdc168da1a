import type { Sampler } from '../search/sampler.js';
import type { DraftPatch } from '../storage/storage.js';
import type { JsonValue } from '../util/json.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { Outcome } from './outcome.js';
import type { StudyView } from '../trial/view.js';

/** What the sampler's trialFinishing hook gave: attributes to store, or the exception it threw. */
export interface Finishing {
  readonly attrs?: Readonly<Record<string, JsonValue>>;
  readonly failed?: true;
  readonly error?: unknown;
}

export const NO_FINISHING: Finishing = {};

/**
 * Calls the sampler's trialFinishing hook on the trial as it is about to be stored. Its exception
 * is kept, not thrown: the result is stored first, then the study rethrows it.
 */
export function samplerFinishing(sampler: Sampler, view: StudyView, before: FrozenTrial, outcome: Outcome): Finishing {
  if (sampler.trialFinishing === undefined) return NO_FINISHING;
  const finishing: FrozenTrial = { ...before, state: outcome.state, values: outcome.values, value: singleValue(outcome.values) };
  try {
    const attrs = sampler.trialFinishing(view, finishing);
    if (attrs === undefined) return NO_FINISHING;
    for (const _ in attrs) return { attrs };
    return NO_FINISHING;
  } catch (error) {
    return { failed: true, error };
  }
}

/**
 * Completes the patch that finishes a trial: state, values, system attributes from the sampler
 * and the fail reason, completion time. Filled in place: a literal of spreads was the slowest
 * statement of a trivial trial.
 */
export function fillFinishPatch(patch: DraftPatch, outcome: Outcome, finishing: Finishing, completedAt: Date): void {
  patch.state = outcome.state;
  if (outcome.values) patch.values = outcome.values;
  if (outcome.failReason !== undefined || finishing.attrs !== undefined) patch.systemAttrs = { ...patch.systemAttrs, ...finishedAttrs(outcome, finishing) };
  patch.datetimeComplete = completedAt;
}

/** The finished trial as the study keeps it once storage has it. */
export function finishedTrial(before: FrozenTrial, outcome: Outcome, finishing: Finishing, completedAt: Date): FrozenTrial {
  return {
    ...before,
    state: outcome.state,
    values: outcome.values,
    value: singleValue(outcome.values),
    systemAttrs: outcome.failReason === undefined && finishing.attrs === undefined ? before.systemAttrs : { ...before.systemAttrs, ...finishedAttrs(outcome, finishing) },
    datetimeComplete: completedAt,
    durationMs: before.datetimeStart ? completedAt.getTime() - before.datetimeStart.getTime() : undefined,
  };
}

function finishedAttrs(outcome: Outcome, finishing: Finishing): Readonly<Record<string, JsonValue>> {
  return outcome.failReason === undefined ? (finishing.attrs ?? {}) : { ...finishing.attrs, failReason: outcome.failReason };
}

/** A single-objective trial's value. */
function singleValue(values: readonly number[] | undefined): number | undefined {
  return values !== undefined && values.length === 1 ? values[0] : undefined;
}
