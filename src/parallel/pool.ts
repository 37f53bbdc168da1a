import type { Objective } from '../study/objective.js';
import type { OptimizeOptions } from '../study/optimize-options.js';
import type { Executor } from './executor.js';
import { registerResource } from '../util/resources.js';
import type { TaskResult, WorkerSetup } from './messages.js';
import { resolveWorkerCount, validateParallelOptions } from './parallel-options.js';
import { ProcessExecutor } from './process-executor.js';
import { shipObjective } from './ship-objective.js';
import { Slots } from './slots.js';
import { planWorkerTf } from '../tf/worker-setup.js';
import { ThreadExecutor, type ResourceLimits } from './thread-executor.js';

/** A worker's memory as it reported it after its last trial. */
export interface WorkerFigures {
  readonly workerId: number;
  readonly heapUsedMiB: number;
  readonly heapLimitMiB: number;
  readonly tensors: number;
  readonly tensorMiB: number;
  readonly at: Date;
}

export interface WorkerPoolStats {
  readonly workers: number;
  /** Workers that have finished a trial (a worker reports after each one). */
  readonly perWorker: readonly WorkerFigures[];
}

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
  /** Each worker's memory after its last trial, by worker id, for systemStats(). */
  readonly #lastSeen = new Map<number, WorkerFigures>();
  readonly #unregister: () => void;
  #closed: Promise<void> | undefined;

  private constructor(
    readonly workers: number,
    readonly executor: Executor,
    readonly slots: Slots,
    kind: 'threads' | 'processes',
  ) {
    // Listed by systemStats().workers and closed by shutdown() while it is open.
    this.#unregister = registerResource({
      kind: 'pool',
      name: `WorkerPool(${workers} ${workers === 1 ? (kind === 'threads' ? 'thread' : 'process') : kind})`,
      close: () => this.close(),
      stats: () => this.stats(),
    });
  }

  /** Keeps a worker's figures from the result of its trial. */
  noteWorker(result: TaskResult): void {
    const { workerId, heapUsedMiB, heapLimitMiB, tensors, tensorMiB } = result;
    this.#lastSeen.set(workerId, { workerId, heapUsedMiB, heapLimitMiB, tensors, tensorMiB, at: new Date() });
  }

  /** What systemStats() shows for this pool: its size and each worker's heap and tensors as last reported. */
  stats(): WorkerPoolStats {
    return { workers: this.workers, perWorker: [...this.#lastSeen.values()] };
  }

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
      recycle: { afterTrials: options.recycle?.afterTrials, maxHeapMiB: options.recycle?.maxHeapMiB },
      cwd,
    };
    return { setup, workers, processes, resourceLimits: options.resourceLimits };
  }

  static start(plan: PoolPlan): WorkerPool {
    const { setup, workers, resourceLimits } = plan;
    const executor: Executor = plan.processes ? new ProcessExecutor(setup, workers, resourceLimits) : new ThreadExecutor(setup, workers, resourceLimits);
    return new WorkerPool(workers, executor, new Slots(workers), plan.processes ? 'processes' : 'threads');
  }

  /** Ends every worker (once; later calls wait for the same close). */
  close(): Promise<void> {
    this.#unregister();
    this.#closed ??= this.executor.close();
    return this.#closed;
  }

  /** `await using pool = WorkerPool.open(...)` ends the workers however the block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
