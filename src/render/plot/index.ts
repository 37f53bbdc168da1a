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
import { checkSource } from './source.js';

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
    display?.svg(plot.svg);
  }
  return plot;
}

/**
 * Plots as static SVG (vega-lite compiled in Node). Each returns a promise of a `Plot` with
 * `.svg`, `.spec` and the plain `.data` it was computed from; in tslab it also displays inline.
 */
export const plot = {
  /** Objective value of each COMPLETE trial and the best value so far, by trial number. */
  async history(study: unknown, options: PlotOptions = {}): Promise<Plot<HistoryData>> {
    const data = historyData(checkSource(study, 'history'));
    return finish('history', data, historySpec(data), options);
  },
  /** Learning curves from trial.report(value, step); pruned trials end with a cross. */
  async intermediate(study: unknown, options: PlotOptions = {}): Promise<Plot<IntermediateData>> {
    const data = intermediateData(checkSource(study, 'intermediate'));
    return finish('intermediate', data, intermediateSpec(data), options);
  },
  /** Parallel coordinates: one line per COMPLETE trial across the objective and every parameter. */
  async parallel(study: unknown, options: PlotOptions & { readonly params?: readonly string[] } = {}): Promise<Plot<ParallelData>> {
    const data = parallelData(checkSource(study, 'parallel'), options.params === undefined ? {} : { params: options.params });
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
  /** A backtest's equity curve (net of costs) beside buy-and-hold: `plot.equity(await result.backtest('lstm', { fee: 0.001 }))`. */
  async equity(backtest: unknown, options: PlotOptions & { readonly title?: string } = {}): Promise<Plot<EquityData>> {
    const data = equityData(backtest, options.title === undefined ? {} : { title: options.title });
    return finish('equity', data, equitySpec(data), options);
  },
};
