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

/** Which number of a trial a plot shows: Optuna's `target` and `target_name`. */
export interface TargetOptions {
  /**
   * The number to plot for each COMPLETE trial (default: its objective value). Needed for a
   * several-objective study, e.g. `{ target: (t) => t.values[0], targetName: 'loss' }`.
   */
  readonly target?: (trial: FrozenTrial) => number;
  /** The axis title for the target (default 'objective value', or 'target' with a target). */
  readonly targetName?: string;
}

export interface Target {
  readonly name: string;
  /** Known only without a custom target on a single-objective study. */
  readonly direction: Direction | undefined;
  valueOf(trial: FrozenTrial): number;
}

/** The target of a plot: the objective value of a single-objective study, or the given target. */
export function targetOf(source: PlotSource, options: TargetOptions, plotName: string): Target {
  if (options.target !== undefined) {
    if (typeof options.target !== 'function') throw new InvalidOptionError(`plot.${plotName}(study, { target }): expected a function (trial) => number`);
    return { name: options.targetName ?? 'target', direction: undefined, valueOf: options.target };
  }
  if (source.directions.length !== 1) {
    throw new DirectionsError(
      `plot.${plotName}() on '${source.name}', which has ${source.directions.length} objectives: say which to plot, e.g. plot.${plotName}(study, { target: (t) => t.values[0], targetName: 'objective 0' }); plot.pareto(study) and plot.hypervolume(study) show all of them`,
    );
  }
  return { name: options.targetName ?? 'objective value', direction: source.directions[0] as Direction, valueOf: (t) => t.values?.[0] as number };
}

/** COMPLETE trials with a finite target, paired with it. */
export function targetTrials(source: PlotSource, target: Target): { trial: FrozenTrial; value: number }[] {
  return completeTrials(source)
    .map((trial) => ({ trial, value: target.valueOf(trial) }))
    .filter((p) => typeof p.value === 'number' && Number.isFinite(p.value));
}
