import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { TrialState } from '../../trial/state.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import type { PlotSource } from './source.js';

export interface TimelineBar {
  readonly trial: number;
  /** Which worker ran it: `worker 2` (threads), `pid 1234` (processes that record one), or `main`. */
  readonly worker: string;
  readonly state: TrialState;
  readonly start: number;
  /** End in ms since the epoch; the time of the plot for a trial still running. */
  readonly end: number;
}

export interface TimelineData {
  readonly study: string;
  readonly bars: readonly TimelineBar[];
}

function workerOf(t: FrozenTrial): string {
  const w = t.systemAttrs['worker'];
  if (typeof w === 'number' || typeof w === 'string') return `worker ${w}`;
  const pid = t.systemAttrs['pid'] ?? t.userAttrs['pid'];
  if (typeof pid === 'number' || typeof pid === 'string') return `pid ${pid}`;
  return 'main';
}

/** Each started trial as a bar from its start to its end, one row per worker (how workers were used). */
export function timelineData(source: PlotSource, now = Date.now()): TimelineData {
  const bars = source.trials
    .filter((t): t is FrozenTrial => t !== undefined && t.datetimeStart !== undefined)
    .map((t) => ({ trial: t.number, worker: workerOf(t), state: t.state, start: (t.datetimeStart as Date).getTime(), end: t.datetimeComplete?.getTime() ?? now }));
  return { study: source.name, bars };
}

const STATE_COLORS: Readonly<Record<string, string>> = { COMPLETE: '#4c78a8', PRUNED: '#f58518', FAIL: '#e45756', RUNNING: '#54a24b', WAITING: '#9d9d9d' };

export function timelineSpec(data: TimelineData): VegaLiteSpec {
  const workers = [...new Set(data.bars.map((b) => b.worker))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const states = [...new Set(data.bars.map((b) => b.state))];
  const t0 = Math.min(...data.bars.map((b) => b.start));
  // Seconds from the first start: a study's own clock reads better than wall-clock dates.
  const rows = data.bars.map((b) => ({ ...b, from: (b.start - t0) / 1000, to: Math.max((b.end - t0) / 1000, (b.start - t0) / 1000 + 0.001) }));
  return {
    ...baseSpec('Timeline', `study '${data.study}', ${data.bars.length} trials on ${workers.length} worker${workers.length === 1 ? '' : 's'}`, 640, Math.max(60, 26 * workers.length)),
    data: { values: rows },
    mark: { type: 'bar', height: { band: 0.7 }, stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'from', type: 'quantitative', title: 'seconds since the first trial started' },
      x2: { field: 'to' },
      y: { field: 'worker', type: 'nominal', sort: workers, title: null },
      color: { field: 'state', type: 'nominal', title: 'state', scale: { domain: states, range: states.map((s) => STATE_COLORS[s] ?? '#888') }, legend: { orient: 'top', direction: 'horizontal' } },
      tooltip: [{ field: 'trial' }, { field: 'state' }, { field: 'from' }, { field: 'to' }],
    },
  };
}
