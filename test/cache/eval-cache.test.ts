import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EvalCache } from '../../src/cache/eval-cache.js';
import { evaluationKey, objectiveIdentity } from '../../src/cache/keys.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tunelab-cache-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('cache keys', () => {
  const scope = { objective: 'fn:abc', seed: 1 };
  it('do not depend on key order or number spelling', () => {
    expect(evaluationKey(scope, { a: 1, b: 0.30000000000000004 })).toBe(evaluationKey(scope, { b: 0.1 + 0.2, a: 1.0 }));
    expect(evaluationKey(scope, { a: 1, b: { y: [1, 2], x: 'q' } })).toBe(evaluationKey(scope, { b: { x: 'q', y: [1, 2] }, a: 1e0 }));
  });
  it('change with params, seed, dataset fingerprint and version', () => {
    const base = evaluationKey(scope, { a: 1 });
    expect(evaluationKey(scope, { a: 2 })).not.toBe(base);
    expect(evaluationKey({ ...scope, seed: 2 }, { a: 1 })).not.toBe(base);
    expect(evaluationKey({ ...scope, datasetFingerprint: 'x' }, { a: 1 })).not.toBe(base);
    expect(evaluationKey({ ...scope, version: 'v2' }, { a: 1 })).not.toBe(base);
  });
  it('identify an inline objective by its source, ignoring re-indentation', () => {
    const a = objectiveIdentity((t: number) => t * 2);
    const b = objectiveIdentity((t: number) =>   t * 2);
    expect(a).toBe(b);
    expect(objectiveIdentity((t: number) => t * 3)).not.toBe(a);
  });
});

describe('EvalCache', () => {
  it('hits in memory, then on disk after a restart', async () => {
    const dir = tempDir();
    const first = new EvalCache({ dir });
    await first.set('k1', { loss: 0.5, curve: [1, 0.7, 0.5] });
    expect(await first.get('k1')).toEqual({ loss: 0.5, curve: [1, 0.7, 0.5] });
    expect(first.stats().memoryHits).toBe(1);
    await first.close();
    const second = new EvalCache({ dir });
    expect(await second.get('k1')).toEqual({ loss: 0.5, curve: [1, 0.7, 0.5] });
    expect(second.stats()).toMatchObject({ diskHits: 1, memoryHits: 0, misses: 0 });
    expect(await second.get('k1')).toBeDefined();
    expect(second.stats().memoryHits).toBe(1);
    expect(await second.get('nope')).toBeUndefined();
    expect(second.stats().misses).toBe(1);
    await second.close();
  });

  it('expires entries after their TTL in both levels', async () => {
    const dir = tempDir();
    const cache = new EvalCache({ dir, ttlSeconds: 1 });
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await cache.get('k')).toBeUndefined();
    await cache.close();
    const reopened = new EvalCache({ dir, ttlSeconds: 1 });
    expect(await reopened.get('k')).toBeUndefined();
    expect(reopened.stats().diskKeys).toBe(0);
    await reopened.close();
  });

  it('bounds memory keys and evicts least-recently-used entries past the disk size bound', async () => {
    const dir = tempDir();
    const cache = new EvalCache({ dir, maxKeys: 5, maxBytes: 4000 });
    const value = 'x'.repeat(300);
    for (let i = 0; i < 30; i++) {
      await cache.set(`key-${i}`, value);
      if (i >= 1) await cache.get('key-0'); // keep key-0 recently used
      await new Promise((r) => setTimeout(r, 2));
    }
    const stats = cache.stats();
    expect(stats.memoryKeys).toBeLessThanOrEqual(5);
    expect(stats.diskBytes).toBeLessThanOrEqual(4000);
    expect(stats.evictions).toBeGreaterThan(10);
    expect(await cache.get('key-0')).toBe(value);
    expect(await cache.get('key-1')).toBeUndefined();
    expect(await cache.get('key-29')).toBe(value);
    await cache.close();
  });

  it('keeps the recently used entries in memory and drops the one unused the longest', async () => {
    // Memory only: a disk level would answer for a dropped key and hide the order.
    const cache = new EvalCache({ dir: false, maxKeys: 3 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.set('c', 3);
    expect(await cache.get('a')).toBe(1); // a is now the most recently used
    expect(cache.getSync('b')).toBe(2); // then b
    await cache.set('d', 4); // past the bound: c, unused the longest, goes
    expect(cache.getSync('c')).toBeUndefined();
    expect([cache.getSync('a'), cache.getSync('b'), cache.getSync('d')]).toEqual([1, 2, 4]);
    expect(cache.stats().memoryKeys).toBe(3);
    await cache.close();
  });

  it('shares one computation between concurrent wrapped calls', async () => {
    const cache = new EvalCache({ dir: false });
    let calls = 0;
    const slowSquare = cache.wrap(async (x: number) => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return x * x;
    });
    expect(await Promise.all([slowSquare(3), slowSquare(3), slowSquare(4)])).toEqual([9, 9, 16]);
    expect(await slowSquare(3)).toBe(9);
    expect(calls).toBe(2);
  });

  it('runs from memory with one warning when the directory is damaged', async () => {
    const dir = tempDir();
    const seed = new EvalCache({ dir });
    await seed.set('k', 1);
    await seed.close();
    writeFileSync(join(dir, 'CURRENT'), 'garbage-manifest\n');
    const warnings: string[] = [];
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => {
      warnings.push(String(w));
    }) as typeof process.emitWarning);
    try {
      const cache = new EvalCache({ dir });
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k2', 2);
      expect(await cache.get('k2')).toBe(2);
      expect(await cache.get('k3')).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/evaluation cache at .* cannot be used.*Delete the directory/);
      expect(cache.stats().diskError).toBeDefined();
      await cache.close();
    } finally {
      spy.mockRestore();
    }
  });
});
