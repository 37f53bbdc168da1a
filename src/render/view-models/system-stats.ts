import type { SystemStats } from '../../monitor/system-stats.js';
import type { EvalCacheStats } from '../../cache/eval-cache.js';
import { sep } from 'node:path';
import { documentOf, type Cell, type RenderDocument, type Summary, type Table } from '../table.js';
import { isPlainObject, recordsTable } from './object.js';

const MB = 1024 * 1024;

export function isSystemStats(x: unknown): x is SystemStats {
  const s = x as Partial<SystemStats> | null;
  return typeof s === 'object' && s !== null && typeof s.uptimeSeconds === 'number' && typeof s.memory === 'object' && typeof s.gc === 'object';
}

const text = (value: string): Cell => ({ kind: 'text', value });
const bytes = (mb: number): Cell => ({ kind: 'bytes', value: mb * MB });

function memorySummary(s: SystemStats): Summary {
  const m = s.memory;
  const gcKinds = Object.entries(s.gc.byKind)
    .filter(([, k]) => k.count > 0)
    .map(([kind, k]) => `${k.count} ${kind} (max ${k.maxPauseMs.toFixed(1)} ms)`)
    .join(', ');
  const items: { label: string; cell: Cell }[] = [
    { label: 'rss', cell: text(`${m.rssMiB.toFixed(0)} MiB`) },
    { label: 'heap used', cell: text(`${m.heapUsedMiB.toFixed(0)} of ${m.heapLimitMiB.toFixed(0)} MiB (${((100 * m.heapUsedMiB) / m.heapLimitMiB).toFixed(1)}%)`) },
    { label: 'external / buffers', cell: text(`${m.externalMiB.toFixed(1)} / ${m.arrayBuffersMiB.toFixed(1)} MiB`) },
    { label: 'system free', cell: text(`${m.systemFreeMiB.toFixed(0)} of ${m.systemTotalMiB.toFixed(0)} MiB`) },
    { label: 'gc', cell: text(`${s.gc.count} collections since tunelab loaded, ${s.gc.totalPauseMs.toFixed(1)} ms paused${gcKinds ? `: ${gcKinds}` : ''}`) },
    { label: 'TF.js', cell: text(s.tensors ? `${s.tensors.backend ?? '?'} backend, ${s.tensors.numTensors} tensors, ${(s.tensors.numBytes / MB).toFixed(1)} MiB` : 'not loaded in this thread') },
    { label: 'cores', cell: { kind: 'integer', value: s.cores } },
    { label: 'uptime', cell: { kind: 'duration', ms: s.uptimeSeconds * 1000 } },
  ];
  return { kind: 'summary', title: 'System', items };
}

function cachesTable(s: SystemStats): Table | undefined {
  if (s.caches.length === 0) return undefined;
  return {
    kind: 'table',
    title: 'Evaluation caches',
    columns: [
      { label: 'cache', align: 'left' },
      { label: 'hit ratio', align: 'right' },
      { label: 'memory keys', align: 'right' },
      { label: 'disk keys', align: 'right' },
      { label: 'disk size', align: 'right' },
      { label: 'disk', align: 'left' },
    ],
    rows: s.caches.map(({ name, stats }) => {
      const c = stats as EvalCacheStats | undefined;
      return [
        text(relativeToCwd(c?.dir ?? name)),
        text(c ? `${(100 * c.hitRatio).toFixed(1)}%` : '—'),
        { kind: 'integer', value: c?.memoryKeys ?? 0 },
        { kind: 'integer', value: c?.diskKeys ?? 0 },
        { kind: 'bytes', value: c?.diskBytes ?? 0 },
        text(c?.diskError ? `off: ${c.diskError}` : c?.dir ? 'on' : 'memory only'),
      ];
    }),
  };
}

/** An absolute path inside the working directory, as the user would type it (level:.tunelab/studies). */
export function relativeToCwd(text: string, cwd = process.cwd()): string {
  const prefix = cwd.endsWith(sep) ? cwd : `${cwd}${sep}`;
  return text.split(prefix).join('');
}

function relativeDeep(value: unknown): unknown {
  if (typeof value === 'string') return relativeToCwd(value);
  if (Array.isArray(value)) return value.map(relativeDeep);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativeDeep(v)]));
  return value;
}

/** One row per resource, one real column per figure it reports (nested figures as dotted names). */
function resourcesTable(title: string, entries: SystemStats['storages']): Table | undefined {
  if (entries.length === 0) return undefined;
  const records = entries.map(({ name, stats }) => {
    const plain = JSON.parse(JSON.stringify(stats ?? null)) as unknown;
    return { name: relativeToCwd(name), ...(isPlainObject(plain) ? (relativeDeep(plain) as Record<string, unknown>) : plain === null ? {} : { figures: relativeDeep(plain) }) };
  });
  return recordsTable(records, { title });
}

/** systemStats() as a summary and small tables: memory, GC and TF.js at a glance, then what is open. */
export function systemStatsDocument(s: SystemStats): RenderDocument {
  const blocks = [
    memorySummary(s),
    resourcesTable('Worker pools', s.workers),
    cachesTable(s),
    resourcesTable('Storages', s.storages),
    resourcesTable('Monitors', s.monitors),
  ].filter((b): b is Summary | Table => b !== undefined);
  return documentOf(...blocks);
}
