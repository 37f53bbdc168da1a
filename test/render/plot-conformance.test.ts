import { describe, expect, it } from 'vitest';
import { createStudy, DirectionsError, InvalidOptionError, plot, RandomSampler, writeHtmlReport } from '../../src/index.js';
import { plotConformance, plotSource } from '../../src/testing/index.js';
import { contourData } from '../../src/render/plot/contour.js';
import { edfData } from '../../src/render/plot/edf.js';
import { historyData } from '../../src/render/plot/history.js';
import { hypervolume, hypervolumeData } from '../../src/render/plot/hypervolume.js';
import { parallelData } from '../../src/render/plot/parallel.js';
import { sliceData } from '../../src/render/plot/slice.js';
import { timelineData } from '../../src/render/plot/timeline.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const d = (display: false | object) => ({ display: display as never });
const first = { target: (t: { values?: readonly number[] | undefined }) => t.values?.[0] as number, targetName: 'loss' };

plotConformance('history', (s, display) => plot.history(s, d(display)));
plotConformance('parallel', (s, display) => plot.parallel(s, d(display)));
plotConformance('importance', (s, display) => plot.importance(s, d(display)));
plotConformance('intermediate', (s, display) => plot.intermediate(s, d(display)));
plotConformance('slice', (s, display) => plot.slice(s, d(display)));
plotConformance('rank', (s, display) => plot.rank(s, d(display)));
plotConformance('contour', (s, display) => plot.contour(s, { ...d(display), params: ['x', 'lr'] }));
plotConformance('contour of a categorical', (s, display) => plot.contour(s, { ...d(display), params: ['x', '<img' + 'name'] }));
plotConformance('edf of two studies', (s, display) => plot.edf([s, { ...s, name: 'other <i>' }], d(display)));
plotConformance('timeline', (s, display) => plot.timeline(s, d(display)));
plotConformance('hypervolume', (s, display) => plot.hypervolume(s, d(display)), { directions: ['minimize', 'maximize'] });
plotConformance('pareto', (s, display) => plot.pareto(s, d(display)), { directions: ['minimize', 'maximize'] });
plotConformance('history with a target', (s, display) => plot.history(s, { ...d(display), ...first }), { directions: ['minimize', 'maximize'] });
plotConformance('slice with a target', (s, display) => plot.slice(s, { ...d(display), ...first }), { directions: ['minimize', 'maximize'] });
plotConformance('contour with a target', (s, display) => plot.contour(s, { ...d(display), ...first }), { directions: ['minimize', 'maximize'] });
plotConformance('importance with a target', (s, display) => plot.importance(s, { ...d(display), ...first }), { directions: ['minimize', 'maximize'] });

describe('plot data', () => {
  it('hypervolume: exact on known fronts, and never shrinks over a study', () => {
    expect(hypervolume([[1, 1]], [2, 2])).toBe(1);
    expect(hypervolume([[0, 1], [1, 0]], [2, 2])).toBe(3);
    expect(hypervolume([[0, 0, 0]], [1, 2, 3])).toBe(6);
    expect(hypervolume([[0, 1, 1], [1, 0, 1], [1, 1, 0]], [2, 2, 2])).toBe(4);
    expect(hypervolume([[3, 3]], [2, 2])).toBe(0);
    const data = hypervolumeData(plotSource(['minimize', 'maximize']));
    for (let i = 1; i < data.points.length; i++) expect(data.points[i]!.hypervolume).toBeGreaterThanOrEqual(data.points[i - 1]!.hypervolume * (1 - 1e-12));
    expect(() => hypervolumeData(plotSource(['minimize']))).toThrow(DirectionsError);
    expect(() => hypervolumeData(plotSource(['minimize', 'minimize']), { referencePoint: [1] })).toThrow(/expected 2 finite numbers/);
  });

  it('a several-objective study needs a target, and says how to give one', () => {
    expect(() => historyData(plotSource(['minimize', 'minimize']))).toThrow(/target: \(t\) => t\.values\[0\]/);
    const withTarget = historyData(plotSource(['minimize', 'minimize']), first);
    expect(withTarget.targetName).toBe('loss');
    expect(withTarget.points.every((p) => p.best === undefined)).toBe(true);
  });

  it('slice and rank: a point per trial and parameter, ranks from 0 (best) to 1', () => {
    const src = plotSource();
    const data = sliceData(src);
    const complete = src.trials.filter((t) => t.state === 'COMPLETE');
    expect(data.points).toHaveLength(complete.length * 4);
    const best = complete.reduce((a, b) => ((a.value as number) <= (b.value as number) ? a : b));
    expect(data.points.filter((p) => p.rank === 0).every((p) => p.trial === best.number)).toBe(true);
    expect(Math.max(...data.points.map((p) => p.rank))).toBe(1);
    expect(data.axes.find((a) => a.name === 'lr')?.log).toBe(true);
    expect(() => sliceData(src, { params: ['nope'] })).toThrow(InvalidOptionError);
  });

  it('contour: interpolates exactly through the trials and within their range elsewhere', () => {
    const src = plotSource();
    const data = contourData(src, { params: ['x', 'lr'], resolution: 10 });
    expect(data.cells).toHaveLength(100);
    const values = data.points.map((p) => p.value);
    for (const c of data.cells) {
      expect(c.value).toBeGreaterThanOrEqual(Math.min(...values) - 1e-9);
      expect(c.value).toBeLessThanOrEqual(Math.max(...values) + 1e-9);
    }
    expect(() => contourData(src, { params: ['x', 'x'] })).toThrow(InvalidOptionError);
  });

  it('edf: each curve rises to 1 over its sorted values; timeline: one row per worker', () => {
    const src = plotSource();
    const data = edfData([src, { ...src, name: 'b' }]);
    for (const c of data.curves) {
      expect(c.points[c.points.length - 1]?.fraction).toBe(1);
      expect(c.points.map((p) => p.value)).toEqual([...c.points.map((p) => p.value)].sort((a, b) => a - b));
    }
    const tl = timelineData(src);
    expect(new Set(tl.bars.map((b) => b.worker))).toEqual(new Set(['worker 0', 'worker 1']));
    expect(tl.bars.every((b) => b.end >= b.start)).toBe(true);
  });

  it('parallel: the best trials are darkest and drawn last; log axes say so', async () => {
    const src = plotSource();
    const data = parallelData(src);
    expect(data.axes.map((a) => a.name)).toContain('lr (log)');
    const p = await plot.parallel(src, { display: false });
    const rows = (p.spec['layer'] as { data: { values: { rank: number }[] } }[])[0]!.data.values;
    expect(rows[rows.length - 1]?.rank).toBe(0);
    expect(rows[0]?.rank).toBe(1);
  });
});

describe('writeHtmlReport', () => {
  it('writes one self-contained page for a study (tables and plots), and refuses anything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-report-'));
    try {
      const study = await createStudy({ name: 'report <demo>', storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
      await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2 + t.suggestFloat('y', 0, 1), { nTrials: 8, progress: false });
      const file = await writeHtmlReport(study, join(dir, 'sub', 'r.html'));
      expect(existsSync(file)).toBe(true);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('report &lt;demo&gt;');
      expect(html).not.toContain('<script');
      for (const title of ['Optimization history', 'Slice', 'Parallel coordinates', 'Timeline', '<table']) expect(html).toContain(title);
      await expect(writeHtmlReport({}, join(dir, 'x.html'))).rejects.toThrow(/expected a Study or the result of tune/);
      await expect(writeHtmlReport(study, '')).rejects.toThrow(InvalidOptionError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
