import type { ImportanceOptions } from '../importance/importance.js';
import { richDisplay } from '../show.js';
import type { TslabDisplay } from '../tslab.js';
import { compileSvg, type VegaLiteSpec } from './compile.js';
import { equityData, equitySpec, type EquityData } from './equity.js';
import { historyData, historySpec, type HistoryData } from './history.js';
import { importanceData, importanceSpec, type ImportanceData } from './importance.js';
import { intermediateData, intermediateSpec, type IntermediateData } from './intermediate.js';
import { memoryData, memorySpec, type MemoryData, type MemoryTimeline } from './memory.js';
import { parallelData, parallelSpec, type ParallelData } from './parallel.js';
import { paretoData, paretoSpec, type ParetoData } from './pareto.js';
import { Plot } from './plot.js';
import { checkSource, type TargetOptions } from './source.js';
import { contourData, contourSpec, type ContourData, type ContourOptions } from './contour.js';
import { edfData, edfSpec, type EdfData } from './edf.js';
import { hypervolumeData, hypervolumeSpec, type HypervolumeData } from './hypervolume.js';
import { rankSpec, sliceData, sliceSpec, type SliceData, type SliceOptions } from './slice.js';
import { timelineData, timelineSpec, type TimelineData } from './timeline.js';

export interface PlotOptions {
  /**
   * In tslab a plot displays itself inline (false: only return it). A tslab `display` may be
   * passed to draw there instead of the kernel's own.
   */
  readonly display?: boolean | TslabDisplay;
}

async function finish<D>(kind: string, data: D, spec: VegaLiteSpec, options: PlotOptions): Promise<Plot<D>> {
  const plot = new Plot(kind, data, spec, await compileSvg(spec));
  if (options.display !== false) {
    const display = richDisplay(typeof options.display === 'object' ? { display: options.display } : {});
    if (display) {
      display.svg(plot.svg);
      plot.markShownInline();
    }
  }
  return plot;
}

/**
 * Plots as static SVG (vega-lite compiled in Node). Each returns a promise of a `Plot` with
 * `.svg`, `.spec` and the plain `.data` it was computed from; in tslab it also displays inline.
 */
export const plot = {
  /** Objective value of each COMPLETE trial and the best value so far, by trial number. */
  async history(study: unknown, options: PlotOptions & TargetOptions = {}): Promise<Plot<HistoryData>> {
    const data = historyData(checkSource(study, 'history'), options);
    return finish('history', data, historySpec(data), options);
  },
  /** Learning curves from trial.report(value, step); pruned trials end with a cross. */
  async intermediate(study: unknown, options: PlotOptions = {}): Promise<Plot<IntermediateData>> {
    const data = intermediateData(checkSource(study, 'intermediate'));
    return finish('intermediate', data, intermediateSpec(data), options);
  },
  /** Parallel coordinates: one line per COMPLETE trial across the objective and every parameter. */
  async parallel(study: unknown, options: PlotOptions & TargetOptions & { readonly params?: readonly string[] } = {}): Promise<Plot<ParallelData>> {
    const data = parallelData(checkSource(study, 'parallel'), options);
    return finish('parallel', data, parallelSpec(data), options);
  },
  /** Parameter importances by fANOVA over a random forest (the method of Optuna's default evaluator). */
  async importance(study: unknown, options: PlotOptions & ImportanceOptions = {}): Promise<Plot<ImportanceData>> {
    const data = importanceData(checkSource(study, 'importance'), options);
    return finish('importance', data, importanceSpec(data), options);
  },
  /** Both objectives of a two-objective study, the Pareto front highlighted. */
  async pareto(study: unknown, options: PlotOptions & { readonly names?: readonly [string, string] } = {}): Promise<Plot<ParetoData>> {
    const data = paretoData(checkSource(study, 'pareto'), options.names === undefined ? {} : { names: options.names });
    return finish('pareto', data, paretoSpec(data), options);
  },
  /** Memory over time from samples { t (ms), rss, heapUsed, ... (bytes) }. */
  async memory(timeline: MemoryTimeline, options: PlotOptions & { readonly title?: string } = {}): Promise<Plot<MemoryData>> {
    const data = memoryData(timeline, options.title === undefined ? {} : { title: options.title });
    return finish('memory', data, memorySpec(data), options);
  },
  /** The target of every COMPLETE trial against each parameter, one panel per parameter. */
  async slice(study: unknown, options: PlotOptions & SliceOptions = {}): Promise<Plot<SliceData>> {
    const data = sliceData(checkSource(study, 'slice'), options);
    return finish('slice', data, sliceSpec(data), options);
  },
  /** Like slice, each trial coloured by the rank of its target (0 = best). */
  async rank(study: unknown, options: PlotOptions & SliceOptions = {}): Promise<Plot<SliceData>> {
    const data = sliceData(checkSource(study, 'rank'), options, 'rank');
    return finish('rank', data, rankSpec(data), options);
  },
  /** The target over two parameters (default: the first two by name), interpolated, trials on top. */
  async contour(study: unknown, options: PlotOptions & ContourOptions = {}): Promise<Plot<ContourData>> {
    const data = contourData(checkSource(study, 'contour'), options);
    return finish('contour', data, contourSpec(data), options);
  },
  /** Empirical distribution of the target, one curve per study: compare studies at a glance. */
  async edf(studies: unknown, options: PlotOptions & TargetOptions = {}): Promise<Plot<EdfData>> {
    const data = edfData(studies, options);
    return finish('edf', data, edfSpec(data), options);
  },
  /** Each trial as a bar from start to end, one row per worker: how the workers were used. */
  async timeline(study: unknown, options: PlotOptions = {}): Promise<Plot<TimelineData>> {
    const data = timelineData(checkSource(study, 'timeline'));
    return finish('timeline', data, timelineSpec(data), options);
  },
  /** Hypervolume of the Pareto front after each trial, for a study of two or more objectives. */
  async hypervolume(study: unknown, options: PlotOptions & { readonly referencePoint?: readonly number[] } = {}): Promise<Plot<HypervolumeData>> {
    const data = hypervolumeData(checkSource(study, 'hypervolume'), options.referencePoint === undefined ? {} : { referencePoint: options.referencePoint });
    return finish('hypervolume', data, hypervolumeSpec(data), options);
  },
  /** A backtest's equity curve (net of costs) beside buy-and-hold: `plot.equity(await result.backtest('lstm', { fee: 0.001 }))`. */
  async equity(backtest: unknown, options: PlotOptions & { readonly title?: string } = {}): Promise<Plot<EquityData>> {
    const data = equityData(backtest, options.title === undefined ? {} : { title: options.title });
    return finish('equity', data, equitySpec(data), options);
  },
};
