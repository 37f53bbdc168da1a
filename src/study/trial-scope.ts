import { performance } from 'node:perf_hooks';

/** What a trial's scope resolves a raced promise with when the trial is aborted first. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * One trial's life span, as its objective sees it: `ctx.signal`, aborted when the run is
 * interrupted (the user's signal, study.stop(), Ctrl-C) or when trialTimeout passes. Both
 * executors use it: in a worker the executor ends the worker on abort; in this thread an async
 * objective is raced against it and a synchronous one is checked for overrun when it returns.
 * The AbortController is made only when someone asks for the signal: the in-thread loop runs
 * trivial trials at tens of thousands a second.
 */
export class TrialScope {
  readonly #timeoutSeconds: number | undefined;
  readonly #onEnd: (scope: TrialScope) => void;
  #controller: AbortController | undefined;
  #reason: string | undefined;
  #onAbort: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;

  constructor(timeoutSeconds: number | undefined, onEnd: (scope: TrialScope) => void) {
    this.#timeoutSeconds = timeoutSeconds;
    this.#onEnd = onEnd;
  }

  /** Aborted, with the reason as its `reason`, when the trial must stop. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Why the trial was aborted ('interrupted', 'timeout: ...'), or undefined. */
  get abortReason(): string | undefined {
    return this.#reason;
  }

  abort(reason: string): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#onAbort?.();
  }

  /** The objective begins now: trialTimeout counts from here (not from a worker's start-up). */
  start(): void {
    const seconds = this.#timeoutSeconds;
    if (seconds === undefined) return;
    this.#startedAt = performance.now();
    this.#timer = setTimeout(() => this.abort(timeoutReason(seconds)), seconds * 1000);
  }

  /**
   * For a synchronous objective, which no timer can interrupt: its abort reason, or the timeout
   * reason when it ran past trialTimeout.
   */
  checkOverrun(): string | undefined {
    const seconds = this.#timeoutSeconds;
    if (this.#reason === undefined && seconds !== undefined && performance.now() - this.#startedAt > seconds * 1000) this.abort(timeoutReason(seconds));
    return this.#reason;
  }

  /** The promise's value, or ABORTED if the trial is aborted before it settles (it is then left behind). */
  race<T>(promise: Promise<T>): Promise<T | typeof ABORTED> {
    if (this.#reason !== undefined) return Promise.resolve(ABORTED);
    return new Promise<T | typeof ABORTED>((resolve, reject) => {
      this.#onAbort = () => resolve(ABORTED);
      promise.then(resolve, reject);
    });
  }

  /** The trial is over: no timer, no more aborts from the run. */
  end(): void {
    clearTimeout(this.#timer);
    this.#onAbort = undefined;
    this.#onEnd(this);
  }
}

function timeoutReason(seconds: number): string {
  return `timeout: the trial ran longer than trialTimeout = ${seconds} s`;
}
