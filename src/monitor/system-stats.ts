import { freemem, totalmem, cpus } from 'node:os';
import { inspect } from 'node:util';
import { heapLimitMiB } from './heap-limit.js';
import { listResources } from '../util/resources.js';
import { processGcObserver, type GcStats } from './gc-observer.js';
import { tensorStats, type TensorStats } from '../tf/engine-stats.js';

const MB = 1024 * 1024;

// GC is observed from the moment tunelab is loaded, so systemStats() counts the collections
// that happened before its first call (a PerformanceObserver for 'gc': no measurable cost).
processGcObserver();

/** Memory figures in MiB (2^20 bytes): every field named …MB here is a binary megabyte. */
export interface ProcessMemory {
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly heapLimitMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  readonly systemFreeMiB: number;
  readonly systemTotalMiB: number;
}

export interface ResourceStats {
  readonly name: string;
  readonly stats: unknown;
}

/** One typed snapshot of everything tunelab knows about this process. */
export interface SystemStats {
  readonly time: Date;
  readonly uptimeSeconds: number;
  readonly cores: number;
  readonly memory: ProcessMemory;
  readonly gc: GcStats;
  /** TF.js in this thread: backend, tensors and their bytes (undefined if TF.js is not loaded). */
  readonly tensors: TensorStats | undefined;
  readonly backend: string | undefined;
  readonly workers: readonly ResourceStats[];
  readonly caches: readonly ResourceStats[];
  readonly storages: readonly ResourceStats[];
  readonly monitors: readonly ResourceStats[];
}

export function processMemory(): ProcessMemory {
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / MB,
    heapUsedMiB: m.heapUsed / MB,
    heapTotalMiB: m.heapTotal / MB,
    heapLimitMiB: heapLimitMiB(),
    externalMiB: m.external / MB,
    arrayBuffersMiB: m.arrayBuffers / MB,
    systemFreeMiB: freemem() / MB,
    systemTotalMiB: totalmem() / MB,
  };
}

function collect(kind: Parameters<typeof listResources>[0]): ResourceStats[] {
  return listResources(kind).map((r) => ({ name: r.name, stats: r.stats?.() }));
}

/**
 * Memory, GC, workers, caches, storages, TF.js backend and tensors, uptime — in one object.
 * GC figures count from when tunelab was loaded.
 */
export function systemStats(): SystemStats {
  const tensors = tensorStats();
  const stats: SystemStats = {
    time: new Date(),
    uptimeSeconds: process.uptime(),
    cores: cpus().length,
    memory: processMemory(),
    gc: processGcObserver().stats(),
    tensors,
    backend: tensors?.backend,
    workers: collect('pool'),
    caches: collect('cache'),
    storages: collect('storage'),
    monitors: collect('monitor'),
  };
  Object.defineProperty(stats, inspect.custom, { value: () => formatSystemStats(stats), enumerable: false });
  return stats;
}

/** The compact text form (what the REPL and a cell's last value print). */
export function formatSystemStats(s: SystemStats): string {
  const m = s.memory;
  const parts = [
    `rss ${m.rssMiB.toFixed(0)} MiB`,
    `heap ${m.heapUsedMiB.toFixed(0)}/${m.heapLimitMiB.toFixed(0)} MiB`,
    `system free ${m.systemFreeMiB.toFixed(0)}/${m.systemTotalMiB.toFixed(0)} MiB`,
    `gc ${s.gc.count} (${s.gc.totalPauseMs.toFixed(1)} ms)`,
    s.tensors ? `tf ${s.tensors.backend ?? '?'} ${s.tensors.numTensors} tensors` : 'tf not loaded',
    `${s.workers.length} pools, ${s.caches.length} caches, ${s.storages.length} storages`,
    `up ${s.uptimeSeconds.toFixed(0)} s`,
  ];
  return `SystemStats(${parts.join(', ')})`;
}
