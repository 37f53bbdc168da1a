import type { TrialState } from '../trial/state.js';
import type { LocalTrial } from './local-trial.js';
import type { OptimizeOptions } from './optimize-options.js';
import type { Study } from './study.js';

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

  /** Whether another trial may start. */
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
    if (totalTrials === undefined || (storage.sync !== undefined && !storage.shared)) return this.#study.engine.askNow();
    return this.#study.engine.askWithin({ total: totalTrials, states: COUNTED_STATES });
  }

  noteStarted(): void {
    this.#started++;
  }
}
