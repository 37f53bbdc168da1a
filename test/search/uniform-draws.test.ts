// The two ways a sampler turns randomness into a parameter value: sampleUniform (random and
// independent sampling) and fromUnit (QMC's points). Each must give every value of a grid its
// share: log integers over [low - 0.5, high + 0.5] as Optuna, stepped values in equal cells.
import { describe, expect, it } from 'vitest';
import { fromUnit } from '../../src/search/samplers/from-unit.js';
import { sampleUniform } from '../../src/search/samplers/sample-uniform.js';
import { categoricalDistribution, floatDistribution, intDistribution, type Distribution } from '../../src/trial/distributions.js';
import { Rng } from '../../src/util/rng.js';

const logInt = intDistribution('n', 1, 100, { log: true });
const steppedInt = intDistribution('k', 0, 10, { step: 5 });
const steppedFloat = floatDistribution('s', 0, 1, { step: 0.25 });
const logFloat = floatDistribution('lr', 1e-3, 1, { log: true });
const choices = categoricalDistribution('c', ['a', 'b', 'c']);
// The share of 1 in a log integer on [1, 100]: log(1.5/0.5) / log(100.5/0.5).
const shareOfOne = Math.log(3) / Math.log(201);

describe('fromUnit: the cell each u falls in', () => {
  it('log integers: 1 takes the first log(3)/log(201) of [0, 1], 100 the end', () => {
    expect(fromUnit(logInt, 0)).toBe(1);
    expect(fromUnit(logInt, shareOfOne - 1e-6)).toBe(1);
    expect(fromUnit(logInt, shareOfOne + 1e-6)).toBe(2);
    expect(fromUnit(logInt, 1)).toBe(100);
  });

  it('stepped integers and floats: equal cells, the top value up to u = 1', () => {
    expect([0, 0.33, 0.34, 0.66, 0.67, 0.999, 1].map((u) => fromUnit(steppedInt, u))).toEqual([0, 0, 5, 5, 10, 10, 10]);
    expect([0, 0.19, 0.21, 0.59, 0.61, 0.81, 1].map((u) => fromUnit(steppedFloat, u))).toEqual([0, 0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('categorical indices and log floats; u outside [0, 1] is clamped', () => {
    expect([0, 0.33, 0.34, 0.67, 1].map((u) => fromUnit(choices, u))).toEqual([0, 0, 1, 2, 2]);
    expect(fromUnit(logFloat, 0.5)).toBeCloseTo(Math.sqrt(1e-3), 12);
    expect(fromUnit(logFloat, -1)).toBeCloseTo(1e-3, 15);
    expect(fromUnit(logFloat, 2)).toBe(1);
  });
});

describe('sampleUniform: every value its share', () => {
  /** Frequencies of each value in `draws` draws. */
  function frequencies(d: Distribution, draws: number): Map<number, number> {
    const rng = new Rng(17);
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const v = sampleUniform(d, rng);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return counts;
  }

  /** Each value's count within 5 standard deviations of draws · p. */
  function expectShares(d: Distribution, shares: ReadonlyMap<number, number>, draws = 20_000): void {
    const counts = frequencies(d, draws);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...shares.keys()].sort((a, b) => a - b));
    for (const [v, p] of shares) expect(Math.abs((counts.get(v) ?? 0) - draws * p), `value ${v}`).toBeLessThan(5 * Math.sqrt(draws * p * (1 - p)));
  }

  it('log integers: 1 drawn with probability log(3)/log(201), 100 with log(100.5/99.5)/log(201)', () => {
    const counts = frequencies(logInt, 20_000);
    expect(Math.min(...counts.keys())).toBe(1);
    expect(Math.max(...counts.keys())).toBe(100);
    const sd = (p: number): number => Math.sqrt(20_000 * p * (1 - p));
    expect(Math.abs((counts.get(1) ?? 0) - 20_000 * shareOfOne)).toBeLessThan(5 * sd(shareOfOne));
    const shareOfHundred = Math.log(100.5 / 99.5) / Math.log(201);
    expect(Math.abs((counts.get(100) ?? 0) - 20_000 * shareOfHundred)).toBeLessThan(5 * sd(shareOfHundred));
  });

  it('stepped integers, stepped floats and choices: equal shares, both ends included', () => {
    expectShares(steppedInt, new Map([[0, 1 / 3], [5, 1 / 3], [10, 1 / 3]]));
    expectShares(steppedFloat, new Map([0, 0.25, 0.5, 0.75, 1].map((v) => [v, 0.2])));
    expectShares(choices, new Map([[0, 1 / 3], [1, 1 / 3], [2, 1 / 3]]));
  });

  it('log floats: half the draws below √(low·high)', () => {
    const rng = new Rng(3);
    let below = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = sampleUniform(logFloat, rng);
      expect(v).toBeGreaterThanOrEqual(1e-3);
      expect(v).toBeLessThanOrEqual(1);
      if (v < Math.sqrt(1e-3)) below++;
    }
    expect(Math.abs(below - 10_000)).toBeLessThan(5 * Math.sqrt(5_000));
  });
});
