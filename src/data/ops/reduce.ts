import type { ColumnChunk } from '../types.js';

/** Folds every chunk into an accumulator, in order. */
export async function reduceChunks<A>(input: AsyncIterable<ColumnChunk>, fn: (acc: A, chunk: ColumnChunk) => A, init: A): Promise<A> {
  let acc = init;
  for await (const chunk of input) acc = fn(acc, chunk);
  return acc;
}
