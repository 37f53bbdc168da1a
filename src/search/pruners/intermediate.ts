import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';

/** The largest step the trial reported, as Optuna's `FrozenTrial.last_step`; undefined without reports. */
export function lastStep(trial: FrozenTrial): number | undefined {
  let last: number | undefined;
  for (const key in trial.intermediateValues) {
    const step = Number(key);
    if (last === undefined || step > last) last = step;
  }
  return last;
}

/** The trial's best intermediate value over all its steps, ignoring NaN; NaN if there is no other. */
export function bestIntermediate(trial: FrozenTrial, direction: Direction): number {
  let best = Number.NaN;
  for (const key in trial.intermediateValues) {
    const v = trial.intermediateValues[Number(key)] as number;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'maximize' ? v > best : v < best)) best = v;
  }
  return best;
}

/** The study's single direction; pruning is single-objective (the study refuses it otherwise). */
export function singleDirection(directions: readonly Direction[]): Direction {
  return directions[0] ?? 'minimize';
}
