import type { Scaler } from '../data/windows/scaler.js';
import type { Transform } from '../data/windows/options.js';

/**
 * The slice of a WindowDataset that training needs: plain typed arrays (on SharedArrayBuffer when
 * they come from data.windows), so it reaches a worker thread without a copy.
 */
export interface ModelPart {
  readonly count: number;
  /** [count × lookback × features], row-major */
  readonly inputs: Float32Array;
  /** [count × horizon] */
  readonly targets: Float32Array;
}

/** What a Sharpe objective needs to trade the validation forecasts: the target's scaling and the prices. */
export interface TradingData {
  readonly transform: Transform;
  readonly scaler: Scaler;
  readonly periodsPerYear: number;
  /** Per validation sample: the last observed price and the realized simple return over the next period. */
  readonly valBase: Float64Array;
  readonly valRealized: Float64Array;
}

export interface ModelData {
  readonly lookback: number;
  readonly features: number;
  readonly horizon: number;
  readonly train: ModelPart;
  readonly val: ModelPart;
  readonly test: ModelPart;
  /**
   * The dataset's fingerprint: the evaluation cache keys trials by it (optimize reads `fingerprint`
   * from each entry of ctx.data), so a trial cached on one dataset is never replayed on another.
   */
  readonly fingerprint?: string;
  /** Walk-forward folds, oldest first: a trial trains and validates on each. */
  readonly folds?: readonly ModelData[];
  /** Present when configurations are selected on the validation backtest (objective 'sharpe'). */
  readonly trading?: TradingData;
}

interface DatasetLike {
  readonly lookback: number;
  readonly horizon: number;
  readonly featureNames: readonly string[];
  readonly train: ModelPart;
  readonly val: ModelPart;
  readonly test: ModelPart;
  readonly fingerprint?: string;
  readonly folds?: readonly DatasetLike[];
}

/** A WindowDataset (or anything shaped like one) as ModelData; `trading` adds what a Sharpe objective needs per part. */
export function modelDataOf<D extends DatasetLike>(ds: D, trading?: (ds: D) => TradingData, withFolds = true): ModelData {
  const part = (p: ModelPart): ModelPart => ({ count: p.count, inputs: p.inputs, targets: p.targets });
  const folds = withFolds ? ((ds.folds ?? []) as readonly D[]) : [];
  return {
    lookback: ds.lookback,
    features: ds.featureNames.length,
    horizon: ds.horizon,
    train: part(ds.train),
    val: part(ds.val),
    test: part(ds.test),
    ...(ds.fingerprint !== undefined && { fingerprint: ds.fingerprint }),
    ...(folds.length > 0 && { folds: folds.map((f) => modelDataOf(f, trading, false)) }),
    ...(trading !== undefined && { trading: trading(ds) }),
  };
}
