import { describe, expect, it } from 'vitest';
import { createStudy, systemStats } from '../../src/index.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 14: systemStats().workers lists the worker pools in use, with each worker's heap
// and tensors, and forgets a pool once it is closed.

interface PoolStats {
  readonly workers: number;
  readonly perWorker: readonly { readonly workerId: number; readonly heapUsedMiB: number; readonly heapLimitMiB: number; readonly tensors: number }[];
}

describe.skipIf(requireOrSkip(DIST_PROBLEM))(`systemStats().workers${(DIST_PROBLEM === undefined) ? '' : ` (skipped: ${DIST_PROBLEM})`}`, () => {
  for (const executor of ['thread', 'process'] as const) {
    it(`lists a running pool of ${executor === 'thread' ? 'worker threads' : 'child processes'} with its workers' memory, then nothing once it closed`, async () => {
      const study = await createStudy({ storage: 'memory:' });
      const seen: { name: string; stats: PoolStats }[][] = [];
      await study.optimize(
        async (trial, ctx) => {
          const x = trial.suggestFloat('x', 0, 1);
          // One tensor kept alive for the run: the worker's count must show it.
          const g = globalThis as { kept?: unknown };
          g.kept ??= ctx.tf.tensor1d([1, 2, 3]);
          return x;
        },
        { nTrials: 6, workers: 2, executor, backend: 'cpu', callbacks: [() => void seen.push(systemStats().workers as { name: string; stats: PoolStats }[])] },
      );
      const last = seen[seen.length - 1] ?? [];
      expect(last).toHaveLength(1);
      expect(last[0]?.name).toBe(`WorkerPool(2 ${executor === 'thread' ? 'threads' : 'processes'})`);
      const stats = last[0]!.stats;
      expect(stats.workers).toBe(2);
      expect(stats.perWorker.length).toBeGreaterThanOrEqual(1);
      for (const w of stats.perWorker) {
        expect(w.heapUsedMiB).toBeGreaterThan(0);
        expect(w.heapLimitMiB).toBeGreaterThan(w.heapUsedMiB);
        expect(w.tensors).toBe(1);
      }
      expect(systemStats().workers).toEqual([]);
    }, 60_000);
  }
});
