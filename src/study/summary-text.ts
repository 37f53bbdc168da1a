import { shortNumber, shortValue } from '../util/short-text.js';
import { findBestTrial, paretoFront } from '../trial/best.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { Direction, TrialState } from '../trial/state.js';

/** One line for a study in the REPL: trial counts by state, and the best trial or the Pareto front's size. */
export function studySummaryText(name: string, directions: readonly Direction[], storageUrl: string, trials: readonly FrozenTrial[]): string {
  const counts: Partial<Record<TrialState, number>> = {};
  for (const t of trials) if (t) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const stateText = Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ') || 'no trials';
  let bestText = '';
  if (directions.length === 1) {
    const best = findBestTrial(trials, directions[0] as Direction);
    if (best) bestText = `, best #${best.number} = ${shortNumber(best.value as number)} ${shortValue(best.params)}`;
  } else {
    bestText = `, Pareto front of ${paretoFront(trials, directions).length}`;
  }
  // AutoSampler stores its choice on each trial ('gp: why'); the newest says what works now.
  let samplerText = '';
  for (let i = trials.length - 1; i >= 0; i--) {
    const choice = trials[i]?.systemAttrs['auto:sampler'];
    if (typeof choice === 'string') {
      samplerText = `, sampler ${choice.split(':')[0] ?? choice} (auto)`;
      break;
    }
  }
  return `Study '${name}' (${directions.join(', ')}, ${storageUrl}): ${stateText}${bestText}${samplerText}`;
}
