import type { TrialId } from '../trial/frozen-trial.js';
import type { Storage, TrialPatch } from '../storage/storage.js';

/**
 * Writes to running trials that the objective does not wait for (suggested params, reports,
 * attributes), kept in order per trial. A write that fails is remembered and thrown when the
 * trial finishes, so a result is never stored on top of a lost write.
 */
export class TrialWrites {
  readonly #storage: Storage;
  readonly #pending = new Map<number, Promise<void>>();
  readonly #errors = new Map<number, unknown>();

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** Queues a write after the trial's earlier ones. */
  add(number: number, trialId: TrialId, patch: TrialPatch): void {
    const previous = this.#pending.get(number) ?? Promise.resolve();
    const next = previous
      .then(() => this.#storage.updateTrial(trialId, patch))
      .catch((error: unknown) => {
        this.#errors.set(number, error);
      });
    this.#pending.set(number, next);
  }

  /** Whether the trial has writes queued (its finish must then wait for them). */
  has(number: number): boolean {
    return this.#pending.has(number);
  }

  /** Waits for the trial's writes and forgets them; throws the error of one that failed. */
  async settle(number: number): Promise<void> {
    try {
      await this.#pending.get(number);
      const error = this.#errors.get(number);
      if (error !== undefined) throw error;
    } finally {
      this.#pending.delete(number);
      this.#errors.delete(number);
    }
  }

  /** Waits for every queued write. */
  async flush(): Promise<void> {
    await Promise.all(this.#pending.values());
  }
}
