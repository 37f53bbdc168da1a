import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from './helpers/require.js';

// Reads the notebooks as executed by scripts/run-notebooks.sh (in place; committed with outputs).
const DIR = join(import.meta.dirname, '..', 'notebooks');

interface Output {
  readonly output_type: string;
  readonly name?: string;
  readonly data?: Record<string, string | string[]>;
}
interface Cell {
  readonly cell_type: string;
  readonly source: string | string[];
  readonly outputs?: Output[];
  readonly execution_count?: number | null;
}

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join('') : (v ?? ''));
const notebooks = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.ipynb')).sort() : [];

describe('executed notebooks', () => {
  it('exist', () => {
    expect(notebooks).toContain('01-quickstart.ipynb');
  });

  for (const file of notebooks) {
    const cells = (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { cells: Cell[] }).cells.filter((c) => c.cell_type === 'code');
    const outputs = cells.flatMap((c) => c.outputs ?? []);
    // Cleared outputs (a notebook saved before running, or stripped) would turn these checks into skips:
    // CI executes the notebooks first, so there they must be present.
    const skip = requireOrSkip(outputs.length > 0 ? undefined : `${file} holds no outputs: run scripts/run-notebooks.sh to execute it`);

    it.skipIf(skip)(`${file}: imports tunelab as a user would, and no cell failed`, () => {
      expect(cells.some((c) => /from 'tunelab'/.test(text(c.source)))).toBe(true);
      const errors = outputs.filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'));
      expect(errors).toEqual([]);
    });

    it.skipIf(skip)(`${file}: every code cell shows its execution count, in order`, () => {
      const counts = cells.filter((c) => text(c.source).trim() !== '').map((c) => c.execution_count);
      expect(counts).toEqual(counts.map((_, i) => i + 1));
    });

    it.skipIf(skip)(`${file}: holds an HTML table and SVG plots`, () => {
      const html = outputs.map((o) => text(o.data?.['text/html'])).filter((h) => h.includes('<table'));
      const svg = outputs.map((o) => text(o.data?.['image/svg+xml'])).filter((s) => s.startsWith('<svg'));
      expect(html.length).toBeGreaterThan(0);
      expect(svg.length).toBeGreaterThan(0);
    });
  }
});
