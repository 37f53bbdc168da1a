import { DirectionsError, InvalidOptionError } from '../../errors.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';

/** What plots read: a Study, or any snapshot with the same three fields. */
export interface PlotSource {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly trials: readonly FrozenTrial[];
}

export function checkSource(source: unknown, plotName: string): PlotSource {
  const s = source as Partial<PlotSource> | null;
  if (typeof s !== 'object' || s === null || !Array.isArray(s.trials) || !Array.isArray(s.directions)) {
    throw new InvalidOptionError(`plot.${plotName}(study): expected a Study (or { name, directions, trials }), got ${s === null ? 'null' : typeof s}`);
  }
  return s as PlotSource;
}

export function singleDirection(source: PlotSource, plotName: string): Direction {
  if (source.directions.length !== 1) {
    throw new DirectionsError(`plot.${plotName}() needs a single-objective study; '${source.name}' has ${source.directions.length} directions — use plot.pareto(study) for two objectives`);
  }
  return source.directions[0] as Direction;
}

export function completeTrials(source: PlotSource): FrozenTrial[] {
  return source.trials.filter((t): t is FrozenTrial => t !== undefined && t.state === 'COMPLETE' && t.values !== undefined);
}
