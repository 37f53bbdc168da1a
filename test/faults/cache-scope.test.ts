import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalCache } from '../../src/cache/eval-cache.js';
import { createStudy, RandomSampler, type Trial } from '../../src/index.js';
import { contentKey } from '../../src/util/content-key.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 4 and issue 20 ("cache scope"): runs that differ only in their context, their
// data, the variables their objective captures or their module's content share no cached result;
// runs that differ in nothing share all of them (so the "no hit" checks are not vacuous).

const warnings: Error[] = [];
const onWarning = (w: Error): void => {
  if ((w as { code?: string }).code === 'TUNELAB_CACHE_SCOPE') warnings.push(w);
};
beforeAll(() => {
  process.on('warning', onWarning);
});
afterAll(() => {
  process.off('warning', onWarning);
});
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const N = 6;

/** Runs a seeded study with `cache` and returns how many of its trials came from the cache. */
async function cachedTrials(cache: EvalCache, options: { context?: unknown; data?: Record<string, unknown> }, objective: (trial: Trial, ctx: never) => number = (trial) => trial.suggestFloat('x', 0, 1)): Promise<number> {
  const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
  await study.optimize(objective as never, { nTrials: N, cache, ...options } as never);
  return study.trials.filter((t) => t.systemAttrs['cached'] === true).length;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/** Each case builds a fresh value per variant: 0 and 1 differ, and building 0 twice gives equal values. */
const CONTEXTS: readonly (readonly [string, (variant: 0 | 1) => unknown])[] = [
  ['a Date', (v) => ({ start: new Date(Date.UTC(2024, 0, 1 + v)) })],
  ['a Float64Array', (v) => ({ weights: Float64Array.from([1, 2, 3 + v]) })],
  ['the typed array type', (v) => ({ weights: v === 0 ? Float64Array.from([1, 2]) : Float32Array.from([1, 2]) })],
  ['an ArrayBuffer', (v) => Uint8Array.from([1, 2, v]).buffer],
  ['a Map', (v) => ({ table: new Map<string, unknown>([['a', 1], ['b', { deep: v }]]) })],
  ['a Set', (v) => ({ allowed: new Set([1, 2, 3 + v]) })],
  ['a RegExp', (v) => ({ pattern: v === 0 ? /ab+c/g : /ab+c/i })],
  ['a bigint', (v) => ({ big: 10n ** 20n + BigInt(v) })],
  ['a class instance', (v) => new Point(1, 2 + v)],
  ['a nested value', (v) => ({ a: { b: [1, { c: [v] }] } })],
  ['NaN vs null', (v) => ({ value: v === 0 ? NaN : null })],
  ['-0 vs 0', (v) => ({ value: v === 0 ? -0 : 0 })],
  ['undefined vs absent', (v) => (v === 0 ? { value: undefined } : {})],
  ["'1' vs 1", (v) => ({ value: v === 0 ? '1' : 1 })],
  ['a hole vs undefined', (v) => ({ list: v === 0 ? [1, , 3] : [1, undefined, 3] })],
  ['k: 1 vs k: 100', (v) => ({ k: v === 0 ? 1 : 100 })],
];

describe('context', () => {
  it.each(CONTEXTS)('changing %s between two runs gives no hit; an equal one hits every trial', async (_name, make) => {
    const cache = new EvalCache({ dir: false });
    expect(await cachedTrials(cache, { context: make(0) })).toBe(0);
    expect(await cachedTrials(cache, { context: make(1) })).toBe(0);
    expect(await cachedTrials(cache, { context: make(0) })).toBe(N);
    expect(await cachedTrials(cache, { context: make(1) })).toBe(N);
  });

  it('key order of plain objects and entry order of Maps and Sets do not matter', async () => {
    const cache = new EvalCache({ dir: false });
    await cachedTrials(cache, { context: { a: 1, b: { c: 2, d: 3 }, m: new Map([['x', 1], ['y', 2]]), s: new Set([1, 2]) } });
    expect(await cachedTrials(cache, { context: { b: { d: 3, c: 2 }, a: 1, s: new Set([2, 1]), m: new Map([['y', 2], ['x', 1]]) } })).toBe(N);
  });

  it('a context holding a function is not cached, with one warning naming where it is', async () => {
    const cache = new EvalCache({ dir: false });
    const context = { scale: 2, transform: (x: number) => x * 2 };
    expect(await cachedTrials(cache, { context })).toBe(0);
    expect(await cachedTrials(cache, { context })).toBe(0);
    await tick();
    const mine = warnings.filter((w) => w.message.includes('context.transform'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.message).toMatch(/not cached.*context\.transform holds a value \(a function/);
  });
});

describe('data', () => {
  it('a raw Float64Array without a fingerprint is keyed by its content', async () => {
    const cache = new EvalCache({ dir: false });
    const series = (last: number): Float64Array => Float64Array.from({ length: 1000 }, (_, i) => (i === 999 ? last : Math.sin(i)));
    expect(await cachedTrials(cache, { data: { series: series(1) } })).toBe(0);
    expect(await cachedTrials(cache, { data: { series: series(2) } })).toBe(0);
    expect(await cachedTrials(cache, { data: { series: series(1) } })).toBe(N);
  });

  it('a view of a bigger buffer is keyed by the bytes it shows', async () => {
    const cache = new EvalCache({ dir: false });
    const buffer = new SharedArrayBuffer(64);
    const all = new Float64Array(buffer);
    all.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await cachedTrials(cache, { data: { part: new Float64Array(buffer, 0, 4) } })).toBe(0);
    expect(await cachedTrials(cache, { data: { part: new Float64Array(buffer, 32, 4) } })).toBe(0);
    all[1] = 20;
    expect(await cachedTrials(cache, { data: { part: new Float64Array(buffer, 0, 4) } })).toBe(0);
  });

  it('an entry with a fingerprint is keyed by it, as datasets are', async () => {
    const cache = new EvalCache({ dir: false });
    expect(await cachedTrials(cache, { data: { ds: { fingerprint: 'a', rows: new Float64Array(3) } } })).toBe(0);
    expect(await cachedTrials(cache, { data: { ds: { fingerprint: 'b', rows: new Float64Array(3) } } })).toBe(0);
    expect(await cachedTrials(cache, { data: { ds: { fingerprint: 'a', rows: new Float64Array(3) } } })).toBe(N);
  });
});

describe('variables an in-thread objective captures', () => {
  it('make the run uncached, with one warning that names them', async () => {
    const cache = new EvalCache({ dir: false });
    let capturedScale = 1;
    const objective = (trial: Trial): number => trial.suggestFloat('x', 0, 1) * capturedScale;
    expect(await cachedTrials(cache, {}, objective)).toBe(0);
    capturedScale = 100;
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(objective, { nTrials: N, cache });
    expect(study.trials.some((t) => t.systemAttrs['cached'] === true)).toBe(false);
    expect(study.trials.every((t) => t.value === (t.params['x'] as number) * 100)).toBe(true);
    await tick();
    const mine = warnings.filter((w) => w.message.includes("'capturedScale'"));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.message).toMatch(/not cached: the objective uses 'capturedScale' from outside itself.*optimize\(\{ context \}\)/);
  });

  it('an objective that reads only its params and ctx is cached', async () => {
    const cache = new EvalCache({ dir: false });
    const objective = (trial: Trial, ctx: { context: { k: number } }): number => trial.suggestFloat('x', 0, 1) * ctx.context.k + Math.sqrt(4);
    expect(await cachedTrials(cache, { context: { k: 1 } }, objective as never)).toBe(0);
    expect(await cachedTrials(cache, { context: { k: 1 } }, objective as never)).toBe(N);
    expect(await cachedTrials(cache, { context: { k: 100 } }, objective as never)).toBe(0);
  });
});

describe.skipIf(requireOrSkip(DIST_PROBLEM))(`a module objective's content ${(DIST_PROBLEM === undefined) ? '' : DIST_PROBLEM}`, () => {
  it('changing the file between two runs gives no hit; the same content hits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-cache-module-'));
    const file = join(dir, 'objective.mjs');
    const cache = new EvalCache({ dir: false });
    const run = async (): Promise<{ cached: number; values: number[] }> => {
      const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
      await study.optimize(file, { nTrials: N, workers: 1, cache });
      return { cached: study.trials.filter((t) => t.systemAttrs['cached'] === true).length, values: study.trials.map((t) => t.value as number) };
    };
    writeFileSync(file, "export default (trial) => trial.suggestFloat('x', 0, 1);\n");
    const first = await run();
    expect(first.cached).toBe(0);
    writeFileSync(file, "export default (trial) => trial.suggestFloat('x', 0, 1) * 10;\n");
    const second = await run();
    expect(second.cached).toBe(0);
    expect(second.values).toEqual(first.values.map((v) => v * 10));
    expect((await run()).cached).toBe(N);
  });
});

// ---------------------------------------------------------------------------------------------

// Leaves include the values a key confuses most easily; fc.anything's own leaves never hold 0.
const leaves = [
  fc.constantFrom<unknown>(0, -0, NaN, null, undefined, 1, '1', 1n, '', true, false, Infinity, -Infinity),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.integer({ min: -3, max: 3 }),
];
const values = fc.anything({
  values: leaves,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 3,
});

/** The same value with every plain object's keys and every Map's and Set's entries in reverse order. */
function reordered(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) return new Map([...value].reverse().map(([k, v]) => [k, reordered(v)]));
  if (value instanceof Set) return new Set([...value].reverse());
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) if (i in value) out[i] = reordered(value[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out = Object.create(proto) as Record<string, unknown>;
  // defineProperty, not assignment: an own '__proto__' key (JSON.parse makes them) would set the prototype instead.
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, { value: reordered((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A primitive's nearest different value: the confusions a key must not make (-0/0, NaN/null, 1/'1', 1n/1, undefined/null). */
function neighbour(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return Object.is(v, 0) ? -0 : Object.is(v, -0) ? 0 : Number.isNaN(v) ? null : String(v);
    case 'string':
      return v === '' ? 0 : Number.isNaN(Number(v)) ? `${v} ` : Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint':
      return Number(v);
    case 'undefined':
      return null;
    default:
      return v === null ? undefined : v;
  }
}

/** `value` with its k-th primitive leaf (in a walk of objects, arrays and Map values) replaced by its neighbour; undefined if it has fewer. */
function perturbed(value: unknown, k: number): { value: unknown } | undefined {
  let left = k;
  const walk = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) {
      if (left-- === 0) return neighbour(v);
      return v;
    }
    if (v instanceof Map) return new Map([...v].map(([key, x]) => [key, walk(x)]));
    if (Array.isArray(v)) {
      const out = new Array(v.length);
      for (let i = 0; i < v.length; i++) if (i in v) out[i] = walk(v[i]);
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out = Object.create(proto) as Record<string, unknown>;
    // defineProperty: assigning an own '__proto__' key would set the copy's prototype instead.
    for (const key of Object.keys(v)) Object.defineProperty(out, key, { value: walk((v as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return out;
  };
  const out = walk(value);
  return left < 0 ? { value: out } : undefined;
}

/** Invalid dates are never deep-equal (NaN !== NaN), but they cannot change what an objective computes. */
function hasInvalidDate(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (value instanceof Date) return Number.isNaN(value.getTime());
  const children = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : ArrayBuffer.isView(value) ? [] : Object.values(value);
  return children.some((c) => hasInvalidDate(c, seen));
}

describe('contentKey (property)', () => {
  it('two values share a key exactly when they are deep-equal (util.isDeepStrictEqual)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(values, values), fc.clone(values, 2)), ([a, b]) => {
        fc.pre(!hasInvalidDate(a) && !hasInvalidDate(b));
        expect(contentKey(a).key === contentKey(b).key).toBe(isDeepStrictEqual(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('one leaf changed to its nearest different value (-0 for 0, null for NaN, 1 for 1n, ...) changes the key', () => {
    fc.assert(
      fc.property(values, fc.nat({ max: 40 }), (a, k) => {
        const b = perturbed(a, k);
        fc.pre(b !== undefined && !hasInvalidDate(a));
        expect(isDeepStrictEqual(a, (b as { value: unknown }).value)).toBe(false);
        expect(contentKey(a).key).not.toBe(contentKey((b as { value: unknown }).value).key);
      }),
      { numRuns: 2000 },
    );
  });

  it('key order does not matter, and the key sees no unseen part in clonable data', () => {
    fc.assert(
      fc.property(values, (a) => {
        const b = reordered(a);
        expect(contentKey(a).key).toBe(contentKey(b).key);
        expect(contentKey(a).unseen).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("an own '__proto__' key (as JSON.parse makes) is content: keyed, and unlike an empty object", () => {
    const parsed = JSON.parse('{"__proto__": 0}') as object;
    expect(contentKey(parsed).key).not.toBe(contentKey({}).key);
    expect(contentKey(parsed).key).toBe(contentKey(JSON.parse('{"__proto__": 0}')).key);
    expect(contentKey(parsed).key).not.toBe(contentKey(JSON.parse('{"__proto__": 1}')).key);
  });

  it('an object with a built-in’s prototype but not its internal slot (Object.create(Number.prototype), __proto__ set to a Date) is keyed as the plain object it is, not a crash', () => {
    // Found by the property above with seed 11024624: instanceof passed, and Number.prototype.valueOf threw.
    const fakes: object[] = [Object.create(Number.prototype), Object.setPrototypeOf({ a: 1 }, new Date(0)), Object.create(Map.prototype), Object.create(Set.prototype), Object.create(RegExp.prototype), Object.create(String.prototype), Object.create(Boolean.prototype)];
    const keys = fakes.map((f) => contentKey(f).key);
    expect(new Set(keys).size).toBe(fakes.length);
    expect(keys[0]).not.toBe(contentKey(new Number(0)).key);
    expect(keys[3]).not.toBe(contentKey(new Set()).key);
    expect(contentKey(Object.setPrototypeOf({ a: 1 }, new Date(0))).key).toBe(keys[1]);
    expect(contentKey(Object.setPrototypeOf({ a: 2 }, new Date(0))).key).not.toBe(keys[1]);
  });

  it('cycles are keyed by their shape', () => {
    const a: Record<string, unknown> = { x: 1 };
    a['self'] = a;
    const b: Record<string, unknown> = { x: 1 };
    b['self'] = b;
    const c: Record<string, unknown> = { x: 1, self: { x: 1 } };
    expect(contentKey(a).key).toBe(contentKey(b).key);
    expect(contentKey(a).key).not.toBe(contentKey(c).key);
  });
});
