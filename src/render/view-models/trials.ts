import { constraintValues, isFeasible } from '../../trial/constraints.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';
import { alignOf, cellOf, empty, type Cell, type Column, type Table } from '../table.js';

export interface TrialsTableOptions {
  readonly title?: string;
  /** Names the value columns ("value (minimize)"); without it they are "value" or "value 0", "value 1", ... */
  readonly directions?: readonly Direction[];
}

interface ColumnSpec {
  readonly column: Omit<Column, 'align'>;
  readonly cell: (t: FrozenTrial) => Cell;
  /** Alignment is decided from the cells unless fixed. */
  readonly align?: Column['align'];
}

function keysOf(trials: readonly FrozenTrial[], pick: (t: FrozenTrial) => Readonly<Record<string, unknown>>): string[] {
  const keys = new Set<string>();
  for (const t of trials) for (const k of Object.keys(pick(t))) keys.add(k);
  return [...keys];
}

function valueColumns(trials: readonly FrozenTrial[], directions: readonly Direction[] | undefined): ColumnSpec[] {
  const n = directions?.length ?? Math.max(1, ...trials.map((t) => t.values?.length ?? 0));
  const specs: ColumnSpec[] = [];
  for (let i = 0; i < n; i++) {
    const dir = directions?.[i];
    const base = n === 1 ? 'value' : `value ${i}`;
    specs.push({
      column: { label: dir === undefined ? base : `${base} (${dir === 'minimize' ? 'min' : 'max'})` },
      cell: (t) => (t.values?.[i] === undefined ? empty : { kind: 'number', value: t.values[i] as number }),
      align: 'right',
    });
  }
  return specs;
}

/**
 * One row per trial: number, state, value(s), one column per parameter, duration, one column per
 * user attribute, and — only when some trial has them — the failure reason, the cached flag and
 * whether the trial satisfied its constraints (a sampler's constraintsFunc).
 */
export function trialsTable(trials: readonly FrozenTrial[], options: TrialsTableOptions = {}): Table {
  const list = trials.filter((t): t is FrozenTrial => t !== undefined);
  const specs: ColumnSpec[] = [
    { column: { label: '#' }, cell: (t) => ({ kind: 'integer', value: t.number }), align: 'right' },
    { column: { label: 'state' }, cell: (t) => ({ kind: 'state', value: t.state }), align: 'left' },
    ...valueColumns(list, options.directions),
    ...keysOf(list, (t) => t.params).map((k): ColumnSpec => ({ column: { label: k, group: 'params' }, cell: (t) => cellOf(t.params[k]) })),
    { column: { label: 'duration' }, cell: (t) => (t.durationMs === undefined ? empty : { kind: 'duration', ms: t.durationMs }), align: 'right' },
    ...keysOf(list, (t) => t.userAttrs).map((k): ColumnSpec => ({ column: { label: k, group: 'user attrs' }, cell: (t) => cellOf(t.userAttrs[k]) })),
  ];
  if (list.some((t) => t.systemAttrs['failReason'] !== undefined)) {
    specs.push({ column: { label: 'fail reason' }, cell: (t) => cellOf(t.systemAttrs['failReason']), align: 'left' });
  }
  if (list.some((t) => t.systemAttrs['cached'] !== undefined)) {
    specs.push({ column: { label: 'cached' }, cell: (t) => (t.systemAttrs['cached'] === undefined ? empty : { kind: 'bool', value: t.systemAttrs['cached'] === true }), align: 'left' });
  }
  if (list.some((t) => constraintValues(t) !== undefined)) {
    specs.push({ column: { label: 'feasible' }, cell: (t) => (constraintValues(t) === undefined ? empty : { kind: 'bool', value: isFeasible(t) }), align: 'left' });
  }
  const rows = list.map((t) => specs.map((s) => s.cell(t)));
  const columns = specs.map((s, j): Column => ({ ...s.column, align: s.align ?? alignOf(rows.map((r) => r[j] ?? empty)) }));
  return { kind: 'table', ...(options.title !== undefined && { title: options.title }), columns, rows };
}
