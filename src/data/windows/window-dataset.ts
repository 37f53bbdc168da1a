import { inspect } from 'node:util';
import { InvalidOptionError } from '../../errors.js';
import type { ColumnStore } from './column-store.js';
import type { ResolvedWindowOptions, Transform } from './options.js';
import { fitScaler, scaleValue, unscaleValue, type Scaler } from './scaler.js';
import type { SplitRanges } from './split.js';
import { invertPath } from './transform.js';
import { windowTensors, type TensorFactory } from './tensors.js';
import { withDisplayTitle } from '../../util/display-title.js';

export type PartName = 'train' | 'val' | 'test';

/**
 * One part of a dataset. `inputs` is [count × lookback × features] and `targets` [count × horizon],
 * row-major Float32Arrays on SharedArrayBuffer: posting them to a worker shares, never copies.
 */
export interface WindowPart {
  readonly count: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  /** Raw target value at each sample's last input row: the base to turn predictions back into prices. */
  readonly base: Float64Array;
  /** Time (ms) of each sample's first target row, when the source has a time column. */
  readonly times: Float64Array | undefined;
  /** Row index (in the source) of each sample's last input row. */
  readonly anchors: Int32Array;
}

function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

/** Windows ready for a model: inputs, targets, the fitted scalers and what's needed to invert them. */
export class WindowDataset {
  readonly featureNames: readonly string[];
  readonly target: string;
  readonly lookback: number;
  readonly horizon: number;
  readonly transform: Transform;
  /** Scalers per feature (same order as featureNames), fitted on the training part only. */
  readonly featureScalers: readonly Scaler[];
  readonly targetScaler: Scaler;
  readonly train: WindowPart;
  readonly val: WindowPart;
  readonly test: WindowPart;
  /** Walk-forward folds (empty for a plain split); this dataset's own parts are the last fold's. */
  readonly folds: readonly WindowDataset[];
  /** Stable hash of the source's content and the options: equal data and options, equal fingerprint. */
  readonly fingerprint: string;
  /** Rows read and samples dropped because a window held a missing or infinite value. */
  readonly rows: number;
  readonly dropped: number;
  readonly #opts: ResolvedWindowOptions;
  readonly #targetRaw: Float64Array;

  /** Not for direct use: data.windows(source, opts) makes datasets. */
  constructor(store: ColumnStore, anchors: Int32Array, ranges: SplitRanges, opts: ResolvedWindowOptions, fingerprint: string, dropped: number, folds: readonly WindowDataset[] = []) {
    const L = opts.lookback;
    const H = opts.horizon;
    this.featureNames = store.featureNames;
    this.target = store.targetName;
    this.lookback = L;
    this.horizon = H;
    this.transform = store.targetTransform;
    this.fingerprint = fingerprint;
    this.rows = store.rows;
    this.dropped = dropped;
    this.folds = folds;
    this.#opts = opts;
    this.#targetRaw = store.targetRaw;

    // Fit on the rows the training samples see (their inputs and targets), nothing later.
    const [t0, t1] = ranges.train;
    const fitFrom = (anchors[t0] as number) - L + 1;
    const fitTo = (anchors[t1 - 1] as number) + H + 1;
    this.featureScalers = store.features.map((col) => fitScaler(opts.scale, col, fitFrom, fitTo));
    this.targetScaler = fitScaler(opts.scale, store.target, fitFrom, fitTo);

    const part = ([s0, s1]: readonly [number, number]): WindowPart => this.#part(store, anchors.subarray(s0, s1));
    this.train = part(ranges.train);
    this.val = part(ranges.val);
    this.test = part(ranges.test);
  }

  #part(store: ColumnStore, anchors: Int32Array): WindowPart {
    const L = this.lookback;
    const H = this.horizon;
    const F = store.features.length;
    const n = anchors.length;
    const inputs = sharedFloat32(n * L * F);
    const targets = sharedFloat32(n * H);
    const base = new Float64Array(n);
    const times = store.times === undefined ? undefined : new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const a = anchors[s] as number;
      let at = s * L * F;
      for (let r = a - L + 1; r <= a; r++) {
        for (let f = 0; f < F; f++) inputs[at++] = scaleValue(this.featureScalers[f] as Scaler, (store.features[f] as Float64Array)[r] as number);
      }
      for (let h = 0; h < H; h++) targets[s * H + h] = scaleValue(this.targetScaler, store.target[a + 1 + h] as number);
      base[s] = store.targetRaw[a] as number;
      if (times !== undefined) times[s] = (store.times as Float64Array)[a + 1] as number;
    }
    return { count: n, inputs, targets, base, times, anchors: Int32Array.from(anchors) };
  }

  /** Undoes the target scaler only: model outputs → transformed units (e.g. log returns). */
  unscaleTarget(values: ArrayLike<number>): Float64Array {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = unscaleValue(this.targetScaler, values[i] as number);
    return out;
  }

  /**
   * Model outputs (scaled, [count × horizon] for `part`) → the target's original units (prices):
   * unscale, then undo the transform from each sample's last observed value.
   */
  inverseTarget(values: ArrayLike<number>, part: PartName): Float64Array {
    const p = this[part];
    const H = this.horizon;
    if (values.length !== p.count * H) {
      throw new InvalidOptionError(`inverseTarget: ${part} has ${p.count} samples × horizon ${H} = ${p.count * H} values, got ${values.length}`);
    }
    const steps = this.unscaleTarget(values);
    const out = new Float64Array(values.length);
    for (let s = 0; s < p.count; s++) invertPath(this.transform, p.base[s] as number, steps.subarray(s * H, s * H + H), out, s * H);
    return out;
  }

  /** The true target values in original units for `part`, [count × horizon] (for metrics in prices). */
  actualTarget(part: PartName): Float64Array {
    const p = this[part];
    const H = this.horizon;
    const out = new Float64Array(p.count * H);
    for (let s = 0; s < p.count; s++) {
      for (let h = 0; h < H; h++) out[s * H + h] = this.#targetRaw[(p.anchors[s] as number) + 1 + h] as number;
    }
    return out;
  }

  /** Tensors for TensorFlow.js: x [count, lookback, features], y [count, horizon] per part. */
  toTensors<X, Y>(tf: TensorFactory<X, Y>): Record<PartName, { x: X; y: Y }> {
    const shape = { lookback: this.lookback, features: this.featureNames.length, horizon: this.horizon };
    const make = (p: WindowPart): { x: X; y: Y } => windowTensors(tf, p, shape);
    return { train: make(this.train), val: make(this.val), test: make(this.test) };
  }

  /** A plain-data summary (for show() and tables). */
  summary(): Record<string, string | number> {
    return withDisplayTitle({
      samples: this.train.count + this.val.count + this.test.count,
      train: this.train.count,
      val: this.val.count,
      test: this.test.count,
      lookback: this.lookback,
      horizon: this.horizon,
      features: this.featureNames.join(', '),
      target: this.target,
      transform: typeof this.#opts.transform === 'string' ? this.#opts.transform : JSON.stringify(this.#opts.transform),
      scale: this.#opts.scale,
      folds: this.folds.length,
      dropped: this.dropped,
      fingerprint: this.fingerprint.slice(0, 12),
    }, 'WindowDataset');
  }

  describe(): string {
    const s = this.summary();
    const n = (v: string | number | undefined): string => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
    const folds = this.folds.length > 0 ? `, ${this.folds.length} walk-forward folds` : '';
    return [
      `WindowDataset ${n(s['samples'])} samples (train ${n(s['train'])} / val ${n(s['val'])} / test ${n(s['test'])}${folds})`,
      `  inputs ${this.lookback} × [${s['features']}] → ${this.horizon} step(s) of ${this.target}`,
      `  transform ${s['transform']}, scale ${s['scale']} (fitted on train only), ${n(this.dropped)} windows dropped for missing values`,
      `  fingerprint ${s['fingerprint']}`,
    ].join('\n');
  }

  [inspect.custom](): string {
    return this.describe();
  }
}
