import { InvalidOptionError } from '../../errors.js';
import { Study } from '../../study/study.js';
import { toDocument } from '../to-document.js';
import { writeReportPage, type ReportSection } from './html-report.js';

/**
 * Objects above render (a TuneResult) name the studies a report should plot by implementing this
 * method, as they make themselves showable with toRenderDocument.
 */
export const reportStudies: unique symbol = Symbol.for('tunelab.reportStudies') as never;

export interface ReportSource {
  [reportStudies](): readonly Study[];
}

function hasReportStudies(x: unknown): x is ReportSource {
  return typeof x === 'object' && x !== null && typeof (x as Partial<ReportSource>)[reportStudies] === 'function';
}

/**
 * Writes a self-contained HTML page (tables and static SVG plots, no script) for a Study or a
 * `tune()` result: what show() shows, then the plots of each study. Returns the absolute path.
 * `await writeHtmlReport(study, 'report.html')`.
 */
export async function writeHtmlReport(studyOrResult: unknown, file: string, options: { readonly title?: string } = {}): Promise<string> {
  if (typeof file !== 'string' || file === '') throw new InvalidOptionError('writeHtmlReport(x, file): file must be a path such as "report.html"');
  if (studyOrResult instanceof Study) {
    const title = options.title ?? `tunelab study '${studyOrResult.name}'`;
    return writeReportPage(file, title, [{ title: 'Study', tables: [studyOrResult], studies: [studyOrResult] }]);
  }
  if (hasReportStudies(studyOrResult) && toDocument(studyOrResult) !== undefined) {
    const sections: ReportSection[] = [
      { title: 'Summary', tables: [studyOrResult] },
      { title: 'Studies', studies: studyOrResult[reportStudies]() },
    ];
    return writeReportPage(file, options.title ?? 'tunelab report', sections);
  }
  throw new InvalidOptionError('writeHtmlReport(x, file): expected a Study or the result of tune(...).run()');
}
