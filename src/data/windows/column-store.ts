import { createHash, type Hash } from 'node:crypto';
import { InvalidOptionError } from '../../errors.js';
import { resolveColumn } from '../ops/columns.js';
import type { ColumnChunk } from '../types.js';
import { transformOf, type ResolvedWindowOptions, type Transform } from './options.js';
import { applyTransform } from './transform.js';

/** The few columns windows need, transformed, kept as growable float64 arrays. */
export interface ColumnStore {
  readonly rows: number;
  /** Transformed feature columns, in `features` order (resolved names). */
  readonly features: readonly Float64Array[];
  readonly featureNames: readonly string[];
  /** Transformed target column and its raw (untransformed) values. */
  readonly target: Float64Array;
  readonly targetRaw: Float64Array;
  readonly targetName: string;
  readonly targetTransform: Transform;
  readonly times: Float64Array | undefined;
  /** sha256 of each needed column's raw values, in order: chunk sizes do not change it. */
  readonly contentHash: string;
}

class Growable {
  data = new Float64Array(1024);
  length = 0;
  append(values: Float64Array): void {
    if (this.length + values.length > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < this.length + values.length) cap *= 2;
      const next = new Float64Array(cap);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** A column being read: raw values hashed, transformed values appended, last raw value carried. */
class Reader {
  readonly out = new Growable();
  readonly raw: Growable | undefined;
  readonly hash: Hash = createHash('sha256');
  prev = NaN;
  constructor(
    readonly name: string,
    readonly transform: Transform,
    keepRaw: boolean,
  ) {
    this.raw = keepRaw ? new Growable() : undefined;
  }
  push(values: Float64Array): void {
    this.hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.raw?.append(values);
    if (this.transform === 'none') {
      this.out.append(values);
      return;
    }
    const t = new Float64Array(values.length);
    let prev = this.prev;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      t[i] = applyTransform(this.transform, prev, v);
      prev = v;
    }
    this.prev = prev;
    this.out.append(t);
  }
}

function numeric(chunk: ColumnChunk, name: string, what: string): string {
  const c = resolveColumn(chunk, name, `data.windows (${what})`);
  if (chunk.dtypes[c] === 'string') throw new InvalidOptionError(`data.windows: ${what} column '${c}' holds text; windows need numeric columns`);
  return c;
}

/** One streaming pass: keeps only the needed columns, so the source itself may exceed memory. */
export async function readColumns(chunks: AsyncIterable<ColumnChunk>, opts: ResolvedWindowOptions): Promise<ColumnStore> {
  let features: Reader[] | undefined;
  let target: Reader | undefined;
  let times: Growable | undefined;
  let timeName: string | undefined;
  let rows = 0;
  for await (const chunk of chunks) {
    if (features === undefined || target === undefined) {
      // The target first: by default it is also the only feature, and a text target should be called the target.
      const targetName = numeric(chunk, opts.target, 'target');
      target = new Reader(targetName, transformOf(opts, targetName), true);
      features = opts.features.map((f) => {
        const name = numeric(chunk, f, 'feature');
        return new Reader(name, transformOf(opts, name), false);
      });
      timeName = findTime(chunk, opts.time);
      if (timeName !== undefined) times = new Growable();
    }
    for (const r of features) r.push(chunk.columns[r.name] as Float64Array);
    target.push(chunk.columns[target.name] as Float64Array);
    if (times !== undefined && timeName !== undefined) times.append(chunk.columns[timeName] as Float64Array);
    rows += chunk.rowCount;
  }
  if (features === undefined || target === undefined) throw new InvalidOptionError('data.windows: the source has no rows');
  const all = createHash('sha256');
  for (const r of [...features, target]) all.update(`${r.name}:${r.hash.digest('hex')};`);
  return {
    rows,
    features: features.map((r) => r.out.done()),
    featureNames: features.map((r) => r.name),
    target: target.out.done(),
    targetRaw: (target.raw as Growable).done(),
    targetName: target.name,
    targetTransform: target.transform,
    times: times?.done(),
    contentHash: all.digest('hex'),
  };
}

function findTime(chunk: ColumnChunk, given: string | undefined): string | undefined {
  if (given !== undefined) return numeric(chunk, given, 'time');
  const names = Object.keys(chunk.columns);
  return (
    names.find((n) => chunk.dtypes[n] === 'datetime') ??
    names.find((n) => /^(timestamp|time|date|datetime)$/i.test(n) && chunk.dtypes[n] !== 'string')
  );
}
