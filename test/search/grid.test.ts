import { describe, expect, it, vi } from 'vitest';
import { AutoSampler, createStudy, GridSampler, InvalidOptionError, type Trial } from '../../src/index.js';
import type { FrozenTrial } from '../../src/trial/frozen-trial.js';
import type { StudyView } from '../../src/trial/view.js';
import { floatDistribution } from '../../src/trial/distributions.js';

describe('GridSampler', () => {
  it('uses a grid value outside the suggested range or step as it is, as Optuna does, and warns once per value', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const study = await createStudy({ storage: 'memory:', sampler: new GridSampler({ x: [5, 0.5, 0.25], n: [3, 12] }) });
      await study.optimize((t) => t.suggestFloat('x', 0, 1, { step: 0.5 }) + t.suggestInt('n', 0, 10), { nTrials: 6 });
      expect(study.trials.map((t) => [t.params['x'], t.params['n']]).sort()).toEqual([[0.25, 12], [0.25, 3], [0.5, 12], [0.5, 3], [5, 12], [5, 3]]);
      const messages = warn.mock.calls.map((c) => String(c[0]));
      // 5 (above the range), 0.25 (off the step) and 12 (above the range): each once, though used twice.
      expect(messages).toHaveLength(3);
      expect(messages.some((m) => m.includes("grid value 5 of 'x' is outside the suggested float [0, 1] step 0.5"))).toBe(true);
      expect(messages.some((m) => m.includes("grid value 0.25 of 'x' is outside"))).toBe(true);
      expect(messages.some((m) => m.includes("grid value 12 of 'n' is outside the suggested int [0, 10]"))).toBe(true);
      for (const c of warn.mock.calls) expect(c[1]).toEqual({ code: 'TUNELAB_GRID_OUTSIDE_DISTRIBUTION' });
    } finally {
      warn.mockRestore();
    }
  });

  it('does not warn for grid values inside the distribution, categorical choices included', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const study = await createStudy({ storage: 'memory:', sampler: new GridSampler({ x: [0, 1e-3, 1], c: ['a', 'b'] }) });
      await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('c', ['a', 'b']) === 'a' ? 0 : 1), { nTrials: 6 });
      expect(study.trials).toHaveLength(6);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a grid it cannot visit, naming the parameter and the fix', () => {
    const bad: [unknown, string][] = [
      [null, 'GridSampler(searchSpace): expected an object such as { x: [0, 1], kind: ["a", "b"] }'],
      ['x', 'expected an object'],
      [{}, 'GridSampler(searchSpace): the grid has no parameters'],
      [{ a: [1], x: [] }, "GridSampler: parameter 'x' needs a non-empty array of values"],
      [{ x: 'ab' }, "parameter 'x' needs a non-empty array of values"],
      [{ x: [1, () => 2] }, "GridSampler: parameter 'x' has a value that is not JSON-safe"],
    ];
    for (const [space, message] of bad) {
      const make = (): GridSampler => new GridSampler(space as ConstructorParameters<typeof GridSampler>[0]);
      expect(make).toThrow(InvalidOptionError);
      expect(make).toThrow(message);
    }
  });

  it('numbers the points in mixed radix over the sorted names, the last name fastest', () => {
    const grid = new GridSampler({ b: [1, 2, 3], a: ['x', 'y'] });
    expect(grid.size).toBe(6);
    expect([0, 1, 2, 3, 5].map((id) => grid.point(id))).toEqual([
      { a: 'x', b: 1 },
      { a: 'x', b: 2 },
      { a: 'x', b: 3 },
      { a: 'y', b: 1 },
      { a: 'y', b: 3 },
    ]);
  });

  it('visits every point once, in grid order without a seed and in a seeded shuffle with one', async () => {
    const visit = async (seed?: number): Promise<string[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new GridSampler({ x: [0, 1, 2, 3], y: [0, 1] }, seed === undefined ? {} : { seed }) });
      await study.optimize((t) => t.suggestInt('x', 0, 3) + t.suggestInt('y', 0, 1), { nTrials: 20 });
      return study.trials.map((t) => `${t.params['x']},${t.params['y']}`);
    };
    const plain = await visit();
    expect(plain).toEqual(['0,0', '0,1', '1,0', '1,1', '2,0', '2,1', '3,0', '3,1']);
    const shuffled = await visit(3);
    expect([...shuffled].sort()).toEqual(plain);
    expect(shuffled).not.toEqual(plain);
    expect(await visit(3)).toEqual(shuffled);
  });

  it('a seeded shuffle may leave a point where it was (Fisher–Yates, not a cyclic shuffle)', () => {
    // Over 100 seeds of a 3-point grid, the last point stays last in about a third of them.
    let stays = 0;
    for (let seed = 0; seed < 100; seed++) {
      const grid = new GridSampler({ x: [0, 1, 2] }, { seed });
      const first = grid.beforeTrial({ trials: [] } as unknown as StudyView, { number: 0, systemAttrs: {} } as unknown as FrozenTrial);
      if (first['gridId'] === 0) stays++;
    }
    expect(stays).toBeGreaterThan(15);
    expect(stays).toBeLessThan(55);
  });

  it('says what is wrong when the objective and the grid disagree: the call fails with the reason, the trial is FAIL', async () => {
    const reasonOf = async (grid: ConstructorParameters<typeof GridSampler>[0], objective: (t: Trial) => number): Promise<string> => {
      const study = await createStudy({ storage: 'memory:', sampler: new GridSampler(grid) });
      const error = await study.optimize(objective, { nTrials: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(study.trials[0]?.state).toBe('FAIL');
      return (error as Error).message;
    };
    expect(await reasonOf({ x: [5] }, (t) => t.suggestFloat('y', 0, 1))).toContain("GridSampler: the objective suggested 'y', which is not in the grid (x); add it to the grid");
    expect(await reasonOf({ x: ['five'] }, (t) => t.suggestFloat('x', 0, 1))).toContain("GridSampler: grid value \"five\" of 'x' is not a valid value of the suggested distribution; make the grid and the suggest call agree");
    expect(await reasonOf({ c: ['z'] }, (t) => Number(t.suggestCategorical('c', ['a', 'b']) === 'a'))).toContain(`GridSampler: grid value "z" of 'c' is not a valid value`);
  });

  it('a trial another sampler created has no grid point, and says so', () => {
    const grid = new GridSampler({ x: [0.5] });
    const call = (): number => grid.sampleIndependent({} as StudyView, { number: 0, systemAttrs: {} } as unknown as FrozenTrial, 'x', floatDistribution('x', 0, 1));
    expect(call).toThrow('GridSampler: the trial has no grid point; was it created by another sampler?');
  });
});

describe('AutoSampler options', () => {
  it('refuses options that are not an object and a seed that is not finite', () => {
    for (const options of [null, 3]) expect(() => new AutoSampler(options as unknown as object)).toThrow(new InvalidOptionError('AutoSampler(options): expected an object such as { seed: 1 }'));
    expect(() => new AutoSampler({ seed: Number.NaN })).toThrow('AutoSampler seed must be a finite number, got NaN');
  });

  it('hands its constraintsFunc to the samplers it chooses between: each finished trial stores its constraints', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new AutoSampler({ seed: 2, constraintsFunc: (t) => [(t.params['x'] as number) - 0.5] }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1), { nTrials: 12 });
    for (const t of study.trials) expect(t.systemAttrs['constraints']).toEqual([(t.params['x'] as number) - 0.5]);
    const plain = await createStudy({ storage: 'memory:', sampler: new AutoSampler({ seed: 2 }) });
    await plain.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    expect(plain.trials.some((t) => 'constraints' in t.systemAttrs)).toBe(false);
  });
});
