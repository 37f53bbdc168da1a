import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/index.js';

// Worker scripts load from dist/: run `npx tsup` first (npm test does).
const distIndex = pathToFileURL(resolve(__dirname, '../../dist/index.js')).href;

describe('datasets on SharedArrayBuffer', () => {
  it('reach every worker as the same memory, not a copy', async () => {
    const marks = new Int32Array(new SharedArrayBuffer(4 * 8));
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      (trial, ctx) => {
        const m = (ctx.data as { marks: Int32Array }).marks;
        // Written in the worker, read back on the main thread below.
        Atomics.store(m, trial.number, 100 + trial.number);
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 8, workers: 2, data: { marks } },
    );
    expect([...marks]).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  // The exact figure (one copy + a few tens of MB) is measured by `npm run bench:parallel`; the test only
  // tells sharing from copying, with a margin no busy machine eats: a copy per worker would be ≥ 1200 MB.
  it('keep peak RSS with 2 workers reading a 400 MB dataset well below a copy per worker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-rss-'));
    const file = join(dir, 'rss.mjs');
    writeFileSync(
      file,
      `import { createStudy } from ${JSON.stringify(distIndex)};
      const values = new Float32Array(new SharedArrayBuffer(400 * 1024 * 1024));
      for (let i = 0; i < values.length; i += 1024) values[i] = 1;
      const study = await createStudy({ storage: 'memory:' });
      await study.optimize((trial, ctx) => {
        const v = ctx.data.values;
        let sum = 0;
        // One float per 4 KiB page: every page of the dataset is read by every worker.
        for (let i = 0; i < v.length; i += 1024) sum += v[i];
        return sum + trial.suggestFloat('x', 0, 1);
      }, { nTrials: 4, workers: 2, data: { values } });
      console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, states: study.trials.map((t) => t.state) }));`,
    );
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const { maxRssMiB, states } = JSON.parse(run.stdout) as { maxRssMiB: number; states: string[] };
    console.log(`peak RSS with 2 workers and a 400 MB shared dataset: ${maxRssMiB.toFixed(0)} MB`);
    expect(states).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(maxRssMiB).toBeGreaterThan(400);
    expect(maxRssMiB).toBeLessThan(400 * 2.5);
  });
});
