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
 * Walk-forward folds: fold i validates on block i of the samples before the test part and trains
 * on what came before it, ending `gap` samples before the block (the purge): everything older
 * (expanding window) or the last `length` samples (sliding). The last block also ends `gap`
 * samples before the test part, so no validation target is a test target. Each fold must train on
 * at least `lookback` samples.
 */
export function walkForwardSplits(n: number, w: WalkForwardOptions, lookback = 1): SplitRanges[] {
  const nTest = Math.round(n * (w.test ?? 0));
  const m = n - nTest;
  const gap = w.gap ?? 0;
  const valLen = Math.max(1, Math.round(m * w.val));
  if (gap >= valLen) {
    throw new InvalidOptionError(`data.windows: walkForward.gap (${gap} samples) must be smaller than a fold's validation block (${valLen} samples); lower gap or raise walkForward.val`);
  }
  const lastValEnd = m - gap;
  const firstValStart = lastValEnd - w.folds * valLen;
  const firstTrain = firstValStart - gap;
  if (firstTrain < 1) {
    throw new InvalidOptionError(`data.windows: ${n} samples are too few for ${w.folds} folds of ${valLen} validation samples (gap ${gap}); lower folds or walkForward.val`);
  }
  const trainLen = (i: number): number => (w.window === 'sliding' ? Math.min(w.length ?? Infinity, firstTrain + i * valLen) : firstTrain + i * valLen);
  const shortest = trainLen(0);
  if (shortest < lookback) {
    throw new InvalidOptionError(
      `data.windows: walk-forward fold 0 trains on ${shortest} samples, fewer than the lookback (${lookback}); lower walkForward.folds or walkForward.val${w.window === 'sliding' ? ', raise walkForward.length' : ''}, or shorten lookback`,
    );
  }
  return Array.from({ length: w.folds }, (_, i) => {
    const valStart = firstValStart + i * valLen;
    const trainEnd = valStart - gap;
    return { train: [trainEnd - trainLen(i), trainEnd], val: [valStart, valStart + valLen], test: [m, n] } as const;
  });
}
