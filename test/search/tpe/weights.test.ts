import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { callWeights, defaultGamma, defaultWeights, hyperoptGamma } from '../../../src/search/samplers/tpe/weights.js';
import { python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

const NS = [0, 1, 9, 10, 11, 24, 25, 26, 27, 50, 249, 250, 251, 1000];

describe('gamma and weights', () => {
  it('gamma grows with n and is capped at 25', () => {
    expect(NS.map(defaultGamma)).toEqual([0, 1, 1, 1, 2, 3, 3, 3, 3, 5, 25, 25, 25, 25]);
    expect(hyperoptGamma(10000)).toBe(25);
    // Hyperopt's rule: ⌈0.25·√n⌉, below the cap for n under 10,000.
    expect([1, 16, 17, 100, 9000].map(hyperoptGamma)).toEqual([1, 1, 2, 3, 24]);
  });

  it('weights are 1 for the newest 25 and ramp up for older ones', () => {
    expect([...defaultWeights(3)]).toEqual([1, 1, 1]);
    const w = defaultWeights(100);
    expect(w[0]).toBeCloseTo(0.01, 12);
    expect(w[74]).toBeCloseTo(1, 12);
    for (let i = 1; i < 75; i++) expect(w[i] as number).toBeGreaterThan(w[i - 1] as number);
    expect([...w.subarray(75)].every((v) => v === 1)).toBe(true);
  });

  it('rejects a weights function that returns negative, non-finite, too few or all-zero values', () => {
    expect(() => callWeights(() => [1, -1], 2)).toThrow(InvalidOptionError);
    expect(() => callWeights(() => [1, Number.NaN], 2)).toThrow(/finite/);
    expect(() => callWeights(() => [1], 2)).toThrow(/at least 2/);
    expect(() => callWeights(() => [0, 0], 2)).toThrow(/only zeros/);
    // A negative weight is refused by index even when the sum is positive.
    expect(() => callWeights(() => [3, -1], 2)).toThrow('TPESampler weights(2) returned -1 at index 1; weights must be finite and non-negative');
    expect(() => callWeights(() => [1, Number.POSITIVE_INFINITY], 2)).toThrow('returned Infinity at index 1');
    expect(() => callWeights(() => ['1', 1] as unknown as number[], 2)).toThrow('returned 1 at index 0');
  });

  it('rejects a weights function that returns something other than an array, naming what it must return', () => {
    const notArrays: unknown[] = [null, undefined, 5, 'ab', { length: '2' }, { length: 1, 0: 1 }];
    for (const raw of notArrays) {
      const call = (): Float64Array => callWeights(() => raw as number[], 2);
      expect(call).toThrow(InvalidOptionError);
      expect(call).toThrow('TPESampler weights(2) must return an array of at least 2 numbers');
    }
    // Any array-like of numbers will do, and only the first n are read.
    expect([...callWeights(() => Float64Array.of(0.5, 1, 7), 2)]).toEqual([0.5, 1]);
    expect([...callWeights(() => ({ length: 2, 0: 0, 1: 2 }), 2)]).toEqual([0, 2]);
  });

  it.skipIf(requireOrSkip(pythonMissing))('matches Optuna default_gamma and default_weights', () => {
    const ref = python<{ gamma: number[]; weights: number[][] }>(`
from optuna.samplers._tpe.sampler import default_gamma, default_weights
ns = ${JSON.stringify(NS)}
print(json.dumps({"gamma": [default_gamma(n) for n in ns], "weights": [default_weights(n).tolist() for n in ns]}))`);
    expect(NS.map(defaultGamma)).toEqual(ref.gamma);
    NS.forEach((n, i) => {
      const mine = [...defaultWeights(n)];
      const want = ref.weights[i] as number[];
      expect(mine.length).toBe(want.length);
      mine.forEach((v, k) => expect(Math.abs(v - (want[k] as number))).toBeLessThan(1e-14));
    });
  });
});
