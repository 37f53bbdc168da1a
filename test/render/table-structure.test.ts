import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlRenderer, textRenderer } from '../../src/index.js';
import { alignOf, cellOf, documentOf, limitRows, type Cell, type Table } from '../../src/render/table.js';

// The table model and both renderers, piece by piece: what the conformance suite checks only as
// "the text is there somewhere" (group headings, the omitted-rows line, alignment, clipping).

const int = (value: number): Cell => ({ kind: 'integer', value });
const text = (value: string): Cell => ({ kind: 'text', value });

function table(rows: number): Table {
  return {
    kind: 'table',
    columns: [
      { label: '#', align: 'right' },
      { label: 'x', align: 'right', group: 'params' },
      { label: 'opt', align: 'left', group: 'params' },
      { label: 'note', align: 'left', group: 'user attrs' },
    ],
    rows: Array.from({ length: rows }, (_, i) => [int(i), { kind: 'number', value: i / 3 }, text(`o${i}`), i % 2 === 0 ? text(`n${i}`) : { kind: 'empty' }]),
  };
}

describe('table model', () => {
  it('cellOf picks the most specific cell for each kind of value', () => {
    expect(cellOf(undefined)).toEqual({ kind: 'empty' });
    expect(cellOf(null)).toEqual({ kind: 'empty' });
    expect(cellOf(3)).toEqual({ kind: 'integer', value: 3 });
    expect(cellOf(0.5)).toEqual({ kind: 'number', value: 0.5 });
    expect(cellOf(12n)).toEqual({ kind: 'text', value: '12' });
    expect(cellOf('a')).toEqual({ kind: 'text', value: 'a' });
    expect(cellOf(false)).toEqual({ kind: 'bool', value: false });
    expect(cellOf(new Date(5))).toEqual({ kind: 'date', epochMs: 5 });
    expect(cellOf(new Date(Number.NaN))).toEqual({ kind: 'text', value: 'Invalid Date' });
    expect(cellOf({ b: [1, 'x'] })).toEqual({ kind: 'json', value: { b: [1, 'x'] } });
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(cellOf(cyclic)).toEqual({ kind: 'text', value: '[object Object]' });
  });

  it('alignOf right-aligns a column only when every non-empty cell is numeric', () => {
    expect(alignOf([int(1), { kind: 'number', value: 2 }, { kind: 'duration', ms: 3 }, { kind: 'bytes', value: 4 }, { kind: 'empty' }])).toBe('right');
    expect(alignOf([int(1), text('a')])).toBe('left');
    expect(alignOf([{ kind: 'empty' }])).toBe('left');
    expect(alignOf([])).toBe('left');
  });

  it('limitRows keeps the first ceil(n/2) and last floor(n/2) rows and records the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -2, max: 30 }), (n, max) => {
        const t = table(n);
        const limited = limitRows(t, max);
        if (n <= max || max <= 0) {
          expect(limited).toBe(t);
          return;
        }
        const head = Math.ceil(max / 2);
        expect(limited.rows.map((r) => (r[0] as { value: number }).value)).toEqual([
          ...Array.from({ length: head }, (_, i) => i),
          ...Array.from({ length: max - head }, (_, i) => n - (max - head) + i),
        ]);
        expect(limited.omitted).toEqual({ at: head, count: n - max });
      }),
    );
  });

  it('documentOf wraps blocks in order', () => {
    const t = table(1);
    expect(documentOf(t, t)).toEqual({ kind: 'document', blocks: [t, t] });
  });
});

describe('HTML renderer structure', () => {
  it('names its MIME type (show() passes it to the display)', () => {
    expect(htmlRenderer.mimeType).toBe('text/html');
    expect(htmlRenderer.name).toBe('html');
    expect(textRenderer.mimeType).toBe('text/plain');
    expect(textRenderer.name).toBe('text');
  });

  it('heads grouped columns with one cell spanning each run of a group, blank over ungrouped ones', () => {
    const html = htmlRenderer.render(documentOf(table(2)));
    const rows = html.match(/<tr>.*?<\/tr>/g) ?? [];
    const groupRow = (rows[0] ?? '').match(/<th colspan="(\d+)"[^>]*>([^<]*)<\/th>/g) ?? [];
    expect(groupRow.map((th) => th.replace(/^<th colspan="(\d+)"[^>]*>([^<]*)<\/th>$/, '$1:$2'))).toEqual(['1:', '2:params', '1:user attrs']);
    expect((rows[1] ?? '').match(/<th [^>]*>([^<]*)<\/th>/g)?.map((th) => th.replace(/<[^>]*>/g, ''))).toEqual(['#', 'x', 'opt', 'note']);
    // Without any group there is no group row.
    const plain = htmlRenderer.render(documentOf({ ...table(1), columns: table(1).columns.map(({ label, align }) => ({ label, align })) }));
    expect(plain).not.toContain('colspan');
  });

  it('aligns each cell as its column says, colours states, and keeps full numbers in a title', () => {
    const html = htmlRenderer.render(documentOf({
      kind: 'table',
      columns: [{ label: 'v', align: 'right' }, { label: 's', align: 'left' }],
      rows: [[{ kind: 'number', value: 0.123456789012 }, { kind: 'state', value: 'FAIL' }], [int(7), { kind: 'state', value: 'ODD' }]],
    }));
    const cells = html.match(/<td [^>]*>[^<]*<\/td>/g) ?? [];
    expect(cells[0]).toMatch(/text-align:right"? title="0\.123456789012">0\.12346</);
    expect(cells[1]).toMatch(/text-align:left;color:#cf222e">FAIL</);
    expect(cells[2]).not.toContain('title=');
    expect(cells[2]).not.toContain('color:');
    expect(cells[3]).toMatch(/color:inherit">ODD</);
  });

  it('puts the omitted-rows line exactly where the rows were left out, spanning the table', () => {
    const html = htmlRenderer.render(documentOf(limitRows(table(10), 4)));
    const body = (html.match(/<tbody>(.*)<\/tbody>/)?.[1] ?? '').match(/<tr>.*?<\/tr>/g) ?? [];
    expect(body).toHaveLength(5);
    expect(body[2]).toMatch(/<td colspan="4"[^>]*>… 6 more rows …<\/td>/);
    expect(body.map((r) => r.match(/>(\d+)<\/td>/)?.[1] ?? '…')).toEqual(['0', '1', '…', '8', '9']);
  });

  it('writes each summary item as a labelled row, and each block in order', () => {
    const html = htmlRenderer.render(documentOf(
      { kind: 'summary', title: 'S', items: [{ label: 'a', cell: int(1) }, { label: 'b', cell: int(2) }] },
      table(1),
    ));
    expect(html.startsWith('<div class="tunelab-output"><table class="tunelab-summary"')).toBe(true);
    expect(html).toMatch(/<tr><th [^>]*>a<\/th><td [^>]*>1<\/td><\/tr><tr><th [^>]*>b<\/th><td [^>]*>2<\/td><\/tr>/);
    expect(html.indexOf('tunelab-summary')).toBeLessThan(html.indexOf('class="tunelab"'));
  });
});

describe('text renderer structure', () => {
  it('clips a cell to 40 characters with an ellipsis, on one line, with no trailing spaces', () => {
    const long = 'a'.repeat(39) + '\r\n\tb' + 'c'.repeat(20);
    const out = textRenderer.render(documentOf({ kind: 'table', columns: [{ label: 'k', align: 'left' }, { label: 'w', align: 'left' }], rows: [[text(long), text('x')], [text('a'.repeat(40)), text('')]] }));
    const lines = out.split('\n');
    expect(lines[2]).toBe(`${'a'.repeat(39)}…  x`);
    expect(lines[3]).toBe('a'.repeat(40));
    for (const line of lines) expect(line).toBe(line.trimEnd());
    const folded = textRenderer.render(documentOf({ kind: 'table', columns: [{ label: 'k', align: 'left' }], rows: [[text('a\r\n\t b')]] })).split('\n');
    expect(folded[2]).toBe('a  b');
  });

  it('prefixes a grouped column with its group, and puts the omitted line where rows were left out', () => {
    const lines = textRenderer.render(documentOf(limitRows(table(10), 4))).split('\n');
    expect(lines[0]).toMatch(/^#\s+params\.x\s+params\.opt\s+user attrs\.note$/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/)[0])).toEqual(['0', '1', '…', '8', '9']);
    expect(lines[4]).toBe('… 6 more rows …');
  });

  it('aligns summary values in one column after the longest label, and separates blocks by a blank line', () => {
    const out = textRenderer.render(documentOf(
      { kind: 'summary', title: 'S', items: [{ label: 'a', cell: int(1) }, { label: 'longer', cell: int(2) }] },
      { kind: 'summary', title: 'T', items: [] },
    ));
    expect(out).toBe('S\n  a       1\n  longer  2\n\nT');
  });
});
