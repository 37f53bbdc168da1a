import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { Direction } from '../trial/state.js';

/** What a progress display reads from a study (a Study satisfies it). */
export interface ProgressSource {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly trials: readonly FrozenTrial[];
  readonly view: { runningTrials(): readonly unknown[] };
}

/** The optimize options a progress display reads. */
export interface ProgressRunOptions {
  /** false: no display. Absent or true: a tslab panel in a notebook, a bar on a TTY, nothing otherwise. */
  readonly progress?: boolean;
  readonly nTrials?: number;
  readonly totalTrials?: number;
  /** Seconds, as optimize's timeout. */
  readonly timeout?: number;
}

/** The two calls an optimize loop makes: `update(trial)` after each finished trial, `stop()` once at the end. */
export interface ProgressHandle {
  update(trial: FrozenTrial): void;
  stop(): void;
}

export type ProgressDisplayStarter = (study: ProgressSource, options: ProgressRunOptions) => ProgressHandle;

const NO_PROGRESS: ProgressHandle = { update: () => undefined, stop: () => undefined };
let starter: ProgressDisplayStarter | undefined;

/**
 * The display lives in render/, a floor above the engine: render/ provides it here when it loads
 * (the package entry loads it), and an engine used without render/ simply shows no progress.
 */
export function provideProgressDisplay(start: ProgressDisplayStarter): void {
  starter = start;
}

/** Starts the live display of one optimize run; never throws into the loop (a failing display is dropped). */
export function startRunProgress(study: ProgressSource, options: ProgressRunOptions): ProgressHandle {
  if (starter === undefined || options.progress === false) return NO_PROGRESS;
  try {
    return starter(study, options);
  } catch {
    return NO_PROGRESS;
  }
}
