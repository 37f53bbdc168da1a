import { describe, expect, it } from 'vitest';
import { createStudy, InvalidOptionError, TPESampler, type TPESamplerOptions, type Trial } from '../../../src/index.js';

/** The parameters a seeded TPE study proposes over a bumpy 2-D objective with a categorical. */
async function proposals(options: TPESamplerOptions, nTrials = 24): Promise<unknown[]> {
  const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 3, nStartupTrials: 6, ...options }) });
  await study.optimize(
    (t: Trial) => {
      const x = t.suggestFloat('x', -3, 3);
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const k = t.suggestCategorical('k', ['a', 'b', 'c']);
      return Math.sin(3 * x) + x * x / 4 + (Math.log10(lr) + 2) ** 2 / 5 + (k === 'b' ? 0 : 0.3);
    },
    { nTrials },
  );
  return study.trials.map((t) => t.params);
}

describe('TPESampler options', () => {
  it('names the option, the value and the fix in every refusal, with a typed error', () => {
    const bad: [unknown, string][] = [
      [null, 'TPESampler(options): expected an object such as { seed: 1 }'],
      [7, 'TPESampler(options): expected an object such as { seed: 1 }'],
      [{ seed: Number.NaN }, 'TPESampler seed must be a finite number, got NaN'],
      [{ seed: Infinity }, 'TPESampler seed must be a finite number, got Infinity'],
      [{ nStartupTrials: -1 }, 'TPESampler nStartupTrials must be a whole number >= 0, got -1'],
      [{ nStartupTrials: 2.5 }, 'TPESampler nStartupTrials must be a whole number >= 0, got 2.5'],
      [{ nStartupTrials: '3' }, 'TPESampler nStartupTrials must be a whole number >= 0, got 3'],
      [{ nEiCandidates: 0 }, 'TPESampler nEiCandidates must be a whole number >= 1, got 0'],
      [{ priorWeight: 0 }, 'TPESampler priorWeight must be a positive number, got 0'],
      [{ priorWeight: -1 }, 'TPESampler priorWeight must be a positive number, got -1'],
      [{ priorWeight: Infinity }, 'TPESampler priorWeight must be a positive number, got Infinity'],
      [{ priorWeight: '1' }, 'TPESampler priorWeight must be a positive number, got 1'],
      [{ gamma: 3 }, 'TPESampler gamma must be a function of the number of trials, got number'],
      [{ weights: [1, 2] }, 'TPESampler weights must be a function of the number of trials, got object'],
      [{ constraintsFunc: 'x' }, 'TPESampler constraintsFunc must be a function of the finished trial, got string'],
      [{ multivariate: 'yes' }, 'TPESampler multivariate must be true or false, got yes'],
      [{ group: 1 }, 'TPESampler group must be true or false, got 1'],
      [{ group: true }, 'TPESampler group: true samples groups of parameters jointly and needs multivariate: true; pass { multivariate: true, group: true }'],
      [{ constantLiar: 'no' }, 'TPESampler constantLiar must be true or false, got no'],
      [{ considerMagicClip: 0 }, 'TPESampler considerMagicClip must be true or false, got 0'],
      [{ considerEndpoints: null }, 'TPESampler considerEndpoints must be true or false, got null'],
      [{ legacyScoring: 'true' }, 'TPESampler legacyScoring must be true or false, got true'],
      [{ categoricalDistanceFunc: null }, 'TPESampler categoricalDistanceFunc must be an object of functions by parameter name, e.g. { units: (a, b) => Math.abs(a - b) }; got null'],
      [{ categoricalDistanceFunc: [() => 0] }, 'TPESampler categoricalDistanceFunc must be an object of functions by parameter name'],
      [{ categoricalDistanceFunc: 'abs' }, 'TPESampler categoricalDistanceFunc must be an object of functions by parameter name'],
      [{ categoricalDistanceFunc: { units: 2 } }, 'TPESampler categoricalDistanceFunc.units must be a function (a, b) => distance, e.g. { units: (a, b) => Math.abs(a - b) }; got number'],
    ];
    for (const [options, message] of bad) {
      const make = (): TPESampler => new TPESampler(options as TPESamplerOptions);
      expect(make, JSON.stringify(options)).toThrow(InvalidOptionError);
      expect(make, JSON.stringify(options)).toThrow(message);
    }
  });

  it('accepts the smallest valid values and has Optuna’s defaults', () => {
    const smallest = new TPESampler({ seed: 0, nStartupTrials: 0, nEiCandidates: 1, priorWeight: 1e-9, multivariate: true, group: true, constantLiar: false, categoricalDistanceFunc: {} });
    expect([smallest.nStartupTrials, smallest.nEiCandidates, smallest.multivariate, smallest.group, smallest.constantLiar]).toEqual([0, 1, true, true, false]);
    const defaults = new TPESampler({ seed: 0 });
    expect([defaults.seed, defaults.nStartupTrials, defaults.nEiCandidates, defaults.multivariate, defaults.group, defaults.constantLiar]).toEqual([0, 10, 24, false, false, true]);
    expect(defaults.trialFinishing).toBeUndefined();
    expect(Number.isInteger(new TPESampler().seed)).toBe(true);
  });

  it('behaves as its documented defaults: leaving an option out equals passing its default, and the other value changes the trials', async () => {
    const base = await proposals({});
    for (const [option, fallback, other] of [
      ['priorWeight', 1, 3],
      ['considerMagicClip', true, false],
      ['considerEndpoints', false, true],
      ['legacyScoring', true, false],
      ['nEiCandidates', 24, 5],
      ['multivariate', false, true],
    ] as const) {
      expect(await proposals({ [option]: fallback }), option).toEqual(base);
      expect(await proposals({ [option]: other }), option).not.toEqual(base);
    }
  });

  it('accepts a gamma of 0 (no good trial: l(x) is the prior alone), as Optuna does', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 2, nStartupTrials: 3, gamma: () => 0 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 8 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(8);
  });

  it('waits nStartupTrials finished trials before modelling: the first ones are the random sampler’s draws', async () => {
    // With nStartupTrials 6 the first 6 trials do not depend on the objective's values; after them they do.
    const run = async (sign: number): Promise<number[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 11, nStartupTrials: 6 }) });
      await study.optimize((t) => sign * t.suggestFloat('x', -1, 1), { nTrials: 10 });
      return study.trials.map((t) => t.params['x'] as number);
    };
    const up = await run(1);
    const down = await run(-1);
    expect(up.slice(0, 6)).toEqual(down.slice(0, 6));
    expect(up.slice(6)).not.toEqual(down.slice(6));
    // The model pulls each study towards its own minimum.
    expect(up.slice(6).filter((x) => x < 0).length).toBeGreaterThan(down.slice(6).filter((x) => x < 0).length);
  });

  it('a parameter with a single possible value is that value, without a draw, in either sampling mode', async () => {
    for (const multivariate of [false, true]) {
      const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 1, nStartupTrials: 2, multivariate }) });
      await study.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestFloat('fixed', 2.5, 2.5) + t.suggestInt('one', 4, 4) + (t.suggestCategorical('only', ['z']) === 'z' ? 0 : 1), { nTrials: 8 });
      for (const t of study.trials) expect([t.params['fixed'], t.params['one'], t.params['only']]).toEqual([2.5, 4, 'z']);
      const sampler = study.sampler as TPESampler;
      // Only the parameter that can vary is modelled jointly.
      expect(Object.keys(sampler.inferRelativeSearchSpace(study.view))).toEqual(multivariate ? ['x'] : []);
    }
  });
});
