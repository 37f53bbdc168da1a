import { requireTf, type TfModule } from '../tf/module.js';
import type { Trial } from '../trial/trial.js';

export type { TfModule };

/** What an objective gets besides its trial. */
export interface ObjectiveContext<C = unknown, D extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>> {
  /** TF.js, loaded on first use (in a worker: initialized on the chosen backend). */
  readonly tf: TfModule;
  /** Datasets shared with every worker without a copy. */
  readonly data: D;
  /** The `context` option of optimize: the user's own values. */
  readonly context: C;
}

export type ObjectiveResult = number | readonly number[];
export type Objective<C = unknown> = (trial: Trial, ctx: ObjectiveContext<C>) => ObjectiveResult | Promise<ObjectiveResult>;

/** A context for objectives running in this thread; TF.js is required only if the objective touches it. */
export function localContext<C>(context: C, data: Readonly<Record<string, unknown>>): ObjectiveContext<C> {
  let tf: TfModule | undefined;
  return {
    get tf(): TfModule {
      tf ??= requireTf();
      return tf;
    },
    data,
    context,
  };
}
