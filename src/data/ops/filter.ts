import type { Column, ColumnChunk } from '../types.js';
import { RowCursor } from './row-cursor.js';
import type { Stage } from './stage.js';

/** Keeps the rows for which the predicate returns true. */
export type RowPredicate = (row: RowCursor) => boolean;

export function filterStage(predicate: RowPredicate): Stage {
  let cursor: RowCursor | undefined;
  return {
    push(chunk) {
      if (cursor === undefined) cursor = new RowCursor(chunk);
      else cursor.reset(chunk);
      const keep = new Uint32Array(chunk.rowCount);
      let n = 0;
      for (let i = 0; i < chunk.rowCount; i++) {
        cursor.index = i;
        if (predicate(cursor)) keep[n++] = i;
      }
      if (n === chunk.rowCount) return chunk;
      const columns: Record<string, Column> = {};
      for (const [name, col] of Object.entries(chunk.columns)) {
        if (Array.isArray(col)) {
          const out = new Array<string>(n);
          for (let j = 0; j < n; j++) out[j] = col[keep[j] as number] as string;
          columns[name] = out;
        } else {
          const out = new Float64Array(n);
          for (let j = 0; j < n; j++) out[j] = col[keep[j] as number] as number;
          columns[name] = out;
        }
      }
      return { rowCount: n, columns, dtypes: chunk.dtypes };
    },
    flush: () => undefined,
  };
}
