import type { Level } from 'level';

export type Op = { readonly type: 'put'; readonly key: string; readonly value: string } | { readonly type: 'del'; readonly key: string };

interface Pending {
  readonly ops: readonly Op[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Writes to LevelDB in the order they were asked for, one batch at a time (two batches in flight
 * on libuv's thread pool could land in either order and leave an older trial record on disk).
 * Changes that arrive while a batch is being written go out together in the next batch — group
 * commit — which keeps concurrent asks cheap. Each change's ops stay within one batch, so every
 * change is atomic; its promise settles once that batch is in LevelDB's log, which a killed
 * process does not lose.
 */
export class WriteQueue {
  readonly #db: Level<string, string>;
  #pending: Pending[] = [];
  #running: Promise<void> | undefined;

  constructor(db: Level<string, string>) {
    this.#db = db;
  }

  write(ops: readonly Op[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ops, resolve, reject });
      this.#running ??= this.#drain();
    });
  }

  /** Resolves when everything queued so far is written. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending;
        this.#pending = [];
        const ops = group.length === 1 ? (group[0] as Pending).ops : group.flatMap((p) => p.ops);
        try {
          await this.#db.batch(ops as Op[]);
          for (const p of group) p.resolve();
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
