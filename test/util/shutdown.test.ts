import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST_ENTRY, DIST_PROBLEM, runNodeScript } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

const dir = mkdtempSync(join(tmpdir(), 'tunelab-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A script that uses every part: storage, cache, monitor, GC stats, an optimize run.
const usesEverything = (callShutdown: boolean): string => `
  const tl = await import(${JSON.stringify(DIST_ENTRY)});
  const monitor = new tl.MemoryMonitor({ intervalMs: 50 }).start();
  const study = await tl.createStudy({ storage: 'memory:', sampler: new tl.RandomSampler({ seed: 1 }) });
  await study.optimize((t) => t.suggestFloat('x', 0, 1) ** 2, { nTrials: 20, cache: { dir: ${JSON.stringify(join(dir, 'cache'))} } });
  console.log('stats', tl.systemStats().caches.length);
  ${callShutdown ? 'await tl.shutdown(); console.log("closed", monitor.running);' : ''}
  console.log('done');
`;

describe.skipIf(requireOrSkip(DIST_PROBLEM))('a script using tunelab exits on its own', () => {
  it('after shutdown()', async () => {
    const r = await runNodeScript(usesEverything(true), { timeoutMs: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/stats 1\nclosed false\ndone/);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });

  it('even without shutdown(): no timer or handle keeps it alive', async () => {
    const r = await runNodeScript(usesEverything(false), { timeoutMs: 20_000 });
    expect(r.stdout).toMatch(/done/);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });
});
