/**
 * A small seedable PRNG (sfc32, seeded through splitmix32/FNV-1a) for samplers.
 * Samplers never use Math.random: a seed must always give the same trials.
 *
 * `Rng.derive(seed, ...salt)` builds an independent stream per (seed, trial number, parameter),
 * so a resumed study, or one whose trials finish in another order, draws the same numbers
 * for the same trial as an uninterrupted run.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spareNormal: number | undefined;

  constructor(seed: number) {
    // splitmix32 from the seed; written without a closure, as derive() makes one Rng per draw.
    let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    s = (s + 0x9e3779b9) >>> 0;
    let a = splitmix32(s) ^ hi;
    s = (s + 0x9e3779b9) >>> 0;
    let b = splitmix32(s);
    s = (s + 0x9e3779b9) >>> 0;
    let c = splitmix32(s);
    let d = 1;
    // 12 discarded outputs, as nextUint32() computes them, on locals.
    for (let i = 0; i < 12; i++) {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }

  /** A stream determined by the seed and the salts (e.g. trial number and parameter name). */
  static derive(seed: number, ...salt: ReadonlyArray<string | number>): Rng {
    let h = 0x811c9dc5 ^ (seed >>> 0);
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= Math.floor(seed / 0x100000000) >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    // Each part hashes as the text `#<number>` or `$<string>` (FNV-1a over its UTF-16 units),
    // fed in without building that text: samplers derive a stream per parameter and trial.
    for (let i = 0; i < salt.length; i++) {
      const part = salt[i] as string | number;
      if (typeof part === 'number') {
        h = fnv(h, 0x23); // '#'
        h = Number.isInteger(part) && part >= 0 && part <= 0x7fffffff ? fnvDigits(h, part) : fnvText(h, String(part));
      } else {
        h = fnvText(fnv(h, 0x24), part); // '$'
      }
      h ^= 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return new Rng(h + (seed >>> 0) * 0x100000000);
  }

  /** A fresh seed from the operating system, for unseeded samplers. */
  static entropySeed(): number {
    const buf = new Uint32Array(1);
    globalThis.crypto.getRandomValues(buf);
    return buf[0] as number;
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.#spareNormal !== undefined) {
      const v = this.#spareNormal;
      this.#spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  choice(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

function splitmix32(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function fnv(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193) >>> 0;
}

function fnvText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = fnv(h, text.charCodeAt(i));
  return h;
}

const digits = new Uint8Array(10);

/** FNV-1a over the decimal digits of an integer in [0, 2^31), as String(n) writes them. */
function fnvDigits(h: number, n: number): number {
  let count = 0;
  do {
    digits[count++] = n % 10;
    n = (n / 10) | 0;
  } while (n > 0);
  while (count > 0) h = fnv(h, 0x30 + (digits[--count] as number));
  return h;
}
