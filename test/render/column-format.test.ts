import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatColumn, formatTable, numberColumnFormat } from '../../src/render/format.js';
import { alignOf, cellOf, type Cell } from '../../src/render/table.js';
import { toDocument } from '../../src/render/to-document.js';
import { textRenderer } from '../../src/render/text.js';
import type { Table } from '../../src/render/table.js';

// Tables format per column: a column reads as one (same decimals, same grouping, one unit).
const num = (value: number): Cell => (Number.isInteger(value) ? { kind: 'integer', value } : { kind: 'number', value });
const decimalsOf = (t: string): number => (t.includes('.') ? t.length - t.indexOf('.') - 1 : 0);

describe('number columns', () => {
  it('show one number of decimals per column, or exponent form for every value', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e8, max: 1e8, noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
        const texts = formatColumn('x', values.map(num)).texts;
        const exp = texts.filter((t) => /e[+-]/.test(t));
        if (exp.length > 0) expect(exp.length).toBe(texts.filter((t) => t !== '0').length);
        else expect(new Set(texts.map(decimalsOf)).size).toBe(1);
        // Grouping for all of the column or none: a grouped column groups every value ≥ 1000.
        const grouped = texts.some((t) => t.includes(','));
        for (const [i, t] of texts.entries()) if (Math.abs(values[i] as number) >= 1000 && exp.length === 0) expect(t.includes(',')).toBe(grouped);
      }),
    );
  });

  it('keep numbers the user already rounded as given, and keep small values readable', () => {
    expect(formatColumn('close', [20325.24, 21762.3].map(num)).texts).toEqual(['20,325.24', '21,762.30']);
    expect(formatColumn('size GB', [2.05].map(num)).texts).toEqual(['2.05']);
    expect(formatColumn('value', [3.6885123456, 41.815412345].map(num)).texts).toEqual(['3.6885', '41.8154']);
    expect(formatColumn('lr', [0.00010300312, 0.0966883].map(num)).texts).toEqual(['0.0001030', '0.0966883']);
    expect(formatColumn('tiny', [1.5e-7, 2e-5].map(num)).texts).toEqual(['1.500e-7', '2.000e-5']);
    expect(formatColumn('mixed', [-1234.5, 12.25].map(num)).texts).toEqual(['-1234.50', '12.25']);
    expect(formatColumn('mixed', [-12345.5, 12.25].map(num)).texts).toEqual(['-12,345.50', '12.25']);
  });

  it("keep a '—' written for a missing number, formatting the column's numbers as one", () => {
    expect(formatColumn('rmse', [num(1.23456789), { kind: 'text', value: '—' }, num(12.5)]).texts).toEqual(['1.2346', '—', '12.5000']);
    expect(alignOf([num(1.5), { kind: 'text', value: '—' }])).toBe('right');
    expect(alignOf([num(1.5), { kind: 'text', value: 'n/a' }])).toBe('left');
  });

  it('group quantities but not id-like integers (pid, trial number), negatives alike', () => {
    expect(formatColumn('rows', [32_000_000, -5, 1000].map(num)).texts).toEqual(['32,000,000', '-5', '1,000']);
    expect(formatColumn('worker pid', [16422, 9].map(num)).texts).toEqual(['16422', '9']);
    expect(formatColumn('#', [10000, 10001].map(num)).texts).toEqual(['10000', '10001']);
    expect(formatColumn('n', [999, 1000].map(num)).texts).toEqual(['999', '1000']);
    expect(numberColumnFormat([NaN, Infinity, 1.5])(Infinity)).toBe('∞');
  });
});

describe('units and dates', () => {
  it('name one unit for a column of durations or sizes in its header', () => {
    const d = formatColumn('duration', [{ kind: 'duration', ms: 3 }, { kind: 'duration', ms: 1240 }, { kind: 'empty' }]);
    expect(d.label).toBe('duration (ms)');
    expect(d.texts).toEqual(['3', '1240', '']);
    const s = formatColumn('duration', [{ kind: 'duration', ms: 15_000 }, { kind: 'duration', ms: 250 }]);
    expect(s).toEqual({ label: 'duration (s)', texts: ['15.00', '0.25'] });
    expect(formatColumn('original run ms', [{ kind: 'duration', ms: 302 }]).label).toBe('original run (ms)');
    const b = formatColumn('disk size', [{ kind: 'bytes', value: 3 * 1024 ** 2 }, { kind: 'bytes', value: 512 * 1024 }]);
    expect(b).toEqual({ label: 'disk size (MiB)', texts: ['3.0', '0.5'] });
  });

  it('draw epoch-millisecond columns named as times as dates, whole days without a time', () => {
    const days = formatColumn('timestamp', [Date.UTC(2017, 0, 1), Date.UTC(2017, 0, 2)].map(num));
    expect(days.texts).toEqual(['2017-01-01', '2017-01-02']);
    const times = formatColumn('datetime_start', [Date.UTC(2026, 10, 29, 4, 47, 6), Date.UTC(2026, 10, 29, 4, 48)].map(num));
    expect(times.texts).toEqual(['2026-11-29 04:47:06', '2026-11-29 04:48:00']);
    // Not a time by name, or not in range: numbers.
    expect(formatColumn('volume', [Date.UTC(2017, 0, 1)].map(num)).texts).toEqual(['1,483,228,800,000']);
    expect(formatColumn('duration_ms', [Date.UTC(2017, 0, 1)].map(num)).texts[0]).toMatch(/^1,483/);
  });

  it('a records table from show([...]) reads per column', () => {
    const doc = toDocument([
      { file: '/tmp/a.csv', rows: 32_000_000, 'size GB': 2.05, seconds: 54.4, 'MB/s': 38, timestamp: Date.UTC(2017, 0, 1) },
      { file: '/tmp/b.csv', rows: 1000, 'size GB': 0.5, seconds: 1, 'MB/s': 1000, timestamp: Date.UTC(2017, 0, 2) },
    ]);
    const text = textRenderer.render(doc!);
    expect(text).toContain('32,000,000');
    expect(text).toMatch(/ 1,000 /);
    expect(text).toContain('0.50');
    expect(text).toContain('1.0 ');
    expect(text).toContain('2017-01-02');
  });

  it('formatTable gives a text for every cell of every row', () => {
    const table: Table = { kind: 'table', columns: [{ label: 'a', align: 'left' }, { label: 'b', align: 'right' }], rows: [[cellOf('x'), cellOf(1.25)], [cellOf(null), cellOf(2)]] };
    expect(formatTable(table)).toEqual({ labels: ['a', 'b'], cells: [['x', '1.25'], ['', '2.00']] });
  });
});
