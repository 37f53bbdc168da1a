import { Piscina } from 'piscina';
import type { LocalTrial } from '../study/local-trial.js';
import type { Executor, TaskEnd } from './executor.js';
import { lossReason } from './executor.js';
import type { TaskContext, TaskResult, WorkerSetup } from './messages.js';
import { openThreadLine } from './thread-channel.js';
import type { ThreadTask } from './worker-thread.js';
import { workerScript } from './locate.js';

export interface ResourceLimits {
  readonly maxOldGenerationSizeMb?: number;
  readonly maxYoungGenerationSizeMb?: number;
}

/**
 * Worker threads through piscina: it starts the workers, hands each one task at a time, ends a
 * worker whose task is aborted and replaces any worker that dies (crash, heap limit).
 * Recycling is ours: piscina has no per-worker task count, so a worker that asks to be
 * retired is terminated here once idle, and piscina starts its replacement.
 */
export class ThreadExecutor implements Executor {
  readonly #pool: Piscina<ThreadTask, TaskResult>;

  constructor(setup: WorkerSetup, workers: number, resourceLimits: ResourceLimits | undefined) {
    this.#pool = new Piscina<ThreadTask, TaskResult>({
      filename: workerScript('worker-thread'),
      minThreads: workers,
      maxThreads: workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 2 ** 31 - 1,
      workerData: setup,
      ...(resourceLimits && { resourceLimits }),
    });
    // A worker that dies between tasks has no task to fail; piscina replaces it.
    this.#pool.on('error', () => {});
  }

  async run(trial: LocalTrial, signal: AbortSignal, started: () => void, context?: TaskContext): Promise<TaskEnd> {
    const line = openThreadLine(trial, started);
    try {
      const result = await this.#pool.run({ number: trial.number, line: line.remote, context }, { transferList: [line.remote.port], signal });
      if (result.recycle) await this.#retire(result.workerId);
      return { kind: 'done', result };
    } catch (error) {
      if (signal.aborted) return { kind: 'lost', reason: String(signal.reason) };
      return { kind: 'lost', reason: lossReason(error) };
    } finally {
      line.close();
    }
  }

  async #retire(threadId: number): Promise<void> {
    const worker = this.#pool.threads.find((w) => w.threadId === threadId);
    if (worker) await worker.terminate();
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
