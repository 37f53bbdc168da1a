import { isFeasible } from './constraints.js';
import type { FrozenTrial } from './frozen-trial.js';
import type { Direction } from './state.js';

/**
 * The COMPLETE trial with the best value (first one on ties), or undefined. Trials that break a
 * constraint (see constraints.ts) are passed over, as in Optuna 4: the best trial is the best
 * feasible one.
 */
export function findBestTrial(trials: readonly FrozenTrial[], direction: Direction): FrozenTrial | undefined {
  let best: FrozenTrial | undefined;
  for (const t of trials) {
    if (t === undefined || t.state !== 'COMPLETE' || t.value === undefined || !isFeasible(t)) continue;
    if (best === undefined || (direction === 'minimize' ? t.value < (best.value as number) : t.value > (best.value as number))) best = t;
  }
  return best;
}

/** Whether `a` dominates `b`: no worse in every objective and better in one. */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly Direction[]): boolean {
  let strictlyBetter = false;
  for (let i = 0; i < directions.length; i++) {
    const sign = directions[i] === 'minimize' ? 1 : -1;
    const x = sign * (a[i] as number);
    const y = sign * (b[i] as number);
    if (x > y) return false;
    if (x < y) strictlyBetter = true;
  }
  return strictlyBetter;
}

/** The non-dominated feasible COMPLETE trials (the Pareto front), ordered by number. */
export function paretoFront(trials: readonly FrozenTrial[], directions: readonly Direction[]): FrozenTrial[] {
  const complete = trials.filter((t) => t !== undefined && t.state === 'COMPLETE' && t.values !== undefined && isFeasible(t));
  return complete.filter((t) => !complete.some((o) => o !== t && dominates(o.values as number[], t.values as number[], directions)));
}
