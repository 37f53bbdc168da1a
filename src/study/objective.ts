import { requireTf, type TfModule } from '../tf/module.js';
import type { Trial } from '../trial/trial.js';

export type { TfModule };

/** What an objective gets besides its trial. */
export interface ObjectiveContext<C = unknown, D extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>> {
  /** TF.js, loaded on first use (in a worker: initialized on the chosen backend). */
  readonly tf: TfModule;
  /** Datasets shared with every worker without a copy. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The `context` option of optimize: the user's own values. */
  readonly context: C;
  /**
   * Aborted when the trial must stop: the run is interrupted (its signal, study.stop(), Ctrl-C)
   * or trialTimeout passed. A long objective (a training loop) checks it between steps.
   */
  readonly signal: AbortSignal;
}

export type ObjectiveResult = number | readonly number[];
export type Objective<C = unknown> = (trial: Trial, ctx: ObjectiveContext<C>) => ObjectiveResult | Promise<ObjectiveResult>;

/** TF.js for objectives running in this thread, required only if an objective touches it. */
let localTf: TfModule | undefined;

/**
 * A trial's context in this thread: one small object per trial, so an async objective left behind
 * by a timeout still sees its own (aborted) signal, not the next trial's.
 */
class LocalContext<C> implements ObjectiveContext<C> {
  readonly context: C;
  readonly data: Readonly<Record<string, unknown>>;
  readonly #signal: { readonly signal: AbortSignal };

  constructor(context: C, data: Readonly<Record<string, unknown>>, scope: { readonly signal: AbortSignal }) {
    this.context = context;
    this.data = data;
    this.#signal = scope;
  }

  get tf(): TfModule {
    localTf ??= requireTf();
    return localTf;
  }

  get signal(): AbortSignal {
    return this.#signal.signal;
  }
}

/** The context of one trial run in this thread; `scope.signal` is read only if the objective asks. */
export function localContext<C>(context: C, data: Readonly<Record<string, unknown>>, scope: { readonly signal: AbortSignal }): ObjectiveContext<C> {
  return new LocalContext(context, data, scope);
}
