import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Study } from '../../study/study.js';
import { escapeHtml, htmlRenderer } from '../html.js';
import { plot } from '../plot/index.js';
import { toDocument } from '../to-document.js';

export interface ReportSection {
  readonly title: string;
  /** Anything show() can render (a TuneResult, a Study, systemStats(), ...). */
  readonly tables?: readonly unknown[];
  /** Studies whose history, learning curves and parameter importance are plotted. */
  readonly studies?: readonly Study[];
}

const quiet = { display: false } as const;

async function studyPlots(study: Study): Promise<string> {
  const parts: string[] = [];
  const complete = study.trials.filter((t) => t.state === 'COMPLETE');
  if (complete.length === 0) return `<p>No COMPLETE trial in ${escapeHtml(study.name)}.</p>`;
  const several = study.directions.length > 1;
  if (several) {
    if (study.directions.length === 2) parts.push((await plot.pareto(study, quiet)).svg);
    parts.push((await plot.hypervolume(study, quiet)).svg);
  } else {
    parts.push((await plot.history(study, quiet)).svg);
  }
  if (study.trials.some((t) => Object.keys(t.intermediateValues).length > 0)) parts.push((await plot.intermediate(study, quiet)).svg);
  const params = new Set(complete.flatMap((t) => Object.keys(t.params)));
  // Importance needs a few finished trials and at least two varying parameters to mean anything.
  const target = several ? { target: (t: { values?: readonly number[] | undefined }) => t.values?.[0] as number, targetName: 'objective 0' } : {};
  if (complete.length >= 4 && params.size >= 2) parts.push((await plot.importance(study, { ...quiet, ...target })).svg);
  if (params.size >= 1) parts.push((await plot.slice(study, { ...quiet, ...target })).svg);
  if (complete.length >= 2 && params.size >= 2) parts.push((await plot.parallel(study, { ...quiet, ...target })).svg);
  parts.push((await plot.timeline(study, quiet)).svg);
  return `<div class="plots">${parts.join('\n')}</div>`;
}

/** A self-contained HTML page (tables and static SVG, no script), written atomically. */
export async function writeReportPage(path: string, title: string, sections: readonly ReportSection[]): Promise<string> {
  const body: string[] = [];
  for (const section of sections) {
    body.push(`<h2>${escapeHtml(section.title)}</h2>`);
    for (const item of section.tables ?? []) {
      const doc = toDocument(item);
      if (doc) body.push(htmlRenderer.render(doc));
    }
    for (const study of section.studies ?? []) {
      body.push(`<h3>${escapeHtml(study.name)}</h3>`, await studyPlots(study));
    }
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05em; margin-top: 1.5em; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; } .plots svg { max-width: 100%; height: auto; }
</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Generated ${escapeHtml(new Date().toISOString())} by tunelab.</p>
${body.join('\n')}
</body></html>
`;
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, target);
  return target;
}
