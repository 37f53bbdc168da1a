import { InvalidOptionError } from '../errors.js';
import type { Pruner } from '../search/pruner.js';
import type { Sampler } from '../search/sampler.js';
import type { TrainingLoss } from './train.js';
import type { SpaceOverrides } from './space-overrides.js';
import type { PositionRule } from './backtest.js';
import type { Storage } from '../storage/storage.js';
import type { CacheOption } from '../study/study-cache.js';
import type { BackendChoice } from '../tf/backend.js';
import type { MemoryMonitor, MemoryMonitorOptions } from '../monitor/memory-monitor.js';

export interface TuneOptions {
  readonly models: readonly string[];
  /** Finished trials per family (totalTrials: re-running adds none). */
  readonly trials: number;
  /** 0: in this thread; N or 'auto': worker threads. */
  readonly workers: number | 'auto';
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  readonly storage: Storage | string;
  readonly cache: CacheOption;
  readonly pruner: Pruner | undefined;
  readonly backend: BackendChoice;
  /** Study names are `${name}/${family}`. */
  readonly name: string | undefined;
  readonly progress: boolean | undefined;
  /** Seconds for the whole run (split evenly between families). */
  readonly timeout: number | undefined;
  /** The training and validation loss. */
  readonly loss: TrainingLoss;
  /** A sampler for every family's study, or one per family; default AutoSampler seeded per family. */
  readonly sampler: Sampler | ((family: string) => Sampler) | undefined;
  /** Changes to each family's default search space. */
  readonly space: Readonly<Record<string, SpaceOverrides>>;
  /** What selects configurations: the validation loss (minimized) or the validation backtest's Sharpe (maximized). */
  readonly objective: 'loss' | 'sharpe';
  readonly trading: { readonly fee?: number; readonly slippage?: number; readonly position?: PositionRule };
  /** A MemoryMonitor (or its options) wired into the worker runs: worker figures, pausing, alerts. */
  readonly memory: MemoryMonitor | MemoryMonitorOptions | undefined;
  /** A family's run stops with a ConsecutiveFailuresError after this many FAIL trials in a row. */
  readonly maxConsecutiveFailures: number;
}

export const TUNE_DEFAULTS: TuneOptions = {
  models: ['linear', 'mlp', 'lstm', 'gru', 'cnn'],
  trials: 30,
  workers: 0,
  epochs: 40,
  patience: 6,
  seed: 0,
  storage: 'level:.tunelab',
  cache: true,
  pruner: undefined,
  backend: 'auto',
  name: undefined,
  progress: undefined,
  timeout: undefined,
  memory: undefined,
  loss: 'mse',
  sampler: undefined,
  space: {},
  objective: 'loss',
  trading: {},
  maxConsecutiveFailures: 10,
};

export function positiveInt(method: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`tune().${method}(${String(value)}): expected a whole number >= ${min}`);
  }
  return value;
}
