import { describe, expect, it, vi } from 'vitest';
import { CmaEsSampler, createStudy, InvalidOptionError, RandomSampler, type CmaEsSamplerOptions, type FrozenTrial, type Sampler, type Trial } from '../../../src/index.js';
import { samplerConformance } from '../../../src/testing/index.js';
import { distProblem } from '../../helpers/dist.js';
import { requireOrSkip } from '../../helpers/require.js';

samplerConformance('CmaEsSampler', (seed) => new CmaEsSampler({ seed }));
samplerConformance('CmaEsSampler without restarts, population 4', (seed) => new CmaEsSampler({ seed, popsize: 4, restartStrategy: 'none' }));
samplerConformance('CmaEsSampler with margin', (seed) => new CmaEsSampler({ seed, withMargin: true }));

function rosenbrock5(t: Trial): number {
  const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, -5, 10));
  let s = 0;
  for (let i = 0; i < 4; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
}

async function best(sampler: Sampler, nTrials: number, objective: (t: Trial) => number): Promise<number> {
  const study = await createStudy({ storage: 'memory:', sampler });
  await study.optimize(objective, { nTrials });
  return study.bestValue as number;
}

describe('CmaEsSampler', () => {
  it('beats random search on Rosenbrock-5 in 150 trials, for 3 seeds out of 3', async () => {
    for (const seed of [0, 1, 2]) expect(await best(new CmaEsSampler({ seed }), 150, rosenbrock5)).toBeLessThan(await best(new RandomSampler({ seed }), 150, rosenbrock5));
  });

  it('tags each trial with its generation, a population of λ = 4 + ⌊3 ln n⌋ per generation', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 1 }) });
    await study.optimize(rosenbrock5, { nTrials: 41 });
    const gens = study.trials.slice(1).map((t) => (t.systemAttrs['cma:generation'] as [string, number, number])[2]);
    // Trial 0 is random (no shared space yet); then 8 trials per generation (n = 5).
    expect(gens).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 8)));
  });

  it('restarts with a doubled population when a run stops (IPOP)', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 2, popsize: 4 }) });
    await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2 + t.suggestFloat('y', -1, 1) ** 2, { nTrials: 600 });
    const restarts = new Set(study.trials.slice(1).map((t) => (t.systemAttrs['cma:generation'] as [string, number, number])[1]));
    expect(restarts.size).toBeGreaterThan(1);
    expect(study.bestValue as number).toBeLessThan(1e-8);
  });

  it('continues the same run after a resume: a new sampler replays the stored generations', async () => {
    const name = `cma-resume-${Date.now()}`;
    const full = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 4 }) });
    await full.optimize(rosenbrock5, { nTrials: 40 });
    const first = await createStudy({ name, storage: 'memory:', sampler: new CmaEsSampler({ seed: 4 }) });
    await first.optimize(rosenbrock5, { nTrials: 21 });
    const resumed = await createStudy({ name, storage: 'memory:', sampler: new CmaEsSampler({ seed: 4 }), loadIfExists: true });
    await resumed.optimize(rosenbrock5, { nTrials: 19 });
    expect(resumed.trials.map((t) => t.params)).toEqual(full.trials.map((t) => t.params));
  });

  it('rounds integers, keeps log parameters in range, and warns once that categorical ones are sampled at random', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 3 }) });
      await study.optimize((t) => {
        const n = t.suggestInt('n', 1, 50);
        const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
        const c = t.suggestCategorical('c', ['a', 'b']);
        return (n - 20) ** 2 + Math.log10(lr) ** 2 + (c === 'a' ? 0 : 1);
      }, { nTrials: 60 });
      for (const t of study.trials) expect(Number.isInteger(t.params['n'])).toBe(true);
      expect(study.bestValue as number).toBeLessThan(10);
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('categorical'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  // Worker threads load dist/: skipped (with the reason) where it is missing or stale, a failure in CI.
  it.skipIf(requireOrSkip(distProblem()))('runs in two worker threads', async () => {
    // Worker scripts load from dist/: run `npm run build` first.
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 5 }) });
    await study.optimize((t) => (t.suggestFloat('x', -2, 2) - 0.3) ** 2 + t.suggestFloat('y', -2, 2) ** 2, { nTrials: 30, workers: 2 });
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(study.bestValue as number).toBeLessThan(0.5);
  });

  it('rejects bad options with the field named', () => {
    expect(() => new CmaEsSampler({ sigma0: 0 })).toThrow(/sigma0 must be a positive number/);
    expect(() => new CmaEsSampler({ popsize: 1 })).toThrow(/popsize must be a whole number >= 2/);
    expect(() => new CmaEsSampler({ restartStrategy: 'bipop' as 'ipop' })).toThrow(/restartStrategy must be 'ipop' or 'none'/);
    expect(() => new CmaEsSampler({ withMargin: 'yes' as unknown as boolean })).toThrow(/withMargin must be true or false/);
  });

  it('names the field and the value for every bad option, with the typed error', () => {
    const bad: [CmaEsSamplerOptions, RegExp][] = [
      [null as unknown as CmaEsSamplerOptions, /CmaEsSampler\(options\): expected an object such as \{ seed: 1 \}/],
      ['fast' as unknown as CmaEsSamplerOptions, /expected an object/],
      [{ seed: Number.NaN }, /seed must be a finite number, got NaN/],
      [{ seed: Number.POSITIVE_INFINITY }, /seed must be a finite number, got Infinity/],
      [{ sigma0: -0.1 }, /sigma0 must be a positive number \(a step in the unit cube, e.g. 1\/6\), got -0.1/],
      [{ sigma0: Number.NaN }, /sigma0 must be a positive number.*got NaN/],
      [{ sigma0: Number.POSITIVE_INFINITY }, /sigma0 must be a positive number.*got Infinity/],
      [{ sigma0: '0.2' as unknown as number }, /sigma0 must be a positive number.*got 0.2/],
      [{ popsize: 2.5 }, /popsize must be a whole number >= 2, got 2.5/],
      [{ popsize: Number.NaN }, /popsize must be a whole number >= 2, got NaN/],
      [{ incPopsize: 0 }, /incPopsize must be a whole number >= 1, got 0/],
      [{ incPopsize: 1.5 }, /incPopsize must be a whole number >= 1, got 1.5/],
      [{ restartStrategy: 'IPOP' as 'ipop' }, /restartStrategy must be 'ipop' or 'none', got "IPOP"/],
      [{ withMargin: 1 as unknown as boolean }, /withMargin must be true or false, got 1/],
    ];
    for (const [options, message] of bad) {
      const make = (): CmaEsSampler => new CmaEsSampler(options);
      expect(make).toThrow(InvalidOptionError);
      expect(make).toThrow(message);
    }
  });

  it('takes the smallest valid values and documents its defaults', () => {
    const smallest = new CmaEsSampler({ seed: 0, popsize: 2, incPopsize: 1, sigma0: Number.MIN_VALUE, restartStrategy: 'none', withMargin: true });
    expect([smallest.seed, smallest.popsize, smallest.incPopsize, smallest.sigma0, smallest.restartStrategy, smallest.withMargin]).toEqual([0, 2, 1, Number.MIN_VALUE, 'none', true]);
    const defaults = new CmaEsSampler();
    expect(Number.isFinite(defaults.seed)).toBe(true);
    expect([defaults.sigma0, defaults.popsize, defaults.incPopsize, defaults.restartStrategy, defaults.withMargin]).toEqual([1 / 6, undefined, 2, 'ipop', false]);
  });
});

describe('CmaEsSampler restarts, and what it leaves to independent sampling', () => {
  type Tag = [string, number, number];
  const tagOf = (t: FrozenTrial): Tag | undefined => t.systemAttrs['cma:generation'] as Tag | undefined;
  // A flat objective: every generation's values are equal, so tolfun stops a run after its recorded
  // generations (10 + ⌈30·2/λ⌉) and IPOP restarts. σ0 = 0.01 keeps each generation near its mean.
  const flat = (t: Trial): number => t.suggestFloat('x', -1, 1) * 0 + t.suggestFloat('y', -1, 1) * 0;

  async function flatStudy(options: CmaEsSamplerOptions, nTrials: number): Promise<FrozenTrial[]> {
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 21, sigma0: 0.01, popsize: 4, ...options }) });
    await study.optimize(flat, { nTrials });
    return [...study.trials];
  }

  /** Unit-cube centroid of the trials of one (restart, generation). */
  function centroid(trials: readonly FrozenTrial[]): [number, number] {
    const xs = trials.map((t) => ((t.params['x'] as number) + 1) / 2);
    const ys = trials.map((t) => ((t.params['y'] as number) + 1) / 2);
    return [xs.reduce((a, b) => a + b, 0) / xs.length, ys.reduce((a, b) => a + b, 0) / ys.length];
  }

  it('IPOP: each restart multiplies λ by incPopsize and starts from a new random mean', async () => {
    const trials = await flatStudy({ incPopsize: 3 }, 260);
    const sizes = new Map<string, number>();
    for (const t of trials) {
      const tag = tagOf(t);
      if (tag !== undefined) sizes.set(`${tag[1]}/${tag[2]}`, (sizes.get(`${tag[1]}/${tag[2]}`) ?? 0) + 1);
    }
    // Restart 0 (λ = 4) runs 26 generations: tolfun needs more than 10 + ⌈60/4⌉ = 25 on record.
    expect([...sizes.keys()].filter((k) => k.startsWith('0/'))).toHaveLength(26);
    expect(sizes.get('0/0')).toBe(4);
    expect(sizes.get('1/0')).toBe(12);
    expect(sizes.get('1/5')).toBe(12);
    const generation = (restart: number): FrozenTrial[] => trials.filter((t) => tagOf(t)?.[1] === restart && tagOf(t)?.[2] === 0);
    const [x0, y0] = centroid(generation(0));
    const [x1, y1] = centroid(generation(1));
    // The first run starts at the centre of the cube; the restart elsewhere (σ0 = 0.01: a generation stays within ~0.03).
    expect(Math.hypot(x0 - 0.5, y0 - 0.5)).toBeLessThan(0.03);
    expect(Math.hypot(x1 - 0.5, y1 - 0.5)).toBeGreaterThan(0.1);
  });

  it("restartStrategy 'none': the run goes on after it would have stopped", async () => {
    const trials = await flatStudy({ restartStrategy: 'none' }, 160);
    const tags = trials.map(tagOf).filter((tag): tag is Tag => tag !== undefined);
    expect(new Set(tags.map((tag) => tag[1]))).toEqual(new Set([0]));
    expect(Math.max(...tags.map((tag) => tag[2]))).toBeGreaterThan(30);
  });

  it('samples several objectives, one-dimensional spaces and the first trial independently, and warns only about categorical parameters', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const twoObjectives = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new CmaEsSampler({ seed: 1 }) });
      await twoObjectives.optimize((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)], { nTrials: 12 });
      const oneDimension = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 1 }) });
      await oneDimension.optimize((t) => t.suggestFloat('x', 0, 1) ** 2, { nTrials: 12 });
      const floats = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 1 }) });
      await floats.optimize((t) => t.suggestFloat('x', 0, 1) ** 2 + t.suggestFloat('y', 0, 1) ** 2, { nTrials: 12 });
      expect(twoObjectives.trials.filter((t) => tagOf(t) !== undefined)).toHaveLength(0);
      expect(oneDimension.trials.filter((t) => tagOf(t) !== undefined)).toHaveLength(0);
      expect(floats.trials.map((t) => tagOf(t) !== undefined)).toEqual([false, ...Array.from({ length: 11 }, () => true)]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('CmaEsSampler with margin (integers and stepped floats)', () => {
  // Two steep floats and one integer that barely matters: plain CMA-ES shrinks σ for the floats and the
  // integer freezes on whatever value it rounds to; the margin keeps trying its neighbours.
  const steep = (t: Trial): number => 1000 * t.suggestFloat('x', -1, 1) ** 2 + 1000 * t.suggestFloat('y', -1, 1) ** 2 + 1e-3 * Math.abs(t.suggestInt('k', 0, 20) - 7);

  it('keeps trying the integer’s neighbours after σ has shrunk, where plain CMA-ES freezes it (10 seeds)', async () => {
    const late = async (seed: number, withMargin: boolean): Promise<number> => {
      const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed, withMargin, restartStrategy: 'none' }) });
      await study.optimize(steep, { nTrials: 400 });
      return new Set(study.trials.slice(-100).map((t) => t.params['k'] as number)).size;
    };
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const plain: number[] = [];
    const margin: number[] = [];
    for (const seed of seeds) {
      plain.push(await late(seed, false));
      margin.push(await late(seed, true));
    }
    // Measured: plain CMA-ES left k on one value for its last 100 trials in 8 seeds of 10; with margin every
    // seed tried 3 to 21 values.
    expect(plain.filter((size) => size === 1).length).toBeGreaterThanOrEqual(7);
    expect(Math.min(...margin)).toBeGreaterThanOrEqual(3);
  });

  it('reaches every value of an integer and a stepped float, the grid ends included', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 5, withMargin: true }) });
    // Best at the top of both grids: a = 2 (of 0, 1, 2) and s = 2 (of 0, 0.5, …, 2).
    await study.optimize((t) => 2 - t.suggestInt('a', 0, 2) + (2 - t.suggestFloat('s', 0, 2, { step: 0.5 })), { nTrials: 80 });
    expect(study.bestParams).toEqual({ a: 2, s: 2 });
    expect(new Set(study.trials.map((t) => t.params['s']))).toEqual(new Set([0, 0.5, 1, 1.5, 2]));
  });

  it('a resumed study draws the same points: the raw points are drawn again from the stored generations', async () => {
    const mixed = (t: Trial): number => (t.suggestInt('a', -10, 10) - 3) ** 2 + (t.suggestFloat('s', 0, 2, { step: 0.25 }) - 1.25) ** 2 + t.suggestFloat('x', -3, 3) ** 2 + (t.suggestInt('lg', 1, 1024, { log: true }) - 64) ** 2 / 1e4;
    const full = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed: 6, withMargin: true }) });
    await full.optimize(mixed, { nTrials: 60 });
    const name = `cmawm-resume-${Date.now()}`;
    const first = await createStudy({ name, storage: 'memory:', sampler: new CmaEsSampler({ seed: 6, withMargin: true }) });
    await first.optimize(mixed, { nTrials: 27 });
    const resumed = await createStudy({ name, storage: 'memory:', sampler: new CmaEsSampler({ seed: 6, withMargin: true }), loadIfExists: true });
    await resumed.optimize(mixed, { nTrials: 33 });
    expect(resumed.trials.map((t) => t.params)).toEqual(full.trials.map((t) => t.params));
    // Stepped and log-integer values stay on their grids.
    for (const t of full.trials) {
      expect(((t.params['s'] as number) * 4) % 1).toBe(0);
      expect(Number.isInteger(t.params['lg'])).toBe(true);
    }
  });

  it('a trial whose parameters the user fixed is told its own point, not the draw it replaced', async () => {
    // A small σ around the centre, and the user enqueues the far corner, which is the optimum. Told as its
    // own point, the best of generation 0 lies far outside the distribution and the next generation spreads
    // out towards it; told as the draw it replaced, the next generation would stay within ±3 of a = 10.
    const f = (t: Trial): number => (t.suggestInt('a', 0, 20) - 20) ** 2 + 100 * (t.suggestFloat('x', -1, 1) + 1) ** 2;
    for (const seed of [0, 1, 2]) {
      const study = await createStudy({ storage: 'memory:', sampler: new CmaEsSampler({ seed, popsize: 4, sigma0: 0.05, withMargin: true }) });
      await study.optimize(f, { nTrials: 3 });
      await study.enqueueTrial({ a: 20, x: -1 });
      await study.optimize(f, { nTrials: 6 });
      const tag = (n: number): number | undefined => (study.trials[n]?.systemAttrs['cma:generation'] as [string, number, number] | undefined)?.[2];
      expect([1, 2, 3, 4].map(tag)).toEqual([0, 0, 0, 0]);
      expect(study.trials[3]?.params).toEqual({ a: 20, x: -1 });
      const next = study.trials.slice(5, 9);
      expect(next.map((t) => tag(t.number))).toEqual([1, 1, 1, 1]);
      expect(Math.max(...next.map((t) => Math.abs((t.params['a'] as number) - 10))), `seed ${seed}`).toBeGreaterThanOrEqual(5);
    }
  });
});
