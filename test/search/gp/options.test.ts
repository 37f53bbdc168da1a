import { describe, expect, it } from 'vitest';
import { createStudy, GPSampler, InvalidOptionError, type GPSamplerOptions, type Trial } from '../../../src/index.js';

async function proposals(options: GPSamplerOptions): Promise<unknown[]> {
  const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 5, nStartupTrials: 4, nPreliminarySamples: 128, ...options }) });
  await study.optimize((t: Trial) => {
    const x = t.suggestFloat('x', -2, 2);
    const n = t.suggestInt('n', 0, 6);
    // A long tail of bad values: warping changes what the GP sees.
    return Math.exp(2 * Math.abs(x - 0.4)) + (n - 2) ** 2 / 3;
  }, { nTrials: 9 });
  return study.trials.map((t) => t.params);
}

describe('GPSampler options', () => {
  it('names the option, the value and the fix in every refusal, with a typed error', () => {
    const bad: [unknown, string][] = [
      [null, 'GPSampler(options): expected an object such as { seed: 1 }'],
      ['x', 'GPSampler(options): expected an object such as { seed: 1 }'],
      [{ seed: Number.NaN }, 'GPSampler seed must be a finite number, got NaN'],
      [{ nStartupTrials: -1 }, 'GPSampler nStartupTrials must be a whole number >= 0, got -1'],
      [{ nStartupTrials: 1.5 }, 'GPSampler nStartupTrials must be a whole number >= 0, got 1.5'],
      [{ nStartupTrials: '2' }, 'GPSampler nStartupTrials must be a whole number >= 0, got 2'],
      [{ nPreliminarySamples: 0 }, 'GPSampler nPreliminarySamples must be a whole number >= 1, got 0'],
      [{ nLocalSearch: 1 }, 'GPSampler nLocalSearch must be a whole number >= 2, got 1'],
      [{ startup: 'sobol' }, `GPSampler startup must be 'qmc' or 'random', got "sobol"`],
      [{ outputWarping: 'log' }, `GPSampler outputWarping must be 'yeo-johnson' or 'none' (Optuna's plain standardisation), got "log"`],
      [{ deterministicObjective: 'yes' }, 'GPSampler deterministicObjective must be true or false, got yes'],
      [{ constraintsFunc: 5 }, 'GPSampler constraintsFunc must be a function of the finished trial, got number'],
    ];
    for (const [options, message] of bad) {
      const make = (): GPSampler => new GPSampler(options as GPSamplerOptions);
      expect(make, JSON.stringify(options)).toThrow(InvalidOptionError);
      expect(make, JSON.stringify(options)).toThrow(message);
    }
  });

  it('accepts the smallest valid values and has the documented defaults', () => {
    const smallest = new GPSampler({ seed: 0, nStartupTrials: 0, nPreliminarySamples: 1, nLocalSearch: 2, deterministicObjective: true, startup: 'random', outputWarping: 'none' });
    expect([smallest.nStartupTrials, smallest.nPreliminarySamples, smallest.nLocalSearch, smallest.deterministicObjective, smallest.startup, smallest.outputWarping]).toEqual([0, 1, 2, true, 'random', 'none']);
    const d = new GPSampler({ seed: 0 });
    expect([d.seed, d.nStartupTrials, d.nPreliminarySamples, d.nLocalSearch, d.deterministicObjective, d.startup, d.outputWarping]).toEqual([0, 10, 2048, 10, false, 'qmc', 'yeo-johnson']);
    expect(Number.isInteger(new GPSampler().seed)).toBe(true);
  });

  it('behaves as its defaults: leaving an option out equals passing its default, and the other value changes the trials', async () => {
    const base = await proposals({});
    for (const [option, fallback, other] of [
      ['deterministicObjective', false, true],
      ['outputWarping', 'yeo-johnson', 'none'],
      ['startup', 'qmc', 'random'],
      ['nLocalSearch', 10, 2],
    ] as const) {
      expect(await proposals({ [option]: fallback }), option).toEqual(base);
      expect(await proposals({ [option]: other }), option).not.toEqual(base);
    }
  });
});
