import { InvalidOptionError } from '../../errors.js';
import type { SplitOptions, WalkForwardOptions } from './options.js';

/** Sample index ranges [start, end) of one train/val/test division. */
export interface SplitRanges {
  readonly train: readonly [number, number];
  readonly val: readonly [number, number];
  readonly test: readonly [number, number];
}

/** Chronological: the oldest samples train, the next validate, the latest test. */
export function chronologicalSplit(n: number, s: SplitOptions): SplitRanges {
  const nTest = Math.round(n * s.test);
  const nVal = Math.round(n * s.val);
  const nTrain = n - nVal - nTest;
  if (nTrain < 1) throw new InvalidOptionError(`data.windows: ${n} samples leave none to train on with split ${JSON.stringify(s)}; use more data or smaller fractions`);
  return { train: [0, nTrain], val: [nTrain, nTrain + nVal], test: [nTrain + nVal, n] };
}

/**
 * Walk-forward folds with an expanding training window: fold i validates on block i of the
 * samples before the test part and trains on everything older.
 */
export function walkForwardSplits(n: number, w: WalkForwardOptions): SplitRanges[] {
  const nTest = Math.round(n * (w.test ?? 0));
  const m = n - nTest;
  const valLen = Math.max(1, Math.round(m * w.val));
  const firstTrain = m - w.folds * valLen;
  if (firstTrain < 1) {
    throw new InvalidOptionError(`data.windows: ${n} samples are too few for ${w.folds} folds of ${valLen} validation samples; lower folds or walkForward.val`);
  }
  return Array.from({ length: w.folds }, (_, i) => {
    const trainEnd = firstTrain + i * valLen;
    return { train: [0, trainEnd], val: [trainEnd, trainEnd + valLen], test: [m, n] } as const;
  });
}
