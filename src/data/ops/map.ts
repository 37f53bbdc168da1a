import { InvalidOptionError } from '../../errors.js';
import type { Column, ColumnChunk, Dtype } from '../types.js';
import type { Stage } from './stage.js';

/** Computes the columns of the output chunk from an input chunk (row-wise: same row count). */
export type MapFn = (chunk: ColumnChunk) => Readonly<Record<string, Column>>;

export function mapStage(fn: MapFn): Stage {
  return {
    push(chunk) {
      const columns = fn(chunk);
      const dtypes: Record<string, Dtype> = {};
      let rowCount: number | undefined;
      for (const [name, col] of Object.entries(columns)) {
        if (rowCount !== undefined && col.length !== rowCount) {
          throw new InvalidOptionError(`map: column '${name}' has ${col.length} rows but the others have ${rowCount}; return columns of equal length`);
        }
        rowCount = col.length;
        dtypes[name] = Array.isArray(col) ? 'string' : chunk.dtypes[name] === 'datetime' ? 'datetime' : 'float64';
      }
      return { rowCount: rowCount ?? 0, columns, dtypes };
    },
    flush: () => undefined,
  };
}
