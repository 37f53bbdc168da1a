import { Rng } from '../../../util/rng.js';
import { SOBOL_POLY, SOBOL_VINIT } from './sobol-data.js';

/** Bits of each coordinate: points are multiples of 2^-32. */
const BITS = 32;
const TWO_POW_32 = 4294967296;

/** The most dimensions the direction-number table covers. */
export const SOBOL_MAX_DIM = SOBOL_POLY.length;

/**
 * Direction numbers v[j] (j = 0..31) of one Sobol dimension as 32-bit integers, by the
 * Bratley–Fox recurrence over the dimension's primitive polynomial:
 * m_j = 2a_1 m_{j-1} ⊕ 4a_2 m_{j-2} ⊕ … ⊕ 2^s m_{j-s} ⊕ m_{j-s}, v_j = m_j · 2^(31-j).
 */
export function directionNumbers(dim: number): Uint32Array {
  const poly = SOBOL_POLY[dim];
  const init = SOBOL_VINIT[dim];
  if (poly === undefined || init === undefined) throw new RangeError(`Sobol dimension ${dim} is beyond the table (${SOBOL_MAX_DIM} dimensions)`);
  const m = new Uint32Array(BITS);
  if (dim === 0) {
    m.fill(1);
  } else {
    const s = Math.floor(Math.log2(poly));
    for (let j = 0; j < BITS; j++) {
      if (j < s) {
        m[j] = init[j] as number;
        continue;
      }
      let next = (m[j - s] as number) ^ (((m[j - s] as number) << s) >>> 0);
      for (let k = 1; k < s; k++) {
        if ((poly >>> (s - k)) & 1) next ^= ((m[j - k] as number) << k) >>> 0;
      }
      m[j] = next >>> 0;
    }
  }
  const v = new Uint32Array(BITS);
  for (let j = 0; j < BITS; j++) v[j] = ((m[j] as number) << (BITS - 1 - j)) >>> 0;
  return v;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Linear matrix scrambling (Matoušek's LMS) of one dimension's direction numbers: a random
 * lower-triangular binary matrix with unit diagonal, applied to each v_j's bits (most
 * significant first). It keeps every (t, m, s)-net property of the sequence.
 */
function scramble(v: Uint32Array, rng: Rng): Uint32Array {
  const rows = new Uint32Array(BITS);
  for (let b = 0; b < BITS; b++) {
    const diagonal = (1 << (BITS - 1 - b)) >>> 0;
    // Random bits strictly above the diagonal's position (more significant), then the diagonal.
    const above = b === 0 ? 0 : ((rng.nextUint32() >>> (BITS - b)) << (BITS - b)) >>> 0;
    rows[b] = (above | diagonal) >>> 0;
  }
  const out = new Uint32Array(BITS);
  for (let j = 0; j < BITS; j++) {
    let x = 0;
    for (let b = 0; b < BITS; b++) if (parity((rows[b] as number) & (v[j] as number))) x |= 1 << (BITS - 1 - b);
    out[j] = x >>> 0;
  }
  return out;
}

/**
 * A Sobol sequence in `dim` dimensions, optionally scrambled (LMS plus a random digital shift,
 * as SciPy's `Sobol(scramble=True)`). `point(i)` is computed directly from the Gray code of i, so
 * any index costs the same and nothing depends on which points were drawn before.
 */
export class SobolSequence {
  readonly dim: number;
  readonly #v: Uint32Array[];
  readonly #shift: Uint32Array;

  constructor(dim: number, options: { readonly scramble: boolean; readonly seed: number }) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIM) throw new RangeError(`Sobol needs 1..${SOBOL_MAX_DIM} dimensions, got ${dim}`);
    this.dim = dim;
    this.#v = [];
    this.#shift = new Uint32Array(dim);
    for (let d = 0; d < dim; d++) {
      const v = directionNumbers(d);
      if (options.scramble) {
        const rng = Rng.derive(options.seed, 'sobol', d);
        this.#v.push(scramble(v, rng));
        this.#shift[d] = rng.nextUint32();
      } else {
        this.#v.push(v);
      }
    }
  }

  /** Point number `index` (0, 1, 2, …) in [0, 1)^dim. */
  point(index: number): Float64Array {
    if (!Number.isInteger(index) || index < 0 || index >= TWO_POW_32) throw new RangeError(`Sobol index must be a whole number in [0, 2^32), got ${index}`);
    const gray = (index ^ Math.floor(index / 2)) >>> 0;
    const out = new Float64Array(this.dim);
    for (let d = 0; d < this.dim; d++) {
      const v = this.#v[d] as Uint32Array;
      let x = this.#shift[d] as number;
      for (let j = 0, g = gray; g !== 0; j++, g >>>= 1) if (g & 1) x ^= v[j] as number;
      out[d] = (x >>> 0) / TWO_POW_32;
    }
    return out;
  }
}
