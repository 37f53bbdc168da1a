import type { OptimizeOptions } from './optimize-options.js';
import type { Study } from './study.js';

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
      for (const t of this.#study.view.trials) {
        if (t && (t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'RUNNING')) counted++;
      }
      if (counted >= totalTrials) return false;
    }
    return true;
  }

  noteStarted(): void {
    this.#started++;
  }
}
