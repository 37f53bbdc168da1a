import type { RegressionTree } from './forest.js';

/** A leaf of a tree as an axis-aligned box in the search space, with its prediction. */
interface LeafBox {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly value: number;
}

function leafBoxes(tree: RegressionTree, bounds: readonly (readonly [number, number])[]): LeafBox[] {
  const out: LeafBox[] = [];
  const walk = (node: number, lo: Float64Array, hi: Float64Array): void => {
    const f = tree.feature[node] as number;
    if (f < 0) {
      out.push({ lo, hi, value: tree.value[node] as number });
      return;
    }
    const t = tree.threshold[node] as number;
    const leftHi = hi.slice();
    leftHi[f] = Math.min(hi[f] as number, t);
    const rightLo = lo.slice();
    rightLo[f] = Math.max(lo[f] as number, t);
    walk(tree.left[node] as number, lo, leftHi);
    walk(tree.right[node] as number, rightLo, hi);
  };
  walk(0, Float64Array.from(bounds, (b) => b[0]), Float64Array.from(bounds, (b) => b[1]));
  return out;
}

/**
 * fANOVA (Hutter, Hoos & Leyton-Brown, ICML 2014) on one tree: the share of the tree's variance
 * over the whole (uniform) search space explained by the marginal of each feature group alone.
 *
 * The leaves partition the space into boxes, so the marginal of a group is piecewise constant
 * on the grid formed by the tree's split points in the group's columns: on each grid cell it is
 * the sum over covering leaves of value × (fraction of the other columns' volume the leaf spans).
 */
export function treeImportances(tree: RegressionTree, bounds: readonly (readonly [number, number])[], groups: readonly (readonly number[])[]): number[] | undefined {
  const leaves = leafBoxes(tree, bounds);
  const width = bounds.map(([lo, hi]) => hi - lo);
  const frac = (leaf: LeafBox, k: number): number => ((width[k] as number) > 0 ? ((leaf.hi[k] as number) - (leaf.lo[k] as number)) / (width[k] as number) : 1);
  let mean = 0;
  const volumes = leaves.map((leaf) => {
    let v = 1;
    for (let k = 0; k < bounds.length; k++) v *= frac(leaf, k);
    mean += v * leaf.value;
    return v;
  });
  let total = 0;
  leaves.forEach((leaf, i) => {
    total += (volumes[i] as number) * (leaf.value - mean) ** 2;
  });
  if (!(total > 0)) return undefined;

  return groups.map((group) => {
    // Split points of this tree along each column of the group, including the bounds.
    const cuts = group.map((k) => {
      const set = new Set<number>([bounds[k]?.[0] as number, bounds[k]?.[1] as number]);
      for (const leaf of leaves) {
        set.add(leaf.lo[k] as number);
        set.add(leaf.hi[k] as number);
      }
      const sorted = [...set].sort((a, b) => a - b);
      // A column with no width (low === high) is one degenerate interval.
      return sorted.length === 1 ? [sorted[0] as number, sorted[0] as number] : sorted;
    });
    // The leaves' weight in the other columns, computed once.
    const rest = leaves.map((leaf) => {
      let v = 1;
      for (let k = 0; k < bounds.length; k++) if (!group.includes(k)) v *= frac(leaf, k);
      return v;
    });
    let variance = 0;
    const cell = new Array<number>(group.length).fill(0);
    const visit = (g: number): void => {
      if (g === group.length) {
        let weight = 1;
        let marginal = 0;
        for (let gi = 0; gi < group.length; gi++) {
          const k = group[gi] as number;
          const c = cuts[gi] as number[];
          weight *= (width[k] as number) > 0 ? ((c[(cell[gi] as number) + 1] as number) - (c[cell[gi] as number] as number)) / (width[k] as number) : 1;
        }
        if (weight <= 0) return;
        leaves.forEach((leaf, i) => {
          for (let gi = 0; gi < group.length; gi++) {
            const k = group[gi] as number;
            const c = cuts[gi] as number[];
            const mid = ((c[cell[gi] as number] as number) + (c[(cell[gi] as number) + 1] as number)) / 2;
            if (mid < (leaf.lo[k] as number) || mid > (leaf.hi[k] as number)) return;
          }
          marginal += (rest[i] as number) * leaf.value;
        });
        variance += weight * (marginal - mean) ** 2;
        return;
      }
      const c = cuts[g] as number[];
      const intervals = c.length - 1;
      for (let j = 0; j < intervals; j++) {
        cell[g] = j;
        visit(g + 1);
      }
    };
    visit(0);
    return variance / total;
  });
}
