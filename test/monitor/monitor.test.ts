import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { GcObserver, MemoryMonitor, systemStats, type MemoryAlert } from '../../src/index.js';
import { sharedEvalCache } from '../../src/study/study-cache.js';
import { DIST_ENTRY, DIST_PROBLEM, runNodeScript } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

function churn(rounds: number): number {
  let sum = 0;
  for (let i = 0; i < rounds; i++) {
    const garbage = new Array(1000).fill(i);
    sum += garbage.length;
  }
  return sum;
}

describe('GcObserver', () => {
  it('counts collections and pauses by kind from the runtime', async () => {
    const gc = new GcObserver().start();
    churn(20_000);
    await new Promise((r) => setTimeout(r, 50)); // gc entries are delivered asynchronously
    const stats = gc.stats();
    gc.stop();
    expect(stats.byKind.minor.count).toBeGreaterThan(0);
    expect(stats.count).toBe(Object.values(stats.byKind).reduce((n, k) => n + k.count, 0));
    expect(stats.totalPauseMs).toBeGreaterThan(0);
    expect(stats.byKind.minor.maxPauseMs).toBeLessThanOrEqual(stats.byKind.minor.totalPauseMs);
  });
});

describe('MemoryMonitor', () => {
  it('refuses the old MB option names with their MiB names, and limits that are not a positive number', () => {
    expect(() => new MemoryMonitor({ maxRssMB: 512 } as never)).toThrow('MemoryMonitor({ maxRssMB }): renamed to maxRssMiB');
    expect(() => new MemoryMonitor({ maxWorkerHeapMB: 512 } as never)).toThrow('MemoryMonitor({ maxWorkerHeapMB }): renamed to maxWorkerHeapMiB');
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '512']) {
      expect(() => new MemoryMonitor({ maxRssMiB: bad as number })).toThrow(/MemoryMonitor\(\{ maxRssMiB \}\): expected a number of MiB > 0/);
    }
    expect(new MemoryMonitor({ maxRssMiB: 512, maxWorkerHeapMiB: 256 }).intervalMs).toBe(1000);
  });


  it('samples into a bounded timeline', async () => {
    const monitor = new MemoryMonitor({ intervalMs: 10, maxSamples: 5, warn: false });
    let taken = 0;
    monitor.on('sample', () => taken++);
    monitor.start();
    const deadline = Date.now() + 10_000;
    while (taken < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    monitor.stop();
    expect(taken).toBeGreaterThanOrEqual(12);
    const timeline = monitor.timeline();
    expect(timeline).toHaveLength(5);
    for (const s of timeline) {
      expect(s.rssMiB).toBeGreaterThan(10);
      expect(s.heapUsedMiB).toBeLessThanOrEqual(s.heapTotalMiB);
      expect(s.heapLimitMiB).toBeGreaterThan(s.heapUsedMiB);
    }
    expect(timeline[4]!.t).toBeGreaterThan(timeline[0]!.t);
    expect(inspect(monitor)).toMatch(/MemoryMonitor\(stopped, 5 samples, rss \d+ MiB/);
  });

  it('alerts once per episode on a worker over its bound, asks to recycle it, pauses, and recovers', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const monitor = new MemoryMonitor({ maxWorkerHeapMiB: 100 });
      const alerts: MemoryAlert[] = [];
      const recycled: string[] = [];
      let recovered = 0;
      monitor.on('alert', (a: MemoryAlert) => alerts.push(a));
      monitor.on('recycle', (id: string) => recycled.push(id));
      monitor.on('recovered', () => recovered++);
      monitor.reportWorker('w1', { heapUsedMiB: 40 });
      monitor.reportWorker('w2', { heapUsedMiB: 150, tensors: 12 });
      monitor.sample();
      monitor.sample();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ kind: 'worker', workerId: 'w2' });
      expect(recycled).toEqual(['w2']);
      expect(monitor.paused).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
      monitor.reportWorker('w2', { heapUsedMiB: 20 });
      monitor.sample();
      expect(recovered).toBe(1);
      expect(monitor.paused).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });

  it('rejects bad options with the field named', () => {
    expect(() => new MemoryMonitor({ intervalMs: 1 })).toThrow(/intervalMs.*at least 10 ms/);
    expect(() => new MemoryMonitor({ alertAtPercent: 120 })).toThrow(/alertAtPercent/);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))('raises a heap alert in a process running out of heap', async () => {
    const script = `
      const { MemoryMonitor } = await import(${JSON.stringify(DIST_ENTRY)});
      const monitor = new MemoryMonitor({ intervalMs: 20, alertAtPercent: 60 });
      // Growth stops at the first alert, and each step is small (about 2 MiB against a 64 MiB heap):
      // on a loaded machine the monitor's timer may fire late, and 8 MiB steps that kept going
      // after the alert ran the heap out before the exit (CI saw the process die by signal).
      let growing = true;
      monitor.on('alert', (a) => { growing = false; console.log('ALERT', a.kind, a.message); setTimeout(() => process.exit(0), 20); });
      monitor.start();
      const hold = [];
      const grow = () => { if (!growing) return; for (let i = 0; i < 5; i++) hold.push(new Array(50_000).fill(Math.random())); setTimeout(grow, 5); };
      grow();
    `;
    const result = await runNodeScript(script, { args: ['--max-old-space-size=64'], timeoutMs: 20_000 });
    expect(result.stdout).toMatch(/ALERT heap heap at \d+% of its \d+ MiB limit \(alert at 60%\)/);
    expect(result.stderr).toMatch(/TUNELAB_MEMORY|tunelab: heap at/);
    expect(result.code).toBe(0);
  });
});

describe('systemStats()', () => {
  it('reports memory, gc, caches and storages in one typed object with a compact text form', () => {
    const cache = sharedEvalCache({ dir: false, version: 'system-stats-test' });
    const stats = systemStats();
    expect(stats.memory.rssMiB).toBeGreaterThan(10);
    expect(stats.cores).toBeGreaterThan(0);
    expect(stats.caches.find((c) => c.name === 'memory only')?.stats).toEqual(cache.stats());
    expect(stats.uptimeSeconds).toBeGreaterThan(0);
    expect(inspect(stats)).toMatch(/^SystemStats\(rss \d+ MiB, heap \d+\/\d+ MiB, .*gc \d+ .*up \d+ s\)$/);
  });
});
