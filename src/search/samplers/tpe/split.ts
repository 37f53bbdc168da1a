import type { TrialHistory } from './history.js';
import { hypervolumeWeights, splitMultiObjective } from './motpe.js';

/**
 * Trial numbers of the good ("below") set: the `nBelow` best COMPLETE trials, topped up with
 * the best PRUNED ones when there are too few (as Optuna). With several objectives the COMPLETE
 * trials are split by MOTPE's rule (the history holds no pruned trials then).
 */
export function goodTrialNumbers(history: TrialHistory, nBelow: number): Set<number> {
  const good = new Set<number>();
  if (history.directions.length === 1) {
    const complete = history.completeRanking;
    const fromComplete = Math.min(nBelow, complete.length);
    for (let i = 0; i < fromComplete; i++) good.add((complete[i] as readonly number[])[1] as number);
    const pruned = history.prunedRanking;
    const fromPruned = Math.min(nBelow - fromComplete, pruned.length);
    for (let i = 0; i < fromPruned; i++) good.add((pruned[i] as readonly number[])[2] as number);
    return good;
  }
  const numbers = [...history.completeLosses.keys()];
  const losses = numbers.map((n) => history.completeLosses.get(n) as readonly number[]);
  for (const i of splitMultiObjective(losses, Math.min(nBelow, numbers.length))) good.add(numbers[i] as number);
  return good;
}

/** MOTPE weights of the good trials (given sorted by number), by hypervolume contribution. */
export function goodTrialWeights(history: TrialHistory, goodNumbers: readonly number[]): Float64Array {
  return hypervolumeWeights(goodNumbers.map((n) => history.completeLosses.get(n) as readonly number[]));
}
