import { snap, type Distribution } from '../../../trial/distributions.js';

/**
 * The GP's view of a search space, as Optuna 4's optuna/_gp/search_space.py: each parameter maps
 * to [0, 1] (log ranges in log space; discrete ranges widened by half a step each side so every
 * grid value owns an equal cell), categorical parameters stay as the choice's index.
 */
export class GPSearchSpace {
  readonly names: readonly string[];
  readonly distributions: readonly Distribution[];
  readonly dim: number;
  readonly isCategorical: Uint8Array;
  /** Indices of the continuous (unstepped float) dimensions. */
  readonly continuous: Int32Array;
  /** Indices of the discrete dimensions (int, stepped float, categorical). */
  readonly discrete: Int32Array;
  readonly #lo: Float64Array;
  readonly #hi: Float64Array;
  readonly #step: Float64Array;
  readonly #log: Uint8Array;

  constructor(space: Readonly<Record<string, Distribution>>) {
    this.names = Object.keys(space);
    this.distributions = this.names.map((n) => space[n] as Distribution);
    this.dim = this.names.length;
    this.isCategorical = new Uint8Array(this.dim);
    this.#lo = new Float64Array(this.dim);
    this.#hi = new Float64Array(this.dim);
    this.#step = new Float64Array(this.dim);
    this.#log = new Uint8Array(this.dim);
    const cont: number[] = [];
    const disc: number[] = [];
    this.distributions.forEach((d, i) => {
      if (d.kind === 'categorical') {
        this.isCategorical[i] = 1;
        this.#lo[i] = 0;
        this.#hi[i] = d.choices.length;
        this.#step[i] = 1;
      } else {
        this.#lo[i] = d.low;
        this.#hi[i] = d.high;
        this.#step[i] = d.step ?? 0;
        this.#log[i] = d.log ? 1 : 0;
      }
      (this.#step[i] === 0 ? cont : disc).push(i);
    });
    this.continuous = Int32Array.from(cont);
    this.discrete = Int32Array.from(disc);
  }

  #range(i: number): [number, number] {
    const half = 0.5 * (this.#step[i] as number);
    let lo = (this.#lo[i] as number) - half;
    let hi = (this.#hi[i] as number) + half;
    if (this.#log[i]) {
      lo = Math.log(lo);
      hi = Math.log(hi);
    }
    return [lo, hi];
  }

  /** Normalised coordinate of an internal value on dimension i. */
  normalize(i: number, value: number): number {
    if (this.isCategorical[i]) return value;
    const [lo, hi] = this.#range(i);
    if (hi === lo) return 0.5;
    return ((this.#log[i] ? Math.log(value) : value) - lo) / (hi - lo);
  }

  /** The value on dimension i of a normalised coordinate, before clipping and rounding. */
  unnormalize(i: number, u: number): number {
    if (this.isCategorical[i]) return u;
    const [lo, hi] = this.#range(i);
    const v = u * (hi - lo) + lo;
    return this.#log[i] ? Math.exp(v) : v;
  }

  /** A discrete (non-categorical) coordinate moved onto the nearest grid value's coordinate. */
  roundNormalized(i: number, u: number): number {
    const step = this.#step[i] as number;
    if (step === 0 || this.isCategorical[i]) return u;
    const low = this.#lo[i] as number;
    const v = this.unnormalize(i, u);
    const snapped = Math.min(Math.max(Math.floor((v - low + 0.5 * step) / step) * step + low, low), this.#hi[i] as number);
    return this.normalize(i, snapped);
  }

  /** Coordinates of every value a discrete dimension can take, ascending. */
  choices(i: number): Float64Array {
    if (this.isCategorical[i]) return Float64Array.from({ length: this.#hi[i] as number }, (_, k) => k);
    const low = this.#lo[i] as number;
    const step = this.#step[i] as number;
    const count = Math.round(((this.#hi[i] as number) - low) / step) + 1;
    // normalize() inlined with the range computed once: integer grids can hold a million values.
    const [lo, hi] = this.#range(i);
    const log = this.#log[i] === 1;
    if (hi === lo) return new Float64Array(count).fill(0.5);
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) out[k] = ((log ? Math.log(low + k * step) : low + k * step) - lo) / (hi - lo);
    return out;
  }

  /** Normalised point of internal parameter values, written at `out[offset..offset+dim)`. */
  normalizePoint(params: Readonly<Record<string, number>>, out: Float64Array, offset: number): void {
    for (let i = 0; i < this.dim; i++) out[offset + i] = this.normalize(i, params[this.names[i] as string] as number);
  }

  /** A uniform point of [0,1)^D moved onto the space: categories floored, grids rounded. */
  fromUnitCube(u: Float64Array): Float64Array {
    for (let i = 0; i < this.dim; i++) {
      if (this.isCategorical[i]) u[i] = Math.min(Math.floor((u[i] as number) * (this.#hi[i] as number)), (this.#hi[i] as number) - 1);
      else if ((this.#step[i] as number) !== 0) u[i] = this.roundNormalized(i, u[i] as number);
    }
    return u;
  }

  /** Internal parameter values of a normalised point: clipped into range, snapped to the grid. */
  toParams(x: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    this.distributions.forEach((d, i) => {
      const name = this.names[i] as string;
      if (d.kind === 'categorical') {
        out[name] = Math.min(Math.max(Math.round(x[i] as number), 0), d.choices.length - 1);
      } else {
        out[name] = snap(d, this.unnormalize(i, x[i] as number));
      }
    });
    return out;
  }
}
