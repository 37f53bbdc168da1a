import { DirectionsError } from '../errors.js';
import { toPruneDecision, type Pruner } from '../search/pruner.js';
import type { Sampler } from '../search/sampler.js';
import type { JsonValue } from '../util/json.js';
import type { TrialHost } from './local-trial.js';
import type { Direction } from '../trial/state.js';
import type { TrialTable } from './trial-table.js';
import type { TrialWrites } from './trial-writes.js';

/** What a study's running trials ask of it: its sampler, its pruner, its view and its background writes. */
export function studyTrialHost(table: TrialTable, sampler: Sampler, pruner: Pruner, directions: readonly Direction[], writes: TrialWrites): TrialHost {
  return {
    knownDistribution: (name) => table.paramDistributions.get(name),
    noteDistribution: (name, d) => table.noteDistribution(name, d),
    sampleIndependent: (trial, name, d) => sampler.sampleIndependent(table, trial.snapshot(), name, d),
    shouldPrune: (trial) => {
      if (directions.length > 1) throw new DirectionsError('trial.shouldPrune() is not supported for multi-objective studies (as in Optuna)');
      const decision = toPruneDecision(pruner.prune(table, trial.snapshot()));
      const attrs = decision.systemAttrs;
      if (attrs) for (const key in attrs) trial.setSystemAttr(key, attrs[key] as JsonValue);
      return decision.prune;
    },
    persist: (trial, patch) => writes.add(trial.number, trial.trialId, patch),
  };
}
