import { constraintValues } from '../../../trial/constraints.js';
import { dominates } from '../../../trial/best.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { Direction } from '../../../trial/state.js';

/** Whether trial `a` is better than trial `b` for selection: plain Pareto dominance, or constrained dominance. */
export type Dominance = (a: FrozenTrial, b: FrozenTrial) => boolean;

/** Pareto dominance of two COMPLETE trials' values. */
export function paretoDominance(directions: readonly Direction[]): Dominance {
  return (a, b) => dominates(a.values as number[], b.values as number[], directions);
}

/**
 * Constrained dominance (Deb et al. 2002, as Optuna's NSGA-II): a feasible trial beats an
 * infeasible one, of two infeasible trials the smaller total violation wins, and two feasible
 * trials compare by Pareto dominance. A trial without stored constraint values loses to one with
 * them (its constraintsFunc threw or it finished before the sampler was given one).
 */
export function constrainedDominance(directions: readonly Direction[]): Dominance {
  const pareto = paretoDominance(directions);
  return (a, b) => {
    const ca = constraintValues(a);
    const cb = constraintValues(b);
    if (ca === undefined) return cb === undefined ? pareto(a, b) : false;
    if (cb === undefined) return true;
    const va = totalViolation(ca);
    const vb = totalViolation(cb);
    if (va === 0 && vb === 0) return pareto(a, b);
    if (va === 0 || vb === 0) return va === 0;
    return va < vb;
  };
}

function totalViolation(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) if (v > 0) sum += v;
  return sum;
}

/** The population split into fronts: rank 0 is dominated by nobody, rank 1 only by rank 0, and so on (Deb's fast non-dominated sort). */
export function nonDominatedFronts(population: readonly FrozenTrial[], better: Dominance): FrozenTrial[][] {
  const n = population.length;
  const dominatedBy = new Int32Array(n);
  const beats: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = population[i] as FrozenTrial;
      const q = population[j] as FrozenTrial;
      if (better(p, q)) {
        (beats[i] as number[]).push(j);
        dominatedBy[j]!++;
      } else if (better(q, p)) {
        (beats[j] as number[]).push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const fronts: FrozenTrial[][] = [];
  let current = [...dominatedBy.keys()].filter((i) => dominatedBy[i] === 0);
  while (current.length > 0) {
    fronts.push(current.map((i) => population[i] as FrozenTrial));
    const next: number[] = [];
    for (const i of current) {
      for (const j of beats[i] as number[]) if (--dominatedBy[j]! === 0) next.push(j);
    }
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * Crowding distance of each trial of one front, by trial number: per objective, the gap between
 * its two neighbours in that objective over the objective's finite range, summed (the ends get
 * Infinity). An objective where every trial has the same value adds nothing; Infinity − Infinity counts as 0.
 */
export function crowdingDistances(front: readonly FrozenTrial[]): Map<number, number> {
  const distance = new Map<number, number>(front.map((t) => [t.number, 0]));
  if (front.length === 0) return distance;
  const objectives = (front[0] as FrozenTrial).values?.length ?? 0;
  for (let k = 0; k < objectives; k++) {
    const value = (t: FrozenTrial): number => (t.values as number[])[k] as number;
    const sorted = [...front].sort((a, b) => value(a) - value(b) || a.number - b.number);
    const first = value(sorted[0] as FrozenTrial);
    const last = value(sorted[sorted.length - 1] as FrozenTrial);
    if (first === last) continue;
    const finite = sorted.map(value).filter(Number.isFinite);
    let width = finite.length > 0 ? (finite[finite.length - 1] as number) - (finite[0] as number) : 0;
    if (!(width > 0)) width = 1;
    for (let j = 0; j < sorted.length; j++) {
      const below = j === 0 ? -Infinity : value(sorted[j - 1] as FrozenTrial);
      const above = j === sorted.length - 1 ? Infinity : value(sorted[j + 1] as FrozenTrial);
      const gap = below === above ? 0 : above - below;
      const t = sorted[j] as FrozenTrial;
      distance.set(t.number, (distance.get(t.number) as number) + gap / width);
    }
  }
  return distance;
}

/**
 * The `size` best trials of `population`: whole fronts in rank order, then the least crowded
 * members of the front that does not fit whole (ties by trial number, so the choice is a pure
 * function of the trials).
 */
export function selectElite(population: readonly FrozenTrial[], size: number, better: Dominance): FrozenTrial[] {
  const elite: FrozenTrial[] = [];
  for (const front of nonDominatedFronts(population, better)) {
    if (elite.length + front.length <= size) {
      elite.push(...front);
      if (elite.length === size) break;
      continue;
    }
    const distance = crowdingDistances(front);
    const spread = [...front].sort((a, b) => (distance.get(b.number) as number) - (distance.get(a.number) as number) || a.number - b.number);
    elite.push(...spread.slice(0, size - elite.length));
    break;
  }
  return elite;
}
