import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, EvalCache, loadStudy, MemoryMonitor, RandomSampler } from '../../src/index.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import { listResources } from '../../src/util/resources.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// `await using x = ...` closes x however its block ends (Symbol.asyncDispose, TypeScript 5.2+,
// Node 20 has the symbol). Each case checks the real effect: a LevelDB directory another opener
// can take, timers stopped, child processes gone.
const dir = mkdtempSync(join(tmpdir(), 'tunelab-dispose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('await using', () => {
  it('closes a study and frees its LevelDB directory, also when the block throws', async () => {
    const url = `level:${join(dir, 'studies')}`;
    {
      await using study = await createStudy({ name: 'disposed', storage: url, sampler: new RandomSampler({ seed: 1 }) });
      await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
      expect(listResources('storage').map((r) => r.name)).toContain(url);
    }
    expect(listResources('storage').map((r) => r.name)).not.toContain(url);
    const failing = async (): Promise<void> => {
      await using study = await loadStudy('disposed', url);
      expect(study.trials).toHaveLength(3);
      throw new Error('objective bug');
    };
    await expect(failing()).rejects.toThrow('objective bug');
    expect(listResources('storage').map((r) => r.name)).not.toContain(url);
    // The directory opens again in this process: its lock was released both times.
    await using again = await loadStudy('disposed', url);
    expect(again.trials).toHaveLength(3);
  });

  it('closes an EvalCache, so the next one opens its directory and finds the value', async () => {
    const cacheDir = join(dir, 'cache');
    {
      await using cache = new EvalCache({ dir: cacheDir });
      await cache.set('k', 42);
    }
    await using next = new EvalCache({ dir: cacheDir });
    expect(await next.get('k')).toBe(42);
    expect(next.stats().diskError).toBeUndefined();
    expect(next.stats().diskHits).toBe(1);
  });

  it('stops a MemoryMonitor (using and await using)', async () => {
    let outer: MemoryMonitor | undefined;
    {
      using monitor = new MemoryMonitor({ intervalMs: 50, warn: false }).start();
      outer = monitor;
      expect(listResources('monitor')).toHaveLength(1);
    }
    expect(outer.running).toBe(false);
    {
      await using monitor = new MemoryMonitor({ intervalMs: 50, warn: false }).start();
      outer = monitor;
    }
    expect(outer.running).toBe(false);
    expect(listResources('monitor')).toHaveLength(0);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))(`ends a WorkerPool's child processes (${(DIST_PROBLEM === undefined) ? 'dist built' : DIST_PROBLEM})`, async () => {
    const children = (): string[] => {
      try {
        return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'worker-process'], { encoding: 'utf8' }).trim().split('\n');
      } catch {
        return []; // pgrep exits 1 when nothing matches
      }
    };
    const before = children().length;
    {
      await using pool = WorkerPool.open((trial) => trial.suggestFloat('x', 0, 1), { workers: 2, executor: 'process' });
      expect(pool.workers).toBe(2);
      expect(children().length).toBe(before + 2);
    }
    expect(children().length).toBe(before);
  });
});
