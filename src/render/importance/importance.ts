import type { Distribution } from '../../trial/distributions.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import { targetOf, targetTrials, type PlotSource } from '../plot/source.js';
import { treeImportances } from './fanova.js';
import { fitForest } from './forest.js';

export interface ImportanceOptions {
  /** Parameters to rate (default: every parameter present in all COMPLETE trials). */
  readonly params?: readonly string[];
  readonly nTrees?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
  /** The number to explain (default: the objective value); needed for a several-objective study. */
  readonly target?: (trial: FrozenTrial) => number;
  readonly targetName?: string;
}

export interface ParamImportance {
  readonly param: string;
  /** Share of the objective's variance explained by this parameter alone; the shares sum to 1. */
  readonly importance: number;
}

/** Parameters every COMPLETE trial has, with one distribution throughout (Optuna's intersection search space). */
function intersectionSpace(trials: readonly FrozenTrial[]): Map<string, Distribution> {
  const space = new Map<string, Distribution>();
  const first = trials[0];
  if (!first) return space;
  for (const [name, d] of Object.entries(first.distributions)) {
    const key = JSON.stringify(d);
    if (trials.every((t) => t.distributions[name] !== undefined && JSON.stringify(t.distributions[name]) === key)) space.set(name, d);
  }
  return space;
}

interface Encoding {
  readonly bounds: (readonly [number, number])[];
  /** Columns of each parameter: one for a number, one per choice (one-hot) for a categorical. */
  readonly groups: number[][];
  encode(t: FrozenTrial): Float64Array;
}

// As Optuna's fANOVA evaluator: raw values in the distribution's bounds (no log transform),
// categoricals one-hot encoded with each column in [0, 1].
function encoding(names: readonly string[], space: ReadonlyMap<string, Distribution>): Encoding {
  const bounds: (readonly [number, number])[] = [];
  const groups: number[][] = [];
  for (const name of names) {
    const d = space.get(name) as Distribution;
    const width = d.kind === 'categorical' ? d.choices.length : 1;
    groups.push(Array.from({ length: width }, (_, i) => bounds.length + i));
    for (let i = 0; i < width; i++) bounds.push(d.kind === 'categorical' ? [0, 1] : [d.low, d.high]);
  }
  return {
    bounds,
    groups,
    encode(t) {
      const x = new Float64Array(bounds.length);
      names.forEach((name, p) => {
        const d = space.get(name) as Distribution;
        const cols = groups[p] as number[];
        const internal = t.internalParams[name] as number;
        if (d.kind === 'categorical') x[cols[internal] as number] = 1;
        else x[cols[0] as number] = internal;
      });
      return x;
    },
  };
}

/**
 * Parameter importances by fANOVA over a random forest, the method of Optuna's default
 * `FanovaImportanceEvaluator`: fit a forest (64 trees) from parameters to the objective on the
 * COMPLETE trials, decompose each tree's variance over the search space into the marginal of
 * each parameter, average the shares over trees and normalise them to sum to 1.
 * Sorted from most to least important.
 */
export function paramImportances(source: PlotSource, options: ImportanceOptions = {}): ParamImportance[] {
  const target = targetOf(source, options, 'importance');
  const trials = targetTrials(source, target).map((p) => p.trial);
  const space = intersectionSpace(trials);
  const names = (options.params ?? [...space.keys()]).filter((n) => space.has(n)).sort();
  if (names.length === 0 || trials.length < 2) return names.map((param) => ({ param, importance: names.length === 1 ? 1 : 0 }));
  const enc = encoding(names, space);
  const X = trials.map((t) => enc.encode(t));
  const y = trials.map((t) => target.valueOf(t));
  const trees = fitForest(X, y, { nTrees: options.nTrees ?? 64, maxDepth: options.maxDepth ?? 64, seed: options.seed ?? 0 });
  const sums = new Array<number>(names.length).fill(0);
  let counted = 0;
  for (const tree of trees) {
    const shares = treeImportances(tree, enc.bounds, enc.groups);
    if (!shares) continue;
    shares.forEach((s, i) => (sums[i] = (sums[i] as number) + s));
    counted++;
  }
  const means = sums.map((s) => (counted === 0 ? 0 : s / counted));
  const total = means.reduce((a, b) => a + b, 0);
  return names
    .map((param, i) => ({ param, importance: total > 0 ? (means[i] as number) / total : 1 / names.length }))
    .sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
}
