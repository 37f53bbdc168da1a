import type { Distribution } from './distributions.js';
import type { FrozenTrial } from './frozen-trial.js';
import type { Direction } from './state.js';

/**
 * What samplers and pruners see of a study: an in-memory, synchronous view kept up to date
 * by the Study. Reading it never touches storage, so sampling costs no I/O.
 */
export interface StudyView {
  readonly name: string;
  readonly directions: readonly Direction[];
  /** Every trial, indexed by its number. RUNNING trials show the params suggested so far. */
  readonly trials: readonly FrozenTrial[];
  /**
   * Finished trials (COMPLETE, PRUNED, FAIL) in the order this study learned of them.
   * Append-only for the life of the view, so a sampler can keep a cursor into it and
   * update its own per-parameter observations incrementally instead of rescanning.
   */
  readonly finishedTrials: readonly FrozenTrial[];
  /** Trials currently RUNNING (for a constant liar), excluding none. */
  runningTrials(): readonly FrozenTrial[];
  /** The first distribution seen for each parameter name in this study. */
  readonly paramDistributions: ReadonlyMap<string, Distribution>;
  /** Ask the study to stop after the running trials (as Optuna's study.stop()). */
  stop(): void;
}
