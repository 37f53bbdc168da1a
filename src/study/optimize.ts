import { TrialPruned } from '../errors.js';
import { describeError, errorStack, isInstance } from '../util/describe.js';
import { localContext, type Objective, type ObjectiveContext, type ObjectiveResult } from './objective.js';
import { validateOptimizeOptions, type OptimizeOptions } from './optimize-options.js';
import type { Study } from './study.js';
import type { Trial } from '../trial/trial.js';
import { TrialRunner, type TrialEnd } from './trial-runner.js';
import { ABORTED, type TrialScope } from './trial-scope.js';
import { beforeTrial } from './retries.js';

export type { OptimizeOptions, StudyCallback, ErrorClass } from './optimize-options.js';

/** How long a run of synchronous trials may keep the event loop before it yields (ms). */
const YIELD_EVERY_MS = 10;

/** The in-thread loop: ask → objective → tell, one trial at a time, as in Optuna. */
export async function optimizeInThread<C>(study: Study, objective: Objective<C>, options: OptimizeOptions<C>): Promise<void> {
  validateOptimizeOptions(options);
  const runner = await TrialRunner.open(study, objective, options as OptimizeOptions<unknown>);
  try {
    await runLoop(runner, objective, options);
  } finally {
    await runner.close();
  }
}

async function runLoop<C>(runner: TrialRunner, objective: Objective<C>, options: OptimizeOptions<C>): Promise<void> {
  const study = runner.study;
  const data = options.data ?? {};
  let lastYield = performance.now();
  for (;;) {
    if (study.storage.shared) await beforeTrial(study, options as OptimizeOptions<unknown>);
    if (!runner.mayStart()) break;
    // With the memory storage and a synchronous objective, ask, run and tell need no await.
    const asked = runner.ask();
    const trial = asked instanceof Promise ? await asked : asked;
    if (trial === undefined) break;
    runner.noteStarted();
    if (runner.cache && (await runner.finishFromCache(trial))) continue;
    const scope = runner.openScope();
    let end: TrialEnd | Promise<TrialEnd>;
    try {
      end = runObjective(objective, trial, localContext(options.context as C, data, scope), scope);
      if (end instanceof Promise) end = await end;
    } finally {
      scope.end();
    }
    await runner.finish(trial, end);
    // A synchronous objective never gives the event loop a turn: without this, timers
    // (timeout, AbortSignal.timeout, study.stop() from a timer), progress and Ctrl-C wait for the run.
    const now = performance.now();
    if (now - lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
}

/** Runs the objective; a promise only when the objective returned one. */
function runObjective<C>(objective: Objective<C>, trial: Trial, ctx: ObjectiveContext<C>, scope: TrialScope): TrialEnd | Promise<TrialEnd> {
  let value: ObjectiveResult | Promise<ObjectiveResult>;
  scope.start();
  try {
    value = objective(trial, ctx);
  } catch (error) {
    return failed(error);
  }
  if (isInstance(value, Promise)) return settle(scope.race(value as Promise<ObjectiveResult>), scope);
  const aborted = scope.checkOverrun();
  return aborted === undefined ? { result: value as ObjectiveResult } : { result: 'FAIL', failReason: aborted };
}

async function settle(promise: Promise<ObjectiveResult | typeof ABORTED>, scope: TrialScope): Promise<TrialEnd> {
  try {
    const value = await promise;
    const aborted = scope.abortReason;
    return value === ABORTED || aborted !== undefined ? { result: 'FAIL', failReason: aborted } : { result: value };
  } catch (error) {
    return failed(error);
  }
}

function failed(error: unknown): TrialEnd {
  if (isInstance(error, TrialPruned)) return { result: 'PRUNED', thrown: { error } };
  return { result: 'FAIL', failReason: describeError(error), thrown: { error }, stack: errorStack(error) };
}
