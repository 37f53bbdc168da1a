import { DirectionsError, InvalidOptionError } from '../../errors.js';
import type { Direction } from '../../trial/state.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { completeTrials, type PlotSource } from './source.js';

export interface HypervolumeData {
  readonly study: string;
  readonly directions: readonly Direction[];
  readonly referencePoint: readonly number[];
  /** After each COMPLETE trial (by number), the hypervolume of the Pareto front so far. */
  readonly points: readonly { readonly trial: number; readonly hypervolume: number }[];
}

/**
 * The volume dominated by `points` (all minimized) and bounded by `ref`, exact, by slicing along
 * the last objective (HSO): plenty for the tens or hundreds of trials a notebook plots.
 */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const d = ref.length;
  const inside = points.filter((p) => p.every((v, i) => v < (ref[i] as number)));
  if (inside.length === 0) return 0;
  if (d === 1) return (ref[0] as number) - Math.min(...inside.map((p) => p[0] as number));
  const sorted = [...inside].sort((a, b) => (a[d - 1] as number) - (b[d - 1] as number));
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const low = sorted[i]?.[d - 1] as number;
    const high = i + 1 < sorted.length ? (sorted[i + 1]?.[d - 1] as number) : (ref[d - 1] as number);
    if (high <= low) continue;
    volume += (high - low) * hypervolume(sorted.slice(0, i + 1).map((p) => p.slice(0, d - 1)), ref.slice(0, d - 1));
  }
  return volume;
}

/** Hypervolume history of a several-objective study (Optuna's plot_hypervolume_history). */
export function hypervolumeData(source: PlotSource, options: { readonly referencePoint?: readonly number[] } = {}): HypervolumeData {
  const dirs = source.directions;
  if (dirs.length < 2) throw new DirectionsError(`plot.hypervolume() needs a study with two or more objectives; '${source.name}' has ${dirs.length}: use plot.history(study)`);
  // Every objective as minimized.
  const trials = completeTrials(source)
    .filter((t) => t.values?.length === dirs.length && t.values.every(Number.isFinite))
    .sort((a, b) => a.number - b.number);
  const asMin = trials.map((t) => (t.values as number[]).map((v, i) => (dirs[i] === 'maximize' ? -v : v)));
  let ref: number[];
  if (options.referencePoint !== undefined) {
    if (options.referencePoint.length !== dirs.length || !options.referencePoint.every(Number.isFinite)) {
      throw new InvalidOptionError(`plot.hypervolume(study, { referencePoint }): expected ${dirs.length} finite numbers, got ${JSON.stringify(options.referencePoint)}`);
    }
    ref = options.referencePoint.map((v, i) => (dirs[i] === 'maximize' ? -v : v));
  } else {
    // Default: just beyond the worst value seen on each objective (10% of its range).
    ref = dirs.map((_, i) => {
      const vs = asMin.map((p) => p[i] as number);
      const lo = Math.min(...vs);
      const hi = Math.max(...vs);
      return hi + (hi > lo ? 0.1 * (hi - lo) : 1);
    });
  }
  const points = asMin.map((_, k) => ({ trial: trials[k]?.number as number, hypervolume: hypervolume(asMin.slice(0, k + 1), ref) }));
  return { study: source.name, directions: dirs, referencePoint: ref.map((v, i) => (dirs[i] === 'maximize' ? -v : v)), points };
}

export function hypervolumeSpec(data: HypervolumeData): VegaLiteSpec {
  const ref = data.referencePoint.map((v) => Number(v.toPrecision(4))).join(', ');
  return {
    ...baseSpec('Hypervolume history', `study '${data.study}', ${data.directions.join(' / ')}, reference point (${ref})`),
    data: { values: data.points },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, point: { filled: true, size: 24 } },
    encoding: {
      x: { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'hypervolume', type: 'quantitative', title: 'hypervolume', scale: { zero: false } },
    },
  };
}
