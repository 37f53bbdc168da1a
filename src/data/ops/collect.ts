import type { Column, ColumnChunk, Dtype } from '../types.js';

/** Concatenates all chunks into one (the whole result must fit in memory). */
export async function collectChunks(input: AsyncIterable<ColumnChunk>): Promise<ColumnChunk> {
  const parts: ColumnChunk[] = [];
  let rowCount = 0;
  for await (const chunk of input) {
    parts.push(chunk);
    rowCount += chunk.rowCount;
  }
  const first = parts[0];
  if (first === undefined) return { rowCount: 0, columns: {}, dtypes: {} };
  const columns: Record<string, Column> = {};
  const dtypes: Record<string, Dtype> = { ...first.dtypes };
  for (const name of Object.keys(first.columns)) {
    if (first.dtypes[name] === 'string') {
      const out: string[] = [];
      for (const p of parts) for (const v of p.columns[name] as string[]) out.push(v);
      columns[name] = out;
    } else {
      const out = new Float64Array(rowCount);
      let at = 0;
      for (const p of parts) {
        out.set(p.columns[name] as Float64Array, at);
        at += p.rowCount;
      }
      columns[name] = out;
    }
  }
  return { rowCount, columns, dtypes };
}
