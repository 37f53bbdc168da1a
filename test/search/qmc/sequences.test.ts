import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/util/rng.js';
import { HaltonSequence, firstPrimes } from '../../../src/search/samplers/qmc/halton.js';
import { SOBOL_MAX_DIM, SobolSequence } from '../../../src/search/samplers/qmc/sobol.js';
import { python, scipyMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

function points(seq: { point(i: number): Float64Array }, n: number, start = 0): Float64Array[] {
  return Array.from({ length: n }, (_, i) => seq.point(start + i));
}

/** Centered L2 discrepancy (Hickernell 1998): lower is more uniform. */
function centeredDiscrepancy(xs: readonly Float64Array[]): number {
  const n = xs.length;
  const d = (xs[0] as Float64Array).length;
  let a = 0;
  for (const x of xs) {
    let p = 1;
    for (let k = 0; k < d; k++) {
      const z = Math.abs((x[k] as number) - 0.5);
      p *= 1 + 0.5 * z - 0.5 * z * z;
    }
    a += p;
  }
  let b = 0;
  for (const x of xs) {
    for (const y of xs) {
      let p = 1;
      for (let k = 0; k < d; k++) {
        const zx = Math.abs((x[k] as number) - 0.5);
        const zy = Math.abs((y[k] as number) - 0.5);
        p *= 1 + 0.5 * zx + 0.5 * zy - 0.5 * Math.abs((x[k] as number) - (y[k] as number));
      }
      b += p;
    }
  }
  return (13 / 12) ** d - (2 / n) * a + b / (n * n);
}

describe('Sobol sequence', () => {
  it.skipIf(requireOrSkip(scipyMissing))('equals SciPy’s unscrambled Sobol exactly (first 256 points, 40 dimensions)', () => {
    const ref = python<number[][]>('from scipy.stats import qmc\nprint(json.dumps(qmc.Sobol(40, scramble=False).random(256).tolist()))');
    const ours = points(new SobolSequence(40, { scramble: false, seed: 0 }), 256);
    ours.forEach((p, i) => expect(Array.from(p)).toEqual(ref[i]));
  });

  it('scrambled: the first 2^m points put exactly one point in each of the 2^m cells of every axis, for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), (seed, m, dim) => {
        const n = 2 ** m;
        const xs = points(new SobolSequence(dim, { scramble: true, seed }), n);
        for (let d = 0; d < dim; d++) {
          const cells = new Set(xs.map((x) => Math.floor((x[d] as number) * n)));
          expect(cells.size).toBe(n);
        }
        for (const x of xs) for (const v of x) expect(v >= 0 && v < 1).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('scrambled: every pair of axes of 256 points is a (0,8,2)-net in 2-D elementary boxes of 16 × 16', () => {
    const xs = points(new SobolSequence(6, { scramble: true, seed: 11 }), 256);
    for (let a = 0; a < 6; a++) {
      for (let b = a + 1; b < 6; b++) {
        // Sobol's first two dimensions are a (0,m,2)-net; other pairs have t > 0, so check the counts are
        // at most a small multiple of the expected 1 per box, and that every box of 4 x 4 is hit 16 times.
        const boxes = new Map<string, number>();
        for (const x of xs) {
          const key = `${Math.floor((x[a] as number) * 4)},${Math.floor((x[b] as number) * 4)}`;
          boxes.set(key, (boxes.get(key) ?? 0) + 1);
        }
        expect(boxes.size).toBe(16);
        if (a === 0 && b === 1) for (const c of boxes.values()) expect(c).toBe(16);
      }
    }
  });

  it('is more uniform than random points: lower centered discrepancy for 10 seeds out of 10', () => {
    for (let seed = 0; seed < 10; seed++) {
      const sobol = points(new SobolSequence(5, { scramble: true, seed }), 128);
      const rng = new Rng(seed);
      const random = Array.from({ length: 128 }, () => Float64Array.from({ length: 5 }, () => rng.next()));
      expect(centeredDiscrepancy(sobol)).toBeLessThan(centeredDiscrepancy(random));
    }
  });

  it('is deterministic for a seed and differs between seeds; any index is computed directly', () => {
    const a = new SobolSequence(7, { scramble: true, seed: 3 });
    const b = new SobolSequence(7, { scramble: true, seed: 3 });
    const c = new SobolSequence(7, { scramble: true, seed: 4 });
    expect(points(a, 20)).toEqual(points(b, 20));
    expect(points(a, 20)).not.toEqual(points(c, 20));
    expect(a.point(1000)).toEqual(points(b, 1001)[1000]);
  });

  it('scrambles the direction numbers (LMS), not only shifts them: the XOR of two points depends on the seed', () => {
    // A digital shift alone XORs every point with the same bits, which cancel in point(i) ⊕ point(j).
    const xor = (seed: number): number[] => {
      const seq = new SobolSequence(3, { scramble: true, seed });
      const [a, b] = [seq.point(1), seq.point(6)];
      return [0, 1, 2].map((d) => ((a[d] as number) * 2 ** 32) ^ ((b[d] as number) * 2 ** 32));
    };
    const unscrambled = new SobolSequence(3, { scramble: false, seed: 0 });
    const plain = [0, 1, 2].map((d) => ((unscrambled.point(1)[d] as number) * 2 ** 32) ^ ((unscrambled.point(6)[d] as number) * 2 ** 32));
    const seen = new Set([JSON.stringify(plain)]);
    for (let seed = 0; seed < 8; seed++) seen.add(JSON.stringify(xor(seed)));
    expect(seen.size).toBe(9);
  });

  it('rejects dimensions beyond the table and bad indices', () => {
    expect(() => new SobolSequence(SOBOL_MAX_DIM + 1, { scramble: false, seed: 0 })).toThrow(/1\.\.256 dimensions/);
    expect(() => new SobolSequence(SOBOL_MAX_DIM, { scramble: false, seed: 0 })).not.toThrow();
    for (const dim of [0, 1.5, Number.NaN]) expect(() => new SobolSequence(dim, { scramble: false, seed: 0 })).toThrow(`Sobol needs 1..${SOBOL_MAX_DIM} dimensions, got ${dim}`);
    expect(() => new SobolSequence(2, { scramble: false, seed: 0 }).point(2 ** 32)).toThrow(/Sobol index must be/);
    expect(new SobolSequence(2, { scramble: false, seed: 0 }).point(2 ** 32 - 1).every((v) => v >= 0 && v < 1)).toBe(true);
    expect(() => new SobolSequence(2, { scramble: false, seed: 0 }).point(-1)).toThrow(RangeError);
    expect(() => new SobolSequence(2, { scramble: false, seed: 0 }).point(1.5)).toThrow(RangeError);
  });
});

describe('Halton sequence', () => {
  it('uses the primes as bases', () => {
    expect(firstPrimes(10)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
  });

  it.skipIf(requireOrSkip(scipyMissing))('equals SciPy’s unscrambled Halton (first 200 points, 8 dimensions)', () => {
    const ref = python<number[][]>('from scipy.stats import qmc\nprint(json.dumps(qmc.Halton(8, scramble=False).random(200).tolist()))');
    const ours = points(new HaltonSequence(8, { scramble: false, seed: 0 }), 200);
    ours.forEach((p, i) => p.forEach((v, d) => expect(Math.abs(v - (ref[i]?.[d] as number))).toBeLessThan(1e-14)));
  });

  it('scrambled: the same for a seed, different for another seed and from the plain sequence, on every axis', () => {
    const plain = points(new HaltonSequence(5, { scramble: false, seed: 0 }), 20);
    const bySeed = [1, 2, 3].map((seed) => points(new HaltonSequence(5, { scramble: true, seed }), 20));
    expect(points(new HaltonSequence(5, { scramble: true, seed: 1 }), 20)).toEqual(bySeed[0]);
    for (let d = 0; d < 5; d++) {
      const axis = (xs: Float64Array[]): string => JSON.stringify(xs.map((x) => x[d]));
      expect(new Set([axis(plain), ...bySeed.map(axis)]).size, `axis ${d}`).toBe(4);
    }
  });

  it('scrambled: digits are permuted down to 2^-53, so the values use all of a double’s bits', () => {
    // With too few digit positions, every scrambled value would be a multiple of b^-k for a small k.
    let fine = 0;
    for (let seed = 0; seed < 20; seed++) {
      const u = new HaltonSequence(1, { scramble: true, seed }).point(0)[0] as number;
      if (!Number.isInteger(u * 2 ** 40)) fine++;
    }
    expect(fine).toBeGreaterThan(15);
  });

  it('rejects a dimension below 1 or not whole, and an index that is negative, fractional or unsafe', () => {
    for (const dim of [0, -1, 2.5]) expect(() => new HaltonSequence(dim, { scramble: false, seed: 0 })).toThrow(`Halton needs at least 1 dimension, got ${dim}`);
    const seq = new HaltonSequence(2, { scramble: true, seed: 0 });
    for (const index of [-1, 0.5, 2 ** 53]) expect(() => seq.point(index)).toThrow(`Halton index must be a whole number >= 0, got ${index}`);
    expect(seq.point(2 ** 53 - 1).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('scrambled: inside [0, 1), stratified in base b^k along each axis, and lower discrepancy than random', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const seq = new HaltonSequence(4, { scramble: true, seed });
        const xs = points(seq, 125);
        for (const x of xs) for (const v of x) expect(v >= 0 && v < 1).toBe(true);
        // 125 = 5^3 points: one per cell of width 1/125 along the base-5 axis; 2^6 = 64 first points along base 2.
        expect(new Set(xs.map((x) => Math.floor((x[2] as number) * 125))).size).toBe(125);
        expect(new Set(xs.slice(0, 64).map((x) => Math.floor((x[0] as number) * 64))).size).toBe(64);
      }),
      { numRuns: 30 },
    );
    let wins = 0;
    for (let seed = 0; seed < 10; seed++) {
      const rng = new Rng(seed + 100);
      const random = Array.from({ length: 128 }, () => Float64Array.from({ length: 4 }, () => rng.next()));
      if (centeredDiscrepancy(points(new HaltonSequence(4, { scramble: true, seed }), 128)) < centeredDiscrepancy(random)) wins++;
    }
    expect(wins).toBe(10);
  });
});
