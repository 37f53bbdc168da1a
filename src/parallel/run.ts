import { InvalidOptionError, ObjectiveScopeError } from '../errors.js';
import { MemoryMonitor, type MemoryMonitorOptions } from '../monitor/memory-monitor.js';
import { LocalTrial } from '../study/local-trial.js';
import type { Objective } from '../study/objective.js';
import { validateOptimizeOptions, type OptimizeOptions } from '../study/optimize-options.js';
import { beforeTrial } from '../study/retries.js';
import type { Study } from '../study/study.js';
import { TrialRunner, type TrialEnd } from '../study/trial-runner.js';
import type { TaskEnd } from './executor.js';
import type { TaskContext } from './messages.js';
import { validateParallelOptions } from './parallel-options.js';
import { WorkerPool, type PoolPlan } from './pool.js';

/**
 * optimize with workers: up to N trials at a time. Each trial is asked for and told on this
 * thread (storage, sampler and pruner stay here); its objective runs in a worker, whose Trial
 * calls back here for every suggestion, report and prune check. `shared`: a pool several
 * studies' runs use at once (tune()'s model families), each trial with its study's own context.
 */
export async function optimizeInWorkers<C>(study: Study, objective: Objective<C> | string | URL, options: OptimizeOptions<C>, shared?: WorkerPool): Promise<void> {
  validateOptimizeOptions(options);
  if (shared) validateParallelOptions(options);
  const plan = shared ? undefined : WorkerPool.plan(objective, options);
  const runner = await TrialRunner.open(study, objective, options as OptimizeOptions<unknown>);
  const monitor = openMonitor(options.memory);
  let pool: WorkerPool | undefined;
  try {
    pool = shared ?? WorkerPool.start(plan as PoolPlan);
    const taskContext: TaskContext | undefined = shared ? { value: options.context } : undefined;
    await new WorkerScheduler(runner, pool, monitor, taskContext).run();
  } finally {
    if (monitor && !(options.memory instanceof MemoryMonitor)) monitor.stop();
    try {
      if (!shared) await pool?.close();
    } finally {
      await runner.close();
    }
  }
}

/** Keeps up to `workers` trials of one run going on a pool until the budget, an interrupt or an error ends it. */
class WorkerScheduler {
  readonly #runner: TrialRunner;
  readonly #pool: WorkerPool;
  readonly #monitor: MemoryMonitor | undefined;
  readonly #taskContext: TaskContext | undefined;
  readonly #running = new Set<Promise<void>>();
  #fatal: { readonly error: unknown } | undefined;

  constructor(runner: TrialRunner, pool: WorkerPool, monitor: MemoryMonitor | undefined, taskContext: TaskContext | undefined) {
    this.#runner = runner;
    this.#pool = pool;
    this.#monitor = monitor;
    this.#taskContext = taskContext;
  }

  async run(): Promise<void> {
    try {
      for (;;) {
        while (this.#mayLaunch() && (await this.#launchNext()));
        if (this.#running.size === 0) break;
        await Promise.race(this.#running);
      }
    } finally {
      if (this.#running.size > 0) {
        // Only after an error in the loop itself: end the trials still out, and tell them.
        this.#runner.interrupt.abort();
        await Promise.allSettled(this.#running);
      }
    }
    if (this.#fatal) throw this.#fatal.error;
  }

  #mayLaunch(): boolean {
    if (this.#fatal || this.#runner.interrupt.signal.aborted || this.#running.size >= this.#pool.workers) return false;
    // Over a memory threshold: start nothing new until a running trial ends and memory is read again.
    return !(this.#monitor?.paused && this.#running.size > 0);
  }

  /** Takes a free worker and starts the next trial on it (or finishes it from the cache); false when there is nothing to start. */
  async #launchNext(): Promise<boolean> {
    const { study, options } = this.#runner;
    const slots = this.#pool.slots;
    // A free worker first. With trials of ours running, wait for one of them to end rather
    // than queue (the slot it frees may go to a study sharing the pool that waited longer).
    const release = this.#running.size === 0 ? await slots.acquire(this.#runner.interrupt.signal) : slots.tryAcquire();
    if (!release) return false;
    let handedOver = false;
    try {
      await beforeTrial(study, options);
      if (!this.#runner.mayStart()) return false;
      const trial = await this.#runner.ask();
      if (trial === undefined) return false;
      if (!(trial instanceof LocalTrial)) throw new TypeError('study.ask() returned a trial this thread cannot serve');
      this.#runner.noteStarted();
      if (await this.#runner.finishFromCache(trial)) return true;
      const task: Promise<void> = this.#runTrial(trial)
        .catch((error: unknown) => {
          this.#fatal ??= { error };
          // The run is ending with an error: the other running trials would only be wasted.
          this.#runner.interrupt.abort();
        })
        .finally(() => {
          // Before the task leaves `running`: the loop it wakes finds the slot free.
          release();
          this.#running.delete(task);
        });
      this.#running.add(task);
      handedOver = true;
      return true;
    } finally {
      if (!handedOver) release();
    }
  }

  async #runTrial(trial: LocalTrial): Promise<void> {
    const scope = this.#runner.openScope();
    let end: TaskEnd;
    try {
      end = await this.#pool.executor.run(trial, scope.signal, () => scope.start(), this.#taskContext);
    } finally {
      scope.end();
    }
    await this.#runner.finish(trial, this.#trialEnd(trial, end));
  }

  /** What the worker reported, as the trial lifecycle takes it; the worker's figures go on the trial and to the monitors. */
  #trialEnd(trial: LocalTrial, end: TaskEnd): TrialEnd {
    if (end.kind === 'lost') return { result: 'FAIL', failReason: end.reason };
    const result = end.result;
    const { outcome, leakedTensors, workerId, heapUsedMiB, heapLimitMiB, tensors, tensorMiB } = result;
    // Reported, not hidden: a trial that leaves tensors behind grows the worker's memory.
    if (leakedTensors > 0) trial.setSystemAttr('leakedTensors', leakedTensors);
    trial.setSystemAttr('worker', workerId);
    trial.setSystemAttr('workerHeapMiB', Math.round(heapUsedMiB * 10) / 10);
    this.#monitor?.reportWorker(String(workerId), { heapUsedMiB, heapLimitMiB, tensors, tensorMiB });
    this.#pool.noteWorker(result);
    switch (outcome.kind) {
      case 'value':
        return { result: outcome.value };
      case 'pruned':
        return { result: 'PRUNED' };
      case 'unloadable':
        return {
          result: 'FAIL',
          failReason: `the worker could not load the objective: ${outcome.reason}`,
          fatal: new InvalidOptionError(`optimize(objective): the workers could not load the objective (${outcome.reason}); check the module path and that its default export is the objective`),
        };
      case 'error':
        return {
          result: 'FAIL',
          failReason: outcome.reason,
          stack: outcome.stack,
          // The static check missed it (e.g. reached through eval): every trial would fail the same way.
          fatal: outcome.undefinedVariable === undefined ? undefined : new ObjectiveScopeError([outcome.undefinedVariable], ` (trial ${trial.number} failed with "${outcome.reason}")`),
        };
    }
  }
}

/** The run's memory monitor: the one given, or one started for this run from options. */
function openMonitor(option: MemoryMonitor | MemoryMonitorOptions | undefined): MemoryMonitor | undefined {
  if (option === undefined) return undefined;
  return option instanceof MemoryMonitor ? option : new MemoryMonitor(option).start();
}
