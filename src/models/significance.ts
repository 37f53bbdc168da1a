import { createRequire } from 'node:module';
import { InvalidOptionError } from '../errors.js';

const requireHere = createRequire(import.meta.url);
// jStat's Student t CDF (a CommonJS module with no dependencies): the p-value's one piece of special-function math.
const jStat = requireHere('jstat') as { readonly studentt: { cdf(x: number, degreesOfFreedom: number): number } };
const tCdf = (x: number, dof: number): number => jStat.studentt.cdf(x, dof);

export type LossKind = 'squared' | 'absolute';
export type Alternative = 'two-sided' | 'less' | 'greater';

export interface DieboldMarianoOptions {
  /** Steps ahead the forecasts are for: the loss differential's autocovariances up to lag h-1 enter its variance. Default 1. */
  readonly horizon?: number;
  /** Loss of one error: squared (default) or absolute. */
  readonly loss?: LossKind;
  /** 'less': the first forecast has the smaller expected loss; 'greater': the larger; default 'two-sided'. */
  readonly alternative?: Alternative;
}

export interface DieboldMarianoResult {
  /** The Harvey–Leybourne–Newbold corrected statistic; negative when the first forecast's loss is smaller. */
  readonly statistic: number;
  /** From Student's t with n - 1 degrees of freedom. NaN when the loss differential has no variance. */
  readonly pValue: number;
  /** Mean of loss(first) - loss(second): negative means the first forecast did better on these samples. */
  readonly lossDiffMean: number;
  readonly n: number;
}

/**
 * The Diebold–Mariano test of equal predictive accuracy, with the Harvey, Leybourne and Newbold
 * (1997) small-sample correction: d_t = L(e1_t) - L(e2_t), DM = mean(d) / sqrt(V / n) with V the
 * autocovariances of d to lag h-1 (γ0 + 2 Σ γk, each γ divided by n), times
 * sqrt((n + 1 - 2h + h(h-1)/n) / n), compared with t(n - 1).
 */
export function dieboldMariano(errors1: ArrayLike<number>, errors2: ArrayLike<number>, options: DieboldMarianoOptions = {}): DieboldMarianoResult {
  const h = options.horizon ?? 1;
  const lossKind = options.loss ?? 'squared';
  const alternative = options.alternative ?? 'two-sided';
  if (!Number.isInteger(h) || h < 1) throw new InvalidOptionError(`dieboldMariano: horizon must be a whole number >= 1, got ${String(h)}`);
  if (lossKind !== 'squared' && lossKind !== 'absolute') throw new InvalidOptionError(`dieboldMariano: loss must be 'squared' or 'absolute', got ${JSON.stringify(lossKind)}`);
  if (!['two-sided', 'less', 'greater'].includes(alternative)) throw new InvalidOptionError(`dieboldMariano: alternative must be 'two-sided', 'less' or 'greater', got ${JSON.stringify(alternative)}`);
  if (errors1.length !== errors2.length) throw new InvalidOptionError(`dieboldMariano: the two error series must be paired, got ${errors1.length} and ${errors2.length} values`);
  const n = errors1.length;
  if (n < 2 || n <= h) throw new InvalidOptionError(`dieboldMariano: needs more than max(1, horizon) paired errors, got ${n}; test on a longer part`);
  const loss = lossKind === 'squared' ? (e: number) => e * e : Math.abs;
  const d = new Float64Array(n);
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const a = errors1[t] as number;
    const b = errors2[t] as number;
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new InvalidOptionError(`dieboldMariano: error ${t} is not a finite number (${a}, ${b}); drop missing forecasts first`);
    d[t] = loss(a) - loss(b);
    sum += d[t] as number;
  }
  const mean = sum / n;
  let v = 0;
  for (let k = 0; k < h; k++) {
    let gamma = 0;
    for (let t = k; t < n; t++) gamma += ((d[t] as number) - mean) * ((d[t - k] as number) - mean);
    gamma /= n;
    v += k === 0 ? gamma : 2 * gamma;
  }
  if (!(v > 0)) return { statistic: NaN, pValue: NaN, lossDiffMean: mean, n };
  const dm = mean / Math.sqrt(v / n);
  const statistic = dm * Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  const lower = tCdf(statistic, n - 1);
  const pValue = alternative === 'less' ? lower : alternative === 'greater' ? 1 - lower : 2 * Math.min(lower, 1 - lower);
  return { statistic, pValue, lossDiffMean: mean, n };
}
