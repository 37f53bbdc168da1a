import { describe, expect, it } from 'vitest';
import { createStudy, data, RandomSampler, textRenderer, toDocument, TPESampler, TrialPruned } from '../../src/index.js';
import { formatBytes, formatCell, formatDuration, formatNumber } from '../../src/render/format.js';
import { studyDocument } from '../../src/render/view-models/study.js';
import { trialsTable } from '../../src/render/view-models/trials.js';
import type { Table } from '../../src/render/table.js';

describe('number formatting for reading', () => {
  it('uses 6 significant digits, grouping and exponents only at the extremes', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(123456.789)).toBe('123,457');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(2.5e12)).toBe('2.5e+12');
    expect(formatNumber(-3)).toBe('-3');
    expect(formatNumber(Infinity)).toBe('∞');
  });
  it('formats durations and bytes', () => {
    expect(formatDuration(532)).toBe('532 ms');
    expect(formatDuration(1240)).toBe('1.24 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatBytes(1536 * 1024 * 1024)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});

function column(table: Table, label: string): number {
  return table.columns.findIndex((c) => c.label === label);
}

describe('study and trials tables', () => {
  it('has value, params, duration, user attrs, fail reason and cached columns with typed cells', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 5 }) });
    await study.enqueueTrial({ x: 0.5 }, { systemAttrs: { cached: true } });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        const layers = trial.suggestInt('layers', 1, 4);
        trial.setUserAttr('epochs', 3);
        if (trial.number === 1) throw new RangeError('diverged');
        if (trial.number === 2) {
          trial.report(0.9, 1);
          throw new TrialPruned();
        }
        return x * layers;
      },
      { nTrials: 6, catch: true },
    );
    const table = trialsTable(study.trials, { directions: study.directions });
    expect(table.columns.map((c) => c.label)).toEqual(['#', 'state', 'value (min)', 'x', 'layers', 'duration', 'epochs', 'fail reason', 'cached']);
    expect(table.columns[column(table, 'x')]?.group).toBe('params');
    expect(table.columns[column(table, 'epochs')]?.group).toBe('user attrs');
    expect(table.columns[column(table, 'value (min)')]?.align).toBe('right');
    const row = (n: number): readonly unknown[] => table.rows[n] ?? [];
    expect(row(0)[column(table, 'cached')]).toEqual({ kind: 'bool', value: true });
    expect(row(0)[column(table, 'x')]).toEqual({ kind: 'number', value: 0.5 });
    expect(row(1)[column(table, 'state')]).toEqual({ kind: 'state', value: 'FAIL' });
    expect(formatCell(row(1)[column(table, 'fail reason')] as never)).toBe('RangeError: diverged');
    expect(row(2)[column(table, 'state')]).toEqual({ kind: 'state', value: 'PRUNED' });
    expect(row(3)[column(table, 'layers')]).toMatchObject({ kind: 'integer' });
    expect(row(3)[column(table, 'duration')]).toMatchObject({ kind: 'duration' });

    const summary = studyDocument(study).blocks[0];
    expect(summary?.kind).toBe('summary');
    const text = textRenderer.render(studyDocument(study));
    expect(text).toContain(`best value`);
    expect(text).toContain(`${study.trials.length} (`);
    expect(text).toContain('1 FAIL');
  });

  it('leaves out the failReason and cached columns when no trial has them, and names objectives', async () => {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'maximize'] });
    await study.optimize((t) => [t.suggestFloat('a', 0, 1), t.suggestFloat('b', 0, 1)], { nTrials: 3 });
    const table = trialsTable(study.trials, { directions: study.directions });
    expect(table.columns.map((c) => c.label)).toEqual(['#', 'state', 'value 0 (min)', 'value 1 (max)', 'a', 'b', 'duration']);
    expect(textRenderer.render(studyDocument(study))).toContain('Pareto front');
  });

  it('adds a feasible column when trials carry constraints', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new TPESampler({ seed: 1, constraintsFunc: (t) => [(t.params['x'] as number) - 0.5] }) });
    for (const x of [0.2, 0.9]) await study.enqueueTrial({ x });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    await study.tell(await study.ask(), 'FAIL');
    const table = trialsTable(study.trials, { directions: study.directions });
    expect(table.columns.map((c) => c.label)).toEqual(['#', 'state', 'value (min)', 'x', 'duration', 'fail reason', 'feasible']);
    expect(table.rows.map((r) => r[column(table, 'feasible')])).toEqual([{ kind: 'bool', value: true }, { kind: 'bool', value: false }, { kind: 'empty' }]);
  });

  it('keeps the first and last rows of a long study', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 50 });
    const table = studyDocument(study, { maxRows: 10 }).blocks[1] as Table;
    expect(table.rows).toHaveLength(10);
    expect(table.omitted).toEqual({ at: 5, count: 40 });
    expect(table.rows[9]?.[0]).toEqual({ kind: 'integer', value: 49 });
  });
});

describe('other values', () => {
  it('renders a danfojs DataFrame with its index and columns', () => {
    // danfojs pulls in TF.js: loaded here only, never by tunelab's render code.
    const dfd = data.danfojs();
    const df = new dfd.DataFrame({ lr: [0.1, 0.01, 0.001], name: ['a', '<b>', 'c'] });
    const doc = toDocument(df);
    expect(doc).toBeDefined();
    const table = doc?.blocks[0] as Table;
    expect(table.columns.map((c) => c.label)).toEqual(['', 'lr', 'name']);
    expect(table.columns[1]?.align).toBe('right');
    expect(table.rows[2]).toEqual([{ kind: 'integer', value: 2 }, { kind: 'number', value: 0.001 }, { kind: 'text', value: 'c' }]);
    expect(table.note).toBe('3 rows × 2 columns');
  });

  it('renders plain objects with units inferred from key names, and arrays of records as tables', () => {
    const text = textRenderer.render(toDocument({ cpus: 2, memory: { rss: 3 * 1024 * 1024, heapUsed: 1024 }, uptimeMs: 90_000, node: 'v20' }) ?? { kind: 'document', blocks: [] });
    expect(text).toContain('memory.rss');
    expect(text).toContain('3.0 MiB');
    expect(text).toContain('1.0 KiB');
    expect(text).toContain('1 min 30 s');
    const records = toDocument([{ model: 'lstm', rmse: 0.5 }, { model: 'gru', rmse: 0.25, pruned: 2 }]);
    const table = records?.blocks[0] as Table;
    expect(table.columns.map((c) => c.label)).toEqual(['model', 'rmse', 'pruned']);
    expect(table.rows[0]?.[2]).toEqual({ kind: 'empty' });
  });

  it('returns undefined for values it does not know (show prints them as console.log would)', () => {
    expect(toDocument(42)).toBeUndefined();
    expect(toDocument(new Map())).toBeUndefined();
  });
});

describe('systemStats() as a table', () => {
  it('shows memory, GC and TF.js at a glance, then the open caches', async () => {
    const { systemStats } = await import('../../src/monitor/system-stats.js');
    const { sharedEvalCache } = await import('../../src/study/study-cache.js');
    const { toDocument } = await import('../../src/render/to-document.js');
    const { textRenderer } = await import('../../src/render/text.js');
    sharedEvalCache({ dir: false, version: 'render-test' });
    const doc = toDocument(systemStats());
    expect(doc).toBeDefined();
    const text = textRenderer.render(doc!);
    expect(text).toMatch(/^System\n  rss +\d/);
    expect(text).toMatch(/heap used +\d+ of \d+ MiB/);
    expect(text).toMatch(/gc +\d+ collections/);
    expect(text).toMatch(/Evaluation caches[\s\S]*memory only/);
  });
});
