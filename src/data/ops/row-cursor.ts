import type { ColumnChunk } from '../types.js';
import { resolveColumn } from './columns.js';

/**
 * A view of one row, moved along the chunk instead of allocating an object per row:
 * `row.num('close')`, `row.str('symbol')`, `row.index`.
 */
export class RowCursor {
  index = 0;
  #chunk: ColumnChunk;
  readonly #resolved = new Map<string, string>();

  constructor(chunk: ColumnChunk) {
    this.#chunk = chunk;
  }

  /** @internal */
  reset(chunk: ColumnChunk): void {
    this.#chunk = chunk;
    this.index = 0;
  }

  #column(name: string): Float64Array | string[] {
    let key = this.#resolved.get(name);
    if (key === undefined) {
      key = resolveColumn(this.#chunk, name, 'filter');
      this.#resolved.set(name, key);
    }
    return this.#chunk.columns[key] as Float64Array | string[];
  }

  /** The value of a numeric column in this row (NaN when missing). */
  num(name: string): number {
    const v = this.#column(name)[this.index];
    return typeof v === 'number' ? v : Number(v);
  }

  /** The value of a column in this row as text. */
  str(name: string): string {
    return String(this.#column(name)[this.index]);
  }
}
