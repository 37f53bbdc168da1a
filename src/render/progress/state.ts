import { isFeasible } from '../../trial/constraints.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';
import { formatDuration, formatNumber } from '../format.js';
import { escapeHtml } from '../html.js';

/** A snapshot of an optimize run, as plain data; the notebook and terminal views render it. */
export interface ProgressState {
  readonly study: string;
  /** Trials of this run that finished (COMPLETE, PRUNED or FAIL). */
  readonly done: number;
  /** Trials this run will start, when known (nTrials, or what totalTrials leaves). */
  readonly total: number | undefined;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  readonly running: number;
  readonly best: { readonly value: number; readonly trial: number } | undefined;
  readonly elapsedMs: number;
  /** Estimated time to the end: from the pace so far, capped by the timeout. */
  readonly etaMs: number | undefined;
  readonly rssBytes: number;
  readonly finished: boolean;
}

export interface ProgressCounter {
  readonly study: string;
  readonly direction: Direction | undefined;
  readonly total: number | undefined;
  readonly startedAt: number;
  readonly deadline: number | undefined;
}

export interface MutableProgress {
  done: number;
  complete: number;
  pruned: number;
  failed: number;
  best: { value: number; trial: number } | undefined;
}

/** Counts a finished trial into the run's tallies. */
export function countTrial(tally: MutableProgress, trial: FrozenTrial, direction: Direction | undefined): void {
  tally.done++;
  if (trial.state === 'COMPLETE') tally.complete++;
  else if (trial.state === 'PRUNED') tally.pruned++;
  else if (trial.state === 'FAIL') tally.failed++;
  // A trial that breaks a constraint is never the best, as study.bestTrial says.
  const v = trial.state === 'COMPLETE' && isFeasible(trial) ? trial.value : undefined;
  if (direction !== undefined && v !== undefined && (tally.best === undefined || (direction === 'minimize' ? v < tally.best.value : v > tally.best.value))) {
    tally.best = { value: v, trial: trial.number };
  }
}

export function progressState(counter: ProgressCounter, tally: MutableProgress, running: number, now: number, finished: boolean): ProgressState {
  const elapsedMs = now - counter.startedAt;
  let etaMs: number | undefined;
  if (!finished) {
    if (counter.total !== undefined && tally.done > 0) etaMs = (elapsedMs / tally.done) * Math.max(0, counter.total - tally.done);
    if (counter.deadline !== undefined) etaMs = Math.min(etaMs ?? Infinity, Math.max(0, counter.deadline - now));
  }
  return {
    study: counter.study,
    done: tally.done,
    total: counter.total,
    complete: tally.complete,
    pruned: tally.pruned,
    failed: tally.failed,
    running,
    best: tally.best,
    elapsedMs,
    etaMs,
    rssBytes: process.memoryUsage.rss(),
    finished,
  };
}

function counts(s: ProgressState): string {
  const parts = [`${s.complete} complete`];
  if (s.pruned > 0) parts.push(`${s.pruned} pruned`);
  if (s.failed > 0) parts.push(`${s.failed} failed`);
  return parts.join(', ');
}

/** One line for logs and the terminal. */
export function progressText(s: ProgressState): string {
  const of = s.total === undefined ? `${s.done}` : `${s.done}/${s.total}`;
  const best = s.best === undefined ? 'no best yet' : `best ${formatNumber(s.best.value)} (#${s.best.trial})`;
  const tail = s.finished ? `done in ${formatDuration(s.elapsedMs)}` : `${s.running} running, ${formatDuration(s.elapsedMs)} elapsed${s.etaMs === undefined ? '' : `, ETA ${formatDuration(s.etaMs)}`}`;
  return `${s.study}: ${of} trials (${counts(s)}), ${best}, ${tail}`;
}

/** The short tail of the terminal bar (it must fit an 80-column line beside the bar). */
export function progressBarInfo(s: ProgressState): string {
  const parts = [s.best === undefined ? 'best —' : `best ${formatNumber(s.best.value)} #${s.best.trial}`];
  if (s.pruned > 0) parts.push(`${s.pruned} pruned`);
  if (s.failed > 0) parts.push(`${s.failed} failed`);
  if (s.finished) parts.push(formatDuration(s.elapsedMs));
  else {
    if (s.running > 1) parts.push(`${s.running} running`);
    if (s.etaMs !== undefined) parts.push(`ETA ${formatDuration(s.etaMs)}`);
  }
  return parts.join(' · ');
}

/** A compact HTML panel with a bar, for tslab's newDisplay() (redrawn in place). */
export function progressHtml(s: ProgressState): string {
  const fraction = s.total === undefined || s.total === 0 ? (s.finished ? 1 : 0) : Math.min(1, s.done / s.total);
  const pct = Math.round(fraction * 100);
  const color = s.finished ? '#1a7f37' : '#0969da';
  const best = s.best === undefined ? '—' : `${escapeHtml(formatNumber(s.best.value))} <span style="color:#6e7781">(trial #${s.best.trial})</span>`;
  const status = s.finished
    ? `done in ${formatDuration(s.elapsedMs)}`
    : `${s.running} running · ${formatDuration(s.elapsedMs)} elapsed${s.etaMs === undefined ? '' : ` · ETA ${formatDuration(s.etaMs)}`}`;
  const of = s.total === undefined ? `${s.done} trials` : `${s.done} / ${s.total} trials`;
  return (
    `<div class="tunelab-progress" style="font-family:sans-serif;font-size:12px;max-width:640px;margin:4px 0">` +
    `<div style="display:flex;justify-content:space-between"><b>${escapeHtml(s.study)}</b><span>${of} (${counts(s)})</span></div>` +
    `<div style="background:#eaeef2;border-radius:3px;height:8px;margin:3px 0"><div style="background:${color};width:${pct}%;height:8px;border-radius:3px"></div></div>` +
    `<div style="display:flex;justify-content:space-between;color:#333"><span>best: ${best}</span><span>${status} · rss ${Math.round(s.rssBytes / 1048576)} MiB</span></div>` +
    `</div>`
  );
}
