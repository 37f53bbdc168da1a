import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominates } from '../../../src/trial/best.js';
import type { FrozenTrial, TrialId } from '../../../src/trial/frozen-trial.js';
import type { Direction } from '../../../src/trial/state.js';
import { constrainedDominance, crowdingDistances, nonDominatedFronts, paretoDominance, selectElite } from '../../../src/search/samplers/nsgaii/elite.js';

/** A COMPLETE trial with these objective values (and constraint values when given). */
function trial(number: number, values: number[], constraints?: number[]): FrozenTrial {
  return {
    trialId: number as TrialId,
    number,
    state: 'COMPLETE',
    value: values.length === 1 ? values[0] : undefined,
    values,
    params: {},
    internalParams: {},
    distributions: {},
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: constraints === undefined ? {} : { constraints },
    datetimeStart: undefined,
    datetimeComplete: undefined,
    durationMs: undefined,
  };
}

const MIN2: Direction[] = ['minimize', 'minimize'];
// Small integers, so that ties and duplicate points (the hard cases of both sorts) are common.
const populations = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 30 })
  .map((points) => points.map((p, i) => trial(i, p)));

/** The textbook definition: front k is what nothing left dominates once fronts 0..k−1 are taken away. */
function peel(population: FrozenTrial[], directions: Direction[]): number[][] {
  const fronts: number[][] = [];
  let left = population;
  while (left.length > 0) {
    const front = left.filter((p) => !left.some((q) => dominates(q.values as number[], p.values as number[], directions)));
    fronts.push(front.map((t) => t.number).sort((a, b) => a - b));
    left = left.filter((t) => !front.includes(t));
  }
  return fronts;
}

describe('NSGA-II selection', () => {
  it('non-dominated fronts equal the textbook peeling, for two objectives in either direction', () => {
    fc.assert(
      fc.property(populations, fc.constantFrom<Direction[]>(MIN2, ['maximize', 'minimize']), (population, directions) => {
        const fronts = nonDominatedFronts(population, paretoDominance(directions)).map((f) => f.map((t) => t.number).sort((a, b) => a - b));
        expect(fronts).toEqual(peel(population, directions));
      }),
    );
  });

  it('the elite has the asked size, takes better fronts whole, and keeps the ends of a split front', () => {
    fc.assert(
      fc.property(populations, fc.integer({ min: 1, max: 30 }), (population, size) => {
        const elite = selectElite(population, size, paretoDominance(MIN2));
        expect(elite).toHaveLength(Math.min(size, population.length));
        expect(new Set(elite).size).toBe(elite.length);
        const chosen = new Set(elite.map((t) => t.number));
        const fronts = peel(population, MIN2);
        const split = fronts.findIndex((f) => !f.every((n) => chosen.has(n)));
        if (split < 0) return;
        // Every front before the split is whole, none after it is touched.
        for (const f of fronts.slice(0, split)) for (const n of f) expect(chosen.has(n)).toBe(true);
        for (const f of fronts.slice(split + 1)) for (const n of f) expect(chosen.has(n)).toBe(false);
        // Of the split front, a trial with an infinite crowding distance is never left out for a finite one.
        const front = population.filter((t) => (fronts[split] as number[]).includes(t.number));
        const distance = crowdingDistances(front);
        const takenFromSplit = front.filter((t) => chosen.has(t.number)).map((t) => distance.get(t.number) as number);
        const leftOut = front.filter((t) => !chosen.has(t.number)).map((t) => distance.get(t.number) as number);
        if (takenFromSplit.length > 0 && leftOut.length > 0) expect(Math.min(...takenFromSplit)).toBeGreaterThanOrEqual(Math.max(...leftOut));
      }),
    );
  });

  it('the elite is a pure function of the trials: the same set whatever order they come in', () => {
    fc.assert(
      fc.property(populations, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (population, size, seed) => {
        const shuffled = [...population];
        let state = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (state * 1103515245 + 12345) % 2 ** 31;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as FrozenTrial, shuffled[i] as FrozenTrial];
        }
        const numbers = (ts: FrozenTrial[]): number[] => ts.map((t) => t.number).sort((a, b) => a - b);
        expect(numbers(selectElite(shuffled, size, paretoDominance(MIN2)))).toEqual(numbers(selectElite(population, size, paretoDominance(MIN2))));
      }),
    );
  });

  it('crowding distance: ends infinite, inner points the neighbour gap over the range, summed over objectives', () => {
    const front = [trial(0, [0, 4]), trial(1, [1, 2]), trial(2, [3, 1]), trial(3, [4, 0])];
    const d = crowdingDistances(front);
    expect(d.get(0)).toBe(Infinity);
    expect(d.get(3)).toBe(Infinity);
    expect(d.get(1)).toBeCloseTo((3 - 0) / 4 + (4 - 1) / 4, 12);
    expect(d.get(2)).toBeCloseTo((4 - 1) / 4 + (2 - 0) / 4, 12);
    // The range is max − min of each objective, not from zero.
    const shifted = crowdingDistances([trial(0, [2, 9]), trial(1, [3, 7]), trial(2, [5, 6]), trial(3, [6, 4])]);
    expect(shifted.get(1)).toBeCloseTo((5 - 2) / 4 + (9 - 6) / 5, 12);
    expect(shifted.get(2)).toBeCloseTo((6 - 3) / 4 + (7 - 4) / 5, 12);
    // An objective where all are equal adds nothing; identical points get no distance from it.
    const flat = crowdingDistances([trial(0, [1, 5]), trial(1, [1, 5]), trial(2, [1, 5])]);
    expect([...flat.values()]).toEqual([0, 0, 0]);
    // Infinite values (a journal imported from Optuna may hold them): Infinity − Infinity counts as 0, not NaN.
    const infinite = crowdingDistances([trial(0, [0, 0]), trial(1, [Infinity, 0]), trial(2, [Infinity, 0]), trial(3, [Infinity, 0])]);
    expect(infinite.get(2)).toBe(0);
    expect([...infinite.values()].some(Number.isNaN)).toBe(false);
  });

  it('constrained dominance: feasible beats infeasible, smaller violation beats larger, feasible pairs by Pareto, no constraints lose', () => {
    const better = constrainedDominance(MIN2);
    const feasibleWorse = trial(0, [9, 9], [0]);
    const infeasibleBetter = trial(1, [0, 0], [0.5]);
    const infeasibleWorse = trial(2, [0, 0], [2, -1, 3]);
    const infeasibleWorse3 = trial(3, [0, 0], [5]);
    expect(better(feasibleWorse, infeasibleBetter)).toBe(true);
    expect(better(infeasibleBetter, feasibleWorse)).toBe(false);
    expect(better(infeasibleBetter, infeasibleWorse3)).toBe(true);
    expect(better(infeasibleWorse3, infeasibleWorse)).toBe(false); // 5 = 2 + 3: neither is better
    expect(better(infeasibleWorse, infeasibleWorse3)).toBe(false);
    expect(better(trial(4, [1, 1], [-1]), trial(5, [2, 1], [0]))).toBe(true);
    expect(better(trial(5, [2, 1], [0]), trial(4, [1, 1], [-1]))).toBe(false);
    expect(better(trial(6, [0, 0]), infeasibleWorse3)).toBe(false);
    expect(better(infeasibleWorse3, trial(6, [0, 0]))).toBe(true);
    expect(better(trial(7, [0, 0]), trial(8, [1, 1]))).toBe(true);
  });

  it('constrained fronts put every feasible trial ahead of every infeasible one', () => {
    fc.assert(
      fc.property(populations, fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 30, maxLength: 30 }), (plain, cs) => {
        const population = plain.map((t, i) => trial(t.number, t.values as number[], [cs[i] as number]));
        const fronts = nonDominatedFronts(population, constrainedDominance(MIN2));
        const rank = new Map(fronts.flatMap((f, k) => f.map((t) => [t.number, k] as const)));
        const feasible = population.filter((t, i) => (cs[i] as number) <= 0);
        const infeasible = population.filter((t, i) => (cs[i] as number) > 0);
        for (const f of feasible) for (const g of infeasible) expect(rank.get(f.number)!).toBeLessThan(rank.get(g.number)!);
      }),
    );
  });
});
