import { MemoryMonitor } from '../../src/monitor/memory-monitor.js';
import { describe, expect, it } from 'vitest';
import { createStudy, DirectionsError, plot, Plot, RandomSampler, TPESampler, TrialPruned } from '../../src/index.js';
import { historyData } from '../../src/render/plot/history.js';
import { intermediateData } from '../../src/render/plot/intermediate.js';
import { memoryData } from '../../src/render/plot/memory.js';
import { parallelData } from '../../src/render/plot/parallel.js';
import { paretoData } from '../../src/render/plot/pareto.js';
import { inspect } from 'node:util';

let counter = 0;
async function quadratic(nTrials = 20) {
  const study = await createStudy({ name: `quad-${counter++}`, storage: 'memory:', sampler: new RandomSampler({ seed: 4 }) });
  await study.optimize(
    (t) => {
      const x = t.suggestFloat('x', -2, 2);
      const lr = t.suggestFloat('lr', 1e-3, 1, { log: true });
      const opt = t.suggestCategorical('opt', ['adam', 'sgd']);
      for (let s = 0; s < 4; s++) t.report(x * x + 1 / (s + 1), s);
      if (t.number % 5 === 4) throw new TrialPruned();
      return x * x + lr + (opt === 'sgd' ? 1 : 0);
    },
    { nTrials },
  );
  return study;
}

describe('plot data', () => {
  it('history: one point per COMPLETE trial and a best-so-far that never gets worse', async () => {
    const study = await quadratic();
    const data = historyData(study);
    const complete = study.trials.filter((t) => t.state === 'COMPLETE');
    expect(data.points.map((p) => p.trial)).toEqual(complete.map((t) => t.number));
    let best = Infinity;
    for (const p of data.points) {
      best = Math.min(best, p.value);
      expect(p.best).toBe(best);
    }
    expect(data.points[data.points.length - 1]?.best).toBe(study.bestValue);
  });

  it('history: infeasible trials are marked, drawn grey, and never the best (as Optuna 4)', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 2, constraintsFunc: (t) => [(t.params['x'] as number) - 0.5] }) });
    for (const x of [0.9, 0.3, 0.8, 0.45]) await study.enqueueTrial({ x });
    await study.optimize((t) => 1 - t.suggestFloat('x', 0, 1), { nTrials: 4 });
    const data = historyData(study);
    expect(data.points.map((p) => p.feasible)).toEqual([false, true, false, true]);
    // 0.1 and 0.2 (x = 0.9, 0.8) are lower but infeasible; nothing is best before trial 1.
    expect(data.points.map((p) => p.best)).toEqual([undefined, 0.7, 0.7, 0.55]);
    expect(data.points[3]?.best).toBe(study.bestValue);
    const svg = (await plot.history(study, { display: false })).svg;
    expect(svg).toContain('infeasible trial');
    expect(svg).toContain('#b0b7bf');
  });

  it('history chooses a log axis only for positive values spanning decades', () => {
    const trial = (number: number, value: number) => ({ number, state: 'COMPLETE', value, values: [value], params: {}, distributions: {}, intermediateValues: {}, userAttrs: {}, systemAttrs: {} }) as never;
    const source = (values: number[]) => ({ name: 's', directions: ['minimize' as const], trials: values.map((v, i) => trial(i, v)) });
    expect(historyData(source([1000, 10, 0.5])).logScale).toBe(true);
    expect(historyData(source([3, 2, 1])).logScale).toBe(false);
    expect(historyData(source([1000, -1])).logScale).toBe(false);
  });

  it('intermediate: learning curves by step with each trial state', async () => {
    const study = await quadratic();
    const data = intermediateData(study);
    expect(data.curves).toHaveLength(20);
    expect(data.curves.filter((c) => c.state === 'PRUNED').map((c) => c.trial)).toEqual([4, 9, 14, 19]);
    expect(data.curves[0]?.points.map((p) => p.step)).toEqual([0, 1, 2, 3]);
  });

  it('parallel: every position in [0, 1], log axes in log space, categoricals at their choice', async () => {
    const study = await quadratic();
    const data = parallelData(study);
    expect(data.axes.map((a) => a.name)).toEqual(['objective value', 'lr (log)', 'opt', 'x']);
    for (const line of data.lines) for (const p of line.positions) expect(p).toBeGreaterThanOrEqual(0), expect(p).toBeLessThanOrEqual(1);
    const lrs = study.trials.filter((t) => t.state === 'COMPLETE').map((t) => t.params['lr'] as number);
    const lo = Math.min(...lrs);
    const hi = Math.max(...lrs);
    const line = data.lines[0];
    const lr = study.trials[line?.trial ?? 0]?.params['lr'] as number;
    expect(line?.positions[1]).toBeCloseTo(Math.log(lr / lo) / Math.log(hi / lo), 10);
    const opt = study.trials[line?.trial ?? 0]?.params['opt'];
    expect(line?.positions[2]).toBe(opt === 'adam' ? 0 : 1);
    expect(data.axes[2]?.ticks.map((t) => t.label)).toEqual(['adam', 'sgd']);
  });

  it('pareto: front marked, and a clear error for a single-objective study', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => {
      const a = t.suggestFloat('a', 0, 1);
      return [a, 1 - a + t.suggestFloat('b', 0, 0.5)];
    }, { nTrials: 30 });
    const data = paretoData(study);
    expect(data.points.filter((p) => p.front).map((p) => p.trial).sort((a, b) => a - b)).toEqual(study.bestTrials.map((t) => t.number).sort((a, b) => a - b));
    await expect(plot.pareto(await quadratic(), { display: false })).rejects.toThrow(DirectionsError);
    await expect(plot.history(study, { display: false })).rejects.toThrow(/plot.pareto/);
  });

  it('memory: seconds from the first sample, MiB, peaks per series', () => {
    const MiB = 1024 * 1024;
    const data = memoryData([
      { t: 2000, rss: 200 * MiB, heapUsed: 50 * MiB },
      { t: 1000, rss: 100 * MiB, heapUsed: 40 * MiB },
    ]);
    expect(data.series).toEqual(['rss', 'heapUsed']);
    expect(data.points[0]).toEqual({ seconds: 0, series: 'rss', mib: 100 });
    expect(data.peakMiB).toEqual({ rss: 200, heapUsed: 50 });
  });
});

describe('plot.memory from the monitor', () => {
  it('takes a MemoryMonitor, converting its MB samples and worker heaps to series', async () => {
    const monitor = new MemoryMonitor({ warn: false });
    monitor.reportWorker('w1', { heapUsedMiB: 12 });
    monitor.sample();
    monitor.reportWorker('w1', { heapUsedMiB: 30 });
    monitor.sample();
    const data = memoryData(monitor);
    expect(data.series).toEqual(expect.arrayContaining(['rss', 'heapUsed', 'worker w1 heap']));
    expect(data.peakMiB['worker w1 heap']).toBeCloseTo(30);
    expect(data.peakMiB['rss']).toBeCloseTo(monitor.latest!.rssMiB, 0);
    const svg = (await plot.memory(monitor)).svg;
    expect(svg).toMatch(/<svg/);
    expect(svg).toMatch(/worker w1 heap/);
  });
});

describe('plots as SVG', () => {
  it('compiles every plot to a static SVG with its title and axis labels, no script', async () => {
    const study = await quadratic();
    const pareto = await createStudy({ storage: 'memory:', directions: ['minimize', 'maximize'] });
    await pareto.optimize((t) => [t.suggestFloat('a', 0, 1), t.suggestFloat('b', 0, 1)], { nTrials: 10 });
    const plots = [
      [await plot.history(study, { display: false }), 'Optimization history'],
      [await plot.intermediate(study, { display: false }), 'Intermediate values'],
      [await plot.parallel(study, { display: false }), 'Parallel coordinates'],
      [await plot.importance(study, { display: false }), 'Parameter importance'],
      [await plot.pareto(pareto, { display: false }), 'Pareto front'],
      [await plot.memory([{ t: 0, rss: 1e8 }, { t: 1000, rss: 2e8 }], { display: false }), 'Memory'],
    ] as const;
    for (const [p, title] of plots) {
      expect(p).toBeInstanceOf(Plot);
      expect(p.svg.startsWith('<svg')).toBe(true);
      expect(p.svg).toContain(title);
      expect(p.svg).not.toContain('<script');
      expect(String(p)).toBe(p.svg);
      expect(inspect(p)).toMatch(new RegExp(`^Plot\\(${p.kind}: \\d+×\\d+ SVG`));
    }
    // The parallel plot labels its categorical axis with the choices.
    expect(plots[2][0].svg).toContain('>adam<');
  });

  it('rejects a value that is not a study with a message naming the plot', async () => {
    await expect(plot.history(42 as never)).rejects.toThrow(/plot\.history\(study\): expected a Study/);
  });
});
