import { InvalidOptionError } from '../../errors.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';

/** One sample of a memory timeline: `t` in ms (epoch or relative), the rest in bytes (as process.memoryUsage()). */
export interface MemorySample {
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

/** Memory over time from plain samples (the MemoryMonitor's timeline, or your own process.memoryUsage() readings). */
export function memoryData(timeline: readonly MemorySample[], options: { readonly title?: string } = {}): MemoryData {
  if (!Array.isArray(timeline)) throw new InvalidOptionError('plot.memory(timeline): expected an array of { t, rss, heapUsed, ... } samples');
  const samples = timeline.filter((s) => typeof s?.t === 'number' && Number.isFinite(s.t)).sort((a, b) => a.t - b.t);
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
