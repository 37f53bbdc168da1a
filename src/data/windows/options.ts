import { InvalidOptionError } from '../../errors.js';

/** How values become model inputs before scaling: log returns, percentage changes, or as they are. */
export type Transform = 'logReturn' | 'pctChange' | 'none';
export type ScaleKind = 'zscore' | 'minmax' | 'none';

export interface SplitOptions {
  /** Fraction of samples (the latest ones before test) for validation. */
  readonly val: number;
  /** Fraction of samples (the latest ones) for test. */
  readonly test: number;
}

export interface WalkForwardOptions {
  /** Number of folds; fold i trains on everything before its validation block. */
  readonly folds: number;
  /** Fraction of (non-test) samples in each fold's validation block. */
  readonly val: number;
  /** Fraction of samples held out at the end as a common test set (default 0). */
  readonly test?: number;
  /**
   * Samples left out between each fold's training part and its validation block (the purge), and
   * between the last validation block and the test part: a sample's targets reach `horizon` rows
   * ahead, so without it the last training targets overlap the first validation ones. Default horizon - 1.
   */
  readonly gap?: number;
  /** 'expanding' (default): each fold trains on everything before it; 'sliding': on the last `length` samples. */
  readonly window?: 'expanding' | 'sliding';
  /** Training samples per fold with window 'sliding'. */
  readonly length?: number;
}

export interface WindowOptions {
  /** Column to predict. Column names match exactly, or ignoring case when that is unambiguous. */
  readonly target: string;
  /** Input columns (default: the target alone). */
  readonly features?: readonly string[];
  /** Rows of history per sample. */
  readonly lookback: number;
  /** Steps ahead to predict; targets hold steps 1..horizon (default 1). */
  readonly horizon?: number;
  /** One transform for all columns, or one per column (others 'none'). Default 'none'. */
  readonly transform?: Transform | Readonly<Record<string, Transform>>;
  /** Scaler fitted on the training part only. Default 'none'. */
  readonly scale?: ScaleKind;
  /** Chronological split (default { val: 0.15, test: 0.15 }). */
  readonly split?: SplitOptions;
  /** Walk-forward folds instead of a single split. */
  readonly walkForward?: WalkForwardOptions;
  /** Time column to report sample times from (default: a datetime column or one named timestamp/time/date, if any). */
  readonly time?: string;
}

export interface ResolvedWindowOptions {
  readonly target: string;
  readonly features: readonly string[];
  readonly lookback: number;
  readonly horizon: number;
  readonly transform: Transform | Readonly<Record<string, Transform>>;
  readonly scale: ScaleKind;
  readonly split: SplitOptions | undefined;
  readonly walkForward: WalkForwardOptions | undefined;
  readonly time: string | undefined;
}

const TRANSFORMS: readonly Transform[] = ['logReturn', 'pctChange', 'none'];
const SCALES: readonly ScaleKind[] = ['zscore', 'minmax', 'none'];

function fraction(value: number, name: string): number {
  if (!(typeof value === 'number' && value >= 0 && value < 1)) {
    throw new InvalidOptionError(`data.windows: ${name} must be a fraction in [0, 1), got ${String(value)}`);
  }
  return value;
}

export function resolveWindowOptions(opts: WindowOptions): ResolvedWindowOptions {
  if (typeof opts.target !== 'string' || opts.target === '') throw new InvalidOptionError(`data.windows: target must name a column, got ${JSON.stringify(opts.target)}`);
  const features = opts.features ?? [opts.target];
  if (features.length === 0) throw new InvalidOptionError('data.windows: features must name at least one column');
  if (!Number.isInteger(opts.lookback) || opts.lookback < 1) throw new InvalidOptionError(`data.windows: lookback must be a positive integer, got ${String(opts.lookback)}`);
  const horizon = opts.horizon ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1) throw new InvalidOptionError(`data.windows: horizon must be a positive integer, got ${String(horizon)}`);
  const transform = opts.transform ?? 'none';
  const transforms = typeof transform === 'string' ? [transform] : Object.values(transform);
  for (const t of transforms) {
    if (!TRANSFORMS.includes(t)) throw new InvalidOptionError(`data.windows: transform must be one of ${TRANSFORMS.join(', ')}, got ${JSON.stringify(t)}`);
  }
  const scale = opts.scale ?? 'none';
  if (!SCALES.includes(scale)) throw new InvalidOptionError(`data.windows: scale must be one of ${SCALES.join(', ')}, got ${JSON.stringify(scale)}`);
  if (opts.split !== undefined && opts.walkForward !== undefined) {
    throw new InvalidOptionError('data.windows: give either split or walkForward, not both');
  }
  let split: SplitOptions | undefined;
  let walkForward: WalkForwardOptions | undefined;
  if (opts.walkForward !== undefined) {
    const wf = opts.walkForward;
    if (!Number.isInteger(wf.folds) || wf.folds < 1) throw new InvalidOptionError(`data.windows: walkForward.folds must be a positive integer, got ${String(wf.folds)}`);
    const gap = wf.gap ?? horizon - 1;
    if (!Number.isInteger(gap) || gap < 0) throw new InvalidOptionError(`data.windows: walkForward.gap must be a whole number of samples >= 0 (default horizon - 1 = ${horizon - 1}), got ${String(wf.gap)}`);
    const window = wf.window ?? 'expanding';
    if (window !== 'expanding' && window !== 'sliding') throw new InvalidOptionError(`data.windows: walkForward.window must be 'expanding' or 'sliding', got ${JSON.stringify(wf.window)}`);
    if (window === 'sliding' && !(Number.isInteger(wf.length) && (wf.length as number) >= 1)) {
      throw new InvalidOptionError(`data.windows: walkForward.window 'sliding' needs walkForward.length, the training samples of each fold (a whole number >= 1), got ${String(wf.length)}`);
    }
    if (window === 'expanding' && wf.length !== undefined) throw new InvalidOptionError("data.windows: walkForward.length applies to window 'sliding' only; add window: 'sliding' or drop length");
    walkForward = {
      folds: wf.folds,
      val: fraction(wf.val, 'walkForward.val'),
      test: fraction(wf.test ?? 0, 'walkForward.test'),
      gap,
      window,
      ...(window === 'sliding' && { length: wf.length as number }),
    };
  } else {
    const s = opts.split ?? { val: 0.15, test: 0.15 };
    split = { val: fraction(s.val, 'split.val'), test: fraction(s.test, 'split.test') };
    if (split.val + split.test >= 1) throw new InvalidOptionError(`data.windows: split.val + split.test must leave samples to train on, got ${split.val} + ${split.test}`);
  }
  return { target: opts.target, features, lookback: opts.lookback, horizon, transform, scale, split, walkForward, time: opts.time };
}

/** The transform of one column under the options. */
export function transformOf(opts: ResolvedWindowOptions, column: string): Transform {
  const t = opts.transform;
  if (typeof t === 'string') return t;
  const exact = t[column];
  if (exact !== undefined) return exact;
  const lower = column.toLowerCase();
  const key = Object.keys(t).find((k) => k.toLowerCase() === lower);
  return key === undefined ? 'none' : (t[key] as Transform);
}
