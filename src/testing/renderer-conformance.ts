import { describe, expect, it } from 'vitest';
import { formatCell, formatTable } from '../render/format.js';
import type { Renderer } from '../render/renderer.js';
import { documentOf, limitRows, type Cell, type RenderDocument, type Table } from '../render/table.js';

export interface RendererConformanceOptions {
  /** What a reader sees of the output (for HTML: the text with tags removed and entities decoded). */
  readonly visibleText: (output: string) => string;
  /** Whether markup in a value would be live in this output (HTML: yes), so it must be escaped. */
  readonly interpretsMarkup: boolean;
}

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Markup where a user names things: a parameter, a user-attribute key, a study (table title), a note. */
const HOSTILE_LABELS = {
  param: '<script>alert("p")</script>',
  attrKey: '<svg onload=alert(2)>',
  group: '<iframe>',
  title: 'study <script>alert(4)</script>',
  note: 'note <img src=y onerror=alert(5)>',
  summaryTitle: 'about <script>alert(6)</script>',
  summaryLabel: '<b onmouseover=alert(7)>best</b>',
} as const;

/** Every opening tag the hostile strings above carry, none of which a renderer itself writes. */
const LIVE_MARKUP = /<(script|img|svg|iframe|b )/i;

/** Text that would act on a terminal: clear the screen, forge a hyperlink (OSC 8), return to the line start. */
const TERMINAL_HOSTILE = 'x\u001b[2J\u001b]8;;http://evil\u0007y\rz\u009b1m';

function hostileDocument(label: (text: string) => string): RenderDocument {
  return documentOf(
    {
      kind: 'table',
      title: label(HOSTILE_LABELS.title),
      columns: [
        { label: '#', align: 'right' },
        { label: label(HOSTILE_LABELS.param), align: 'left', group: 'params' },
        { label: label(HOSTILE_LABELS.attrKey), align: 'left', group: label(HOSTILE_LABELS.group) },
      ],
      rows: [
        [{ kind: 'integer', value: 0 }, { kind: 'text', value: 'a' }, { kind: 'text', value: 'b' }],
        [{ kind: 'integer', value: 1 }, { kind: 'text', value: 'c' }, { kind: 'empty' }],
      ],
      note: label(HOSTILE_LABELS.note),
    },
    { kind: 'summary', title: label(HOSTILE_LABELS.summaryTitle), items: [{ label: label(HOSTILE_LABELS.summaryLabel), cell: { kind: 'number', value: 0.25 } }] },
  );
}

function sampleTable(): Table {
  const rows: Cell[][] = [];
  for (let i = 0; i < 30; i++) {
    rows.push([
      { kind: 'integer', value: i },
      { kind: 'state', value: i % 3 === 0 ? 'PRUNED' : 'COMPLETE' },
      { kind: 'number', value: (i + 1) * 1.2345678e-3 },
      { kind: 'text', value: i === 2 ? HOSTILE : `choice-${i}` },
      { kind: 'duration', ms: i * 137 },
      i === 5 ? { kind: 'empty' } : { kind: 'bool', value: i % 2 === 0 },
    ]);
  }
  return {
    kind: 'table',
    title: 'trials & more',
    columns: [
      { label: '#', align: 'right' },
      { label: 'state', align: 'left' },
      { label: 'value', align: 'right' },
      { label: 'opt "name"', align: 'left', group: 'params' },
      { label: 'duration', align: 'right' },
      { label: 'cached', align: 'left' },
    ],
    rows,
  };
}

/**
 * Checks every Renderer must pass: each value and label is visible, formatted the shared way,
 * in column order; markup in user data stays text; rows left out are announced; empty input works.
 */
export function rendererConformance(renderer: Renderer, options: RendererConformanceOptions): void {
  const visible = (table: Table): string => options.visibleText(renderer.render(documentOf(table)));

  describe(`renderer conformance: ${renderer.name}`, () => {
    it('shows every label and every formatted cell value, in column order', () => {
      const table = sampleTable();
      const text = visible(table);
      // Formatted per column (one decimals count, one unit named in the header), by the shared formatter.
      const formatted = formatTable(table);
      for (const label of formatted.labels) expect(text).toContain(label);
      for (const [i, row] of formatted.cells.entries()) {
        let from = 0;
        for (const shown of row) {
          if (shown === '') continue;
          const at = text.indexOf(shown, from);
          expect(at, `cell '${shown}' of row ${formatCell(table.rows[i]?.[0] as Cell)}`).toBeGreaterThanOrEqual(0);
          from = at + shown.length;
        }
      }
    });

    it('keeps markup in user data as text', () => {
      const out = renderer.render(documentOf(sampleTable()));
      expect(options.visibleText(out)).toContain(HOSTILE);
      if (options.interpretsMarkup) {
        expect(out).not.toContain('<img');
        expect(out).not.toMatch(/onerror=alert\(1\)>/);
      }
    });

    it('keeps markup in labels as text: parameter names, attribute keys, column groups, titles, notes', () => {
      const out = renderer.render(hostileDocument((t) => t));
      const text = options.visibleText(out);
      for (const label of Object.values(HOSTILE_LABELS)) expect(text).toContain(label);
      if (options.interpretsMarkup) expect(out).not.toMatch(LIVE_MARKUP);
    });

    it('lets no control character of a label or value act on a terminal (escape sequences, carriage return)', () => {
      const out = renderer.render(hostileDocument((t) => `${t}${TERMINAL_HOSTILE}`));
      // Newline and tab only separate lines and cells; every other C0/C1 control is made visible.
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(options.visibleText(out)).toContain(HOSTILE_LABELS.title);
    });

    it('announces rows left out of a long table', () => {
      const limited = limitRows(sampleTable(), 10);
      const text = visible(limited);
      expect(text).toContain('20 more rows');
      expect(text).toContain('choice-0');
      expect(text).toContain('choice-29');
      expect(text).not.toContain('choice-15');
    });

    it('renders an empty table and a summary', () => {
      const text = options.visibleText(
        renderer.render(
          documentOf(
            { kind: 'table', columns: [{ label: 'only', align: 'left' }], rows: [] },
            { kind: 'summary', title: 'About <this>', items: [{ label: 'best value', cell: { kind: 'number', value: 0.5 } }] },
          ),
        ),
      );
      expect(text).toContain('only');
      expect(text).toContain('About <this>');
      expect(text).toContain('best value');
      expect(text).toContain('0.5');
    });
  });
}
