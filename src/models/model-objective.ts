import { TrialPruned } from '../errors.js';
import type { ObjectiveContext } from '../study/objective.js';
import type { Trial } from '../trial/trial.js';
import { fitFamily } from './fit.js';
import type { ModelData } from './model-data.js';
import { markObjectiveModule } from '../util/objective-module.js';

/** What tune() passes to each trial as ctx.context. */
export interface ModelTrialContext {
  readonly family: string;
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  /** The family's definition hash (families/registry familyDefinition): read by the cache key only. */
  readonly definition?: string;
}

/** The dataset's key in ctx.data. */
export const MODEL_DATA_KEY = 'windows';

/** What tune() passes to each trial as ctx.data: the windows, shared with workers without a copy. */
// A type alias, not an interface: it must fit optimize's `data: Record<string, unknown>`.
export type ModelTrialData = { readonly [MODEL_DATA_KEY]: ModelData };

/** The ctx.data of a model trial; tune() builds it, so only a hand-made call can get it wrong. */
export function modelTrialData(data: ModelData): ModelTrialData {
  return { [MODEL_DATA_KEY]: data };
}

/**
 * The windows from ctx.data, checked: in a worker, ctx.data arrives as structured-cloned plain data,
 * so its type is asserted by shape here, once, rather than cast.
 */
function windowsOf(data: Readonly<Record<string, unknown>>): ModelData {
  const windows = data[MODEL_DATA_KEY];
  if (!isModelData(windows)) {
    throw new TypeError(`model trials need the windows in ctx.data.${MODEL_DATA_KEY} (tune() passes them): got ${windows === undefined ? 'nothing' : typeof windows}`);
  }
  return windows;
}

function isModelPart(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const part = value as Record<string, unknown>;
  return typeof part['count'] === 'number' && part['inputs'] instanceof Float32Array && part['targets'] instanceof Float32Array;
}

function isModelData(value: unknown): value is ModelData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Record<string, unknown>;
  return ['lookback', 'features', 'horizon'].every((k) => typeof data[k] === 'number') && ['train', 'val', 'test'].every((k) => isModelPart(data[k]));
}

/**
 * One trial of one model family: suggest the training and family params, build, fit with early
 * stopping while reporting the validation loss each epoch (so pruners act), and return the best
 * validation loss. This module's default export is what worker threads load.
 */
export default async function modelObjective(trial: Trial, ctx: ObjectiveContext<ModelTrialContext>): Promise<number> {
  const data = windowsOf(ctx.data);
  const tf = ctx.tf;
  const tensorsBefore = tf.memory().numTensors;
  const fitted = await fitFamily(tf, trial, data, { ...ctx.context, report: true, signal: ctx.signal });
  try {
    if (fitted.result.stoppedBy === 'aborted') throw new Error(`the fit was stopped: ${String(ctx.signal.reason)}`);
    trial.setUserAttr('backend', fitted.backend);
    trial.setUserAttr('bestEpoch', fitted.result.bestEpoch);
    trial.setUserAttr('epochsRun', fitted.result.epochsRun);
    if (fitted.result.stoppedBy === 'callback') throw new TrialPruned(`pruned after epoch ${fitted.result.epochsRun - 1}`);
    return fitted.result.bestValLoss;
  } finally {
    fitted.model.dispose();
    await fitted.restoreBackend();
    const leaked = tf.memory().numTensors - tensorsBefore;
    // A leak is reported, not hidden: it shows in the trial's attributes and the result table.
    if (leaked !== 0) trial.setUserAttr('leakedTensors', leaked);
  }
}

// The function uses this module's imports (fitFamily, ...): keyed by the module's content, the
// evaluation cache covers them, where the function's source alone would not.
markObjectiveModule(modelObjective, import.meta.url);
