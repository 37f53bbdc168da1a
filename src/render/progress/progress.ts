import { createRequire } from 'node:module';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import { isFinished, type Direction } from '../../trial/state.js';
import { findKernelTslab, type TslabDisplay } from '../tslab.js';
import { provideProgressDisplay, type ProgressHandle, type ProgressRunOptions, type ProgressSource } from '../../study/progress-port.js';
import { countTrial, progressBarInfo, progressHtml, progressState, type MutableProgress, type ProgressCounter, type ProgressState } from './state.js';

export interface ProgressOptions extends ProgressRunOptions {
  /** Draw on this display (from tslab's newDisplay()) instead of finding the kernel's. */
  readonly display?: TslabDisplay;
  /** Where the terminal bar goes when it is a TTY (default process.stderr). */
  readonly stream?: NodeJS.WriteStream;
}

const NOOP: ProgressHandle = { update: () => undefined, stop: () => undefined };
const REDRAW_MS = 250;
const requireHere = createRequire(import.meta.url);

function counterFor(study: ProgressSource, options: ProgressOptions): ProgressCounter {
  let total = options.nTrials;
  if (total === undefined && options.totalTrials !== undefined) {
    const counted = study.trials.filter((t) => t !== undefined && (t.state === 'COMPLETE' || t.state === 'PRUNED')).length;
    total = Math.max(0, options.totalTrials - counted);
  }
  const now = Date.now();
  return {
    study: study.name,
    direction: study.directions.length === 1 ? study.directions[0] : undefined,
    total,
    startedAt: now,
    deadline: options.timeout === undefined ? undefined : now + options.timeout * 1000,
  };
}

/**
 * Starts the live progress display of one optimize run and returns its handle. In tslab: one
 * `newDisplay()` entry redrawn in place (done/total, best, running, ETA, memory). On a TTY: a
 * cli-progress bar. Otherwise (pipes, CI logs, tests) or with `progress: false`: nothing.
 * Never throws into the optimize loop: a display that fails is dropped.
 */
export function startProgress(study: ProgressSource, options: ProgressOptions = {}): ProgressHandle {
  if (options.progress === false) return NOOP;
  const display = options.display ?? findKernelTslab()?.newDisplay();
  if (display) return notebookProgress(study, options, display);
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY) return terminalProgress(study, options, stream);
  return NOOP;
}

provideProgressDisplay(startProgress);

export type { ProgressHandle, ProgressSource };

function tallyOf(): MutableProgress {
  return { done: 0, complete: 0, pruned: 0, failed: 0, best: undefined };
}

function notebookProgress(study: ProgressSource, options: ProgressOptions, display: TslabDisplay): ProgressHandle {
  const counter = counterFor(study, options);
  const tally = tallyOf();
  let lastDraw = 0;
  let broken = false;
  let stopped = false;
  const draw = (finished: boolean): void => {
    if (broken) return;
    try {
      display.html(progressHtml(progressState(counter, tally, finished ? 0 : study.view.runningTrials().length, Date.now(), finished)));
      lastDraw = Date.now();
    } catch {
      broken = true;
    }
  };
  draw(false);
  // Redraws the elapsed time and running count while a long trial runs; unref'd so it never holds the process.
  const timer = setInterval(() => draw(false), 1000);
  timer.unref();
  return {
    update(trial) {
      if (stopped || !isFinished(trial.state)) return;
      countTrial(tally, trial, counter.direction);
      if (Date.now() - lastDraw >= REDRAW_MS) draw(false);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      draw(true);
    },
  };
}

interface CliBar {
  update(value: number, payload: Record<string, string>): void;
  setTotal(total: number): void;
  stop(): void;
}
interface CliMultiBar {
  create(total: number, value: number, payload: Record<string, string>, barOptions: Record<string, unknown>): CliBar;
  stop(): void;
}
type CliProgress = { MultiBar: new (options: Record<string, unknown>) => CliMultiBar };

/**
 * Runs going at once on one terminal (tune()'s families side by side, or the user's own
 * Promise.all of studies) share one cli-progress MultiBar, a line each: separate bars would
 * overwrite each other's line. The MultiBar ends when its last run stops.
 */
const terminals = new Map<NodeJS.WriteStream, { readonly multi: CliMultiBar; active: number }>();

function openBar(stream: NodeJS.WriteStream, total: number, payload: Record<string, string>, format: string): { bar: CliBar; close(): void } {
  let shared = terminals.get(stream);
  if (!shared) {
    const cli = requireHere('cli-progress') as CliProgress;
    shared = { multi: new cli.MultiBar({ stream, barsize: 20, hideCursor: false, clearOnComplete: false, etaBuffer: 20 }), active: 0 };
    terminals.set(stream, shared);
  }
  const terminal = shared;
  terminal.active++;
  const bar = terminal.multi.create(total, 0, payload, { format });
  return {
    bar,
    close() {
      bar.stop();
      if (--terminal.active > 0) return;
      terminals.delete(stream);
      terminal.multi.stop();
    },
  };
}

function terminalProgress(study: ProgressSource, options: ProgressOptions, stream: NodeJS.WriteStream): ProgressHandle {
  const counter = counterFor(study, options);
  const tally = tallyOf();
  const payload = (s: ProgressState): Record<string, string> => ({ info: progressBarInfo(s) });
  const format = `${study.name.length > 20 ? `${study.name.slice(0, 19)}…` : study.name} [{bar}] {value}/{total} · {info}`;
  const { bar, close } = openBar(stream, counter.total ?? 0, payload(progressState(counter, tally, 0, Date.now(), false)), format);
  let stopped = false;
  return {
    update(trial) {
      if (stopped || !isFinished(trial.state)) return;
      countTrial(tally, trial, counter.direction);
      if (counter.total === undefined) bar.setTotal(tally.done);
      bar.update(tally.done, payload(progressState(counter, tally, study.view.runningTrials().length, Date.now(), false)));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.update(tally.done, payload(progressState(counter, tally, 0, Date.now(), true)));
      close();
    },
  };
}
