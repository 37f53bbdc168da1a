import { TrialFinishedError, TrialPruned } from '../errors.js';
import { StudyCache } from './study-cache.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import { localContext, type Objective, type ObjectiveResult } from './objective.js';
import { describeError, isCaught, validateOptimizeOptions, type OptimizeOptions, type StudyCallback } from './optimize-options.js';
import { startRunProgress, type ProgressHandle } from './progress-port.js';
import { isFinished, type TrialState } from '../trial/state.js';
import type { LocalTrial } from './local-trial.js';
import type { Study, TellResult } from './study.js';
import type { Trial } from '../trial/trial.js';

export type { OptimizeOptions, StudyCallback, ErrorClass } from './optimize-options.js';

/** The trials `totalTrials` counts: finished ones that count (COMPLETE, PRUNED) and those still running. */
const COUNTED_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'RUNNING'];

/** Decides, before each new trial, whether the run should go on; shared by every executor. */
export class RunBudget {
  readonly #study: Study;
  readonly #options: OptimizeOptions<unknown>;
  readonly #deadline: number;
  #started = 0;

  constructor(study: Study, options: OptimizeOptions<unknown>) {
    this.#study = study;
    this.#options = options;
    this.#deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout * 1000;
  }

  /** Whether another trial may start, given `running` trials of ours in flight. */
  mayStart(): boolean {
    const { nTrials, totalTrials, signal } = this.#options;
    if (this.#study.stopRequested || signal?.aborted) return false;
    if (nTrials !== undefined && this.#started >= nTrials) return false;
    if (this.#deadline !== Infinity && Date.now() >= this.#deadline) return false;
    if (this.#study.sampler.isExhausted?.(this.#study.view)) return false;
    if (totalTrials !== undefined) {
      let counted = 0;
      for (const t of this.#study.view.trials) if (t && COUNTED_STATES.includes(t.state)) counted++;
      if (counted >= totalTrials) return false;
    }
    return true;
  }

  /**
   * The next trial, or undefined when the run must stop. With `totalTrials`, the storage counts
   * and starts in one atomic step, so processes and workers racing for the last trials never
   * overshoot the total; a storage that answers synchronously in this thread (memory) needs no
   * second count: mayStart's count and the start happen with nothing in between.
   */
  ask(): LocalTrial | Promise<LocalTrial | undefined> {
    const totalTrials = this.#options.totalTrials;
    const storage = this.#study.storage;
    if (totalTrials === undefined || (storage.sync !== undefined && !storage.shared)) return this.#study.askNow();
    return this.#study.askWithin({ total: totalTrials, states: COUNTED_STATES });
  }

  noteStarted(): void {
    this.#started++;
  }
}

/**
 * Re-enqueues the params of FAIL trials that were not retried yet, up to `retryFailed` times
 * per original trial (counted through the `retryOf` chain).
 */
export async function enqueueRetries(study: Study, retryFailed: number | undefined, only?: readonly FrozenTrial[]): Promise<void> {
  if (!retryFailed) return;
  const trials = study.view.trials;
  const retried = new Set<number>();
  for (const t of trials) {
    const of = t?.systemAttrs['retryOf'];
    if (typeof of === 'number') retried.add(of);
  }
  for (const t of only ?? trials) {
    if (!t || t.state !== 'FAIL' || retried.has(t.number)) continue;
    const count = typeof t.systemAttrs['retryCount'] === 'number' ? (t.systemAttrs['retryCount'] as number) : 0;
    if (count >= retryFailed) continue;
    await study.enqueueTrial(t.params, { systemAttrs: { retryOf: t.number, retryCount: count + 1 } });
  }
}

/** The in-thread loop: ask → objective → tell, one trial at a time, as in Optuna. */
export async function optimizeInThread<C>(study: Study, objective: Objective<C>, options: OptimizeOptions<C>): Promise<void> {
  validateOptimizeOptions(options);
  study.resetStop();
  const budget = new RunBudget(study, options);
  const ctx = localContext(options.context as C, options.data ?? {});
  await enqueueRetries(study, options.retryFailed);
  const cache = StudyCache.open(study, objective as (...args: never[]) => unknown, options.cache, options.data, options.context);
  const progress = startRunProgress(study, options);
  try {
    await runLoop(study, objective, options, budget, ctx, { cache, progress });
  } finally {
    progress.stop();
    await study.storage.checkpoint?.(study.studyId);
  }
}

async function runLoop<C>(
  study: Study,
  objective: Objective<C>,
  options: OptimizeOptions<C>,
  budget: RunBudget,
  ctx: ReturnType<typeof localContext<C>>,
  { cache, progress }: { readonly cache: StudyCache | undefined; readonly progress: ProgressHandle },
): Promise<void> {
  const callbacks = options.callbacks ?? [];
  for (;;) {
    if (study.storage.shared) await beforeTrial(study, options as OptimizeOptions<unknown>);
    if (!budget.mayStart()) break;
    // With the memory storage and a synchronous objective, ask, run and tell need no await.
    const asked = budget.ask();
    const trial = asked instanceof Promise ? await asked : asked;
    if (trial === undefined) break;
    budget.noteStarted();
    if (cache) {
      const cached = await cache.tryFinish(study, trial);
      if (cached) {
        progress.update(cached);
        for (const callback of callbacks) await callback(study, cached);
        continue;
      }
    }
    const ran = runObjective(objective, trial, ctx, options.signal);
    const { result, error } = ran instanceof Promise ? await ran : ran;
    let frozen: FrozenTrial;
    try {
      // Awaited even when already settled: one turn of the microtask queue per trial, so the
      // trial's no-op flush (see LocalTrial) runs now instead of piling up over the run.
      frozen = await study.tellNow(trial, result.kind === 'value' ? result.value : result.state, result.reason);
    } catch (tellError) {
      // On a shared storage another worker may have failed this trial for a lost heartbeat;
      // its late result is refused and this worker goes on with the next trial.
      if (tellError instanceof TrialFinishedError && study.storage.shared) continue;
      throw tellError;
    }
    if (error !== undefined && !isCaught(options.catch, error) && !(error instanceof TrialPruned)) throw error;
    if (cache) await cache.record(frozen);
    progress.update(frozen);
    if (isFinished(frozen.state)) {
      // Indexed: this loop's iterator objects were the last per-trial garbage of the loop itself.
      for (let i = 0; i < callbacks.length; i++) await (callbacks[i] as StudyCallback)(study, frozen);
    }
    if (frozen.state === 'FAIL' && frozen.systemAttrs['failReason'] !== 'interrupted') await enqueueRetries(study, options.retryFailed, [frozen]);
  }
}

/**
 * On a storage other processes share: fail the trials of dead workers (retrying them if asked)
 * and, when a totalTrials budget must count other workers' trials, re-read the study first.
 * Every executor calls it before starting a trial (the parallel runner too).
 */
export async function beforeTrial(study: Study, options: OptimizeOptions<unknown>): Promise<void> {
  if (!study.storage.shared) return;
  const stale = (await study.storage.failStaleTrials?.(study.studyId)) ?? [];
  if (stale.length > 0 || options.totalTrials !== undefined) await study.refresh();
  if (stale.length > 0) await enqueueRetries(study, options.retryFailed, stale);
}

type RunOutcome =
  | { readonly kind: 'value'; readonly value: TellResult; readonly reason?: undefined }
  | { readonly kind: 'state'; readonly state: 'PRUNED' | 'FAIL'; readonly reason: string | undefined };

interface Ran {
  readonly result: RunOutcome;
  readonly error?: unknown;
}

/** Runs the objective; a promise only when the objective returned one. */
function runObjective<C>(objective: Objective<C>, trial: Trial, ctx: ReturnType<typeof localContext<C>>, signal: AbortSignal | undefined): Ran | Promise<Ran> {
  let value: ObjectiveResult | Promise<ObjectiveResult>;
  try {
    value = objective(trial, ctx);
  } catch (error) {
    return failed(error);
  }
  if (value instanceof Promise) return settle(raceAbort(value, signal), signal);
  return signal?.aborted ? INTERRUPTED_RUN : { result: { kind: 'value', value } };
}

async function settle(promise: Promise<ObjectiveResult>, signal: AbortSignal | undefined): Promise<Ran> {
  try {
    const value = await promise;
    return signal?.aborted ? INTERRUPTED_RUN : { result: { kind: 'value', value } };
  } catch (error) {
    return failed(error);
  }
}

function failed(error: unknown): Ran {
  if (error === INTERRUPTED) return INTERRUPTED_RUN;
  if (error instanceof TrialPruned) return { result: { kind: 'state', state: 'PRUNED', reason: undefined }, error };
  return { result: { kind: 'state', state: 'FAIL', reason: describeError(error) }, error };
}

const INTERRUPTED_RUN: Ran = { result: { kind: 'state', state: 'FAIL', reason: 'interrupted' } };

const INTERRUPTED = Symbol('interrupted');

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(INTERRUPTED);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(INTERRUPTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
