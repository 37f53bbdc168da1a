import { InvalidOptionError } from '../../errors.js';
import { MemoryMonitor, type MemorySample } from '../../monitor/memory-monitor.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';

/** One reading of your own: `t` in ms (epoch or relative), the rest in bytes (as process.memoryUsage()). */
export interface MemoryReading {
  readonly t: number;
  readonly rss?: number;
  readonly heapUsed?: number;
  readonly heapTotal?: number;
  readonly external?: number;
  readonly arrayBuffers?: number;
  readonly [series: string]: number | undefined;
}

export interface MemoryData {
  readonly title: string;
  readonly series: readonly string[];
  /** Seconds since the first sample, and MiB. */
  readonly points: readonly { readonly seconds: number; readonly series: string; readonly mib: number }[];
  readonly peakMiB: Readonly<Record<string, number>>;
}

const MIB = 1024 * 1024;

/** What plot.memory accepts: a MemoryMonitor, its timeline, or readings of your own. */
export type MemoryTimeline = MemoryMonitor | readonly (MemorySample | MemoryReading)[];

function isMonitorSample(s: MemorySample | MemoryReading): s is MemorySample {
  return typeof (s as MemorySample).rssMiB === 'number';
}

/** A monitor sample as bytes per series: process figures, TF.js tensors and each worker's heap. */
function toReading(s: MemorySample | MemoryReading): MemoryReading {
  if (!isMonitorSample(s)) return s;
  const reading: Record<string, number> = {
    t: s.t,
    rss: s.rssMiB * MIB,
    heapUsed: s.heapUsedMiB * MIB,
    heapTotal: s.heapTotalMiB * MIB,
    external: s.externalMiB * MIB,
    arrayBuffers: s.arrayBuffersMiB * MIB,
  };
  if (s.tensorMiB !== undefined) reading['tensors'] = s.tensorMiB * MIB;
  for (const [id, w] of Object.entries(s.workers)) reading[`worker ${id} heap`] = w.heapUsedMiB * MIB;
  return reading as unknown as MemoryReading;
}

/** Memory over time from the MemoryMonitor (or its timeline), or your own process.memoryUsage() readings. */
export function memoryData(input: MemoryTimeline, options: { readonly title?: string } = {}): MemoryData {
  const timeline = input instanceof MemoryMonitor ? input.timeline() : input;
  if (!Array.isArray(timeline)) throw new InvalidOptionError('plot.memory(timeline): expected a MemoryMonitor, its timeline(), or an array of { t, rss, heapUsed, ... } readings in bytes');
  const samples = (timeline as readonly (MemorySample | MemoryReading)[])
    .map(toReading).filter((s) => typeof s?.t === 'number' && Number.isFinite(s.t)).sort((a, b) => a.t - b.t);
  const t0 = samples[0]?.t ?? 0;
  const series = [...new Set(samples.flatMap((s) => Object.keys(s).filter((k) => k !== 't' && typeof s[k] === 'number')))];
  const peakMiB: Record<string, number> = {};
  const points = samples.flatMap((s) =>
    series.flatMap((name) => {
      const v = s[name];
      if (typeof v !== 'number' || !Number.isFinite(v)) return [];
      const mib = v / MIB;
      peakMiB[name] = Math.max(peakMiB[name] ?? 0, mib);
      return [{ seconds: (s.t - t0) / 1000, series: name, mib }];
    }),
  );
  return { title: options.title ?? 'Memory', series, points, peakMiB };
}

export function memorySpec(data: MemoryData): VegaLiteSpec {
  const peaks = data.series.map((s) => `${s} ${Math.round(data.peakMiB[s] ?? 0)} MiB`).join(', ');
  return {
    ...baseSpec(data.title, `peak: ${peaks || 'no samples'}`),
    data: { values: data.points },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'seconds' },
      y: { field: 'mib', type: 'quantitative', title: 'MiB' },
      color: { field: 'series', type: 'nominal', title: null, sort: data.series },
    },
  };
}
