import { describe, expect, it } from 'vitest';
import {
  createStudy,
  GridSampler,
  InvalidOptionError,
  loadStudy,
  NoCompletedTrialsError,
  RandomSampler,
  StudyExistsError,
  StudyNotFoundError,
  TrialFinishedError,
  TrialPruned,
  type Trial,
} from '../../src/index.js';

const quadratic = (trial: Trial): number => (trial.suggestFloat('x', -10, 10) - 3) ** 2;
let counter = 0;
const uniqueName = (): string => `study-test-${process.pid}-${counter++}`;

describe('ask and tell', () => {
  it('records params, values, timing and moves RUNNING → COMPLETE', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 2 }) });
    const trial = await study.ask();
    expect(study.trials[0]?.state).toBe('RUNNING');
    const x = trial.suggestFloat('x', 0, 1);
    const frozen = await study.tell(trial, x * 2);
    expect(frozen).toMatchObject({ number: 0, state: 'COMPLETE', value: x * 2, values: [x * 2], params: { x } });
    expect(frozen.durationMs).toBeGreaterThanOrEqual(0);
    expect(study.trials[0]?.state).toBe('COMPLETE');
    const stored = await study.storage.getTrial(frozen.trialId);
    expect(stored.params).toEqual({ x });
    expect(stored.values).toEqual([x * 2]);
  });

  it('refuses to tell a finished trial twice, and to suggest after tell', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const trial = await study.ask();
    await study.tell(trial, 1);
    await expect(study.tell(trial.number, 2)).rejects.toThrow(TrialFinishedError);
    expect(() => trial.suggestFloat('y', 0, 1)).toThrow(TrialFinishedError);
  });

  it('fails a trial whose value is NaN, infinite, missing or of the wrong arity — with the reason', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'maximize'] });
    const cases: Array<[unknown, RegExp]> = [
      [[1, Number.NaN], /NaN, which is not a finite number/],
      [[Infinity, 1], /Infinity/],
      [[1], /1 value\(s\) but the study has 2 direction/],
      [undefined, /undefined \(did the objective forget to return\?\)/],
    ];
    for (const [result, reason] of cases) {
      const trial = await study.ask();
      const frozen = await study.tell(trial, result as number[]);
      expect(frozen.state).toBe('FAIL');
      expect(frozen.systemAttrs['failReason']).toMatch(reason);
    }
  });

  it('stores a pruned trial with its last intermediate value', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const trial = await study.ask();
    trial.report(0.9, 0);
    trial.report(0.5, 3);
    trial.report(0.7, 1);
    trial.report(123, 3); // a step reported twice keeps its first value, as in Optuna
    const frozen = await study.tell(trial, 'PRUNED');
    expect(frozen.state).toBe('PRUNED');
    expect(frozen.value).toBe(0.5);
    expect(frozen.intermediateValues).toEqual({ 0: 0.9, 1: 0.7, 3: 0.5 });
    expect((await study.storage.getTrial(frozen.trialId)).intermediateValues).toEqual({ 0: 0.9, 1: 0.7, 3: 0.5 });
  });

  it('takes enqueued trials first, with their fixed params, sampling the rest', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
    await study.enqueueTrial({ x: 0.25, kind: 'b' });
    await study.enqueueTrial({ x: 0.75 });
    await study.optimize((trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      const kind = trial.suggestCategorical('kind', ['a', 'b']);
      return x + (kind === 'a' ? 0 : 1);
    }, { nTrials: 3 });
    expect(study.trials.map((t) => t.params['x']).slice(0, 2)).toEqual([0.25, 0.75]);
    expect(study.trials[0]?.params['kind']).toBe('b');
    expect(['a', 'b']).toContain(study.trials[1]?.params['kind']);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
  });

  it('fails an enqueued value outside the suggested range with a clear error', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.enqueueTrial({ x: 5 });
    const trial = await study.ask();
    expect(() => trial.suggestFloat('x', 0, 1)).toThrow(/enqueued value 5 for parameter 'x' lies outside float \[0, 1\]/);
  });
});

describe('optimize', () => {
  it('stores a throwing objective as FAIL, then rethrows', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await expect(
      study.optimize((trial) => {
        trial.suggestFloat('x', 0, 1);
        throw new RangeError('boom');
      }, { nTrials: 5 }),
    ).rejects.toThrow('boom');
    expect(study.trials).toHaveLength(1);
    expect(study.trials[0]).toMatchObject({ state: 'FAIL', systemAttrs: { failReason: 'RangeError: boom' } });
  });

  it('goes on past errors listed in catch, and past NaN', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        if (trial.number === 1) throw new RangeError('bad range');
        if (trial.number === 2) return Number.NaN;
        return x;
      },
      { nTrials: 5, catch: [RangeError] },
    );
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'FAIL', 'COMPLETE', 'COMPLETE']);
    await expect(study.optimize(() => {
      throw new TypeError('not caught');
    }, { nTrials: 2, catch: [RangeError] })).rejects.toThrow(TypeError);
  });

  it('marks TrialPruned as PRUNED and goes on', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize((trial) => {
      trial.report(1, 0);
      if (trial.number % 2 === 0) throw new TrialPruned();
      return 0;
    }, { nTrials: 4 });
    expect(study.trials.map((t) => t.state)).toEqual(['PRUNED', 'COMPLETE', 'PRUNED', 'COMPLETE']);
  });

  it('totalTrials runs only what is missing, so re-running a cell adds none', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(quadratic, { totalTrials: 7 });
    expect(study.trials).toHaveLength(7);
    await study.optimize(quadratic, { totalTrials: 7 });
    expect(study.trials).toHaveLength(7);
    await study.optimize(quadratic, { totalTrials: 10 });
    expect(study.trials).toHaveLength(10);
  });

  it('stops at the timeout (seconds), after the running trial', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const started = Date.now();
    await study.optimize(async (trial) => {
      await new Promise((r) => setTimeout(r, 20));
      return quadratic(trial);
    }, { timeout: 0.2, nTrials: 1000 });
    // Bounds a busy machine cannot break: load only makes trials slower, so fewer of them, never more;
    // each takes at least 20 ms, so 0.2 s plus the running trial holds at most 11.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(study.trials.length).toBeGreaterThanOrEqual(1);
    expect(study.trials.length).toBeLessThan(20);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
  });

  it('an AbortSignal fails the running trial as "interrupted" and leaves nothing RUNNING', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const controller = new AbortController();
    await study.optimize(async (trial) => {
      trial.suggestFloat('x', 0, 1);
      if (trial.number === 3) setTimeout(() => controller.abort(), 10);
      await new Promise((r) => setTimeout(r, trial.number === 3 ? 10_000 : 1));
      return 1;
    }, { nTrials: 100, signal: controller.signal });
    expect(study.trials).toHaveLength(4);
    expect(study.trials[3]).toMatchObject({ state: 'FAIL', systemAttrs: { failReason: 'interrupted' } });
    expect(study.trials.some((t) => t.state === 'RUNNING')).toBe(false);
  });

  it('study.stop() from a callback ends the run; callbacks see each finished trial', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const seen: number[] = [];
    await study.optimize(quadratic, {
      nTrials: 50,
      callbacks: [
        (s, t) => {
          seen.push(t.number);
          if (t.number === 4) s.stop();
        },
      ],
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects unknown and malformed options before running any trial', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const bad = [{ n_trials: 3 }, { nTrials: 0 }, { nTrials: 1.5 }, { timeout: -1 }, { catch: 'all' }, { workers: -1 }];
    for (const options of bad) {
      await expect(study.optimize(quadratic, options as never)).rejects.toThrow(InvalidOptionError);
    }
    await expect(study.optimize(quadratic, { n_trials: 3 } as never)).rejects.toThrow(/did you mean 'nTrials'/);
    expect(study.trials).toHaveLength(0);
  });

  it('re-enqueues the params of failed trials with retryFailed', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 5 }) });
    let calls = 0;
    await study.optimize((trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      calls++;
      return calls <= 2 ? Number.NaN : x;
    }, { nTrials: 4, retryFailed: 3 });
    const [t0, t1, t2] = study.trials;
    expect(t0?.state).toBe('FAIL');
    expect(t1).toMatchObject({ state: 'FAIL', params: t0?.params, systemAttrs: { retryOf: 0, retryCount: 1 } });
    expect(t2).toMatchObject({ state: 'COMPLETE', params: t0?.params, systemAttrs: { retryOf: 1, retryCount: 2 } });
  });
});

describe('seeds', () => {
  it('the same seed gives the same params and values; another seed does not', async () => {
    const run = async (seed: number): Promise<unknown[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed }) });
      await study.optimize((t) => t.suggestFloat('a', 0, 1) + t.suggestInt('b', 0, 100) + t.suggestCategorical('c', [0, 1]), { nTrials: 30 });
      return study.trials.map((t) => [t.params, t.value]);
    };
    expect(await run(11)).toEqual(await run(11));
    expect(await run(12)).not.toEqual(await run(11));
  });
});

describe('best trials', () => {
  it('bestTrial follows the direction; bestValue throws before any COMPLETE trial', async () => {
    const study = await createStudy({ storage: 'memory:', direction: 'maximize' });
    expect(() => study.bestValue).toThrow(NoCompletedTrialsError);
    for (const v of [1, 5, 3]) await study.tell(await study.ask(), v);
    expect(study.bestValue).toBe(5);
    expect(study.bestTrial.number).toBe(1);
  });

  it('bestTrials is the Pareto front for several objectives', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'maximize'] });
    const points = [[1, 1], [2, 3], [0, 0], [2, 2], [3, 3]];
    for (const p of points) await study.tell(await study.ask(), p);
    expect(study.bestTrials.map((t) => t.number).sort()).toEqual([0, 1, 2]);
    expect(() => study.bestTrial).toThrow(/2 directions/);
  });
});

describe('grid search', () => {
  it('visits every point once and stops when the grid is exhausted', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new GridSampler({ x: [0, 1, 2], kind: ['a', 'b'] }) });
    await study.optimize((trial) => trial.suggestInt('x', 0, 2) + (trial.suggestCategorical('kind', ['a', 'b']) === 'a' ? 0 : 10), { nTrials: 100 });
    expect(study.trials).toHaveLength(6);
    const seen = study.trials.map((t) => `${t.params['x']}${t.params['kind']}`).sort();
    expect(seen).toEqual(['0a', '0b', '1a', '1b', '2a', '2b']);
  });

  it('names a parameter missing from the grid', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new GridSampler({ x: [0, 1] }) });
    await expect(study.optimize((t) => t.suggestFloat('y', 0, 1), { nTrials: 1 })).rejects.toThrow(/'y', which is not in the grid/);
  });
});

describe('creating and loading studies', () => {
  it('loadStudy finds a memory study; duplicates and missing names give clear errors', async () => {
    const name = uniqueName();
    const study = await createStudy({ name, storage: 'memory:', direction: 'maximize' });
    await study.optimize(quadratic, { nTrials: 3 });
    const again = await loadStudy(name, 'memory:');
    expect(again.trials).toHaveLength(3);
    expect(again.directions).toEqual(['maximize']);
    await expect(createStudy({ name, storage: 'memory:' })).rejects.toThrow(StudyExistsError);
    const resumed = await createStudy({ name, storage: 'memory:', direction: 'maximize', loadIfExists: true });
    expect(resumed.trials).toHaveLength(3);
    await expect(createStudy({ name, storage: 'memory:', direction: 'minimize', loadIfExists: true })).rejects.toThrow(/directions \[maximize\]/);
    await expect(loadStudy('no-such-study', 'memory:')).rejects.toThrow(StudyNotFoundError);
  });

  it('rejects a bad storage URL and unknown options', async () => {
    await expect(createStudy({ storage: 'mongo://x' })).rejects.toThrow(/not a storage URL tunelab knows/);
    await expect(createStudy({ storage: 'memory:', directon: 'maximize' } as never)).rejects.toThrow(/unknown option 'directon'/);
    await expect(createStudy({ storage: 'memory:', direction: 'up' as never })).rejects.toThrow(/'minimize' or 'maximize'/);
  });
});

describe('trialsDataFrame()', () => {
  it('gives one row per trial with Optuna-style columns, numbers exact', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 9 }) });
    await study.optimize((trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      const kind = trial.suggestCategorical('kind', ['a', 'b']);
      trial.setUserAttr('note', `n${trial.number}`);
      if (trial.number === 2) return Number.NaN;
      return x + (kind === 'a' ? 0 : 10);
    }, { nTrials: 4 });
    const df = study.trialsDataFrame();
    expect(df.shape).toEqual([4, expect.any(Number)]);
    expect(df.columns).toEqual(expect.arrayContaining(['number', 'value', 'duration', 'params_x', 'params_kind', 'user_attrs_note', 'system_attrs_failReason', 'state']));
    expect(df.column('params_x').values).toEqual(study.trials.map((t) => t.params['x']));
    expect(df.column('state').values).toEqual(['COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE']);
    expect(Number.isNaN(df.column('value').values[2] as number)).toBe(true);
    expect(df.column('params_kind').values).toEqual(study.trials.map((t) => t.params['kind']));
  });
});
