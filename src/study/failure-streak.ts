import { ConsecutiveFailuresError } from '../errors.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';

/**
 * Counts this run's FAIL trials in a row. An objective with a bug fails every trial, and
 * totalTrials counts no FAIL trial, so without this the run never ends (thousands of FAIL rows a
 * second). An interrupted trial neither counts nor breaks the streak: the run is ending anyway.
 */
export class FailureStreak {
  readonly #limit: number;
  #count = 0;
  #firstStack: string | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Notes a finished trial; throws ConsecutiveFailuresError when the limit is reached. */
  note(trial: FrozenTrial, stack: string | undefined): void {
    if (trial.state !== 'FAIL') {
      this.#count = 0;
      return;
    }
    const reason = String(trial.systemAttrs['failReason'] ?? 'failed');
    if (reason === 'interrupted') return;
    if (this.#count === 0) this.#firstStack = stack;
    this.#count++;
    if (this.#count >= this.#limit) throw new ConsecutiveFailuresError(this.#count, reason, this.#firstStack);
  }

  reset(): void {
    this.#count = 0;
  }
}
