import type { ColumnChunk } from '../types.js';

/**
 * One step of a pipeline over chunks, created fresh for every pass. It may hold state between
 * chunks (the tail of the previous chunk, an open resample bucket) and release it at `flush`.
 */
export interface Stage {
  push(chunk: ColumnChunk): ColumnChunk | undefined;
  flush(): ColumnChunk | undefined;
}

/** Runs `input` through a stage, dropping empty chunks. */
export async function* runStage(input: AsyncIterable<ColumnChunk>, stage: Stage): AsyncGenerator<ColumnChunk, void, undefined> {
  for await (const chunk of input) {
    const out = stage.push(chunk);
    if (out !== undefined && out.rowCount > 0) yield out;
  }
  const tail = stage.flush();
  if (tail !== undefined && tail.rowCount > 0) yield tail;
}
