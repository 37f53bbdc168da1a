import { isSystemStats, systemStatsDocument } from './view-models/system-stats.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import { Study } from '../study/study.js';
import { dataFrameTable, isDataFrameLike, isSeriesLike, seriesTable } from './view-models/dataframe.js';
import { isPlainObject, objectSummary, recordsTable } from './view-models/object.js';
import { studyDocument } from './view-models/study.js';
import { trialsTable } from './view-models/trials.js';
import { documentOf, limitRows, type RenderDocument } from './table.js';
import { chunkTable, isColumnChunk } from './view-models/column-chunk.js';
import { displayTitleOf } from '../util/display-title.js';
import { WindowDataset } from '../data/windows/window-dataset.js';

/**
 * Objects outside src/render (a TuneResult, systemStats()) make themselves showable by
 * implementing this method, so render never has to know their classes.
 */
export const toRenderDocument: unique symbol = Symbol.for('tunelab.toRenderDocument') as never;

export interface Renderable {
  [toRenderDocument](): RenderDocument;
}

function isRenderable(x: unknown): x is Renderable {
  return typeof x === 'object' && x !== null && typeof (x as Partial<Renderable>)[toRenderDocument] === 'function';
}

function isFrozenTrial(x: unknown): x is FrozenTrial {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<FrozenTrial>;
  return typeof t.number === 'number' && typeof t.state === 'string' && typeof t.params === 'object' && typeof t.systemAttrs === 'object';
}

export interface DocumentOptions {
  readonly maxRows?: number;
}

/** The table document for a value show() knows, or undefined (show then prints it as text). */
export function toDocument(x: unknown, options: DocumentOptions = {}): RenderDocument | undefined {
  const maxRows = options.maxRows ?? 40;
  if (isRenderable(x)) return x[toRenderDocument]();
  if (x instanceof Study) return studyDocument(x, { maxRows });
  if (isSystemStats(x)) return systemStatsDocument(x);
  if (x instanceof WindowDataset) return documentOf(objectSummary(x.summary(), 'WindowDataset'));
  if (isColumnChunk(x)) return documentOf(chunkTable(x, { maxRows }));
  if (isDataFrameLike(x)) return documentOf(dataFrameTable(x, { maxRows }));
  if (isSeriesLike(x)) return documentOf(seriesTable(x, { maxRows }));
  if (isFrozenTrial(x)) return documentOf(trialsTable([x]));
  if (Array.isArray(x) && x.length > 0) {
    if (x.every(isFrozenTrial)) return documentOf(limitRows(trialsTable(x), maxRows));
    if (x.every(isPlainObject)) return documentOf(recordsTable(x, { maxRows }));
  }
  if (isPlainObject(x)) return documentOf(objectSummary(x, displayTitleOf(x) ?? 'Object'));
  return undefined;
}
