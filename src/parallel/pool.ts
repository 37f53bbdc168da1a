import type { Objective } from '../study/objective.js';
import type { OptimizeOptions } from '../study/optimize-options.js';
import type { Executor } from './executor.js';
import type { WorkerSetup } from './messages.js';
import { resolveWorkerCount, validateParallelOptions } from './parallel-options.js';
import { ProcessExecutor } from './process-executor.js';
import { shipObjective } from './ship-objective.js';
import { Slots } from './slots.js';
import { planWorkerTf } from '../tf/worker-setup.js';
import { ThreadExecutor, type ResourceLimits } from './thread-executor.js';

/** A checked pool, not started yet. */
export interface PoolPlan {
  readonly setup: WorkerSetup;
  readonly workers: number;
  readonly processes: boolean;
  readonly resourceLimits: ResourceLimits | undefined;
}

/**
 * The workers of one or more optimize runs: an executor (threads or processes) for one objective
 * and its datasets, and one slot per worker. optimize opens one per run; tune() opens one for all
 * its model families, so the workers load TF.js once and no worker idles while one family's last
 * trial finishes and another family has trials to run.
 */
export class WorkerPool {
  private constructor(
    readonly workers: number,
    readonly executor: Executor,
    readonly slots: Slots,
  ) {}

  /** Checks the worker options, ships the objective and starts the workers. */
  static open<C>(objective: Objective<C> | string | URL, options: OptimizeOptions<C>): WorkerPool {
    return WorkerPool.start(WorkerPool.plan(objective, options));
  }

  /** Everything open() checks, before anything starts: bad options fail with nothing to undo. */
  static plan<C>(objective: Objective<C> | string | URL, options: OptimizeOptions<C>): PoolPlan {
    validateParallelOptions(options);
    const cwd = process.cwd();
    const spec = shipObjective(objective, cwd);
    const workers = resolveWorkerCount(options.workers ?? 1);
    const { tfBackend, processes } = planWorkerTf(options.backend ?? 'auto', options.executor);
    const setup: WorkerSetup = {
      objective: spec,
      tfBackend,
      data: options.data ?? {},
      context: options.context,
      recycle: { afterTrials: options.recycle?.afterTrials, maxHeapMB: options.recycle?.maxHeapMB },
      cwd,
    };
    return { setup, workers, processes, resourceLimits: options.resourceLimits };
  }

  static start(plan: PoolPlan): WorkerPool {
    const { setup, workers, resourceLimits } = plan;
    const executor: Executor = plan.processes ? new ProcessExecutor(setup, workers, resourceLimits) : new ThreadExecutor(setup, workers, resourceLimits);
    return new WorkerPool(workers, executor, new Slots(workers));
  }

  /** Ends every worker. */
  close(): Promise<void> {
    return this.executor.close();
  }

  /** `await using pool = WorkerPool.open(...)` ends the workers however the block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
