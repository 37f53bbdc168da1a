import { paramImportances, type ImportanceOptions, type ParamImportance } from '../importance/importance.js';
import { baseSpec, type VegaLiteSpec } from './compile.js';
import { completeTrials, type PlotSource } from './source.js';

export interface ImportanceData {
  readonly study: string;
  readonly targetName: string;
  readonly method: string;
  readonly trials: number;
  readonly importances: readonly ParamImportance[];
}

export function importanceData(source: PlotSource, options: ImportanceOptions = {}): ImportanceData {
  const importances = paramImportances(source, options);
  return { study: source.name, targetName: options.target === undefined ? 'objective' : (options.targetName ?? 'target'), method: 'fANOVA, random forest of 64 trees', trials: completeTrials(source).length, importances };
}

export function importanceSpec(data: ImportanceData): VegaLiteSpec {
  const rows = data.importances.map((p) => ({ param: p.param, importance: p.importance, label: p.importance.toFixed(3) }));
  const y = { field: 'param', type: 'nominal', sort: rows.map((r) => r.param), title: null, axis: { labelFontSize: 12 } };
  return {
    ...baseSpec('Parameter importance', `study '${data.study}', ${data.method}, ${data.trials} complete trials`, 560, Math.max(60, 28 * rows.length)),
    data: { values: rows },
    encoding: { y, x: { field: 'importance', type: 'quantitative', title: `share of ${data.targetName} variance`, scale: { domain: [0, 1] } } },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8', height: { band: 0.7 } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
  };
}
