import { TrialFinishedError, TrialPruned } from '../errors.js';
import { StudyCache } from './study-cache.js';
import { startRunProgress, type ProgressHandle } from './progress-port.js';
import { isInstance } from '../util/describe.js';
import { FailureStreak } from './failure-streak.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import { watchInterrupts, type InterruptWatch } from './interrupts.js';
import type { LocalTrial } from './local-trial.js';
import { DEFAULT_MAX_CONSECUTIVE_FAILURES, isCaught, type OptimizeOptions, type StudyCallback } from './optimize-options.js';
import type { TellResult } from './outcome.js';
import { enqueueRetries } from './retries.js';
import { RunBudget } from './run-budget.js';
import { isFinished } from '../trial/state.js';
import type { Study } from './study.js';
import { TrialScope } from './trial-scope.js';
import { withTrialText } from '../trial/trial-text.js';

/** How a trial's objective ended, as its executor saw it: what to tell, and what to raise after. */
export interface TrialEnd {
  readonly result: TellResult;
  readonly failReason?: string | undefined;
  /** What the objective threw in this thread: raised after the tell unless `catch` tolerates it. */
  readonly thrown?: { readonly error: unknown } | undefined;
  /** Ends the run after the tell, whatever `catch` says (e.g. an objective the workers cannot load). */
  readonly fatal?: Error | undefined;
  /** The failure's stack, for the error that ends a failure storm. */
  readonly stack?: string | undefined;
}

/**
 * One optimize run's trial lifecycle, shared by the in-thread loop and the worker executor (as
 * Optuna's `_run_trial` serves both its paths): the budget, interrupts and each trial's scope
 * before the objective; after it, tell → cache record → progress → callbacks → retry → the
 * failure streak, tolerating a trial another worker already finished.
 */
export class TrialRunner {
  readonly study: Study;
  readonly options: OptimizeOptions<unknown>;
  readonly cache: StudyCache | undefined;
  readonly interrupt: InterruptWatch;
  readonly #budget: RunBudget;
  readonly #progress: ProgressHandle;
  readonly #callbacks: readonly StudyCallback[];
  readonly #streak: FailureStreak;
  readonly #scopes = new Set<TrialScope>();
  readonly #endScope = (scope: TrialScope): void => void this.#scopes.delete(scope);

  private constructor(study: Study, options: OptimizeOptions<unknown>, cache: StudyCache | undefined) {
    this.study = study;
    this.options = options;
    this.cache = cache;
    this.#budget = new RunBudget(study, options);
    this.#callbacks = options.callbacks ?? [];
    this.#streak = new FailureStreak(options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES);
    this.#progress = startRunProgress(study, options);
    this.interrupt = watchInterrupts(study, options.signal);
    this.interrupt.signal.addEventListener('abort', () => {
      for (const scope of this.#scopes) scope.abort('interrupted');
    });
  }

  /** Starts a run: clears an old stop(), queues retries, opens the cache, the progress display and the interrupt watch. */
  static async open(study: Study, objective: unknown, options: OptimizeOptions<unknown>): Promise<TrialRunner> {
    study.engine.resetStop();
    await enqueueRetries(study, options.retryFailed);
    const cache = StudyCache.open(study, objective as (...args: never[]) => unknown, options.cache, options.data, options.context);
    return new TrialRunner(study, options, cache);
  }

  /** Whether another trial may start: not interrupted, and within nTrials, totalTrials, timeout. */
  mayStart(): boolean {
    return !this.interrupt.signal.aborted && this.#budget.mayStart();
  }

  /** The next trial (atomically within totalTrials on a shared storage), or undefined when the run must stop. */
  ask(): LocalTrial | Promise<LocalTrial | undefined> {
    return this.#budget.ask();
  }

  noteStarted(): void {
    this.#budget.noteStarted();
  }

  /** The scope (ctx.signal, trialTimeout) of a trial about to run; end() it when the objective is done. */
  openScope(): TrialScope {
    const scope = new TrialScope(this.options.trialTimeout, this.#endScope);
    if (this.interrupt.signal.aborted) scope.abort('interrupted');
    else this.#scopes.add(scope);
    return scope;
  }

  /** A cache hit finishes the trial without running it; returns whether it did. */
  async finishFromCache(trial: LocalTrial): Promise<boolean> {
    const cached = await this.cache?.tryFinish(this.study, trial);
    if (!cached) return false;
    this.#streak.reset();
    this.#progress.update(cached);
    for (const callback of this.#callbacks) await callback(this.study, withTrialText(cached));
    return true;
  }

  /**
   * Tells the trial how it ended, then everything that follows a finished trial. Without a
   * promise when the storage answers synchronously and nothing after the tell needs one (no
   * cache, callbacks or retries): the in-thread loop runs trivial trials at tens of thousands a
   * second, and awaits the result anyway, which gives the microtask queue its one turn per trial.
   */
  finish(trial: LocalTrial, end: TrialEnd): void | Promise<void> {
    let told: FrozenTrial | Promise<FrozenTrial>;
    try {
      told = this.study.engine.tellNow(trial, end.result, end.failReason);
    } catch (tellError) {
      return this.#tellRefused(tellError);
    }
    if (told instanceof Promise) return told.then((frozen) => this.#afterTell(frozen, end), (tellError: unknown) => this.#tellRefused(tellError));
    return this.#afterTell(told, end);
  }

  /** On a shared storage another worker may have failed this trial for a lost heartbeat: its late result is refused and the run goes on. */
  #tellRefused(tellError: unknown): void {
    if (tellError instanceof TrialFinishedError && this.study.storage.shared) return;
    throw tellError;
  }

  #afterTell(frozen: FrozenTrial, end: TrialEnd): void | Promise<void> {
    const thrown = end.thrown;
    if (thrown !== undefined && !isCaught(this.options.catch, thrown.error) && !isInstance(thrown.error, TrialPruned)) throw thrown.error;
    const retry = frozen.state === 'FAIL' && frozen.systemAttrs['failReason'] !== 'interrupted' && this.options.retryFailed;
    if (this.cache || (this.#callbacks.length > 0 && isFinished(frozen.state)) || retry) return this.#afterTellAsync(frozen, end);
    this.#progress.update(frozen);
    this.#endTrial(frozen, end);
  }

  async #afterTellAsync(frozen: FrozenTrial, end: TrialEnd): Promise<void> {
    const study = this.study;
    if (this.cache) await this.cache.record(frozen);
    this.#progress.update(frozen);
    if (isFinished(frozen.state)) {
      // Indexed: this loop's iterator objects were the last per-trial garbage of the loop itself.
      for (let i = 0; i < this.#callbacks.length; i++) await (this.#callbacks[i] as StudyCallback)(study, withTrialText(frozen));
    }
    if (frozen.state === 'FAIL' && frozen.systemAttrs['failReason'] !== 'interrupted') await enqueueRetries(study, this.options.retryFailed, [frozen]);
    this.#endTrial(frozen, end);
  }

  /** The last steps of every trial: a fatal end stops the run; the failure streak counts. */
  #endTrial(frozen: FrozenTrial, end: TrialEnd): void {
    if (end.fatal) throw end.fatal;
    this.#streak.note(frozen, end.stack);
  }

  /** Ends the run: the progress display, a storage checkpoint, the interrupt watch. */
  async close(): Promise<void> {
    this.#progress.stop();
    try {
      await this.study.storage.checkpoint?.(this.study.studyId);
    } finally {
      this.interrupt.dispose();
    }
  }
}
