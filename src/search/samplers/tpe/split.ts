import type { TrialHistory } from './history.js';
import { hypervolumeWeights, splitMultiObjective } from './motpe.js';

/** Weight of a good trial that breaks a constraint (Optuna's EPS): kept in l(x), barely. */
const INFEASIBLE_WEIGHT = 1e-12;

/**
 * Trial numbers of the good ("below") set: the `nBelow` best COMPLETE trials, topped up with
 * the best PRUNED ones when there are too few (as Optuna). With several objectives the COMPLETE
 * trials are split by MOTPE's rule (the history holds no pruned trials then).
 *
 * With constraints (Optuna's constrained TPE): feasible trials come first. When fewer than
 * `nBelow` trials are feasible, the good set is the feasible ones plus the least violating
 * others; otherwise the split above runs on the feasible trials alone.
 */
export function goodTrialNumbers(history: TrialHistory, nBelow: number): Set<number> {
  const violations = history.violations;
  if (violations === undefined) return splitByLoss(history, nBelow, undefined);
  let feasible = 0;
  for (const v of violations.values()) if (v === 0) feasible++;
  if (feasible >= nBelow && nBelow < violations.size) {
    return splitByLoss(history, nBelow, (n) => violations.get(n) === 0);
  }
  // Stable by trial number, as Optuna's argsort over trials in study order.
  const byViolation = [...violations.keys()].sort((a, b) => (violations.get(a) as number) - (violations.get(b) as number) || a - b);
  return new Set(byViolation.slice(0, nBelow));
}

function splitByLoss(history: TrialHistory, nBelow: number, keep: ((trialNumber: number) => boolean) | undefined): Set<number> {
  const good = new Set<number>();
  if (history.directions.length === 1) {
    for (const key of history.completeRanking) {
      if (good.size >= nBelow) return good;
      if (keep === undefined || keep(key[1])) good.add(key[1]);
    }
    for (const key of history.prunedRanking) {
      if (good.size >= nBelow) return good;
      if (keep === undefined || keep(key[2])) good.add(key[2]);
    }
    return good;
  }
  const numbers = [...history.completeLosses.keys()].filter((n) => keep === undefined || keep(n));
  const losses = numbers.map((n) => history.completeLosses.get(n) as readonly number[]);
  for (const i of splitMultiObjective(losses, Math.min(nBelow, numbers.length))) good.add(numbers[i] as number);
  return good;
}

/**
 * MOTPE weights of the good trials (given sorted by number), by hypervolume contribution.
 * With constraints, contributions are among the feasible good trials; infeasible ones weigh
 * almost nothing (as Optuna).
 */
export function goodTrialWeights(history: TrialHistory, goodNumbers: readonly number[]): Float64Array {
  const violations = history.violations;
  const feasible = violations === undefined ? goodNumbers : goodNumbers.filter((n) => violations.get(n) === 0);
  const feasibleWeights = hypervolumeWeights(feasible.map((n) => history.completeLosses.get(n) as readonly number[]));
  if (feasible.length === goodNumbers.length) return feasibleWeights;
  const out = new Float64Array(goodNumbers.length).fill(INFEASIBLE_WEIGHT);
  let j = 0;
  goodNumbers.forEach((n, i) => {
    if (violations?.get(n) === 0) out[i] = feasibleWeights[j++] as number;
  });
  return out;
}
