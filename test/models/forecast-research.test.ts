import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { data, tune, shutdown, NopPruner, RandomSampler, InvalidOptionError, type WindowOptions } from '../../src/index.js';
import type { Pruner } from '../../src/search/pruner.js';
import { BTC, tempDir, writeText } from '../data/helpers.js';

// Small and quick: the linear family, a short lookback, two epochs.
const WF: WindowOptions = { target: 'close', lookback: 5, transform: 'logReturn', scale: 'zscore', walkForward: { folds: 3, val: 0.1, test: 0.15 } };
const quick = (ds: Parameters<typeof tune>[0], name: string) =>
  tune(ds).models(['linear']).trials(3).epochs(2).patience(2).seed(3).storage('memory:').cache(false).progress(false).name(`${name}-${process.pid}`);

describe('walk-forward selection in tune()', () => {
  it('scores every trial on each fold in time order: value = mean, foldValues, one report per fold; then compare, backtest, forecastTable', async () => {
    const ds = await data.windows(data.csv(BTC), WF);
    const result = await quick(ds, 'wf').pruner(new NopPruner()).run();
    const trials = result.study('linear').trials;
    expect(trials).toHaveLength(3);
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      const folds = t.userAttrs['foldValues'] as number[];
      expect(folds).toHaveLength(3);
      expect(t.value).toBeCloseTo(folds.reduce((a, b) => a + b, 0) / 3, 12);
      expect(t.intermediateValues).toEqual({ 0: folds[0], 1: folds[1], 2: folds[2] });
    }
    expect(Object.keys(result.table()[0]!)).toContain('val loss, mean of 3 folds');
    const dm = await result.compare('linear', { against: 'persistence' });
    expect(dm.n).toBe(ds.test.count);
    expect(dm.against).toBe('persistence');
    expect(dm.pValue).toBeGreaterThanOrEqual(0);
    expect(dm.pValue).toBeLessThanOrEqual(1);
    expect(Number.isFinite(dm.statistic)).toBe(true);
    const bt = await result.backtest('linear', { fee: 0.001 });
    expect(bt.periods).toBe(ds.test.count);
    expect(bt.maxDrawdown).toBeLessThanOrEqual(0);
    expect(bt.buyAndHold.maxDrawdown).toBeLessThanOrEqual(0);
    expect(bt.periodsPerYear).toBeCloseTo(365.25, 3);
    const table = result.forecastTable('linear', 'test', { last: 7 });
    expect(table).toHaveLength(7);
    expect(Object.keys(table[0]!)).toEqual(['date', 'actual', 'linear', 'persistence']);
    expect(table[6]!['date']).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(table[6]!['persistence']).toBeCloseTo(ds.test.base[ds.test.count - 1]!, 0);
    await expect(result.compare('linear', { against: 'arima' })).rejects.toThrow(/against must be 'persistence' or a family of this result \(linear\)/);
    expect(() => result.forecastTable('linear', 'test', { last: 0 })).toThrow(/last\/first must be a whole number >= 1/);
  }, 240_000);

  it('runs walk-forward trials in a worker thread too: the folds reach the worker (dist built)', async () => {
    const ds = await data.windows(data.csv(BTC), WF);
    const result = await quick(ds, 'wf-worker').trials(2).workers(1).pruner(new NopPruner()).run();
    for (const t of result.study('linear').trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.userAttrs['foldValues']).toHaveLength(3);
    }
  }, 240_000);

  it('lets a pruner stop a trial after a bad first fold', async () => {
    const ds = await data.windows(data.csv(BTC), WF);
    // A pruner that stops every trial at its first report: the trial trains on one fold only.
    const firstFold: Pruner = { prune: () => true };
    const result = await quick(ds, 'wf-prune').trials(2).pruner(firstFold).run();
    for (const t of result.study('linear').trials) {
      expect(t.state).toBe('PRUNED');
      expect(Object.keys(t.intermediateValues)).toEqual(['0']);
      expect(t.userAttrs['foldValues']).toHaveLength(1);
    }
  }, 240_000);

  it('never sees the test part while selecting: changing the test prices changes no trial', async () => {
    const dir = tempDir('wf-test');
    const lines = readFileSync(BTC, 'utf8').trimEnd().split('\n');
    // Scale every price in the last 12% of rows (inside the 15% test part) by 1.5.
    const from = Math.floor(lines.length * 0.88);
    const changed = lines.map((line, i) => {
      if (i < from) return line;
      const [date, ...rest] = line.split(',');
      return [date, ...rest.map((v, j) => (v === 'null' || j === 5 ? v : String(Number(v) * 1.5)))].join(',');
    });
    const original = await data.windows(data.csv(BTC), WF);
    const altered = await data.windows(data.csv(writeText(dir, 'altered.csv', changed.join('\n') + '\n')), WF);
    expect(altered.test.count).toBe(original.test.count);
    expect(altered.fingerprint).not.toBe(original.fingerprint);
    const a = await quick(original, 'wf-a').pruner(new NopPruner()).run();
    const b = await quick(altered, 'wf-b').pruner(new NopPruner()).run();
    const strip = (r: typeof a) => r.study('linear').trials.map((t) => ({ params: t.params, value: t.value, folds: t.userAttrs['foldValues'] }));
    expect(strip(b)).toEqual(strip(a));
    // ... while the test scoring did see the change.
    expect(b.rows[0]!.test!.rmse).not.toBe(a.rows[0]!.test!.rmse);
  }, 240_000);
});

describe('a configurable tune()', () => {
  it('loss, sampler, space and a Sharpe objective on the walk-forward folds', async () => {
    const ds = await data.windows(data.csv(BTC), WF);
    const result = await quick(ds, 'configured')
      .loss('huber')
      .sampler(new RandomSampler({ seed: 5 }))
      .space('linear', { optimizer: 'adam', lr: { low: 1e-3, high: 1e-2 }, batchSize: [64] })
      .objective('sharpe', { fee: 0.001 })
      .pruner(new NopPruner())
      .run();
    const study = result.study('linear');
    expect(study.directions).toEqual(['maximize']);
    for (const t of study.trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.params['optimizer']).toBe('adam');
      expect(t.params['batchSize']).toBe(64);
      expect(t.params['lr']).toBeGreaterThanOrEqual(1e-3);
      expect(t.params['lr']).toBeLessThanOrEqual(1e-2);
      // Sharpe ratios on each fold's validation backtest, not losses (which are > 0).
      expect((t.userAttrs['foldValues'] as number[]).every((v) => Number.isFinite(v) && Math.abs(v) < 20)).toBe(true);
    }
    expect(study.trials.some((t) => (t.userAttrs['foldValues'] as number[]).some((v) => v < 0))).toBe(true);
    expect(result.rows[0]!.bestValLoss).toBe(Math.max(...study.trials.map((t) => t.value!)));
    expect(Object.keys(result.table()[0]!)).toContain('val Sharpe, mean of 3 folds');
  }, 240_000);

  it('rejects bad settings by name, with the fix', async () => {
    const ds = await data.windows(data.csv(BTC), WF);
    expect(() => tune(ds).loss('logcosh' as never)).toThrow(/tune\(\)\.loss\("logcosh"\): expected one of 'mse', 'mae', 'huber'/);
    expect(() => tune(ds).objective('sortino' as never)).toThrow(/tune\(\)\.objective\("sortino"\): expected 'loss' or 'sharpe'/);
    expect(() => tune(ds).objective('sharpe', { fee: 2 })).toThrow(/fee must be a fraction in \[0, 1\)/);
    expect(() => tune(ds).space('mlp', { neurons: 3 })).toThrow(/'neurons' is not a parameter of mlp; its parameters are lr, batchSize, optimizer, l2, layers, units, dropout/);
    expect(() => tune(ds).space('mlp', { units: { low: 64, high: 8 } })).toThrow(/'units' has low 64 > high 8/);
    expect(() => tune(ds).space('rnn', {})).toThrow(/unknown model family 'rnn'/);
    expect(() => tune(ds).sampler({} as never)).toThrow(/tune\(\)\.sampler\(s\): expected a sampler/);
    expect(() => tune(ds).pruner({} as never)).toThrow(/tune\(\)\.pruner\(p\): expected a pruner/);
    const dir = tempDir('wf-bad');
    const rows = Array.from({ length: 300 }, (_, i) => 100 + Math.sin(i / 7) * 5 + i / 50);
    const noTime = await data.windows(data.csv(writeText(dir, 'no-time.csv', `close\n${rows.join('\n')}\n`)), WF);
    expect(() => tune(noTime).objective('sharpe')).toThrow(/needs the data's timestamps to annualize/);
    expect(() => tune(noTime).objective('sharpe')).toThrow(InvalidOptionError);
  });
});

describe('saved models', () => {
  it('saves each family\'s scored model beside its LevelDB study and loads it without retraining, with the same forecasts', async () => {
    const dir = tempDir('saved');
    const ds = await data.windows(data.csv(BTC), { target: 'close', lookback: 5, transform: 'logReturn', scale: 'zscore', split: { val: 0.15, test: 0.15 } });
    const run = () => tune(ds).models(['linear']).trials(2).epochs(2).seed(4).storage(`level:${join(dir, 'db')}`).cache({ dir: join(dir, 'cache') }).progress(false).name('saved').run();
    const first = await run();
    const files = join(dir, 'db', 'models', encodeURIComponent('saved/linear'));
    const json = JSON.parse(readFileSync(join(files, 'model.json'), 'utf8')) as { userDefinedMetadata: { tunelab: { trialNumber: number } } };
    expect(json.userDefinedMetadata.tunelab.trialNumber).toBe(first.study('linear').bestTrial.number);
    const savedAt = statSync(join(files, 'weights.bin')).mtimeMs;
    // A second run replays everything from the cache: no model is trained, so load() reads the files.
    const second = await run();
    const loaded = await second.load('linear');
    const forecast = loaded.forecast('test');
    const scored = first.testForecast('linear');
    expect(forecast).toHaveLength(scored.length);
    for (let i = 0; i < scored.length; i++) expect(Math.abs(forecast[i]! - scored[i]!)).toBeLessThan(1e-9 * scored[i]!);
    expect(statSync(join(files, 'weights.bin')).mtimeMs).toBe(savedAt);
    loaded.dispose();
    // A model saved for another trial is not taken for this one: it is trained again (same forecasts) and saved over.
    writeFileSync(join(files, 'model.json'), JSON.stringify({ ...json, userDefinedMetadata: { tunelab: { ...json.userDefinedMetadata.tunelab, trialNumber: 99 } } }));
    const third = await run();
    const again = await third.load('linear');
    const f3 = again.forecast('test');
    for (let i = 0; i < scored.length; i++) expect(Math.abs(f3[i]! - scored[i]!)).toBeLessThan(1e-9 * scored[i]!);
    again.dispose();
    expect((JSON.parse(readFileSync(join(files, 'model.json'), 'utf8')) as typeof json).userDefinedMetadata.tunelab.trialNumber).toBe(first.study('linear').bestTrial.number);
    await shutdown();
  }, 240_000);

  it('keeps the scored model in memory for a memory: study', async () => {
    const ds = await data.windows(data.csv(BTC), WF);
    const result = await quick(ds, 'saved-mem').trials(2).pruner(new NopPruner()).run();
    const loaded = await result.load('linear');
    const f = loaded.forecast('test');
    const scored = result.testForecast('linear');
    for (let i = 0; i < scored.length; i++) expect(Math.abs(f[i]! - scored[i]!)).toBeLessThan(1e-9 * scored[i]!);
    loaded.dispose();
  }, 240_000);
});
