import { InvalidOptionError } from '../errors.js';
import { isInstance } from '../util/describe.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { Study } from './study.js';
import type { CacheOption } from './study-cache.js';
import type { MemoryMonitor, MemoryMonitorOptions } from '../monitor/memory-monitor.js';

export type StudyCallback = (study: Study, trial: FrozenTrial) => void | Promise<void>;
// Constructors of errors to tolerate; `never[]` accepts any constructor signature.
export type ErrorClass = abstract new (...args: never[]) => Error;

export interface OptimizeOptions<C = unknown> {
  /** How many trials this call runs. */
  readonly nTrials?: number;
  /**
   * Run until the study holds this many finished (COMPLETE or PRUNED) trials, counting trials
   * still running: re-running a notebook cell with the same totalTrials adds none.
   */
  readonly totalTrials?: number;
  /** Seconds (as in Optuna) after which no new trial starts. */
  readonly timeout?: number;
  /** 0 or absent: trials run in this thread. N or 'auto' (= cores): worker threads. */
  readonly workers?: number | 'auto';
  readonly executor?: 'thread' | 'process';
  /**
   * TF.js backend for ctx.tf in workers: 'auto' (default) is tfjs-node when installed (trials then
   * run in child processes: tfjs-node fails in a second worker thread), else wasm.
   */
  readonly backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  /** Your own values for the objective, as `ctx.context` (structured-cloned to workers). */
  readonly context?: C;
  /** Datasets for the objective, as `ctx.data` (shared memory with workers). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Called after each finished trial. */
  readonly callbacks?: readonly StudyCallback[];
  /** Errors from the objective that fail the trial but let the study go on (`true`: all of them). */
  readonly catch?: readonly ErrorClass[] | boolean;
  /** Aborting it fails the running trials as "interrupted" and ends optimize. */
  readonly signal?: AbortSignal;
  /** Re-run each FAIL trial's params up to this many times (e.g. after a killed process). */
  readonly retryFailed?: number;
  /** Live progress display; on by default in a notebook or a terminal. */
  readonly progress?: boolean;
  /**
   * Memoize evaluations (see EvalCache): true for the default cache in .tunelab/cache, cache
   * options, or an EvalCache. A hit is stored as a COMPLETE trial with systemAttrs.cached.
   */
  readonly cache?: CacheOption;
  /**
   * Seconds after which a trial is failed as "timeout" and its ctx.signal aborted. A worker running
   * it is ended at once. In the calling thread an async objective is left behind (it should watch
   * ctx.signal); a synchronous one cannot be interrupted and is failed when it returns: use workers.
   */
  readonly trialTimeout?: number;
  /**
   * Stop the run with a ConsecutiveFailuresError after this many FAIL trials in a row (default 10,
   * as KerasTuner's max_consecutive_failed_trials); Infinity turns the check off.
   */
  readonly maxConsecutiveFailures?: number;
  /** Worker recycling and memory limits (worker threads only). */
  readonly recycle?: { readonly afterTrials?: number; readonly maxHeapMiB?: number };
  readonly resourceLimits?: { readonly maxOldGenerationSizeMb?: number; readonly maxYoungGenerationSizeMb?: number };
  /**
   * A MemoryMonitor (or options for one started for this run): workers report their heap and
   * tensors to it after each trial, and while it is over a threshold no new trial starts.
   */
  readonly memory?: MemoryMonitor | MemoryMonitorOptions;
}

const KNOWN_OPTIONS = new Set([
  'nTrials', 'totalTrials', 'timeout', 'workers', 'executor', 'backend', 'context', 'data', 'callbacks', 'catch', 'signal',
  'retryFailed', 'progress', 'cache', 'trialTimeout', 'recycle', 'resourceLimits', 'memory', 'maxConsecutiveFailures',
]);

export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;

function positiveInteger(name: string, value: unknown): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    throw new InvalidOptionError(`optimize({ ${name} }): expected a whole number > 0, got ${String(value)}`);
  }
}

/** Checks every option up front, so a typo fails before any trial runs. */
export function validateOptimizeOptions(options: OptimizeOptions<unknown>): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      const hint = key === 'n_trials' ? " (did you mean 'nTrials'?)" : '';
      throw new InvalidOptionError(`optimize(): unknown option '${key}'${hint}; known options are ${[...KNOWN_OPTIONS].join(', ')}`);
    }
  }
  positiveInteger('nTrials', options.nTrials);
  positiveInteger('totalTrials', options.totalTrials);
  const m = options.maxConsecutiveFailures;
  if (m !== undefined && m !== Infinity) positiveInteger('maxConsecutiveFailures', m);
  if (options.retryFailed !== undefined && !(Number.isInteger(options.retryFailed) && options.retryFailed >= 0)) {
    throw new InvalidOptionError(`optimize({ retryFailed }): expected a whole number >= 0, got ${options.retryFailed}`);
  }
  for (const name of ['timeout', 'trialTimeout'] as const) {
    const v = options[name];
    if (v !== undefined && !(typeof v === 'number' && v > 0)) {
      throw new InvalidOptionError(`optimize({ ${name} }): expected a number of seconds > 0, got ${String(v)}`);
    }
  }
  const w = options.workers;
  if (w !== undefined && w !== 'auto' && !(typeof w === 'number' && Number.isInteger(w) && w >= 0)) {
    throw new InvalidOptionError(`optimize({ workers }): expected 'auto' or a whole number >= 0, got ${String(w)}`);
  }
  if (options.executor !== undefined && options.executor !== 'thread' && options.executor !== 'process') {
    throw new InvalidOptionError(`optimize({ executor }): expected 'thread' or 'process', got ${String(options.executor)}`);
  }
  if (options.backend !== undefined && !['auto', 'tensorflow', 'wasm', 'cpu'].includes(options.backend)) {
    throw new InvalidOptionError(`optimize({ backend }): expected 'auto', 'tensorflow', 'wasm' or 'cpu', got ${String(options.backend)}`);
  }
  if (options.callbacks !== undefined && !(Array.isArray(options.callbacks) && options.callbacks.every((c) => typeof c === 'function'))) {
    throw new InvalidOptionError('optimize({ callbacks }): expected an array of functions (study, trial) => void');
  }
  const c = options.catch;
  if (c !== undefined && typeof c !== 'boolean' && !(Array.isArray(c) && c.every((e) => typeof e === 'function'))) {
    throw new InvalidOptionError('optimize({ catch }): expected true, or an array of error classes such as [RangeError]');
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new InvalidOptionError('optimize({ signal }): expected an AbortSignal (e.g. new AbortController().signal)');
  }
}

/** Whether `catch` tolerates this error. */
export function isCaught(option: OptimizeOptions<unknown>['catch'], error: unknown): boolean {
  if (option === true) return true;
  if (!Array.isArray(option)) return false;
  return option.some((cls) => isInstance(error, cls));
}

export { describeError } from '../util/describe.js';
