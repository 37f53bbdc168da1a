import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, RandomSampler } from '../../src/index.js';
import { DIST_ENTRY, DIST_PROBLEM, runNodeScript } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

const dir = mkdtempSync(join(tmpdir(), 'tunelab-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const otherProcess = (url: string): string => `
  const tl = await import(${JSON.stringify(DIST_ENTRY)});
  try {
    const s = await tl.loadStudy('closing', ${JSON.stringify(url)});
    console.log('opened', s.trials.length);
    await tl.shutdown();
  } catch (e) { console.log('refused', e.code); }
`;

describe.skipIf(requireOrSkip(DIST_PROBLEM))('study.close() releases its LevelDB directory', () => {
  it('another process is refused while two studies hold it, and opens it once both closed', async () => {
    const url = `level:${join(dir, 'db')}`;
    const a = await createStudy({ name: 'closing', storage: url, sampler: new RandomSampler({ seed: 1 }) });
    await a.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    const b = await createStudy({ name: 'other', storage: `level:${join(dir, 'db', '.')}` });
    expect(b.storage).toBe(a.storage);
    await a.close();
    expect((await runNodeScript(otherProcess(url))).stdout).toMatch(/refused STORAGE_LOCKED/);
    await b[Symbol.asyncDispose]();
    expect((await runNodeScript(otherProcess(url))).stdout).toMatch(/opened 3/);
  });
});
