import { describe, expect, it } from 'vitest';
import { BLXAlphaCrossover, createStudy, InvalidOptionError, NSGAIISampler, RandomSampler, SBXCrossover, TPESampler, SPXCrossover, UNDXCrossover, UniformCrossover, VSBXCrossover, type Crossover, type Sampler, type Trial } from '../../../src/index.js';
import { hypervolume } from '../../../src/search/samplers/tpe/motpe.js';
import { samplerConformance } from '../../../src/testing/index.js';

samplerConformance('NSGAIISampler', (seed) => new NSGAIISampler({ seed }));
// A small population, so that the conformance trials run through several generations of children.
samplerConformance('NSGAIISampler, population 6, mutation 0.3', (seed) => new NSGAIISampler({ seed, populationSize: 6, mutationProb: 0.3 }));
// Each crossover through the whole sampler: the conformance space has integers, log ranges and categories.
samplerConformance('NSGAIISampler with SBX, population 6', (seed) => new NSGAIISampler({ seed, populationSize: 6, crossover: new SBXCrossover() }));
samplerConformance('NSGAIISampler with UNDX (three parents), population 6', (seed) => new NSGAIISampler({ seed, populationSize: 6, crossover: new UNDXCrossover() }));

/** ZDT1 with 6 variables: a convex Pareto front f2 = 1 − √f1 at x1..x5 = 0. */
function zdt1(t: Trial): [number, number] {
  const x = Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
  const f1 = x[0] as number;
  const g = 1 + (9 / 5) * x.slice(1).reduce((a, b) => a + b, 0);
  return [f1, g * (1 - Math.sqrt(f1 / g))];
}

async function zdt1Hypervolume(sampler: Sampler, nTrials: number): Promise<number> {
  const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler });
  await study.optimize(zdt1, { nTrials });
  return hypervolume(study.bestTrials.map((t) => t.values as number[]), [1.1, 11]);
}

const generationOf = (t: { systemAttrs: Readonly<Record<string, unknown>> }): unknown => t.systemAttrs['nsga2:generation'];

describe('NSGAIISampler', () => {
  it('finds a larger hypervolume than random search on ZDT1 in 400 trials, for 3 seeds out of 3', async () => {
    for (const seed of [0, 1, 2]) {
      const nsga = await zdt1Hypervolume(new NSGAIISampler({ seed, populationSize: 20 }), 400);
      const random = await zdt1Hypervolume(new RandomSampler({ seed }), 400);
      expect(nsga).toBeGreaterThan(random);
    }
  });

  it('tags trials with generations of populationSize trials, the first one random', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 3, populationSize: 10 }) });
    await study.optimize(zdt1, { nTrials: 35 });
    expect(study.trials.map(generationOf)).toEqual(Array.from({ length: 35 }, (_, i) => Math.floor(i / 10)));
  });

  it('without mutation, every child parameter is a value of the previous generations (uniform crossover of parents)', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 5, populationSize: 8, mutationProb: 0 }) });
    await study.optimize(zdt1, { nTrials: 40 });
    for (const child of study.trials.slice(8)) {
      const g = generationOf(child) as number;
      const earlier = study.trials.filter((t) => (generationOf(t) as number) < g);
      for (const [name, value] of Object.entries(child.params)) expect(earlier.map((t) => t.params[name])).toContain(value);
    }
  });

  it('crossoverProb 0 copies one parent whole; crossoverProb 1 mixes two', async () => {
    const children = async (crossoverProb: number): Promise<{ whole: number; mixed: number }> => {
      const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 8, populationSize: 8, mutationProb: 0, crossoverProb }) });
      await study.optimize(zdt1, { nTrials: 40 });
      let whole = 0;
      for (const child of study.trials.slice(8)) {
        const earlier = study.trials.slice(0, child.number);
        if (earlier.some((t) => Object.entries(child.params).every(([k, v]) => t.params[k] === v))) whole++;
      }
      return { whole, mixed: 32 - whole };
    };
    expect(await children(0)).toEqual({ whole: 32, mixed: 0 });
    expect((await children(1)).mixed).toBeGreaterThan(16);
  });

  it('with every parameter mutating, children are as random as generation 0 (no parent value is reused)', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 6, populationSize: 8, mutationProb: 1 }) });
    await study.optimize(zdt1, { nTrials: 24 });
    const parents = new Set(study.trials.slice(0, 8).flatMap((t) => Object.values(t.params)));
    for (const child of study.trials.slice(8)) for (const v of Object.values(child.params)) expect(parents.has(v)).toBe(false);
  });

  it('selects on a single objective too (a genetic algorithm): the median of each last generation is under half the random first generation’s, for 5 seeds of 5', async () => {
    const sphere = (t: Trial): number => [0, 1, 2, 3].reduce((s, i) => s + (t.suggestFloat(`x${i}`, -5, 5) - 1) ** 2, 0);
    for (const seed of [0, 1, 2, 3, 4]) {
      const study = await createStudy({ storage: 'memory:', sampler: new NSGAIISampler({ seed, populationSize: 10 }) });
      await study.optimize(sphere, { nTrials: 200 });
      const median = (g: number): number => {
        const values = study.trials.filter((t) => generationOf(t) === g).map((t) => t.value as number).sort((a, b) => a - b);
        return ((values[4] as number) + (values[5] as number)) / 2;
      };
      expect(median(19)).toBeLessThan(median(0) / 2);
    }
  });

  it('continues the same way after a resume: a new sampler rebuilds the parents from the stored generations', async () => {
    const name = `nsga-resume-${Date.now()}`;
    const make = (): NSGAIISampler => new NSGAIISampler({ seed: 4, populationSize: 6 });
    const full = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: make() });
    await full.optimize(zdt1, { nTrials: 30 });
    const first = await createStudy({ name, storage: 'memory:', directions: ['minimize', 'minimize'], sampler: make() });
    await first.optimize(zdt1, { nTrials: 13 });
    const resumed = await createStudy({ name, storage: 'memory:', directions: ['minimize', 'minimize'], sampler: make(), loadIfExists: true });
    await resumed.optimize(zdt1, { nTrials: 17 });
    expect(resumed.trials.map((t) => t.params)).toEqual(full.trials.map((t) => t.params));
  });

  it('stores constraints on COMPLETE trials and, with them, ends with more feasible children than random search', async () => {
    // Feasible only where x0 + x1 ≥ 0.8: far from ZDT1's front at x1..x5 = 0, so selection must trade off.
    const constraintsFunc = (t: { params: Readonly<Record<string, unknown>> }): number[] => [0.8 - (t.params['x0'] as number) - (t.params['x1'] as number)];
    const feasibleShare = async (sampler: Sampler): Promise<number> => {
      const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler });
      await study.optimize(zdt1, { nTrials: 200 });
      const last = study.trials.slice(100);
      for (const t of last) expect(t.systemAttrs['constraints'] === undefined).toBe(sampler instanceof RandomSampler);
      return last.filter((t) => constraintsFunc(t)[0]! <= 0).length / last.length;
    };
    expect(await feasibleShare(new NSGAIISampler({ seed: 1, populationSize: 20, constraintsFunc }))).toBeGreaterThan(await feasibleShare(new RandomSampler({ seed: 1 })));
  });

  it('keeps going when objectives diverge: NaN and Infinity trials fail and are left out of the parents', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 2, populationSize: 6 }) });
    await study.optimize(
      (t) => {
        const [a, b] = zdt1(t);
        const x2 = t.params['x2'] as number;
        if (x2 > 0.8) return [Number.NaN, b];
        return x2 > 0.6 ? [Infinity, b] : [a, b];
      },
      { nTrials: 60 },
    );
    const failed = study.trials.filter((t) => t.state === 'FAIL');
    expect(failed.length).toBeGreaterThan(0);
    expect(Math.max(...study.trials.map((t) => generationOf(t) as number))).toBeGreaterThanOrEqual(3);
    // Generations fill with COMPLETE trials only: each full generation has 6 of them.
    for (let g = 0; g < 3; g++) expect(study.trials.filter((t) => generationOf(t) === g && t.state === 'COMPLETE')).toHaveLength(6);
    for (const t of study.bestTrials) expect(Number.isFinite(t.values![0])).toBe(true);
  });

  it('a constraintsFunc that returns NaN is refused with the trial and the fix', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new NSGAIISampler({ seed: 1, constraintsFunc: () => [Number.NaN] }) });
    await expect(study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 })).rejects.toThrow(/NSGAIISampler constraintsFunc returned NaN as constraint 0 of trial 0; return an array of finite numbers/);
    // The trial itself is stored as it finished.
    expect(study.trials[0]?.state).toBe('COMPLETE');
  });

  it('prints its options only: no trialFinishing hook unless constraintsFunc is given', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(new NSGAIISampler({ seed: 1 }))).not.toContain('trialFinishing');
    expect(inspect(new TPESampler({ seed: 1 }))).not.toContain('trialFinishing');
    expect(typeof new NSGAIISampler({ seed: 1, constraintsFunc: () => [0] }).trialFinishing).toBe('function');
  });

  it.each([
    [{ populationSize: 1 }, /populationSize must be a whole number >= 2/],
    [{ populationSize: 2.5 }, /populationSize must be a whole number >= 2/],
    [{ mutationProb: 1.5 }, /mutationProb must be a probability between 0 and 1, got 1.5/],
    [{ crossoverProb: -0.1 }, /crossoverProb must be a probability/],
    [{ swappingProb: Number.NaN }, /swappingProb must be a probability/],
    [{ seed: Infinity }, /seed must be a finite number/],
    [{ constraintsFunc: 'x <= 1' }, /constraintsFunc must be a function/],
    [{ crossover: 'sbx' }, /crossover must be a crossover object such as new SBXCrossover\(\)/],
    [{ crossover: { cross: () => new Float64Array(0), nParents: 1, name: 'x' } }, /nParents >= 2/],
    [{ populationSize: 2, crossover: new SPXCrossover() }, /populationSize \(2\) must be at least the spx crossover's 3 parents/],
  ])('refuses %j with an error naming the option', (options, message) => {
    expect(() => new NSGAIISampler(options as never)).toThrow(InvalidOptionError);
    expect(() => new NSGAIISampler(options as never)).toThrow(message);
  });
});

describe('NSGAIISampler crossovers', () => {
  const crossovers: [string, Crossover][] = [
    ['uniform', new UniformCrossover()],
    ['sbx', new SBXCrossover()],
    ['vsbx', new VSBXCrossover()],
    ['blx-alpha', new BLXAlphaCrossover()],
    ['spx', new SPXCrossover()],
    ['undx', new UNDXCrossover()],
  ];

  // ZDT1 with its Pareto set moved inside the box (x1..x5 = 0.6): UNDX and SPX spread children about the
  // parents' centre and, like Optuna's, redraw those that leave the box, so an optimum on the boundary
  // (plain ZDT1) is a test of the boundary rule rather than of the crossover.
  function zdt1Inside(t: Trial): [number, number] {
    const x = Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
    const f1 = x[0] as number;
    const g = 1 + (9 / 5) * x.slice(1).reduce((a, b) => a + Math.abs(b - 0.6), 0);
    return [f1, g * (1 - Math.sqrt(f1 / g))];
  }
  async function hv(sampler: Sampler): Promise<{ hv: number; study: Awaited<ReturnType<typeof createStudy>> }> {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler });
    await study.optimize(zdt1Inside, { nTrials: 400 });
    return { hv: hypervolume(study.bestTrials.map((t) => t.values as number[]), [1.1, 11]), study };
  }

  it.each(crossovers)('%s: beats random search on ZDT1 (Pareto set inside) in 400 trials, seed 0, every child inside the ranges', async (_name, crossover) => {
    const { hv: ours, study } = await hv(new NSGAIISampler({ seed: 0, populationSize: 20, crossover }));
    for (const t of study.trials) for (const v of Object.values(t.params)) expect((v as number) >= 0 && (v as number) <= 1).toBe(true);
    const random = (await hv(new RandomSampler({ seed: 0 }))).hv;
    expect(ours).toBeGreaterThan(random);
  });

  it('a crossover makes children between and around the parents, not copies: SBX children differ from every parent value', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 4, populationSize: 8, crossoverProb: 1, mutationProb: 0, crossover: new SBXCrossover({ eta: 2 }) }) });
    await study.optimize(zdt1, { nTrials: 40 });
    const before = new Set(study.trials.slice(0, 8).map((t) => t.params['x0']));
    const children = study.trials.slice(8, 16).map((t) => t.params['x0']);
    // Uniform crossover could only reuse generation 0's values; SBX draws new ones (each a child with chance 1/2).
    expect(children.filter((v) => !before.has(v)).length).toBeGreaterThan(0);
  });

  it('a child outside the range is made again from other parents, not clipped onto the bound (Optuna’s rule)', async () => {
    // The optimum is at the lower bound, so BLX-α children of the converging population often fall below 0.
    // Clipped, they would pile up exactly on 0; redrawn, no child lands exactly there (mutation is off,
    // and the random first generation never draws exactly 0).
    const run = async (seed: number): Promise<number[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new NSGAIISampler({ seed, populationSize: 10, crossoverProb: 1, mutationProb: 0, crossover: new BLXAlphaCrossover({ alpha: 0.5 }) }) });
      await study.optimize((t) => t.suggestFloat('x', 0, 1) + 0.1 * t.suggestFloat('y', 0, 1), { nTrials: 200 });
      return study.trials.slice(10).map((t) => t.params['x'] as number);
    };
    for (const seed of [0, 1]) {
      const xs = await run(seed);
      expect(xs.filter((x) => x === 0)).toEqual([]);
      // The population did converge on the bound (most children within 0.2 of it), so the rule was exercised;
      // clipped, 172 of seed 0's 190 children sat exactly on 0.
      expect(xs.filter((x) => x < 0.2).length).toBeGreaterThan(100);
    }
  });

  it('categorical and integer parameters go through a numeric crossover: categories from a parent, integers on their grid', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed: 2, populationSize: 6, crossover: new BLXAlphaCrossover() }) });
    await study.optimize((t) => {
      const c = t.suggestCategorical('c', ['a', 'b', 'c']);
      const n = t.suggestInt('n', 1, 100, { log: true });
      const x = t.suggestFloat('x', -1, 1, { step: 0.1 });
      return [n + (c === 'a' ? 0 : 1), Math.abs(x)];
    }, { nTrials: 60 });
    for (const t of study.trials) {
      expect(['a', 'b', 'c']).toContain(t.params['c']);
      expect(Number.isInteger(t.params['n'])).toBe(true);
      expect(Math.abs((t.params['x'] as number) * 10 - Math.round((t.params['x'] as number) * 10))).toBeLessThan(1e-9);
    }
  });
});
