import { describe, expect, it } from 'vitest';
import { createStudy, InvalidOptionError, TPESampler, type CategoricalDistanceFunc } from '../../../src/index.js';
import { categoricalDistribution } from '../../../src/trial/distributions.js';
import { ParzenEstimator, type ParzenEstimatorParameters } from '../../../src/search/samplers/tpe/parzen-estimator.js';
import { defaultWeights } from '../../../src/search/samplers/tpe/weights.js';

const CHOICES = [0, 1, 2, 3, 4];
const absolute: CategoricalDistanceFunc = (a, b) => Math.abs((a as number) - (b as number));

function estimator(observed: number[], distance: CategoricalDistanceFunc | undefined, priorWeight = 1): ParzenEstimator {
  const parameters: ParzenEstimatorParameters = {
    priorWeight,
    considerMagicClip: true,
    considerEndpoints: false,
    multivariate: false,
    weights: defaultWeights,
    categoricalDistance: distance === undefined ? undefined : { c: distance },
  };
  return new ParzenEstimator([Float64Array.from(observed)], [{ name: 'c', distribution: categoricalDistribution('c', CHOICES) }], parameters);
}

function probabilities(pe: ParzenEstimator): number[] {
  return [...pe.logPdf([Float64Array.from(CHOICES.keys())])].map(Math.exp);
}

describe('TPESampler categoricalDistanceFunc', () => {
  it('spreads an observation onto nearby choices with Optuna ≥ 3.4\'s kernel exp(-(d/max d)² · ln(n_kernels/prior)·ln(n_choices)/ln 6)', () => {
    const p = probabilities(estimator([1, 1], absolute));
    // Two kernels at choice 1 (weight 1 each) and a uniform prior (weight 1): three kernels in all.
    const coef = (Math.log(3) * Math.log(5)) / Math.log(6);
    const row = CHOICES.map((c) => Math.exp(-((Math.abs(c - 1) / 3) ** 2) * coef));
    const rowSum = row.reduce((a, b) => a + b, 0);
    const expected = row.map((r) => ((2 / 3) * r) / rowSum + 1 / 3 / 5);
    p.forEach((v, c) => expect(v).toBeCloseTo(expected[c] as number, 12));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Mass falls off with distance from the observed choice, on both sides.
    expect(p[1]).toBeGreaterThan(p[0] as number);
    expect(p[0]).toBeGreaterThan(p[4] as number);
    expect(p[2]).toBeGreaterThan(p[3] as number);
  });

  it('keeps Optuna 3.1\'s kernels for parameters without a distance, and treats all-zero distances as no preference', () => {
    const plain = probabilities(estimator([1, 1], undefined));
    // Each observed kernel: (1 + prior/n_kernels) at its choice, prior/n_kernels elsewhere, normalised.
    const at = (1 + 1 / 3) / (1 + 5 / 3);
    const elsewhere = 1 / 3 / (1 + 5 / 3);
    expect(plain[1]).toBeCloseTo((2 / 3) * at + 1 / 15, 12);
    expect(plain[3]).toBeCloseTo((2 / 3) * elsewhere + 1 / 15, 12);
    const flat = probabilities(estimator([1, 3], () => 0));
    for (const v of flat) expect(v).toBeCloseTo(1 / 5, 12);
  });

  it('finds the best choice of an ordered categorical more often than without the distance', async () => {
    const choices = Array.from({ length: 40 }, (_, i) => i);
    const bestOver = async (distance: boolean): Promise<number[]> => {
      const bests: number[] = [];
      for (let seed = 0; seed < 20; seed++) {
        const sampler = new TPESampler({ seed, ...(distance ? { categoricalDistanceFunc: { c: absolute } } : {}) });
        const study = await createStudy({ storage: 'memory:', sampler });
        await study.optimize((t) => ((t.suggestCategorical('c', choices) as number) - 27) ** 2, { nTrials: 40 });
        bests.push(study.bestValue);
      }
      return bests;
    };
    const withDistance = await bestOver(true);
    const without = await bestOver(false);
    const found = (xs: number[]): number => xs.filter((v) => v === 0).length;
    expect(found(withDistance)).toBeGreaterThan(found(without));
    expect(withDistance.reduce((a, b) => a + b, 0)).toBeLessThan(without.reduce((a, b) => a + b, 0));
  });

  it('names the parameter and the fix for a bad distance function or result', async () => {
    expect(() => new TPESampler({ categoricalDistanceFunc: { units: 2 as unknown as CategoricalDistanceFunc } })).toThrow(/categoricalDistanceFunc\.units must be a function \(a, b\) => distance/);
    expect(() => new TPESampler({ categoricalDistanceFunc: [] as unknown as Record<string, CategoricalDistanceFunc> })).toThrow(InvalidOptionError);
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 1, nStartupTrials: 2, categoricalDistanceFunc: { c: () => Number.NaN } }) });
    await expect(study.optimize((t) => t.suggestCategorical('c', ['a', 'b']) === 'a' ? 1 : 0, { nTrials: 3 })).rejects.toThrow(/categoricalDistanceFunc\.c returned NaN for \("(a|b)", "a"\); return a finite number >= 0/);
  });
});
