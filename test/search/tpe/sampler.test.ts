import { describe, expect, it } from 'vitest';
import { createStudy, InvalidOptionError, RandomSampler, TPESampler, type FrozenTrial, type Sampler, type StudyView, type Trial } from '../../../src/index.js';
import { TrialHistory } from '../../../src/search/samplers/tpe/history.js';
import { goodTrialNumbers } from '../../../src/search/samplers/tpe/split.js';
import { floatDistribution } from '../../../src/trial/distributions.js';

const quadratic = (t: Trial): number => (t.suggestFloat('x', -10, 10) - 3.3) ** 2 + (t.suggestFloat('y', -10, 10) + 1.7) ** 2;

async function bestOf(sampler: Sampler, nTrials: number): Promise<number> {
  const study = await createStudy({ storage: 'memory:', sampler });
  await study.optimize(quadratic, { nTrials });
  return study.bestValue;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return ((s[4] as number) + (s[5] as number)) / 2;
}

/** A StudyView over a real study's view whose finishedTrials counts reads of each element. */
function countingView(view: StudyView, reads: Map<number, number>): StudyView {
  const finished = new Proxy(view.finishedTrials, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.set(Number(key), (reads.get(Number(key)) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  return {
    name: view.name,
    directions: view.directions,
    get trials() {
      return view.trials;
    },
    finishedTrials: finished,
    runningTrials: () => view.runningTrials(),
    paramDistributions: view.paramDistributions,
    stop: () => view.stop(),
  };
}

describe('TPESampler', () => {
  it('beats random search on a quadratic by a margin chance cannot give (10 paired seeds)', async () => {
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      tpe.push(await bestOf(new TPESampler({ seed }), 200));
      random.push(await bestOf(new RandomSampler({ seed }), 200));
    }
    // Paired sign test: if TPE were no better, P(it wins >= 9 of 10 seeds) = 11/1024 ≈ 1%.
    const wins = tpe.filter((v, i) => v < (random[i] as number)).length;
    expect(wins).toBeGreaterThanOrEqual(9);
    expect(median(tpe)).toBeLessThan(median(random) / 5);
  });

  it('reads each finished trial once, however many times it samples (incremental history)', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(quadratic, { nTrials: 60 });
    const reads = new Map<number, number>();
    const view = countingView(study.view, reads);
    const sampler = new TPESampler({ seed: 1 });
    const trial = study.trials[59] as FrozenTrial;
    const d = floatDistribution('x', -10, 10);
    for (let i = 0; i < 5; i++) sampler.sampleIndependent(view, trial, 'x', d);
    expect(reads.size).toBe(60);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
  });

  it('counts other RUNNING trials as bad ones with constantLiar, and only then', async () => {
    const run = async (constantLiar: boolean): Promise<number[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 5, constantLiar }) });
      await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 30 });
      const xs: number[] = [];
      for (let i = 0; i < 12; i++) xs.push((await study.ask()).suggestFloat('x', -10, 10));
      return xs;
    };
    const liar = await run(true);
    const plain = await run(false);
    // The first ask sees no running trial: the same value either way; later ones differ.
    expect(liar[0]).toBe(plain[0]);
    expect(liar.slice(1)).not.toEqual(plain.slice(1));
    const spread = (xs: number[]): number => {
      const m = xs.reduce((s, v) => s + v, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
    };
    expect(spread(liar)).toBeGreaterThan(spread(plain));
  });

  it('ranks PRUNED trials after COMPLETE ones, by last step then value, and ignores FAIL trials', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
    const plan: { value?: number; reports?: [number, number][]; state?: 'PRUNED' | 'FAIL' }[] = [
      { value: 5 }, // 0
      { reports: [[0, 1], [1, 0.5]], state: 'PRUNED' }, // 1: step 1, 0.5
      { reports: [[0, 0.1]], state: 'PRUNED' }, // 2: step 0, 0.1
      { reports: [[0, 9], [1, 0.2]], state: 'PRUNED' }, // 3: step 1, 0.2
      { state: 'FAIL' }, // 4
      { value: 7 }, // 5
      { state: 'PRUNED' }, // 6: no reports
    ];
    for (const p of plan) {
      const t = await study.ask();
      t.suggestFloat('x', 0, 1);
      for (const [step, v] of p.reports ?? []) t.report(v, step);
      await study.tell(t, p.state ?? (p.value as number));
    }
    const history = new TrialHistory(['minimize']);
    history.sync(study.view);
    expect(history.size).toBe(6);
    expect([...history.numbers]).toEqual([0, 1, 2, 3, 5, 6]);
    expect([...goodTrialNumbers(history, 3)].sort()).toEqual([0, 3, 5]);
    expect([...goodTrialNumbers(history, 5)].sort()).toEqual([0, 1, 2, 3, 5]);
  });

  it('keeps observations in trial-number order when trials finish out of order', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
    const trials = [await study.ask(), await study.ask(), await study.ask()];
    for (const t of trials) t.suggestFloat('x', 0, 1);
    await study.tell(trials[2] as Trial, 1);
    await study.tell(trials[0] as Trial, 2);
    await study.tell(trials[1] as Trial, 3);
    const history = new TrialHistory(['minimize']);
    history.sync(study.view);
    expect([...history.numbers]).toEqual([0, 1, 2]);
    expect([...(history.column('x') as Float64Array)]).toEqual(study.trials.map((t) => t.params['x']));
  });

  it('samples the shared parameters jointly with multivariate, and conditional ones independently', async () => {
    const sampler = new TPESampler({ seed: 2, multivariate: true, nStartupTrials: 5 });
    const study = await createStudy({ storage: 'memory:', sampler });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', -5, 5);
        const kind = t.suggestCategorical('kind', ['a', 'b']);
        const z = kind === 'a' ? t.suggestFloat('za', 0, 1) : t.suggestInt('zb', 1, 4);
        return x * x + z;
      },
      { nTrials: 30 },
    );
    const trial = study.trials[29] as FrozenTrial;
    const space = sampler.inferRelativeSearchSpace(study.view);
    expect(Object.keys(space)).toEqual(['kind', 'x']);
    const joint = sampler.sampleRelative(study.view, trial, space);
    expect(Object.keys(joint).sort()).toEqual(['kind', 'x']);
    expect([0, 1]).toContain(joint['kind']);
    expect(Math.abs(joint['x'] as number)).toBeLessThanOrEqual(5);
    // Below the start-up count nothing is sampled jointly.
    const fresh = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 2, multivariate: true }) });
    await fresh.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    const s2 = fresh.sampler.inferRelativeSearchSpace(fresh.view, fresh.trials[2] as FrozenTrial);
    expect(fresh.sampler.sampleRelative(fresh.view, fresh.trials[2] as FrozenTrial, s2)).toEqual({});
  });

  it('optimises two objectives with MOTPE and finds a spread-out Pareto front', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new TPESampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        const y = t.suggestFloat('y', 0, 1);
        return [x + y * y, 1 - x + y * y];
      },
      { nTrials: 60 },
    );
    const front = study.bestTrials;
    expect(front.length).toBeGreaterThan(5);
    const ys = front.map((t) => t.params['y'] as number);
    expect(Math.max(...ys)).toBeLessThan(0.5);
  });

  it('validates its options when constructed', () => {
    expect(() => new TPESampler({ nStartupTrials: -1 })).toThrow(InvalidOptionError);
    expect(() => new TPESampler({ nEiCandidates: 0 })).toThrow(/nEiCandidates must be a whole number >= 1, got 0/);
    expect(() => new TPESampler({ priorWeight: 0 })).toThrow(/priorWeight must be a positive number/);
    expect(() => new TPESampler({ multivariate: 'yes' as unknown as boolean })).toThrow(/multivariate must be true or false/);
    expect(() => new TPESampler({ gamma: 3 as unknown as (n: number) => number })).toThrow(/gamma must be a function/);
  });

  it('reports a gamma function that returns something unusable', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 0, nStartupTrials: 2, gamma: () => 1.5 }) });
    await expect(study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 5 })).rejects.toThrow(/gamma\(2\) returned 1.5/);
  });

});
