import type { SystemStats } from '../../monitor/system-stats.js';
import type { EvalCacheStats } from '../../cache/eval-cache.js';
import { documentOf, type Cell, type RenderDocument, type Summary, type Table } from '../table.js';

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
    { label: 'rss', cell: bytes(m.rssMB) },
    { label: 'heap used', cell: text(`${m.heapUsedMB.toFixed(0)} of ${m.heapLimitMB.toFixed(0)} MiB (${((100 * m.heapUsedMB) / m.heapLimitMB).toFixed(1)}%)`) },
    { label: 'external / buffers', cell: text(`${m.externalMB.toFixed(1)} / ${m.arrayBuffersMB.toFixed(1)} MiB`) },
    { label: 'system free', cell: text(`${(m.systemFreeMB / 1024).toFixed(1)} of ${(m.systemTotalMB / 1024).toFixed(1)} GiB`) },
    { label: 'gc', cell: text(`${s.gc.count} collections, ${s.gc.totalPauseMs.toFixed(1)} ms paused${gcKinds ? `: ${gcKinds}` : ''}`) },
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
        text(c?.dir ?? name),
        text(c ? `${(100 * c.hitRatio).toFixed(1)}%` : '—'),
        { kind: 'integer', value: c?.memoryKeys ?? 0 },
        { kind: 'integer', value: c?.diskKeys ?? 0 },
        { kind: 'bytes', value: c?.diskBytes ?? 0 },
        text(c?.diskError ? `off: ${c.diskError}` : c?.dir ? 'on' : 'memory only'),
      ];
    }),
  };
}

function resourcesTable(title: string, entries: SystemStats['storages']): Table | undefined {
  if (entries.length === 0) return undefined;
  return {
    kind: 'table',
    title,
    columns: [{ label: 'name', align: 'left' }, { label: 'figures', align: 'left' }],
    rows: entries.map(({ name, stats }) => [text(name), stats === undefined ? { kind: 'empty' } : { kind: 'json', value: JSON.parse(JSON.stringify(stats)) }]),
  };
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
