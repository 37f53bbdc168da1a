/** Gives back a slot taken from `Slots`; calling it again does nothing. */
export type Release = () => void;

/**
 * A fixed number of places for running trials, handed out first come, first served. Several
 * optimize loops that share one worker pool (tune()'s model families) each take a slot before
 * asking for a trial, so together they never start more trials than there are workers, and a
 * worker freed by one study goes to the study that has waited longest.
 */
export class Slots {
  #free: number;
  readonly #waiting: ((release: Release) => void)[] = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  get free(): number {
    return this.#free;
  }

  /** A slot now, or undefined when all are taken. Waiters come first: a free slot is theirs. */
  tryAcquire(): Release | undefined {
    if (this.#free === 0 || this.#waiting.length > 0) return undefined;
    this.#free--;
    return this.#releaser();
  }

  /** A slot when one is free; undefined if `signal` aborts first (the wait is then withdrawn). */
  acquire(signal?: AbortSignal): Promise<Release | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(grant);
        if (i >= 0) this.#waiting.splice(i, 1);
        resolve(undefined);
      };
      const grant = (release: Release): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // Handed straight to the longest waiter: the slot is never seen free in between.
      if (next) next(this.#releaser());
      else this.#free++;
    };
  }
}
