import type { Level } from 'level';

export type Op = { readonly type: 'put'; readonly key: string; readonly value: string } | { readonly type: 'del'; readonly key: string };

interface Pending {
  readonly ops: readonly Op[];
  /** Makes the change visible in memory; runs only once its batch is in LevelDB's log. */
  readonly commit: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Why a change queued behind a failed write was refused too. */
export class EarlierWriteFailed extends Error {
  constructor(cause: unknown) {
    super(`an earlier write in the same queue failed (${(cause as Error)?.message ?? String(cause)}), and this change was prepared on top of it`, { cause });
    this.name = 'EarlierWriteFailed';
  }
}

/**
 * Writes to LevelDB in the order they were asked for, one batch at a time (two batches in flight
 * on libuv's thread pool could land in either order and leave an older trial record on disk).
 * Changes that arrive while a batch is being written go out together in the next batch — group
 * commit — which keeps concurrent asks cheap. Each change's ops stay within one batch, so every
 * change is atomic; its `commit` runs, and then its promise settles, once that batch is in
 * LevelDB's log, which a killed process does not lose.
 *
 * A failed batch fails every change in it and every change queued behind it: those were prepared
 * on top of the failed ones (the next trial number, a record with an earlier patch applied), so
 * writing them could leave a gap on disk. `onFailure` runs first, synchronously, so the storage
 * drops what it had prepared before any caller sees the rejection or makes a new change.
 */
export class WriteQueue {
  readonly #db: Level<string, string>;
  readonly #onFailure: () => void;
  #pending: Pending[] = [];
  #running: Promise<void> | undefined;

  constructor(db: Level<string, string>, onFailure: () => void) {
    this.#db = db;
    this.#onFailure = onFailure;
  }

  write(ops: readonly Op[], commit: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ops, commit, resolve, reject });
      this.#running ??= this.#drain();
    });
  }

  /** Resolves when everything queued so far is written (or refused). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending;
        this.#pending = [];
        const ops = group.length === 1 ? (group[0] as Pending).ops : group.flatMap((p) => p.ops);
        let failure: { error: unknown } | undefined;
        try {
          await this.#db.batch(ops as Op[]);
        } catch (error) {
          failure = { error };
        }
        if (failure === undefined) {
          for (const p of group) p.commit();
          for (const p of group) p.resolve();
          continue;
        }
        const behind = this.#pending;
        this.#pending = [];
        this.#onFailure();
        for (const p of group) p.reject(failure.error);
        for (const p of behind) p.reject(new EarlierWriteFailed(failure.error));
      }
    } finally {
      this.#running = undefined;
    }
  }
}
