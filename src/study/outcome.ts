import { describeValue } from '../util/describe.js';
import { lastIntermediate, type FrozenTrial } from '../trial/frozen-trial.js';

/** What `tell` accepts: the objective's value(s), or a final state for a trial that gave none. */
export type TellResult = number | readonly number[] | 'PRUNED' | 'FAIL';

/** How a trial ends, decided from what `tell` was given. */
export interface Outcome {
  readonly state: 'COMPLETE' | 'PRUNED' | 'FAIL';
  readonly values: readonly number[] | undefined;
  readonly failReason: string | undefined;
}

export function interpretResult(result: TellResult, trial: FrozenTrial, nDirections: number, failReason: string | undefined): Outcome {
  try {
    return interpret(result, trial, nDirections, failReason);
  } catch {
    // A hostile value (a Proxy whose traps throw, an array with a throwing getter) must not leave the trial RUNNING.
    return { state: 'FAIL', values: undefined, failReason: `the objective returned ${describeValue(result)}, which cannot be read as a number` };
  }
}

function interpret(result: TellResult, trial: FrozenTrial, nDirections: number, failReason: string | undefined): Outcome {
  if (result === 'FAIL') return { state: 'FAIL', values: undefined, failReason: failReason ?? 'failed' };
  if (result === 'PRUNED') {
    const last = lastIntermediate(trial);
    return { state: 'PRUNED', values: last !== undefined && Number.isFinite(last.value) ? [last.value] : undefined, failReason: undefined };
  }
  const values = typeof result === 'number' ? [result] : Array.isArray(result) ? (result as readonly unknown[]) : undefined;
  if (values === undefined) {
    return { state: 'FAIL', values: undefined, failReason: `the objective returned ${describe(result)}; it must return a number${nDirections > 1 ? ` array of length ${nDirections}` : ''}` };
  }
  if (values.length !== nDirections) {
    return { state: 'FAIL', values: undefined, failReason: `the objective returned ${values.length} value(s) but the study has ${nDirections} direction(s)` };
  }
  for (const v of values) {
    if (typeof v !== 'number') return { state: 'FAIL', values: undefined, failReason: `the objective returned ${describe(v)} where a number was expected` };
    if (!Number.isFinite(v)) return { state: 'FAIL', values: undefined, failReason: `the objective returned ${v}, which is not a finite number` };
  }
  return { state: 'COMPLETE', values: values as number[], failReason: undefined };
}

const describe = describeValue;
