import { createHash } from 'node:crypto';
import { InvalidOptionError } from '../../errors.js';
import type { ColumnChunk } from '../types.js';
import { readColumns, type ColumnStore } from './column-store.js';
import { resolveWindowOptions, type ResolvedWindowOptions, type WindowOptions } from './options.js';
import { chronologicalSplit, walkForwardSplits } from './split.js';
import { WindowDataset } from './window-dataset.js';

/** Anything with a typed-column pass: a ChunkSource, or your own. */
export interface ColumnsSource {
  columns(): AsyncIterable<ColumnChunk>;
}

/** Rows whose sample has all inputs and targets finite (a missing price drops the windows around it). */
function validAnchors(store: ColumnStore, L: number, H: number): { anchors: Int32Array; dropped: number } {
  const n = store.rows;
  const bad = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    let ok = Number.isFinite(store.target[r]);
    for (const col of store.features) if (!Number.isFinite(col[r])) ok = false;
    bad[r] = ok ? 0 : 1;
  }
  // Prefix counts make "any bad row in [from, to]" O(1) per sample.
  const prefix = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) prefix[r + 1] = (prefix[r] as number) + (bad[r] as number);
  const anchors: number[] = [];
  let dropped = 0;
  for (let a = L - 1; a + H < n; a++) {
    // Inputs use features on rows a-L+1..a; targets use the target on rows a+1..a+H.
    const inputsBad = (prefix[a + 1] as number) - (prefix[a - L + 1] as number);
    let targetBad = false;
    for (let h = 1; h <= H; h++) if (!Number.isFinite(store.target[a + h])) targetBad = true;
    if (inputsBad === 0 && !targetBad) anchors.push(a);
    else dropped++;
  }
  return { anchors: Int32Array.from(anchors), dropped };
}

function canonical(opts: ResolvedWindowOptions): string {
  const sort = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)]))
      : v;
  return JSON.stringify(sort(opts));
}

/**
 * Builds model-ready windows from a source in one streaming pass: only the needed columns are
 * kept (transformed), so the source may be larger than memory as long as the windows fit.
 */
export async function windows(source: ColumnsSource, opts: WindowOptions): Promise<WindowDataset> {
  const resolved = resolveWindowOptions(opts);
  const store = await readColumns(source.columns(), resolved);
  const { anchors, dropped } = validAnchors(store, resolved.lookback, resolved.horizon);
  if (anchors.length === 0) {
    throw new InvalidOptionError(`data.windows: no complete window of lookback ${resolved.lookback} + horizon ${resolved.horizon} in ${store.rows} rows (${dropped} dropped for missing values)`);
  }
  const fingerprint = createHash('sha256').update(`tunelab.windows.v1;${store.contentHash};${canonical(resolved)}`).digest('hex');
  if (resolved.walkForward !== undefined) {
    const splits = walkForwardSplits(anchors.length, resolved.walkForward, resolved.lookback);
    const folds = splits.map((r, i) => new WindowDataset(store, anchors, r, resolved, `${fingerprint}.fold${i}`, dropped));
    return new WindowDataset(store, anchors, splits[splits.length - 1] as (typeof splits)[number], resolved, fingerprint, dropped, folds);
  }
  return new WindowDataset(store, anchors, chronologicalSplit(anchors.length, resolved.split ?? { val: 0.15, test: 0.15 }), resolved, fingerprint, dropped);
}
