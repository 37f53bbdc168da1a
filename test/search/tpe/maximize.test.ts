import { describe, expect, it } from 'vitest';
import { createStudy, TPESampler, TrialPruned, type Trial } from '../../../src/index.js';

/** A mixed space (float, log float, stepped int, categorical) with one clear optimum. */
function f(trial: Trial): number {
  const x = trial.suggestFloat('x', -3, 5);
  const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const n = trial.suggestInt('n', 1, 9, { step: 2 });
  const opt = trial.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
  return -((x - 1) ** 2) - Math.abs(Math.log10(lr) + 3) - n / 10 - (opt === 'adam' ? 0 : 1);
}

type Direction = 'minimize' | 'maximize';

/**
 * Runs a seeded TPE study where trial values are `sign * f`; every fourth trial reports `sign * f`
 * at step 0 and is pruned, so pruned trials are ranked by an intermediate value too.
 */
async function run(direction: Direction, sign: 1 | -1, options: { multivariate?: boolean; seed: number; pruneAllBut?: number }): Promise<unknown[]> {
  const { pruneAllBut, ...tpe } = options;
  const study = await createStudy({ storage: 'memory:', direction, sampler: new TPESampler({ ...tpe, nStartupTrials: 8 }) });
  await study.optimize((trial) => {
    const v = sign * f(trial);
    if (pruneAllBut === undefined ? trial.number % 4 === 3 : trial.number % pruneAllBut !== 0) {
      trial.report(v, 0);
      throw new TrialPruned();
    }
    return v;
  }, { nTrials: 40 });
  return study.trials.map((t) => t.params);
}

describe('TPESampler on a maximize study', () => {
  for (const multivariate of [false, true]) {
    it(`proposes exactly what minimizing −f proposes, past the start-up trials (${multivariate ? 'multivariate' : 'univariate'})`, async () => {
      for (const seed of [1, 2]) {
        const maximized = await run('maximize', 1, { multivariate, seed });
        const mirrored = await run('minimize', -1, { multivariate, seed });
        expect(maximized).toEqual(mirrored);
        // And the direction matters: minimizing f (the mistake) proposes other points after start-up.
        const wrong = await run('minimize', 1, { multivariate, seed });
        expect(wrong.slice(0, 8)).toEqual(maximized.slice(0, 8));
        expect(wrong.slice(8)).not.toEqual(maximized.slice(8));
      }
    });
  }

  it('ranks pruned trials by their last report in the study direction (almost every trial pruned)', async () => {
    // With one trial in 20 complete, the good set is filled from pruned trials, ordered by their reports.
    for (const multivariate of [false, true]) {
      const maximized = await run('maximize', 1, { multivariate, seed: 4, pruneAllBut: 20 });
      expect(maximized).toEqual(await run('minimize', -1, { multivariate, seed: 4, pruneAllBut: 20 }));
      expect(maximized.slice(8)).not.toEqual((await run('minimize', 1, { multivariate, seed: 4, pruneAllBut: 20 })).slice(8));
    }
  });

  it('mirrors each objective of a several-objective study (MOTPE)', async () => {
    const runMo = async (directions: readonly [Direction, Direction], signs: readonly [1 | -1, 1 | -1]): Promise<unknown[]> => {
      const study = await createStudy({ storage: 'memory:', directions: [...directions], sampler: new TPESampler({ seed: 3, nStartupTrials: 8 }) });
      await study.optimize((trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        const y = trial.suggestFloat('y', 0, 1);
        return [signs[0] * (x + y), signs[1] * ((1 - x) ** 2 + y)];
      }, { nTrials: 30 });
      return study.trials.map((t) => t.params);
    };
    const maximized = await runMo(['maximize', 'minimize'], [1, 1]);
    expect(maximized).toEqual(await runMo(['minimize', 'minimize'], [-1, 1]));
    expect(maximized.slice(8)).not.toEqual((await runMo(['minimize', 'minimize'], [1, 1])).slice(8));
  });

  it('finds a maximum: the best value beats the best of the start-up trials', async () => {
    const study = await createStudy({ storage: 'memory:', direction: 'maximize', sampler: new TPESampler({ seed: 5, nStartupTrials: 10 }) });
    await study.optimize(f, { nTrials: 60 });
    const startup = Math.max(...study.trials.slice(0, 10).map((t) => t.value as number));
    expect(study.bestValue).toBeGreaterThan(startup);
    expect(study.bestValue).toBe(Math.max(...study.trials.map((t) => t.value as number)));
  });
});
