import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsecutiveFailuresError, createStudy, data, InvalidOptionError, registerModelFamily, tune, type Study } from '../../src/index.js';
import { DEMO_WINDOWS } from '../../src/cli/demo.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

const skipNote = (DIST_PROBLEM === undefined) ? '' : ` (skipped: ${DIST_PROBLEM})`;

// Issue 14 item 6: an objective that always fails must stop the run (maxConsecutiveFailures,
// default 10), in this thread, in worker threads, in child processes, in tune() and the CLI.
// Each run has a `timeout` as a safety net, so a regression fails the test instead of hanging it.

const failing = (trial: { suggestFloat(n: string, l: number, h: number): number }): number => {
  trial.suggestFloat('x', 0, 1);
  throw new RangeError('bug in the objective');
};

function failCount(study: Study): number {
  return study.trials.filter((t) => t.state === 'FAIL').length;
}

async function expectStorm(run: Promise<void>, count: number): Promise<ConsecutiveFailuresError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConsecutiveFailuresError);
  const storm = error as ConsecutiveFailuresError;
  expect(storm.code).toBe('CONSECUTIVE_FAILURES');
  expect(storm.count).toBe(count);
  expect(storm.message).toContain(`${count} trials failed in a row`);
  expect(storm.message).toContain('RangeError: bug in the objective');
  return storm;
}

describe('maxConsecutiveFailures', () => {
  it('in this thread: stops after 10 FAIL trials by default, naming the reason and the first stack', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const started = Date.now();
    const storm = await expectStorm(study.optimize(failing, { totalTrials: 5, catch: true, timeout: 10 }), 10);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(failCount(study)).toBe(10);
    expect(study.trials.every((t) => t.state === 'FAIL')).toBe(true);
    // The stack of the first failure points into this file.
    expect(storm.firstStack).toMatch(/failure-storm\.test\.ts/);
    expect(storm.message).toMatch(/The first of them failed at:\nRangeError: bug in the objective\n\s+at /);
  });

  it('counts only failures in a row: a success resets the streak', async () => {
    const study = await createStudy({ storage: 'memory:' });
    // Fails 4 trials of every 5: never 5 in a row.
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        if (trial.number % 5 !== 4) throw new Error('flaky');
        return x;
      },
      { nTrials: 40, catch: true, maxConsecutiveFailures: 5 },
    );
    expect(failCount(study)).toBe(32);
  });

  it('counts failures that throw nothing (a NaN value) and checks its option', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const error = await study.optimize(() => NaN, { totalTrials: 3, maxConsecutiveFailures: 4, timeout: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsecutiveFailuresError);
    expect((error as Error).message).toContain('the objective returned NaN');
    expect(failCount(study)).toBe(4);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(study.optimize(() => 1, { nTrials: 1, maxConsecutiveFailures: bad })).rejects.toThrow(/maxConsecutiveFailures/);
    }
    // Infinity turns the check off.
    await study.optimize(() => NaN, { nTrials: 30, maxConsecutiveFailures: Infinity });
    expect(failCount(study)).toBe(34);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))(`in worker threads: the run stops and the other running trial ends${skipNote}`, async () => {
    const study = await createStudy({ storage: 'memory:' });
    await expectStorm(study.optimize(failing, { totalTrials: 5, catch: true, workers: 2, maxConsecutiveFailures: 6, timeout: 20 }), 6);
    expect(failCount(study)).toBeGreaterThanOrEqual(6);
    expect(failCount(study)).toBeLessThanOrEqual(7);
    expect(study.trials.some((t) => t.state === 'RUNNING')).toBe(false);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))(`in child processes${skipNote}`, async () => {
    const study = await createStudy({ storage: 'memory:' });
    await expectStorm(study.optimize(failing, { totalTrials: 5, catch: true, workers: 1, executor: 'process', maxConsecutiveFailures: 3, timeout: 20 }), 3);
    expect(failCount(study)).toBe(3);
  });
});

const BTC = fileURLToPath(new URL('../../datasets/btc-usd-1d.csv', import.meta.url));

describe('tune() and failure storms', () => {
  registerModelFamily({
    name: 'broken-family',
    description: 'a family whose build always throws',
    space: () => ({}),
    build: () => {
      throw new TypeError('this family cannot be built');
    },
  });

  it('in this thread: a family whose every trial fails stops with ConsecutiveFailuresError', async () => {
    const ds = await data.windows(data.csv(BTC), { ...DEMO_WINDOWS, lookback: 10 });
    const run = tune(ds).models(['broken-family']).trials(5).epochs(1).storage('memory:').cache(false).progress(false).maxConsecutiveFailures(3).timeout(20).name(`storm-${process.pid}`).run();
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsecutiveFailuresError);
    expect((error as Error).message).toContain('TypeError: this family cannot be built');
  });

  it('with workers: a family workers cannot load is refused before anything starts', async () => {
    const ds = await data.windows(data.csv(BTC), { ...DEMO_WINDOWS, lookback: 10 });
    const started = Date.now();
    const error = await tune(ds).models(['linear', 'broken-family']).trials(2).epochs(1).workers(1).storage('memory:').cache(false).progress(false).timeout(20).run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/'broken-family' is registered in this thread only.*\.workers\(0\)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

const CLI = resolve('dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'tunelab-storm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tunelab worker --max-consecutive-failures', () => {
  it.skipIf(requireOrSkip(DIST_PROBLEM))(`stops with exit code 2 and the reason on stderr${skipNote}`, () => {
    const objective = join(dir, 'broken.mjs');
    writeFileSync(objective, `export default (trial) => { trial.suggestFloat('x', 0, 1); throw new Error('worker objective bug'); };\n`);
    const storage = `level:${join(dir, 'db')}`;
    const run = spawnSync(process.execPath, [CLI, 'worker', '--study', 'storm', '--storage', storage, '--objective', objective, '--total-trials', '5', '--max-consecutive-failures', '4'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('4 trials failed in a row');
    expect(run.stderr).toContain('Error: worker objective bug');
  });
});
