/**
 * Multi-objective pieces of MOTPE (Ozaki et al. 2020/2022, as in Optuna 3.1): the good set is
 * filled front by front (non-dominated sorting); the front that does not fit whole is cut by
 * greedy hypervolume subset selection; good trials are weighted by their hypervolume
 * contribution. Losses are minimised (maximised objectives are negated by the caller).
 */

const EPS = 1e-12;

function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) > (b[i] as number)) return false;
    if ((a[i] as number) < (b[i] as number)) strictly = true;
  }
  return strictly;
}

/** Non-domination rank of each point (0 = Pareto front); ranks stop being assigned once `enough` points have one (the rest get Infinity). */
export function nonDominatedRanks(points: readonly (readonly number[])[], enough = points.length): Float64Array {
  const n = points.length;
  const ranks = new Float64Array(n).fill(Infinity);
  let assigned = 0;
  let rank = 0;
  let remaining = Array.from({ length: n }, (_, i) => i);
  while (assigned < enough && remaining.length > 0) {
    const front: number[] = [];
    const rest: number[] = [];
    for (const i of remaining) {
      let dominated = false;
      for (const j of remaining) {
        if (i !== j && dominates(points[j] as number[], points[i] as number[])) {
          dominated = true;
          break;
        }
      }
      (dominated ? rest : front).push(i);
    }
    for (const i of front) ranks[i] = rank;
    assigned += front.length;
    remaining = rest;
    rank++;
  }
  return ranks;
}

/** Hypervolume dominated by `points` up to `reference` (exact; slicing on the last objective). */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < (reference[i] as number)));
  return hv(inside, reference, reference.length);
}

function hv(points: readonly (readonly number[])[], ref: readonly number[], m: number): number {
  if (points.length === 0) return 0;
  if (m === 1) return (ref[0] as number) - Math.min(...points.map((p) => p[0] as number));
  if (m === 2) {
    const sorted = [...points].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    let area = 0;
    let bestY = ref[1] as number;
    for (const p of sorted) {
      if ((p[1] as number) < bestY) {
        area += ((ref[0] as number) - (p[0] as number)) * (bestY - (p[1] as number));
        bestY = p[1] as number;
      }
    }
    return area;
  }
  const last = m - 1;
  const sorted = [...points].sort((a, b) => (a[last] as number) - (b[last] as number));
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const lo = sorted[i]?.[last] as number;
    const hi = i + 1 < sorted.length ? (sorted[i + 1]?.[last] as number) : (ref[last] as number);
    if (hi > lo) volume += (hi - lo) * hv(sorted.slice(0, i + 1), ref, last);
  }
  return volume;
}

/** Optuna's reference point: 1.1× the worst point (0.9× for negative coordinates), zeros nudged to EPS. */
export function referencePoint(points: readonly (readonly number[])[]): number[] {
  const m = points[0]?.length ?? 0;
  const ref: number[] = [];
  for (let i = 0; i < m; i++) {
    const worst = Math.max(...points.map((p) => p[i] as number));
    const r = Math.max(1.1 * worst, 0.9 * worst);
    ref.push(r === 0 ? EPS : r);
  }
  return ref;
}

/** Greedy hypervolume subset selection: `k` indices of `points`, each adding the most volume. */
export function selectByHypervolume(points: readonly (readonly number[])[], k: number, reference: readonly number[]): number[] {
  const chosen: number[] = [];
  const left = new Set(points.map((_, i) => i));
  while (chosen.length < k && left.size > 0) {
    let best = -1;
    let bestVolume = -Infinity;
    for (const i of left) {
      const v = hypervolume([...chosen, i].map((j) => points[j] as number[]), reference);
      if (v > bestVolume) {
        bestVolume = v;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
  }
  return chosen;
}

/** The `nBelow` best points: whole fronts first, the cut front by hypervolume. Returns indices. */
export function splitMultiObjective(points: readonly (readonly number[])[], nBelow: number): Set<number> {
  const below = new Set<number>();
  if (nBelow <= 0) return below;
  const ranks = nonDominatedRanks(points, nBelow);
  let rank = 0;
  for (;;) {
    const front: number[] = [];
    ranks.forEach((r, i) => {
      if (r === rank) front.push(i);
    });
    if (front.length === 0) break;
    if (below.size + front.length <= nBelow) {
      for (const i of front) below.add(i);
      rank++;
      if (below.size === nBelow) break;
      continue;
    }
    const frontPoints = front.map((i) => points[i] as number[]);
    for (const j of selectByHypervolume(frontPoints, nBelow - below.size, referencePoint(frontPoints))) below.add(front[j] as number);
    break;
  }
  return below;
}

/** Weights of the good points: hypervolume contribution relative to the largest, in (0, 1]. */
export function hypervolumeWeights(points: readonly (readonly number[])[]): Float64Array {
  const n = points.length;
  if (n === 0) return new Float64Array(0);
  if (n === 1) return new Float64Array([1]);
  const ref = referencePoint(points);
  const total = hypervolume(points, ref);
  const contributions = new Float64Array(n);
  for (let i = 0; i < n; i++) contributions[i] = total - hypervolume(points.filter((_, j) => j !== i), ref) + EPS;
  const max = Math.max(...contributions);
  return contributions.map((c) => Math.min(1, Math.max(0, c / max)));
}
