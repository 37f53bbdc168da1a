import { getHeapStatistics } from 'node:v8';
import { describeError, describeValue, errorStack, isInstance, safeGet } from '../util/describe.js';
import type { Objective, ObjectiveContext } from '../study/objective.js';
import type { TfModule } from '../tf/module.js';
import type { TaskContext, TaskResult, TrialOutcome, WorkerSetup } from './messages.js';
import { loadObjective } from './objective-loader.js';
import { RemoteTrial, type SyncCall } from './remote-trial.js';
import { loadTfNow, prepareTf } from '../tf/worker-setup.js';

/**
 * What one worker (thread or child process) keeps between trials: the rebuilt objective, the
 * prepared TF.js and the context. Prepared once — from `warm()` as the worker starts, so that
 * loading TF.js overlaps the main thread's first ask and the other workers' start — and awaited
 * before the first trial runs.
 */
export class WorkerRuntime {
  readonly #setup: WorkerSetup;
  readonly #workerId: number;
  #ready: Promise<{ objective: Objective; tf: TfModule | undefined }> | undefined;
  #tf: TfModule | undefined;
  #trials = 0;

  constructor(setup: WorkerSetup, workerId: number) {
    this.#setup = setup;
    this.#workerId = workerId;
  }

  /** Starts preparing now; a failure is kept for the first trial, which reports it as unloadable. */
  warm(): this {
    this.#ready ??= this.#prepare();
    this.#ready.catch(() => {});
    return this;
  }

  async runTrial(number: number, call: SyncCall, started: () => void, context?: TaskContext): Promise<TaskResult> {
    let prepared: { objective: Objective; tf: TfModule | undefined };
    try {
      prepared = await (this.#ready ??= this.#prepare());
    } catch (error) {
      const reason = describeError(error);
      return { outcome: { kind: 'unloadable', reason }, leakedTensors: 0, recycle: true, workerId: this.#workerId, ...workerMemory(undefined) };
    }
    const { objective, tf } = prepared;
    started();
    const tensorsBefore = tf?.memory().numTensors ?? 0;
    const outcome = await runObjective(objective, new RemoteTrial(number, call), this.#context(context ? context.value : this.#setup.context));
    const leakedTensors = this.#tf ? this.#tf.memory().numTensors - tensorsBefore : 0;
    this.#trials++;
    const { afterTrials, maxHeapMiB } = this.#setup.recycle;
    const recycle =
      (afterTrials !== undefined && this.#trials >= afterTrials) ||
      (maxHeapMiB !== undefined && getHeapStatistics().used_heap_size > maxHeapMiB * 1024 * 1024);
    return { outcome, leakedTensors, recycle, workerId: this.#workerId, ...workerMemory(this.#tf) };
  }

  async #prepare(): Promise<{ objective: Objective; tf: TfModule | undefined }> {
    const spec = this.#setup.objective;
    const [objective, tf] = await Promise.all([
      loadObjective(spec, this.#setup.cwd),
      // A module may use ctx.tf anywhere; inline source says so in its text.
      spec.kind === 'module' || spec.usesTf ? prepareTf(this.#setup.tfBackend) : undefined,
    ]);
    this.#tf = tf;
    return { objective, tf };
  }

  #context(context: unknown): ObjectiveContext {
    const runtime = this;
    // A worker whose trial times out or is interrupted is ended at once by the main side, so this
    // signal is not seen aborted here; it is given so one objective runs in a thread and in workers.
    const signal = new AbortController().signal;
    return {
      get tf(): TfModule {
        runtime.#tf ??= loadTfNow();
        return runtime.#tf;
      },
      data: this.#setup.data,
      context,
      signal,
    };
  }
}

/** Runs the objective; never throws, whatever the objective throws or returns (it must cross back as plain data). */
async function runObjective(objective: Objective, trial: RemoteTrial, ctx: ObjectiveContext): Promise<TrialOutcome> {
  let value: unknown;
  try {
    value = await objective(trial, ctx);
  } catch (error) {
    const name = safeGet(error, 'name');
    if (name === 'TrialPruned' || safeGet(error, 'code') === 'TRIAL_PRUNED') return { kind: 'pruned' };
    const message = safeGet(error, 'message');
    const missing = isInstance(error, ReferenceError) && typeof message === 'string' ? /^(\S+) is not defined$/.exec(message)?.[1] : undefined;
    return { kind: 'error', reason: isInstance(error, Error) ? describeError(error) : `thrown: ${describeError(error)}`, stack: errorStack(error), undefinedVariable: missing };
  }
  try {
    if (typeof value === 'number') return { kind: 'value', value };
    // Copied: an array-like the objective returned (a Proxy, a subclass) must structured-clone.
    if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return { kind: 'value', value: Array.from(value as number[]) };
  } catch {
    // A hostile array (throwing getters): described below.
  }
  return { kind: 'error', reason: `the objective returned ${describeValue(value)}; it must return a number (or an array of numbers)` };
}

const MB = 1024 * 1024;

function workerMemory(tf: TfModule | undefined): { heapUsedMiB: number; heapLimitMiB: number; tensors: number; tensorMiB: number } {
  const heap = getHeapStatistics();
  const tensors = tf?.memory();
  return {
    heapUsedMiB: heap.used_heap_size / MB,
    heapLimitMiB: heap.heap_size_limit / MB,
    tensors: tensors?.numTensors ?? 0,
    tensorMiB: (tensors?.numBytes ?? 0) / MB,
  };
}
