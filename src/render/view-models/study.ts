import { findBestTrial, paretoFront } from '../../trial/best.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';
import { cellOf, documentOf, limitRows, type Cell, type RenderDocument, type Summary } from '../table.js';
import { trialsTable } from './trials.js';

/** What the study table needs: a Study satisfies it, and so does a plain snapshot. */
export interface StudyLike {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly trials: readonly FrozenTrial[];
  readonly storage?: { readonly url: string };
}

export interface StudyDocumentOptions {
  /** Longest trials table before the middle rows are left out (default 40). */
  readonly maxRows?: number;
}

function stateCounts(trials: readonly FrozenTrial[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) if (t) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no trials yet';
}

function paramsText(params: Readonly<Record<string, unknown>>): Cell {
  return { kind: 'text', value: Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? String(Number(v.toPrecision(6))) : JSON.stringify(v)}`).join(', ') };
}

export function studySummary(study: StudyLike): Summary {
  const trials = study.trials.filter((t): t is FrozenTrial => t !== undefined);
  const items: { label: string; cell: Cell }[] = [
    { label: 'directions', cell: { kind: 'text', value: study.directions.join(', ') } },
    { label: 'trials', cell: { kind: 'text', value: `${trials.length} (${stateCounts(trials)})` } },
  ];
  if (study.storage) items.push({ label: 'storage', cell: { kind: 'text', value: study.storage.url } });
  if (study.directions.length === 1) {
    const best = findBestTrial(trials, study.directions[0] as Direction);
    if (best) {
      items.push({ label: 'best value', cell: cellOf(best.value) }, { label: 'best trial', cell: { kind: 'integer', value: best.number } }, { label: 'best params', cell: paramsText(best.params) });
    }
  } else {
    items.push({ label: 'Pareto front', cell: { kind: 'text', value: paretoFront(trials, study.directions).map((t) => `#${t.number}`).join(', ') || 'empty' } });
  }
  // AutoSampler stores on each trial which sampler proposed it and why: show the newest choice.
  for (let i = trials.length - 1; i >= 0; i--) {
    const choice = (trials[i] as FrozenTrial).systemAttrs['auto:sampler'];
    if (typeof choice === 'string') {
      items.push({ label: 'sampler', cell: { kind: 'text', value: `AutoSampler → ${choice}` } });
      break;
    }
  }
  const total = trials.reduce((sum, t) => sum + (t.durationMs ?? 0), 0);
  if (total > 0) items.push({ label: 'trial time', cell: { kind: 'duration', ms: total } });
  return { kind: 'summary', title: `Study '${study.name}'`, items };
}

/** The study's summary followed by its trials table. */
export function studyDocument(study: StudyLike, options: StudyDocumentOptions = {}): RenderDocument {
  const table = trialsTable(study.trials, { directions: study.directions });
  return documentOf(studySummary(study), limitRows(table, options.maxRows ?? 40));
}
