import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createStudy, data, FixedTrial, RandomSampler, show, type Study } from '../../src/index.js';
import { shortNumber, shortValue } from '../../src/util/short-text.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// What a cell's last value or a REPL line prints (util.inspect), and what show() titles things:
// short, rounded, named after the object.
const root = resolve(import.meta.dirname, '../..');
const BTC = join(root, 'datasets', 'btc-usd-1d.csv');
const lines = (s: string): number => s.split('\n').length;
let counter = 0;

async function study(): Promise<Study> {
  const s = await createStudy({ name: `print-${process.pid}-${counter++}`, storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
  await s.optimize(
    (t) => {
      t.setUserAttr('note', 'ok');
      return t.suggestFloat('lr', 1e-5, 1e-1, { log: true }) * 1000 + (t.suggestCategorical('opt', ['adam', 'sgd']) === 'sgd' ? 1 : 0);
    },
    { nTrials: 6, progress: false },
  );
  return s;
}

describe('numbers in one-liners', () => {
  it('keep 6 significant digits, whole numbers as given', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = shortNumber(v);
        const back = Number(text);
        if (Number.isInteger(v)) expect(back - v).toBe(0);
        else {
          expect(text.length).toBeLessThanOrEqual(13);
          expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.abs(v) * 5e-6);
        }
      }),
    );
    expect(shortNumber(0.020153178393113317)).toBe('0.0201532');
    expect(shortNumber(Number.NaN)).toBe('NaN');
    expect(shortNumber(-Infinity)).toBe('-Infinity');
    expect(shortValue({ x: 0.7679765476003482, opt: 'adam', n: 12 })).toBe("{ x: 0.767977, opt: 'adam', n: 12 }");
  });
});

describe('trials', () => {
  it('a finished trial prints on one line: number, state, value, rounded params, attrs, duration', async () => {
    const s = await study();
    const t = s.trials[0]!;
    const text = inspect(t);
    expect(lines(text)).toBe(1);
    expect(text).toMatch(/^FrozenTrial #0 COMPLETE value [-\d.e]+ \{ lr: [\d.e-]+, opt: '(adam|sgd)' \} user attrs \{ note: 'ok' \} \d+ ms$/);
    expect(text).not.toContain('internalParams');
    const lr = /lr: ([\d.e-]+)/.exec(text)?.[1] ?? '';
    expect(lr.replace(/^0\.0*/, '').replace(/e.*/, '').replace('.', '').length).toBeLessThanOrEqual(6);
    // Still plain data: the print form is not a key, does not survive a copy, and the REPL form of
    // the study's best trial is the same object's.
    expect(Object.keys(t)).not.toContain(inspect.custom);
    expect(JSON.parse(JSON.stringify(t))).toHaveProperty('internalParams');
    expect(inspect(structuredClone(t))).toContain('internalParams');
    // The print form sits on the prototype, which is still a plain object's: a deep strict
    // comparison with a literal copy holds, and the trial is still JSON-like to isJsonValue-style checks.
    expect(t).toStrictEqual({ ...t });
    expect(t.constructor).toBe(Object);
    expect(inspect(s.bestTrial)).toMatch(/^FrozenTrial #\d+ COMPLETE/);
    // The study's one-liner: every number in it has at most 6 significant digits.
    const numbers = inspect(s).split(': ').slice(1).join(': ').match(/-?\d+\.\d+(e-?\d+)?/g) ?? [];
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(n.replace(/e.*/, '').replace('-', '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(6);
  });

  it('the trial a callback receives and the one tell returns print on one line too', async () => {
    const s = await createStudy({ name: `print-cb-${process.pid}`, storage: 'memory:' });
    const printed: string[] = [];
    await s.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2, progress: false, callbacks: [(_, t) => void printed.push(inspect(t))] });
    expect(printed).toHaveLength(2);
    for (const text of printed) expect(text).toMatch(/^FrozenTrial #\d COMPLETE value [\d.e-]+ \{ x: [\d.e-]+ \}/);
    const asked = await s.ask();
    asked.suggestFloat('x', 0, 1);
    expect(inspect(await s.tell(asked, 0.5))).toMatch(/^FrozenTrial #2 COMPLETE value 0\.5 /);
  });

  it('a failed and a several-objective trial say what happened', async () => {
    const s = await createStudy({ name: `print-fail-${process.pid}`, storage: 'memory:', directions: ['minimize', 'maximize'] });
    await s.optimize((t) => [t.suggestFloat('x', 0, 1) / 3, 2 / 3], { nTrials: 1, progress: false });
    await s.optimize(() => {
      throw new Error('boom\nstack line');
    }, { nTrials: 1, progress: false, catch: [Error] });
    expect(inspect(s.trials[0])).toMatch(/^FrozenTrial #0 COMPLETE values \[[\d.]+, 0\.666667\]/);
    expect(inspect(s.trials[1])).toMatch(/^FrozenTrial #1 FAIL \{\} failed: .*boom/);
    expect(inspect(s.trials[1])).not.toContain('stack line');
  });

  it('the trial an objective holds prints as Trial, a FixedTrial with its params', async () => {
    const s = await createStudy({ name: `print-live-${process.pid}`, storage: 'memory:' });
    let seen = '';
    await s.optimize((t) => {
      t.suggestFloat('x', 0, 1);
      seen = inspect(t);
      return 1;
    }, { nTrials: 1, progress: false });
    expect(seen).toMatch(/^Trial #0 RUNNING \{ x: [\d.]+ \}$/);
    expect(inspect(new FixedTrial({ x: 1 / 3 }))).toBe('FixedTrial #0 { x: 0.333333 }');
  });
});

describe('data', () => {
  it('a ColumnChunk prints its size, dtypes and first rows, not its Float64Arrays', async () => {
    const chunk = await data.csv(BTC).collect();
    const text = inspect(chunk);
    expect(lines(text)).toBeLessThanOrEqual(9); // title, header, 5 rows, rows and columns left out
    expect(text).toMatch(/^ColumnChunk 2,534 rows × 7 columns/);
    expect(text).toContain('Date (datetime)');
    expect(text).toContain('2014-09-17');
    expect(text).not.toContain('Float64Array');
    for await (const c of data.csv(BTC, { chunkRows: 500 }).columns()) {
      expect(inspect(c)).toMatch(/^ColumnChunk 500 rows × 7 columns/);
      break;
    }
    const seen: string[] = [];
    await data.csv(BTC, { chunkRows: 1000 }).reduce((n, c) => (seen.push(inspect(c).split('\n')[0] ?? ''), n + 1), 0);
    expect(seen).toEqual(['ColumnChunk 1,000 rows × 7 columns', 'ColumnChunk 1,000 rows × 7 columns', 'ColumnChunk 534 rows × 7 columns']);
  });

  it('a chunk of epoch-ms timestamps prints them as dates, and each numeric column with one number of decimals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-print-'));
    try {
      const file = join(dir, 'o.csv');
      await data.generateOhlcv(file, { rows: 50, seed: 3 });
      const text = inspect(await data.csv(file).collect());
      const rows = text.split('\n').slice(2, 7);
      expect(rows[0]).toMatch(/^\s+2017-01-01 00:00:00\s/);
      expect(rows[1]).toMatch(/^\s+2017-01-01 00:01:00\s/);
      const opens = rows.map((r) => r.trim().split(/\s{2,}/)[1] ?? '');
      const decimals = new Set(opens.map((o) => o.length - o.indexOf('.') - 1));
      expect(decimals.size).toBe(1); // 20,000.000 beside 20,018.882: one number of decimals for the column
      expect(opens[0]).toMatch(/^20,000\.0+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("show(chunk) is a ColumnChunk table of the rows shown, dates as dates; show(ds.summary()) is titled WindowDataset", async () => {
    const chunk = await data.csv(BTC).collect();
    const ds = await data.windows(data.csv(BTC), { target: 'close', features: ['close'], lookback: 5, horizon: 1, transform: 'logReturn', scale: 'zscore', split: { val: 0.15, test: 0.15 } });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    let out: string[];
    try {
      show(chunk, { format: 'text', maxRows: 6 });
      show(ds.summary(), { format: 'text' });
      show(ds, { format: 'text' });
      out = log.mock.calls.map((c) => String(c[0]));
    } finally {
      log.mockRestore();
    }
    expect(out[0]?.split('\n')[0]).toBe('ColumnChunk: 2,534 rows × 7 columns');
    expect(out[0]).toContain('2014-09-17'); // daily candles: dates without a time of day
    expect(out[0]).not.toContain('00:00:00');
    expect(out[0]).toContain('… 2528 more rows …');
    expect(lines(out[0] ?? '')).toBeLessThan(14);
    expect(out[1]?.split('\n')[0]).toBe('WindowDataset');
    expect(out[2]?.split('\n')[0]).toBe('WindowDataset');
  });

  it("the trials DataFrame prints a few lines with dates, not danfojs' internals", async () => {
    const s = await study();
    const text = inspect(s.trialsDataFrame());
    expect(text).toMatch(/^DataFrame 6 rows × \d+ columns/);
    // Title, header, 5 rows, the rows and the columns left out: each line short enough not to wrap.
    expect(lines(text)).toBeLessThanOrEqual(9);
    for (const line of text.split('\n').slice(1, 7)) expect(line.length).toBeLessThanOrEqual(130);
    expect(text).toMatch(/… \d+ more columns: /);
    expect(text).not.toContain('$data');
    expect(text).not.toContain('$config');
    expect(text).toMatch(/datetime_start \(datetime\)/);
    expect(text).toMatch(/20\d\d-\d\d-\d\d \d\d:\d\d/);
  });
});

describe('the built package', () => {
  const dist = join(root, 'dist', 'index.js');
  it.skipIf(requireOrSkip(DIST_PROBLEM))('prints its classes and functions by their own names (tsup keepNames)', () => {
    const code = `import('${dist}').then((m) => console.log(require('node:util').inspect([m.Study, m.show, m.RandomSampler, m.data.bundled])))`;
    const r = spawnSync(process.execPath, ['-e', code], { cwd: '/', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('[class Study]');
    expect(r.stdout).toContain('[Function: show]');
    expect(r.stdout).toContain('[class RandomSampler]');
    expect(r.stdout).toContain('[Function: bundled]');
    expect(r.stdout).not.toMatch(/_class\d|show\d/);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))("data.bundled('btc-usd-1d') finds the dataset from any working directory, and the package exports the file", () => {
    const code = `import('${dist}').then(async (m) => { const c = await m.data.bundled('btc-usd-1d').collect(); console.log(c.rowCount, m.data.bundledPath('btc-usd-1d')); try { m.data.bundled('nope'); } catch (e) { console.log(e.name, e.message); } })`;
    const r = spawnSync(process.execPath, ['-e', code], { cwd: '/', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`2534 ${BTC}`);
    expect(r.stdout).toContain('InvalidOptionError data.bundled(name): no bundled dataset "nope"; bundled: btc-usd-1d');
    // As a user's script would, through the package's "exports" (the self-reference from inside it).
    const resolved = spawnSync(process.execPath, ['-e', "console.log(require.resolve('tunelab/datasets/btc-usd-1d.csv'))"], { cwd: join(root, 'notebooks'), encoding: 'utf8' });
    expect(resolved.stderr).toBe('');
    expect(resolved.stdout.trim()).toMatch(/datasets\/btc-usd-1d\.csv$/);
  });
});
