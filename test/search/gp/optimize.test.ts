import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Acquisition } from '../../../src/search/samplers/gp/acquisition.js';
import { optimizeAcquisition } from '../../../src/search/samplers/gp/optimize.js';
import { GPSearchSpace } from '../../../src/search/samplers/gp/search-space.js';
import { categoricalDistribution, floatDistribution, intDistribution, type Distribution } from '../../../src/trial/distributions.js';
import { Rng } from '../../../src/util/rng.js';

/**
 * An acquisition with a known formula, recording how the optimiser calls it: the optimiser's
 * behaviour (where it starts, how many local searches, what it returns) is then checked against
 * the formula, not against a GP whose optimum nobody knows.
 */
class KnownAcquisition implements Acquisition {
  readonly space: GPSearchSpace;
  readonly lengthScales: Float64Array;
  /** Points passed to value(), in order: the first call of each local search is its start. */
  readonly valueCalls: Float64Array[] = [];
  /** Sizes of the batches passed to values(), and every point of them with its value. */
  readonly batchSizes: number[] = [];
  readonly sweep: { x: Float64Array; v: number }[] = [];
  gradCalls = 0;

  constructor(
    space: Record<string, Distribution>,
    readonly f: (x: Float64Array) => number,
    /** ∂f/∂x of each continuous dimension, in space.continuous order; 0 when not given. */
    readonly grad: (x: Float64Array, out: Float64Array) => void = (_x, out) => out.fill(0),
    lengthScales?: number[],
  ) {
    this.space = new GPSearchSpace(space);
    this.lengthScales = Float64Array.from(lengthScales ?? Array.from({ length: this.space.dim }, () => 1));
  }

  value(x: Float64Array): number {
    this.valueCalls.push(Float64Array.from(x));
    return this.f(x);
  }

  values(points: Float64Array, m: number, out: Float64Array): void {
    this.batchSizes.push(m);
    const dim = this.space.dim;
    for (let i = 0; i < m; i++) {
      const x = points.slice(i * dim, (i + 1) * dim);
      out[i] = this.f(x);
      this.sweep.push({ x, v: out[i] as number });
    }
  }

  valueAndGrad(x: Float64Array, grad: Float64Array): number {
    this.gradCalls++;
    this.grad(x, grad);
    return this.f(x);
  }

  /** Index in the sweep of a point passed to value(), or −1. */
  sweepIndex(x: Float64Array): number {
    return this.sweep.findIndex((s) => s.x.every((v, i) => v === x[i]));
  }
}

const unit = (name: string): Distribution => floatDistribution(name, 0, 1);

describe('optimizeAcquisition: the sweep and the starts of the local searches', () => {
  it('evaluates nPreliminarySamples points of the space in one batch, and starts the first local search at the best of them', () => {
    // A plateau: no local search moves, so each one evaluates value() once, at its start.
    const acq = new KnownAcquisition({ a: unit('a'), b: unit('b') }, (x) => -Math.abs((x[0] as number) - 0.61) - Math.abs((x[1] as number) - 0.13));
    optimizeAcquisition(acq, new Rng(1), { nPreliminarySamples: 100, nLocalSearch: 1 });
    expect(acq.batchSizes).toEqual([100]);
    expect(acq.sweep).toHaveLength(100);
    for (const s of acq.sweep) for (const v of s.x) expect(v >= 0 && v < 1).toBe(true);
    const best = acq.sweep.reduce((b, s) => (s.v > b.v ? s : b));
    expect(acq.sweepIndex(acq.valueCalls[0] as Float64Array)).toBe(acq.sweep.indexOf(best));
  });

  it('runs nLocalSearch local searches (default 10) from distinct sweep points, the best first, the rest picked without replacement', () => {
    const flat = { a: unit('a') };
    for (const [nLocal, expected] of [[undefined, 10], [4, 4], [1, 1]] as const) {
      const acq = new KnownAcquisition(flat, (x) => Math.sin(9 * (x[0] as number)));
      optimizeAcquisition(acq, new Rng(5), { nPreliminarySamples: 64, ...(nLocal === undefined ? {} : { nLocalSearch: nLocal }) });
      // In a continuous space a local search calls value() once, at its start (the ascent uses valueAndGrad).
      expect(acq.valueCalls).toHaveLength(expected);
      const indices = acq.valueCalls.map((x) => acq.sweepIndex(x));
      expect(indices.every((i) => i >= 0)).toBe(true);
      expect(new Set(indices).size).toBe(expected);
      const bestIndex = acq.sweep.reduce((b, s, i) => (s.v > (acq.sweep[b] as { v: number }).v ? i : b), 0);
      expect(indices[0]).toBe(bestIndex);
    }
  });

  it('uses 2048 sweep points by default', () => {
    const acq = new KnownAcquisition({ a: unit('a') }, () => 0);
    optimizeAcquisition(acq, new Rng(0), { nLocalSearch: 1 });
    expect(acq.batchSizes).toEqual([2048]);
  });

  it('counts the warm starts in nLocalSearch, and runs them after the sweep’s starts', () => {
    const warm = [Float64Array.of(0.123), Float64Array.of(0.456)];
    const acq = new KnownAcquisition({ a: unit('a') }, (x) => Math.cos(7 * (x[0] as number)));
    optimizeAcquisition(acq, new Rng(2), { nPreliminarySamples: 32, nLocalSearch: 5, warmStarts: warm });
    expect(acq.valueCalls).toHaveLength(5);
    expect(acq.valueCalls.slice(3).map((x) => x[0])).toEqual([0.123, 0.456]);
    expect(acq.valueCalls.slice(0, 3).every((x) => acq.sweepIndex(x) >= 0)).toBe(true);
    // The caller's arrays are not moved by the search.
    expect(warm.map((w) => w[0])).toEqual([0.123, 0.456]);
  });

  it('never starts from a sweep point whose weight exp(value − best) is zero: fewer starts when few points are worth it', () => {
    // Values far below the best (e^−1000 = 0) have no chance in the roulette.
    const acq = new KnownAcquisition({ a: unit('a') }, (x) => ((x[0] as number) < 0.1 ? -(x[0] as number) : -1000));
    optimizeAcquisition(acq, new Rng(9), { nPreliminarySamples: 64, nLocalSearch: 20 });
    const worth = acq.sweep.filter((s) => s.v > -1000).length;
    expect(worth).toBeGreaterThan(2);
    expect(worth).toBeLessThan(19);
    expect(acq.valueCalls).toHaveLength(worth);
    for (const x of acq.valueCalls) expect(x[0] as number).toBeLessThan(0.1);
  });

  it('picks the other starts with probability ∝ exp(value − best): a region worth e^1.1 times more is picked that much more often', () => {
    // 16 scrambled Sobol points put 8 in each half. The best is in the upper half; of the 15 left, 7
    // weigh 1 (upper) and 8 weigh e^−1.1 (lower): the one roulette pick is upper with p = 7/(7 + 8e^−1.1).
    const p = 7 / (7 + 8 * Math.exp(-1.1));
    let upper = 0;
    const runs = 600;
    for (let seed = 0; seed < runs; seed++) {
      const acq = new KnownAcquisition({ a: unit('a') }, (x) => ((x[0] as number) < 0.5 ? -1.1 : 0) + 1e-9 * (x[0] as number));
      optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 16, nLocalSearch: 2 });
      expect(acq.sweep.filter((s) => (s.x[0] as number) < 0.5)).toHaveLength(8);
      if ((acq.valueCalls[1]?.[0] as number) >= 0.5) upper++;
    }
    const sd = Math.sqrt((p * (1 - p)) / runs);
    expect(Math.abs(upper / runs - p)).toBeLessThan(5 * sd);
  });

  it('is reproducible: the same seed gives the same point; another seed sweeps other points', () => {
    const space = { a: unit('a'), n: intDistribution('n', 0, 40), c: categoricalDistribution('c', ['x', 'y', 'z']) };
    const f = (x: Float64Array): number => Math.sin(5 * (x[0] as number)) * Math.cos(3 * (x[1] as number)) + (x[2] === 1 ? 0.2 : 0);
    const g = (x: Float64Array, out: Float64Array): void => {
      out[0] = 5 * Math.cos(5 * (x[0] as number)) * Math.cos(3 * (x[1] as number));
    };
    const run = (seed: number): KnownAcquisition => {
      const acq = new KnownAcquisition(space, f, g);
      optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 128 });
      return acq;
    };
    const a = run(3);
    const b = run(3);
    const c = run(4);
    expect(b.sweep.map((s) => Array.from(s.x))).toEqual(a.sweep.map((s) => Array.from(s.x)));
    expect(b.valueCalls.map((x) => Array.from(x))).toEqual(a.valueCalls.map((x) => Array.from(x)));
    expect(c.sweep.map((s) => Array.from(s.x))).not.toEqual(a.sweep.map((s) => Array.from(s.x)));
  });
});

describe('optimizeAcquisition: the local search', () => {
  it('climbs a smooth continuous acquisition to its maximum, whatever the length scales that precondition it', () => {
    const peak = [0.3, 0.72];
    const f = (x: Float64Array): number => -(((x[0] as number) - (peak[0] as number)) ** 2) - 4 * ((x[1] as number) - (peak[1] as number)) ** 2;
    const g = (x: Float64Array, out: Float64Array): void => {
      out[0] = -2 * ((x[0] as number) - (peak[0] as number));
      out[1] = -8 * ((x[1] as number) - (peak[1] as number));
    };
    for (const scales of [[1, 1], [0.05, 20], [7, 0.2]]) {
      const acq = new KnownAcquisition({ a: unit('a'), b: unit('b') }, f, g, scales);
      const r = optimizeAcquisition(acq, new Rng(11), { nPreliminarySamples: 8, nLocalSearch: 1, tol: 1e-10 });
      expect(acq.gradCalls).toBeGreaterThan(0);
      expect(Math.abs((r.x[0] as number) - 0.3)).toBeLessThan(1e-4);
      expect(Math.abs((r.x[1] as number) - 0.72)).toBeLessThan(1e-4);
      expect(r.value).toBe(f(r.x));
    }
  });

  it('stops at the box: a maximum beyond 1 (or below 0) is found at the bound exactly, with any length scale', () => {
    for (const scales of [[1, 1], [0.1, 0.1], [10, 3]]) {
      const f = (x: Float64Array): number => 2 * (x[0] as number) - 3 * (x[1] as number);
      const g = (_x: Float64Array, out: Float64Array): void => {
        out[0] = 2;
        out[1] = -3;
      };
      const acq = new KnownAcquisition({ a: unit('a'), b: unit('b') }, f, g, scales);
      const r = optimizeAcquisition(acq, new Rng(2), { nPreliminarySamples: 4, nLocalSearch: 1 });
      expect(Array.from(r.x)).toEqual([1, 0]);
      expect(r.value).toBe(2);
    }
  });

  it('keeps the start when the ascent cannot improve it (a plateau): one ascent per local search, and the first start wins a tie', () => {
    const acq = new KnownAcquisition({ a: unit('a'), b: unit('b') }, () => 3.5);
    const r = optimizeAcquisition(acq, new Rng(4), { nPreliminarySamples: 8, nLocalSearch: 3 });
    // Every sweep value ties, so the best is the first sample; the other two starts are no better.
    expect(acq.valueCalls).toHaveLength(3);
    expect(acq.sweepIndex(r.x)).toBe(0);
    expect(r.value).toBe(3.5);
    // Nothing moved, so each local search stops after its first round (L-BFGS-B evaluates its start once).
    expect(acq.gradCalls).toBe(3);
  });

  it('stops a discrete search after a full round without a change: each other value is evaluated once per round', () => {
    // One categorical of 40 choices: the start, its 39 alternatives, and no second round when the start was best.
    const best = new KnownAcquisition({ c: categoricalDistribution('c', Array.from({ length: 40 }, (_, i) => `c${i}`)) }, () => 1);
    optimizeAcquisition(best, new Rng(0), { nPreliminarySamples: 1, nLocalSearch: 1 });
    expect(best.valueCalls).toHaveLength(40);
    // Two integer dimensions, each changed once at most before the round that changes nothing.
    const two = new KnownAcquisition({ m: intDistribution('m', 0, 9), n: intDistribution('n', 0, 9) }, (x) => -Math.abs((x[0] as number) - 0.83) - Math.abs((x[1] as number) - 0.17));
    const r = optimizeAcquisition(two, new Rng(1), { nPreliminarySamples: 1, nLocalSearch: 1 });
    expect(two.space.toParams(r.x)).toEqual({ m: 8, n: 1 });
    expect(two.valueCalls.length).toBeLessThanOrEqual(1 + 3 * 9);
  });

  it('returns the best point over all local searches, with its value', () => {
    // Two hills; the sweep's best is on the lower, wider one, and a warm start sits on the higher, narrow one.
    const f = (x: Float64Array): number => {
      const a = x[0] as number;
      return Math.max(1 - (a - 0.2) ** 2, 2 - 1e4 * (a - 0.9) ** 2);
    };
    const g = (x: Float64Array, out: Float64Array): void => {
      const a = x[0] as number;
      out[0] = 1 - (a - 0.2) ** 2 >= 2 - 1e4 * (a - 0.9) ** 2 ? -2 * (a - 0.2) : -2e4 * (a - 0.9);
    };
    const withWarm = new KnownAcquisition({ a: unit('a') }, f, g);
    const r = optimizeAcquisition(withWarm, new Rng(0), { nPreliminarySamples: 4, nLocalSearch: 2, warmStarts: [Float64Array.of(0.905)] });
    expect(Math.abs((r.x[0] as number) - 0.9)).toBeLessThan(1e-3);
    expect(r.value).toBeCloseTo(2, 6);
    const without = new KnownAcquisition({ a: unit('a') }, f, g);
    const r2 = optimizeAcquisition(without, new Rng(0), { nPreliminarySamples: 4, nLocalSearch: 1 });
    expect(Math.abs((r2.x[0] as number) - 0.2)).toBeLessThan(1e-3);
  });

  it('searches every value of a small integer range (≤ 16 values): the global best of a bumpy function, from any start', () => {
    // Values 0..15: the best (11) is surrounded by worse values than the runner-up (3), so a line search
    // between neighbours would stop at 3 from many starts.
    const score = [0, 1, 2, 5, 2, 1, 0, 1, 0, -1, -2, 6, -2, -1, 0, 1];
    for (let seed = 0; seed < 12; seed++) {
      const acq: KnownAcquisition = new KnownAcquisition({ n: intDistribution('n', 0, 15) }, (x): number => score[acq.space.toParams(x)['n'] as number] as number);
      const r = optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 1, nLocalSearch: 1 });
      expect(acq.space.toParams(r.x)['n']).toBe(11);
      expect(r.value).toBe(6);
    }
  });

  it('searches every choice of a categorical however many there are (categories have no order)', () => {
    const k = 40;
    const score = (c: number): number => (c === 27 ? 3 : c % 2 === 0 ? 1 : 0);
    for (let seed = 0; seed < 12; seed++) {
      const acq = new KnownAcquisition({ c: categoricalDistribution('c', Array.from({ length: k }, (_, i) => `c${i}`)) }, (x) => score(x[0] as number));
      const r = optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 1, nLocalSearch: 1 });
      expect(r.x[0]).toBe(27);
      expect(r.value).toBe(3);
    }
  });

  it('finds the peak of a long integer range (a line search over the grid) and returns a grid value', () => {
    for (const [peak, seed] of [[0, 1], [367, 2], [999, 3], [500, 4], [1, 5]] as const) {
      const acq: KnownAcquisition = new KnownAcquisition({ n: intDistribution('n', 0, 999) }, (x): number => -Math.abs((acq.space.unnormalize(0, x[0] as number)) - peak));
      const r = optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 2, nLocalSearch: 1 });
      const choices = acq.space.choices(0);
      expect(choices).toContain(r.x[0]);
      expect(acq.space.toParams(r.x)['n']).toBe(peak);
    }
  });

  it('finds the best grid value of 17 or more when it lies between two grid values’ interpolation maxima', () => {
    // 20 values of a stepped float; the acquisition peaks at grid index 13: the golden-section bracket
    // ends near it and the nearest grid values of the bracket's ends and middle are compared.
    const space = { q: floatDistribution('q', 0, 1.9, { step: 0.1 }) };
    for (let seed = 0; seed < 10; seed++) {
      const acq: KnownAcquisition = new KnownAcquisition(space, (x): number => -(((x[0] as number) - (acq.space.choices(0)[13] as number)) ** 2) + 0.001 * (x[0] as number));
      const r = optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 1, nLocalSearch: 1 });
      expect(r.x[0]).toBe(acq.space.choices(0)[13]);
    }
  });

  it('leaves a discrete dimension with a single value where it is', () => {
    const acq = new KnownAcquisition({ n: intDistribution('n', 5, 5), a: unit('a') }, (x) => -(((x[1] as number) - 0.4) ** 2), (x, out) => {
      out[0] = -2 * ((x[1] as number) - 0.4);
    });
    const r = optimizeAcquisition(acq, new Rng(0), { nPreliminarySamples: 4, nLocalSearch: 1 });
    expect(r.x[0]).toBe(0.5);
    expect(Math.abs((r.x[1] as number) - 0.4)).toBeLessThan(1e-3);
  });

  it('alternates continuous ascent and discrete search until neither moves: reaches a coupled joint optimum', () => {
    // f(a, n) = −(a − n/20)² − (n − 12)²/400: for a fixed n the best a is n/20, and for a fixed a the best
    // n is pulled toward 20a, so only alternating many rounds climbs from n far from 12 to the joint
    // optimum (a, n) = (0.6, 12).
    const space = { a: unit('a'), n: intDistribution('n', 0, 19) };
    const nOf = (acq: KnownAcquisition, x: Float64Array): number => acq.space.unnormalize(1, x[1] as number);
    for (let seed = 0; seed < 6; seed++) {
      const acq: KnownAcquisition = new KnownAcquisition(
        space,
        (x) => -(((x[0] as number) - nOf(acq, x) / 20) ** 2) - (nOf(acq, x) - 12) ** 2 / 400,
        (x, out) => {
          out[0] = -2 * ((x[0] as number) - nOf(acq, x) / 20);
        },
      );
      const r = optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 1, nLocalSearch: 1, tol: 1e-12 });
      expect(acq.space.toParams(r.x)['n']).toBe(12);
      expect(Math.abs((r.x[0] as number) - 0.6)).toBeLessThan(1e-4);
      expect(r.value).toBe(acq.f(r.x));
    }
  });

  it('every discrete coordinate it returns is one of the grid’s, and the value returned is the value there (property)', () => {
    const space = {
      a: unit('a'),
      n: intDistribution('n', 1, 64, { log: true }),
      q: floatDistribution('q', 0, 1, { step: 0.05 }),
      c: categoricalDistribution('c', ['x', 'y', 'z', 'w']),
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), (seed, w) => {
        const f = (x: Float64Array): number => w.reduce((s, wi, i) => s + wi * Math.sin(3 * (i + 1) * (x[i] as number)), 0);
        const g = (x: Float64Array, out: Float64Array): void => {
          out[0] = (w[0] as number) * 3 * Math.cos(3 * (x[0] as number));
        };
        const acq = new KnownAcquisition(space, f, g);
        const r = optimizeAcquisition(acq, new Rng(seed), { nPreliminarySamples: 32, nLocalSearch: 3 });
        for (const i of acq.space.discrete) expect(acq.space.choices(i)).toContain(r.x[i]);
        expect(r.x[0] as number).toBeGreaterThanOrEqual(0);
        expect(r.x[0] as number).toBeLessThanOrEqual(1);
        expect(r.value).toBe(f(r.x));
        for (const s of acq.sweep) expect(r.value).toBeGreaterThanOrEqual(s.v);
      }),
      { numRuns: 40 },
    );
  });
});
