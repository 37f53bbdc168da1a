import { describeError, safeGet } from '../util/describe.js';
import type { LocalTrial } from '../study/local-trial.js';
import type { TaskContext, TaskResult } from './messages.js';

/** How a trial handed to a worker ended: a result from the worker, or the worker was lost. */
export type TaskEnd =
  | { readonly kind: 'done'; readonly result: TaskResult }
  | { readonly kind: 'lost'; readonly reason: string };

/**
 * Runs trials in workers, one at a time per worker. Aborting the signal (its reason says why:
 * timeout or interrupt) ends the trial's worker at once; the executor replaces it.
 */
export interface Executor {
  /**
   * `started` is called when the objective begins (after the worker's start-up and TF.js preparation).
   * `context`, when given, replaces the setup's context for this trial.
   */
  run(trial: LocalTrial, signal: AbortSignal, started: () => void, context?: TaskContext): Promise<TaskEnd>;
  /** Ends every worker. */
  close(): Promise<void>;
}

/** The failure reason for a worker that died under a trial. */
export function lossReason(error: unknown): string {
  const m = safeGet(error, 'message');
  const message = typeof m === 'string' ? m : describeError(error);
  if (safeGet(error, 'code') === 'ERR_WORKER_OUT_OF_MEMORY') return `heap limit: ${message} (resourceLimits)`;
  return `worker crashed: ${message}`;
}
