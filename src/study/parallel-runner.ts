import type { Objective } from './objective.js';
import type { OptimizeOptions } from './optimize.js';
import type { Study } from './study.js';

/** Runs optimize with workers; installed by src/parallel so the engine does not depend on it. */
export type ParallelRunner = <C>(study: Study, objective: Objective<C> | string | URL, options: OptimizeOptions<C>) => Promise<void>;

let parallelRunner: ParallelRunner | undefined;

export function installParallelRunner(runner: ParallelRunner): void {
  parallelRunner = runner;
}

export function installedParallelRunner(): ParallelRunner | undefined {
  return parallelRunner;
}
