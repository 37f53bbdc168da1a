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
}

/** A WindowDataset (or anything shaped like one) as ModelData. */
export function modelDataOf(ds: {
  readonly lookback: number;
  readonly horizon: number;
  readonly featureNames: readonly string[];
  readonly train: ModelPart;
  readonly val: ModelPart;
  readonly test: ModelPart;
  readonly fingerprint?: string;
}): ModelData {
  const part = (p: ModelPart): ModelPart => ({ count: p.count, inputs: p.inputs, targets: p.targets });
  return {
    lookback: ds.lookback,
    features: ds.featureNames.length,
    horizon: ds.horizon,
    train: part(ds.train),
    val: part(ds.val),
    test: part(ds.test),
    ...(ds.fingerprint !== undefined && { fingerprint: ds.fingerprint }),
  };
}
