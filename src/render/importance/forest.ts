import { Rng } from '../../util/rng.js';

/**
 * A regression tree as flat arrays: node i splits on `feature[i]` at `threshold[i]`
 * (x <= threshold goes left), or is a leaf (feature -1) predicting `value[i]`.
 */
export interface RegressionTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

export interface ForestOptions {
  /** Number of trees (Optuna's fANOVA evaluator uses 64). */
  readonly nTrees?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
}

interface Builder {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

function mean(y: readonly number[], rows: readonly number[]): number {
  let s = 0;
  for (const r of rows) s += y[r] as number;
  return s / rows.length;
}

/** The split of `rows` that most reduces the squared error (CART), or undefined when none does. */
function bestSplit(X: readonly Float64Array[], y: readonly number[], rows: readonly number[], rng: Rng): { feature: number; threshold: number } | undefined {
  const d = X[0]?.length ?? 0;
  const n = rows.length;
  let total = 0;
  for (const r of rows) total += y[r] as number;
  let bestGain = 1e-12;
  let best: { feature: number; threshold: number } | undefined;
  // Visit features in a random order so ties do not always favour the first column (as sklearn).
  const order = Array.from({ length: d }, (_, i) => i);
  for (let i = d - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  for (const f of order) {
    const sorted = [...rows].sort((a, b) => (X[a] as Float64Array)[f]! - (X[b] as Float64Array)[f]!);
    let leftSum = 0;
    for (let k = 0; k < n - 1; k++) {
      const r = sorted[k] as number;
      leftSum += y[r] as number;
      const xa = (X[r] as Float64Array)[f] as number;
      const xb = (X[sorted[k + 1] as number] as Float64Array)[f] as number;
      if (xa === xb) continue;
      const nl = k + 1;
      const nr = n - nl;
      const rightSum = total - leftSum;
      // Reduction of the sum of squares: nl*mean_l^2 + nr*mean_r^2 - n*mean^2.
      const gain = (leftSum * leftSum) / nl + (rightSum * rightSum) / nr - (total * total) / n;
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature: f, threshold: (xa + xb) / 2 };
      }
    }
  }
  return best;
}

function grow(b: Builder, X: readonly Float64Array[], y: readonly number[], rows: readonly number[], depth: number, maxDepth: number, rng: Rng): number {
  const id = b.feature.length;
  b.feature.push(-1);
  b.threshold.push(0);
  b.left.push(-1);
  b.right.push(-1);
  b.value.push(mean(y, rows));
  if (rows.length < 2 || depth >= maxDepth) return id;
  const split = bestSplit(X, y, rows, rng);
  if (!split) return id;
  const l = rows.filter((r) => ((X[r] as Float64Array)[split.feature] as number) <= split.threshold);
  const r = rows.filter((r) => ((X[r] as Float64Array)[split.feature] as number) > split.threshold);
  b.feature[id] = split.feature;
  b.threshold[id] = split.threshold;
  b.left[id] = grow(b, X, y, l, depth + 1, maxDepth, rng);
  b.right[id] = grow(b, X, y, r, depth + 1, maxDepth, rng);
  return id;
}

/** A random forest of regression trees: bootstrap samples, all features considered at each split. */
export function fitForest(X: readonly Float64Array[], y: readonly number[], options: ForestOptions = {}): RegressionTree[] {
  const rng = new Rng(options.seed ?? 0);
  const n = X.length;
  const trees: RegressionTree[] = [];
  for (let t = 0; t < (options.nTrees ?? 64); t++) {
    const rows = Array.from({ length: n }, () => rng.int(n));
    const b: Builder = { feature: [], threshold: [], left: [], right: [], value: [] };
    grow(b, X, y, rows, 0, options.maxDepth ?? 64, rng);
    trees.push({
      feature: Int32Array.from(b.feature),
      threshold: Float64Array.from(b.threshold),
      left: Int32Array.from(b.left),
      right: Int32Array.from(b.right),
      value: Float64Array.from(b.value),
    });
  }
  return trees;
}

export function predictTree(tree: RegressionTree, x: Float64Array): number {
  let i = 0;
  while ((tree.feature[i] as number) >= 0) i = (x[tree.feature[i] as number] as number) <= (tree.threshold[i] as number) ? (tree.left[i] as number) : (tree.right[i] as number);
  return tree.value[i] as number;
}
