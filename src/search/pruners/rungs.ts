import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import type { PruneDecision } from '../pruner.js';
import { lastStep } from './intermediate.js';

/**
 * Asynchronous successive halving over rungs, shared by SuccessiveHalvingPruner and each bracket
 * of HyperbandPruner. As in Optuna, a trial that reaches a rung's step records its value there
 * as the system attribute `completed_rung_N`, and competes with every trial that recorded one.
 */
export interface RungSettings {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
}

export function rungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

// Attributes are JSON: a reported ±Infinity is kept as a string rather than lost as null.
function encode(value: number): JsonValue {
  return Number.isFinite(value) ? value : String(value);
}

function decode(stored: JsonValue | undefined): number | undefined {
  if (typeof stored === 'number') return stored;
  if (stored === 'Infinity') return Infinity;
  if (stored === '-Infinity') return -Infinity;
  return undefined;
}

/** The first rung the trial has not completed yet. */
function currentRung(trial: FrozenTrial): number {
  let rung = 0;
  while (rungKey(rung) in trial.systemAttrs) rung++;
  return rung;
}

/**
 * Decides for `trial` against `trials` (the study's, or one bracket's; holes allowed), and
 * returns the rung values to record on it. Rule for rule Optuna's SuccessiveHalvingPruner.prune:
 * the latest reported value is entered into every rung the latest step has reached.
 */
export function climbRungs(trials: readonly (FrozenTrial | undefined)[], trial: FrozenTrial, direction: Direction, s: RungSettings): PruneDecision {
  const step = lastStep(trial);
  if (step === undefined) return { prune: false };
  const value = trial.intermediateValues[step] as number;
  const recorded: Record<string, JsonValue> = {};
  const answer = (prune: boolean): PruneDecision => (Object.keys(recorded).length > 0 ? { prune, systemAttrs: recorded } : { prune });

  for (let rung = currentRung(trial); ; rung++) {
    const promotionStep = s.minResource * s.reductionFactor ** (s.minEarlyStoppingRate + rung);
    if (step < promotionStep) return answer(false);
    if (Number.isNaN(value)) return answer(true);
    const key = rungKey(rung);
    recorded[key] = encode(value);
    const competing = competingValues(trials, trial.number, key);
    competing.push(value);
    // `competing` includes this trial, hence <=.
    if (competing.length <= s.bootstrapCount) return answer(true);
    if (!isPromotable(value, competing, s.reductionFactor, direction)) return answer(true);
  }
}

function competingValues(trials: readonly (FrozenTrial | undefined)[], self: number, key: string): number[] {
  const values: number[] = [];
  for (const t of trials) {
    if (t === undefined || t.number === self) continue;
    const v = decode(t.systemAttrs[key]);
    if (v !== undefined) values.push(v);
  }
  return values;
}

/**
 * In the top 1/reductionFactor of the rung. While fewer than reductionFactor trials competed,
 * only the best so far goes on: trials cannot be paused to wait for more competitors.
 */
function isPromotable(value: number, competing: number[], reductionFactor: number, direction: Direction): boolean {
  const index = Math.max(Math.floor(competing.length / reductionFactor) - 1, 0);
  competing.sort((a, b) => a - b);
  if (direction === 'maximize') return value >= (competing[competing.length - 1 - index] as number);
  return value <= (competing[index] as number);
}
