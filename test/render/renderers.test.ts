import { describe, expect, it } from 'vitest';
import { createStudy, htmlRenderer, RandomSampler, textRenderer, toDocument } from '../../src/index.js';
import { escapeHtml } from '../../src/render/html.js';
import { rendererConformance } from '../../src/testing/index.js';

/** What a browser would show: tags removed, entities decoded. */
function htmlVisibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

rendererConformance(htmlRenderer, { visibleText: htmlVisibleText, interpretsMarkup: true });
rendererConformance(textRenderer, { visibleText: (s) => s, interpretsMarkup: false });

describe('HTML escaping of a study', () => {
  it('shows a hostile categorical choice as text, never as markup', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const study = await createStudy({ name: 'x<script>alert(2)</script>', storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (trial) => {
        const c = trial.suggestCategorical('choice', ['plain', hostile]);
        trial.setUserAttr('note', '<b>bold?</b>');
        return c === 'plain' ? 1 : 2;
      },
      { nTrials: 12 },
    );
    expect(study.trials.some((t) => t.params['choice'] === hostile)).toBe(true);
    const html = htmlRenderer.render(toDocument(study) ?? { kind: 'document', blocks: [] });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain(escapeHtml(hostile));
    expect(htmlVisibleText(html)).toContain(hostile);
  });

  it('shows hostile parameter names and user-attribute keys of a real study as text', async () => {
    const param = '<script>alert(8)</script>';
    const key = '<svg onload=alert(9)>';
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize((trial) => {
      trial.setUserAttr(key, 'v');
      return trial.suggestFloat(param, 0, 1);
    }, { nTrials: 3 });
    const doc = toDocument(study) ?? { kind: 'document', blocks: [] };
    const html = htmlRenderer.render(doc);
    expect(html).not.toMatch(/<(script|svg)/);
    expect(htmlVisibleText(html)).toContain(param);
    expect(htmlVisibleText(html)).toContain(key);
    const text = textRenderer.render(doc);
    expect(text).toContain(param);
    expect(text).toContain(key);
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('text renderer', () => {
  it('aligns columns: every row of a table has its cells at the same offsets', () => {
    const doc = toDocument([
      { name: 'a', value: 1.5, n: 1 },
      { name: 'longer name', value: 12345.678, n: 100 },
    ]);
    const lines = textRenderer.render(doc ?? { kind: 'document', blocks: [] }).split('\n');
    const [header, rule, row1, row2] = lines as [string, string, string, string];
    expect(rule).toMatch(/^─+ +─+ +─+$/);
    // Right-aligned numbers end at the same column.
    expect(row1.length).toBe(row2.length);
    // Rounded by the user to 3 decimals at most: kept as given, one decimals count for the column.
    expect(row1.indexOf('1.500') + 5).toBe(row2.indexOf('12,345.678') + 10);
    expect(header.startsWith('name')).toBe(true);
  });
});
