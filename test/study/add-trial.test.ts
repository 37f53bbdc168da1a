import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoricalDistribution, createStudy, floatDistribution, intDistribution, InvalidOptionError, loadStudy, TPESampler } from '../../src/index.js';

const x = floatDistribution('x', -10, 10);

describe('study.addTrial / addTrials', () => {
  it('adds finished trials that count like the study\'s own: best trial, numbering, dataframe', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 1 }) });
    const added = await study.addTrials([
      { params: { x: 2, opt: 'adam' }, distributions: { x, opt: categoricalDistribution('opt', ['adam', 'sgd']) }, value: 4, userAttrs: { source: 'paper' } },
      { params: { x: -1, opt: 'sgd' }, distributions: { x, opt: categoricalDistribution('opt', ['adam', 'sgd']) }, value: 1 },
      { params: { x: 5 }, distributions: { x }, state: 'PRUNED', intermediateValues: { 0: 30, 3: 25 } },
      // x's distribution comes from the first trial of the batch.
      { params: { x: 7 }, state: 'FAIL' },
    ]);
    expect(added.map((t) => [t.number, t.state])).toEqual([[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'PRUNED'], [3, 'FAIL']]);
    expect(added[0]?.userAttrs).toEqual({ source: 'paper' });
    expect(added[2]?.value).toBe(25);
    expect(study.bestTrial.params).toEqual({ x: -1, opt: 'sgd' });
    await study.optimize((t) => t.suggestFloat('x', -10, 10) ** 2, { nTrials: 2 });
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    // A param the study has suggested needs no distribution.
    const known = await study.addTrial({ params: { x: 0.5 }, value: 0.25 });
    expect(known.distributions['x']).toEqual(x);
    expect(study.bestValue).toBe(0.25);
  });

  it('warm-starts TPE: trials added from an earlier run steer the first sampled ones', async () => {
    const spread = async (warm: boolean): Promise<number> => {
      const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 4 }) });
      if (warm) {
        // Twenty results of an earlier grid search over x; the best lie near x = 6.
        await study.addTrials(Array.from({ length: 20 }, (_, i) => {
          const at = -10 + (20 * i) / 19;
          return { params: { x: at }, distributions: { x }, value: (at - 6) ** 2 };
        }));
      }
      await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 6) ** 2, { nTrials: 10 });
      const sampled = study.trials.slice(warm ? 20 : 0).map((t) => t.params['x'] as number);
      return sampled.filter((v) => Math.abs(v - 6) < 2).length;
    };
    // Without the added trials the first 10 are TPE's random start-up; with them TPE models from trial one.
    expect(await spread(true)).toBeGreaterThanOrEqual(6);
    expect(await spread(false)).toBeLessThanOrEqual(3);
  });

  it('names the field and the fix for bad input, and stores none of a batch with one bad trial', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'maximize'] });
    const bad: [object, RegExp][] = [
      [{ params: { y: 1 }, values: [1, 2] }, /param 'y' has no distribution and no earlier trial of the study has it; pass distributions: \{ y: floatDistribution\('y', low, high\) \}/],
      [{ params: { x: 20 }, distributions: { x }, values: [1, 2] }, /param 'x' = 20 is outside/],
      [{ params: { o: 'rmsprop' }, distributions: { o: categoricalDistribution('o', ['adam', 'sgd']) }, values: [1, 2] }, /param 'o' = "rmsprop" does not fit/],
      [{ params: { x: 1 }, distributions: { x } }, /a COMPLETE trial needs values \(2 numbers, one per direction\)/],
      [{ params: { x: 1 }, distributions: { x }, value: 3 }, /1 value\(s\) given but the study has 2 direction\(s\)/],
      [{ params: { x: 1 }, distributions: { x }, values: [1, Number.NaN] }, /values\[1\] is NaN; objective values must be finite numbers/],
      [{ params: { x: 1 }, distributions: { x }, state: 'FAIL', values: [1, 2] }, /a FAIL trial has no value/],
      [{ params: { x: 1 }, distributions: { x }, state: 'RUNNING', values: [1, 2] }, /state must be 'COMPLETE', 'PRUNED' or 'FAIL'.*enqueueTrial/],
      [{ params: { n: 2 }, distributions: { n: { kind: 'int', low: 5, high: 1, log: false, step: 1 } }, values: [1, 2] }, /distributions\.n: .*low \(5\) is greater than high \(1\)/],
      [{ params: { x: 1 }, distributions: { x, z: x }, values: [1, 2] }, /distributions has 'z', which params does not/],
    ];
    for (const [spec, message] of bad) {
      await expect(study.addTrial(spec as never)).rejects.toThrow(InvalidOptionError);
      await expect(study.addTrial(spec as never)).rejects.toThrow(message);
    }
    const good = { params: { n: 3 }, distributions: { n: intDistribution('n', 1, 5) }, values: [1, 2] };
    await expect(study.addTrials([good, good, bad[1]?.[0] as never])).rejects.toThrow(/addTrials: trial 2 of 3: param 'x' = 20 is outside/);
    expect(study.trials).toHaveLength(0);
  });

  it('keeps added trials in LevelDB across a reload, and lets TPE compute their constraints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-add-'));
    try {
      const storage = `level:${join(dir, 'db')}`;
      const sampler = new TPESampler({ seed: 2, constraintsFunc: (t) => [(t.params['x'] as number) - 1] });
      const study = await createStudy({ name: 'warm', storage, sampler });
      await study.addTrial({ params: { x: 3 }, distributions: { x }, value: 9, intermediateValues: { 1: 12 }, userAttrs: { from: 'notes' } });
      await study.addTrial({ params: { x: 0.5 }, distributions: { x }, value: 0.25, systemAttrs: { constraints: [-7] } });
      await study.close();
      const reread = await loadStudy('warm', storage);
      const [first, second] = reread.trials;
      expect(first).toMatchObject({ state: 'COMPLETE', value: 9, params: { x: 3 }, intermediateValues: { 1: 12 }, userAttrs: { from: 'notes' } });
      expect(first?.systemAttrs['constraints']).toEqual([2]);
      expect(second?.systemAttrs['constraints']).toEqual([-7]);
      expect(first?.datetimeComplete).toBeInstanceOf(Date);
      await reread.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
