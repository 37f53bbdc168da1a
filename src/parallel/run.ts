import { InvalidOptionError, ObjectiveScopeError, TrialFinishedError, type TunelabError } from '../errors.js';
import { StudyCache } from '../study/study-cache.js';
import { startRunProgress, type ProgressHandle } from '../study/progress-port.js';
import { MemoryMonitor, type MemoryMonitorOptions } from '../monitor/memory-monitor.js';
import { LocalTrial } from '../study/local-trial.js';
import type { Objective } from '../study/objective.js';
import { beforeTrial, enqueueRetries, RunBudget, type OptimizeOptions } from '../study/optimize.js';
import { validateOptimizeOptions } from '../study/optimize-options.js';
import { isFinished } from '../trial/state.js';
import type { Study } from '../study/study.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { Executor, TaskEnd } from './executor.js';
import { watchInterrupts } from './interrupts.js';
import type { TaskContext } from './messages.js';
import { validateParallelOptions } from './parallel-options.js';
import { WorkerPool, type PoolPlan } from './pool.js';

/**
 * optimize with workers: up to N trials at a time. Each trial is asked for and told on this
 * thread (storage, sampler and pruner stay here); its objective runs in a worker, whose Trial
 * calls back here for every suggestion, report and prune check.
 */
export async function optimizeInWorkers<C>(study: Study, objective: Objective<C> | string | URL, options: OptimizeOptions<C>, shared?: WorkerPool): Promise<void> {
  validateOptimizeOptions(options);
  // A shared pool runs each study's trials with that study's own context.
  if (shared) validateParallelOptions(options);
  const plan = shared ? undefined : WorkerPool.plan(objective, options);
  const taskContext: TaskContext | undefined = shared ? { value: options.context } : undefined;

  study.resetStop();
  const budget = new RunBudget(study, options);
  await enqueueRetries(study, options.retryFailed);
  const pool = shared ?? WorkerPool.start(plan as PoolPlan);
  const { workers, executor, slots } = pool;
  const interrupt = watchInterrupts(study, options.signal);
  const running = new Set<Promise<void>>();
  // Cache look-ups and the progress display happen here, on the main thread, as in the in-thread loop.
  const hooks: TrialHooks = {
    cache: StudyCache.open(study, objective as (...args: never[]) => unknown, options.cache, options.data, options.context),
    progress: startRunProgress(study, options),
    monitor: openMonitor(options.memory),
  };
  let fatal: { error: unknown } | undefined;
  try {
    for (;;) {
      while (!fatal && !interrupt.signal.aborted && running.size < workers) {
        // Over a memory threshold: start nothing new until a running trial ends and memory is read again.
        if (hooks.monitor?.paused && running.size > 0) break;
        // A free worker first. With trials of ours running, wait for one of them to end rather
        // than queue (the slot it frees may go to a study sharing the pool that waited longer).
        const release = running.size === 0 ? await slots.acquire(interrupt.signal) : slots.tryAcquire();
        if (!release) break;
        let task: Promise<void> | undefined;
        try {
          await beforeTrial(study, options as OptimizeOptions<unknown>);
          if (!budget.mayStart()) break;
          const trial = await budget.ask();
          if (trial === undefined) break;
          if (!(trial instanceof LocalTrial)) throw new TypeError('study.ask() returned a trial this thread cannot serve');
          budget.noteStarted();
          const cached = await hooks.cache?.tryFinish(study, trial);
          if (cached) {
            hooks.progress.update(cached);
            for (const callback of options.callbacks ?? []) await callback(study, cached);
            continue;
          }
          const started: Promise<void> = runTrial(study, trial, executor, options, interrupt.signal, hooks, taskContext)
            .catch((error: unknown) => {
              fatal ??= { error };
              // The run is ending with an error: the other running trials would only be wasted.
              interrupt.abort();
            })
            .finally(() => {
              // Before the task leaves `running`: the loop it wakes finds the slot free.
              release();
              running.delete(started);
            });
          task = started;
          running.add(started);
        } finally {
          if (!task) release();
        }
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  } finally {
    if (running.size > 0) {
      // Only after an error in the loop itself: end the trials still out, and tell them.
      interrupt.abort();
      await Promise.allSettled(running);
    }
    hooks.progress.stop();
    if (hooks.monitor && !(options.memory instanceof MemoryMonitor)) hooks.monitor.stop();
    if (!shared) await pool.close();
    try {
      await study.storage.checkpoint?.(study.studyId);
    } finally {
      interrupt.dispose();
    }
  }
  if (fatal) throw fatal.error;
}

interface TrialHooks {
  readonly cache: StudyCache | undefined;
  readonly progress: ProgressHandle;
  readonly monitor: MemoryMonitor | undefined;
}

async function runTrial(
  study: Study,
  trial: LocalTrial,
  executor: Executor,
  options: OptimizeOptions<unknown>,
  interrupted: AbortSignal,
  hooks: TrialHooks,
  context: TaskContext | undefined,
): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort('interrupted');
  if (interrupted.aborted) onInterrupt();
  interrupted.addEventListener('abort', onInterrupt);
  const seconds = options.trialTimeout;
  let timer: NodeJS.Timeout | undefined;
  const started = (): void => {
    if (seconds !== undefined) timer = setTimeout(() => controller.abort(`timeout: the trial ran longer than trialTimeout = ${seconds} s`), seconds * 1000);
  };
  let end: TaskEnd;
  try {
    end = await executor.run(trial, controller.signal, started, context);
  } finally {
    clearTimeout(timer);
    interrupted.removeEventListener('abort', onInterrupt);
  }

  let frozen: FrozenTrial;
  let fatal: TunelabError | undefined;
  try {
    ({ frozen, fatal } = await tellEnd(study, trial, end, hooks.monitor));
  } catch (error) {
    // On a shared storage another worker may have failed this trial for a lost heartbeat; its late
    // result is refused and the run goes on.
    if (error instanceof TrialFinishedError && study.storage.shared) return;
    throw error;
  }
  await hooks.cache?.record(frozen);
  hooks.progress.update(frozen);
  if (isFinished(frozen.state)) {
    for (const callback of options.callbacks ?? []) await callback(study, frozen);
  }
  if (frozen.state === 'FAIL' && frozen.systemAttrs['failReason'] !== 'interrupted') await enqueueRetries(study, options.retryFailed, [frozen]);
  if (fatal) throw fatal;
}

async function tellEnd(study: Study, trial: LocalTrial, end: TaskEnd, monitor: MemoryMonitor | undefined): Promise<{ frozen: FrozenTrial; fatal: TunelabError | undefined }> {
  let frozen: FrozenTrial;
  let fatal: TunelabError | undefined;
  if (end.kind === 'lost') {
    frozen = await study.tell(trial, 'FAIL', { failReason: end.reason });
  } else {
    const { outcome, leakedTensors, workerId, heapUsedMB, heapLimitMB, tensors, tensorMB } = end.result;
    // Reported, not hidden: a trial that leaves tensors behind grows the worker's memory.
    if (leakedTensors > 0) trial.setSystemAttr('leakedTensors', leakedTensors);
    trial.setSystemAttr('worker', workerId);
    trial.setSystemAttr('workerHeapMB', Math.round(heapUsedMB * 10) / 10);
    monitor?.reportWorker(String(workerId), { heapUsedMB, heapLimitMB, tensors, tensorMB });
    if (outcome.kind === 'value') frozen = await study.tell(trial, outcome.value);
    else if (outcome.kind === 'pruned') frozen = await study.tell(trial, 'PRUNED');
    else if (outcome.kind === 'unloadable') {
      frozen = await study.tell(trial, 'FAIL', { failReason: `the worker could not load the objective: ${outcome.reason}` });
      fatal = new InvalidOptionError(`optimize(objective): the workers could not load the objective (${outcome.reason}); check the module path and that its default export is the objective`);
    } else {
      frozen = await study.tell(trial, 'FAIL', { failReason: outcome.reason });
      // The static check missed it (e.g. reached through eval): every trial would fail the same way.
      if (outcome.undefinedVariable !== undefined) fatal = new ObjectiveScopeError([outcome.undefinedVariable], ` (trial ${trial.number} failed with "${outcome.reason}")`);
    }
  }
  return { frozen, fatal };
}

/** The run's memory monitor: the one given, or one started for this run from options. */
function openMonitor(option: MemoryMonitor | MemoryMonitorOptions | undefined): MemoryMonitor | undefined {
  if (option === undefined) return undefined;
  return option instanceof MemoryMonitor ? option : new MemoryMonitor(option).start();
}
