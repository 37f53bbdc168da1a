import { Rng } from '../../../util/rng.js';

/** The first n primes (the Halton bases). */
export function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let c = 2; primes.length < n; c++) {
    if (primes.every((p) => p * p > c || c % p !== 0)) primes.push(c);
  }
  return primes;
}

/**
 * A Halton sequence: dimension d is the radical inverse of the index in the d-th prime base.
 * Scrambled, each digit position of each dimension goes through its own random permutation of
 * the digits (Owen-style random permutations, as SciPy's `Halton(scramble=True)`), which breaks
 * the correlation between high dimensions of the plain sequence. Digits are taken until the
 * base's powers pass 2^-53, so trailing (permuted) zeros are counted too and u stays below 1.
 */
export class HaltonSequence {
  readonly dim: number;
  readonly #bases: number[];
  readonly #digits: number[];
  readonly #perms: Uint16Array[][] | undefined;

  constructor(dim: number, options: { readonly scramble: boolean; readonly seed: number }) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`Halton needs at least 1 dimension, got ${dim}`);
    this.dim = dim;
    this.#bases = firstPrimes(dim);
    this.#digits = this.#bases.map((b) => Math.ceil((53 * Math.LN2) / Math.log(b)));
    if (options.scramble) {
      this.#perms = this.#bases.map((b, d) => {
        const rng = Rng.derive(options.seed, 'halton', d);
        return Array.from({ length: this.#digits[d] as number }, () => {
          const perm = Uint16Array.from({ length: b }, (_, i) => i);
          for (let i = b - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            const t = perm[i] as number;
            perm[i] = perm[j] as number;
            perm[j] = t;
          }
          return perm;
        });
      });
    }
  }

  /** Point number `index` (0, 1, 2, …) in [0, 1)^dim. */
  point(index: number): Float64Array {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`Halton index must be a whole number >= 0, got ${index}`);
    const out = new Float64Array(this.dim);
    for (let d = 0; d < this.dim; d++) {
      const base = this.#bases[d] as number;
      const perms = this.#perms?.[d];
      let n = index;
      let scale = 1 / base;
      let u = 0;
      const digits = perms ? (this.#digits[d] as number) : Infinity;
      for (let k = 0; k < digits && (perms !== undefined || n > 0); k++) {
        const digit = n % base;
        n = Math.floor(n / base);
        u += (perms ? ((perms[k] as Uint16Array)[digit] as number) : digit) * scale;
        scale /= base;
      }
      out[d] = Math.min(u, 1 - Number.EPSILON / 2);
    }
    return out;
  }
}
