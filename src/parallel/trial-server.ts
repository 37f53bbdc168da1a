import { TunelabError } from '../errors.js';
import type { RangeOptions } from '../trial/distributions.js';
import type { LocalTrial } from '../study/local-trial.js';
import type { JsonValue } from '../util/json.js';
import type { TrialCall, TrialReply } from './messages.js';

/** Answers a worker's call by calling the same method on the study's own trial. */
// Calls may arrive as JSON (from a child process), where an omitted options argument is null.
export function answerCall(trial: LocalTrial, call: TrialCall): TrialReply {
  try {
    return { ok: true, value: dispatch(trial, call) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name: e.name, message: e.message, code: error instanceof TunelabError ? error.code : undefined } };
  }
}

function dispatch(trial: LocalTrial, call: TrialCall): unknown {
  switch (call.method) {
    case 'suggestFloat':
      return trial.suggestFloat(call.args[0], call.args[1], call.args[2], (call.args[3] ?? undefined) as RangeOptions | undefined);
    case 'suggestInt':
      return trial.suggestInt(call.args[0], call.args[1], call.args[2], (call.args[3] ?? undefined) as RangeOptions | undefined);
    case 'suggestCategorical':
      return trial.suggestCategorical(call.args[0], call.args[1] as never[]);
    case 'report':
      trial.report(call.args[0], call.args[1]);
      return undefined;
    case 'shouldPrune':
      return trial.shouldPrune();
    case 'setUserAttr':
      trial.setUserAttr(call.args[0], call.args[1] as JsonValue);
      return undefined;
    case 'get':
      return trial[call.args[0]];
    default:
      throw new TypeError(`unknown trial call ${JSON.stringify((call as { method: unknown }).method)}`);
  }
}
