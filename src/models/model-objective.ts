import { TrialPruned } from '../errors.js';
import type { ObjectiveContext } from '../study/objective.js';
import type { TfModule } from '../tf/module.js';
import type { Trial } from '../trial/trial.js';
import { validationSharpe, type PositionRule } from './backtest.js';
import { fitFamily } from './fit.js';
import type { ModelData } from './model-data.js';
import { markObjectiveModule } from '../util/objective-module.js';
import type { SpaceOverrides } from './space-overrides.js';
import { predictPart, type TrainingLoss } from './train.js';

/** What tune() passes to each trial as ctx.context (JSON-safe: it reaches workers and the cache key). */
export interface ModelTrialContext {
  readonly family: string;
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  /** The family's definition hash (families/registry familyDefinition): read by the cache key only. */
  readonly definition?: string;
  readonly loss?: TrainingLoss;
  readonly space?: SpaceOverrides;
  /** 'loss' (default, minimized) or 'sharpe' (the validation backtest's, maximized). */
  readonly objective?: 'loss' | 'sharpe';
  readonly fee?: number;
  readonly slippage?: number;
  readonly position?: PositionRule;
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
  const folds = data['folds'];
  return (
    ['lookback', 'features', 'horizon'].every((k) => typeof data[k] === 'number') &&
    ['train', 'val', 'test'].every((k) => isModelPart(data[k])) &&
    (folds === undefined || (Array.isArray(folds) && folds.every(isModelData)))
  );
}

interface FoldScore {
  readonly value: number;
  readonly pruned: boolean;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  readonly backend: string;
}

/** Fits on one part's train/val and scores it: the best validation loss, or the validation backtest's Sharpe. */
async function scoreOn(tf: TfModule, trial: Trial, data: ModelData, context: ModelTrialContext, reportEpochs: boolean, signal: AbortSignal): Promise<FoldScore> {
  const fitted = await fitFamily(tf, trial, data, { ...context, report: reportEpochs, signal });
  try {
    if (fitted.result.stoppedBy === 'aborted') throw new Error(`the fit was stopped: ${String(signal.reason)}`);
    let value = fitted.result.bestValLoss;
    if (context.objective === 'sharpe') {
      if (!data.trading) throw new TypeError("objective 'sharpe' needs the trading data in the model data");
      const predictions = predictPart(tf, fitted.model, data, data.val, fitted.training.lookback);
      value = validationSharpe(data.trading, predictions, data.horizon, {
        ...(context.fee !== undefined && { fee: context.fee }),
        ...(context.slippage !== undefined && { slippage: context.slippage }),
        ...(context.position !== undefined && { position: context.position }),
      });
    }
    return { value, pruned: fitted.result.stoppedBy === 'callback', bestEpoch: fitted.result.bestEpoch, epochsRun: fitted.result.epochsRun, backend: fitted.backend };
  } finally {
    fitted.model.dispose();
    await fitted.restoreBackend();
  }
}

/**
 * One trial of one model family: suggest the training and family params, build, fit with early
 * stopping, and return the validation score. On a plain split each epoch's validation loss is
 * reported (so pruners act within the training); with walk-forward folds the trial trains on each
 * fold in time order, reports each fold's score as step i (so a pruner can stop it after a bad
 * first fold) and returns their mean, with the per-fold scores in userAttrs.foldValues.
 * This module's default export is what worker threads load.
 */
export default async function modelObjective(trial: Trial, ctx: ObjectiveContext<ModelTrialContext>): Promise<number> {
  const data = windowsOf(ctx.data);
  const tf = ctx.tf;
  const context = ctx.context;
  const tensorsBefore = tf.memory().numTensors;
  try {
    const folds = data.folds ?? [];
    if (folds.length === 0) {
      // Epoch reports are validation losses: meaningful to a pruner only when the loss is the objective.
      const score = await scoreOn(tf, trial, data, context, context.objective !== 'sharpe', ctx.signal);
      trial.setUserAttr('backend', score.backend);
      trial.setUserAttr('bestEpoch', score.bestEpoch);
      trial.setUserAttr('epochsRun', score.epochsRun);
      if (score.pruned) throw new TrialPruned(`pruned after epoch ${score.epochsRun - 1}`);
      return score.value;
    }
    const values: number[] = [];
    for (const [i, fold] of folds.entries()) {
      const score = await scoreOn(tf, trial, fold, context, false, ctx.signal);
      values.push(score.value);
      trial.setUserAttr('foldValues', [...values]);
      trial.setUserAttr('backend', score.backend);
      // The last fold trains on the most data: its best epoch is the one to refit with.
      trial.setUserAttr('bestEpoch', score.bestEpoch);
      trial.report(score.value, i);
      if (i < folds.length - 1 && trial.shouldPrune()) throw new TrialPruned(`pruned after fold ${i} of ${folds.length}`);
    }
    return values.reduce((a, b) => a + b, 0) / values.length;
  } finally {
    const leaked = tf.memory().numTensors - tensorsBefore;
    // A leak is reported, not hidden: it shows in the trial's attributes and the result table.
    if (leaked !== 0) trial.setUserAttr('leakedTensors', leaked);
  }
}

// The function uses this module's imports (fitFamily, ...): keyed by the module's content, the
// evaluation cache covers them, where the function's source alone would not.
markObjectiveModule(modelObjective, import.meta.url);
